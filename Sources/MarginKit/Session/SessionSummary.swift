/// What a session (a replay or a watch) amounted to: the `summary` line of CONTRACT section 6.
public struct SessionSummary: Sendable, Equatable {
    /// Ticks applied (four per bar), within the window.
    public var ticks = 0
    /// Bad records skipped in the whole files.
    public var badLines = 0
    public var firstTime: Int64?
    public var lastTime: Int64?
    public var baselineEquity: Double?
    public var finalTotalEquity: Double?
    public var minMarginRatio: Double?
    public var minMarginRatioTime: Int64?
    /// First times the `margin_ratio` rule reached warn and critical.
    public var firstWarnTime: Int64?
    public var firstCriticalTime: Int64?
    public var softStopTime: Int64?
    /// The first liquidation of any scope.
    public var liquidationTime: Int64?
    /// Symbols of positions closed by their stop-loss, in order.
    public var stopsHit: [String] = []
    public var maxDrawdownPct = 0.0

    /// The worst alert level any rule reached (stop-loss, soft stop and liquidation count as critical).
    public var worstLevel: AlertLevel = .ok
    public var softStopReached: Bool { softStopTime != nil }
    public var liquidated: Bool { liquidationTime != nil }

    public init() {}
}

/// The levels `--fail-on` accepts.
public enum FailOnLevel: String, Sendable, CaseIterable {
    case warn
    case critical
    case softStop = "soft-stop"
    case liquidation

    /// Whether the session reached this level.
    public func isReached(by summary: SessionSummary) -> Bool {
        switch self {
        case .warn: return summary.worstLevel >= .warn
        case .critical: return summary.worstLevel >= .critical
        case .softStop: return summary.softStopReached
        case .liquidation: return summary.liquidated
        }
    }
}
