/// Drives a `RiskSession` from a tick source, one time step at a time, as fast as it can:
/// the engine of `replay --headless` and of `record`-then-replay checks.
public struct Replay {
    public private(set) var session: RiskSession
    /// Maps a tick's symbol id to the engine's symbol index (−1: the portfolio does not price it).
    private var engineIndex: [Int] = []
    private let symbols: SymbolTable
    public let from: Int64
    public let to: Int64
    private var stepTime: Int64 = 0
    private var stepOpen = false
    private var events: [SessionEvent] = []

    public init(portfolio: Portfolio, symbols: SymbolTable, from: Int64? = nil, to: Int64? = nil) throws {
        session = RiskSession(engine: try Engine(portfolio: portfolio))
        self.symbols = symbols
        self.from = from ?? .min
        self.to = to ?? .max
        events.reserveCapacity(16)
    }

    /// Applies one tick; when it starts a new time, the previous step is finished first and
    /// its events are passed to `onEvent`. Ticks outside the window are not applied.
    /// - Complexity: O(positions on the tick's symbol), plus one step evaluation per distinct time.
    @inline(__always)
    public mutating func apply(_ tick: Tick, onEvent: (SessionEvent) throws -> Void) rethrows {
        guard tick.time >= from, tick.time <= to else { return }
        if stepOpen && tick.time != stepTime { try finishStep(onEvent: onEvent) }
        stepTime = tick.time
        stepOpen = true
        session.countTick(time: tick.time)
        let id = Int(tick.symbol)
        if id >= engineIndex.count { extendIndex(through: id) }
        let s = engineIndex[id]
        if s >= 0 { session.apply(price: tick.price, symbolIndex: s) }
    }

    /// Finishes the last open step (call once at the end of the input).
    public mutating func finish(onEvent: (SessionEvent) throws -> Void) rethrows {
        if stepOpen { try finishStep(onEvent: onEvent) }
        stepOpen = false
    }

    /// Runs a whole source. - Returns: the summary.
    public mutating func run<S: TickSource>(_ source: inout S, onEvent: (SessionEvent) throws -> Void) throws -> SessionSummary {
        var batch: [Tick] = []
        batch.reserveCapacity(8_192)
        while try source.nextBatch(into: &batch) {
            for tick in batch { try apply(tick, onEvent: onEvent) }
            batch.removeAll(keepingCapacity: true)
        }
        try finish(onEvent: onEvent)
        return session.summary
    }

    public mutating func setBadLines(_ count: Int) { session.setBadLines(count) }

    /// The time of the step still open (ticks applied, not yet evaluated), if any.
    public var openStepTime: Int64? { stepOpen ? stepTime : nil }

    /// Replaces the alert levels; the rules are judged at the next step.
    public mutating func replaceThresholds(_ thresholds: AlertThresholds) {
        session.setThresholds(thresholds)
    }

    /// Replaces the alert levels and judges the rules at once at the current marks, so a new
    /// level shows immediately even while the feed is paused.
    public mutating func setThresholds(_ thresholds: AlertThresholds, time: Int64, onEvent: (SessionEvent) throws -> Void) rethrows {
        session.setThresholds(thresholds)
        events.removeAll(keepingCapacity: true)
        session.judgeRules(time: time, into: &events)
        for e in events { try onEvent(e) }
    }

    private mutating func finishStep(onEvent: (SessionEvent) throws -> Void) rethrows {
        events.removeAll(keepingCapacity: true)
        session.step(time: stepTime, into: &events)
        for e in events { try onEvent(e) }
    }

    private mutating func extendIndex(through id: Int) {
        while engineIndex.count <= id {
            engineIndex.append(session.engine.index(of: symbols.name(Int32(engineIndex.count))) ?? -1)
        }
    }
}
