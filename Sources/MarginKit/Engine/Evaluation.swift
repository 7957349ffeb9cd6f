/// The account-level figures of one evaluation (CONTRACT section 3, the `account` object).
public struct AccountFigures: Sendable, Equatable {
    /// Cross wallet balance.
    public var wallet: Double
    /// Σ amount·price·(1 − haircut) of the collateral.
    public var collateralValue: Double
    /// Σ uPnL of the open cross positions (the part of equity that moves with the marks).
    public var unrealizedPnl: Double
    /// Cross equity: wallet + collateral + cross uPnL.
    public var equity: Double
    /// What the account would hold: the cross equity (0 when the cross account is liquidated)
    /// plus each isolated position's own equity (0 when it is liquidated).
    public var totalEquity: Double
    /// Σ IM of cross positions.
    public var initialMargin: Double
    /// Σ MM of cross positions.
    public var maintenanceMargin: Double
    /// equity / maintenance margin; nil when MM is 0. Liquidated at ≤ 1.
    public var marginRatio: Double?
    /// maintenance margin / equity (Binance's "Margin Ratio"); nil when equity is 0.
    public var mmRate: Double?
    /// equity − initial margin ("dry powder").
    public var freeMargin: Double
    /// 100·free margin / equity; nil when equity is 0.
    public var freeMarginPct: Double?
    /// Uniform % move of every mark that brings margin_ratio to 1; nil when none in −99…+1000.
    public var accountShockPct: Double?
    /// 100·Σ uPnL / Σ IM over all positions; nil when Σ IM is 0.
    public var returnOnMarginPct: Double?
    /// Whether any cross position is open (rules on cross figures are undefined otherwise).
    public var hasCrossPositions: Bool
    /// Σ uPnL of the open isolated positions (not part of cross equity).
    public var isolatedUnrealizedPnl = 0.0
    /// Whether any isolated position is open.
    public var hasIsolatedPositions = false
    /// The cross winner whose profit is the largest share of equity, and the account without
    /// that profit; nil when no cross position is in profit.
    public var largestProfit: ProppingWinner?

    /// Σ uPnL of every open position, cross and isolated.
    public var allUnrealizedPnl: Double { unrealizedPnl + isolatedUnrealizedPnl }

    /// Free margin % as a trader may read it: nil when equity is not positive (the contract's
    /// figure divides two negatives into a healthy-looking 175%). For screens and text reports;
    /// JSON keeps the contract's `free_margin_pct`.
    public var freeMarginPctShown: Double? { equity > 0 ? freeMarginPct : nil }

    /// Cross uPnL in % of what the account held before it (equity − uPnL); nil when that base is
    /// not positive (a percentage of nothing means nothing to a trader).
    public var unrealizedPnlPct: Double? {
        let base = equity - unrealizedPnl
        return base > 0 ? 100 * unrealizedPnl / base : nil
    }

    /// Binance's own "Margin Ratio" (MM / equity in %, liquidated at 100%), so the two agree;
    /// nil without cross positions or positive equity.
    public var binanceMarginRatioPct: Double? {
        equity > 0 && hasCrossPositions ? mmRate.map { $0 * 100 } : nil
    }

    /// Whether the cross account is at or past liquidation (margin_ratio ≤ 1).
    public var isLiquidated: Bool {
        Liquidation.cross(hasCrossPositions: hasCrossPositions, equity: equity, maintenanceMargin: maintenanceMargin)
    }
}

/// The figures of one open position at the current mark (CONTRACT section 6, `positions[]`).
public struct PositionFigures: Sendable, Equatable {
    /// Index of the position in the portfolio file.
    public var index: Int
    public var spec: PositionSpec
    public var mark: Double
    public var notional: Double
    public var unrealizedPnl: Double
    /// 100·uPnL / (size·entry / leverage).
    public var roePct: Double
    public var initialMargin: Double
    public var maintenanceMargin: Double
    public var mmr: Double
    public var cum: Double
    public var liquidationPrice: Double?
    /// 100·(LP − mark) / mark: negative below the mark.
    public var liquidationDistancePct: Double?
    /// isolated_margin + uPnL for an isolated position; nil for cross.
    public var isolatedEquity: Double?
    /// The share of cross equity that is this position's unrealized profit, in % (0 at a loss);
    /// nil for isolated positions or equity that is not positive.
    public var equitySharePct: Double?

    public var symbol: String { spec.symbol }

    /// An isolated position whose own equity is at or below its MM: its margin is lost.
    public var isIsolatedLiquidated: Bool {
        guard let equity = isolatedEquity else { return false }
        return Liquidation.isolated(equity: equity, maintenanceMargin: maintenanceMargin)
    }

    /// At or past its liquidation: a cross position of a liquidated account, or an isolated
    /// position at or below its own MM. No distance is judged then; the table says PAST. (Not
    /// "the mark is beyond the price": a cross price belongs to the whole symbol — a hedged or
    /// collateral-backed short can liquidate on a fall.)
    public var isPastLiquidation = false
}

/// One immutable evaluation of the account at the engine's current marks.
public struct Evaluation: Sendable, Equatable {
    public var account: AccountFigures
    /// The open positions, in portfolio order.
    public var positions: [PositionFigures]
    /// The mark of every symbol the portfolio prices.
    public var marks: [String: Double]
}
