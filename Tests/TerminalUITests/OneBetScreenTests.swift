import Foundation
import Testing
@testable import MarginKit
@testable import TerminalUI

/// The guides' three lessons on screen: rows that are one bet carry a shared letter, the
/// details panel names the group and the correlations, and `d` says how much to add or may
/// come out, with what a typed amount would do.
@Suite struct OneBetScreenTests {
    /// The demo (BTC and ETH declared one bet), replaying one step at its own marks.
    static func demo(btc: Double = 66_500) throws -> MonitorController {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mw-bet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tape = dir.appendingPathComponent("t.csv").path
        try "time,symbol,price\n1700000000000,BTCUSDT,\(btc)\n1700000000000,ETHUSDT,3250\n1700000060000,BTCUSDT,\(btc)\n"
            .write(toFile: tape, atomically: true, encoding: .utf8)
        let loaded = try PortfolioLoader.load(text: DemoPortfolio.yaml, name: "demo")
        let engine = try MonitorEngine(loaded: loaded, source: .tapes([TapeSpec(path: tape)]), speed: .times(60), startTime: 0)
        let c = MonitorController(engine: engine, portfolioPath: nil)
        c.engine.pump(wall: 100)
        return c
    }

    @Test func rowsOfOneBetCarryTheGroupLetterInTheWarnColour() throws {
        let c = try Self.demo()
        let f = c.render(width: 80, height: 24, now: 100)
        let lines = f.lines()
        #expect(lines[4].hasPrefix(" SYMBOL     BET  SIDE"))
        let btc = try #require(lines.firstIndex { $0.hasPrefix(" BTCUSDT") })
        let sol = try #require(lines.firstIndex { $0.hasPrefix(" SOLUSDT") })
        #expect(lines[btc].hasPrefix(" BTCUSDT    A    long") && lines[sol].hasPrefix(" SOLUSDT         short"))
        #expect(lines.contains { $0.hasPrefix(" ETHUSDT    A    long") })
        // Together 2.30% of equity, over the 2% one-position level: the rule is at warn.
        #expect(f[12, btc].style.role == .warn && f[12, btc].character == "A")
        #expect(lines.contains { $0.contains("WARN  one bet MM   BTCUSDT+ETHUSDT MM 2.30% of equity together") })
    }

    @Test func theDetailsPanelNamesTheGroupAndWhyThereIsNoEstimateYet() throws {
        let c = try Self.demo()
        c.handle(.enter, now: 100)
        let lines = c.render(width: 80, height: 24, now: 100).lines()
        #expect(lines.contains { $0.contains("│ one bet with            A: ETHUSDT · MM 2.30% together (warn 2%)") })
        #expect(lines.contains { $0.contains("│ correlation (feed)      estimating: 0 of 30 samples (every 1m)") }, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("│ profit, share of equity 0.6%") })
    }

    @Test func theDetailsPanelSaysAWinnerPropsUpTheRestAndWhatTheAccountIsWithoutIt() throws {
        let c = try Self.demo(btc: 100_000)
        c.handle(.enter, now: 100)
        let lines = c.render(width: 80, height: 24, now: 100).lines()
        #expect(lines.contains { $0.contains("│ profit, share of equity 27.0% — props up the rest") })
        #expect(lines.contains { $0.contains("│ without that profit     ratio 39.62 · free 31.5% · crash -17.9%") }, "\(lines.joined(separator: "\n"))")
    }

    @Test func theDepositPanelShowsTheBuffersAndWhatATypedAmountDoes() throws {
        let c = try Self.demo()
        c.handle(.char("d"), now: 100)
        for ch in "1852.25" { c.handle(.char(ch), now: 100) }
        let lines = c.render(width: 80, height: 24, now: 100).lines()
        let expected = [
            "│ add to clear every warning              1,852.25                           │",
            "│ add to clear every critical                 0.00                           │",
            "│ may take out, no warning                    0.00                           │",
            "│ may take out, exchange limit            3,921.15                           │",
            "│ amount: 1852.25_  e.g. 500, or -300 to withdraw                            │",
            "│ margin ratio                     39.90         45.92                       │",
            "│ free margin                      32.0%         40.9%                       │",
            "│ cross equity                 12,267.75     14,120.00                       │",
        ]
        for line in expected { #expect(lines.contains { $0.contains(line) }, "\(line)\n\(lines.joined(separator: "\n"))") }
        // Withdrawing more than the wallet holds is refused, not shown as an account.
        for _ in 0..<7 { c.handle(.backspace, now: 100) }
        for ch in "-20000" { c.handle(.char(ch), now: 100) }
        let over = c.render(width: 80, height: 24, now: 100).lines()
        #expect(over.contains { $0.contains("more than the wallet holds (10,000.00) cannot come out") })
        #expect(over.contains { $0.contains("│ margin ratio                     39.90                                     │") })
        // Within the wallet but beyond equity − IM: the exchange would refuse it.
        for _ in 0..<6 { c.handle(.backspace, now: 100) }
        for ch in "-5000" { c.handle(.char(ch), now: 100) }
        #expect(c.render(width: 80, height: 24, now: 100).lines().contains { $0.contains("the exchange would refuse it: more than equity − IM (3,921.15)") })
        // `q` closes the panel, it does not quit.
        c.handle(.char("q"), now: 100)
        #expect(c.ui.overlay == .none && !c.quit)
    }
}
