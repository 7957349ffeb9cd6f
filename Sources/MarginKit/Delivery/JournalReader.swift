import Foundation

/// Reads a journal back (`marginwatch journal`): its sessions, events and samples, in file
/// order. A line cut short (a killed process) or not a journal line is skipped with a warning
/// naming file:line, as a tape's bad line is.
public struct JournalReader {
    public struct Sample: Sendable, Equatable {
        public var time: Int64
        public var equity: Double
        public var marginRatio: Double?
    }

    public private(set) var sessions = 0
    public private(set) var events: [SessionEvent] = []
    /// The samples in the window, taken in as they are read (a journal may hold millions).
    public private(set) var samples = SampleSummary()
    public private(set) var warnings: [String] = []
    /// Lines skipped beyond the warnings shown.
    public private(set) var suppressed = 0

    /// - Throws: `MarginWatchError.cannotOpen` when the file cannot be read.
    /// Longer lines are no journal's (its longest are a few hundred bytes).
    static let longestLine = 1 << 20

    public init(path: String, from: Int64? = nil, to: Int64? = nil) throws {
        try MarginWatchError.requireFile(path, kind: "journal")
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot open: not readable")
        }
        defer { try? handle.close() }
        let inWindow = { (t: Int64) in (from.map { t >= $0 } ?? true) && (to.map { t <= $0 } ?? true) }
        var lineNumber = 0
        // JSONDecoder, not JSONSerialization: only it reads every double back exactly, so the
        // events print as the replay printed them.
        let decoder = JSONDecoder()
        // Read a megabyte at a time, line by line: memory does not grow with the journal.
        var pending: [UInt8] = []
        var lines: [ArraySlice<UInt8>] = []
        var next = 0
        var atEnd = false
        func nextLine() throws -> ArraySlice<UInt8>? {
            while next == lines.count && !atEnd {
                (lines, next) = ([], 0)
                let chunk: Data?
                do {
                    chunk = try handle.read(upToCount: 1 << 20)
                } catch {
                    // A disk error is not the end of the journal: the summary would be short.
                    throw MarginWatchError.cannotOpen(path: path, reason: "cannot read: \((error as NSError).localizedDescription)")
                }
                if let chunk, !chunk.isEmpty {
                    // Only the new bytes are searched for a line end (never the pile again).
                    if let end = chunk.lastIndex(of: 10) {
                        pending += chunk[..<end]
                        lines = pending.split(separator: 10, omittingEmptySubsequences: false)
                        pending = Array(chunk[(end + 1)...])
                    } else {
                        pending += chunk
                    }
                    // A line no journal writes: its head is kept for the line count, the rest dropped.
                    if pending.count > Self.longestLine { pending.removeSubrange(Self.longestLine...) }
                } else {
                    atEnd = true
                    if !pending.isEmpty { lines = [pending[...]]; pending = [] }
                }
            }
            guard next < lines.count else { return nil }
            next += 1
            return lines[next - 1]
        }
        while let line = try nextLine() {
            lineNumber += 1
            guard !line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) else { continue }
            guard let entry = try? decoder.decode(Line.self, from: Data(line)), let type = entry.type else {
                skip("\(path):\(lineNumber): skipped: not a whole journal line (a session cut short?)")
                continue
            }
            if ["session", "event", "sample", "session_end"].contains(type) { readLines += 1 }
            switch type {
            case "session":
                sessions += 1
                samples.newSession()
            case "event":
                guard let event = entry.sessionEvent else {
                    skip("\(path):\(lineNumber): skipped: an event line without the fields of its kind")
                    continue
                }
                if inWindow(event.time) { events.append(event) }
            case "sample":
                guard let time = entry.time.flatMap(TimeText.parseArgument), let equity = entry.equity else {
                    skip("\(path):\(lineNumber): skipped: a sample line without its time and equity")
                    continue
                }
                if inWindow(time) { samples.add(Sample(time: time, equity: equity, marginRatio: entry.margin_ratio)) }
            case "session_end":
                // The session's own figures, when it ended cleanly (a killed one has samples only).
                if let ratio = entry.min_margin_ratio, let time = entry.min_margin_ratio_time.flatMap(TimeText.parseArgument),
                   inWindow(time) {
                    samples.add(Sample(time: time, equity: .nan, marginRatio: ratio))
                }
                if let drawdown = entry.max_drawdown_pct, from == nil, to == nil { samples.noteDrawdown(drawdown) }
            default:
                skip("\(path):\(lineNumber): skipped: unknown line type \(PrintableText.escaped(String(type.prefix(40))))")
            }
        }
        // A file with lines but none of them a journal's is not a quiet night: it is the wrong file.
        if readLines == 0 && lineNumber > 0 && !warnings.isEmpty {
            throw MarginWatchError.invalidContent(SourceLocation(file: path),
                "not a journal: none of its \(lineNumber) lines is one --journal writes (a replay's --json output? a tape?)")
        }
    }
    private var readLines = 0

    /// The lowest margin ratio and the largest fall of equity from its peak, over the samples.
    public struct SampleSummary: Sendable, Equatable {
        public private(set) var count = 0
        public private(set) var minMarginRatio: Double?
        public private(set) var minMarginRatioTime: Int64?
        public private(set) var maxDrawdownPct = 0.0
        private var peak: Double?

        /// A new session starts its own peak (another portfolio's equity is no drawdown).
        mutating func newSession() { peak = nil }

        mutating func add(_ s: Sample) {
            count += 1
            if let ratio = s.marginRatio, minMarginRatio.map({ ratio < $0 }) ?? true { (minMarginRatio, minMarginRatioTime) = (ratio, s.time) }
            guard s.equity.isFinite else { return }
            if let p = peak, p > 0 { maxDrawdownPct = max(maxDrawdownPct, 100 * (p - s.equity) / p) }
            peak = max(peak ?? s.equity, s.equity)
        }

        /// A session's own drawdown (of total equity, every step), from its end line.
        mutating func noteDrawdown(_ pct: Double) { maxDrawdownPct = max(maxDrawdownPct, pct) }
    }

    private mutating func skip(_ warning: String) {
        if warnings.count < 20 { warnings.append(warning) } else { suppressed += 1 }
    }

    /// Every field any journal line may have (each optional: a line is checked by its kind).
    struct Line: Decodable {
        // The journal's own spelling of its keys.
        // swiftlint:disable identifier_name
        var type, event, time, rule, level, state, symbol, now, side, scope: String?
        var value, threshold, correlation, price, realized_pnl, loss_pct, equity, maintenance_margin, margin_ratio: Double?
        var min_margin_ratio, max_drawdown_pct: Double?
        var min_margin_ratio_time: String?
        var symbols: [String]?
        var dissolved, closed_all: Bool?
        // swiftlint:enable identifier_name

        /// The event the line holds; nil when a field its kind needs is missing or wrong.
        var sessionEvent: SessionEvent? {
            guard let kind = event, let time = time.flatMap(TimeText.parseArgument) else { return nil }
            switch kind {
            case "alert":
                guard let rule = rule.flatMap(AlertRule.init(rawValue:)), let level = level.flatMap(AlertLevel.init(rawValue:)),
                      let state = state.flatMap(AlertChange.State.init(rawValue:)), let value, let threshold else { return nil }
                var change = AlertChange(time: time, rule: rule, level: level, state: state, symbol: symbol, value: value,
                                         threshold: threshold, now: now.flatMap(AlertLevel.init(rawValue:)) ?? .ok)
                if let symbols, let side = side.flatMap(Side.init(rawValue:)) {
                    change.group = AlertChange.GroupFacts(symbols: symbols, side: side, correlation: correlation,
                                                          dissolved: dissolved ?? false)
                }
                return .alert(change)
            case "stop_loss":
                guard let symbol, let price, let realized_pnl else { return nil }
                return .stopLoss(time: time, symbol: symbol, price: price, realizedPnl: realized_pnl)
            case "soft_stop":
                guard let loss_pct else { return nil }
                return .softStop(time: time, lossPct: loss_pct, closedAll: closed_all ?? false)
            case "liquidation":
                guard let scope = scope.flatMap(LiquidationScope.init(rawValue:)), let equity, let maintenance_margin else { return nil }
                return .liquidation(time: time, scope: scope, symbol: symbol, equity: equity, maintenanceMargin: maintenance_margin)
            default:
                return nil
            }
        }
    }
}

