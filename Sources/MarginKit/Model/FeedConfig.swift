/// Parameters of one simulated symbol.
public struct SimulatedSymbol: Sendable, Equatable {
    /// Starting price, > 0; nil means the mark of the position on this symbol.
    public var start: Double?
    /// Annualised volatility, a fraction (0.60 = 60%).
    public var vol: Double

    public init(start: Double? = nil, vol: Double = 0.6) {
        self.start = start
        self.vol = vol
    }
}

/// Crash jumps of the simulated market: a Poisson process hitting all symbols together.
public struct JumpConfig: Sendable, Equatable {
    public var perHour: Double = 2
    public var meanPct: Double = -4
    public var stdevPct: Double = 3

    public init(perHour: Double = 2, meanPct: Double = -4, stdevPct: Double = 3) {
        self.perHour = perHour
        self.meanPct = meanPct
        self.stdevPct = stdevPct
    }
}

/// The portfolio file's `feed:` block (simulated market); every field optional.
public struct FeedConfig: Sendable, Equatable {
    public var seed: UInt64 = 42
    /// Milliseconds between simulated ticks.
    public var intervalMs: Int64 = 250
    /// Per-symbol start and volatility; symbols not named here start at their position's mark.
    public var symbols: [String: SimulatedSymbol] = [:]
    /// Pairwise correlation through one market factor, in [0, 1].
    public var correlation: Double = 0.8
    public var jumps = JumpConfig()

    public init() {}
}
