/// How bad a rule's number is. Ordered: ok < warn < critical.
public enum AlertLevel: String, Sendable, Comparable, CaseIterable {
    case ok
    case warn
    case critical

    @inline(__always)
    public static func < (a: AlertLevel, b: AlertLevel) -> Bool { a.rank < b.rank }

    @inline(__always)
    private var rank: Int {
        switch self {
        case .ok: return 0
        case .warn: return 1
        case .critical: return 2
        }
    }
}

/// The alert rules of CONTRACT section 5, by their contract names.
public enum AlertRule: String, Sendable, CaseIterable {
    case marginRatio = "margin_ratio"
    case freeMarginPct = "free_margin_pct"
    case liquidationDistance = "liquidation_distance"
    case positionMM = "position_mm"
    case stopLoss = "stop_loss"
    case softStop = "soft_stop"
    case liquidation
}

/// Whether a rule fires when its number falls below or rises above its thresholds.
public enum ThresholdDirection: Sendable {
    case below
    case above

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
        }
    }
}

/// One raised alert: which rule, how bad, on what, and the numbers behind it.
public struct Alert: Sendable, Equatable {
    public var rule: AlertRule
    public var level: AlertLevel
    /// The position's symbol for per-position rules; nil for account rules.
    public var symbol: String?
    public var value: Double
    public var threshold: Double
    /// One human sentence.
    public var message: String

    public init(rule: AlertRule, level: AlertLevel, symbol: String?, value: Double, threshold: Double, message: String) {
        self.rule = rule
        self.level = level
        self.symbol = symbol
        self.value = value
        self.threshold = threshold
        self.message = message
    }
}
