import Foundation
import Testing
@testable import MarginKit

/// The exchange answers as marginwatch reads them: what a trader's account becomes, and the
/// place named when an answer is wrong.
@Suite struct BinanceDecoderTests {
    static let dir = "Tests/Fixtures/binance/"
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(dir + name)))
    }

    @Test func accountIsTheUSDTCrossWalletWithOtherAssetsListed() throws {
        let (wallet, others) = try BinanceDecoders.account(Self.data("account.json"), file: "account.json")
        // 11,500 in the wallet, 1,500 of it locked in the isolated SOL position: 10,000 backs cross.
        #expect(wallet == 10_000)
        #expect(others.map(\.asset) == ["BNB"])  // USDC has a zero balance: not listed
        #expect(others.map(\.balance) == [1.5])
    }

    @Test func positionsKeepSideSizeAndTheExchangesLiquidationPrice() throws {
        let held = try BinanceDecoders.positions(Self.data("positionRisk.json"), file: "p.json")
        #expect(held.map(\.spec.symbol) == ["BTCUSDT", "ETHUSDT", "SOLUSDT"])  // the zero ADAUSDT row is dropped
        #expect(held.map(\.spec.side) == [.long, .short, .long])
        #expect(held.map(\.spec.size) == [0.5, 5, 100])
        #expect(held[1].spec.entry == 3_000 && held[1].spec.leverage == 10 && held[1].spec.margin == .cross)
        #expect(held[2].spec.margin == .isolated && held[2].spec.isolatedMargin == 1_500)
        #expect(held.map(\.mark) == [62_000, 2_900, 140])
        #expect(held.map(\.liquidationPrice) == [39_315.2, 5_200, 136.55])
    }

    @Test func isolatedWalletFallsBackToMarginLessUnrealizedProfit() throws {
        let row = #"[{"symbol":"SOLUSDT","positionAmt":"100","entryPrice":"150","markPrice":"140","liquidationPrice":"0","leverage":"10","marginType":"isolated","isolatedMargin":"500","unRealizedProfit":"-1000","positionSide":"BOTH"}]"#
        let held = try BinanceDecoders.positions(Data(row.utf8), file: "p.json")
        #expect(held[0].spec.isolatedMargin == 1_500)
        #expect(held[0].liquidationPrice == nil)  // 0 is the exchange's "none"
    }

    @Test func hedgeModeIsRefusedNamingTheField() throws {
        #expect(throws: MarginWatchError.self) { try BinanceDecoders.positions(Self.data("positionRisk-hedge.json"), file: "h.json") }
        do {
            _ = try BinanceDecoders.positions(Self.data("positionRisk-hedge.json"), file: "h.json")
        } catch let error as MarginWatchError {
            #expect(error.description.hasPrefix("h.json: [0].positionSide: LONG: the account is in hedge mode"))
            #expect(error.exitCode == 65)
        }
    }

    @Test func bracketsBecomeTheEnginesTables() throws {
        let tables = try BinanceDecoders.brackets(Self.data("leverageBracket.json"), file: "b.json")
        #expect(Set(tables.keys) == ["BTCUSDT", "ETHUSDT", "SOLUSDT"])
        let sol = try #require(tables["SOLUSDT"])
        #expect(sol.brackets.map(\.floor) == [0, 10_000, 50_000])
        #expect(sol.brackets.map(\.mmr) == [0.01, 0.015, 0.02])
        // MM is continuous at the tier edges with the exchange's cum: 10,000 × 1% = 10,000 × 1.5% − 50.
        #expect(abs(sol.maintenanceMargin(notional: 10_000) - 100) < 1e-9)
        #expect(abs(sol.maintenanceMargin(notional: 9_999.99) - 99.9999) < 1e-9)
    }

    @Test(arguments: [
        (#"{"assets":[{"asset":"BTC","walletBalance":"1"}]}"#, "a.json: assets has no USDT entry"),
        (#"{"assets":[{"asset":"USDT","walletBalance":"x","crossWalletBalance":"1"}]}"#, "a.json: assets[0].walletBalance: expected a number"),
        (#"{"assets":[{"asset":"USDT","walletBalance":"1","crossWalletBalance":"-1"}]}"#, "a.json: assets[0].crossWalletBalance: expected 0 up to 10^15 (got -1.0)"),
        (#"{"assets":{}}"#, "a.json: assets: expected a list"),
        (#"[1,"#, "a.json: not JSON"),
    ])
    func badAccountAnswersNameTheField(_ text: String, _ message: String) {
        do {
            _ = try BinanceDecoders.account(Data(text.utf8), file: "a.json")
            Issue.record("accepted \(text)")
        } catch let error as MarginWatchError {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        (#"[{"symbol":"btcusdt","positionAmt":"1"}]"#, "p.json: [0].symbol: not a symbol: btcusdt"),
        (#"[{"symbol":"BTCUSDT","positionAmt":"1","entryPrice":"0"}]"#, "p.json: [0].entryPrice: expected a price above 0 (got 0.0)"),
        (#"[{"symbol":"BTCUSDT","positionAmt":"nan"}]"#, "p.json: [0].positionAmt: expected a size up to 10^12 (got \"nan\")"),
        (#"[{"symbol":"BTCUSDT","positionAmt":"1","entryPrice":"1","markPrice":"1","liquidationPrice":"0","leverage":"500"}]"#, "p.json: [0].leverage: expected a leverage from 1 to 200"),
        (#"[{"symbol":"BTCUSDT","positionAmt":"1","entryPrice":"1","markPrice":"1","liquidationPrice":"0","leverage":"5","marginType":"x"}]"#, "p.json: [0].marginType: expected cross or isolated"),
        (#"[{"symbol":"BTCUSDT","positionAmt":true}]"#, "p.json: [0].positionAmt: expected a size up to 10^12 (got true)"),
        (#"[{"symbol":"BTCUSDT","positionAmt":"1e300"}]"#, "p.json: [0].positionAmt: expected a size up to 10^12 (got 1e+300)"),
    ])
    func badPositionAnswersNameTheField(_ text: String, _ message: String) {
        do {
            _ = try BinanceDecoders.positions(Data(text.utf8), file: "p.json")
            Issue.record("accepted \(text)")
        } catch let error as MarginWatchError {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func markPriceFramesGiveSymbolTimePriceAndFunding() throws {
        let frame = #"{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}}"#
        let update = try #require(try MarkPriceUpdate.decode(Data(frame.utf8)))
        #expect(update == MarkPriceUpdate(symbol: "BTCUSDT", time: 1_562_305_380_000, price: 11_794.15, fundingRate: 0.00038167,
                                          nextFunding: 1_562_306_400_000))
        // A subscription reply is not an update; a broken update is an error.
        #expect(try MarkPriceUpdate.decode(Data(#"{"result":null,"id":1}"#.utf8)) == nil)
        #expect(throws: MarginWatchError.self) {
            try MarkPriceUpdate.decode(Data(#"{"data":{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","p":"-5"}}"#.utf8))
        }
    }

    @Test func fundingPaymentHasTheSignATraderExpects() {
        let funding = FundingInfo(rate: 0.0001, nextFunding: 0)
        #expect(funding.payment(notional: 100_000, side: .long) == -10)  // longs pay a positive rate
        #expect(funding.payment(notional: 100_000, side: .short) == 10)
        #expect(FundingInfo(rate: -0.0002, nextFunding: 0).payment(notional: 50_000, side: .long) == 10)
    }

    @Test func importWritesAPortfolioThatReadsBackAsTheAccount() throws {
        let (wallet, others) = try BinanceDecoders.account(Self.data("account.json"), file: "a")
        let held = try BinanceDecoders.positions(Self.data("positionRisk.json"), file: "p")
        let tables = try BinanceDecoders.brackets(Self.data("leverageBracket.json"), file: "b")
        let account = ExchangeAccount(wallet: wallet, positions: held, otherAssets: others)
        let yaml = try BinanceImport.yaml(account: account, brackets: tables, bracketsFile: "b", sources: ["a", "p", "b"])
        let portfolio = try PortfolioLoader.load(text: yaml, name: "imported").portfolio
        #expect(portfolio.wallet == 10_000)
        #expect(portfolio.positions == held.map(\.spec))
        #expect(portfolio.instruments["SOLUSDT"]?.table == tables["SOLUSDT"])
        #expect(yaml.contains("# BNB: 1.5 held, not counted"))
        // A held symbol without brackets is an error naming the brackets file.
        #expect(throws: MarginWatchError.self) {
            try BinanceImport.yaml(account: account, brackets: [:], bracketsFile: "b", sources: [])
        }
    }

    @Test(arguments: [0.1, 1e-7, 123_456_789.123, 5e-05, 66_123.45, 1e17])
    func importNumbersReadBackExactly(_ x: Double) throws {
        let text = BinanceImport.decimal(x)
        #expect(!text.contains("e"))
        #expect(Double(text) == x)
    }

    @Test func liquidationCheckFlagsAHalfPercentAndSaysWhy() {
        let close = LiquidationCheck(ours: 100.3, exchange: 100, mark: 120, bracketsFromExchange: true)
        #expect(close.note == nil)
        #expect(abs((close.differencePct ?? 0) - 0.3) < 1e-9)
        let far = LiquidationCheck(ours: 101, exchange: 100, mark: 120, bracketsFromExchange: false)
        #expect(far.note?.contains("bracket table") == true)
        #expect(LiquidationCheck(ours: 101, exchange: 100, mark: 120, bracketsFromExchange: true).note?.contains("fees") == true)
        #expect(LiquidationCheck(ours: nil, exchange: 100, mark: 120, bracketsFromExchange: true).note != nil)
        #expect(LiquidationCheck(ours: nil, exchange: nil, mark: 120, bracketsFromExchange: true).note == nil)
    }

    /// The same +1% means opposite things for a long and a short: the words say which way it errs.
    @Test func theDifferenceSaysWhetherOursWarnsEarlierOrLater() {
        // A long, mark 120: ours at 101 is nearer the mark than theirs at 100 (we warn earlier).
        #expect(LiquidationCheck(ours: 101, exchange: 100, mark: 120, bracketsFromExchange: true).differenceText
                == "+1.00% (ours nearer the mark)")
        // A short, mark 80: ours at 101 is farther from the mark than theirs at 100.
        #expect(LiquidationCheck(ours: 101, exchange: 100, mark: 80, bracketsFromExchange: true).differenceText
                == "+1.00% (ours farther from the mark)")
    }

    @Test(arguments: [
        ("positions", #"[{"symbol":"BTCUSDT","positionAmt":"0x10"}]"#, "p.json: [0].positionAmt: expected a size up to 10^12 (got \"0x10\")"),
        ("positions", #"[{"symbol":"BTCUSDT","positionAmt":"1","entryPrice":"1","markPrice":"1","liquidationPrice":"0","leverage":"5","marginType":"cross","positionSide":"BOTH"},{"symbol":"BTCUSDT","positionAmt":"-1","entryPrice":"1","markPrice":"1","liquidationPrice":"0","leverage":"5","marginType":"cross","positionSide":"BOTH"}]"#,
         "p.json: [1]: BTCUSDT appears twice"),
        ("positions", #"[{"symbol":"SOLUSDT","positionAmt":"1","entryPrice":"1","markPrice":"1","liquidationPrice":"0","leverage":"5","marginType":"isolated","isolatedWallet":"0"}]"#,
         "p.json: [0].isolatedWallet: expected above 0"),
        ("positions", #"[{"symbol":"BTCUSDT","positionAmt":"1","positionSide":"sideways"}]"#, "p.json: [0].positionSide: expected BOTH (one-way mode), LONG or SHORT"),
        ("account", #"{"assets":[{"asset":"USDT","walletBalance":"1","crossWalletBalance":"1"},{"asset":"USDT","walletBalance":"9","crossWalletBalance":"9"}]}"#,
         "p.json: assets[1]: USDT appears twice"),
        ("account", #"{"multiAssetsMargin":true,"assets":[]}"#, "p.json: multiAssetsMargin: true: the account is in multi-assets mode"),
        ("brackets", #"[{"symbol":"BTCUSDT","brackets":[{"notionalFloor":0,"maintMarginRatio":0.004,"cum":0},{"notionalFloor":50000,"maintMarginRatio":0.005,"cum":999999}]}]"#,
         "p.json: [0].brackets[1].cum: maintenance margin jumps at notionalFloor 50,000"),
        ("brackets", #"[{"symbol":"BTCUSDT","brackets":[{"notionalFloor":0,"maintMarginRatio":0.004,"cum":5}]}]"#,
         "p.json: [0].brackets[0].cum: the first bracket's cum must be 0"),
    ])
    func brokenAnswersAreRefusedNotGuessed(_ kind: String, _ text: String, _ message: String) {
        do {
            switch kind {
            case "account": _ = try BinanceDecoders.account(Data(text.utf8), file: "p.json")
            case "brackets": _ = try BinanceDecoders.brackets(Data(text.utf8), file: "p.json")
            default: _ = try BinanceDecoders.positions(Data(text.utf8), file: "p.json")
            }
            Issue.record("accepted \(text)")
        } catch let error as MarginWatchError {
            #expect(error.description.hasPrefix(message), "\(error.description)")
            #expect(error.exitCode == 65)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func accountChangesAreSaidPositionByPosition() throws {
        let before = ExchangeAccount(wallet: 1, positions: try BinanceDecoders.positions(Self.data("positionRisk.json"), file: "p"))
        let after = ExchangeAccount(wallet: 1, positions: try BinanceDecoders.positions(Self.data("positionRisk-resized.json"), file: "p"))
        #expect(after.changes(from: before) == ["resized BTCUSDT long 0.5 → 1 @ 61,000.00", "closed ETHUSDT short 5"])
        #expect(before.changes(from: after) == ["resized BTCUSDT long 1 → 0.5 @ 60,000.00", "opened ETHUSDT short 5 @ 3,000.00"])
    }
}
