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
