import DequeModule
import MarginKit

/// The state of the feed, for the title and status lines.
public struct FeedStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case waiting
        case live
        case paused
        case stale(seconds: Int)
        /// A live feed whose screen the user froze: ticks are still read and rules judged.
        case frozen
        case ended
        case failed(String)
    }

    public var state: State
    /// `SIM seed 42`, `REPLAY`, `STDIN`: short, for the status line.
    public var label: String
    /// The label with what it reads (the tapes' names), for the title bar.
    public var source: String
    public var speed: String
    /// The feed clock (tick time) now.
    public var time: Int64?
    /// Fraction of the tapes read, for replay.
    public var progress: Double?
    public var isReplay: Bool
    /// Tape or pipe lines skipped as bad so far.
    public var badLines = 0
    /// The exchange connection (`--feed binance`); nil for other feeds.
    public var link: LinkStatus?

    public init(state: State, label: String, source: String? = nil, speed: String, time: Int64?, progress: Double?,
                isReplay: Bool) {
        self.state = state
        self.label = label
        self.source = source ?? label
        self.speed = speed
        self.time = time
        self.progress = progress
        self.isReplay = isReplay
    }
}

/// Everything one frame shows, taken from the engine at one moment: views read only this.
public struct MonitorSnapshot: Sendable {
    public var portfolioName: String
    public var feed: FeedStatus
    public var evaluation: Evaluation
    public var thresholds: AlertThresholds
    /// total_equity after the first step (the soft stop's reference).
    public var baseline: Double?
    /// Newest last.
    public var log: Deque<LogEntry>
    public var banner: LogEntry?
    /// Symbols whose mark moved in the last moment: true when up.
    public var moved: [String: Bool]
    public var stress: StressReport?
    public var isolation: IsolationComparison?
    /// The groups that are one bet now, lettered A, B, … in the positions table.
    public var groups: [GroupOnScreen] = []
    /// How the feed's correlations stand (for the details panel); nil without a feed estimate.
    public var correlations: CorrelationsOnScreen?
    /// The deposit/withdraw panel's figures (`d`), when it is open.
    public var deposit: DepositPanelFigures?
    /// The account over time (the chart), and each symbol's recent marks (the sparkline).
    public var chart = ChartSeries(capacity: 16)
    public var recentMarks: [String: [Double]] = [:]
    /// Whether the terminal takes UTF-8 (sparklines and charts in braille, else ASCII).
    public var unicode = true
    /// The funding of each symbol on an exchange feed (`--feed binance`).
    public var funding: [String: FundingInfo] = [:]
    /// The exchange's figures per position (`--feed binance`), keyed by `ExchangeRow.key`.
    public var exchange: [String: ExchangeRow] = [:]

    public init(portfolioName: String, feed: FeedStatus, evaluation: Evaluation, thresholds: AlertThresholds,
                baseline: Double?, log: Deque<LogEntry>, banner: LogEntry?, moved: [String: Bool] = [:],
                stress: StressReport? = nil, isolation: IsolationComparison? = nil) {
        self.portfolioName = portfolioName
        self.feed = feed
        self.evaluation = evaluation
        self.thresholds = thresholds
        self.baseline = baseline
        self.log = log
        self.banner = banner
        self.moved = moved
        self.stress = stress
        self.isolation = isolation
    }

    /// The group a symbol belongs to, and its index (its letter).
    public func group(of symbol: String) -> (index: Int, group: GroupOnScreen)? {
        groups.enumerated().first { $0.element.share.group.symbols.contains(symbol) }.map { ($0.offset, $0.element) }
    }

    /// The margin-ratio level now, with no hysteresis.
    public var marginLevel: AlertLevel? {
        guard evaluation.account.hasCrossPositions, let ratio = evaluation.account.marginRatio else { return nil }
        return AlertRule.marginRatio.level(of: ratio, in: thresholds)
    }

    /// The gauge's level: the margin ratio's, or worse when the one crash that liquidates the
    /// account is nearer than the liquidation-distance levels (a ratio of 3.28 is not OK when a
    /// 2.9% move of every mark liquidates).
    public var gaugeLevel: AlertLevel? {
        guard let ratioLevel = marginLevel else { return nil }
        guard let shock = evaluation.account.accountShockPct else { return ratioLevel }
        return max(ratioLevel, AlertRule.liquidationDistance.level(of: abs(shock), in: thresholds))
    }

