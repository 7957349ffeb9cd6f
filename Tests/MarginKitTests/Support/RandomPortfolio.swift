@testable import MarginKit

/// Random but valid portfolios for property tests: several symbols with random tiered tables,
/// long and short, cross and isolated, with collateral.
enum RandomPortfolio {
    static let symbols = ["BTCUSDT", "ETHUSDT", "AAAUSDT", "BBBUSDT"]

    static func table(using g: inout SeededGenerator) -> BracketTable {
        let count = Int.random(in: 1...6, using: &g)
        var floor = 0.0
        var mmr = Double.random(in: 0.002...0.02, using: &g)
        var tiers: [(floor: Double, mmr: Double, cum: Double?)] = [(0, mmr, nil)]
        for _ in 1..<count {
            floor += Double.random(in: 5_000...200_000, using: &g)
            mmr += Double.random(in: 0.001...0.05, using: &g)
            tiers.append((floor, min(mmr, 0.5), nil))
        }
        return BracketTable(tiers: tiers)
    }

    static func make(using g: inout SeededGenerator) -> Portfolio {
        var instruments = BuiltinInstruments.all
        for s in symbols.dropFirst(2) { instruments[s] = Instrument(symbol: s, table: table(using: &g)) }
        let basePrice: [String: Double] = ["BTCUSDT": 60_000, "ETHUSDT": 3_000, "AAAUSDT": 150, "BBBUSDT": 0.5]
        var positions: [PositionSpec] = []
        var used = Set<String>()
        for _ in 0..<Int.random(in: 1...6, using: &g) {
            let symbol = symbols.randomElement(using: &g)!
            let side: Side = Bool.random(using: &g) ? .long : .short
            guard used.insert("\(symbol) \(side)").inserted else { continue }
            let price = basePrice[symbol]!
            let notional = Double.random(in: 1_000...400_000, using: &g)
            let isolated = Double.random(in: 0...1, using: &g) < 0.25
            let leverage = Double.random(in: 1...50, using: &g).rounded()
            positions.append(PositionSpec(
                symbol: symbol, side: side, size: notional / price,
                entry: price * Double.random(in: 0.8...1.2, using: &g), leverage: leverage,
                margin: isolated ? .isolated : .cross,
                isolatedMargin: isolated ? notional / leverage * Double.random(in: 0.5...2, using: &g) : nil,
                mark: price * Double.random(in: 0.9...1.1, using: &g)))
        }
        var portfolio = Portfolio(wallet: Double.random(in: 0...50_000, using: &g), positions: positions,
                                  instruments: instruments)
        if Bool.random(using: &g), let symbol = positions.first?.symbol {
            portfolio.collateral = [CollateralSpec(asset: "X", amount: Double.random(in: 0.1...5, using: &g),
                                                   priceSymbol: symbol, haircut: Double.random(in: 0...0.2, using: &g))]
        }
        return portfolio
    }
}
