/// A non-quote asset counted in cross equity (cross-collateralization).
public struct CollateralSpec: Sendable, Equatable {
    /// Asset name, e.g. `BTC`; informational.
    public var asset: String
    /// Quantity held.
    public var amount: Double
    /// Feed symbol whose mark values one unit, e.g. `BTCUSDT`.
    public var priceSymbol: String
    /// Fraction of the value not counted (0.05 → value ratio 0.95).
    public var haircut: Double

    public init(asset: String, amount: Double, priceSymbol: String, haircut: Double = 0) {
        self.asset = asset
        self.amount = amount
        self.priceSymbol = priceSymbol
        self.haircut = haircut
    }

    /// Counted units per unit of price: amount · (1 − haircut).
    public var countedUnits: Double { amount * (1 - haircut) }
}
