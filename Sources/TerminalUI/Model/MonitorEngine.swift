import Foundation
import MarginKit

/// The live engine behind the screen: pulls ticks from its source at the pace of the feed
/// clock, runs them through the session, and keeps the alert log. No terminal here, so the
/// whole monitor can be driven and tested without one.
public final class MonitorEngine {
    public let loaded: LoadedPortfolio
    public let source: MonitorSource
    public private(set) var replay: Replay
    public var speed: FeedSpeed
    public var paused = false
    /// Newest last; bounded.
    public private(set) var log: [LogEntry] = []
    /// The soft stop or liquidation that must stay on screen.
    public private(set) var banner: LogEntry?
    /// Criticals raised so far (the app rings the bell when it grows).
    public private(set) var criticalCount = 0
    /// The feed clock: tick times up to this have been applied (ms).
    public private(set) var feedTime: Int64?
    public private(set) var firstTickTime: Int64?
    public private(set) var lastTickTime: Int64?
    /// Wall time (seconds) of the last tick applied, for "stale" detection.
    public private(set) var lastTickWall: Double?
    /// The input has ended (tape over, standard input closed).
    public private(set) var ended = false
    /// A fatal feed problem (a `--strict` bad line …), shown and kept.
    public private(set) var feedError: String?
    /// Direction and wall time of the last change of each symbol's mark (for ▲▼).
    public private(set) var markChanges: [String: (up: Bool, wall: Double)] = [:]
    public private(set) var thresholds: AlertThresholds

    static let logLimit = 5_000
    private var table: SymbolTable
    private var pending: Tick?
    private var market: SimulatedMarket?
    private var tapes: [TapeReader] = []
    private var merger: TickMerger?
    private var stdin: PrefetchingSource<TapeReader>?
    private var stdinBatch: [Tick] = []
    private var stdinIndex = 0
    private let recorder: TapeRecorder?
    private var lastWall: Double?
    private var stepTimes: [Int64] = []
    private let window: (from: Int64?, to: Int64?)
    /// A bad tape line stops the feed (shown as a feed error) instead of being skipped.
    private let strict: Bool
    private var lastMarks: [Double]
    /// The tapes' time range, for progress and seeking (found on a thread of its own).
    private var span: TapeSpan?

    /// - Throws: `MarginWatchError` for a tape or recording that cannot be opened.
    public init(loaded: LoadedPortfolio, source: MonitorSource, speed: FeedSpeed, recordPath: String? = nil,
                from: Int64? = nil, to: Int64? = nil, strict: Bool = false, startTime: Int64) throws {
        self.strict = strict
        self.loaded = loaded
        self.source = source
        self.speed = speed
        window = (from, to)
        thresholds = loaded.portfolio.alerts
        table = SymbolTable()
        replay = try Replay(portfolio: loaded.portfolio, symbols: table, from: from, to: to)
        lastMarks = replay.session.engine.marks
        let symbols = table
        recorder = try recordPath.map { try TapeRecorder(path: $0, symbols: symbols) }
        try openSource(startTime: startTime)
    }

    private func openSource(startTime: Int64) throws {
        switch source {
        case .simulated:
            let interval = loaded.portfolio.feed.intervalMs
            market = SimulatedMarket.forPortfolio(loaded.portfolio, table: table, startTime: startTime / interval * interval)
        case .tapes(let specs):
            tapes = try specs.map { try TapeReader(spec: $0, symbols: table, strict: strict) }
            merger = TickMerger(tapes)
            if span == nil { span = TapeSpan(specs) }
        case .standardInput:
            let table = self.table
            let strict = self.strict
            stdin = PrefetchingSource { try TapeReader(spec: TapeSpec(path: "-"), symbols: table, strict: strict) }
        }
    }

    /// The current evaluation (all figures, liquidation prices).
    public var evaluation: Evaluation { replay.session.engine.evaluate() }

    public var summary: SessionSummary { replay.session.summary }

    /// The replay's position in tape time (0 at the window's first tick, 1 at its last), for the
    /// progress bar; nil while unknown (standard input, the range still being read).
    public var progress: Double? {
        guard let range = windowRange else { return nil }
        guard let now = feedTime ?? lastTickTime else { return 0 }
        guard range.last > range.first else { return ended ? 1 : 0 }
        return min(1, max(0, Double(now - range.first) / Double(range.last - range.first)))
    }

    /// Whether the tapes' time range has been measured.
    public var spanKnown: Bool { span?.isDone == true }

    /// Waits until the tapes' time range is known (tests).
    public func waitForTapeSpan() { _ = span?.wait() }

    /// The tapes' time range cut to `--from/--to`.
    public var windowRange: TapeSpan.Range? {
        guard var r = span?.range else { return nil }
        if let from = window.from { r.first = max(r.first, from) }
        if let to = window.to { r.last = min(r.last, to) }
        return r.first <= r.last ? r : nil
    }

