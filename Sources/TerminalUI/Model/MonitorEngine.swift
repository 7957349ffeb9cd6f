import DequeModule
import Foundation
import MarginKit

/// The live engine behind the screen: paces a `FeedDriver` by the feed clock (a multiple of
/// wall time, or as fast as it goes), keeps the alert log, and notes which marks moved. No
/// terminal here, so the whole monitor can be driven and tested without one.
public final class MonitorEngine {
    public let loaded: LoadedPortfolio
    public let driver: FeedDriver
    public var speed: FeedSpeed
    public var paused = false
    /// Newest last; the oldest dropped past `logLimit`.
    public private(set) var log = Deque<LogEntry>()
    /// The soft stop or liquidation that must stay on screen.
    public private(set) var banner: LogEntry?
    /// Criticals raised so far (the app rings the bell when it grows).
    public private(set) var criticalCount = 0
    /// The feed clock: tick times up to this have been applied (ms).
    public private(set) var feedTime: Int64?
    /// Wall time (seconds) of the last tick applied, for "stale" detection.
    public private(set) var lastTickWall: Double?
    /// Direction and wall time of the last change of each symbol's mark (for ▲▼).
    public private(set) var markChanges: [String: (up: Bool, wall: Double)] = [:]

    static let logLimit = 5_000
    private var lastWall: Double?
    private var lastMarks: [Double]

    /// - Throws: `MarginWatchError` for a tape or recording that cannot be opened.
    public init(loaded: LoadedPortfolio, source: FeedOrigin, speed: FeedSpeed, recordPath: String? = nil,
                from: Int64? = nil, to: Int64? = nil, strict: Bool = false, startTime: Int64) throws {
        self.loaded = loaded
        self.speed = speed
        driver = try FeedDriver(portfolio: loaded.portfolio, origin: source, window: FeedWindow(from: from, to: to),
                                strict: strict, measureSpan: true, recordPath: recordPath, startTime: startTime)
        lastMarks = driver.replay.session.engine.marks
    }

    // MARK: what the screen reads

    public var source: FeedOrigin { driver.origin }
    public var replay: Replay { driver.replay }
    public var thresholds: AlertThresholds { driver.thresholds }
    public var evaluation: Evaluation { driver.replay.session.engine.evaluate() }
    public var summary: SessionSummary { driver.replay.session.summary }
    public var lastTickTime: Int64? { driver.lastTickTime }
    public var ended: Bool { driver.ended }
    public var canRewind: Bool { driver.canRewind }
    public var windowRange: TapeSpan.Range? { driver.windowRange }
    /// Whether the tapes' time range has been measured.
    public var spanKnown: Bool { driver.span?.isDone == true }
    /// Waits until the tapes' time range is known (tests).
    public func waitForTapeSpan() { _ = driver.span?.wait() }
    /// Bad lines and warnings of the input read so far (shown live: a feed losing lines must not look healthy).
    public var tapeWarnings: [String] { driver.counters.warnings }
    public var badLines: Int { driver.counters.badLines }

    /// The feed's error for the one status line, the tape named by its file name so the line
    /// and the reason fit (the full path is what the user typed; the name is enough to find it).
    public var feedError: String? {
        guard let error = driver.error else { return nil }
        guard case .invalidContent(var location, let message)? = error as? MarginWatchError else { return "\(error)" }
        location.file = (location.file as NSString).lastPathComponent
        return MarginWatchError.invalidContent(location, message).description
    }

    /// The replay's position in tape time (0 at the window's first tick, 1 at its last), for the
    /// progress bar; nil while unknown (standard input, the range still being read).
    public var progress: Double? {
        guard let range = windowRange else { return nil }
        guard let now = feedTime ?? lastTickTime else { return 0 }
        guard range.last > range.first else { return ended ? 1 : 0 }
        return min(1, max(0, Double(now - range.first) / Double(range.last - range.first)))
    }

    // MARK: pacing

