/// A symbol's positions and sums at its current mark. Plain numbers only, so the per-tick
/// update and the per-step account sums walk flat memory without reference counting.
struct SymbolSums: Sendable {
    /// This symbol's cross positions are `Engine.symbolPositions[crossStart..<isolatedStart]`,
    /// its isolated ones `[isolatedStart..<end]` (closed ones are skipped by `isOpen`).
    var crossStart = 0
    var isolatedStart = 0
    var end = 0
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
