import Foundation
import Testing
@testable import MarginKit
@testable import TerminalUI

/// The monitor driven by keys, without a terminal.
@Suite struct ControllerTests {
    /// A controller replaying a small tape over a copy of `tight.yaml`.
    static func controller() throws -> (MonitorController, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mw-ui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let book = dir.appendingPathComponent("tight.yaml").path
        try String(contentsOfFile: ScreenFixtures.repoRoot.appendingPathComponent("Tests/Fixtures/portfolios/tight.yaml").path,
                   encoding: .utf8).write(toFile: book, atomically: true, encoding: .utf8)
        var tape = "time,symbol,price\n"
        for i in 0..<20 {
            tape += "\(1_700_000_000_000 + i * 60_000),BTCUSDT,\(61_000 + i * 10)\n\(1_700_000_000_000 + i * 60_000),ETHUSDT,3100\n"
        }
        let tapePath = dir.appendingPathComponent("t.csv").path
        try tape.write(toFile: tapePath, atomically: true, encoding: .utf8)
        let loaded = try PortfolioLoader.load(path: book)
        let engine = try MonitorEngine(loaded: loaded, source: .tapes([TapeSpec(path: tapePath)]), speed: .times(60), startTime: 0)
        return (MonitorController(engine: engine, portfolioPath: book), book)
    }

    @Test func replayPacesStepsAndPauses() throws {
        let (c, _) = try Self.controller()
        c.engine.pump(wall: 100)
        #expect(c.engine.lastTickTime == 1_700_000_000_000)
        c.engine.pump(wall: 102)  // 2 s at 60x = 2 minutes of tape
        #expect(c.engine.lastTickTime == 1_700_000_120_000)
        c.handle(.char(" "), now: 102)
        c.engine.pump(wall: 110)
        #expect(c.engine.lastTickTime == 1_700_000_120_000 && c.engine.paused)
        c.handle(.right, now: 110)
        #expect(c.engine.lastTickTime == 1_700_000_180_000)
        c.handle(.left, now: 110)
        #expect(c.engine.lastTickTime == 1_700_000_120_000)
        c.handle(.char("g"), now: 110)
        for ch in "1700000600000" { c.handle(.char(ch), now: 110) }
        c.handle(.enter, now: 110)
        #expect(c.engine.lastTickTime == 1_700_000_600_000 && c.ui.overlay == .none)
        // ] and [ move exactly 5% of the tape's span (19 minutes: 57 s) each press, both ways.
        _ = c.engine.driver.span?.wait()
        c.handle(.char("]"), now: 110)
        #expect(c.engine.feedTime == 1_700_000_657_000 && c.engine.lastTickTime == 1_700_000_600_000)
        c.handle(.char("]"), now: 110)
        #expect(c.engine.feedTime == 1_700_000_714_000 && c.engine.lastTickTime == 1_700_000_660_000)
        #expect(abs((c.engine.progress ?? 0) - 714.0 / 1140) < 1e-9)
        c.handle(.char("["), now: 110)
        #expect(c.engine.feedTime == 1_700_000_657_000 && c.engine.lastTickTime == 1_700_000_600_000)
        // To both ends, and no further.
        for _ in 0..<30 { c.handle(.char("]"), now: 110) }
        #expect(c.engine.lastTickTime == 1_700_001_140_000 && c.engine.progress == 1)
        for _ in 0..<30 { c.handle(.char("["), now: 110) }
        #expect(c.engine.lastTickTime == 1_700_000_000_000 && c.engine.progress == 0)
    }

    /// At the end of the tape the clock stays on the last step, and `[` still goes back from there.
    @Test func theClockStopsAtTheEndOfTheTape() throws {
        let (c, _) = try Self.controller()
        c.engine.speed = .max
        c.engine.pump(wall: 100)
        #expect(c.engine.ended && c.engine.feedTime == 1_700_001_140_000)
        c.engine.speed = .times(3_600)
        c.engine.pump(wall: 200)  // 100 s at 3600x: 100 hours of tape, were the clock still running
        #expect(c.engine.feedTime == 1_700_001_140_000)
        _ = c.engine.driver.span?.wait()
        c.handle(.char("["), now: 200)
        #expect(c.engine.feedTime == 1_700_001_083_000 && c.engine.lastTickTime == 1_700_001_080_000)
    }