    /// The free-margin level now, with no hysteresis; nil when free margin % means nothing.
    public var freeMarginLevel: AlertLevel? {
        evaluation.account.freeMarginPctShown.map { AlertRule.freeMarginPct.level(of: $0, in: thresholds) }
    }

    /// The aggregate loss so far in % of the baseline (the soft stop's measure); nil before the first step.
    public var softStopLossPct: Double? {
        baseline.flatMap { RuleMeasure.softStopLossPct(totalEquity: evaluation.account.totalEquity, baseline: $0) }
    }

    /// How much more loss, in points of the baseline, before the soft stop (≤ 0: reached).
    public var softStopRoomPct: Double? { softStopLossPct.map { thresholds.softStopLossPct - $0 } }

    /// The numbers are old (a live feed gone quiet): shown dimmed, and said.
    public var isStale: Bool {
        if case .stale = feed.state { return true }
        return false
    }
}

/// What the exchange says of one position: its funding, and its liquidation price beside ours.
public struct ExchangeRow: Sendable, Equatable {
    public var funding: FundingInfo?
    /// nil without `--account` (marks only: no exchange liquidation price to compare).
    public var check: LiquidationCheck?

    public init(funding: FundingInfo?, check: LiquidationCheck?) {
        self.funding = funding
        self.check = check
    }

    public static func key(_ symbol: String, _ side: Side) -> String { "\(symbol) \(side.rawValue)" }
}

/// The role of an alert level.
func role(of level: AlertLevel) -> ColorRole {
    switch level {
    case .ok: return .ok
    case .warn: return .warn
    case .critical: return .critical
    }
}

/// Money, or a mask when amounts are hidden (`$`).
func money(_ value: Double, hidden: Bool, signed: Bool = false) -> String {
    hidden ? "•••" : signed ? NumberFormat.signedMoney(value) : NumberFormat.money(value)
}

/// A group that is one bet, with the level its `correlated_mm` rule stands at.
public struct GroupOnScreen: Sendable, Equatable {
    public var share: GroupShare
    public var level: AlertLevel
    /// `A`, `B`, …: the marker its rows carry.
    public var letter: String

    public init(share: GroupShare, level: AlertLevel, index: Int) {
        self.share = share
        self.level = level
        letter = index < 26 ? String(UnicodeScalar(UInt8(65 + index))) : "\(index + 1)"
    }
}

/// The feed's correlation estimates of the held cross symbols.
public struct CorrelationsOnScreen: Sendable, Equatable {
    /// Returns sampled so far, and how many the estimate needs.
    public var samples: Int
    public var needed: Int
    public var sampleMs: Int64
    /// Each pair's estimate (nil: none yet, or a symbol did not move).
    public var pairs: [(a: String, b: String, value: Double?)]

    public init(samples: Int, needed: Int, sampleMs: Int64, pairs: [(a: String, b: String, value: Double?)]) {
        self.samples = samples
        self.needed = needed
        self.sampleMs = sampleMs
        self.pairs = pairs
    }

    /// The other symbols' correlations with `symbol`.
    public func with(_ symbol: String) -> [(symbol: String, value: Double?)] {
        pairs.compactMap { p in p.a == symbol ? (p.b, p.value) : p.b == symbol ? (p.a, p.value) : nil }
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.samples == r.samples && l.needed == r.needed && l.sampleMs == r.sampleMs
            && l.pairs.map { "\($0.a) \($0.b) \(String(describing: $0.value))" } == r.pairs.map { "\($0.a) \($0.b) \(String(describing: $0.value))" }
    }
}

/// What the deposit/withdraw panel shows: the buffers, and the account now and after the typed amount.
public struct DepositPanelFigures: Sendable, Equatable {
    public var buffers: MarginBuffers
    public var now: CrossWhatIf
    /// The typed amount, parsed (nil: nothing typed, or not a number).
    public var amount: Double?
    /// The account after it; nil when nothing valid is typed or more than the wallet would come out.
    public var after: CrossWhatIf?
    public var wallet: Double

    public init(buffers: MarginBuffers, now: CrossWhatIf, amount: Double?, after: CrossWhatIf?, wallet: Double) {
        self.buffers = buffers
        self.now = now
        self.amount = amount
        self.after = after
        self.wallet = wallet
    }
}
