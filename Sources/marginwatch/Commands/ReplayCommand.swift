import ArgumentParser
import Foundation
import MarginKit
import TerminalUI

/// `marginwatch replay TAPE...`: recorded prices through the account.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded price tapes through the portfolio: what would my account and my stops have done?",
        discussion: """
        TAPE is PATH, SYMBOL=PATH, or - for standard input. Formats are recognised by content: native CSV \
        (time,symbol,price), JSON lines (native or Binance markPriceUpdate), Binance klines, Binance trades and \
        aggTrades, freqtrade candle JSON, and trades CSV with timestamp and price columns.

        Without --headless the monitor plays the tapes (keys as in watch, and left/right step, \
        [/] seek, g go to a time); at the end it stays on the last step. With --headless it prints \
        the event timeline and a summary; --fail-on turns that into a check for scripts.
        """)

    @Argument(help: ArgumentHelp("Tapes to replay, merged by time.", valueName: "TAPE"), completion: .file())
    var tapes: [String]

    @OptionGroup var portfolio: PortfolioOption
    @OptionGroup var brackets: BracketsOption

    @Option(name: .long, help: ArgumentHelp("Replay speed for the monitor: a multiple of tape time (default 3600: an hour a second), or max.", valueName: "X|max"),
            transform: FeedSpeed.parsed)
    var speed: FeedSpeed?

    @Option(name: .long, help: ArgumentHelp("Start of the window (ISO-8601, naive = UTC, or epoch ms), inclusive.", valueName: "TIME"),
            transform: TimeArgument.parsed)
    var from: TimeArgument?

    @Option(name: .long, help: ArgumentHelp("End of the window, inclusive.", valueName: "TIME"), transform: TimeArgument.parsed)
    var to: TimeArgument?

    @Flag(name: .long, help: "No terminal UI: run the whole tape at full speed and print the timeline and a summary.")
    var headless = false

    @Flag(name: .long, help: "With --headless: JSON lines (one per event, then the summary).")
    var json = false

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("With --headless: exit 3 when the replay reached LEVEL.", valueName: "LEVEL"))
    var failOn: FailOnLevel?

    @Flag(name: .long, help: "A bad tape line is an error (exit 65) instead of a skipped line.")
    var strict = false

    @OptionGroup var delivery: DeliveryOptions

    @Option(name: .long, help: ArgumentHelp("With --headless: draw the replay into FILE as an SVG chart (equity, margin ratio, every alert, stop and liquidation).",
                                            valueName: "FILE"),
            completion: .file(extensions: ["svg"]))
    var svg: String?

    func validate() throws {
        guard !tapes.isEmpty else { throw ValidationError("give at least one TAPE") }
        if tapes.filter({ TapeSpec(argument: $0).isStandardInput }).count > 1 {
            throw ValidationError("standard input (-) can be read by one tape only")
        }
        if !headless, let orphan = json ? "--json" : failOn != nil ? "--fail-on" : svg != nil ? "--svg" : nil {
            throw ValidationError("\(orphan) is for replay --headless (the monitor shows the replay instead)")
        }
        if let from, let to, from.milliseconds > to.milliseconds {
            throw ValidationError("--from \(from.text) is after --to \(to.text)")
        }
        // An output must never land on an input (or on the other output).
        let inputs = tapes.map { TapeSpec(argument: $0) }.filter { !$0.isStandardInput }.map(\.path)
        for (option, path) in [("--svg", svg), ("--journal", delivery.journal)] {
            guard let path, let clash = inputs.first(where: { OutputFile.same($0, path) }) else { continue }
            throw ValidationError("\(option) \(path) is the tape \(clash): it would be written over what is being read")
        }
        if let svg, let journal = delivery.journal, OutputFile.same(svg, journal) {
            throw ValidationError("--svg and --journal name the same file (\(svg))")
        }
    }

    func run() throws {
        Console.warn([from?.secondsWarning(option: "--from"), to?.secondsWarning(option: "--to")].compactMap { $0 })
        let window = FeedWindow(from: from?.milliseconds, to: to?.milliseconds)
        // The monitor prints the portfolio's warnings when it has given the terminal back.
        let loaded = try BookLoader.load(portfolio: portfolio, brackets: brackets, account: nil, printingWarnings: headless).loaded
        guard headless else {
            try Monitor.run(loaded: loaded, portfolioPath: portfolio.path, source: .tapes(tapes.map(TapeSpec.init(argument:))),
                            speed: speed ?? .times(3_600), record: nil, bell: true, window: window, strict: strict,
                            delivery: delivery)
            return
        }
        let summary = try HeadlessReplay(tapes: tapes.map(TapeSpec.init(argument:)), loaded: loaded, window: window,
                                         strict: strict, json: json, delivery: delivery, svgPath: svg).run()
        if let failOn, failOn.isReached(by: summary) { throw ExitCode(3) }
    }
}
