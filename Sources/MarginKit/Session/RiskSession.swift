/// The account over time: applies marks, then at each time step runs liquidations, stop-losses,
/// the soft stop and the alert rules, in the contract's order, and keeps the summary.
public struct RiskSession {
    public private(set) var engine: Engine
    public private(set) var thresholds: AlertThresholds
    public private(set) var summary = SessionSummary()
    /// total_equity at the end of the first step.
    public private(set) var baseline: Double?

    /// Where each threshold rule and the soft stop stand, by rule and position.
    private var levels: RuleLevels
    private var peakEquity: Double?
    private let symbolNames: [String]
    /// Stop price per position (nil: none) and side, copied out of the specs for the step loop.
    private let stops: [Double?]
    private let isLong: [Bool]
    /// Set when a step closed something, so the account sums must be taken again.
    private var closedInStep = false
    /// Skip a liquidation-price solve that cannot change its rule's level (the default). Off,
    /// every price is solved every step: the reference the equivalence test compares with.
    var boundsLiquidationSolves = true
    /// The feed's correlations of the symbols held cross at the start (nil with fewer than two).
    public private(set) var correlations: CorrelationTracker?
    /// The groups of symbols that are one bet now (`correlated_mm`), and where each stands.
    public private(set) var groups: [CorrelatedGroup] = []
    private var groupLevels: [AlertLevel] = []
    /// Pairs declared correlated under `groups:`.
    private let declaredLinks: Set<SymbolPair>
    /// Set when the groups must be formed again: a new sample, a close, new levels.
    private var groupsStale = true

    public init(engine: Engine, thresholds: AlertThresholds? = nil) {
        self.engine = engine
        self.thresholds = thresholds ?? engine.portfolio.alerts
        levels = RuleLevels(positionCount: engine.positionCount)
        symbolNames = engine.portfolio.positions.map(\.symbol)
        stops = engine.portfolio.positions.map(\.stopLoss)
        isLong = engine.portfolio.positions.map { $0.side == .long }
        declaredLinks = engine.declaredLinks()
        correlations = Self.tracker(for: engine, self.thresholds)
    }

    private static func tracker(for engine: Engine, _ t: AlertThresholds, floor: Int64 = 0) -> CorrelationTracker? {
        let held = engine.crossHeldSymbols
        guard held.count >= 2 else { return nil }
        return CorrelationTracker(symbols: held, symbolCount: engine.symbols.count,
                                  sampleMs: max(floor, t.correlatedExposure.sampleMs), window: t.correlatedExposure.window)
    }

    /// The shortest sample interval for the correlation estimate (a kline tape's bar); set
    /// before the first step.
    private var sampleFloorMs: Int64 = 0

    public mutating func setSampleFloor(_ ms: Int64) {
        sampleFloorMs = ms
        correlations = Self.tracker(for: engine, thresholds, floor: ms)
    }

    /// Applies one tick's price to the engine (its symbol index in `engine.symbols`).
    @inline(__always)
    public mutating func apply(price: Double, symbolIndex: Int) {
        engine.setMark(price, symbolIndex: symbolIndex)
    }

    /// Counts a tick that was applied (even one for a symbol the portfolio does not price).
    @inline(__always)
    public mutating func countTick(time: Int64) {
        summary.ticks += 1
        if summary.firstTime == nil { summary.firstTime = time }
        summary.lastTime = time
    }

    /// Replaces the alert levels while running (the threshold editor); rule states are kept and
    /// re-judged against the new levels at the next step or `judgeRules`.
    public mutating func setThresholds(_ new: AlertThresholds) {
        let estimator = { (t: AlertThresholds) in (t.correlatedExposure.sampleMs, t.correlatedExposure.window) }
        if estimator(new) != estimator(thresholds) { correlations = Self.tracker(for: engine, new, floor: sampleFloorMs) }
        thresholds = new
        groupsStale = true
    }

