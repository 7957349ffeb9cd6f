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
        """)

    @Argument(help: ArgumentHelp("Tapes to replay, merged by time.", valueName: "TAPE"))
    var tapes: [String]

    @Option(name: .long, help: ArgumentHelp("Portfolio file; default: the built-in demo.", valueName: "FILE"))
    var portfolio: String?

    @Option(name: .long, help: ArgumentHelp("Replay speed for the monitor: a multiple of tape time (default 3600: an hour a second), or max.", valueName: "X|max"))
    var speed: String?

    @Option(name: .long, help: ArgumentHelp("Start of the window (ISO-8601, naive = UTC, or epoch ms), inclusive.", valueName: "TIME"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("End of the window, inclusive.", valueName: "TIME"))
    var to: String?

    @Flag(name: .long, help: "No terminal UI: run the whole tape at full speed and print the timeline and a summary.")
    var headless = false

    @Flag(name: .long, help: "With --headless: JSON lines (one per event, then the summary).")
    var json = false

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 3 when this level was reached: warn, critical, soft-stop, liquidation.", valueName: "LEVEL"))
    var failOn: String?

    @Flag(name: .long, help: "A bad tape line is an error (exit 65) instead of a skipped line.")
    var strict = false

    func validate() throws {
        guard !tapes.isEmpty else { throw ValidationError("give at least one TAPE") }
        if tapes.filter({ TapeSpec(argument: $0).isStandardInput }).count > 1 {
            throw ValidationError("standard input (-) can be read by one tape only")
        }
    }

    func run() throws {
        let fail = try failOn.map { text -> FailOnLevel in
            guard let level = FailOnLevel(rawValue: text) else {
                throw MarginWatchError.usage("--fail-on must be warn, critical, soft-stop or liquidation (got \(text))")
            }
            return level
        }
        let window = try TimeWindow(from: from, to: to)
        let loaded = try PortfolioLoader.load(pathOrDemo: portfolio)
        Console.warn(loaded.warnings)
        guard headless else {
            let pace = try speed.map { text -> FeedSpeed in
                guard let pace = FeedSpeed.parse(text) else {
                    throw MarginWatchError.usage("--speed expects a multiple of tape time from 0.25 to 86400, or max (got \(text))")
                }
                return pace
            } ?? .times(3_600)
            try Monitor.run(loaded: loaded, portfolioPath: portfolio, source: .tapes(tapes.map(TapeSpec.init(argument:))),
                            speed: pace, record: nil, bell: true, from: window.from, to: window.to, strict: strict)
            return
        }
        let summary = try HeadlessReplay(tapes: tapes.map(TapeSpec.init(argument:)), loaded: loaded, window: window,
                                         strict: strict, json: json).run()
        if let fail, fail.isReached(by: summary) { throw ExitCode(3) }
    }
}

/// `--from`/`--to` parsed.
struct TimeWindow {
    var from: Int64?
    var to: Int64?

    init(from: String?, to: String?) throws {
        self.from = try from.map { try Self.parse($0, "--from") }
        self.to = try to.map { try Self.parse($0, "--to") }
        if let f = self.from, let t = self.to, f > t {
            throw MarginWatchError.usage("--from is after --to")
        }
    }

    static func parse(_ text: String, _ option: String) throws -> Int64 {
        guard let ms = TimeText.parseArgument(text) else {
            throw MarginWatchError.usage("\(option) expects \(TimeParser.argumentSpellings) (got \"\(text)\")")
        }
        // Digits are epoch milliseconds (the contract); ten digits look like seconds copied from a tape.
        if text.count <= 11, text.allSatisfy(\.isNumber) {
            Console.warn(["\(option) \(text) is read as epoch milliseconds (\(TimeText.iso(ms))); "
                + "for epoch seconds write \(text)000 or an ISO-8601 time"])
        }
        return ms
    }
}
