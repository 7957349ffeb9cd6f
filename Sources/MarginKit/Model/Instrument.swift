/// A tradable perpetual contract and its maintenance-margin brackets.
public struct Instrument: Sendable, Equatable {
    /// Feed symbol, e.g. `BTCUSDT`.
    public var symbol: String
    /// Maintenance-margin tiers.
    public var table: BracketTable

    public init(symbol: String, table: BracketTable) {
        self.symbol = symbol
        self.table = table
    }
}
