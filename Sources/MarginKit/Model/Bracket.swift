/// One maintenance-margin tier: from `floor` (inclusive) of position notional up to the next floor.
public struct Bracket: Sendable, Equatable {
    /// Lowest notional (USDT) this tier applies to.
    public var floor: Double
    /// Maintenance margin rate, a fraction (0.004 = 0.4%).
    public var mmr: Double
    /// Maintenance amount subtracted from `notional · mmr` (Binance's "cum").
    public var cum: Double

    public init(floor: Double, mmr: Double, cum: Double) {
        self.floor = floor
        self.mmr = mmr
        self.cum = cum
    }
}
