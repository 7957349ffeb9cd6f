import DequeModule
import Foundation

/// Drives a session from a feed: opens the source (`FeedOrigin`), keeps to the time window,
/// applies ticks step by step, steps, rewinds and seeks where the source allows it, and owns the
/// feed's errors and its end. The headless replay runs it flat out (`runToEnd`); the monitor
/// paces it (`advance`) and jumps in it (`stepForward`, `go`). Events go to the `onEvent` the
/// caller passes in, as they happen.
public final class FeedDriver {
    public let origin: FeedOrigin
    public let window: FeedWindow
    /// The session: engine, rules and summary.
    public private(set) var replay: Replay
    /// The alert levels in force (they survive a rewind).
    public private(set) var thresholds: AlertThresholds
    /// The input is over (tapes read to the end, standard input closed).
    public private(set) var ended = false
    /// What stopped the feed (a `--strict` bad line, an I/O error); kept until a rewind.
    public private(set) var error: Error?
    public private(set) var firstTickTime: Int64?
    public private(set) var lastTickTime: Int64?
    /// The tapes' time range, measured on a thread of its own (tapes only).
    public let span: TapeSpan?

    private var portfolio: Portfolio
    private let symbols: SymbolTable
    /// The exchange connection of an `.exchange` origin.
    public let link: ExchangeLink?
    private let strict: Bool
    private let prefetch: Bool
    private let startTime: Int64
    private let recorder: TapeRecorder?
    private var source: any TickSource
    /// The source delivers ticks as they arrive (`LiveTickSource`): never waited for, never paced.
    public let live: Bool
    /// An error met while reading a batch whose earlier ticks are still to apply: raised once
    /// they are, so a `--strict` feed stops exactly at its bad line.
    private var pendingError: Error?
    /// Read ahead of what was applied: `buffer[next...]` are the ticks still to come.
    private var buffer: [Tick] = []
    private var next = 0
    /// The times of the latest steps, for stepping back (the oldest dropped past the limit).
    private var stepTimes = Deque<Int64>()
    static let stepTimesLimit = 100_000

    /// Opens the source. `prefetch` parses tapes on threads of their own (headless); `measureSpan`
    /// finds the tapes' time range in the background (the monitor's progress and seeking);
    /// `recordPath` appends every tick applied by the paced calls to a tape (`watch --record`).
    /// - Throws: `MarginWatchError` for a tape or recording that cannot be opened.
    public init(portfolio: Portfolio, origin: FeedOrigin, window: FeedWindow = FeedWindow(), strict: Bool = false,
                prefetch: Bool = false, measureSpan: Bool = false, recordPath: String? = nil, startTime: Int64 = 0,
                link: ExchangeLink? = nil) throws {
        self.portfolio = portfolio
        self.link = link
        self.origin = origin
        self.window = window
        self.strict = strict
        self.prefetch = prefetch
        self.startTime = startTime
        thresholds = portfolio.alerts
        let symbols = SymbolTable()
        self.symbols = symbols
        replay = try Self.session(portfolio, symbols, origin)
        // The recording first: when it cannot be opened, no reading thread has started yet.
        recorder = try recordPath.map { try TapeRecorder(path: $0, symbols: symbols) }
        source = try Self.open(origin, portfolio: portfolio, symbols: symbols, strict: strict, prefetch: prefetch,
                               startTime: startTime, link: link)
        if measureSpan, case .tapes(let specs) = origin { span = TapeSpan(specs) } else { span = nil }
        live = source is LiveTickSource
    }

    /// Drives any tick source whose symbol ids come from `symbols` (tests, benchmarks); read once.
    public init(portfolio: Portfolio, source: any TickSource, symbols: SymbolTable, window: FeedWindow = FeedWindow(),
                name: String = "ticks") throws {
        self.portfolio = portfolio
        origin = .other(name)
        self.window = window
        strict = false
        prefetch = false
        startTime = 0
        link = nil
        thresholds = portfolio.alerts
        self.symbols = symbols
        replay = try Replay(portfolio: portfolio, symbols: symbols)
        self.source = source
        span = nil
        recorder = nil
        live = source is LiveTickSource
    }

    /// A fresh session for this feed. Kline tapes whose names give the bar interval (`-1h`)
    /// set the correlation estimate's sample interval at least that long: a bar's four ticks are
    /// a conservative path through it, not prices seen at those times.
    private static func session(_ portfolio: Portfolio, _ symbols: SymbolTable, _ origin: FeedOrigin) throws -> Replay {
        var replay = try Replay(portfolio: portfolio, symbols: symbols)
        if case .tapes(let specs) = origin, let bar = specs.compactMap({ TapeNaming.interval(fromPath: $0.path) }).max() {
            replay.setSampleFloor(bar)
        }
        return replay
    }

