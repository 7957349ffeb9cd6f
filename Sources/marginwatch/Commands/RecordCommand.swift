import ArgumentParser
import Foundation
import MarginKit

/// `marginwatch record`: a simulated tape, written without a terminal UI.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Write a simulated price tape (native time,symbol,price CSV) for the portfolio's symbols.",
        discussion: """
        The market comes from the portfolio's feed: block (symbols, starting prices, volatility, \
        correlation, jumps, interval); the same seed and --start give the same tape. SIGINT or \
        SIGTERM stops it with the tape flushed, and exit 130.
        """)

    @Option(name: .long, help: ArgumentHelp("The tape to write (an existing file is replaced only with --force).", valueName: "TAPE"), completion: .file())
    var out: String

    @OptionGroup var portfolio: PortfolioOption

    @Option(name: .long, help: ArgumentHelp("Random seed (default: the portfolio's feed.seed, else 42).", valueName: "N"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Simulated time to cover: 500ms, 30s, 10m, 2h, 1d (default 1h).", valueName: "D"),
            transform: DurationArgument.parsed)
    var duration = DurationArgument.oneHour

    @Option(name: .long, help: ArgumentHelp("Time between ticks (default: the portfolio's feed.interval, else 250ms).", valueName: "D"),
            transform: DurationArgument.parsed)
    var interval: DurationArgument?

    @Option(name: .long, help: ArgumentHelp("Time of the first tick (ISO-8601 or epoch ms; default now).", valueName: "TIME"),
            transform: TimeArgument.parsed)
    var start: TimeArgument?

    @Flag(name: .long, help: "Replace TAPE if it exists (without it, an existing file is never overwritten).")
    var force = false

    func run() throws {
        if !force, FileManager.default.fileExists(atPath: out) {
            throw MarginWatchError.usage("--out \(out) already exists; give --force to replace it")
        }
        Console.warn([start?.secondsWarning(option: "--start")].compactMap { $0 })
        let loaded = try portfolio.load()
        var p = loaded.portfolio
        if let seed { p.feed.seed = seed }
        if let interval { p.feed.intervalMs = interval.milliseconds }
        let durationMs = duration.milliseconds
        let startTime = start?.milliseconds
            ?? Int64(Date().timeIntervalSince1970 * 1000) / p.feed.intervalMs * p.feed.intervalMs
        let table = SymbolTable()
        var market = SimulatedMarket.forPortfolio(p, table: table, startTime: startTime, endTime: startTime + durationMs)
        let recorder = try TapeRecorder(path: out, symbols: table, truncate: true)
        StopSignals.install()
        while !StopSignals.requested, let tick = market.next() { recorder.record(tick) }
        recorder.flush()
        print("wrote \(recorder.ticksWritten) ticks of \(market.symbols.count) symbols to \(out)"
              + " (\(TimeText.iso(startTime)) to \(TimeText.iso(market.time)), seed \(p.feed.seed), \(market.jumpsSoFar) jumps)")
        if StopSignals.requested { throw ExitCode(130) }
    }
}