    /// Applies every tick due at wall time `wall` (seconds, monotonic): the feed clock advances by
    /// the elapsed wall time × speed unless paused; a live source's ticks apply as they arrive.
    /// At `max` speed, or a speed the machine cannot keep, it works for about `budget` seconds
    /// and the clock waits for the ticks instead of freezing the screen.
    /// - Returns: whether anything was applied.
    @discardableResult
    public func pump(wall: Double, budget: Double = 0.03) -> Bool {
        let elapsed = lastWall.map { max(0, wall - $0) } ?? 0
        lastWall = wall
        defer { driver.flushRecording() }
        let limit: Int64
        if source.isLive {
            limit = .max
        } else {
            if feedTime == nil {
                // The first step shows at once.
                guard let first = driver.nextTickTime() else {
                    driver.advance(through: .min, deadline: 0, onEvent: record)  // notes the end of an empty input
                    return false
                }
                feedTime = first
            } else if !paused, case .times(let x) = speed {
                feedTime = (feedTime ?? 0) + Int64((elapsed * x * 1000).rounded())
            }
            if paused && lastTickTime != nil { return false }
            limit = speed == .max ? .max : feedTime ?? .min
        }
        let (applied, cutShort) = driver.advance(through: limit, deadline: wall + budget, onEvent: record)
        if source.isLive || speed == .max || cutShort { feedTime = lastTickTime ?? feedTime }
        if applied > 0 { noteMarkChanges(wall: wall) }
        return applied > 0
    }

    // MARK: controls

    /// Changes the alert levels and judges the rules at once.
    public func setThresholds(_ new: AlertThresholds) { driver.setThresholds(new, onEvent: record) }

    /// Applies the ticks of the next time step only, then pauses (replay).
    public func stepForward(wall: Double) {
        paused = true
        guard let time = driver.stepForward(onEvent: record) else { return }
        feedTime = time
        noteMarkChanges(wall: wall)
    }

    /// Goes back one time step: replays the tape from its start up to the step before (replay).
    public func stepBack(wall: Double) {
        guard let previous = driver.previousStepTime else { return }
        go(to: previous, wall: wall)
    }

    /// Seeks by a share of the tapes' time span (`]` +5%, `[` −5%), clamped to both ends.
    /// - Returns: false while the span is still being measured (nothing moves; the UI says so).
    @discardableResult
    public func seek(by fraction: Double, wall: Double) -> Bool {
        // After a --strict error only going back (reading again from the start) is allowed.
        guard driver.error == nil || (fraction < 0 && canRewind) else { return true }
        guard spanKnown, let range = windowRange else { return false }
        let length = Double(range.last - range.first)
        let now = feedTime ?? range.first
        go(to: min(range.last, max(range.first, now + Int64((fraction * length).rounded()))), wall: wall)
        return true
    }

    /// Shows the account as it was at `time`: every tick up to it applied, then paused.
    public func go(to time: Int64, wall: Double) {
        let jump = driver.go(to: time, onRewind: {
            // A fresh session: its log starts over with it.
            log.removeAll()
            banner = nil
            criticalCount = 0
        }, onEvent: record)
        guard jump != .refused else { return }
        paused = true
        feedTime = max(time, lastTickTime ?? time)
        if jump == .rewound { lastMarks = Array(repeating: .nan, count: lastMarks.count) }
        noteMarkChanges(wall: wall)
    }

    /// Flushes a recording (on every way out).
    public func close() { driver.flushRecording(force: true) }

    // MARK: internals

    private func record(_ event: SessionEvent) {
        let entry = LogEntry(event)
        log.append(entry)
        if log.count > Self.logLimit { log.removeFirst() }
        if entry.level == .critical && entry.kind != .cleared { criticalCount += 1 }
        if entry.kind == .softStop || entry.kind == .liquidation { banner = entry }
    }

    /// After ticks were applied: when, and which marks moved which way.
    private func noteMarkChanges(wall: Double) {
        lastTickWall = wall
        let engine = driver.replay.session.engine
        for (s, mark) in engine.marks.enumerated() where mark != lastMarks[s] && !lastMarks[s].isNaN {
            markChanges[engine.symbols[s]] = (mark > lastMarks[s], wall)
        }
        lastMarks = engine.marks
    }
}
