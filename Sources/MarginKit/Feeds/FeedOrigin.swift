/// Where a session's prices come from.
public enum FeedOrigin: Sendable, Equatable {
    /// The seeded simulated market of the portfolio's `feed:` block.
    case simulated
    /// Recorded tapes, merged by time (`replay`).
    case tapes([TapeSpec])
    /// Ticks piped on standard input, applied as they arrive (`watch --feed stdin`).
    case standardInput
    /// An exchange's live marks (`watch --feed binance`), through the `ExchangeLink` the driver is given.
    case exchange(String)
    /// Any other tick source handed in ready-made (tests, benchmarks), read once.
    case other(String)

    /// Recorded prices, replayed at a multiple of their own time (pause, step, seek).
    public var isReplay: Bool {
        if case .tapes = self { return true }
        return false
    }

    /// Prices that arrive in real time: applied as they come, never paced or rewound.
    public var isLive: Bool {
        switch self {
        case .standardInput, .exchange: return true
        default: return false
        }
    }

    /// How the monitor's title names the source.
    public var name: String {
        switch self {
        case .simulated: return "simulated market"
        case .tapes(let specs): return specs.map(\.displayName).joined(separator: " + ")
        case .standardInput: return "standard input"
        case .exchange(let name): return name
        case .other(let name): return name
        }
    }
}

/// The tick times a session applies, both ends inclusive (`--from`, `--to`); nil: open.
public struct FeedWindow: Sendable, Equatable {
    public let from: Int64?
    public let to: Int64?
    /// The bounds as plain numbers, for the per-tick test.
    private let lower: Int64
    private let upper: Int64

    public init(from: Int64? = nil, to: Int64? = nil) {
        self.from = from
        self.to = to
        lower = from ?? .min
        upper = to ?? .max
    }

    /// Whether a tick at `time` is applied.
    @inline(__always)
    public func contains(_ time: Int64) -> Bool { time >= lower && time <= upper }

    /// `--from` after `--to` holds no tick.
    public var isEmpty: Bool { lower > upper }
}