    /// Bad lines and warnings of the tapes read so far.
    public var tapeWarnings: [String] { tapes.flatMap(\.warnings) + (stdin?.counters.warnings ?? []) }

    /// Bad lines skipped so far (shown live: a feed losing lines must not look healthy).
    public var badLines: Int { tapes.reduce(0) { $0 + $1.badLines } + (stdin?.counters.badLines ?? 0) }

    // MARK: pumping

    /// Applies every tick due at wall time `wall` (seconds, monotonic): the feed clock advances by
    /// the elapsed wall time × speed unless paused. At `max` speed it works for about `budget`
    /// seconds, so keys are still read in time.
    /// - Returns: whether anything was applied.
    @discardableResult
    public func pump(wall: Double, budget: Double = 0.03) -> Bool {
        defer {
            lastWall = wall
            recorder?.flushIfDue()
        }
        guard !ended || source == .standardInput, feedError == nil else { return false }
        if case .standardInput = source { return pumpStandardInput(wall: wall) }
        let elapsed = lastWall.map { max(0, wall - $0) } ?? 0
        var applied = false
        do {
            if feedTime == nil {
                // The first step shows at once.
                guard let first = try peek() else { return finishIfEnded() }
                feedTime = first.time
            } else if !paused, case .times(let x) = speed {
                feedTime = (feedTime ?? 0) + Int64((elapsed * x * 1000).rounded())
            }
            if paused && lastTickTime != nil { return false }
            if case .max = speed, !paused {
                let deadline = wall + budget
                var count = 0
                while let tick = try peek() {
                    apply(tick, wall: wall)
                    applied = true
                    count += 1
                    if count & 1023 == 0 && Self.now() > deadline { break }
                }
                feedTime = lastTickTime
            } else {
                // A speed the machine cannot keep up with degrades to `max`: the clock waits for
                // the ticks instead of freezing the screen.
                let limit = feedTime ?? .min
                let deadline = wall + budget
                var count = 0
                while let tick = try peek(), tick.time <= limit {
                    apply(tick, wall: wall)
                    applied = true
                    count += 1
                    if count & 1023 == 0 && Self.now() > deadline {
                        feedTime = lastTickTime
                        break
                    }
                }
            }
            closeStepIfComplete()
        } catch {
            feedError = Self.shortDescription(error)
        }
        _ = finishIfEnded()
        if applied { noteMarkChanges(wall: wall) }
        return applied
    }

    private func pumpStandardInput(wall: Double) -> Bool {
        guard let stdin else { return false }
        var applied = false
        do {
            while true {
                if stdinIndex == stdinBatch.count {
                    stdinBatch.removeAll(keepingCapacity: true)
                    stdinIndex = 0
                    let (got, over) = try stdin.poll(into: &stdinBatch)
                    if over { ended = true }
                    if !got { break }
                }
                apply(stdinBatch[stdinIndex], wall: wall)
                stdinIndex += 1
                applied = true
            }
        } catch {
            feedError = Self.shortDescription(error)
        }
        // A live stream cannot say whether more ticks of this time will come: close the step now.
        if applied {
            replay.finish(onEvent: record)
            feedTime = lastTickTime
            noteMarkChanges(wall: wall)
        }
        return applied
    }

    private func peek() throws -> Tick? {
        while pending == nil {
            if var m = market {
                pending = m.next()
                market = m
            } else if var merged = merger {
                pending = try merged.next()
                merger = merged
            }
            guard let tick = pending else { return nil }
            // Outside --from/--to nothing is applied: skip ahead instead of pacing through it.
            if let from = window.from, tick.time < from { pending = nil; continue }
            if let to = window.to, tick.time > to { pending = nil; continue }
        }
        return pending
    }

    private func apply(_ tick: Tick, wall: Double) {
        pending = nil
        if firstTickTime == nil { firstTickTime = tick.time }
        if lastTickTime != tick.time {
            stepTimes.append(tick.time)
            if stepTimes.count > 100_000 { stepTimes.removeFirst(50_000) }
        }
        lastTickTime = tick.time
        lastTickWall = wall
        recorder?.record(tick)
        replay.apply(tick, onEvent: record)
    }

    /// Closes the open step unless the next tick (already peeked) belongs to it.
    private func closeStepIfComplete() {
        guard let open = replay.openStepTime else { return }
        if let next = pending, next.time == open { return }
        replay.finish(onEvent: record)
    }

    private func finishIfEnded() -> Bool {
        if case .simulated = source { return false }
        guard pending == nil, !ended, feedError == nil else { return false }
        do {
            guard try peek() == nil else { return false }
        } catch {
            feedError = Self.shortDescription(error)
            return false
        }
        replay.finish(onEvent: record)
        ended = true
        recorder?.flush()
        return true
    }