    /// Runs everything that happens at the end of a time step, after its marks were applied.
    /// - Returns: the step's events, in the contract's order.
    public mutating func step(time: Int64, into events: inout [SessionEvent]) {
        let before = engine.totals
        if before.openCrossPositions > 0, let ratio = before.marginRatio {
            if summary.minMarginRatio.map({ ratio < $0 }) ?? true {
                summary.minMarginRatio = ratio
                summary.minMarginRatioTime = time
            }
        }
        closedInStep = false
        liquidations(time: time, totals: before, into: &events)
        stopLosses(time: time, into: &events)
        var t = closedInStep ? engine.totals : before
        if let baseline {
            softStop(time: time, totalEquity: t.totalEquity, baseline: baseline, into: &events)
            if closedInStep { t = engine.totals }
        }
        if correlations?.observe(time: time, marks: engine.marks) == true || closedInStep { groupsStale = true }
        if groupsStale { formGroups(time: time, totals: t, into: &events) }
        alertRules(time: time, totals: t, into: &events)
        if baseline == nil { baseline = t.totalEquity; summary.baselineEquity = t.totalEquity }
        summary.finalTotalEquity = t.totalEquity
        if let peak = peakEquity, peak > 0 {
            summary.maxDrawdownPct = max(summary.maxDrawdownPct, 100 * (peak - t.totalEquity) / peak)
        }
        peakEquity = max(peakEquity ?? t.totalEquity, t.totalEquity)
    }

    /// Runs only the alert rules at the current marks (after new thresholds), outside a step.
    public mutating func judgeRules(time: Int64, into events: inout [SessionEvent]) {
        let t = engine.totals
        if groupsStale { formGroups(time: time, totals: t, into: &events) }
        alertRules(time: time, totals: t, into: &events)
    }

    /// The groups that are one bet at these marks and correlations. A pair already in a group
    /// stays linked until its correlation is back below the level by the hysteresis, so a
    /// group does not flap at the edge; a group at warn that is gone clears.
    private mutating func formGroups(time: Int64, totals t: AccountTotals, into events: inout [SessionEvent]) {
        groupsStale = false
        guard correlations != nil || !declaredLinks.isEmpty || !groups.isEmpty else { return }
        let level = thresholds.correlatedExposure.correlation
        // The estimate wanders by about (1 − ρ²)/√n from sample noise alone: a pair leaves its
        // group only when it is below the level by the hysteresis or by two of those, whichever
        // is wider, so noise around the level does not make and unmake the group.
        let noise = 2 * (1 - level * level) / Double(max(1, correlations?.count ?? 1)).squareRoot()
        let relaxed = level - max(level * thresholds.hysteresisPct / 100, noise)
        var linkedBefore = Set<SymbolPair>()
        for g in groups {
            for (a, i) in g.symbolIndices.enumerated() { for j in g.symbolIndices[(a + 1)...] { linkedBefore.insert(SymbolPair(i, j)) } }
        }
        let tracker = correlations, declared = declaredLinks
        let formed = engine.correlatedGroups(linked: { i, j in
            let pair = SymbolPair(i, j)
            if declared.contains(pair) { return true }
            guard let c = tracker?.correlation(i, j) else { return false }
            return c >= (linkedBefore.contains(pair) ? relaxed : level)
        }, correlation: { tracker?.correlation($0, $1) })
        var levels: [AlertLevel] = []
        for g in formed {
            // The same members keep their level (the correlation may have moved).
            levels.append(groups.firstIndex { $0.symbolIndices == g.symbolIndices }.map { groupLevels[$0] } ?? .ok)
        }
        // A group gone while some of it is still held clears, saying so; one whose every
        // position closed (a liquidation, the soft stop closing all) says nothing more.
        let held = Set(engine.crossHeldSymbols)
        for (k, old) in groups.enumerated() where groupLevels[k] != .ok && !formed.contains(where: { $0.symbolIndices == old.symbolIndices })
            && old.symbolIndices.contains(where: held.contains) {
            // Why it is gone: a member closed or turned (no correlation to speak of), or the
            // correlation fell.
            let sides = engine.netCrossSides()
            let stillHeld = old.symbolIndices.allSatisfy { sides[$0] == (old.side == .long ? 1 : -1) }
            var facts = Self.facts(old, correlation: stillHeld ? lowestCorrelation(old.symbolIndices) : nil)
            facts.dissolved = true
            let value = engine.groupMMPct(old, totals: t) ?? 0
            events.append(.alert(AlertChange(time: time, rule: .correlatedMM, level: groupLevels[k], state: .cleared,
                                             symbol: old.name, value: value,
                                             threshold: AlertRule.correlatedMM.threshold(for: groupLevels[k], in: thresholds),
                                             now: .ok, group: facts)))
        }
        groups = formed
        groupLevels = levels
    }

