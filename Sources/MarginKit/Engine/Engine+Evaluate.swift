extension Engine {
    /// One full evaluation at the current marks: account figures, every open position's
    /// figures and liquidation price, and the uniform shock to liquidation.
    /// - Complexity: O(positions · brackets).
    public func evaluate() -> Evaluation {
        let t = totals
        var account = AccountFigures(
            wallet: t.wallet, collateralValue: t.collateralValue,
            unrealizedPnl: t.crossUnrealizedPnl, equity: t.equity, totalEquity: t.totalEquity,
            initialMargin: t.crossInitialMargin, maintenanceMargin: t.crossMaintenanceMargin,
            marginRatio: t.marginRatio, mmRate: t.mmRate, freeMargin: t.freeMargin,
            freeMarginPct: t.freeMarginPct, accountShockPct: accountShockPct(),
            returnOnMarginPct: t.returnOnMarginPct, hasCrossPositions: t.openCrossPositions > 0)

        var crossLiquidation: [Int: Double?] = [:]
        var figures: [PositionFigures] = []
        for p in positions where p.isOpen {
            let spec = portfolio.positions[p.specIndex]
            let mark = marks[p.symbolIndex]
            let lp: Double?
            if p.isCross {
                if let known = crossLiquidation[p.symbolIndex] {
                    lp = known
                } else {
                    lp = crossLiquidationPrice(symbolIndex: p.symbolIndex, totals: t)
                    crossLiquidation[p.symbolIndex] = lp
                }
            } else {
                lp = isolatedCurves[p.specIndex]?.root(offset: 0, near: mark)
            }
            let b = brackets[p.bracket]
            figures.append(PositionFigures(
                index: p.specIndex, spec: spec, mark: mark, notional: p.notional,
                unrealizedPnl: p.unrealizedPnl,
                roePct: 100 * p.unrealizedPnl / (p.size * p.entry / p.leverage),
                initialMargin: p.initialMargin, maintenanceMargin: p.maintenanceMargin,
                mmr: b.mmr, cum: b.cum, liquidationPrice: lp,
                liquidationDistancePct: lp.map { RuleMeasure.movePct(from: mark, to: $0) },
                isolatedEquity: p.isCross ? nil : p.isolatedEquity,
                equitySharePct: equitySharePct(position: p, equity: t.equity)))
        }
        for i in figures.indices {
            figures[i].isPastLiquidation = figures[i].isolatedEquity == nil ? account.isLiquidated : figures[i].isIsolatedLiquidated
        }
        account.isolatedUnrealizedPnl = t.isolatedUnrealizedPnl
        account.hasIsolatedPositions = figures.contains { $0.isolatedEquity != nil }
        account.largestProfit = largestProfit()
        // What the account would hold: a liquidated part counts as 0, never below (CONTRACT 3).
        account.totalEquity = (account.isLiquidated ? 0 : t.equity)
            + figures.reduce(0) { sum, p in sum + (p.isolatedEquity.map { p.isIsolatedLiquidated ? 0 : $0 } ?? 0) }
        var markBySymbol: [String: Double] = [:]
        for (s, symbol) in symbols.enumerated() { markBySymbol[symbol] = marks[s] }
        return Evaluation(account: account, positions: figures, marks: markBySymbol)
    }

    /// The mark of symbol `s` at which cross equity equals cross MM, every other mark held
    /// fixed; all cross positions and collateral on `s` move together. Nil when the symbol has
    /// no open cross position or no positive price liquidates.
    public func crossLiquidationPrice(symbolIndex s: Int) -> Double? {
        crossLiquidationPrice(symbolIndex: s, totals: totals)
    }

    func crossLiquidationPrice(symbolIndex s: Int, totals t: AccountTotals) -> Double? {
        guard sums[s].openCrossCount > 0 else { return nil }
        return liquidationCurves[s].root(offset: crossCurveOffset(symbolIndex: s, totals: t), near: marks[s])
    }

    /// What `liquidationCurves[s]` leaves out of cross equity − MM: everything that does not move
    /// with symbol `s`'s price (the curve plus this is equity − MM as that price alone moves).
    func crossCurveOffset(symbolIndex s: Int, totals t: AccountTotals) -> Double {
        let book = sums[s]
        let ownPart = book.collateralUnits * marks[s] + book.crossUnrealizedPnl - book.crossMaintenanceMargin
        return t.equity - t.crossMaintenanceMargin - ownPart
    }

    /// The uniform % move of every mark (cross positions and collateral together) that brings
    /// margin_ratio to exactly 1, nearest 0 within −99 … +1000; nil when there is none or no
    /// cross position is open.
    ///
    /// With every mark scaled by y = 1 + shock, a position is `s·(q·M)·(y − E/M)` of PnL against
    /// the MM of notional `(q·M)·y`: the same piecewise-linear shape as a price, in y.
    public func accountShockPct() -> Double? {
        var terms: [PiecewiseLinear.Term] = []
        for p in positions where p.isOpen && p.isCross {
            let mark = marks[p.symbolIndex]
            terms.append(.init(sign: p.sign, size: p.size * mark, entry: p.entry / mark, table: tables[p.specIndex]))
        }
        guard !terms.isEmpty else { return nil }
        var collateral = 0.0
        for s in sums.indices { collateral += sums[s].collateralUnits * marks[s] }
        let curve = PiecewiseLinear(terms: terms, extraSlope: collateral, constant: wallet)
        guard let y = curve.root(offset: 0, near: 1, lower: 0.01 - 1e-12, upper: 11) else { return nil }
        return 100 * (y - 1)
    }
}
