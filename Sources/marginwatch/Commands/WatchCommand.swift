import ArgumentParser
import Foundation
import MarginKit
import TerminalUI
import BinanceLink

/// `marginwatch watch` (and `marginwatch` alone): the live monitor.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "The live monitor: positions, margin ratio, liquidation distances and alerts, redrawn as prices move.",
        discussion: """
        Keys: q quit, ? help, space pause (on --feed stdin: freeze the screen while ticks are still \
        read), +/- speed, up/down select a position, enter its details, s/S sort, t alert levels \
        (changed live; w saves them into the portfolio file), x stress panel, c chart (< > zoom), d deposit/withdraw \
        (how much clears the warnings, what a typed amount does), i isolated vs cross, a alert \
        history, $ hide money amounts, b bell.

        --feed stdin reads ticks in any tape format piped on standard input while keys come from \
        the terminal. Works from 80x24 up (a smaller one is told what it needs); without a \
        terminal (standard output not a TTY, or TERM unusable) it refuses with exit 64. q, Ctrl-C and SIGTERM exit 0 with the terminal \
        restored and a recording flushed.
        """)

    @OptionGroup var portfolio: PortfolioOption

    @Option(name: .long, help: ArgumentHelp("Where ticks come from: sim (the seeded simulated market), stdin, or binance "
        + "(live mark prices from Binance USDⓈ-M; no key needed).", valueName: "sim|stdin|binance"))
    var feed: FeedChoice?

    @OptionGroup var account: AccountOption
    @OptionGroup var brackets: BracketsOption

    @Option(name: .long, help: ArgumentHelp("With --account: read the account again every SECONDS (default 5).", valueName: "SECONDS"))
    var refresh: Double?

    @Option(name: .long, help: ArgumentHelp("Seed of the simulated market (default: the portfolio's feed.seed).", valueName: "N"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Speed of the simulated market, a multiple of real time (+/- change it live; default 1).", valueName: "X"),
            transform: RealTimeSpeed.parsed)
    var speed = RealTimeSpeed.realTime

    @Option(name: .long, help: ArgumentHelp("Append every tick shown to TAPE (native format).", valueName: "TAPE"),
            completion: .file())
    var record: String?

    @Flag(name: .customLong("no-bell"), help: "Do not ring the terminal bell on new critical alerts.")
    var noBell = false

    @OptionGroup var delivery: DeliveryOptions

    func validate() throws {
        if account.account != nil, let feed, feed != .binance {
            throw ValidationError("--account binance watches the exchange's own marks: it takes --feed binance, not --feed \(feed.rawValue)")
        }
        if let refresh {
            guard account.account != nil else { throw ValidationError("--refresh is for --account binance") }
            guard refresh.isFinite, refresh >= 1, refresh <= 3_600 else {
                throw ValidationError("--refresh \(refresh): expected 1 to 3600 seconds")
            }
        }
    }

    func run() throws {
        let feed = self.feed ?? (account.account != nil ? .binance : .sim)
        if feed == .binance {
            try watchBinance()
            return
        }
        let source: FeedOrigin
        switch feed {
        case .binance: return
        case .sim: source = .simulated
        case .stdin:
            guard isatty(STDIN_FILENO) == 0 else {
                throw MarginWatchError.usage("--feed stdin reads ticks piped on standard input, which is the terminal here "
                    + "(try: your-feed | marginwatch watch --feed stdin)")
            }
            source = .standardInput
        }
        // Its warnings are printed when the monitor has given the terminal back.
        var loaded = try BookLoader.load(portfolio: portfolio, brackets: brackets, account: nil, printingWarnings: false).loaded
        if let seed { loaded.portfolio.feed.seed = seed }
        try Monitor.run(loaded: loaded, portfolioPath: portfolio.path, source: source, speed: speed.speed, record: record,
                        bell: !noBell, delivery: delivery)
    }
}

