import Foundation

/// `--journal FILE`: what happened, kept. JSON lines appended and written at every line end:
/// a session's start (portfolio, feed, levels), every event (`{"type": "event", "event":
/// "alert", …the timeline's fields…}`) and a sample of the account every `every` ms of feed
/// time when something changed. Several sessions append to one journal.
public final class JournalWriter {
    public let path: String
    private let fd: Int32
    /// Feed time between samples, in ms.
    public let every: Int64
    private var lastSampleTime: Int64?
    private var lastSample: (equity: Double, ratio: Double?, upnl: Double)?
    /// Set by an event: its step is sampled whatever the interval (a summary must see the
    /// step of a stop or a liquidation).
    private var eventInStep = false
    /// Set when a write failed (a full disk): said once, by the caller.
    public private(set) var failure: String?

    public init(path: String, every: Int64 = 10_000) throws {
        self.path = path
        self.every = max(1, every)
        let (fd, _) = try AppendingFile.open(path)
        self.fd = fd
        // A journal whose last writer was killed mid-line goes on from a fresh line.
        if AppendingFile.endsMidLine(path) { AppendingFile.write(fd, [10]) }
    }

    deinit { close(fd) }

    /// The line that starts a session.
    public func start(portfolio: String, feed: String, thresholds: AlertThresholds, wallTime: Int64) {
        write(.object([
            ("type", .string("session")), ("started", .string(TimeText.iso(wallTime))), ("portfolio", .string(portfolio)),
            ("feed", .string(feed)), ("levels", Self.levels(thresholds)),
        ]))
    }

    /// One event: the timeline's JSON fields, with what the journal needs to print it again
    /// (`now` of a change, `closed_all` of a soft stop).
    public func event(_ e: SessionEvent) {
        guard case .object(var fields) = TimelineJSON.event(e) else { return }
        if let i = fields.firstIndex(where: { $0.0 == "type" }) { fields[i].0 = "event" }
        switch e {
        case .alert(let a): fields.append(("now", .string(a.now.rawValue)))
        case .softStop(_, _, let closedAll): fields.append(("closed_all", .bool(closedAll)))
        default: break
        }
        write(.object([("type", .string("event"))] + fields))
        eventInStep = true
    }

    /// A sample of the account at feed time `time`, when `every` has passed since the last and
    /// the account changed.
    public func sample(time: Int64, engine: Engine) {
        let forced = eventInStep
        eventInStep = false
        // Forward in feed time only: a replay rewound and played again adds no samples.
        if let last = lastSampleTime {
            let (gap, overflow) = time.subtractingReportingOverflow(last)
            guard time > last, overflow || gap >= every || forced else { return }
        }
        let t = engine.totals
        let now = (equity: t.equity, ratio: t.marginRatio, upnl: t.crossUnrealizedPnl + t.isolatedUnrealizedPnl)
        if !forced, let before = lastSample, before.equity == now.equity, before.ratio == now.ratio, before.upnl == now.upnl {
            lastSampleTime = time
            return
        }
        lastSampleTime = time
        lastSample = now
        write(.object([
            ("type", .string("sample")), ("time", .string(TimeText.iso(time))), ("equity", .number(t.equity)),
            ("margin_ratio", .number(t.marginRatio)), ("free_margin_pct", .number(t.freeMarginPct)),
            ("unrealized_pnl", .number(now.upnl)), ("account_shock_pct", .number(engine.accountShockPct())),
        ]))
    }

    /// The session's end: its own lowest margin ratio (taken at each step's marks before its
    /// closes, which a sample after the step cannot see) and its drawdown.
    public func finish(_ summary: SessionSummary) {
        func time(_ t: Int64?) -> JSONValue { .string(t.map(TimeText.iso)) }
        write(.object([
            ("type", .string("session_end")), ("min_margin_ratio", .number(summary.minMarginRatio)),
            ("min_margin_ratio_time", time(summary.minMarginRatioTime)), ("max_drawdown_pct", .number(summary.maxDrawdownPct)),
        ]))
    }

    /// The levels as the `alerts:` block spells them.
    static func levels(_ t: AlertThresholds) -> JSONValue {
        var groups: [(String, JSONValue)] = []
        for d in ThresholdSchema.descriptors {
            let value: JSONValue = d.number(in: t).map { .number($0) } ?? .string(d.text(in: t))
            if d.path.count == 1 {
                groups.append((d.path[0], value))
            } else if let i = groups.firstIndex(where: { $0.0 == d.path[0] }), case .object(var inner) = groups[i].1 {
                inner.append((d.path[1], value))
                groups[i].1 = .object(inner)
            } else {
                groups.append((d.path[0], .object([(d.path[1], value)])))
            }
        }
        return .object(groups)
    }

    private func write(_ value: JSONValue) {
        guard failure == nil else { return }
        if !AppendingFile.write(fd, Array((value.rendered + "\n").utf8)) {
            failure = "\(path): cannot write: \(String(cString: strerror(errno)))"
        }
    }
}
