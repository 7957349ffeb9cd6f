/// The `correlated_mm` rule over a session: which held symbols are one bet now (the feed's
/// correlation estimate, and the portfolio's `groups:`), and the level each group stands at.
struct OneBetRule {
    /// The feed's correlations of the symbols held cross at the start (nil with fewer than two).
    private(set) var correlations: CorrelationTracker?
    private(set) var groups: [CorrelatedGroup] = []
    private(set) var levels: [AlertLevel] = []
    /// Pairs declared correlated under `groups:`.
    private let declaredLinks: Set<SymbolPair>
    /// Set when the groups must be formed again: a new sample, a close, new levels.
    var stale = true
    /// Set by `form` when it found no group and no two held symbols pointing the same way:
    /// forming again finds nothing until a position closes (which makes the rule stale).
    private var formsNothing = false
    /// The shortest sample interval (a kline tape's bar).
    private var sampleFloorMs: Int64 = 0
    /// Tracked symbols the feed has not priced yet: the estimate starts once each has been
    /// (a mark from the portfolio file followed by the feed's first price is no return).
    private(set) var awaitingFirstPrice = 0
    private var priced: [Bool]

    init(engine: Engine, thresholds: AlertThresholds) {
        declaredLinks = engine.declaredLinks()
        priced = Array(repeating: false, count: engine.symbols.count)
        rebuildTracker(engine: engine, thresholds: thresholds)
    }

    /// A fresh estimate for `thresholds`' sample and window (the feed starts over for it).
    mutating func rebuildTracker(engine: Engine, thresholds t: AlertThresholds) {
        let held = engine.crossHeldSymbols
        guard held.count >= 2 else { correlations = nil; return }
        var sample = max(1, t.correlatedExposure.sampleMs)
        // On a kline tape the sample is whole bars: a point inside a bar is its made-up path.
        if sampleFloorMs > 0 { sample = max(sampleFloorMs, (sample + sampleFloorMs - 1) / sampleFloorMs * sampleFloorMs) }
        correlations = CorrelationTracker(symbols: held, symbolCount: engine.symbols.count, sampleMs: sample,
                                          window: t.correlatedExposure.window)
        awaitingFirstPrice = held.filter { !priced[$0] }.count
    }

    mutating func setSampleFloor(_ ms: Int64, engine: Engine, thresholds: AlertThresholds) {
        sampleFloorMs = max(0, ms)
        rebuildTracker(engine: engine, thresholds: thresholds)
    }

    /// Notes that symbol `s` has a price from the feed (called only while some are awaited).
    mutating func notePriced(_ s: Int) {
        guard !priced[s] else { return }
        priced[s] = true
        if correlations?.symbols.contains(s) == true { awaitingFirstPrice -= 1 }
    }

    /// Samples the marks when a grid point is reached; the groups are formed again when the
    /// correlations or the positions changed.
    @inline(__always)
    mutating func observe(time: Int64, marks: [Double], closed: Bool) {
        if awaitingFirstPrice == 0, correlations?.observe(time: time, marks: marks) == true { stale = true }
        if closed { stale = true }
    }

