/// The cross account's headline figures under a what-if: after a deposit or withdrawal, or
/// without a winner's paper profit.
public struct CrossWhatIf: Sendable, Equatable {
    public var equity: Double
    public var marginRatio: Double?
    /// 100·(equity − IM) / equity; nil when equity is not positive (see `freeMarginPctShown`).
    public var freeMarginPct: Double?
    public var accountShockPct: Double?
    /// margin_ratio ≤ 1 with cross positions open.
    public var liquidated: Bool
}

/// The guides' "a winner propping up the rest": the cross position whose unrealized profit is
/// the largest share of cross equity, and the account as it would be without that profit (its
/// symbol back at the position's entry, every other mark still).
public struct ProppingWinner: Sendable, Equatable {
    public var symbol: String
    public var side: Side
    public var entry: Double
    public var unrealizedPnl: Double
    /// 100·profit / cross equity.
    public var equitySharePct: Double
    public var without: CrossWhatIf
}

extension Engine {
    /// The cross account's headline figures at the current marks.
    public var crossWhatIf: CrossWhatIf {
        let t = totals
        return CrossWhatIf(equity: t.equity, marginRatio: t.marginRatio,
                           freeMarginPct: t.equity > 0 ? t.freeMarginPct : nil,
                           accountShockPct: accountShockPct(), liquidated: t.isCrossLiquidated)
    }

    /// This account after `amount` is added to (or, negative, taken from) the cross wallet.
    /// A wallet cannot go below 0: nil when more than it holds would come out.
    public func depositing(_ amount: Double) -> Engine? {
        guard amount.isFinite, wallet + amount >= 0 else { return nil }
        var copy = self
        copy.wallet += amount
        return copy
    }

    /// The share of cross equity that is a cross position's unrealized profit, in %: 0 for a
    /// position at a loss, nil for isolated positions or when equity is not positive.
    func equitySharePct(position p: LivePosition, equity: Double) -> Double? {
        guard p.isCross, p.isOpen, equity > 0 else { return nil }
        return 100 * max(0, p.unrealizedPnl) / equity
    }

    /// The cross position with the largest profit, and the account without it; nil when no
    /// cross position is in profit or equity is not positive.
    public func largestProfit() -> ProppingWinner? {
        let t = totals
        guard t.equity > 0 else { return nil }
        var best: Int?
        for i in positions.indices where positions[i].isOpen && positions[i].isCross && positions[i].unrealizedPnl > 0 {
            if best.map({ positions[i].unrealizedPnl > positions[$0].unrealizedPnl }) ?? true { best = i }
        }
        guard let i = best else { return nil }
        let p = positions[i]
        var back = self
        back.setMark(p.entry, symbolIndex: p.symbolIndex)
        return ProppingWinner(symbol: symbols[p.symbolIndex], side: portfolio.positions[p.specIndex].side, entry: p.entry,
                              unrealizedPnl: p.unrealizedPnl, equitySharePct: 100 * p.unrealizedPnl / t.equity,
                              without: back.crossWhatIf)
    }
}