/// What a journal says at a glance: the worst level reached, the lowest margin ratio and when,
/// the largest fall of equity from its peak, the stops, the soft stop and the liquidation.
public struct JournalSummary: Sendable, Equatable {
    public var sessions = 0
    public var events = 0
    public var worstLevel: AlertLevel = .ok
    public var minMarginRatio: Double?
    public var minMarginRatioTime: Int64?
    public var maxDrawdownPct = 0.0
    public var stopsHit: [String] = []
    public var softStopTime: Int64?
    public var liquidationTime: Int64?

    public init(_ r: JournalReader) {
        sessions = r.sessions
        events = r.events.count
        func lower(_ ratio: Double, _ time: Int64) {
            if minMarginRatio.map({ ratio < $0 }) ?? true { (minMarginRatio, minMarginRatioTime) = (ratio, time) }
        }
        for e in r.events {
            switch e {
            case .alert(let a):
                if a.state == .raised { worstLevel = max(worstLevel, a.level) }
                if a.rule == .marginRatio { lower(a.value, a.time) }
            case .stopLoss(_, let symbol, _, _):
                stopsHit.append(symbol)
                worstLevel = .critical
            case .softStop(let t, _, _):
                softStopTime = softStopTime ?? t
                worstLevel = .critical
            case .liquidation(let t, _, _, _, _):
                liquidationTime = liquidationTime ?? t
                worstLevel = .critical
            }
        }
        if let ratio = r.samples.minMarginRatio, let time = r.samples.minMarginRatioTime { lower(ratio, time) }
        maxDrawdownPct = r.samples.maxDrawdownPct
    }