    /// The lowest estimated correlation among `members` (nil when a pair has none).
    public func lowestCorrelation(_ members: [Int]) -> Double? {
        var lowest: Double?
        for (a, i) in members.enumerated() {
            for j in members[(a + 1)...] {
                guard let c = correlations?.correlation(i, j) else { return nil }
                lowest = min(lowest ?? c, c)
            }
        }
        return lowest
    }

    private static func facts(_ g: CorrelatedGroup, correlation: Double?) -> AlertChange.GroupFacts {
        AlertChange.GroupFacts(symbols: g.symbols, side: g.side, correlation: correlation)
    }

    /// The level each current group stands at (in the order of `groups`).
    public var groupAlertLevels: [AlertLevel] { groupLevels }

    private mutating func liquidations(time: Int64, totals t: AccountTotals, into events: inout [SessionEvent]) {
        if t.isCrossLiquidated {
            events.append(.liquidation(time: time, scope: .account, symbol: nil, equity: t.equity,
                                       maintenanceMargin: t.crossMaintenanceMargin))
            engine.liquidateCrossAccount()
            closedInStep = true
            noteLiquidation(time)
        }
        for i in 0..<engine.positionCount where engine.isOpen(i) {
            let f = engine.stepFigures(position: i)
            if !f.isCross && Liquidation.isolated(equity: f.isolatedEquity, maintenanceMargin: f.maintenanceMargin) {
                events.append(.liquidation(time: time, scope: .position, symbol: symbolNames[i], equity: f.isolatedEquity,
                                           maintenanceMargin: f.maintenanceMargin))
                engine.liquidateIsolated(position: i)
                closedInStep = true
                noteLiquidation(time)
            }
        }
    }

    private mutating func noteLiquidation(_ time: Int64) {
        if summary.liquidationTime == nil { summary.liquidationTime = time }
        summary.worstLevel = .critical
    }

    private mutating func stopLosses(time: Int64, into events: inout [SessionEvent]) {
        for i in 0..<engine.positionCount {
            guard let stop = stops[i], engine.isOpen(i) else { continue }
            let mark = engine.stepFigures(position: i).mark
            guard isLong[i] ? mark <= stop : mark >= stop else { continue }
            let realized = engine.close(position: i)
            closedInStep = true
            events.append(.stopLoss(time: time, symbol: symbolNames[i], price: mark, realizedPnl: realized))
            summary.stopsHit.append(symbolNames[i])
            summary.worstLevel = .critical
        }
    }

    private mutating func softStop(time: Int64, totalEquity: Double, baseline: Double, into events: inout [SessionEvent]) {
        guard let loss = RuleMeasure.softStopLossPct(totalEquity: totalEquity, baseline: baseline) else { return }
        // Raised when the loss reaches the level; cleared once it is back below it by the hysteresis.
        let current = levels[.softStop]
        let next = AlertRule.softStop.next(from: current, value: loss, in: thresholds)
        levels[.softStop] = next
        guard next == .critical, current == .ok else { return }
        let closeAll = thresholds.softStopAction == .closeAll
        if closeAll {
            for i in 0..<engine.positionCount where engine.isOpen(i) { engine.close(position: i) }
            closedInStep = true
        }
        events.append(.softStop(time: time, lossPct: loss, closedAll: closeAll))
        if summary.softStopTime == nil { summary.softStopTime = time }
        summary.worstLevel = .critical
    }

