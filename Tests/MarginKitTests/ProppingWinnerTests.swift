import Testing
@testable import MarginKit

/// "When a position has large confirmed profits, consider withdrawing some instead of leaving it
/// as implicit collateral": each winner's share of equity, and the account without the largest.
@Suite struct ProppingWinnerTests {
    @Test func theLargestWinnerIsTheAccountWithItsSymbolBackAtEntry() throws {
        var g = SeededGenerator(seed: 31)
        var found = 0
        for _ in 0..<300 {
            let portfolio = RandomPortfolio.make(using: &g)
            let engine = try Engine(portfolio: portfolio)
            let e = engine.evaluate()
            let equity = e.account.equity
            for p in e.positions {
                if p.spec.margin == .isolated || equity <= 0 {
                    #expect(p.equitySharePct == nil)
                } else {
                    #expect(abs((p.equitySharePct ?? -1) - 100 * max(0, p.unrealizedPnl) / equity) < 1e-9)
                }
            }
            let winners = e.positions.filter { $0.spec.margin == .cross && $0.unrealizedPnl > 0 }
            guard equity > 0, let best = winners.max(by: { $0.unrealizedPnl < $1.unrealizedPnl }) else {
                #expect(e.account.largestProfit == nil)
                continue
            }
            let w = try #require(e.account.largestProfit)
            #expect(w.symbol == best.symbol && w.side == best.spec.side && w.unrealizedPnl == best.unrealizedPnl)
            // Brute force: the same book with that symbol's mark set to the winner's entry.
            var back = engine
            back.setMark(best.spec.entry, for: best.symbol)
            let b = back.evaluate().account
            #expect(w.without.equity == b.equity && w.without.marginRatio == b.marginRatio)
            #expect(w.without.accountShockPct == b.accountShockPct && w.without.freeMarginPct == b.freeMarginPctShown)
            // Without its profit the account holds that much less (other positions on the
            // symbol and collateral priced by it move too).
            if e.positions.filter({ $0.symbol == best.symbol }).count == 1 && portfolio.collateral.allSatisfy({ $0.priceSymbol != best.symbol }) {
                #expect(abs(b.equity - (equity - best.unrealizedPnl)) < 1e-6 * max(1, equity))
            }
            found += 1
        }
        #expect(found > 50)
    }

    @Test func theSnapshotNamesAWinnerAboveTheShareAndTheJSONAlwaysCarriesTheLargest() throws {
        let loaded = try PortfolioLoader.load(text: DemoPortfolio.yaml, name: "demo")
        var engine = try Engine(portfolio: loaded.portfolio)
        func text(_ engine: Engine) -> String {
            let e = engine.evaluate()
            return SnapshotText.render(e, alerts: [], buffers: engine.buffers(thresholds: loaded.portfolio.alerts),
                                       source: "demo", portfolio: loaded.portfolio)
        }
        // At the demo's marks BTC's +75 is 0.6% of equity: not worth a note.
        #expect(!text(engine).contains("propping up"))
        var json = SnapshotJSON.account(engine.evaluate().account).rendered
        #expect(json.contains("\"without_largest_profit\": {\"symbol\": \"BTCUSDT\""))
        // At 100,000 BTC's profit is 27% of equity: named, with the account without it.
        engine.setMark(100_000, for: "BTCUSDT")
        let report = text(engine)
        #expect(report.contains("BTCUSDT long is propping up the rest: its profit +5,100.00 is 27.0% of cross equity."))
        #expect(report.contains("Back at its entry 66,000.00: margin ratio"))
        json = SnapshotJSON.position(engine.evaluate().positions[0]).rendered
        #expect(json.contains("\"equity_share_pct\": 27.00"))
    }
}
