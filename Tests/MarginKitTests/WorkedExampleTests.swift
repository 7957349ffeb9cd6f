import Testing
@testable import MarginKit

/// The public worked example of docs/formulas.md (Binance FAQ, cross margin, two longs).
@Suite struct WorkedExampleTests {
    static func engine() throws -> Engine {
        let portfolio = Portfolio(
            wallet: 1_535_443.01,
            positions: [
                PositionSpec(symbol: "BTCUSDT", side: .long, size: 109.488, entry: 32_481.98,
                             leverage: 20, mark: 31_967.27),
                PositionSpec(symbol: "ETHUSDT", side: .long, size: 3_683.979, entry: 1_456.84,
                             leverage: 20, mark: 1_335.18),
            ],
            instruments: [
                "BTCUSDT": Instrument(symbol: "BTCUSDT", table: BracketTable(tiers: [(0, 0.025, 16_300)])),
                "ETHUSDT": Instrument(symbol: "ETHUSDT", table: BracketTable(tiers: [(0, 0.10, 135_365)])),
            ])
        return try Engine(portfolio: portfolio)
    }

    @Test func figuresMatchTheFAQToTheCent() throws {
        let e = try Self.engine().evaluate()
        let btc = try #require(e.positions.first { $0.symbol == "BTCUSDT" })
        let eth = try #require(e.positions.first { $0.symbol == "ETHUSDT" })
        #expect(abs(btc.maintenanceMargin - 71_200.81) < 0.005)
        #expect(abs(btc.unrealizedPnl - -56_354.57) < 0.005)
        #expect(abs(eth.maintenanceMargin - 356_512.51) < 0.005)
        #expect(abs(eth.unrealizedPnl - -448_192.89) < 0.005)
        #expect(abs(e.account.maintenanceMargin - 427_713.32) < 0.005)
        #expect(abs(e.account.equity - 1_030_895.56) < 0.005)
        #expect(abs(try #require(e.account.mmRate) - 0.4149) < 1e-4)
        #expect(abs(try #require(e.account.marginRatio) - 2.4102) < 1e-4)
        #expect(abs(try #require(btc.liquidationPrice) - 26_316.89) < 0.005)
    }
}
