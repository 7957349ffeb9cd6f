import Foundation
import Testing
@testable import MarginKit
@testable import TerminalUI

/// What a trader once read on the monitor as something it was not; each test fails on the
/// screen as it was and holds the fix.
@Suite struct TraderScreenTests {
    /// The live-feed test reads standard input: only when it is a pipe or /dev/null (not a
    /// terminal that would wait for typing, not a closed descriptor another file may reuse).
    static var standardInputIsAPipeOrNull: Bool {
        var info = stat()
        guard fstat(0, &info) == 0, isatty(0) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFCHR
    }

    @Test func dollarHidesTheAmountsOfTheBannerAndTheLog() throws {
        var ui = MonitorUIState()
        ui.hideMoney = true
        let s = try ScreenFixtures.snapshot(banner: true)
        let text = ScreenFixtures.render(s, ui: ui, width: 120, height: 30).lines().joined(separator: "\n")
        #expect(text.contains("ACCOUNT LIQUIDATED: equity ≤ maintenance margin"))
        #expect(!text.contains("realized") && !text.contains("-2,800.00") && !text.contains("80.00"))
    }

    @Test func aCriticalThatClearsToWarnSaysWarnInTheWarnColour() {
        let change = AlertChange(time: 0, rule: .marginRatio, level: .critical, state: .cleared, symbol: nil, value: 1.7,
                                 threshold: 1.5, now: .warn)
        let entry = LogEntry(.alert(change))
        #expect(entry.level == .warn && entry.stillWarn)
        #expect(AlertLogView.levelLabel(entry) == ("→WARN", Style(.warn, bold: true)))
        var f = Frame(width: 80, height: 3)
        AlertLogView.render([entry], title: "ALERTS", into: &f, rect: Rect(x: 0, y: 0, width: 80, height: 3))
        #expect(f.line(1).contains("→WARN margin ratio 1.70: critical 1.50 cleared"))
        #expect(!f.line(1).contains("margin ratio margin ratio"))
    }

    @Test func theHeaderSaysUPnLIsCrossAndShowsAllOfIt() throws {
        let s = try ScreenFixtures.snapshot(portfolio: "hedge.json")
        let line = ScreenFixtures.render(s, width: 120, height: 30).line(1)
        #expect(line.contains("uPnL cross ") && line.contains(" all "))
        #expect(ScreenFixtures.render(try ScreenFixtures.snapshot(), width: 120).line(1).contains(" uPnL -2,800.00"))
    }

    @Test func theExchangesMarginRatioShowsAndTheGaugeHeedsTheCrash() throws {
        var s = try ScreenFixtures.snapshot()
        #expect(ScreenFixtures.render(s).line(2).contains("Binance 5.4%"))
        #expect(s.gaugeLevel == .ok)
        // A ratio of 18.52 is "OK" — but not when the crash that liquidates is nearer than the warn distance.
        s.thresholds.liquidationDistancePct = LevelPair(warn: 250, critical: 5)
        #expect(s.gaugeLevel == .warn)
        #expect(ScreenFixtures.render(s).line(2).contains("] WARN"))
    }

    @Test func staleNumbersAreDimmedAndSaidAndBadLinesCounted() throws {
        var s = try ScreenFixtures.snapshot()
        s.feed.state = .stale(seconds: 12)
        s.feed.badLines = 3
        let f = ScreenFixtures.render(s)
        #expect(f.line(2).contains("OK STALE"))
        #expect(f[2, 1].style.role == .dim && f[20, 3].style.role == .dim)
        #expect(f.line(22).contains("STALE: no tick for 12s") && f.line(22).contains("3 bad lines"))
    }

    @Test func aReplayThatPlaysDoesNotSayLive() throws {
        var s = try ScreenFixtures.snapshot()
        s.feed.state = .live
        #expect(ScreenFixtures.render(s).line(22).hasPrefix(" ▶ PLAYING"))
    }

    @Test func aLongPortfolioPathGivesWayBeforeTheSource() throws {
        var s = try ScreenFixtures.snapshot()
        s.portfolioName = "/home/trader/accounts/binance/main-cross-book-with-a-long-name/portfolio.yaml"
        let title = ScreenFixtures.render(s).line(0)
        #expect(title.contains("portfolio.yaml · REPLAY"))
    }

    @Test func longSymbolsEndInAnEllipsisNeverRunIntoTheNextColumn() throws {
        var book = Portfolio(wallet: 100_000, positions: [])
        book.instruments["BTCUSDT_240329"] = Instrument(symbol: "BTCUSDT_240329", table: BracketTable(flatRate: 0.01))
        book.positions.append(PositionSpec(symbol: "BTCUSDT_240329", side: .short, size: 1, entry: 60_000, leverage: 5))
        var s = try ScreenFixtures.snapshot()
        s.evaluation = try Engine(portfolio: book).evaluate()
        s.isolation = try Engine(portfolio: book).isolationComparison()
        var ui = MonitorUIState()
        ui.overlay = .isolation
        let text = ScreenFixtures.render(s, ui: ui).lines().joined(separator: "\n")
        #expect(text.contains("BTCUSDT_…") && !text.contains("BTCUSDT_240329short"))
        #expect(text.contains(try #require(s.isolation).closerSentence))
    }

