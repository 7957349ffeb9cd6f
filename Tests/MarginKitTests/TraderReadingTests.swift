import Testing
@testable import MarginKit

/// Numbers a trader once read as something they are not (found trying the product as a trader).
@Suite struct TraderReadingTests {
    /// Wallet 1,000 and one isolated long with 6,000 of margin: it can lose at most its margin.
    static let isolatedBook = """
    account: {wallet: 1000}
    positions:
      - {symbol: BTCUSDT, side: long, size: 1, entry: 60000, leverage: 10, margin: isolated, isolated_margin: 6000, mark: 60000}
    """

    @Test func anIsolatedPositionNeverCountsBelowZero() throws {
        let engine = try Engine(portfolio: try PortfolioLoader.load(text: Self.isolatedBook, name: "b.yaml").portfolio)
        let row = engine.stress(shocks: [-30]).rows[0]
        #expect(row.evaluation.account.totalEquity == 1_000)  // the wallet; the isolated margin is lost, no more
        #expect(row.isolatedLiquidated == ["BTCUSDT"])
        #expect(row.liquidatedText == "BTCUSDT iso")
        #expect(StressText.render(engine.stress(shocks: [-30]), source: "b.yaml").contains("BTCUSDT iso"))
        var marked = engine
        _ = marked.setMark(40_000, for: "BTCUSDT")
        #expect(marked.evaluate().account.totalEquity == 1_000)
        let json = SnapshotJSON.stress(engine.stress(shocks: [-30])).rendered
        #expect(json.contains("\"liquidated\": false, \"isolated_liquidated\": [\"BTCUSDT\"]"))
    }

    @Test func aLiquidatedCrossAccountCountsZero() throws {
        let book = "account: {wallet: 1000}\npositions:\n  - {symbol: BTCUSDT, side: long, size: 1, entry: 60000, leverage: 50}\n"
        let engine = try Engine(portfolio: try PortfolioLoader.load(text: book, name: "b.yaml").portfolio)
        let row = engine.stress(shocks: [-10]).rows[0]
        #expect(row.liquidated && row.evaluation.account.equity < 0)
        #expect(row.evaluation.account.totalEquity == 0)
        #expect(row.liquidatedText == "cross")
    }

    @Test func shocksAreLabelledAsGiven() throws {
        let engine = try Engine(portfolio: PortfolioLoader.demo().portfolio)
        let text = StressText.render(engine.stress(shocks: [-2.5, 2.5, -0.4, -99.99, 30]), source: "demo")
        for label in ["-2.5%", "+2.5%", "-0.4%", "-99.99%", "+30%"] { #expect(text.contains("  \(label)  "), "\(label)") }
        #expect(!text.contains("-3%") && !text.contains("-100%"))
    }

    /// An isolated long whose liquidation price is above its mark is liquidated: no distance.
    @Test func aPositionPastItsLiquidationShowsPastNotADistance() throws {
        let book = """
        account: {wallet: 1000}
        positions:
          - {symbol: BTCUSDT, side: long, size: 1, entry: 66000, leverage: 20, margin: isolated, isolated_margin: 3300, mark: 60000}
        """
        let loaded = try PortfolioLoader.load(text: book, name: "b.yaml")
        let evaluation = try Engine(portfolio: loaded.portfolio).evaluate()
        let p = evaluation.positions[0]
        #expect(try #require(p.liquidationPrice) > p.mark && p.isPastLiquidation)
        let rules = RuleReading.readings(of: evaluation, thresholds: loaded.portfolio.alerts).map(\.rule)
        #expect(!rules.contains(.liquidationDistance))
        let alerts = SnapshotAlerts.alerts(for: evaluation, thresholds: loaded.portfolio.alerts).map(\.rule)
        #expect(alerts.contains(.liquidation) && !alerts.contains(.liquidationDistance))
        #expect(SnapshotText.render(evaluation, alerts: [], buffers: try Engine(portfolio: loaded.portfolio).buffers(thresholds: loaded.portfolio.alerts), source: "b.yaml", portfolio: loaded.portfolio).contains("PAST"))
    }

    @Test func levelsPrintAsSet() {
        let a = AlertChange(time: 0, rule: .liquidationDistance, level: .warn, state: .raised, symbol: "BTCUSDT", value: 0.15, threshold: 0.2)
        #expect(AlertMessages.level(a.rule, a.threshold) == "0.2%")
        #expect(NumberFormat.level(12.5) == "12.5%" && NumberFormat.level(30) == "30%")
    }

    /// An account already past liquidation is not told which move "liquidates" it.
    @Test func anAccountAlreadyLiquidatedIsSaidToBe() throws {
        let book = "account: {wallet: 100}\npositions:\n  - {symbol: BTCUSDT, side: long, size: 1, entry: 60000, leverage: 100, mark: 59000}\n"
        let loaded = try PortfolioLoader.load(text: book, name: "b.yaml")
        let engine = try Engine(portfolio: loaded.portfolio)
        let evaluation = engine.evaluate()
        #expect(evaluation.account.isLiquidated)
        #expect(SnapshotText.render(evaluation, alerts: [], buffers: try Engine(portfolio: loaded.portfolio).buffers(thresholds: loaded.portfolio.alerts), source: "b", portfolio: loaded.portfolio).contains("already liquidated"))
        #expect(StressText.render(engine.stress(shocks: [-5]), source: "b").contains("already liquidated (margin ratio ≤ 1)"))
    }

    @Test func marksAreDecimalNumbersOnly() throws {
        #expect(throws: MarginWatchError.self) { try CommandLineValues.mark("BTCUSDT=0x10") }
        #expect(throws: MarginWatchError.self) { try CommandLineValues.mark("BTCUSDT=inf") }
        #expect(try CommandLineValues.mark("BTCUSDT=1e3").price == 1_000)
        #expect(throws: MarginWatchError.self) { try CommandLineValues.shocks("-0x1") }
    }

    @Test func namesWithControlCharactersAreRefused() {
        let book = "account: {wallet: 1}\npositions:\n  - {symbol: \"X\\x1b[31mUSDT\", side: long, size: 1, entry: 1, leverage: 1}\n"
        #expect { try PortfolioLoader.load(text: book, name: "b.yaml") } throws: { error in
            let text = "\(error)"
            return text.contains("must be a name without control characters") && !text.contains("\u{1B}[31m".unicodeScalars.map(String.init).joined())
        }
    }
}
