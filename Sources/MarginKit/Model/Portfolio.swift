/// A whole account as a portfolio file describes it: the input of the engine.
public struct Portfolio: Sendable, Equatable {
    /// Cross wallet balance (excludes isolated margins), ≥ 0.
    public var wallet: Double
    public var collateral: [CollateralSpec]
    public var positions: [PositionSpec]
    /// Every instrument the positions may use: the built-ins merged with the file's overrides.
    public var instruments: [String: Instrument]
    public var alerts: AlertThresholds
    public var feed: FeedConfig
    /// Symbols the trader declares correlated (`groups:`): one bet wherever there is no feed
    /// to estimate it from, and beside the estimate where there is.
    public var groups: [DeclaredGroup] = []

    public init(wallet: Double, collateral: [CollateralSpec] = [], positions: [PositionSpec],
                instruments: [String: Instrument] = BuiltinInstruments.all,
                alerts: AlertThresholds = AlertThresholds(), feed: FeedConfig = FeedConfig()) {
        self.wallet = wallet
        self.collateral = collateral
        self.positions = positions
        self.instruments = instruments
        self.alerts = alerts
        self.feed = feed
    }

    /// Every symbol that needs a price, in first-use order: positions, then collateral.
    public var symbols: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for s in positions.map(\.symbol) + collateral.map(\.priceSymbol) where seen.insert(s).inserted {
            result.append(s)
        }
        return result
    }

    /// The mark a symbol has before its first tick (CONTRACT sections 5 and 8): the first
    /// position on it that states a `mark`, else the first position's entry, else the simulated
    /// feed's start price. Nil when none applies (a collateral with "no feed").
    public func initialMark(of symbol: String) -> Double? {
        let onSymbol = positions.filter { $0.symbol == symbol }
        if let marked = onSymbol.first(where: { $0.mark != nil }) { return marked.mark }
        if let first = onSymbol.first { return first.entry }
        return feed.symbols[symbol]?.start
    }
}

/// One entry of `groups:` — `majors: [BTCUSDT, ETHUSDT, BNBUSDT]`.
public struct DeclaredGroup: Sendable, Equatable {
    public var name: String
    public var symbols: [String]

    public init(name: String, symbols: [String]) {
        self.name = name
        self.symbols = symbols
    }
}
