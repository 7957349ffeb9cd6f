import Foundation

/// Decodes the three Binance USDⓈ-M account responses marginwatch reads — the same code for
/// the live REST calls and for saved files (`import binance`, `--brackets`). Every number is
/// checked (finite, in range) and every complaint names the file and the field.
public enum BinanceDecoders {
    /// The margin asset of USDⓈ-M contracts marginwatch models (single-asset mode).
    public static let marginAsset = "USDT"

    /// `GET /fapi/v2/account`: the USDT cross wallet, and the other assets with a balance.
    public static func account(_ data: Data, file: String) throws -> (wallet: Double, others: [(asset: String, balance: Double)]) {
        let root = try JSONField.parse(data, file: file)
        // The saved answer says the mode itself: multi-assets accounts are refused as live.
        if let mode = root["multiAssetsMargin"], try mode.bool() {
            throw mode.fail("true: the account is in multi-assets mode, which marginwatch does not model "
                + "(other assets count as margin at the exchange's haircuts)")
        }
        let assets = try root.require("assets").array()
        var wallet: Double?
        var others: [(asset: String, balance: Double)] = []
        for item in assets {
            let name = try item.require("asset").string()
            let balance = try item.require("walletBalance").number()
            if name == marginAsset {
                guard wallet == nil else { throw item.fail("\(marginAsset) appears twice") }
                // The cross wallet leaves out what is locked in isolated positions.
                let cross = try (item["crossWalletBalance"] ?? item.require("walletBalance")).number("0 up to 10^15") { $0 >= 0 && $0 <= 1e15 }
                wallet = cross
            } else if balance != 0 {
                others.append((PrintableText.escaped(name), balance))
            }
        }
        guard let wallet else { throw root.fail("assets has no \(marginAsset) entry (the margin asset of USDⓈ-M)") }
        return (wallet, others)
    }

    /// `GET /fapi/v2/positionRisk`: the open positions (rows with a zero `positionAmt` are
    /// dropped). Hedge mode (`positionSide` LONG/SHORT) is refused: its liquidation differs from
    /// the one-way formula marginwatch follows, and a wrong number is worse than none.
    public static func positions(_ data: Data, file: String) throws -> [ExchangePosition] {
        let rows = try JSONField.parse(data, file: file).array()
        var result: [ExchangePosition] = []
        for row in rows {
            let amount = try row.require("positionAmt").number("a size up to 10^12") { abs($0) <= 1e12 }
            guard amount != 0 else { continue }
            let symbol = try symbolName(row.require("symbol"))
            if let side = row["positionSide"] {
                switch try side.string() {
                case "BOTH": break
                case "LONG", "SHORT":
                    throw side.fail("\(try side.string()): the account is in hedge mode, which marginwatch does not model "
                        + "(its liquidation formula differs); switch the account to one-way mode to watch it")
                default: throw side.fail("expected BOTH (one-way mode), LONG or SHORT")
                }
            }
            // One-way mode holds one position per symbol: a second row is a broken answer.
            if result.contains(where: { $0.spec.symbol == symbol }) { throw row.fail("\(symbol) appears twice") }
            let entry = try row.require("entryPrice").number("a price above 0") { Tick.isPlausiblePrice($0) }
            let mark = try row.require("markPrice").number("a price above 0") { Tick.isPlausiblePrice($0) }
            let liquidation = try row.require("liquidationPrice").number("0 or more") { $0 >= 0 && $0 <= Tick.maximumPrice }
            let leverage = try row.require("leverage").number("a leverage from 1 to 200") { $0 >= 1 && $0 <= 200 }
            let marginType = try row.require("marginType").string().lowercased()
            let margin: MarginMode
            var isolated: Double?
            switch marginType {
            case "cross", "crossed": margin = .cross
            case "isolated":
                margin = .isolated
                isolated = try isolatedWallet(row)
            default: throw try row.require("marginType").fail("expected cross or isolated")
            }
            let spec = PositionSpec(symbol: symbol, side: amount > 0 ? .long : .short, size: abs(amount), entry: entry,
                                    leverage: leverage, margin: margin, isolatedMargin: isolated, mark: mark)
            result.append(ExchangePosition(spec: spec, mark: mark, liquidationPrice: liquidation > 0 ? liquidation : nil))
        }
        return result
    }

    /// An isolated position's own wallet: `isolatedWallet` when given, else `isolatedMargin`
    /// less the unrealized PnL (the exchange's isolatedMargin includes it).
    private static func isolatedWallet(_ row: JSONField) throws -> Double {
        // An open isolated position always has margin of its own: none is a broken answer.
        if let wallet = row["isolatedWallet"] { return try wallet.number("above 0 (an open isolated position has margin)") { $0 > 0 && $0 <= 1e15 } }
        let margin = try row.require("isolatedMargin").number()
        let pnl = try row["unRealizedProfit"]?.number() ?? 0
        guard margin - pnl > 0 else { throw row.fail("isolatedMargin less unRealizedProfit must be above 0 (an open isolated position has margin)") }
        return margin - pnl
    }

