/// The alert rules of CONTRACT section 5, by their contract names (the JSON `rule`), and the
/// catalogue of each: which way it fires, which levels it reads, how it is worded. Snapshot,
/// session (replay and monitor), timeline, JSON and the monitor's log all take them from here.
public enum AlertRule: String, Sendable, CaseIterable {
    case marginRatio = "margin_ratio"
    case freeMarginPct = "free_margin_pct"
    case liquidationDistance = "liquidation_distance"
    case positionMM = "position_mm"
    /// Same-direction correlated symbols judged as one position by the position-size level.
    case correlatedMM = "correlated_mm"
    case stopLoss = "stop_loss"
    case softStop = "soft_stop"
    case liquidation

    /// The rules that compare a number with warn/critical levels, with hysteresis over time.
    /// (Stop-loss and liquidation are events; the soft stop has one level and acts.)
    public static let thresholdRules: [AlertRule] = [.marginRatio, .freeMarginPct, .liquidationDistance, .positionMM, .correlatedMM]

    /// Whether the rule speaks of one position (else of the account or, `correlated_mm`, a group).
    public var isPerPosition: Bool {
        switch self {
        case .liquidationDistance, .positionMM, .stopLoss: return true
        case .marginRatio, .freeMarginPct, .softStop, .liquidation, .correlatedMM: return false
        }
    }

    /// Which way the rule's number goes when things get worse.
    @inline(__always)
    public var direction: ThresholdDirection {
        switch self {
        case .marginRatio, .freeMarginPct, .liquidationDistance: return .below
        case .positionMM, .correlatedMM: return .above
        // The soft stop "reaches" its loss: raised at the level itself.
        case .softStop: return .reaching
        // Events: the stop is crossed, equity reaches maintenance margin.
        case .stopLoss, .liquidation: return .reaching
        }
    }

    /// The key of the rule's levels under `alerts:` (`ThresholdSchema`); nil for the events.
    public var alertsKey: String? {
        switch self {
        case .marginRatio: return "margin_ratio"
        case .freeMarginPct: return "free_margin_pct"
        case .liquidationDistance: return "liquidation_distance_pct"
        // A group is held to the one-position level.
        case .positionMM, .correlatedMM: return "position_mm_pct"
        case .softStop: return "soft_stop_loss_pct"
        case .stopLoss, .liquidation: return nil
        }
    }

    /// The rule's levels in `t` (a rule with one level has no critical of its own). Read
    /// directly, not through the schema's descriptors: this runs per rule per step. A test holds
    /// the two to the same fields (`alertsKey`).
    @inline(__always)
    public func levels(in t: AlertThresholds) -> (warn: Double, critical: Double?) {
        switch self {
        case .marginRatio: return (t.marginRatio.warn, t.marginRatio.critical)
        case .freeMarginPct: return (t.freeMarginPct.warn, t.freeMarginPct.critical)
        case .liquidationDistance: return (t.liquidationDistancePct.warn, t.liquidationDistancePct.critical)
        case .positionMM, .correlatedMM: return (t.positionMMPctWarn, nil)
        case .softStop: return (t.softStopLossPct, t.softStopLossPct)
        case .stopLoss, .liquidation: return (0, 0)
        }
    }

    /// The level of `value` against the levels in `t`, with no hysteresis (one-shot readings
    /// and the colours of the screen).
    @inline(__always)
    public func level(of value: Double, in t: AlertThresholds) -> AlertLevel {
        let (warn, critical) = levels(in: t)
        return direction.level(of: value, warn: warn, critical: critical)
    }

    /// The level after `current` for `value`, with the hysteresis of `t` (the session's rules).
    /// (Transparent: `@inline(__always)` was not honoured here, and this runs per rule per step.)
    @_transparent
    public func next(from current: AlertLevel, value: Double, in t: AlertThresholds) -> AlertLevel {
        let (warn, critical) = levels(in: t)
        return Hysteresis.next(from: current, value: value, warn: warn, critical: critical,
                               direction: direction, hysteresisPct: t.hysteresisPct)
    }

    /// The threshold a change to `level` crossed: critical's when critical, else warn's.
    public func threshold(for level: AlertLevel, in t: AlertThresholds) -> Double {
        let (warn, critical) = levels(in: t)
        return level == .critical ? (critical ?? warn) : warn
    }

    /// The short name of the monitor's alert log column.
    public var shortName: String {
        switch self {
        case .marginRatio: return "margin ratio"
        case .freeMarginPct: return "free margin"
        case .liquidationDistance: return "liq distance"
        case .positionMM: return "position MM"
        case .correlatedMM: return "one bet MM"
        case .stopLoss: return "stop-loss"
        case .softStop: return "soft stop"
        case .liquidation: return "liquidation"
        }
    }
}

/// What the threshold rules read: each figure computed once here, for the one-shot readings
/// (`snapshot`) and the session's steps alike.
public enum RuleMeasure {
    /// The move from `mark` to `price`, in % of the mark (negative: a fall).
    @inline(__always)
    public static func movePct(from mark: Double, to price: Double) -> Double {
        100 * (price - mark) / mark
    }

    /// How far the mark is from the liquidation price, in % of the mark (either side).
    @inline(__always)
    public static func liquidationDistance(mark: Double, liquidationPrice: Double) -> Double {
        abs(movePct(from: mark, to: liquidationPrice))
    }

    /// One cross position's maintenance margin in % of cross equity; nil when equity is 0.
    @inline(__always)
    public static func positionMMPct(maintenanceMargin: Double, equity: Double) -> Double? {
        equity == 0 ? nil : 100 * maintenanceMargin / equity
    }

    /// The aggregate loss in % of the baseline total equity; nil for a baseline that is not positive.
    @inline(__always)
    public static func softStopLossPct(totalEquity: Double, baseline: Double) -> Double? {
        baseline > 0 ? 100 * (baseline - totalEquity) / baseline : nil
    }
}

/// Whether a rule fires when its number falls below or rises above its thresholds.
public enum ThresholdDirection: Sendable {
    case below
    case above
    /// Fires at the level itself or above (the soft stop's loss "reaches" it).
    case reaching

    /// The level of `value` against `warn` and optional `critical`, with no hysteresis.
    @inline(__always)
    public func level(of value: Double, warn: Double, critical: Double?) -> AlertLevel {
        switch self {
        case .below:
            if let critical, value < critical { return .critical }
            return value < warn ? .warn : .ok
        case .above:
            if let critical, value > critical { return .critical }
            return value > warn ? .warn : .ok
        case .reaching:
            if let critical, value >= critical { return .critical }
            return value >= warn ? .warn : .ok
        }
    }
}