    private func record(_ event: SessionEvent) {
        let entry = LogEntry(event)
        log.append(entry)
        if log.count > Self.logLimit { log.removeFirst(log.count - Self.logLimit) }
        if entry.level == .critical && entry.kind != .cleared { criticalCount += 1 }
        if entry.kind == .softStop || entry.kind == .liquidation { banner = entry }
    }

    private func noteMarkChanges(wall: Double) {
        let engine = replay.session.engine
        for (s, mark) in engine.marks.enumerated() where mark != lastMarks[s] {
            markChanges[engine.symbols[s]] = (mark > lastMarks[s], wall)
        }
        lastMarks = engine.marks
    }

    /// A feed error for the one status line: the tape named by its file name, so the line and
    /// the reason fit (the full path is what the user typed; the name is enough to find it).
    static func shortDescription(_ error: Error) -> String {
        guard case .invalidContent(var location, let message)? = error as? MarginWatchError else { return "\(error)" }
        location.file = (location.file as NSString).lastPathComponent
        return MarginWatchError.invalidContent(location, message).description
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    // MARK: controls

    /// Changes the alert levels and judges the rules at once.
    public func setThresholds(_ new: AlertThresholds) {
        thresholds = new
        replay.setThresholds(new, time: lastTickTime ?? 0, onEvent: record)
    }

    /// Applies the ticks of the next time step only, then pauses (replay).
    public func stepForward(wall: Double) {
        paused = true
        guard feedError == nil else { return }
        var stepped: Int64?
        feedErrorGuard {
            guard let first = try peek() else { return }
            stepped = first.time
            while let tick = try peek(), tick.time == first.time { apply(tick, wall: wall) }
        }
        guard let stepped else { _ = finishIfEnded(); return }
        settle(at: stepped, wall: wall)
    }

    /// Goes back one time step: replays the tape from its start up to the step before (replay).
    public func stepBack(wall: Double) {
        guard canRewind, stepTimes.count >= 2 else { return }
        go(to: stepTimes[stepTimes.count - 2], wall: wall)
    }

    /// Seeks by a share of the tapes' time span (`]` +5%, `[` −5%), clamped to both ends.
    /// - Returns: false while the span is still being measured (nothing moves; the UI says so).
    @discardableResult
    public func seek(by fraction: Double, wall: Double) -> Bool {
        // After a --strict error only going back (reading again from the start) is allowed.
        guard feedError == nil || (fraction < 0 && canRewind) else { return true }
        guard span?.isDone == true, let range = windowRange else { return false }
        let length = Double(range.last - range.first)
        let now = feedTime ?? range.first
        let target = min(range.last, max(range.first, now + Int64((fraction * length).rounded())))
        go(to: target, wall: wall)
        return true
    }

    /// Shows the account as it was at `time`: every tick up to it applied, then paused.
    public func go(to time: Int64, wall: Double) {
        // After a --strict error the feed has stopped: nothing past the bad line is applied
        // (going back, which reads the tapes again from the start, still works).
        guard feedError == nil || (canRewind && time < (lastTickTime ?? .max)) else { return }
        if let last = lastTickTime, time < last {
            guard canRewind else { return }
            restart()
        }
        paused = true
        feedErrorGuard { while let tick = try peek(), tick.time <= time { apply(tick, wall: wall) } }
        settle(at: max(time, lastTickTime ?? time), wall: wall)
    }

    /// Runs a jump; a tape error (a `--strict` bad line) stops the feed and is shown, never dropped.
    private func feedErrorGuard(_ body: () throws -> Void) {
        do { try body() } catch { feedError = Self.shortDescription(error) }
    }

    /// After a jump (step, seek, go to): close the step, set the clock there, note moved marks.
    private func settle(at time: Int64?, wall: Double) {
        replay.finish(onEvent: record)
        feedTime = time
        noteMarkChanges(wall: wall)
        _ = finishIfEnded()
    }

    /// Whether the tapes can be read again from the start (standard input cannot).
    public var canRewind: Bool {
        guard case .tapes(let specs) = source else { return false }
        return specs.allSatisfy(\.isRegularFile)
    }

    /// Starts the tapes over with a fresh session (the current alert levels kept).
    private func restart() {
        guard canRewind else { return }
        table = SymbolTable()
        let fresh: Replay
        do {
            fresh = try Replay(portfolio: loaded.portfolio, symbols: table, from: window.from, to: window.to)
            try openSource(startTime: 0)
        } catch {
            feedError = Self.shortDescription(error)
            return
        }
        replay = fresh
        feedError = nil
        if thresholds != loaded.portfolio.alerts { replay.replaceThresholds(thresholds) }
        pending = nil
        log.removeAll()
        banner = nil
        criticalCount = 0
        feedTime = nil
        firstTickTime = nil
        lastTickTime = nil
        ended = false
        stepTimes.removeAll()
        lastMarks = replay.session.engine.marks
    }

    /// Flushes a recording (on every way out).
    public func close() { recorder?.flush() }
}