    /// The groups that are one bet at these marks and correlations. A pair already in a group
    /// stays linked until its correlation is below the level by the hysteresis or by two
    /// standard errors of the estimate, whichever is wider, so sampling noise does not make and
    /// unmake it. A group that grows or shrinks keeps its level (the members with the most in
    /// common carry it over); one that is gone while some of it is still held clears, saying so.
    mutating func form(time: Int64, engine: Engine, thresholds t: AlertThresholds, totals: AccountTotals,
                       into events: inout [SessionEvent]) {
        stale = false
        formsNothing = true
        guard correlations != nil || !declaredLinks.isEmpty || !groups.isEmpty else { return }
        // A group needs two held symbols pointing the same way: with none, and no group to
        // dissolve, there is nothing to form (a long against a short: every sample of the feed).
        guard !groups.isEmpty || engine.holdsTwoOnOneSide else { return }
        formsNothing = false
        let level = t.correlatedExposure.correlation
        let noise = 2 * (1 - level * level) / Double(max(1, correlations?.count ?? 1)).squareRoot()
        let relaxed = level - max(level * t.hysteresisPct / 100, noise)
        let linkedBefore = Set(groups.flatMap { CorrelatedGroup.pairs(of: $0.symbolIndices) })
        let tracker = correlations, declared = declaredLinks
        let formed = engine.correlatedGroups(linked: { i, j in
            let pair = SymbolPair(i, j)
            if declared.contains(pair) { return true }
            guard let c = tracker?.correlation(i, j) else { return false }
            return c >= (linkedBefore.contains(pair) ? relaxed : level)
        }, correlation: { tracker?.correlation($0, $1) })
        var carried = Array(repeating: false, count: groups.count)
        var newLevels: [AlertLevel] = []
        for g in formed {
            let shared = groups.indices.map { k in groups[k].symbolIndices.filter(g.symbolIndices.contains).count }
            if let k = shared.indices.max(by: { shared[$0] < shared[$1] }), shared[k] >= 2 {
                carried[k] = true
                newLevels.append(levels[k])
            } else {
                newLevels.append(.ok)
            }
        }
        let held = Set(engine.crossHeldSymbols)
        let sides = engine.netCrossSides()
        for (k, old) in groups.enumerated() where levels[k] != .ok && !carried[k] && old.symbolIndices.contains(where: held.contains) {
            // Why it is gone: a member closed or turned (no correlation to speak of), or the correlation fell.
            let together = old.symbolIndices.allSatisfy { sides[$0] == (old.side == .long ? 1 : -1) }
            var facts = AlertChange.GroupFacts(symbols: old.symbols, side: old.side,
                                               correlation: together ? CorrelatedGroup.lowest(old.symbolIndices) { tracker?.correlation($0, $1) } : nil)
            facts.dissolved = true
            events.append(.alert(change(old, from: levels[k], to: .ok, value: engine.groupMMPct(old, totals: totals) ?? 0,
                                        facts: facts, time: time, thresholds: t)))
        }
        groups = formed
        levels = newLevels
    }

    /// Whether any group is one bet now (nothing to judge otherwise).
    var hasGroups: Bool { !groups.isEmpty }

    /// Whether judging would surely leave every group at ok: each is at ok, and the whole cross
    /// MM is surely below the level's (`below`). A group's MM is a part of the cross MM when no
    /// MM is negative (the caller knows), so its share is then under the level too; the
    /// shortcut's slack covers the two sums' different rounding.
    @inline(__always)
    func surelyAllOk(crossMaintenance: Double, below mm: Double) -> Bool {
        crossMaintenance < mm && levels.allSatisfy { $0 == .ok }
    }

    /// Whether a step at `time` leaves the groups as they are: nothing to form, and no sample
    /// due unless forming after it would find nothing (the groups' levels are still judged).
    @inline(__always)
    func keepsGroups(at time: Int64) -> Bool {
        !stale && (formsNothing || !(awaitingFirstPrice == 0 && correlations?.isDue(at: time) == true))
    }

    /// A step that closed nothing and kept the groups (`keepsGroups`): takes a sample due as a
    /// full step would; forming after it would find nothing, so the rule stays fresh.
    @inline(__always)
    mutating func observeKeepingGroups(time: Int64, marks: [Double]) {
        observe(time: time, marks: marks, closed: false)
        if formsNothing { stale = false }
    }

    /// Judges group `k` at its combined MM share; returns its level when raised.
    /// (The caller works the share out: handing the engine in here copied it at every step.)
    @inline(__always)
    mutating func judge(group k: Int, share: Double, time: Int64, thresholds t: AlertThresholds,
                        into events: inout [SessionEvent]) -> AlertLevel? {
        let current = levels[k]
        let next = AlertRule.correlatedMM.next(from: current, value: share, in: t)
        guard next != current else { return nil }
        levels[k] = next
        let g = groups[k]
        events.append(.alert(change(g, from: current, to: next, value: share,
                                    facts: AlertChange.GroupFacts(symbols: g.symbols, side: g.side, correlation: g.correlation),
                                    time: time, thresholds: t)))
        return next > current ? next : nil
    }

    /// The event of a group's level changing.
    private func change(_ g: CorrelatedGroup, from level: AlertLevel, to next: AlertLevel, value: Double,
                        facts: AlertChange.GroupFacts, time: Int64, thresholds t: AlertThresholds) -> AlertChange {
        let raised = next > level
        let eventLevel = raised ? next : level
        return AlertChange(time: time, rule: .correlatedMM, level: eventLevel, state: raised ? .raised : .cleared,
                           symbol: g.name, value: value, threshold: AlertRule.correlatedMM.threshold(for: eventLevel, in: t),
                           now: next, group: facts)
    }
}