    public var json: JSONValue {
        func time(_ t: Int64?) -> JSONValue { .string(t.map(TimeText.iso)) }
        return .object([
            ("type", .string("summary")), ("sessions", .number(Double(sessions))), ("events", .number(Double(events))),
            ("worst_level", .string(worstLevel.rawValue)), ("min_margin_ratio", .number(minMarginRatio)),
            ("min_margin_ratio_time", time(minMarginRatioTime)), ("max_drawdown_pct", .number(maxDrawdownPct)),
            ("stops_hit", .array(stopsHit.map { .string($0) })), ("soft_stop_time", time(softStopTime)),
            ("liquidation_time", time(liquidationTime)),
        ])
    }

    public var text: String {
        func time(_ t: Int64?) -> String { t.map(TimeText.readable) ?? NumberFormat.none }
        let rows: [(String, String)] = [
            ("Sessions", "\(sessions)"),
            ("Events", "\(events)"),
            ("Worst level", worstLevel.rawValue.uppercased()),
            ("Lowest margin ratio", minMarginRatio.map { "\(NumberFormat.ratio($0)) at \(time(minMarginRatioTime))" } ?? NumberFormat.none),
            ("Max drawdown", NumberFormat.percent(maxDrawdownPct)),
            ("Stops hit", stopsHit.isEmpty ? NumberFormat.none : stopsHit.joined(separator: ", ")),
            ("Soft stop", time(softStopTime)),
            ("Liquidation", time(liquidationTime)),
        ]
        return (["", "SUMMARY"] + rows.map { "  " + TimelineText.pad($0.0, 23) + $0.1 }).joined(separator: "\n") + "\n"
    }
}
