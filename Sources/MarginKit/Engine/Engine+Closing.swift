extension Engine {
    /// Whether position `index` (portfolio order) is still open.
    @inline(__always)
    public func isOpen(_ index: Int) -> Bool { positions[index].isOpen }

    /// How many positions the portfolio holds, open or closed.
    public var positionCount: Int { positions.count }

    /// Closes a position at its symbol's current mark (a stop-loss or a soft stop's close-all):
    /// the realized PnL goes to the wallet, and an isolated position's margin comes back with it.
    /// - Returns: the realized PnL.
    @discardableResult
    public mutating func close(position index: Int) -> Double {
        guard positions[index].isOpen else { return 0 }
        let p = positions[index]
        wallet += p.isCross ? p.unrealizedPnl : p.isolatedMargin + p.unrealizedPnl
        markClosed(index)
        return p.unrealizedPnl
    }

    /// An isolated position's liquidation: it closes and its isolated margin is lost.
    public mutating func liquidateIsolated(position index: Int) {
        guard positions[index].isOpen, !positions[index].isCross else { return }
        markClosed(index)
    }

    /// The cross account's liquidation: every cross position closes at the current marks and
    /// the cross wallet and the collateral are forfeited, as on an exchange. Isolated positions
    /// are spared.
    public mutating func liquidateCrossAccount() {
        for i in positions.indices where positions[i].isOpen && positions[i].isCross {
            positions[i].isOpen = false
            sums[positions[i].symbolIndex].openCrossCount -= 1
        }
        wallet = 0
        for s in sums.indices { sums[s].collateralUnits = 0 }
        for s in symbols.indices {
            rebuildCurve(symbol: s)
            reprice(symbol: s)
        }
    }

    private mutating func markClosed(_ index: Int) {
        positions[index].isOpen = false
        let s = positions[index].symbolIndex
        if positions[index].isCross {
            sums[s].openCrossCount -= 1
            rebuildCurve(symbol: s)
        }
        reprice(symbol: s)
    }

    /// The liquidation price of open position `index` at the current marks, as in `evaluate()`,
    /// without building a whole evaluation (the per-step alert rules need only this).
    public func liquidationPrice(position index: Int, totals t: AccountTotals) -> Double? {
        let p = positions[index]
        guard p.isOpen else { return nil }
        if p.isCross { return crossLiquidationPrice(symbolIndex: p.symbolIndex, totals: t) }
        return isolatedCurves[index]?.root(offset: 0, near: marks[p.symbolIndex])
    }

    /// Figures of open position `index` the per-step rules read.
    @inline(__always)
    public func stepFigures(position index: Int) -> (isCross: Bool, symbolIndex: Int, mark: Double,
                                                      unrealizedPnl: Double, maintenanceMargin: Double,
                                                      isolatedEquity: Double) {
        let p = positions[index]
        return (p.isCross, p.symbolIndex, marks[p.symbolIndex], p.unrealizedPnl, p.maintenanceMargin, p.isolatedEquity)
    }
}
