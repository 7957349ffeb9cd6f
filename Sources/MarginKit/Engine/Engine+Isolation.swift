/// One position under both margin modes: the comparison the cross-margin guides are about.
public struct IsolationRow: Sendable, Equatable {
    public var symbol: String
    public var side: Side
    public var mode: MarginMode
    /// Liquidation price as a cross position (the whole pool behind it).
    public var crossLiquidationPrice: Double?
    /// Liquidation price as an isolated position with `isolatedMargin` behind it.
    public var isolatedLiquidationPrice: Double?
    /// Margin it ties up in cross: initial margin at the mark.
    public var crossMargin: Double
    /// Margin it ties up isolated: its isolated margin (size·entry/leverage unless given).
    public var isolatedMargin: Double
    public var mark: Double = 0

    /// Isolated, it would liquidate nearer the mark than in cross (or only isolated liquidates).
    public var isolatedIsCloser: Bool {
        guard let iso = isolatedLiquidationPrice else { return false }
        guard let cross = crossLiquidationPrice else { return true }
        return abs(iso - mark) < abs(cross - mark)
    }
}

/// The whole book under cross and under isolated margin.
public struct IsolationComparison: Sendable, Equatable {
    public var rows: [IsolationRow]
    /// Σ initial margin at the marks: what cross mode asks to keep the book open.
    public var crossCapital: Double
    /// Σ isolated margins: what isolated mode locks, each position on its own.
    public var isolatedCapital: Double
    /// Everything in the cross pool if every position were cross: one liquidation takes it all.
    public var crossAtRisk: Double
    /// In isolated mode at most the margins can be lost, one position at a time.
    public var isolatedAtRisk: Double

    /// What the numbers say about liquidating in isolated mode, in words.
    public var closerSentence: String {
        let closer = rows.filter(\.isolatedIsCloser).count
        if rows.isEmpty { return "no open position to compare." }
        if closer == rows.count { return "but each liquidates closer; idle equity helps none." }
        if closer == 0 { return "and here none liquidates closer than in cross." }
        return "\(closer) of \(rows.count) liquidate closer; idle equity helps none."
    }
}

extension Engine {
    /// Every open position's liquidation price and margin need under both modes, at the current marks.
    public func isolationComparison() -> IsolationComparison {
        let now = evaluate()
        var rows: [IsolationRow] = []
        var isolatedCapital = 0.0
        for p in now.positions {
            let spec = p.spec
            let margin = spec.isolatedMargin ?? spec.size * spec.entry / spec.leverage
            isolatedCapital += margin
            var row = IsolationRow(symbol: spec.symbol, side: spec.side, mode: spec.margin, crossLiquidationPrice: nil,
                                   isolatedLiquidationPrice: nil, crossMargin: p.initialMargin, isolatedMargin: margin,
                                   mark: p.mark)
            let table = tables[p.index]
            let alone = PiecewiseLinear(terms: [.init(sign: spec.side.sign, size: spec.size, entry: spec.entry, table: table)],
                                        constant: margin)
            row.isolatedLiquidationPrice = alone.root(offset: 0, near: p.mark)
            row.crossLiquidationPrice = spec.margin == .cross ? p.liquidationPrice : liquidationPriceIfCross(position: p.index)
            rows.append(row)
        }
        // If every position were cross: the wallet plus every isolated margin joins the pool.
        let pooled = now.account.equity + now.positions.reduce(0) { $0 + ($1.isolatedEquity ?? 0) }
        return IsolationComparison(rows: rows, crossCapital: now.positions.reduce(0) { $0 + $1.initialMargin },
                                   isolatedCapital: isolatedCapital, crossAtRisk: pooled, isolatedAtRisk: isolatedCapital)
    }

    /// The liquidation price an isolated position would have if it joined the cross pool
    /// (its isolated margin moving into the wallet), the other marks held.
    func liquidationPriceIfCross(position index: Int) -> Double? {
        var portfolio = self.portfolio
        let spec = portfolio.positions[index]
        portfolio.wallet += spec.isolatedMargin ?? 0
        portfolio.positions[index] = PositionSpec(symbol: spec.symbol, side: spec.side, size: spec.size, entry: spec.entry,
                                                  leverage: spec.leverage, margin: .cross, stopLoss: spec.stopLoss,
                                                  mark: spec.mark)
        guard var whatIf = try? Engine(portfolio: portfolio) else { return nil }
        for (s, mark) in marks.enumerated() { whatIf.setMark(mark, symbolIndex: s) }
        for i in positions.indices where !positions[i].isOpen { whatIf.close(position: i) }
        whatIf.wallet = wallet + (spec.isolatedMargin ?? 0)
        return whatIf.evaluate().positions.first { $0.index == index }?.liquidationPrice
    }
}
