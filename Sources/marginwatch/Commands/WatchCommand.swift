import ArgumentParser
import Foundation
import MarginKit
import TerminalUI

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

    @Option(name: .long, help: ArgumentHelp("Where ticks come from: sim (the seeded simulated market) or stdin.", valueName: "sim|stdin"))
    var feed: FeedChoice = .sim

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

    func run() throws {
        let source: FeedOrigin
        switch feed {
        case .sim: source = .simulated
        case .stdin:
            guard isatty(STDIN_FILENO) == 0 else {
                throw MarginWatchError.usage("--feed stdin reads ticks piped on standard input, which is the terminal here "
                    + "(try: your-feed | marginwatch watch --feed stdin)")
            }
            source = .standardInput
        }
        // Its warnings are printed when the monitor has given the terminal back.
        var loaded = try portfolio.load(printingWarnings: false)
        if let seed { loaded.portfolio.feed.seed = seed }
        try Monitor.run(loaded: loaded, portfolioPath: portfolio.path, source: source, speed: speed.speed, record: record,
                        bell: !noBell, delivery: delivery)
    }
}

/// Starts the terminal monitor and turns its ending into the process's.
enum Monitor {
    static func run(loaded: LoadedPortfolio, portfolioPath: String?, source: FeedOrigin, speed: FeedSpeed,
                    record: String?, bell: Bool, window: FeedWindow = FeedWindow(), strict: Bool = false,
                    delivery: DeliveryOptions) throws {
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
                                       window: window, strict: strict, startTime: start)
            // Hooks run on threads of their own and their failures go to the log: nothing of
            // theirs may write over the screen.
            let targets = delivery.targets(portfolio: loaded.source, warn: { engine.noteProblem($0) })
            if !targets.isEmpty { engine.delivery = AlertDelivery(targets: targets, mode: .background) }
            engine.journal = try delivery.openJournal(portfolio: loaded.source, feed: source.name,
                                                      thresholds: loaded.portfolio.alerts)
            do {
                app = try MonitorApp(controller: MonitorController(engine: engine, portfolioPath: portfolioPath, bell: bell))
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
