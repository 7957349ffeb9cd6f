/// How much margin to add, or may come out, at the current marks (the guides' "how much to add,
/// how much may come out"): the cross rules of CONTRACT section 5 against a wallet change d.
///
/// Adding d to the wallet adds d to cross equity and changes no margin, so each rule clears from
/// a threshold on d: margin ratio (E + d ≥ warn·MM), free margin ((E + d − IM)/(E + d) ≥ warn/100,
/// so d ≥ IM/(1 − warn/100) − E), each cross position's share of equity (100·MMᵢ/(E + d) ≤ warn,
/// a warn-only rule), and each cross symbol's liquidation distance (on the prices
/// within warn % of its mark, equity + d − MM stays ≥ 0: d ≥ −min of that piecewise-linear
/// function there, found at the interval's ends and the bracket edges inside it). The largest of
/// these, D, clears every rule: a deposit of max(0, D), a withdrawal of up to −D.
public struct MarginBuffers: Sendable, Equatable {
    /// The smallest deposit that leaves no cross rule at warn or worse; nil when no deposit can
    /// (free margin warn at 100% with margin in use).
    public var depositToClearWarn: Double?
    /// The same for critical.
    public var depositToClearCritical: Double?
    /// The most the wallet can give while no cross rule reaches warn (0 … wallet).
    public var withdrawableKeepingWarn: Double
    /// The exchange's simple limit: max(0, min(wallet, equity − IM)).
    public var withdrawableExchange: Double
    /// Isolated positions within their liquidation-distance warn level: a cross deposit does not
    /// help them (their own margin does).
    public var isolatedBelowWarn: [String]
}

extension Engine {
    /// The buffers at the current marks for the levels of `t`, with `groups` judged as one
    /// position each (`correlated_mm`, a warn-only rule like `position_mm`).
    public func buffers(thresholds t: AlertThresholds, groups: [CorrelatedGroup] = []) -> MarginBuffers {
        let totals = self.totals
        let groupMM = groups.map(groupMaintenanceMargin)
        let warn = clearingDeposit(ratio: t.marginRatio.warn, freePct: t.freeMarginPct.warn,
                                   distancePct: t.liquidationDistancePct.warn, positionMMPct: t.positionMMPctWarn,
                                   groupMM: groupMM, totals: totals)
        // `position_mm` has no critical level: it does not count for the critical deposit.
        let critical = clearingDeposit(ratio: t.marginRatio.critical, freePct: t.freeMarginPct.critical,
                                       distancePct: t.liquidationDistancePct.critical, positionMMPct: nil, totals: totals)
        var isolated: [String] = []
        for i in positions.indices where positions[i].isOpen && !positions[i].isCross {
            let p = positions[i]
            // Past its liquidation the `liquidation` rule speaks, not a distance.
            guard !Liquidation.isolated(equity: p.isolatedEquity, maintenanceMargin: p.maintenanceMargin) else { continue }
            let symbol = symbols[p.symbolIndex]
            if let lp = liquidationPrice(position: i, totals: totals), !isolated.contains(symbol),
               RuleMeasure.liquidationDistance(mark: marks[p.symbolIndex], liquidationPrice: lp) < t.liquidationDistancePct.warn {
                isolated.append(symbol)
            }
        }
        return MarginBuffers(
            depositToClearWarn: warn.map { deposit($0, clearing: .warn, t, groups) },
            depositToClearCritical: critical.map { deposit($0, clearing: .critical, t, groups) },
            withdrawableKeepingWarn: warn.map { withdrawal(min(wallet, max(0, -$0)), t, groups) } ?? 0,
            withdrawableExchange: max(0, min(wallet, totals.equity - totals.crossInitialMargin)),
            isolatedBelowWarn: isolated)
    }