    private mutating func alertRules(time: Int64, totals t: AccountTotals, into events: inout [SessionEvent]) {
        if t.openCrossPositions > 0 {
            if let ratio = t.marginRatio {
                judge(.marginRatio, position: nil, value: ratio, time: time, into: &events)
                let level = levels[.marginRatio]
                if level >= .warn && summary.firstWarnTime == nil { summary.firstWarnTime = time }
                if level == .critical && summary.firstCriticalTime == nil { summary.firstCriticalTime = time }
            }
            if let free = t.freeMarginPct {
                judge(.freeMarginPct, position: nil, value: free, time: time, into: &events)
            }
        }
        // A liquidation price is solved only where the distance rule could change level: a rule at
        // ok whose distance is surely beyond warn stays ok (a bound, `Engine+DistanceFloor`).
        // Positions on one symbol share its cross price: solved once per symbol and step.
        // The nearer of the two levels (warn, unless the levels come in out of order by API).
        let distanceLevels = AlertRule.liquidationDistance.levels(in: thresholds)
        let warn = max(distanceLevels.warn, distanceLevels.critical ?? distanceLevels.warn)
        // A hair of slack, so rounding in the exact solve can never fall on the other side.
        let surelyBeyond = warn * (1 + 1e-9) + 1e-12
        var lastSymbol = -1
        var lastPrice: Double?
        for i in 0..<engine.positionCount where engine.isOpen(i) {
            let f = engine.stepFigures(position: i)
            let lp: Double?
            if boundsLiquidationSolves && levels[.liquidationDistance, i] == .ok
                && (f.isCross ? engine.crossLiquidationDistanceFloor(symbolIndex: f.symbolIndex, totals: t)
                              : engine.isolatedLiquidationDistanceFloor(position: i)) >= surelyBeyond {
                lp = nil
            } else if f.isCross {
                if f.symbolIndex != lastSymbol {
                    lastPrice = engine.crossLiquidationPrice(symbolIndex: f.symbolIndex, totals: t)
                    lastSymbol = f.symbolIndex
                }
                lp = lastPrice
            } else {
                lp = engine.liquidationPrice(position: i, totals: t)
            }
            if let lp {
                judge(.liquidationDistance, position: i, value: RuleMeasure.liquidationDistance(mark: f.mark, liquidationPrice: lp),
                      time: time, into: &events)
            }
            if f.isCross, let share = RuleMeasure.positionMMPct(maintenanceMargin: f.maintenanceMargin, equity: t.equity) {
                judge(.positionMM, position: i, value: share, time: time, into: &events)
            }
        }
        for k in groups.indices {
            guard let share = engine.groupMMPct(groups[k], totals: t) else { continue }
            let level = groupLevels[k]
            let next = AlertRule.correlatedMM.next(from: level, value: share, in: thresholds)
            guard next != level else { continue }
            groupLevels[k] = next
            let raised = next > level
            let eventLevel = raised ? next : level
            events.append(.alert(AlertChange(time: time, rule: .correlatedMM, level: eventLevel, state: raised ? .raised : .cleared,
                                             symbol: groups[k].name, value: share,
                                             threshold: AlertRule.correlatedMM.threshold(for: eventLevel, in: thresholds),
                                             now: next, group: Self.facts(groups[k], correlation: groups[k].correlation))))
            if raised { summary.worstLevel = max(summary.worstLevel, next) }
        }
    }

    /// Moves `rule` (of `position`) to its level for `value`, with hysteresis, and records the
    /// change as an event.
    @_transparent
    private mutating func judge(_ rule: AlertRule, position: Int?, value: Double, time: Int64,
                                into events: inout [SessionEvent]) {
        let level = levels[rule, position]
        let next = rule.next(from: level, value: value, in: thresholds)
        guard next != level else { return }
        levels[rule, position] = next
        change(rule, position: position, from: level, to: next, value: value, time: time, into: &events)
    }

    /// The event of a rule changing level (rare: kept out of the per-step path).
    @inline(never)
    private mutating func change(_ rule: AlertRule, position: Int?, from level: AlertLevel, to next: AlertLevel, value: Double,
                                 time: Int64, into events: inout [SessionEvent]) {
        let raised = next > level
        let eventLevel = raised ? next : level
        events.append(.alert(AlertChange(time: time, rule: rule, level: eventLevel, state: raised ? .raised : .cleared,
                                         symbol: position.map { symbolNames[$0] }, value: value,
                                         threshold: rule.threshold(for: eventLevel, in: thresholds), now: next)))
        if raised { summary.worstLevel = max(summary.worstLevel, next) }
    }
}
