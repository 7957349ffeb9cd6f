/// The account over time for a chart (the monitor's `c`, `replay --headless --svg`): equity and
/// margin ratio per time step, and a marker where each alert, stop, soft stop and liquidation
/// happened. Memory stays bounded over any tape: when the points fill their capacity, pairs
/// are merged (the lower margin ratio kept, so a dip of the ratio is never thinned away; equity
/// keeps the later value) and later steps are taken at the new, doubled stride.
public struct ChartSeries: Sendable {
    public struct Point: Sendable, Equatable {
        public var time: Int64
        public var equity: Double
        /// nil while the account holds no cross position.
        public var marginRatio: Double?
    }

    public struct Marker: Sendable, Equatable {
        public enum Kind: String, Sendable { case warn, critical, stop, softStop = "soft stop", liquidation }
        public var time: Int64
        public var kind: Kind
        /// `margin ratio`, `BTCUSDT stop`: what happened, short.
        public var label: String
    }

    /// The points so far, with the steps still being merged into the next one (so the last
    /// step — a liquidation — always shows).
    public var points: [Point] { pending.map { stored + [$0] } ?? stored }
    private var stored: [Point] = []
    public private(set) var markers: [Marker] = []
    public let capacity: Int
    public let markerCapacity: Int
    /// Steps merged into each point from now on (doubles each time the points are halved).
    private var stride = 1
    private var pending: Point?
    private var pendingCount = 0

    public init(capacity: Int = 4_096, markerCapacity: Int = 2_000) {
        self.capacity = max(16, capacity)
        self.markerCapacity = max(1, markerCapacity)
        stored.reserveCapacity(self.capacity)
    }

    /// The account at the end of a time step. - Returns: whether a point was added (a step
    /// merged into the next is not).
    @discardableResult
    public mutating func add(time: Int64, equity: Double, marginRatio: Double?) -> Bool {
        let point = Point(time: time, equity: equity, marginRatio: marginRatio)
        pending = pending.map { Self.merge($0, point) } ?? point
        pendingCount += 1
        guard pendingCount >= stride, let p = pending else { return false }
        stored.append(p)
        (pending, pendingCount) = (nil, 0)
        if stored.count >= capacity { halve() }
        return true
    }

    /// A marker for an event (alerts raised, stops, the soft stop, liquidations; not clears).
    public mutating func mark(_ event: SessionEvent) {
        let marker: Marker
        switch event {
        case .alert(let a):
            guard a.state == .raised else { return }
            marker = Marker(time: a.time, kind: a.level == .critical ? .critical : .warn,
                            label: a.rule.shortName + (a.symbol.map { " \($0)" } ?? ""))
        case let .stopLoss(time, symbol, _, _): marker = Marker(time: time, kind: .stop, label: "\(symbol) stop")
        case let .softStop(time, _, _): marker = Marker(time: time, kind: .softStop, label: "soft stop")
        case let .liquidation(time, scope, symbol, _, _):
            marker = Marker(time: time, kind: .liquidation, label: scope == .account ? "LIQUIDATED" : "\(symbol ?? "") liquidated")
        }
        // The first ones and the worst are what a chart must show: past the capacity, warns go first.
        if markers.count >= markerCapacity {
            guard let i = markers.firstIndex(where: { $0.kind == .warn }) else { return }
            markers.remove(at: i)
        }
        markers.append(marker)
    }

    /// Starts over (a rewound replay).
    public mutating func reset() {
        stored.removeAll(keepingCapacity: true)
        markers.removeAll()
        (stride, pending, pendingCount) = (1, nil, 0)
    }

    /// Points at `time` or later (binary search: the points are in time order).
    public func points(since time: Int64) -> ArraySlice<Point> {
        let all = points
        var (low, high) = (0, all.count)
        while low < high {
            let mid = (low + high) / 2
            if all[mid].time < time { low = mid + 1 } else { high = mid }
        }
        return all[low...]
    }

    private mutating func halve() {
        var merged: [Point] = []
        merged.reserveCapacity(capacity)
        var i = 0
        while i + 1 < stored.count {
            merged.append(Self.merge(stored[i], stored[i + 1]))
            i += 2
        }
        if i < stored.count { merged.append(stored[i]) }
        // The chart still starts where the session did.
        if let first = stored.first, !merged.isEmpty { merged[0].time = first.time }
        stored = merged
        stride *= 2
    }

    /// Two neighbours as one: the later time and equity, the lower margin ratio.
    private static func merge(_ a: Point, _ b: Point) -> Point {
        let ratio: Double?
        switch (a.marginRatio, b.marginRatio) {
        case let (x?, y?): ratio = min(x, y)
        case let (x, y): ratio = x ?? y
        }
        return Point(time: b.time, equity: b.equity, marginRatio: ratio)
    }
}
