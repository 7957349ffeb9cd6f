/// Lower bounds on how far a mark must move before a liquidation, so the per-step alert rules
/// solve a liquidation price exactly only when it may be near a threshold.
///
/// Equity − maintenance margin, as a function of one symbol's price p, changes no faster than
/// L = |Σ side·size + collateral units| + Σ size·(largest mmr of the position's brackets): PnL moves
/// by side·size per unit of p, and MM (notional·mmr − cum, continuous across brackets) by at most
/// size·mmr. From a cushion C = equity − MM > 0 at the mark M, every root p* (a liquidation
/// price) has |p* − M| ≥ C / L, so the rule's distance 100·|p* − M| / M is at least
/// 100·C / (L·M). A bracket table whose `cum` breaks that continuity gets no bound (L = ∞).
extension Engine {
    /// The Lipschitz constant L of one open position's equity − MM in its symbol's price
    /// (without the cross PnL term's sign, which the caller nets per symbol).
    static func mmSlopeBound(size: Double, table: BracketTable) -> Double {
        guard table.isContinuous else { return .infinity }
        return size * (table.brackets.map(\.mmr).max() ?? 0)
    }

    /// L for symbol `s`'s cross positions and collateral: rebuilt with its curve.
    static func crossSlopeBound(positions: [LivePosition], tables: [BracketTable], indices: ArraySlice<Int>,
                                collateralUnits: Double) -> Double {
        var net = collateralUnits
        var mm = 0.0
        for i in indices where positions[i].isOpen {
            net += positions[i].sign * positions[i].size
            mm += mmSlopeBound(size: positions[i].size, table: tables[i])
        }
        return abs(net) + mm
    }

    /// At least how far, in % of its mark, symbol `s` must move (all else held) for the cross
    /// account to reach liquidation; 0 when nothing can be said (no cushion, no bound).
    @inline(__always)
    public func crossLiquidationDistanceFloor(symbolIndex s: Int, totals t: AccountTotals) -> Double {
        floor(cushion: t.equity - t.crossMaintenanceMargin, slope: crossSlopeBounds[s], mark: marks[s])
    }

    /// The same for isolated position `index`: its own margin + PnL − MM against its own price.
    @inline(__always)
    public func isolatedLiquidationDistanceFloor(position index: Int) -> Double {
        let p = positions[index]
        return floor(cushion: p.isolatedEquity - p.maintenanceMargin, slope: isolatedSlopeBounds[index], mark: marks[p.symbolIndex])
    }

    @inline(__always)
    private func floor(cushion: Double, slope: Double, mark: Double) -> Double {
        guard cushion > 0, slope.isFinite, mark > 0 else { return 0 }
        // A flat function never reaches 0 from a positive cushion: no liquidation price at all.
        guard slope > 0 else { return .infinity }
        return 100 * cushion / (slope * mark)
    }
}

extension BracketTable {
    /// Whether maintenance margin is continuous across the brackets (each `cum` as the
    /// exchange derives it): only then does the slope bound hold.
    var isContinuous: Bool {
        for k in brackets.indices.dropFirst() {
            let jump = brackets[k].floor * (brackets[k].mmr - brackets[k - 1].mmr) - (brackets[k].cum - brackets[k - 1].cum)
            if abs(jump) > 1e-9 * max(1, abs(brackets[k].cum)) { return false }
        }
        return true
    }
}