    /// Going back reads the tape again with a fresh session: the log starts over, the levels the
    /// trader set stay, and the alerts they raise come back.
    @Test func aRewindKeepsTheLevelsAndStartsTheLogOver() throws {
        let (c, _) = try Self.controller()
        c.engine.pump(wall: 100)
        var tight = c.engine.thresholds
        tight.marginRatio = LevelPair(warn: 900, critical: 800)  // every step is critical
        c.engine.setThresholds(tight)
        c.handle(.right, now: 100)
        c.handle(.right, now: 100)
        let before = c.engine.log.count
        #expect(before > 0 && c.engine.log.last?.rule == .marginRatio)
        c.handle(.left, now: 100)
        #expect(c.engine.lastTickTime == 1_700_000_060_000)
        #expect(c.engine.thresholds == tight)
        // The fresh session's log only: one margin-ratio raise at the first step (the new levels), nothing later.
        #expect(c.engine.log.filter { $0.rule == .marginRatio }.map(\.kind) == [.raised], "the log starts over")
        #expect(c.engine.log.allSatisfy { $0.time <= 1_700_000_060_000 })
    }

    /// Long typed text shows its end in the editor; the tape's end is said, not "resumed"; `g`
    /// with ten digits says they were read as milliseconds.
    @Test func theEditorShowsWhatIsTypedAndTheEndIsSaid() throws {
        let (c, _) = try Self.controller()
        c.engine.pump(wall: 100)
        c.handle(.char("t"), now: 100)
        c.handle(.enter, now: 100)
        for ch in "12345678901234567890" { c.handle(.char(ch), now: 100) }
        let screen = c.render(width: 100, height: 30, now: 100).lines().joined(separator: "\n")
        #expect(screen.contains("…1234567890_"), "the end of what is typed shows")
        c.handle(.escape, now: 100)
        c.handle(.escape, now: 100)
        c.engine.speed = .max
        c.engine.pump(wall: 101)
        #expect(c.engine.ended)
        c.handle(.char(" "), now: 101)
        #expect(c.ui.message?.hasPrefix("the tape has ended") == true)
        c.handle(.char("g"), now: 101)
        for ch in "1700000060" { c.handle(.char(ch), now: 101) }
        c.handle(.enter, now: 101)
        #expect(c.ui.message?.contains("digits read as epoch ms") == true || c.ui.message?.hasPrefix("outside the tape") == true)
    }

