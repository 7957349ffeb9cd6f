import Foundation
import Testing
@testable import MarginKit

/// Format edge cases, each as a small file written by the test.
@Suite struct TapeFormatTests {
    let files: TapeFiles
    init() throws { files = try TapeFiles() }

    @Test func headerlessAndHeadedKlinesGiveTheSameTicks() throws {
        let row = "1667952000000,20000.0,20100.0,19000.0,19500.0,10,1667955599999,0,0,0,0,0\n"
        let bare = try files.write("BTCUSDT-1h-bare.csv", row)
        let headed = try files.write("BTCUSDT-1h-headed.csv",
            "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n" + row)
        let t1 = SymbolTable(), t2 = SymbolTable()
        let (a, _) = try readAll(bare, table: t1)
        let (b, _) = try readAll(headed, table: t2)
        #expect(described(a, t1) == described(b, t2))
        // A down bar (close 19,500 < open 20,000) visits its high before its low.
        #expect(described(a, t1) == [
            "1667952000000 BTCUSDT 20000.0", "1667953199999 BTCUSDT 20100.0",
            "1667954399999 BTCUSDT 19000.0", "1667955599999 BTCUSDT 19500.0",
        ])
    }

    /// Found by a trader: a JSON price of exactly 1 was taken for `true` and dropped.
    @Test func jsonPricesOfOneAreReadAndBooleansAreNot() throws {
        let path = try files.write("j.jsonl", """
        {"time":1700000000000,"symbol":"BTCUSDT","price":1}
        {"time":1700000001000,"symbol":"BTCUSDT","price":1.0}
        {"time":true,"symbol":"BTCUSDT","price":2}
        {"time":1700000002000,"symbol":"BTCUSDT","price":true}

        """)
        let (ticks, reader) = try readAll(path)
        #expect(ticks.map(\.price) == [1, 1])
        #expect(reader.badLines == 2)
    }

    /// Excel and Windows exports start with a byte-order mark: the header still reads.
    @Test func aByteOrderMarkIsSkipped() throws {
        let path = try files.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("time,symbol,price\n1700000000000,BTCUSDT,60000\n".utf8))
        let (ticks, reader) = try readAll(path, strict: true)
        #expect(ticks.count == 1 && reader.badLines == 0)
    }

    @Test func anUpBarVisitsItsLowFirst() throws {
        let path = try files.write("ETHUSDT-1m.csv", "1700000000000,10,12,9,11,0,1700000059999,0,0,0,0,0\n")
        let (ticks, _) = try readAll(path)
        #expect(ticks.map(\.price) == [10, 9, 12, 11])
        let t0: Int64 = 1_700_000_000_000, span: Int64 = 59_999
        let expected: [Int64] = [t0, t0 + span / 3, t0 + 2 * span / 3, t0 + span]
        #expect(ticks.map(\.time) == expected)
    }

    @Test func anyHeaderNamingOpenTimeAndOHLCIsKlinesWithExtraColumnsIgnored() throws {
        let path = try files.write("weird.csv", "Date,Open Time,OPEN,High,Low,Close,Note\nx,1700000000,5,6,4,5.5,hello\n")
        let table = SymbolTable()
        let (ticks, reader) = try readAll(TapeSpec(argument: "SOLUSDT=" + path), table: table)
        #expect(reader.badLines == 0)
        // Seconds become ms; with no close time and a single bar, its close lands at its open.
        #expect(ticks.map(\.price) == [5, 4, 6, 5.5] && ticks[0].time == 1_700_000_000_000)
        #expect(table.name(ticks[0].symbol) == "SOLUSDT")
    }

    @Test func microsecondAndISOTimesAreRead() throws {
        let path = try files.write("t.csv", """
        time,symbol,price
        1700000000123456,BTCUSDT,1
        2023-11-14T22:13:20.5Z,BTCUSDT,2
        2023-11-14 22:13:21+01:00,BTCUSDT,3
        1700000002,BTCUSDT,4

        """)
        let (ticks, reader) = try readAll(path)
        #expect(reader.badLines == 0)
        #expect(ticks.map(\.time) == [1_700_000_000_123, 1_700_000_000_500, 1_699_996_401_000, 1_700_000_002_000])
    }

    @Test func binanceTradesWithCapitalisedBooleansAndEightColumns() throws {
        // Spot aggTrades: id, price, qty, first, last, time, is_buyer_maker, is_best_match.
        let agg = try files.write("BTCUSDT-aggTrades-2024-01-01.csv", "1,42000.5,0.1,1,1,1704067200000,True,True\n2,42001,0.2,2,3,1704067200001,False,True\n")
        let (a, ra) = try readAll(agg)
        #expect(ra.badLines == 0 && a.map(\.price) == [42_000.5, 42_001] && a.map(\.time) == [1_704_067_200_000, 1_704_067_200_001])
        // Futures aggTrades with header and lowercase booleans (7 columns).
        let fut = try files.write("ETHUSDT-aggTrades.csv",
            "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n7,2300.1,1,1,1,1704067200000,true\n")
        let (f, rf) = try readAll(fut)
        #expect(rf.badLines == 0 && f.map(\.price) == [2_300.1])
        // Spot trades: id, price, qty, quote_qty, time (µs, 2025+ dumps), is_buyer_maker, is_best_match.
        let spot = try files.write("BTCUSDT-trades-2025-01-01.csv", "9,93000,0.01,930,1735689600000123,True,True\n")
        let (s, _) = try readAll(spot)
        #expect(s.map(\.time) == [1_735_689_600_000])
    }

    @Test func jsonLinesInEveryShape() throws {
        let path = try files.write("stream.jsonl", """
        {"time": 1562306400000, "symbol": "BTCUSDT", "price": 50000}
        {"e":"markPriceUpdate","E":1562306401000,"s":"ETHUSDT","p":"3000.50","r":"0.0001","T":1562306400000}
        {"stream":"btcusdt@markPrice","data":{"e":"markPriceUpdate","E":1562306402000,"s":"BTCUSDT","p":"49900.1"}}
        {"time": "2019-07-05T06:00:03Z", "symbol": "BTCUSDT", "price": "49800"}

        """)
        let table = SymbolTable()
        let (ticks, reader) = try readAll(path, table: table)
        #expect(reader.badLines == 0)
        #expect(described(ticks, table) == ["1562306400000 BTCUSDT 50000.0", "1562306401000 ETHUSDT 3000.5",
                                            "1562306402000 BTCUSDT 49900.1", "1562306403000 BTCUSDT 49800.0"])
    }

    @Test func equalTimesAcrossFilesKeepCommandLineOrder() throws {
        let a = try files.write("a.csv", "time,symbol,price\n1700000001000,AAAUSDT,1\n1700000002000,AAAUSDT,2\n")
        let b = try files.write("b.csv", "time,symbol,price\n1700000001000,BBBUSDT,10\n1700000001500,BBBUSDT,15\n1700000002000,BBBUSDT,20\n")
        let table = SymbolTable()
        var merged = TickMerger([try TapeReader(spec: TapeSpec(argument: b), symbols: table),
                                 try TapeReader(spec: TapeSpec(argument: a), symbols: table)])
        var ticks: [Tick] = []
        while let t = try merged.next() { ticks.append(t) }
        #expect(described(ticks, table) == ["1700000001000 BBBUSDT 10.0", "1700000001000 AAAUSDT 1.0",
                                            "1700000001500 BBBUSDT 15.0", "1700000002000 BBBUSDT 20.0",
                                            "1700000002000 AAAUSDT 2.0"])
    }

    @Test func aTimeGoingBackwardsIsWarnedCountedAndStillApplied() throws {
        let path = try files.write("back.csv", "time,symbol,price\n1700000003000,BTCUSDT,1\n1700000002000,BTCUSDT,2\n1700000004000,BTCUSDT,3\n")
        let (ticks, reader) = try readAll(path)
        #expect(ticks.map(\.time) == [1_700_000_003_000, 1_700_000_002_000, 1_700_000_004_000])
        #expect(reader.timeReversals == 1 && reader.badLines == 0)
        #expect(reader.warnings.first?.contains("time goes backwards") == true)
    }

    @Test func anUnterminatedLastLineIsReadWhenWholeAndSkippedSilentlyWhenNot() throws {
        let whole = try files.write("whole.csv", "time,symbol,price\n1000,BTCUSDT,1\n2000,BTCUSDT,2")
        let (w, rw) = try readAll(whole, strict: true)
        #expect(w.map(\.price) == [1, 2] && rw.badLines == 0)
        let cut = try files.write("cut.csv", "time,symbol,price\n1000,BTCUSDT,1\n2000,BTCUS")
        let (c, rc) = try readAll(cut, strict: true)
        #expect(c.map(\.price) == [1] && rc.badLines == 0 && rc.warnings.isEmpty)
    }

    @Test func aRecordingCutShortByTheRecorderReplays() throws {
        let table = SymbolTable()
        let path = files.folder.appendingPathComponent("rec.csv").path
        do {
            let recorder = try TapeRecorder(path: path, symbols: table, truncate: true)
            for i in 0..<1_000 {
                recorder.record(Tick(time: 1_700_000_000_000 + Int64(i), symbol: table.id("BTCUSDT"), price: 50_000 + Double(i) / 8))
            }
        }
        // Cut the file inside its last line's symbol, as a kill during a partial write would.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let lastLineStart = try #require(data.dropLast().lastIndex(of: 10)) + 1
        try data.prefix(lastLineStart + 18).write(to: URL(fileURLWithPath: path))
        let (ticks, reader) = try readAll(path, strict: true)
        #expect(reader.badLines == 0 && ticks.count == 999)
        #expect(ticks[998].price == 50_000 + 998.0 / 8)
    }

    @Test(arguments: [
        ("BTC_USDT-1h.json", "BTCUSDT"), ("freqtrade_binance_BTC_USDT-1h.json", "BTCUSDT"),
        ("ETH_USDT_USDT-1h-futures.json", "ETHUSDT"), ("binance_spot_ADABTC-1m-2021-11-27.csv", "ADABTC"),
        ("BTCUSDT-1h-2024-01.csv", "BTCUSDT"), ("/a/b/SOLUSDT.csv", "SOLUSDT"),
    ])
    func symbolsComeFromFileNames(name: String, symbol: String) {
        #expect(TapeNaming.symbol(fromPath: name) == symbol)
    }

    @Test func intervalsComeFromFileNames() {
        #expect(TapeNaming.interval(fromPath: "BTC_USDT-1h.json") == 3_600_000)
        #expect(TapeNaming.interval(fromPath: "x-5m.json") == 300_000)
        #expect(TapeNaming.interval(fromPath: "BTCUSDT-4h_traderrobot.csv") == 14_400_000)
        // Digits beyond any bar are no interval, and never an overflow.
        #expect(TapeNaming.interval(fromPath: "BTCUSDT-999999999999999w.csv") == nil)
        #expect(TapeNaming.interval(fromPath: "data.json") == nil)
    }

    @Test func freqtradeWithoutAnIntervalInItsNameUsesTheSpacingOfItsFirstBars() throws {
        let path = try files.write("candles.json", "[[1700000000000,1,2,0.5,1.5,9],[1700000300000,1.5,2,1,1.2,9]]")
        let (ticks, _) = try readAll(TapeSpec(argument: "XUSDT=" + path))
        #expect(ticks.map { $0.time - 1_700_000_000_000 } == [0, 99_999, 199_999, 299_999, 300_000, 399_999, 499_999, 599_999])
    }
}

@Suite struct TapeRecorderTests {
    @Test func appendingKeepsOneHeaderAndStartsAfterACutShortLine() throws {
        let files = try TapeFiles()
        let path = try files.write("rec.csv", "time,symbol,price\n1700000000000,BTCUSDT,1\n1700000001000,BTC")
        let table = SymbolTable()
        do {
            let recorder = try TapeRecorder(path: path, symbols: table)
            recorder.record(Tick(time: 1_700_000_002_000, symbol: table.id("ETHUSDT"), price: 2.5))
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "time,symbol,price\n1700000000000,BTCUSDT,1\n1700000001000,BTC\n1700000002000,ETHUSDT,2.5\n")
        let (ticks, reader) = try readAll(path)
        #expect(ticks.count == 2 && reader.badLines == 1)  // the cut line, now terminated, is a bad line
        #expect(TapeRecorder.format(66_000) == "66000" && TapeRecorder.format(0.00001234) == "0.00001234")
    }
}
