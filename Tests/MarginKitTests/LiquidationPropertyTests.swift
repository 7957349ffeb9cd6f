import Testing
@testable import MarginKit

/// Properties that must hold for every portfolio, checked over seeded random ones.
@Suite struct LiquidationPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    func relativeClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(abs(a), abs(b), 1)
    }

    @Test(arguments: seeds)
    func crossEquityEqualsMaintenanceAtLiquidationPrice(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let engine = try Engine(portfolio: RandomPortfolio.make(using: &g))
        for p in engine.evaluate().positions where p.spec.margin == .cross {
            guard let lp = p.liquidationPrice else { continue }
            var moved = engine
            moved.setMark(lp, for: p.symbol)
            let t = moved.totals
            #expect(relativeClose(t.equity, t.crossMaintenanceMargin),
                    "seed \(seed) \(p.symbol): equity \(t.equity) vs MM \(t.crossMaintenanceMargin) at LP \(lp)")
        }
    }

    @Test(arguments: seeds)
    func isolatedEquityEqualsItsMaintenanceAtLiquidationPrice(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let engine = try Engine(portfolio: RandomPortfolio.make(using: &g))
        for p in engine.evaluate().positions where p.spec.margin == .isolated {
            guard let lp = p.liquidationPrice else {
                // Only a long whose margin covers its whole entry notional survives every price.
                #expect(p.spec.side == .long && (p.spec.isolatedMargin ?? 0) >= p.spec.size * p.spec.entry,
                        "seed \(seed): no liquidation price for \(p.spec)")
                continue
            }
            var moved = engine
            moved.setMark(lp, for: p.symbol)
            let at = try #require(moved.evaluate().positions.first { $0.index == p.index })
            let equity = try #require(at.isolatedEquity)
            #expect(relativeClose(equity, at.maintenanceMargin), "seed \(seed): \(equity) vs \(at.maintenanceMargin)")
        }
    }

    @Test(arguments: seeds)
    func marginRatioIsOneAtTheAccountShock(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let engine = try Engine(portfolio: RandomPortfolio.make(using: &g))
        guard let shock = engine.evaluate().account.accountShockPct else { return }
        #expect(shock >= -99 && shock <= 1000)
        var moved = engine
        for s in engine.symbols.indices { moved.setMark(engine.marks[s] * (1 + shock / 100), symbolIndex: s) }
        let t = moved.totals
        #expect(relativeClose(t.equity, t.crossMaintenanceMargin), "seed \(seed): shock \(shock)")
    }

    @Test(arguments: seeds)
    func isolatedPositionsNeverChangeCrossFigures(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let portfolio = RandomPortfolio.make(using: &g)
        var crossOnly = portfolio
        crossOnly.positions.removeAll { $0.margin == .isolated }
        // Collateral needs a price; keep the symbol priced when its only position was isolated.
        for c in portfolio.collateral where !crossOnly.positions.contains(where: { $0.symbol == c.priceSymbol }) {
            crossOnly.feed.symbols[c.priceSymbol] = SimulatedSymbol(start: portfolio.initialMark(of: c.priceSymbol))
        }
        let full = try Engine(portfolio: portfolio)
        var reduced = try Engine(portfolio: crossOnly)
        // Same marks in both, whichever position first stated the mark of a symbol.
        for (s, symbol) in full.symbols.enumerated() { reduced.setMark(full.marks[s], for: symbol) }
        let a = full.evaluate(), b = reduced.evaluate()
        func same(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (nil, nil): return true
            case let (x?, y?): return relativeClose(x, y, 1e-12)
            default: return false
            }
        }
        #expect(same(a.account.equity, b.account.equity))
        #expect(same(a.account.maintenanceMargin, b.account.maintenanceMargin))
        #expect(same(a.account.initialMargin, b.account.initialMargin))
        #expect(same(a.account.marginRatio, b.account.marginRatio))
        #expect(same(a.account.accountShockPct, b.account.accountShockPct))
        for (pa, pb) in zip(a.positions.filter { $0.spec.margin == .cross }, b.positions) {
            #expect(same(pa.liquidationPrice, pb.liquidationPrice), "seed \(seed) \(pb.symbol)")
        }
    }

    @Test(arguments: Array(seeds.prefix(100)))
    func maintenanceMarginIsContinuousAcrossBracketEdges(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        let table = RandomPortfolio.table(using: &g)
        for b in table.brackets.dropFirst() {
            let below = table.maintenanceMargin(notional: b.floor.nextDown)
            let at = table.maintenanceMargin(notional: b.floor)
            #expect(relativeClose(below, at, 1e-9), "edge \(b.floor): \(below) vs \(at)")
        }
    }
}
