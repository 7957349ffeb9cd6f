import Testing
@testable import MarginKit

/// Every recorded tape in Tests/Fixtures/tapes reads with no bad line and the ticks its rows imply.
@Suite struct RealTapeTests {
    static let expectations: [(file: String, symbol: String, ticks: Int)] = [
        ("freqtrade_binance_BTC_USDT-1h.json", "BTCUSDT", 10_235 * 4),
        ("freqtrade_binance_ETH_USDT-1h.json", "ETHUSDT", 10_235 * 4),
        ("binance_um_BTCUSDT-1h-ohlc_isotime.csv", "BTCUSDT", 17_280 * 4),
        ("binance_um_ETHUSDT-1h-ohlc_isotime.csv", "ETHUSDT", 17_280 * 4),
        ("binance_spot_BTCUSDT-4h_traderrobot.csv", "BTCUSDT", 11_760 * 4),
        ("binance_spot_ADABTC-1m-2021-11-27.csv", "ADABTC", 10 * 4),
        ("tardis_binance-futures_BTCUSDT_trades_2020-02-22.csv", "BTCUSDT", 9_999),
        ("freqtrade_binance_ETH_USDT_USDT_public_trades_2023-02-02.csv", "ETHUSDT", 1_000),
    ]

    @Test(arguments: expectations.map(\.file))
    func readsWithNoBadLine(file: String) throws {
        let expected = try #require(Self.expectations.first { $0.file == file })
        let table = SymbolTable()
        let (ticks, reader) = try readAll(SharedTapes.path(file), table: table)
        #expect(reader.badLines == 0)
        #expect(ticks.count == expected.ticks)
        #expect(Set(ticks.map { table.name($0.symbol) }) == [expected.symbol])
        #expect(ticks.allSatisfy { $0.price > 0 })
    }

    @Test func freqtradeBarsFollowTheConservativePath() throws {
        let (ticks, _) = try readAll(SharedTapes.path("freqtrade_binance_BTC_USDT-1h.json"))
        // First bar: [1640995200000, 46216.93, 46731.39, 46208.37, 46656.13, …] closes up:
        // open, low at +⌊3599999/3⌋, high at +⌊2·3599999/3⌋, close at +3599999 (1h from the name).
        #expect(ticks.prefix(4).map(\.time) == [1_640_995_200_000, 1_640_996_399_999, 1_640_997_599_999, 1_640_998_799_999])
        #expect(ticks.prefix(4).map(\.price) == [46_216.93, 46_208.37, 46_731.39, 46_656.13])
    }

    @Test func isoTimedFuturesKlinesUseTheirCloseTimes() throws {
        let (ticks, _) = try readAll(SharedTapes.path("binance_um_BTCUSDT-1h-ohlc_isotime.csv"))
        // 2024-01-01T00:00:00.000 … close_time 00:59:59.999; 42314.0 → 42503.5 is an up bar.
        #expect(ticks[0].time == 1_704_067_200_000 && ticks[3].time == 1_704_070_799_999)
        #expect(ticks.prefix(4).map(\.price) == [42_314.0, 42_289.6, 42_603.2, 42_503.5])
    }

    @Test func tardisMicrosecondsBecomeMilliseconds() throws {
        let (ticks, _) = try readAll(SharedTapes.path("tardis_binance-futures_BTCUSDT_trades_2020-02-22.csv"))
        #expect(ticks[0].time == 1_582_329_602_111 && ticks[0].price == 9_682)
    }

    @Test func thePairMergesOnIdenticalTimesInCommandLineOrder() throws {
        let table = SymbolTable()
        let btc = try TapeReader(spec: TapeSpec(argument: SharedTapes.path("freqtrade_binance_BTC_USDT-1h.json")), symbols: table)
        let eth = try TapeReader(spec: TapeSpec(argument: SharedTapes.path("freqtrade_binance_ETH_USDT-1h.json")), symbols: table)
        var merged = TickMerger([btc, eth])
        var ticks: [Tick] = []
        while let t = try merged.next() { ticks.append(t) }
        #expect(ticks.count == 81_880)
        for pair in stride(from: 0, to: ticks.count, by: 2) {
            guard ticks[pair].time == ticks[pair + 1].time,
                  table.name(ticks[pair].symbol) == "BTCUSDT", table.name(ticks[pair + 1].symbol) == "ETHUSDT" else {
                Issue.record("ticks \(pair) and \(pair + 1) do not pair BTC then ETH at one time")
                return
            }
        }
    }
}
