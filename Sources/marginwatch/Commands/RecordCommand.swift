import ArgumentParser
import Foundation
import MarginKit

/// `marginwatch record`: a simulated tape, written without a terminal UI.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Write a simulated price tape (native time,symbol,price CSV) for the portfolio's symbols.")

    @Option(name: .long, help: ArgumentHelp("The tape to write (replaced if it exists).", valueName: "TAPE"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Portfolio file (its feed: block); default: the built-in demo.", valueName: "FILE"))
    var portfolio: String?

    @Option(name: .long, help: ArgumentHelp("Random seed (default: the portfolio's feed.seed, else 42).", valueName: "N"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Simulated time to cover: 500ms, 30s, 10m, 2h, 1d (default 1h).", valueName: "D"))
    var duration: String = "1h"

    @Option(name: .long, help: ArgumentHelp("Time between ticks (default: the portfolio's feed.interval, else 250ms).", valueName: "D"))
    var interval: String?

    @Option(name: .long, help: ArgumentHelp("Time of the first tick (ISO-8601 or epoch ms; default now).", valueName: "TIME"))
    var start: String?

    @Flag(name: .long, help: "Replace TAPE if it exists (without it, an existing file is never overwritten).")
    var force = false

    func run() throws {
        if !force, FileManager.default.fileExists(atPath: out) {
            throw MarginWatchError.usage("--out \(out) already exists; give --force to replace it")
        }
        guard let durationMs = parseDurationMilliseconds(duration), durationMs > 0 else {
            throw MarginWatchError.usage("--duration expects a number and a unit, ms, s, m, h or d: 500ms, 30s, 10m, 2h, 1d (got \(duration))")
        }
        let loaded = try PortfolioLoader.load(pathOrDemo: portfolio)
        Console.warn(loaded.warnings)
        var p = loaded.portfolio
        if let seed { p.feed.seed = seed }
        if let interval {
            guard let ms = parseDurationMilliseconds(interval), ms > 0 else {
                throw MarginWatchError.usage("--interval expects a number and a unit, ms, s, m, h or d: 250ms, 1s, 2m (got \(interval))")
            }
            p.feed.intervalMs = ms
        }
        let startTime = try start.map { try TimeWindow.parse($0, "--start") }
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