    private static func open(_ origin: FeedOrigin, portfolio: Portfolio, symbols: SymbolTable, strict: Bool, prefetch: Bool,
                             startTime: Int64, link: ExchangeLink?) throws -> any TickSource {
        switch origin {
        case .simulated:
            let interval = portfolio.feed.intervalMs
            return SimulatedMarket.forPortfolio(portfolio, table: symbols, startTime: startTime / interval * interval)
        case .tapes(let specs):
            return try TapeFeed(specs, symbols: symbols, strict: strict, prefetch: prefetch)
        case .standardInput:
            // Opened on the reading thread: the first line may be a while coming.
            return PrefetchingSource { try TapeReader(spec: TapeSpec(path: "-"), symbols: symbols, strict: strict) }
        case .exchange(let name):
            guard let link else { throw MarginWatchError.usage("\(name): no connection to read from") }
            return link.ticks(for: portfolio.symbols, table: symbols)
        case .other(let name):
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "this feed cannot be opened again")
        }
    }

    /// Whether the feed can be read again from its start: tapes that are regular files can,
    /// standard input and the simulated market's live clock cannot.
    public var canRewind: Bool {
        guard case .tapes(let specs) = origin else { return false }
        return specs.allSatisfy(\.isRegularFile)
    }

    /// The tapes' time range cut to the window; nil while unknown or for sources without one.
    public var windowRange: TapeSpan.Range? {
        guard var r = span?.range else { return nil }
        if let from = window.from { r.first = max(r.first, from) }
        if let to = window.to { r.last = min(r.last, to) }
        return r.first <= r.last ? r : nil
    }

    /// Told after each time step with its time and the account (the journal's samples); kept
    /// across rewinds.
    public var afterStep: ((Int64, Engine) -> Void)? {
        didSet { replay.afterStep = afterStep }
    }

    /// The tapes' readers, for what they saw once the feed has ended (symbols, warnings, times).
    public var tapeReaders: [TapeReader] { (source as? TapeFeed)?.readers ?? [] }

    /// Whether the tapes' time range has been measured.
    public var spanKnown: Bool { span?.isDone == true }

    /// Where tick time `now` lies in the window (0 at its first tick, 1 at its last), for a
    /// progress bar; nil while unknown (standard input, the range still being measured).
    public func progress(at now: Int64?) -> Double? {
        guard let range = windowRange else { return nil }
        guard let now = now ?? lastTickTime else { return 0 }
        guard range.last > range.first else { return ended ? 1 : 0 }
        // In Double before subtracting: any Int64 time, never an overflow.
        return min(1, max(0, (Double(now) - Double(range.first)) / (Double(range.last) - Double(range.first))))
    }

    /// Bad lines and warnings of the input read so far.
    public var counters: TapeCounters { (source as? CountingTickSource)?.counters ?? TapeCounters() }

    // MARK: flat out

    /// Runs the whole feed through the session as fast as it goes (`replay --headless`): batches
    /// straight from the source, no pacing, no step history, no recording. The session runs as a
    /// local copy and is stored back at the end: `onEvent` must not read `replay`.
    /// - Returns: the summary, with the input's bad lines.
    /// - Throws: the feed's error (a `--strict` bad line, an I/O error).
    public func runToEnd(onEvent: (SessionEvent) throws -> Void) throws -> SessionSummary {
        var batch: [Tick] = []
        batch.reserveCapacity(8_192)
        // The session works on a local copy: a class's stored property would be checked for
        // exclusive access at every tick (a fifth of the replay's time).
        var session = replay
        defer { replay = session }
        do {
            var failure: Error?
            while failure == nil {
                let more: Bool
                do {
                    more = try source.nextBatch(into: &batch)
                } catch {
                    // The ticks read before the bad line still count; then the error.
                    failure = error
                    more = !batch.isEmpty
                }
                guard more else { break }
                for tick in batch where window.contains(tick.time) { try session.apply(tick, onEvent: onEvent) }
                batch.removeAll(keepingCapacity: true)
            }
            if let failure { throw failure }
            try session.finish(onEvent: onEvent)
        } catch {
            self.error = error
            throw error
        }
        ended = true
        recorder?.flush()
        var summary = session.session.summary
        summary.badLines = counters.badLines
        return summary
    }

    // MARK: paced

    /// Applies the ticks due up to tick time `limit`, working until `deadline` (monotonic
    /// seconds) at most so keys are still read in time. A step is evaluated once its last tick
    /// is in; a live source's step as soon as what has arrived is applied (it cannot say whether
    /// more of that time will come).
    /// - Returns: how many ticks were applied, and whether the deadline cut the work short.
    @discardableResult
    public func advance(through limit: Int64, deadline: Double, onEvent: (SessionEvent) -> Void) -> (applied: Int, cutShort: Bool) {
        guard error == nil, !ended else { return (0, false) }
        var applied = 0
        var cutShort = false
        let read = attempt {
            while let tick = try peek(), tick.time <= limit {
                apply(tick, onEvent: onEvent)
                applied += 1
                if applied & 1023 == 0 && Self.now() > deadline {
                    cutShort = true
                    break
                }
            }
            if live {
                if applied > 0 { replay.finish(onEvent: onEvent) }
            } else if let open = replay.openStepTime, try peek()?.time != open {
                replay.finish(onEvent: onEvent)
            }
        }
        // After an error what was applied is evaluated, as after a jump: the screen shows the
        // account as of the last good line.
        guard read else {
            replay.finish(onEvent: onEvent)
            return (applied, cutShort)
        }
        finishIfEnded(onEvent: onEvent)
        return (applied, cutShort)
    }

    /// The time of the next tick to apply; nil at the end (or, live, when none has arrived).
    public func nextTickTime() -> Int64? {
        guard error == nil else { return nil }
        var time: Int64?
        attempt { time = try peek()?.time }
        return time
    }

    // MARK: jumps (replay)

    /// Applies the next time step whole and evaluates it. - Returns: its time; nil at the end.
    @discardableResult
    public func stepForward(onEvent: (SessionEvent) -> Void) -> Int64? {
        guard error == nil else { return nil }
        var stepped: Int64?
        attempt {
            guard let first = try peek() else { return }
            stepped = first.time
            while let tick = try peek(), tick.time == first.time { apply(tick, onEvent: onEvent) }
        }
        settle(onEvent: onEvent)
        return stepped
    }

    /// The time of the step before the one shown, if the feed can go back to it.
    public var previousStepTime: Int64? {
        canRewind && stepTimes.count >= 2 ? stepTimes[stepTimes.count - 2] : nil
    }

    /// What a jump did.
    public enum Jump: Equatable {
        /// Forward from where it was.
        case forward
        /// Back: the feed was read again from its start, with a fresh session (same levels).
        case rewound
        /// Not possible: the source cannot go back, or a feed error stops it going on.
        case refused
    }

    /// Shows the account as it was at `time`: every tick up to it applied, the step evaluated.
    /// Going back reads the feed again from its start (tapes only). After a feed error only going
    /// back is possible: nothing past the bad line is ever applied. `onRewind` runs when the
    /// fresh session starts, before its events.
    @discardableResult
    public func go(to time: Int64, onRewind: () -> Void = {}, onEvent: (SessionEvent) -> Void) -> Jump {
        let back = lastTickTime.map { time < $0 } ?? false
        guard error == nil || (canRewind && back) else { return .refused }
        var jump = Jump.forward
        if back {
            guard canRewind, rewind() else { return .refused }
            onRewind()
            jump = .rewound
        }
        attempt { while let tick = try peek(), tick.time <= time { apply(tick, onEvent: onEvent) } }
        settle(onEvent: onEvent)
        return jump
    }

    /// Moves by a share of the window's time span from tick time `now` (`]` +5%, `[` −5%),
    /// clamped to both ends. After a feed error only going back is possible.
    /// - Returns: the time aimed at and what the jump did; nil while the span is still being
    ///   measured (nothing moves).
    public func seek(by fraction: Double, from now: Int64?, onRewind: () -> Void = {},
                     onEvent: (SessionEvent) -> Void) -> (target: Int64, jump: Jump)? {
        guard error == nil || (fraction < 0 && canRewind) else { return (now ?? 0, .refused) }
        guard spanKnown, let range = windowRange else { return nil }
        // In Double, clamped to the window: any fraction, never an overflow or a trap.
        let start = Double(min(range.last, max(range.first, now ?? range.first)))
        let span = Double(range.last) - Double(range.first)
        let aimed = fraction.isFinite ? start + (max(-1, min(1, fraction)) * span).rounded() : start
        let target = aimed >= Double(range.last) ? range.last : aimed <= Double(range.first) ? range.first : Int64(aimed)
        return (target, go(to: target, onRewind: onRewind, onEvent: onEvent))
    }

    /// Changes the alert levels and judges the rules at once (a new level shows even when paused).
    public func setThresholds(_ new: AlertThresholds, onEvent: (SessionEvent) -> Void) {
        thresholds = new
        replay.setThresholds(new, time: lastTickTime ?? 0, onEvent: onEvent)
    }

    /// Flushes the recording when it is due (every call; cheap) or now (`force`).
    public func flushRecording(force: Bool = false) {
        if force { recorder?.flush() } else { recorder?.flushIfDue() }
    }

    // MARK: internals

    /// The next tick inside the window, read ahead but not applied.
    private func peek() throws -> Tick? {
        while true {
            while next < buffer.count {
                let tick = buffer[next]
                if window.contains(tick.time) { return tick }
                // Outside --from/--to nothing is applied: skipped, not paced through.
                next += 1
            }
            buffer.removeAll(keepingCapacity: true)
            next = 0
            if let pendingError {
                self.pendingError = nil
                throw pendingError
            }
            do {
                if let live = source as? LiveTickSource {
                    let (got, over) = try live.poll(into: &buffer)
                    if over { ended = true }
                    if !got { return nil }
                } else if try !source.nextBatch(into: &buffer) {
                    return nil
                }
            } catch {
                // Ticks parsed before the error are applied first.
                guard !buffer.isEmpty else { throw error }
                pendingError = error
            }
        }
    }

    private func apply(_ tick: Tick, onEvent: (SessionEvent) -> Void) {
        next += 1
        if firstTickTime == nil { firstTickTime = tick.time }
        if lastTickTime != tick.time {
            stepTimes.append(tick.time)
            if stepTimes.count > Self.stepTimesLimit { stepTimes.removeFirst() }
        }
        lastTickTime = tick.time
        recorder?.record(tick)
        replay.apply(tick, onEvent: onEvent)
    }

    /// After a jump: evaluate the open step, and note the end if the input is over.
    private func settle(onEvent: (SessionEvent) -> Void) {
        replay.finish(onEvent: onEvent)
        finishIfEnded(onEvent: onEvent)
    }

    /// At the end of a paced input: the last step evaluated, the recording flushed, `ended` set.
    private func finishIfEnded(onEvent: (SessionEvent) -> Void) {
        guard !live, !ended, error == nil else { return }
        var over = false
        attempt { over = try peek() == nil }
        guard over else { return }
        replay.finish(onEvent: onEvent)
        ended = true
        recorder?.flush()
    }

    /// Runs a read; an error stops the feed and is kept, never dropped. - Returns: false on error.
    @discardableResult
    private func attempt(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            self.error = error
            return false
        }
    }

    /// Starts the feed over from its start with a fresh session (the current levels kept).
    /// - Returns: false when the source cannot be opened again (the error is kept).
    private func rewind() -> Bool {
        let fresh: Replay
        let reopened: any TickSource
        do {
            fresh = try Self.session(portfolio, symbols, origin)
            reopened = try Self.open(origin, portfolio: portfolio, symbols: symbols, strict: strict, prefetch: prefetch,
                                     startTime: startTime, link: link)
        } catch {
            self.error = error
            return false
        }
        (source as? TapeFeed)?.cancel()
        source = reopened
        pendingError = nil
        replay = fresh
        replay.afterStep = afterStep
        if thresholds != portfolio.alerts { replay.replaceThresholds(thresholds) }
        buffer.removeAll(keepingCapacity: true)
        next = 0
        error = nil
        ended = false
        firstTickTime = nil
        lastTickTime = nil
        stepTimes.removeAll()
        return true
    }

    /// The account changed at the exchange (`--account`): a fresh session on `portfolio` at the
    /// marks seen so far, the levels in force kept, subscribed anew when its symbols changed.
    /// The rules carry over (`RiskSession.carryOver`): only what the change moved is raised or cleared.
    public func replacePortfolio(_ new: Portfolio, onEvent: (SessionEvent) -> Void) throws {
        let fresh = try replay.replaced(by: new, thresholds: thresholds, at: lastTickTime, onEvent: onEvent)
        if let link, new.symbols != portfolio.symbols {
            source = link.ticks(for: new.symbols, table: symbols)
            buffer.removeAll(keepingCapacity: true)
            next = 0
        }
        portfolio = new
        replay = fresh
        replay.finish(onEvent: onEvent)
    }

    /// Monotonic seconds: the clock of pacing, staleness and reconnection waits.
    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    deinit { (source as? TapeFeed)?.cancel() }
}
