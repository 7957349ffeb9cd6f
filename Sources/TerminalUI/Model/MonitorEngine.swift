import DequeModule
import Foundation
import MarginKit

/// The live engine behind the screen: paces a `FeedDriver` by the feed clock (a multiple of
/// wall time, or as fast as it goes), keeps the alert log, and notes which marks moved. No
/// terminal here, so the whole monitor can be driven and tested without one.
public final class MonitorEngine {
    /// The portfolio watched (with `--account`, as the exchange last reported it).
    public private(set) var loaded: LoadedPortfolio
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

    /// Where events go besides the screen (`--on-alert`, `--notify`, `--webhook`), and the
    /// journal (`--journal`); set before the first pump.
    public var delivery: AlertDelivery?
    public var journal: JournalWriter?
    /// The account over time for the chart (`c`), and each symbol's marks at its points (the
    /// details panel's sparkline).
    public private(set) var chart = ChartSeries(capacity: 2_048)
    public private(set) var recentMarks: [Deque<Double>]
    static let sparklineLength = 24
    /// Every event up to this time has been delivered and journaled; after a rewind the events
    /// replayed up to it are not sent again (nil: nothing was rewound past what was sent).
    private var deliveredThrough: Int64?
    private var resentUpTo: Int64?
    /// Delivery problems not yet shown on the status line, oldest first.
    public private(set) var newDeliveryProblems: [String] = []

    static let logLimit = 5_000
    private var lastWall: Double?
    private var lastMarks: [Double]

    /// - Throws: `MarginWatchError` for a tape or recording that cannot be opened.
    public init(loaded: LoadedPortfolio, source: FeedOrigin, speed: FeedSpeed, recordPath: String? = nil,
                window: FeedWindow = FeedWindow(), strict: Bool = false, startTime: Int64, link: ExchangeLink? = nil) throws {
        self.loaded = loaded
        self.speed = speed
        driver = try FeedDriver(portfolio: loaded.portfolio, origin: source, window: window,
                                strict: strict, measureSpan: true, recordPath: recordPath, startTime: startTime, link: link)
        lastMarks = driver.replay.session.engine.marks
        recentMarks = Array(repeating: Deque(), count: lastMarks.count)
        driver.afterStep = { [unowned self] time, engine in self.afterStep(time: time, engine: engine) }
        accountSeen = link?.account
    }

