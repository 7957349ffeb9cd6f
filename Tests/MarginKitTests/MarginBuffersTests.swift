import Testing
@testable import MarginKit

/// "Add this much to clear every warning, or take out that much without raising one": checked
/// against the rules themselves on random books — the deposit found clears every cross rule,
/// 0.1% less does not (unless it is 0), and the withdrawal found raises none.
struct MarginBuffersTests {
    /// The cross rules at `level` or worse for the engine as it is (snapshot's readings).
    static func crossRulesAt(_ level: AlertLevel, _ engine: Engine, _ t: AlertThresholds,
                             groups: [CorrelatedGroup] = []) -> [RuleReading] {
        let e = engine.evaluate()
        // A symbol with an isolated position too is left out: a reading names only the symbol,
        // and the isolated one is not the cross deposit's to clear.
        let isolatedSymbols = Set(e.positions.filter { $0.spec.margin == .isolated }.map(\.symbol))
        let crossSymbols = Set(e.positions.filter { $0.spec.margin == .cross }.map(\.symbol)).subtracting(isolatedSymbols)
        return RuleReading.readings(of: e, thresholds: t, groups: engine.shares(of: groups)).filter { r in
            guard r.level >= level else { return false }
            switch r.rule {
            case .marginRatio, .freeMarginPct, .correlatedMM: return true
            case .liquidationDistance, .positionMM: return r.symbol.map(crossSymbols.contains) ?? false
            default: return false
            }
        }
    }

    static func withWallet(_ engine: Engine, plus d: Double) -> Engine {
        var copy = engine
        copy.wallet += d
        return copy
    }

    @Test func theDepositClearsEveryCrossRuleAndNotLess() throws {
        var g = SeededGenerator(seed: 2024)
        var positive = 0, checked = 0
        for _ in 0..<400 {
            var portfolio = RandomPortfolio.make(using: &g)
            // Cross books: what a cross deposit is for (isolated positions are named apart).
            for i in portfolio.positions.indices {
                portfolio.positions[i].margin = .cross
                portfolio.positions[i].isolatedMargin = nil
            }
            guard !portfolio.positions.isEmpty else { continue }
            let engine = try Engine(portfolio: portfolio)
            let t = AlertThresholds()
            let b = engine.buffers(thresholds: t)
            for (level, deposit) in [(AlertLevel.warn, b.depositToClearWarn), (.critical, b.depositToClearCritical)] {
                let d = try #require(deposit)
                // Crossed by a hair at the exact deposit (a threshold met with equality is ok);
                // a relative margin absorbs the last bit of rounding.
                let enough = Self.withWallet(engine, plus: d * (1 + 1e-9) + 1e-6)
                #expect(Self.crossRulesAt(level, enough, t).isEmpty, "deposit \(d) leaves \(Self.crossRulesAt(level, enough, t))")
                if d > 1e-3 {
                    positive += 1
                    let short = Self.withWallet(engine, plus: d * 0.999)
                    #expect(!Self.crossRulesAt(level, short, t).isEmpty, "0.1% less than \(d) already clears")
                }
                checked += 1
            }
            // Taking out what it says raises nothing at warn that was not there.
            if b.withdrawableKeepingWarn > 1e-3 {
                let after = Self.withWallet(engine, plus: -b.withdrawableKeepingWarn * (1 - 1e-9))
                #expect(Self.crossRulesAt(.warn, after, t).isEmpty)
            }
            #expect(b.withdrawableKeepingWarn >= 0 && b.withdrawableKeepingWarn <= max(0, engine.wallet))
            #expect(b.withdrawableExchange >= 0 && b.withdrawableExchange <= max(0, engine.wallet))
        }
        #expect(checked > 300 && positive > 50, "checked \(checked), positive \(positive)")
    }

    @Test func theDepositAlsoClearsEveryCorrelatedGroup() throws {
        var g = SeededGenerator(seed: 77)
        var groupBound = 0
        for _ in 0..<300 {
            var portfolio = RandomPortfolio.make(using: &g)
            for i in portfolio.positions.indices {
                portfolio.positions[i].margin = .cross
                portfolio.positions[i].isolatedMargin = nil
            }
            // Every pair declared correlated: the same-direction symbols become groups.
            portfolio.groups = [DeclaredGroup(name: "all", symbols: RandomPortfolio.symbols)]
            var t = AlertThresholds()
            t.positionMMPctWarn = Double.random(in: 0.5...4, using: &g)
            let engine = try Engine(portfolio: portfolio)
            let groups = engine.declaredGroups()
            let d = try #require(engine.buffers(thresholds: t, groups: groups).depositToClearWarn)
            let enough = Self.withWallet(engine, plus: d * (1 + 1e-9) + 1e-6)
            #expect(Self.crossRulesAt(.warn, enough, t, groups: groups).isEmpty)
            // Where the group is what needs the most, the deposit without it is smaller.
            if let without = engine.buffers(thresholds: t).depositToClearWarn, d > without * 1.001 + 1e-3 {
                groupBound += 1
                let short = Self.withWallet(engine, plus: d * 0.999)
                #expect(Self.crossRulesAt(.warn, short, t, groups: groups).contains { $0.rule == .correlatedMM })
            }
        }
        #expect(groupBound > 20, "the group set the deposit in \(groupBound) books")
    }

    @Test func depositingMovesTheWalletAndNothingElse() throws {
        let engine = try Engine(portfolio: PortfolioLoader.load(text: DemoPortfolio.yaml, name: "demo").portfolio)
        let after = try #require(engine.depositing(500))
        #expect(after.wallet == engine.wallet + 500 && after.totals.crossMaintenanceMargin == engine.totals.crossMaintenanceMargin)
        #expect(abs(after.crossWhatIf.equity - engine.crossWhatIf.equity - 500) < 1e-9)
        #expect(engine.depositing(-engine.wallet - 0.01) == nil && engine.depositing(.nan) == nil)
    }

    @Test func aBookWithoutCrossPositionsNeedsNothing() throws {
        let isolatedOnly = """
        account: {wallet: 1000}
        positions:
          - {symbol: BTCUSDT, side: long, size: 0.1, entry: 60000, leverage: 10, margin: isolated}
        """
        let engine = try Engine(portfolio: try PortfolioLoader.load(text: isolatedOnly, name: "p.yaml").portfolio)
        let b = engine.buffers(thresholds: AlertThresholds())
        #expect(b.depositToClearWarn == 0 && b.depositToClearCritical == 0)
        #expect(b.withdrawableKeepingWarn == 1000)
    }
}
