/// The exchange's liquidation price beside ours, so a trader can trust or question the number.
public struct LiquidationCheck: Sendable, Equatable {
    /// The exchange's price (nil: it reports none).
    public var exchange: Double?
    /// 100·(ours − exchange)/exchange; nil when either is missing.
    public var differencePct: Double?
    /// Why they differ, when by more than `tolerancePct`; nil when they agree.
    public var note: String?
    /// Ours is nearer the mark than the exchange's (warns earlier); nil when either is missing.
    public var oursNearer: Bool?

    /// Beyond this the difference is flagged.
    public static let tolerancePct = 0.5

    /// `+0.03% (nearer the mark)`: how far ours is from theirs, and which way that errs.
    public var differenceText: String? {
        guard let d = differencePct, let nearer = oursNearer else { return nil }
        return NumberFormat.signedPercent(d, decimals: 2) + (abs(d) < 0.005 ? "" : nearer ? " (ours nearer the mark)" : " (ours farther from the mark)")
    }

    /// - Parameters:
    ///   - bracketsFromExchange: whether the symbol's brackets are the exchange's own tables.
    ///   - otherAssets: whether assets besides the margin asset may count as margin (multi-assets
    ///     mode not ruled out). Accounts read live are single-asset (multi-assets ones are refused).
    public init(ours: Double?, exchange: Double?, mark: Double, bracketsFromExchange: Bool, otherAssets: Bool = false) {
        self.exchange = exchange
        if let o = ours, let x = exchange { oursNearer = abs(o - mark) < abs(x - mark) }
        switch (ours, exchange) {
        case (let o?, let x?) where x > 0:
            let diff = 100 * (o - x) / x
            differencePct = diff
            note = abs(diff) > Self.tolerancePct ? Self.cause(bracketsFromExchange: bracketsFromExchange, otherAssets: otherAssets) : nil
        case (nil, nil):
            differencePct = nil
            note = nil
        case (nil, _?):
            differencePct = nil
            note = "the exchange gives a liquidation price where marginwatch finds none: "
                + Self.cause(bracketsFromExchange: bracketsFromExchange, otherAssets: otherAssets)
        case (_?, _):
            differencePct = nil
            note = "the exchange gives no liquidation price where marginwatch finds one: "
                + Self.cause(bracketsFromExchange: bracketsFromExchange, otherAssets: otherAssets)
        }
    }

    static func cause(bracketsFromExchange: Bool, otherAssets: Bool) -> String {
        if !bracketsFromExchange { return "likely a bracket table that differs from the exchange's (give --brackets or --account binance)" }
        if otherAssets { return "likely other assets counted as margin (multi-assets mode) or fees" }
        return "likely fees and funding the exchange already counts, or marks that moved between its numbers and ours"
    }
}
