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
    /// Each position's engine symbol index.
    private let positionSymbol: [Int]
    /// The positions with a stop-loss, and the isolated ones, in portfolio order: the only ones a
    /// step's stop and isolated-liquidation checks visit.
    private let stopPositions: [Int]
    private let isolatedPositions: [Int]
    /// Symbols priced since the last step (all of them before the first).
    private var moved = MovedSymbols.all
    /// Per engine symbol: the stops and isolated positions on it (see `SymbolGuard`).
    private let guards: [SymbolGuard]
    /// What the shortcuts compare with at the current thresholds.
    private var shortcuts: StepShortcuts
    /// Set when a step closed something, so the account sums must be taken again.
    private var closedInStep = false
    /// Skip, at each step, every check whose outcome cannot have changed (the default): a step
    /// that surely changes nothing but the summary is judged in one pass (`isQuiet`); otherwise
    /// stops and isolated liquidations of symbols no tick moved, account rules, the soft stop,
    /// liquidation-price solves and position-MM shares surely inside their ok band, and the
    /// lowest margin ratio and deepest drawdown surely not beaten, are passed over. Off,
    /// everything is judged every step: the reference the equivalence test compares with.
    var fastSteps = true
    /// Steps judged in one pass (the equivalence test checks the shortcut is taken at all).
    private(set) var quietSteps = 0
    /// Across quiet steps only: the bound the per-position shortcut tests against (see
    /// `positionsSurelyStayOk`); a full step may close positions, so it drops it.
    private var reach: CrossReach?
    /// The `correlated_mm` rule: groups that are one bet and their levels.
    private var oneBet: OneBetRule

    public init(engine: Engine, thresholds: AlertThresholds? = nil) {
        self.engine = engine
        self.thresholds = thresholds ?? engine.portfolio.alerts
        levels = RuleLevels(positionCount: engine.positionCount)
        symbolNames = engine.portfolio.positions.map(\.symbol)
        stops = engine.portfolio.positions.map(\.stopLoss)
        isLong = engine.portfolio.positions.map { $0.side == .long }
        positionSymbol = engine.portfolio.positions.map { engine.index(of: $0.symbol) ?? 0 }
        stopPositions = engine.portfolio.positions.indices.filter { engine.portfolio.positions[$0].stopLoss != nil }
        isolatedPositions = engine.portfolio.positions.indices.filter { engine.portfolio.positions[$0].margin != .cross }
        guards = SymbolGuard.make(engine: engine)
        shortcuts = StepShortcuts(thresholds ?? engine.portfolio.alerts)
        oneBet = OneBetRule(engine: engine, thresholds: thresholds ?? engine.portfolio.alerts)
    }

    /// Takes over where `old`'s rules stood, for a session on a changed book (the exchange
    /// account changed under `--account`): account rules keep their levels, per-position rules
    /// keep them for the positions still held (same symbol and side), and the soft stop keeps
    /// its baseline, moved by `baselineShift` (money paid in or out at the change). A warning
    /// still in force is then not raised again; a new position starts at ok.
    public mutating func carryOver(from old: RiskSession, baselineShift: Double = 0) {
        let oldPositions = old.engine.portfolio.positions
        for rule in AlertRule.allCases where rule != .correlatedMM {
            if !rule.isPerPosition {
                levels[rule] = old.levels[rule]
                continue
            }
            for (i, p) in engine.portfolio.positions.enumerated() {
                if let j = oldPositions.firstIndex(where: { $0.symbol == p.symbol && $0.side == p.side }) {
                    levels[rule, i] = old.levels[rule, j]
                }
            }
        }
        baseline = old.baseline.map { $0 + baselineShift }
        peakEquity = old.peakEquity.map { $0 + baselineShift }
        summary.baselineEquity = old.summary.baselineEquity.map { $0 + baselineShift }
    }

    /// The feed's correlations of the symbols held cross at the start (nil with fewer than two).
    public var correlations: CorrelationTracker? { oneBet.correlations }
    /// The groups of symbols that are one bet now (`correlated_mm`).
    public var groups: [CorrelatedGroup] { oneBet.groups }
    /// The level each current group stands at (in the order of `groups`).
    public var groupAlertLevels: [AlertLevel] { oneBet.levels }

    /// The shortest sample interval for the correlation estimate (a kline tape's bar); set
    /// before the first step.
    public mutating func setSampleFloor(_ ms: Int64) {
        oneBet.setSampleFloor(ms, engine: engine, thresholds: thresholds)
    }

    /// Applies one tick's price to the engine (its symbol index in `engine.symbols`).
    @inline(__always)
    public mutating func apply(price: Double, symbolIndex: Int) {
        engine.setMark(price, symbolIndex: symbolIndex)
        moved.insert(symbolIndex)
        if oneBet.awaitingFirstPrice > 0 { oneBet.notePriced(symbolIndex) }
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
        if estimator(new) != estimator(thresholds) { oneBet.rebuildTracker(engine: engine, thresholds: new) }
        thresholds = new
        shortcuts = StepShortcuts(new)
        oneBet.stale = true
    }

    /// Runs everything that happens at the end of a time step, after its marks were applied.
    /// - Returns: the step's events, in the contract's order.
    public mutating func step(time: Int64, into events: inout [SessionEvent]) {
        let before = engine.totals
        if before.openCrossPositions > 0, let ratio = marginRatioIfNewLow(before) {
            if summary.minMarginRatio.map({ ratio < $0 }) ?? true {
                summary.minMarginRatio = ratio
                summary.minMarginRatioTime = time
            }
        }
        if fastSteps && isQuiet(time: time, totals: before) {
            quietSteps &+= 1
            moved = .none
            closedInStep = false
            // The groups of one bet are sampled and judged as in the full step (it ends with them).
            oneBet.observeKeepingGroups(time: time, marks: engine.marks)
            judgeGroups(time: time, totals: before, into: &events)
            noteEquity(before.totalEquity)
            return
        }
        closedInStep = false
        reach = nil
        let atRisk = fastSteps ? SymbolGuard.atRisk(moved: moved, guards: guards, marks: engine.marks) : (stops: .all, isolated: .all)
        moved = .none
        liquidations(time: time, totals: before, isolatedMoved: atRisk.isolated, into: &events)
        if !atRisk.stops.isEmpty { stopLosses(time: time, symbols: atRisk.stops, into: &events) }
        var t = closedInStep ? engine.totals : before
        if let baseline {
            softStop(time: time, totalEquity: t.totalEquity, baseline: baseline, into: &events)
            if closedInStep { t = engine.totals }
        }
        oneBet.observe(time: time, marks: engine.marks, closed: closedInStep)
        if oneBet.stale { oneBet.form(time: time, engine: engine, thresholds: thresholds, totals: t, into: &events) }
        alertRules(time: time, totals: t, into: &events)
        if baseline == nil { baseline = t.totalEquity; summary.baselineEquity = t.totalEquity }
        noteEquity(t.totalEquity)
    }

    /// The step's end in the summary: the equity it ended at, the drawdown from the peak.
    @inline(__always)
    private mutating func noteEquity(_ totalEquity: Double) {
        summary.finalTotalEquity = totalEquity
        if let peak = peakEquity, peak > 0,
           !(fastSteps && StepShortcuts.surelyNoDeeper(drawdownFrom: peak, to: totalEquity, than: summary.maxDrawdownPct)) {
            summary.maxDrawdownPct = max(summary.maxDrawdownPct, 100 * (peak - totalEquity) / peak)
        }
        peakEquity = max(peakEquity ?? totalEquity, totalEquity)
    }

    /// Whether the step at these totals surely raises nothing and moves no rule but the groups'
    /// of one bet: no symbol that moved is near a stop or holds an isolated position, the cross
    /// account is not liquidated, the groups stay as they are, and every other rule is at ok
    /// with its number surely inside ok (the same shortcuts the full step takes one by one, here
    /// all at once: most steps of a replay are like this).
    /// (Mutating only so the call does not copy the whole session: called from a mutating
    /// method, a non-mutating one got a copy of `self` — 968 bytes a step.)
    @inline(__always)
    private mutating func isQuiet(time: Int64, totals t: AccountTotals) -> Bool {
        guard let baseline, !t.isCrossLiquidated, levels[.softStop] == .ok,
              shortcuts.softStopSurelyOk(totalEquity: t.totalEquity, baseline: baseline),
              oneBet.keepsGroups(at: time) else { return false }
        let atRisk = SymbolGuard.atRisk(moved: moved, guards: guards, marks: engine.marks)
        guard atRisk.stops.isEmpty, atRisk.isolated.isEmpty else { return false }
        if t.openCrossPositions > 0 {
            guard levels[.marginRatio] == .ok, levels[.freeMarginPct] == .ok,
                  shortcuts.marginRatioSurelyOk(t), shortcuts.freeMarginSurelyOk(t) else { return false }
        }
        return positionsSurelyStayOk(totals: t, maintenanceBelow: shortcuts.positionMMSurelyBelow(equity: t.equity))
    }

    /// Whether every position is at ok, cross, and one bound for them all keeps each liquidation
    /// distance and MM share there (the per-position rules need not be judged one by one).
    /// The bound comes from `reach`, widened with the moved symbols (O(moved), not O(symbols));
    /// when that fails it is taken afresh over every symbol, in case a symbol has moved back in.
    @inline(__always)
    private mutating func positionsSurelyStayOk(totals t: AccountTotals, maintenanceBelow mm: Double) -> Bool {
        guard levels.raisedPositionLevels == 0 && isolatedPositions.isEmpty && engine.maintenanceNeverNegative else { return false }
        let pct = shortcuts.distanceSurelyBeyond
        if var r = reach {
            engine.widen(&r, moved: moved)
            reach = r
            if engine.everyCrossPosition(within: r, surelyBeyond: pct, maintenanceBelow: mm, totals: t) { return true }
        }
        let exact = engine.crossReach()
        reach = exact
        return engine.everyCrossPosition(within: exact, surelyBeyond: pct, maintenanceBelow: mm, totals: t)
    }

    /// Runs only the alert rules at the current marks (after new thresholds), outside a step.
    public mutating func judgeRules(time: Int64, into events: inout [SessionEvent]) {
        let t = engine.totals
        if oneBet.stale { oneBet.form(time: time, engine: engine, thresholds: thresholds, totals: t, into: &events) }
        alertRules(time: time, totals: t, into: &events)
    }

    /// The margin ratio when it may be below the lowest seen so far (worked out exactly then),
    /// else nil; nil too without maintenance margin.
    @inline(__always)
    private func marginRatioIfNewLow(_ t: AccountTotals) -> Double? {
        if fastSteps, let low = summary.minMarginRatio, StepShortcuts.surelyNotBelow(t.equity, over: t.crossMaintenanceMargin, low) {
            return nil
        }
        return t.marginRatio
    }

    private mutating func liquidations(time: Int64, totals t: AccountTotals, isolatedMoved: MovedSymbols,
                                       into events: inout [SessionEvent]) {
        if t.isCrossLiquidated {
            events.append(.liquidation(time: time, scope: .account, symbol: nil, equity: t.equity,
                                       maintenanceMargin: t.crossMaintenanceMargin))
            engine.liquidateCrossAccount()
            closedInStep = true
            noteLiquidation(time)
        }
        for i in isolatedPositions where isolatedMoved.contains(positionSymbol[i]) && engine.isOpen(i) {
            let f = engine.stepFigures(position: i)
            if Liquidation.isolated(equity: f.isolatedEquity, maintenanceMargin: f.maintenanceMargin) {
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

    /// Closes the positions on `symbols` whose mark reached their stop.
    private mutating func stopLosses(time: Int64, symbols: MovedSymbols, into events: inout [SessionEvent]) {
        for i in stopPositions where symbols.contains(positionSymbol[i]) {
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
        if fastSteps && levels[.softStop] == .ok && shortcuts.softStopSurelyOk(totalEquity: totalEquity, baseline: baseline) { return }
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
            let quiet = fastSteps && levels[.marginRatio] == .ok && levels[.freeMarginPct] == .ok
            if quiet && shortcuts.marginRatioSurelyOk(t) {
                // Stays at ok: nothing to record (the summary's times need warn).
            } else if let ratio = t.marginRatio {
                judge(.marginRatio, position: nil, value: ratio, time: time, into: &events)
                let level = levels[.marginRatio]
                if level >= .warn && summary.firstWarnTime == nil { summary.firstWarnTime = time }
                if level == .critical && summary.firstCriticalTime == nil { summary.firstCriticalTime = time }
            }
            if !(quiet && shortcuts.freeMarginSurelyOk(t)), let free = t.freeMarginPct {
                judge(.freeMarginPct, position: nil, value: free, time: time, into: &events)
            }
        }
        // A liquidation price is solved only where the distance rule could change level: a rule at
        // ok whose distance is surely beyond warn stays ok (a bound, `Engine+DistanceFloor`).
        // Positions on one symbol share its cross price: solved once per symbol and step.
        // Likewise a position's MM share is taken only when it may be past the level.
        let mmSurelyBelow = fastSteps ? shortcuts.positionMMSurelyBelow(equity: t.equity) : -.infinity
        let positionsQuiet = fastSteps && positionsSurelyStayOk(totals: t, maintenanceBelow: mmSurelyBelow)
        var lastSymbol = -1
        var lastPrice: Double?
        for i in 0..<(positionsQuiet ? 0 : engine.positionCount) where engine.isOpen(i) {
            let f = engine.stepFigures(position: i)
            let lp: Double?
            if fastSteps && levels[.liquidationDistance, i] == .ok
                && (f.isCross ? engine.crossLiquidation(surelyBeyond: shortcuts.distanceSurelyBeyond, symbolIndex: f.symbolIndex, totals: t)
                              : engine.isolatedLiquidation(surelyBeyond: shortcuts.distanceSurelyBeyond, position: i)) {
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
            if f.isCross, f.maintenanceMargin >= mmSurelyBelow || levels[.positionMM, i] != .ok,
               let share = RuleMeasure.positionMMPct(maintenanceMargin: f.maintenanceMargin, equity: t.equity) {
                judge(.positionMM, position: i, value: share, time: time, into: &events)
            }
        }
        judgeGroups(time: time, totals: t, into: &events)
    }

    /// Judges the groups of one bet, unless every one of them surely stays at ok.
    @inline(__always)
    private mutating func judgeGroups(time: Int64, totals t: AccountTotals, into events: inout [SessionEvent]) {
        guard oneBet.hasGroups else { return }
        if fastSteps && engine.maintenanceNeverNegative
            && oneBet.surelyAllOk(crossMaintenance: t.crossMaintenanceMargin, below: shortcuts.groupMMSurelyBelow(equity: t.equity)) {
            return
        }
        for k in oneBet.groups.indices {
            guard let share = engine.groupMMPct(oneBet.groups[k], totals: t) else { continue }
            if let raised = oneBet.judge(group: k, share: share, time: time, thresholds: thresholds, into: &events) {
                summary.worstLevel = max(summary.worstLevel, raised)
            }
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

