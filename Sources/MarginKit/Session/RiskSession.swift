/// The account over time: applies marks, then at each time step runs liquidations, stop-losses,
/// the soft stop and the alert rules, in the contract's order, and keeps the summary.
public struct RiskSession {
    public private(set) var engine: Engine
    public private(set) var thresholds: AlertThresholds
    public private(set) var summary = SessionSummary()
    /// total_equity at the end of the first step.
    public private(set) var baseline: Double?

    private var accountLevels: [AlertLevel] = [.ok, .ok]           // margin_ratio, free_margin_pct
    /// Per position: liquidation_distance at 2·i, position_mm at 2·i + 1.
    private var positionLevels: [AlertLevel]
    private var softStopLevel: AlertLevel = .ok
    private var peakEquity: Double?
    private let symbolNames: [String]
    /// Stop price per position (nil: none) and side, copied out of the specs for the step loop.
    private let stops: [Double?]
    private let isLong: [Bool]
    /// Set when a step closed something, so the account sums must be taken again.
    private var closedInStep = false

    public init(engine: Engine, thresholds: AlertThresholds? = nil) {
        self.engine = engine
        self.thresholds = thresholds ?? engine.portfolio.alerts
        positionLevels = Array(repeating: .ok, count: 2 * engine.positionCount)
        symbolNames = engine.portfolio.positions.map(\.symbol)
        stops = engine.portfolio.positions.map(\.stopLoss)
        isLong = engine.portfolio.positions.map { $0.side == .long }
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

    public mutating func setBadLines(_ count: Int) { summary.badLines = count }

    /// Replaces the alert levels while running (the threshold editor); rule states are kept and
    /// re-judged against the new levels at the next step or `judgeRules`.
    public mutating func setThresholds(_ new: AlertThresholds) {
        thresholds = new
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
        alertRules(time: time, totals: engine.totals, into: &events)
    }

    private mutating func liquidations(time: Int64, totals t: AccountTotals, into events: inout [SessionEvent]) {
        if t.openCrossPositions > 0, t.crossMaintenanceMargin > 0, t.equity <= t.crossMaintenanceMargin {
            events.append(.liquidation(time: time, scope: .account, symbol: nil, equity: t.equity,
                                       maintenanceMargin: t.crossMaintenanceMargin))
            engine.liquidateCrossAccount()
            closedInStep = true
            noteLiquidation(time)
        }
        for i in 0..<engine.positionCount where engine.isOpen(i) {
            let f = engine.stepFigures(position: i)
            if !f.isCross && f.isolatedEquity <= f.maintenanceMargin {
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
        guard baseline > 0 else { return }
        let loss = 100 * (baseline - totalEquity) / baseline
        let threshold = thresholds.softStopLossPct
        // Raised at ≥ the threshold (the rule says "reaches"), cleared at ≤ threshold·(1 − h).
        let raw: AlertLevel = loss >= threshold ? .critical : .ok
        let next: AlertLevel
        if raw == .critical {
            next = .critical
        } else {
            next = softStopLevel == .critical && loss > threshold * (1 - thresholds.hysteresisPct / 100) ? .critical : .ok
        }
        defer { softStopLevel = next }
        guard next == .critical, softStopLevel == .ok else { return }
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
        let h = thresholds.hysteresisPct
        if t.openCrossPositions > 0 {
            if let ratio = t.marginRatio {
                accountLevels[0] = judge(accountLevels[0], .marginRatio, nil, ratio, thresholds.marginRatio.warn,
                      thresholds.marginRatio.critical, .below, h, time, &events)
                if accountLevels[0] >= .warn && summary.firstWarnTime == nil { summary.firstWarnTime = time }
                if accountLevels[0] == .critical && summary.firstCriticalTime == nil { summary.firstCriticalTime = time }
            }
            if let free = t.freeMarginPct {
                accountLevels[1] = judge(accountLevels[1], .freeMarginPct, nil, free, thresholds.freeMarginPct.warn,
                      thresholds.freeMarginPct.critical, .below, h, time, &events)
            }
        }
        // One liquidation price per symbol and step: positions on one symbol share it.
        var lastSymbol = -1
        var lastPrice: Double?
        for i in 0..<engine.positionCount where engine.isOpen(i) {
            let f = engine.stepFigures(position: i)
            let lp: Double?
            if f.isCross {
                if f.symbolIndex != lastSymbol {
                    lastPrice = engine.crossLiquidationPrice(symbolIndex: f.symbolIndex, totals: t)
                    lastSymbol = f.symbolIndex
                }
                lp = lastPrice
            } else {
                lp = engine.liquidationPrice(position: i, totals: t)
            }
            if let lp {
                let distance = abs(100 * (lp - f.mark) / f.mark)
                positionLevels[2 * i] = judge(positionLevels[2 * i], .liquidationDistance, i, distance,
                                              thresholds.liquidationDistancePct.warn,
                                              thresholds.liquidationDistancePct.critical, .below, h, time, &events)
            }
            if f.isCross && t.equity != 0 {
                positionLevels[2 * i + 1] = judge(positionLevels[2 * i + 1], .positionMM, i, 100 * f.maintenanceMargin / t.equity,
                                                  thresholds.positionMMPctWarn, nil, .above, h, time, &events)
            }
        }
    }

    // swiftlint:disable:next function_parameter_count
    @inline(__always)
    private mutating func judge(_ level: AlertLevel, _ rule: AlertRule, _ position: Int?, _ value: Double,
                                _ warn: Double, _ critical: Double?, _ direction: ThresholdDirection, _ h: Double,
                                _ time: Int64, _ events: inout [SessionEvent]) -> AlertLevel {
        let next = Hysteresis.next(from: level, value: value, warn: warn, critical: critical,
                                   direction: direction, hysteresisPct: h)
        guard next != level else { return level }
        let raised = next > level
        let eventLevel = raised ? next : level
        let threshold = eventLevel == .critical ? (critical ?? warn) : warn
        events.append(.alert(AlertChange(time: time, rule: rule, level: eventLevel, state: raised ? .raised : .cleared,
                                         symbol: position.map { symbolNames[$0] }, value: value, threshold: threshold,
                                         now: next)))
        if raised { summary.worstLevel = max(summary.worstLevel, next) }
        return next
    }
}
