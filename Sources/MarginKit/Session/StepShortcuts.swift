/// The per-step shortcuts of `RiskSession`: tests that say, by multiplying instead of dividing,
/// that a rule at ok surely stays at ok this step (or a summary figure surely does not move),
/// so its number need not be worked out. Each keeps a relative margin of `slack`, far above the
/// rounding of the exact figure: a number near its level is always judged exactly. An account
/// or position-MM level that is not positive gets no shortcut (the liquidation distance is never
/// negative, so any level works there). The equivalence test holds them to the full path.
struct StepShortcuts: Sendable {
    static let slack = 1e-9

    /// A liquidation distance at or beyond this keeps a rule at ok: the nearer of the two levels
    /// (warn, unless the levels come in out of order by API), with the slack.
    let distanceSurelyBeyond: Double
    private let positionMMWarn: Double
    private let correlatedMMWarn: Double
    /// For each account rule, the level a number must stay on the good side of to remain ok:
    /// the nearer of warn and critical.
    private let marginRatioLevel: Double
    private let freeMarginLevel: Double
    private let softStopLevel: Double

    init(_ t: AlertThresholds) {
        func nearer(_ rule: AlertRule) -> Double {
            let (warn, critical) = rule.levels(in: t)
            return max(warn, critical ?? warn)
        }
        distanceSurelyBeyond = nearer(.liquidationDistance) * (1 + Self.slack) + 1e-12
        positionMMWarn = AlertRule.positionMM.levels(in: t).warn
        correlatedMMWarn = AlertRule.correlatedMM.levels(in: t).warn
        marginRatioLevel = nearer(.marginRatio)
        freeMarginLevel = nearer(.freeMarginPct)
        softStopLevel = t.softStopLossPct
    }

    /// A position MM below this is surely a share of `equity` at or under the warn level (so a
    /// rule at ok stays there); −∞ when nothing can be said.
    @inline(__always)
    func positionMMSurelyBelow(equity: Double) -> Double {
        Self.maintenance(surelyBelow: positionMMWarn, of: equity)
    }

    /// The same for a group's combined MM and the `correlated_mm` level.
    @inline(__always)
    func groupMMSurelyBelow(equity: Double) -> Double {
        Self.maintenance(surelyBelow: correlatedMMWarn, of: equity)
    }

    @inline(__always)
    private static func maintenance(surelyBelow warnPct: Double, of equity: Double) -> Double {
        guard equity > 0, warnPct > 0 else { return -.infinity }
        return warnPct * equity / 100 * (1 - slack)
    }

    /// equity / MM surely at or above both margin-ratio levels.
    @inline(__always)
    func marginRatioSurelyOk(_ t: AccountTotals) -> Bool {
        Self.surelyNotBelow(t.equity, over: t.crossMaintenanceMargin, marginRatioLevel)
    }

    /// 100·(equity − IM) / equity surely at or above both free-margin levels.
    @inline(__always)
    func freeMarginSurelyOk(_ t: AccountTotals) -> Bool {
        Self.surelyNotBelow(100 * t.freeMargin, over: t.equity, freeMarginLevel)
    }

    /// The soft stop's loss, 100·(baseline − total equity) / baseline, surely short of its level.
    @inline(__always)
    func softStopSurelyOk(totalEquity: Double, baseline: Double) -> Bool {
        softStopLevel > 0 && baseline > 0 && 100 * (baseline - totalEquity) < softStopLevel * baseline * (1 - Self.slack)
    }

    /// numerator / denominator surely at or above `level` (a positive level, a positive denominator).
    @inline(__always)
    static func surelyNotBelow(_ numerator: Double, over denominator: Double, _ level: Double) -> Bool {
        level > 0 && denominator > 0 && numerator >= level * denominator * (1 + slack)
    }

    /// The drawdown 100·(peak − equity) / peak surely not deeper than `deepest` (peak > 0).
    @inline(__always)
    static func surelyNoDeeper(drawdownFrom peak: Double, to equity: Double, than deepest: Double) -> Bool {
        deepest >= 0 && 100 * (peak - equity) <= deepest * peak * (1 - slack)
    }
}

/// What a step must look at when a symbol's mark moved: its stops and isolated positions. A
/// mark strictly between the highest long stop and the lowest short stop on the symbol hits no
/// stop; an isolated position depends on its own symbol's mark alone.
struct SymbolGuard: Sendable {
    /// The highest stop of a long on the symbol (−∞: none) and the lowest of a short (+∞: none).
    var longStop = -Double.infinity
    var shortStop = Double.infinity
    var hasIsolated = false

    static func make(engine: Engine) -> [SymbolGuard] {
        var guards = Array(repeating: SymbolGuard(), count: engine.symbols.count)
        for p in engine.portfolio.positions {
            guard let s = engine.index(of: p.symbol) else { continue }
            if p.margin != .cross { guards[s].hasIsolated = true }
            guard let stop = p.stopLoss else { continue }
            if p.side == .long { guards[s].longStop = max(guards[s].longStop, stop) } else { guards[s].shortStop = min(guards[s].shortStop, stop) }
        }
        return guards
    }

    /// The symbols among `moved` whose stops may be hit, and those with isolated positions.
    @inline(__always)
    static func atRisk(moved: MovedSymbols, guards: [SymbolGuard], marks: [Double]) -> (stops: MovedSymbols, isolated: MovedSymbols) {
        var stops = MovedSymbols.none, isolated = MovedSymbols.none
        moved.forEach(below: guards.count) { s in
            let g = guards[s]
            let mark = marks[s]
            if !(mark > g.longStop && mark < g.shortStop) { stops.insert(s) }
            if g.hasIsolated { isolated.insert(s) }
        }
        return (stops, isolated)
    }
}
