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

    /// Whether the cross floor of symbol `s` is surely at least `pct` (the per-step rules'
    /// shortcut: the same bound multiplied out, with 1e-9 to spare, so no division per step).
    @inline(__always)
    func crossLiquidation(surelyBeyond pct: Double, symbolIndex s: Int, totals t: AccountTotals) -> Bool {
        Self.floor(atLeast: pct, cushion: t.equity - t.crossMaintenanceMargin, slope: crossSlopeBounds[s], mark: marks[s])
    }

    /// The widest slope·mark and the largest cross MM of one symbol, over the symbols with an
    /// open cross position: what `everyCrossPosition` compares with.
    func crossReach() -> CrossReach {
        var reach = CrossReach()
        for s in sums.indices { widen(&reach, symbol: s) }
        return reach
    }

    /// Widens `reach` with the symbols in `moved` at their current marks. The others' figures
    /// change only when a position closes, so a reach taken exactly and widened at each step
    /// since stays an upper bound (a test that passes on it passes on the exact figures).
    @inline(__always)
    func widen(_ reach: inout CrossReach, moved: MovedSymbols) {
        moved.forEach(below: sums.count) { widen(&reach, symbol: $0) }
    }

    @inline(__always)
    private func widen(_ reach: inout CrossReach, symbol s: Int) {
        guard sums[s].openCrossCount > 0 else { return }
        let mark = marks[s], slope = crossSlopeBounds[s]
        if !(mark > 0) || !slope.isFinite { reach.bounded = false }
        reach.widest = max(reach.widest, slope * mark)
        reach.largestMM = max(reach.largestMM, sums[s].crossMaintenanceMargin)
    }

    /// Whether every open cross position surely has its liquidation distance at least `pct` and
    /// its MM below `mm`: one test for them all, against the largest slope·mark and the largest
    /// MM of one symbol's cross positions in `reach` (which bounds each of its positions' MM,
    /// none being negative — the caller checks `maintenanceNeverNegative`).
    @inline(__always)
    func everyCrossPosition(within reach: CrossReach, surelyBeyond pct: Double, maintenanceBelow mm: Double,
                            totals t: AccountTotals) -> Bool {
        let cushion = t.equity - t.crossMaintenanceMargin
        // No open cross position (largest MM −∞): no share to bound, whatever `mm` is.
        guard cushion > 0, reach.bounded, reach.largestMM == -.infinity || reach.largestMM < mm else { return false }
        return 100 * cushion >= pct * reach.widest * (1 + 1e-9)
    }

    /// The same for isolated position `index`.
    @inline(__always)
    func isolatedLiquidation(surelyBeyond pct: Double, position index: Int) -> Bool {
        let p = positions[index]
        return Self.floor(atLeast: pct, cushion: p.isolatedEquity - p.maintenanceMargin, slope: isolatedSlopeBounds[index],
                          mark: marks[p.symbolIndex])
    }

    /// 100·cushion / (slope·mark) ≥ pct, with slope 0 meaning no liquidation at all.
    @inline(__always)
    private static func floor(atLeast pct: Double, cushion: Double, slope: Double, mark: Double) -> Bool {
        guard cushion > 0, slope.isFinite, mark > 0 else { return false }
        return 100 * cushion >= pct * slope * mark * (1 + 1e-9)
    }

    @inline(__always)
    private func floor(cushion: Double, slope: Double, mark: Double) -> Double {
        guard cushion > 0, slope.isFinite, mark > 0 else { return 0 }
        // A flat function never reaches 0 from a positive cushion: no liquidation price at all.
        guard slope > 0 else { return .infinity }
        return 100 * cushion / (slope * mark)
    }
}

/// See `Engine.crossReach()`.
struct CrossReach: Sendable {
    var widest = 0.0
    var largestMM = -Double.infinity
    /// False when a symbol has no bound (no positive mark, a table whose MM jumps).
    var bounded = true
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
