/// The account sums at one set of marks: what the per-step alert rules need, cheaply.
public struct AccountTotals: Sendable, Equatable {
    public var wallet: Double
    public var collateralValue = 0.0
    public var crossUnrealizedPnl = 0.0
    public var crossMaintenanceMargin = 0.0
    public var crossInitialMargin = 0.0
    public var isolatedUnrealizedPnl = 0.0
    public var isolatedInitialMargin = 0.0
    /// Σ isolated_margin + uPnL of the open isolated positions.
    public var isolatedEquity = 0.0
    public var openCrossPositions = 0

    public init(wallet: Double) { self.wallet = wallet }

    /// wallet + collateral + cross uPnL.
    public var equity: Double { wallet + collateralValue + crossUnrealizedPnl }
    /// Cross equity plus every isolated position's own equity.
    public var totalEquity: Double { equity + isolatedEquity }
    /// equity / MM; nil when MM is 0.
    public var marginRatio: Double? {
        crossMaintenanceMargin == 0 ? nil : equity / crossMaintenanceMargin
    }
    /// Whether the cross account is at or past liquidation: cross positions open and equity at or
    /// below their maintenance margin (margin_ratio ≤ 1). The one test every front end uses.
    public var isCrossLiquidated: Bool {
        Liquidation.cross(hasCrossPositions: openCrossPositions > 0, equity: equity, maintenanceMargin: crossMaintenanceMargin)
    }
    /// MM / equity; nil when equity is 0.
    public var mmRate: Double? { equity == 0 ? nil : crossMaintenanceMargin / equity }
    /// equity − cross IM.
    public var freeMargin: Double { equity - crossInitialMargin }
    /// 100·free margin / equity; nil when equity is 0.
    public var freeMarginPct: Double? { equity == 0 ? nil : 100 * freeMargin / equity }
    /// 100·Σ uPnL / Σ IM over all positions; nil when Σ IM is 0.
    public var returnOnMarginPct: Double? {
        let im = crossInitialMargin + isolatedInitialMargin
        return im == 0 ? nil : 100 * (crossUnrealizedPnl + isolatedUnrealizedPnl) / im
    }
}

/// When the exchange liquidates (CONTRACT section 3): the one test every front end uses.
public enum Liquidation {
    /// The cross account: cross positions open and equity at or below their maintenance margin
    /// (margin_ratio ≤ 1).
    @inline(__always)
    public static func cross(hasCrossPositions: Bool, equity: Double, maintenanceMargin: Double) -> Bool {
        hasCrossPositions && maintenanceMargin > 0 && equity <= maintenanceMargin
    }

    /// One isolated position: its own equity (margin + uPnL) at or below its maintenance margin.
    @inline(__always)
    public static func isolated(equity: Double, maintenanceMargin: Double) -> Bool {
        equity <= maintenanceMargin
    }
}