extension WatchCommand {
    /// `--feed binance`, with `--account binance` the account too: the first read happens before
    /// the screen is taken (a refused key is a one-line error, exit 64); after that nothing is
    /// fatal — the link retries and the status line says what is wrong.
    private func watchBinance() throws {
        let endpoints = try BinanceEndpoints.fromEnvironment()
        var book: LoadedBook
        var reader: BinanceAccountReader?
        if account.account != nil {
            let accountReader = try BookLoader.reader()
            reader = accountReader
            do {
                book = try BookLoader.load(portfolio: portfolio, brackets: brackets, account: account.account,
                                           reader: accountReader, printingWarnings: false)
            } catch let error as BinanceError where error.isTransient {
                // Not reachable yet: start on an empty account; the link keeps trying.
                let empty = ExchangeSnapshot(account: ExchangeAccount(wallet: 0, positions: []), brackets: [:])
                book = try BookLoader.book(from: empty, portfolio: portfolio, fileTables: try brackets.tables(), printingWarnings: false)
                book.exchange = nil
            }
        } else {
            book = try BookLoader.load(portfolio: portfolio, brackets: brackets, account: nil, printingWarnings: false)
        }
        let link = BinanceLiveLink(endpoints: endpoints, reader: reader, first: book.exchange, refresh: refresh ?? 5)
        defer {
            link.stop()
            reader?.rest.shutdown()
        }
        try Monitor.run(loaded: book.loaded, portfolioPath: portfolio.path, source: .exchange(link.name), speed: .times(1),
                        record: record, bell: !noBell, delivery: delivery, link: link,
                        accountRebuild: reader == nil ? nil : book.rebuild, exchangeBrackets: book.exchangeBrackets)
    }
}

/// Starts the terminal monitor and turns its ending into the process's.
enum Monitor {
    static func run(loaded: LoadedPortfolio, portfolioPath: String?, source: FeedOrigin, speed: FeedSpeed,
                    record: String?, bell: Bool, window: FeedWindow = FeedWindow(), strict: Bool = false,
                    delivery: DeliveryOptions, link: ExchangeLink? = nil,
                    accountRebuild: (@Sendable (ExchangeSnapshot) -> ExchangeBook)? = nil, exchangeBrackets: Set<String> = []) throws {
        let engine: MonitorEngine
        let app: MonitorApp
        do {
            // Refuse before opening tapes or recordings: no terminal, no monitor.
            guard isatty(STDOUT_FILENO) == 1 else {
                throw MarginWatchError.usage("the monitor needs a terminal: standard output is not a TTY "
                    + "(use snapshot, stress or replay --headless for scripts)")
            }
            let start = Int64(Date().timeIntervalSince1970 * 1000)
            engine = try MonitorEngine(loaded: loaded, source: source, speed: speed, recordPath: record,
                                       window: window, strict: strict, startTime: start, link: link)
            engine.accountRebuild = accountRebuild
            engine.exchangeBrackets = exchangeBrackets
            // Hooks run on threads of their own and their failures go to the log: nothing of
            // theirs may write over the screen.
            let targets = delivery.targets(portfolio: loaded.source, warn: { engine.noteProblem($0) })
            if !targets.isEmpty { engine.delivery = AlertDelivery(targets: targets, mode: .background) }
            engine.journal = try delivery.openJournal(portfolio: loaded.source, feed: source.name,
                                                      thresholds: loaded.portfolio.alerts)
            do {
                app = try MonitorApp(controller: MonitorController(engine: engine, portfolioPath: portfolioPath, bell: bell,
                                                                   levelsOnly: accountRebuild != nil))
            } catch let error as TerminalError {
                throw MarginWatchError.usage(error.description)
            }
        } catch {
            // No screen was taken: the portfolio's warnings go out before the error.
            Console.warn(loaded.warnings)
            throw error
        }
        _ = app.run()
        engine.journal?.finish(engine.summary)
        // Deliveries already queued get a few seconds to go out; Ctrl-C or SIGTERM again ends
        // the wait at once (the terminal is already back). What did not go out is said.
        if let delivery = engine.delivery {
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
            let left = delivery.drain(within: 5)
            Console.warn(delivery.takeNotices() + (left > 0 ? ["\(left) alert deliveries still queued at exit were not sent"] : []))
        }
        // After the terminal is back: what could not be printed while curses owned the screen.
        Console.warn(loaded.warnings + engine.tapeWarnings)
        if let error = engine.feedError { Console.fail(error, code: 65) }
    }
}