    /// `GET /fapi/v1/leverageBracket`: the maintenance tiers per symbol (a list, or one object
    /// when asked for one symbol). Floors must start at 0 and rise; rates are fractions below 1.
    public static func brackets(_ data: Data, file: String) throws -> [String: BracketTable] {
        let root = try JSONField.parse(data, file: file)
        let entries = root.isObject ? [root] : try root.array()
        var tables: [String: BracketTable] = [:]
        for entry in entries {
            let symbol = try symbolName(entry.require("symbol"))
            let items = try entry.require("brackets").array()
            guard !items.isEmpty else { throw entry.fail("brackets is empty") }
            var tiers: [(floor: Double, mmr: Double, cum: Double?)] = []
            for item in items {
                let floorField = try item.require("notionalFloor")
                let floor = try floorField.number("0 or more") { $0 >= 0 }
                if tiers.isEmpty, floor != 0 { throw floorField.fail("the first bracket must start at 0") }
                if let last = tiers.last, floor <= last.floor { throw floorField.fail("must be above the previous bracket's floor") }
                let mmr = try item.require("maintMarginRatio").number("a fraction from 0 up to 1") { $0 >= 0 && $0 < 1 }
                let cumField = try item.require("cum")
                let cum = try cumField.number("0 or more") { $0 >= 0 }
                // Maintenance margin must not jump at a tier's floor (nor go below 0): a `cum`
                // that breaks that would give negative or jumping margins.
                if let last = tiers.last, let lastCum = last.cum {
                    let below = floor * last.mmr - lastCum, above = floor * mmr - cum
                    if abs(above - below) > max(0.01, 1e-9 * floor) || above < 0 {
                        throw cumField.fail("maintenance margin jumps at notionalFloor \(NumberFormat.grouped(floor, decimals: 0)) "
                            + "(\(NumberFormat.grouped(below)) below, \(NumberFormat.grouped(above)) above): cum does not fit the tiers")
                    }
                } else if cum != 0 {
                    throw cumField.fail("the first bracket's cum must be 0")
                }
                tiers.append((floor, mmr, cum))
            }
            guard tables[symbol] == nil else { throw entry.fail("\(symbol) appears twice") }
            tables[symbol] = BracketTable(tiers: tiers)
        }
        return tables
    }

    /// `GET /fapi/v1/multiAssetsMargin`: whether other assets count as margin.
    public static func multiAssetsMode(_ data: Data, file: String) throws -> Bool {
        try JSONField.parse(data, file: file).require("multiAssetsMargin").bool()
    }

    /// `GET /fapi/v1/time`: the exchange's clock, epoch ms.
    public static func serverTime(_ data: Data, file: String) throws -> Int64 {
        Int64(try JSONField.parse(data, file: file).require("serverTime").number("a time in ms") { $0 > 0 && $0 < 1e15 })
    }

    /// Binance's error answer `{"code":-2015,"msg":"…"}`: its code and message (nil when the
    /// body is not one).
    public static func errorAnswer(_ data: Data) -> (code: Int?, message: String?) {
        guard let root = try? JSONField.parse(data, file: "answer") else { return (nil, nil) }
        let code = root["code"].flatMap { try? $0.number() }.map { Int(exactly: $0) ?? 0 }
        let message = root["msg"].flatMap { try? $0.string() }.map { PrintableText.escaped(String($0.prefix(200))) }
        return (code, message)
    }

    /// A symbol as USDⓈ-M spells them: upper-case letters and digits, 2–30 of them.
    static func symbolName(_ field: JSONField) throws -> String {
        let text = try field.string()
        let ok = (2...30).contains(text.utf8.count) && text.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) }
        guard ok else { throw field.fail("not a symbol: \(PrintableText.escaped(text))") }
        return text
    }
}

/// One message of the mark-price stream: `{"stream":…,"data":{"e":"markPriceUpdate","E":…,
/// "s":…,"p":…,"r":…,"T":…}}` (or the bare `data` object).
public struct MarkPriceUpdate: Sendable, Equatable {
    public var symbol: String
    /// Event time, epoch ms (the exchange's clock).
    public var time: Int64
    public var price: Double
    /// The current funding rate, a fraction; nil when absent.
    public var fundingRate: Double?
    /// The next funding time, epoch ms; nil when absent.
    public var nextFunding: Int64?

    /// - Returns: nil for a message that is not a mark-price update (a subscription reply).
    /// - Throws: `.invalidContent` for a mark-price update that is malformed.
    public static func decode(_ data: Data, file: String = "stream") throws -> MarkPriceUpdate? {
        let root = try JSONField.parse(data, file: file)
        let body = root["data"] ?? root
        guard body.isObject, let kind = body["e"], (try? kind.string()) == "markPriceUpdate" else { return nil }
        let symbol = try BinanceDecoders.symbolName(body.require("s"))
        let time = try body.require("E").number("a time in ms") { $0 >= 0 && $0 < 1e15 }
        let price = try body.require("p").number("a price above 0") { Tick.isPlausiblePrice($0) }
        // Contracts without funding send "" for both.
        let rate = try body["r"].flatMap { (try? $0.string()) == "" ? nil : $0 }.map { try $0.number("a rate") { abs($0) < 1 } }
        let next = try body["T"].flatMap { (try? $0.string()) == "" ? nil : $0 }.map { try $0.number("a time in ms") { $0 >= 0 && $0 < 1e15 } }
        return MarkPriceUpdate(symbol: symbol, time: Int64(time), price: price, fundingRate: rate, nextFunding: next.map { Int64($0) })
    }
}