    /// The deposit to the cent, checked: the amount a trader would send must clear the rules as
    /// this engine judges them (at an exact boundary, rounding can land on either side).
    private func deposit(_ d: Double, clearing level: AlertLevel, _ t: AlertThresholds, _ groups: [CorrelatedGroup]) -> Double {
        guard d > 0 else { return 0 }
        var cents = (d * 100 - 1e-6).rounded(.up)
        for _ in 0..<3 where !(depositing(cents / 100)?.crossRulesClear(below: level, t, groups) ?? true) { cents += 1 }
        return cents / 100
    }

    /// The withdrawal to the cent, checked the same way (it must raise no warning).
    private func withdrawal(_ w: Double, _ t: AlertThresholds, _ groups: [CorrelatedGroup]) -> Double {
        guard w > 0 else { return 0 }
        var cents = (w * 100 + 1e-6).rounded(.down)
        for _ in 0..<3 where cents > 0 && !(depositing(-cents / 100)?.crossRulesClear(below: .warn, t, groups) ?? true) { cents -= 1 }
        return max(0, cents) / 100
    }

    /// Whether no cross rule the buffers clear is at `level` or worse (isolated positions and
    /// their symbols are not the cross wallet's to clear).
    func crossRulesClear(below level: AlertLevel, _ t: AlertThresholds, _ groups: [CorrelatedGroup]) -> Bool {
        let e = evaluate()
        let isolatedSymbols = Set(e.positions.filter { $0.spec.margin == .isolated }.map(\.symbol))
        return !RuleReading.readings(of: e, thresholds: t, groups: shares(of: groups)).contains { r in
            guard r.level >= level else { return false }
            switch r.rule {
            case .marginRatio, .freeMarginPct, .correlatedMM: return true
            case .liquidationDistance, .positionMM: return r.symbol.map { !isolatedSymbols.contains($0) } ?? false
            case .stopLoss, .softStop, .liquidation: return false
            }
        }
    }

    /// D: the wallet change from which no cross rule is below its level (may be negative: that
    /// much could come out). −∞ without cross positions (no cross rule applies); nil when no
    /// amount clears the free-margin rule.
    func clearingDeposit(ratio: Double, freePct: Double, distancePct: Double, positionMMPct: Double?,
                         groupMM: [Double] = [], totals t: AccountTotals) -> Double? {
        guard t.openCrossPositions > 0 else { return -.infinity }
        var d = -Double.infinity
        if let share = positionMMPct {
            for p in positions where p.isOpen && p.isCross && p.maintenanceMargin > 0 {
                d = max(d, 100 * p.maintenanceMargin / share - t.equity)
            }
            for mm in groupMM where mm > 0 { d = max(d, 100 * mm / share - t.equity) }
        }
        if t.crossMaintenanceMargin > 0 { d = max(d, ratio * t.crossMaintenanceMargin - t.equity) }
        if freePct >= 100 {
            if t.crossInitialMargin > 0 { return nil }
        } else {
            d = max(d, t.crossInitialMargin / (1 - freePct / 100) - t.equity)
        }
        for s in symbols.indices where sums[s].openCrossCount > 0 {
            d = max(d, -lowestCushion(symbolIndex: s, within: distancePct, totals: t))
        }
        return d
    }

    /// The lowest equity − MM while symbol `s`'s mark moves within ±`pct` % (every other mark
    /// still): the curve is piecewise linear, so its minimum is at an end or a bracket edge.
    func lowestCushion(symbolIndex s: Int, within pct: Double, totals t: AccountTotals) -> Double {
        let mark = marks[s]
        let fixed = crossCurveOffset(symbolIndex: s, totals: t)
        let curve = liquidationCurves[s]
        let low = max(0, mark * (1 - pct / 100)), high = mark * (1 + pct / 100)
        var lowest = min(curve.value(at: low, offset: fixed), curve.value(at: high, offset: fixed))
        // Both sides of each edge inside: a table whose `cum` jumps makes the curve jump there.
        for (i, x) in curve.breakpoints.enumerated() where x > low && x < high {
            for k in [i, i + 1] { lowest = min(lowest, curve.slopes[k] * x + curve.intercepts[k] + fixed) }
        }
        return lowest
    }
}
