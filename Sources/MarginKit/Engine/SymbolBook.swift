/// Everything the engine keeps per symbol, so a tick touches only the positions it prices.
struct SymbolBook: Sendable {
    var crossPositions: [Int] = []
    var isolatedPositions: [Int] = []
    /// Σ amount·(1 − haircut) of collateral valued by this symbol.
    var collateralUnits = 0.0

    // Sums over this symbol's open positions at the current mark.
    var crossUnrealizedPnl = 0.0
    var crossMaintenanceMargin = 0.0
    var crossInitialMargin = 0.0
    var isolatedUnrealizedPnl = 0.0
    var isolatedInitialMargin = 0.0
    /// Σ isolated_margin + uPnL of the open isolated positions.
    var isolatedEquity = 0.0

    /// Cross equity − MM contributed by this symbol's cross positions and collateral, as a
    /// function of its price; rebuilt only when a position opens or closes.
    var liquidationCurve = PiecewiseLinear(terms: [])
}
