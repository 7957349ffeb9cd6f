import Foundation
import Testing
@testable import MarginKit

/// Several tapes are parsed on threads of their own and intern their symbols into one table at
/// the same time. This once crashed 8 runs in 10 and printed different bytes between runs; the
/// replay must now print exactly what a single-threaded read prints, every time.
/// (Scripts/test.sh also runs this suite under ThreadSanitizer.)
@Suite struct ConcurrentTapesTests {
    static let symbols = (0..<8).map { "SYM\($0)USDT" }

    /// Four native tapes, each pricing all eight symbols on its own clock (ms steps of 0–3), so
    /// every reader meets every name and the merge has many ties and crossings.
    static func writeTapes(ticksPerTape: Int) throws -> [String] {
        let files = try TapeFiles()
        var random = SeededGenerator(seed: 7)
        return try (0..<4).map { tape in
            var text = "time,symbol,price\n"
            var time: Int64 = 1_700_000_000_000
            var prices = symbols.map { _ in 100.0 }
            for i in 0..<ticksPerTape {
                time += Int64(random.next() % 4)
                let s = (i * 5 + tape * 3 + Int(random.next() % 3)) % symbols.count
                prices[s] *= 1 + (Double(random.next() % 2001) - 1000) / 40_000
                text += "\(time),\(symbols[s]),\(String(format: "%.4f", prices[s]))\n"
            }
            return try files.write("tape\(tape).csv", text)
        }
    }

    static func portfolio() throws -> Portfolio {
        var yaml = "account: {wallet: 4000}\npositions:\n"
        for (i, s) in symbols.enumerated() {
            yaml += "  - {symbol: \(s), side: \(i % 2 == 0 ? "long" : "short"), size: 10, entry: 100, leverage: 10"
                + (i == 3 ? ", stop_loss: 97" : "") + (i == 5 ? ", margin: isolated" : "") + "}\n"
        }
        yaml += "instruments:\n" + symbols.map { "  \($0): {maintenance_rate: 0.02}\n" }.joined()
        yaml += "alerts: {margin_ratio: {warn: 3, critical: 2}, liquidation_distance_pct: {warn: 8, critical: 4}}\n"
        return try PortfolioLoader.load(text: yaml, name: "book.yaml").portfolio
    }

    /// The printed timeline and summary of one replay.
    static func timeline(_ paths: [String], portfolio: Portfolio, threaded: Bool) throws -> [String] {
        let driver = try FeedDriver(portfolio: portfolio, origin: .tapes(paths.map { TapeSpec(path: $0) }), strict: true,
                                    prefetch: threaded)
        var lines: [String] = []
        let summary = try driver.runToEnd { lines.append(TimelineText.line($0)) }
        lines.append(TimelineText.summary(summary))
        return lines
    }

    @Test func manyTapesOnManyThreadsPrintTheSameEveryRun() throws {
        let paths = try Self.writeTapes(ticksPerTape: 40_000)
        let portfolio = try Self.portfolio()
        let reference = try Self.timeline(paths, portfolio: portfolio, threaded: false)
        #expect(reference.count > 3, "the book must see events for the comparison to mean anything")
        for run in 0..<6 {
            let lines = try Self.timeline(paths, portfolio: portfolio, threaded: true)
            #expect(lines == reference, "run \(run) differs")
            if lines != reference { break }
        }
    }
}