    @Test func helpAndGoToHintsAreWhole() throws {
        var ui = MonitorUIState()
        ui.overlay = .help
        let help = ScreenFixtures.render(try ScreenFixtures.snapshot(), ui: ui).lines().joined(separator: "\n")
        #expect(help.contains("Margin ratio = equity / MM: healthy above 2, liquidated at 1"))
        ui.overlay = .goTo
        let go = ScreenFixtures.render(try ScreenFixtures.snapshot(), ui: ui).lines().joined(separator: "\n")
        #expect(go.contains("ISO-8601 (2022-11-08T16:00, UTC) or epoch ms; Enter"))
    }

    @Test func theSelectionFollowsItsPositionAcrossASortAndTheColumnIsMarked() throws {
        let (c, _) = try ControllerTests.controller()
        c.engine.pump(wall: 1)
        c.handle(.down, now: 1)  // ETHUSDT, the second in file order
        let positions = c.engine.evaluation.positions
        #expect(positions[c.ui.order(of: positions, now: 10)[c.ui.selected]].symbol == "ETHUSDT")
        c.handle(.char("s"), now: 10)
        c.handle(.char("s"), now: 10)  // by notional: BTC's is larger, so ETH moves to row 2 or stays
        c.handle(.char("S"), now: 10)
        #expect(positions[c.ui.order(of: positions, now: 10)[c.ui.selected]].symbol == "ETHUSDT")
        // Notional sorts largest first; reversed, smallest first: ▲.
        #expect(c.render(width: 160, height: 48, now: 10).line(4).contains("NOTIONAL▲"))
    }

    @Test func quittingWithUnsavedLevelsAsksOnce() throws {
        let (c, _) = try ControllerTests.controller()
        c.engine.pump(wall: 1)
        c.handle(.char("t"), now: 1)
        c.handle(.right, now: 1)
        c.handle(.escape, now: 1)
        c.handle(.char("q"), now: 1)
        #expect(!c.quit && c.render(width: 80, height: 24, now: 1).line(22).contains("levels not saved: t then w saves; q again quits"))
        c.handle(.char("q"), now: 1)
        #expect(c.quit)
    }

    @Test func pageDownMovesByTheRowsShown() throws {
        let (c, _) = try ControllerTests.controller()
        c.engine.pump(wall: 1)
        _ = c.render(width: 80, height: 24, now: 1)
        #expect(c.ui.tablePage == 2)  // the book has two positions: one page is both rows
        // A long book at 80×24: the table shows 11 rows, and a page is 11, not a fixed 10.
        #expect(MainView.tableRows(positions: 29, banner: false, height: 24) - 1 == 11)
        c.handle(.pageDown, now: 1)
        #expect(c.ui.selected == 1)
    }

    @Test func goingToATimeOutsideTheTapeIsRefused() throws {
        let (c, _) = try ControllerTests.controller()
        c.engine.pump(wall: 1)
        _ = c.engine.driver.span?.wait()
        c.handle(.char("g"), now: 1)
        for ch in "2030-01-01" { c.handle(.char(ch), now: 1) }
        c.handle(.enter, now: 1)
        #expect(c.engine.lastTickTime == 1_700_000_000_000 && c.ui.overlay == .goTo)
        #expect(c.ui.message == "outside the tape: 2023-11-14 22:13 → 2023-11-14 22:32")
        // On the screen, whole: the message takes the place of the clock and the bar.
        #expect(c.render(width: 80, height: 24, now: 1).line(22).contains("outside the tape: 2023-11-14 22:13 → 2023-11-14 22:32"))
    }

    /// A live feed cannot be paused: space freezes the screen (the feed and the rules go on),
    /// and speed keys say they are for simulations and replays.
    @Test(.enabled(if: Self.standardInputIsAPipeOrNull, "reads standard input"))
    func spaceOnALiveFeedFreezesTheScreen() throws {
        let loaded = try ScreenFixtures.portfolio()
        let engine = try MonitorEngine(loaded: loaded, source: .standardInput, speed: .times(1), startTime: 0)
        let c = MonitorController(engine: engine, portfolioPath: nil)
        c.handle(.char(" "), now: 1)
        #expect(!engine.paused)
        #expect(c.render(width: 100, height: 24, now: 1).line(22).contains("FROZEN — live feed continues"))
        c.handle(.char("+"), now: 1)
        #expect(c.ui.message?.hasPrefix("speed applies to simulations and replays only") == true)
        c.handle(.char(" "), now: 2)
        #expect(!c.render(width: 100, height: 24, now: 2).line(22).contains("FROZEN"))
    }

    /// 29 positions in the isolated-vs-cross panel at 80×24: the rows scroll, the summary stays.
    @Test func theIsolationPanelScrollsAndKeepsItsSummary() throws {
        let book = ScreenFixtures.flatBook(29)
        var s = try ScreenFixtures.snapshot()
        s.evaluation = try Engine(portfolio: book).evaluate()
        s.isolation = try Engine(portfolio: book).isolationComparison()
        var ui = MonitorUIState()
        ui.overlay = .isolation
        ui.panelScroll = 20
        let text = ScreenFixtures.render(s, ui: ui).lines().joined(separator: "\n")
        #expect(text.contains("of 29 · ↑↓ PgUp PgDn scroll") && text.contains("S28USDT") && !text.contains("S0USDT "))
        #expect(text.contains("Isolated: locks"))
    }
}