    /// `--strict` in the monitor: a bad line reached by a jump stops the feed with the error shown.
    @Test func aStrictTapeErrorReachedByAJumpIsShownNotSwallowed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mw-strict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tape = dir.appendingPathComponent("t.csv").path
        try "time,symbol,price\n1700000000000,BTCUSDT,61000\n1700000060000,BTCUSDT,6x000\n1700000120000,BTCUSDT,61100\n"
            .write(toFile: tape, atomically: true, encoding: .utf8)
        let loaded = try PortfolioLoader.load(path: ScreenFixtures.repoRoot.appendingPathComponent("Tests/Fixtures/portfolios/tight.yaml").path)
        let engine = try MonitorEngine(loaded: loaded, source: .tapes([TapeSpec(path: tape)]), speed: .times(60), strict: true, startTime: 0)
        let c = MonitorController(engine: engine, portfolioPath: nil)
        c.engine.pump(wall: 1)
        c.handle(.char("g"), now: 1)
        for ch in "1700000120000" { c.handle(.char(ch), now: 1) }
        c.handle(.enter, now: 1)
        #expect(c.engine.feedError?.contains("t.csv:3: price is not a positive number") == true)
        let status = c.render(width: 100, height: 24, now: 1).lines().joined(separator: "\n")
        #expect(status.contains("t.csv:3"))
    }

    @Test func tighteningALevelRaisesAnAlertAtOnceAndSavingKeepsTheFile() throws {
        let (c, book) = try Self.controller()
        c.engine.pump(wall: 1)
        let before = c.engine.log.count
        c.handle(.char("t"), now: 1)
        #expect(c.ui.overlay == .editor)
        c.handle(.enter, now: 1)
        for ch in "25" { c.handle(.char(ch), now: 1) }
        c.handle(.enter, now: 1)
        #expect(c.engine.thresholds.marginRatio.warn == 25)
        let raised = c.engine.log.dropFirst(before)
        #expect(raised.contains { $0.rule == .marginRatio && $0.kind == .raised && $0.level == .warn })
        // A level that breaks warn ≥ critical is refused with a reason.
        c.handle(.down, now: 1)
        c.handle(.enter, now: 1)
        for ch in "30" { c.handle(.char(ch), now: 1) }
        c.handle(.enter, now: 1)
        #expect(c.ui.editor.error == "margin ratio warn (25) must not be below critical (30): warn comes first as the number falls")
        #expect(c.engine.thresholds.marginRatio.critical == 1.5)
        // Nonsense the file would refuse is refused live, with the same bounds; Esc clears the reason.
        c.handle(.enter, now: 1)
        for ch in "0.1" { c.handle(.char(ch), now: 1) }
        c.handle(.enter, now: 1)
        #expect(c.ui.editor.error == "margin ratio — critical below must be above 1 (the account is liquidated at 1) and at most 1000")
        c.handle(.enter, now: 1)
        c.handle(.escape, now: 1)
        #expect(c.ui.editor.error == nil && c.engine.thresholds.marginRatio.critical == 1.5)
        c.handle(.char("w"), now: 1)
        let saved = try String(contentsOfFile: book, encoding: .utf8)
        #expect(saved.contains("# A 10,000 USDT account with a BTC long and an ETH short"))
        #expect(saved.contains("  free_margin_pct: {warn: 60, critical: 50}"))
        #expect(try PortfolioLoader.load(path: book).portfolio.alerts.marginRatio.warn == 25)
    }

    @Test func theOrderHoldsWhileTheUserMovesThenSorts() throws {
        let (c, _) = try Self.controller()
        c.engine.pump(wall: 1)
        c.handle(.char("s"), now: 1)  // by symbol: BTC, ETH
        c.handle(.char("s"), now: 1)  // by notional: largest first
        let sorted = c.ui.order(of: c.engine.evaluation.positions, now: 1)
        c.handle(.down, now: 1)
        #expect(c.ui.frozenOrder == sorted && c.ui.selected == 1)
        c.handle(.char("S"), now: 1)
        #expect(c.ui.frozenOrder == nil && c.ui.order(of: c.engine.evaluation.positions, now: 2) == sorted.reversed())
    }

    @Test func togglesAndQuit() throws {
        let (c, _) = try Self.controller()
        for (key, check) in [("$", { c.ui.hideMoney }), ("x", { c.ui.overlay == .stress }), ("i", { c.ui.overlay == .isolation }),
                             ("a", { c.ui.overlay == .history }), ("?", { c.ui.overlay == .help })] as [(Character, () -> Bool)] {
            c.handle(.char(key), now: 0)
            #expect(check(), "\(key)")
        }
        c.handle(.escape, now: 0)
        #expect(c.ui.overlay == .none)
        c.handle(.char("+"), now: 0)
        #expect(c.engine.speed == .times(300))
        c.handle(.char("q"), now: 0)
        #expect(c.quit)
    }

    @Test func themesFollowTheTerminalAndNoColor() {
        #expect(Theme.choose(colors: 256, environment: [:]).depth == .extended)
        #expect(Theme.choose(colors: 8, environment: [:]).depth == .basic)
        #expect(Theme.choose(colors: 256, environment: ["NO_COLOR": "1"]).depth == .none)
        let plain = Theme(depth: .none)
        #expect(plain.fallbackAttributes(of: Style(.critical)) == (true, true, false))
        #expect(plain.fallbackAttributes(of: Style(.warn)) == (true, false, false))
    }
}