    /// The end of each time step: the journal's sample, the chart's point, the sparklines.
    private func afterStep(time: Int64, engine: Engine) {
        journal?.sample(time: time, engine: engine)
        let t = engine.totals
        guard chart.add(time: time, equity: t.equity, marginRatio: t.openCrossPositions > 0 ? t.marginRatio : nil) else { return }
        for (s, mark) in engine.marks.enumerated() where s < recentMarks.count {
            recentMarks[s].append(mark)
            if recentMarks[s].count > Self.sparklineLength { recentMarks[s].removeFirst() }
        }
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
        noteDeliveryProblems()
        refreshAccount()
        // At the end, or stopped by an error, the clock stays on the last step.
        guard !driver.ended, driver.error == nil else { return false }
        let limit: Int64
        if driver.live {
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
        if driver.live || speed == .max || cutShort { feedTime = lastTickTime ?? feedTime }
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
        guard let (target, jump) = driver.seek(by: fraction, from: feedTime, onRewind: startOver, onEvent: record) else {
            return false
        }
        if jump != .refused { settled(at: target, wall: wall) }
        return true
    }

    /// Shows the account as it was at `time`: every tick up to it applied, then paused.
    public func go(to time: Int64, wall: Double) {
        guard driver.go(to: time, onRewind: startOver, onEvent: record) != .refused else { return }
        settled(at: time, wall: wall)
    }

    /// After a jump: paused there, the clock at the jump's time.
    private func settled(at time: Int64, wall: Double) {
        paused = true
        feedTime = max(time, lastTickTime ?? time)
        noteMarkChanges(wall: wall)
    }

    /// A rewind starts a fresh session: its log starts over with it, and no mark "moved".
    private func startOver() {
        resentUpTo = deliveredThrough
        chart.reset()
        for s in recentMarks.indices { recentMarks[s].removeAll() }
        log.removeAll()
        banner = nil
        criticalCount = 0
        lastMarks = Array(repeating: .nan, count: lastMarks.count)
    }

    /// Flushes a recording (on every way out).
    public func close() { driver.flushRecording(force: true) }

    // MARK: exchange account

    /// Turns an account read into the portfolio to watch (`--account`); nil: marks only.
    public var accountRebuild: (@Sendable (ExchangeSnapshot) -> ExchangeBook)?
    /// The account the session is on (seeded with the link's first read).
    private var accountSeen: ExchangeSnapshot?
    /// The link's problem last written to the log (each new one is logged once, in full).
    private var problemLogged: String?
    /// Symbols whose brackets are the exchange's own (for the liquidation check's likely cause).
    public var exchangeBrackets: Set<String> = []

    /// A newer account from the exchange: positions opened, closed or resized are logged, and the
    /// session starts afresh on the new book at the marks seen so far.
    private func refreshAccount() {
        guard let link = driver.link, let rebuild = accountRebuild else { return }
        let time = lastTickTime ?? 0
        // A problem (a refused key) is cut on the status line: the log keeps it whole, over as
        // many rows as it needs (appended last row first: the log shows the newest first). The
        // link clears a problem only with a good read: then the recovery is logged.
        // (The same problem with another wait is not news.)
        let problem = link.status(now: FeedDriver.now()).problem
        let gist = problem?.components(separatedBy: " — retrying").first
        if let problem, gist != problemLogged {
            for row in Panel.wrap(problem, width: 60, lines: 6).enumerated().reversed() {
                log.append(LogEntry(accountChange: (row.offset == 0 ? "" : "  ") + row.element, time: time))
                if log.count > Self.logLimit { log.removeFirst() }
            }
        } else if problem == nil, problemLogged != nil {
            log.append(LogEntry(accountChange: "account read again: the problem is over", time: time))
        }
        problemLogged = gist
        guard let snapshot = link.takeAccount() else { return }
        let before = accountSeen
        accountSeen = snapshot
        let book = rebuild(snapshot)
        exchangeBrackets = book.exchangeBrackets
        let portfolio = book.portfolio
        guard portfolio != loaded.portfolio else { return }
        var changes = before.map { snapshot.account.changes(from: $0.account) }
            ?? ["read: \(snapshot.account.positions.count) positions, wallet \(NumberFormat.money(snapshot.account.wallet))"]
        if let before, before.account.wallet != snapshot.account.wallet {
            changes.append("wallet \(NumberFormat.money(before.account.wallet)) → \(NumberFormat.money(snapshot.account.wallet))")
        }
        do {
            try driver.replacePortfolio(portfolio, onEvent: record)
        } catch {
            noteProblem("account: \(error)")
            return
        }
        loaded.portfolio = portfolio
        lastMarks = driver.replay.session.engine.marks
        recentMarks = Array(repeating: Deque(), count: lastMarks.count)
        for change in changes {
            log.append(LogEntry(accountChange: change, time: time))
            if log.count > Self.logLimit { log.removeFirst() }
        }
    }

    // MARK: internals

    /// A problem found outside the delivery threads (`notify-send` missing), for the log.
    public func noteProblem(_ text: String) {
        log.append(LogEntry(deliveryProblem: text, time: feedTime ?? lastTickTime ?? 0))
        newDeliveryProblems.append(text)
    }

    /// The delivery problems not yet shown; each is shown once.
    public func takeDeliveryProblems() -> [String] {
        defer { newDeliveryProblems.removeAll() }
        return newDeliveryProblems
    }

    /// Collects what the delivery threads and the journal could not do, into the log.
    private func noteDeliveryProblems() {
        var problems = delivery?.takeNotices() ?? []
        if let failure = journal?.failure, !journalFailureShown {
            journalFailureShown = true
            problems.append("journal: \(failure)")
        }
        for p in problems {
            log.append(LogEntry(deliveryProblem: p, time: feedTime ?? lastTickTime ?? 0))
            if log.count > Self.logLimit { log.removeFirst() }
            newDeliveryProblems.append(p)
        }
    }
    private var journalFailureShown = false

    /// Sends an event away (hook, notification, web hook, journal) once: a replay rewound and
    /// played again does not send what it sent before.
    private func deliver(_ event: SessionEvent) {
        if let again = resentUpTo {
            if event.time <= again { return }
            resentUpTo = nil
        }
        deliveredThrough = max(deliveredThrough ?? event.time, event.time)
        journal?.event(event)
        delivery?.deliver(event, thresholds: thresholds, portfolio: loaded.portfolio)
    }

    private func record(_ event: SessionEvent) {
        deliver(event)
        // The chart starts over with a rewind: it marks what is played again, unlike delivery.
        chart.mark(event)
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
