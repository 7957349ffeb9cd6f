/// The exchange's liquidation price beside ours, so a trader can trust or question the number.
public struct LiquidationCheck: Sendable, Equatable {
    /// The exchange's price (nil: it reports none).
    public var exchange: Double?
    /// 100·(ours − exchange)/exchange; nil when either is missing.
    public var differencePct: Double?
    /// Why they differ, when by more than `tolerancePct`; nil when they agree.
    public var note: String?

    /// Beyond this the difference is flagged.
    public static let tolerancePct = 0.5

    /// - Parameters:
    ///   - bracketsFromExchange: whether the symbol's brackets are the exchange's own tables.
    ///   - otherAssets: whether assets besides the margin asset may count as margin (multi-assets
    ///     mode not ruled out; a live read rules it out, since such accounts are refused).
    public init(ours: Double?, exchange: Double?, bracketsFromExchange: Bool, otherAssets: Bool = false) {
        self.exchange = exchange
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
