/// The simulated market: seeded, correlated geometric Brownian motion with crash jumps.
///
/// Every interval, each symbol moves by σ·√dt·(√ρ·Z_market + √(1−ρ)·Z_own) (one market factor
/// gives pairwise correlation ρ), and with probability λ·dt a jump of N(mean, stdev)% hits every
/// symbol at once — crashes are correlated. Prices are kept on a 7-significant-digit grid so a
/// recorded tape replays to the very same marks. Same seed, same ticks, on every machine.
public struct SimulatedMarket: TickSource {
    public struct Symbol: Sendable {
        public var id: Int32
        public var price: Double
        public var vol: Double
        public init(id: Int32, price: Double, vol: Double) {
            self.id = id
            self.price = price
            self.vol = vol
        }
    }

    public private(set) var symbols: [Symbol]
    public private(set) var time: Int64
    public let intervalMs: Int64
    /// No tick at or after this time (nil: endless).
    public let endTime: Int64?
    public private(set) var jumpsSoFar = 0
    private let correlation: Double
    private let jumps: JumpConfig
    private var random: DeterministicRandom
    private var pending = 0
    private let sqrtDt: Double
    private let jumpProbability: Double
    private var started = false

    static let msPerYear = 365.25 * 86_400_000

    public init(symbols: [Symbol], feed: FeedConfig, startTime: Int64, endTime: Int64? = nil) {
        self.symbols = symbols
        time = startTime
        intervalMs = feed.intervalMs
        self.endTime = endTime
        correlation = feed.correlation
        jumps = feed.jumps
        random = DeterministicRandom(seed: feed.seed)
        sqrtDt = (Double(feed.intervalMs) / Self.msPerYear).squareRoot()
        jumpProbability = min(1, feed.jumps.perHour * Double(feed.intervalMs) / 3_600_000)
        pending = symbols.count  // the first step emits the starting prices
    }

    /// The market for a portfolio: every symbol it prices, starting at `feed.symbols.X.start`,
    /// else the portfolio's initial mark.
    public static func forPortfolio(_ portfolio: Portfolio, table: SymbolTable, startTime: Int64,
                                    endTime: Int64? = nil) -> SimulatedMarket {
        let symbols = portfolio.symbols.compactMap { name -> Symbol? in
            let configured = portfolio.feed.symbols[name]
            guard let start = configured?.start ?? portfolio.initialMark(of: name) else { return nil }
            return Symbol(id: table.id(name), price: start, vol: configured?.vol ?? 0.6)
        }
        return SimulatedMarket(symbols: symbols, feed: portfolio.feed, startTime: startTime, endTime: endTime)
    }

    public mutating func next() -> Tick? {
        if pending == symbols.count {
            if started { advance() } else { started = true; roundPrices() }
            pending = 0
        }
        guard !symbols.isEmpty else { return nil }
        if let endTime, time >= endTime { return nil }
        let s = symbols[pending]
        pending += 1
        return Tick(time: time, symbol: s.id, price: s.price)
    }

    private mutating func advance() {
        time += intervalMs
        let market = random.normal()
        let a = correlation.squareRoot()
        let b = (1 - correlation).squareRoot()
        for i in symbols.indices {
            let shock = a * market + b * random.normal()
            symbols[i].price *= max(0.5, 1 + symbols[i].vol * sqrtDt * shock)
        }
        if random.uniform() < jumpProbability {
            jumpsSoFar += 1
            let jumpPct = jumps.meanPct + jumps.stdevPct * random.normal()
            let factor = max(0.05, 1 + jumpPct / 100)
            for i in symbols.indices { symbols[i].price *= factor }
        }
        roundPrices()
    }

    private mutating func roundPrices() {
        for i in symbols.indices { symbols[i].price = Self.onGrid(symbols[i].price) }
    }

    /// Rounds to 7 significant digits as n / 10ᵏ (or n · 10ᵏ), exact decimal steps, so the
    /// printed tape reads back as the same Double.
    static func onGrid(_ price: Double) -> Double {
        guard price > 0, price.isFinite else { return 1e-8 }
        var digits = 0  // the power of ten of the price's leading digit
        var p = price
        while p >= 10 { p /= 10; digits += 1 }
        while p < 1 { p *= 10; digits -= 1 }
        let k = 6 - digits  // decimals kept
        if k >= 0 {
            let scale = ByteScanning.powersOfTen[min(k, 22)]
            return max((price * scale).rounded() / scale, 1 / scale)
        }
        let scale = ByteScanning.powersOfTen[min(-k, 22)]
        return (price / scale).rounded() * scale
    }
}
