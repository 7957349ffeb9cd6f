/// A warn and a critical level for one alert rule.
public struct LevelPair: Sendable, Equatable {
    public var warn: Double
    public var critical: Double

    public init(warn: Double, critical: Double) {
        self.warn = warn
        self.critical = critical
    }
}

/// What the trader does when the aggregate loss reaches the soft stop.
public enum SoftStopAction: String, Sendable, CaseIterable {
    /// Raise the alert only.
    case alert
    /// Raise the alert and close every position at that step's marks.
    case closeAll = "close_all"
}

/// The user's alert levels ("soft-stop alert levels"), CONTRACT section 2 `alerts:`.
public struct AlertThresholds: Sendable, Equatable {
    /// equity / maintenance margin; raised below.
    public var marginRatio = LevelPair(warn: 2.0, critical: 1.5)
    /// Unallocated "dry powder" in % of equity; raised below.
    public var freeMarginPct = LevelPair(warn: 30, critical: 20)
    /// |distance to liquidation| in %; raised below.
    public var liquidationDistancePct = LevelPair(warn: 10, critical: 5)
    /// One cross position's MM as % of cross equity; raised above.
    public var positionMMPctWarn: Double = 2
    /// Aggregate loss vs the baseline equity, in %; critical at or above.
    public var softStopLossPct: Double = 15
    public var softStopAction: SoftStopAction = .alert
    /// How far past a threshold, in % of it, a rule must recover before it clears.
    public var hysteresisPct: Double = 5
    /// When two held symbols count as one bet (`correlated_mm`, `alerts.correlated_exposure`).
    public var correlatedExposure = CorrelatedExposure()
    /// A cross winner whose unrealized profit is above this % of cross equity is named as
    /// propping up the rest (`alerts.profit_share_pct`).
    public var profitSharePct: Double = 25

    public init() {}
}

/// How the feed's correlations are estimated and when a pair counts as one bet
/// (`alerts.correlated_exposure: {correlation: 0.7, sample: 1m, window: 240}`).
public struct CorrelatedExposure: Sendable, Equatable {
    /// Pearson correlation of log returns at or above which two same-direction symbols are one bet.
    public var correlation: Double = 0.7
    /// The grid of feed time the marks are sampled on, in ms.
    public var sampleMs: Int64 = 60_000
    /// How many of the latest returns the correlation is taken over.
    public var window: Int = 240
    /// Fewer returns than this say nothing yet (or the whole window, when it is shorter).
    public static let minimumSamples = 30

    public init() {}
}
