/// One position as the portfolio file states it.
public struct PositionSpec: Sendable, Equatable {
    public var symbol: String
    public var side: Side
    /// Base quantity, > 0.
    public var size: Double
    /// Average entry price, > 0.
    public var entry: Double
    /// Leverage, > 0: initial margin = notional at mark / leverage.
    public var leverage: Double
    public var margin: MarginMode
    /// The isolated wallet of an isolated position; nil for cross.
    public var isolatedMargin: Double?
    /// Price at which the trader's hard stop closes the position.
    public var stopLoss: Double?
    /// Starting mark; nil means the entry price.
    public var mark: Double?

    public init(symbol: String, side: Side, size: Double, entry: Double, leverage: Double,
                margin: MarginMode = .cross, isolatedMargin: Double? = nil,
                stopLoss: Double? = nil, mark: Double? = nil) {
        self.symbol = symbol
        self.side = side
        self.size = size
        self.entry = entry
        self.leverage = leverage
        self.margin = margin
        self.isolatedMargin = margin == .isolated ? (isolatedMargin ?? size * entry / leverage) : nil
        self.stopLoss = stopLoss
        self.mark = mark
    }

    /// Whether `price` has reached this position's stop (≤ for a long, ≥ for a short).
    public func stopCrossed(at price: Double) -> Bool {
        guard let stop = stopLoss else { return false }
        return side == .long ? price <= stop : price >= stop
    }
}
