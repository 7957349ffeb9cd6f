/// Which positions a symbol prices, so a tick touches only those.
struct SymbolBook: Sendable {
    var crossPositions: [Int] = []
    var isolatedPositions: [Int] = []

    /// Cross equity − MM contributed by this symbol's cross positions and collateral, as a
    /// function of its price; rebuilt only when a position opens or closes.
    var liquidationCurve = PiecewiseLinear(terms: [])
}

/// A symbol's sums at its current mark. Plain numbers only, kept apart from `SymbolBook`, so
/// summing the account over symbols walks one flat array without reference counting.
struct SymbolSums: Sendable {
    /// How many cross positions on the symbol are open.
    var openCrossCount = 0
    /// Σ amount·(1 − haircut) of collateral valued by this symbol.
    var collateralUnits = 0.0
    var crossUnrealizedPnl = 0.0
    var crossMaintenanceMargin = 0.0
    var crossInitialMargin = 0.0
    var isolatedUnrealizedPnl = 0.0
    var isolatedInitialMargin = 0.0
    /// Σ isolated_margin + uPnL of the open isolated positions.
    var isolatedEquity = 0.0
}
