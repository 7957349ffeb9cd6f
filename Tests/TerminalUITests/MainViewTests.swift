import Testing
@testable import MarginKit
@testable import TerminalUI

/// The main screen rendered into a frame and compared line by line (no terminal involved).
@Suite struct MainViewTests {
    @Test func mainScreenAt80x24() throws {
        let f = ScreenFixtures.render(try ScreenFixtures.snapshot())
        #expect(f.lines() == [
            " marginwatch · tight.yaml · REPLAY · 3600x                 2022-11-08 16:33:00Z",
            " Equity 7,200.00  Wallet 10,000.00  uPnL -2,800.00 (-28.0%)  Total 7,200.00",
            " Margin ratio 18.52 [██████████████] OK  Binance 5.4%  MM 388.80  IM 1,944.00",
            " Free 5,256.00 73.0%  Soft stop HIT  RoM -144.0%  Crash to liq +207.4%",
            " SYMBOL     SIDE          MARK        uPnL   LIQ PRICE  LIQ DIST        STOP",
            " BTCUSDT    long    59,000.00▼   -2,800.00   50,451.81    -14.5%   60,000.00",
            " ETHUSDT    short    3,125.00         0.00    3,548.58    +13.6%        none",
            "",
            " ALERTS  (newest first; a: history)",
            " 11-08 16:33:00 STOP  stop-loss    BTCUSDT stop-loss closed at 59,000.00, reali…",
            " 11-08 16:32:00 CLEAR free margin  33.0%: warn 30% cleared",
            " 11-08 16:31:00 CRIT  margin ratio 1.42, below critical 1.50",
            " 11-08 16:30:00 WARN  position MM  BTCUSDT MM 2.62% of equity, above warn 2%",
            "", "", "", "", "", "", "", "", "",
            " ‖ PAUSED  REPLAY  3600x  2022-11-08 16:33:00  [██████████░░░░░░░░░░] 50%",
            " q quit  ? help  space pause  +/- speed  ←→[]g step/seek/go  ↑↓ select",
        ])
    }

    @Test func aLongSourceIsCutBeforeTheClock() throws {
        var s = try ScreenFixtures.snapshot()
        s.feed.source = "REPLAY freqtrade_binance_BTC_USDT-1h.json + freqtrade_binance_ETH_USDT-1h.json"
        let title = ScreenFixtures.render(s).line(0)
        #expect(title == " marginwatch · tight.yaml · REPLAY freqtrade_binance_BTC_… 2022-11-08 16:33:00Z")
        #expect(ScreenFixtures.render(s).line(22).hasPrefix(" ‖ PAUSED  REPLAY  3600x  2022-11-08 16:33:00"))
    }

    @Test func wideScreenShowsEveryColumn() throws {
        let f = ScreenFixtures.render(try ScreenFixtures.snapshot(), width: 160, height: 48)
        // Wide terminals also get leverage and each position's maintenance margin.
        #expect(f.lines()[4] == " SYMBOL     SIDE   MODE         SIZE       ENTRY         MARK    NOTIONAL        uPnL      ROE   LIQ PRICE  LIQ DIST    LEV          MM        STOP")
        #expect(f.lines()[5] == " BTCUSDT    long   cross         0.8   62,500.00   59,000.00▼   47,200.00   -2,800.00  -280.0%   50,451.81    -14.5%    50x      188.80   60,000.00")
        // Tall enough for the chart under the positions; the log below it.
        #expect(f.lines()[8].hasPrefix(" CHART  (margin ratio, equity; c: full screen, < > zoom)"))
        #expect(f.lines().contains(" 11-08 16:33:00 STOP  stop-loss    BTCUSDT stop-loss closed at 59,000.00, realized -2,800.00"))
        #expect(f.lines()[47].hasPrefix(" q quit  ? help  space pause  +/- speed  ←→[]g step/seek/go  ↑↓ select  enter details  t levels"))
    }

    @Test(arguments: [
        // uPnL does not fit at 60; the narrow MODE column fills the room it leaves.
        (60, ["SYMBOL", "SIDE", "MODE", "MARK", "LIQ PRICE", "LIQ DIST"]),
        (80, ["SYMBOL", "SIDE", "MARK", "uPnL", "LIQ PRICE", "LIQ DIST", "STOP"]),
        (100, ["SYMBOL", "SIDE", "ENTRY", "MARK", "uPnL", "ROE", "LIQ PRICE", "LIQ DIST", "STOP"]),
    ] as [(Int, [String])])
    func columnsDropByPriorityNeverWrap(width: Int, titles: [String]) throws {
        #expect(PositionsTable.fitting(width).map(\.title) == titles)
        let f = ScreenFixtures.render(try ScreenFixtures.snapshot(), width: max(width, 80), height: 24)
        #expect(f.lines().allSatisfy { $0.count <= max(width, 80) })
    }

    @Test func levelsAreColouredAndLabelled() throws {
        let f = ScreenFixtures.render(try ScreenFixtures.snapshot())
        #expect(f.style(of: "CRIT") == Style(.critical, bold: true))
        #expect(f.style(of: "WARN") == Style(.warn, bold: true))
        #expect(f.style(of: "CLEAR") == Style(.ok))
        #expect(f.style(of: "STOP  stop-loss") == Style(.critical, bold: true))
        #expect(f.style(of: "-2,800.00 (")?.role == .loss)
        #expect(f.style(of: "-14.5%")?.role == .ok)
        #expect(f.style(of: "none")?.role == .warn)
    }

    @Test func theMarginGaugeTakesTheColourOfItsLevel() throws {
        var s = try ScreenFixtures.snapshot()
        #expect(ScreenFixtures.render(s).style(of: "18.52")?.role == .ok)
        s.thresholds.marginRatio = LevelPair(warn: 20, critical: 10)
        var f = ScreenFixtures.render(s)
        #expect(f.style(of: "18.52")?.role == .warn)
        #expect(f.line(2).contains("WARN"))
        s.thresholds.marginRatio = LevelPair(warn: 30, critical: 20)
        f = ScreenFixtures.render(s)
        #expect(f.style(of: "18.52") == Style(.critical, bold: true))
        #expect(f.style(of: "█")?.role == .critical)
    }

    @Test func dollarHidesEveryMoneyAmountButKeepsRatios() throws {
        var ui = MonitorUIState()
        ui.hideMoney = true
        let text = ScreenFixtures.render(try ScreenFixtures.snapshot(), ui: ui, width: 160, height: 48).lines().joined(separator: "\n")
        for amount in ["7,200.00", "10,000.00", "2,800.00", "388.80", "1,944.00", "5,256.00", "47,200.00", "0.8 "] {
            #expect(!text.components(separatedBy: "\n").prefix(8).joined().contains(amount), "\(amount) is visible")
        }
        #expect(text.contains("•••"))
        #expect(text.contains("18.52") && text.contains("-14.5%") && text.contains("73.0%") && text.contains("59,000.00"))
    }

    @Test func aLiquidationBannerCannotBeMissed() throws {
        let f = ScreenFixtures.render(try ScreenFixtures.snapshot(banner: true))
        #expect(f.line(4) == "     ■ ACCOUNT LIQUIDATED: equity 80.00 ≤ MM 95.00 at 2022-11-08 16:34:00 ■")
        #expect(f[0, 4].style == Style(.banner, bold: true, reverse: true))
        #expect(f[79, 4].style == Style(.banner, bold: true, reverse: true))
    }

    @Test(arguments: [(79, 24), (80, 23), (40, 10), (1, 1), (0, 0), (20, 3)] as [(Int, Int)])
    func aTerminalTooSmallSaysWhatItNeeds(width: Int, height: Int) throws {
        let f = ScreenFixtures.render(try ScreenFixtures.snapshot(), width: width, height: height)
        let text = f.lines().joined(separator: " ")
        if width >= 40 && height >= 2 {
            #expect(text.contains("terminal too small") && text.contains("need 80×24, have \(width)×\(height)"))
        }
        #expect(f.lines().allSatisfy { $0.count <= width })
    }

    @Test func aSelectedRowIsReversedAndTwoHundredPositionsScroll() throws {
        var ui = MonitorUIState()
        ui.selected = 1
        let f = ScreenFixtures.render(try ScreenFixtures.snapshot(), ui: ui)
        #expect(f[2, 6].style.reverse && !f[2, 5].style.reverse)
        // A long book keeps the selection visible and says which rows show.
        let book = ScreenFixtures.flatBook(200)
        var s = try ScreenFixtures.snapshot()
        s.evaluation = try Engine(portfolio: book).evaluate()
        ui.selected = 150
        let g = ScreenFixtures.render(s, ui: ui)
        #expect(g.lines().contains { $0.hasPrefix(" S150USDT") })
        #expect(g.lines().contains { $0.hasSuffix("of 200") && !$0.hasPrefix(" S") })  // on no row of positions
    }
}
