/// A live connection to an exchange (`watch --feed binance`): its marks as ticks, the state of
/// the connection for the status line, the funding of each symbol, and — with `--account` —
/// the account as the exchange last reported it. Implemented outside MarginKit (BinanceLink),
/// so the engine never links a network stack.
public protocol ExchangeLink: AnyObject, Sendable {
    /// What the monitor's title calls it (`Binance USDⓈ-M`).
    var name: String { get }
    /// Starts receiving the marks of `symbols` (ids from `table`); the ticks arrive through the
    /// source returned. Called again with the new set when the account's symbols change.
    func ticks(for symbols: [String], table: SymbolTable) -> any LiveTickSource
    /// The connection now (`now`: monotonic seconds, as `FeedDriver.now()`).
    func status(now: Double) -> LinkStatus
    /// The last funding rate and next funding time received for `symbol`.
    func funding(of symbol: String) -> FundingInfo?
    /// The account, when it changed since the last call (`--account`); nil otherwise.
    func takeAccount() -> ExchangeSnapshot?
    /// The account as last read, for the exchange's own numbers (nil: marks only).
    var account: ExchangeSnapshot? { get }
    /// Closes the connection and stops every thread it started.
    func stop()
}

/// The account as one consistent read: positions and wallet, and the bracket tables of the
/// symbols held. Never half of one refresh and half of another.
public struct ExchangeSnapshot: Sendable, Equatable {
    public var account: ExchangeAccount
    public var brackets: [String: BracketTable]

    public init(account: ExchangeAccount, brackets: [String: BracketTable]) {
        self.account = account
        self.brackets = brackets
    }

    /// The exchange's liquidation price beside ours for each evaluated position.
    public func checks(for evaluation: Evaluation, exchangeBrackets: Set<String>) -> [LiquidationCheck] {
        evaluation.positions.map { p in
            LiquidationCheck(ours: p.liquidationPrice, exchange: account.exchangeLiquidation(symbol: p.symbol, side: p.spec.side),
                             mark: p.mark, bracketsFromExchange: exchangeBrackets.contains(p.symbol))
        }
    }

    /// Whether `other` is the same book: wallet, positions (not their marks or liquidation
    /// prices, which move with every read) and brackets.
    public func sameBook(as other: ExchangeSnapshot) -> Bool {
        func book(_ s: ExchangeSnapshot) -> [PositionSpec] { s.account.positions.map { var p = $0.spec; p.mark = nil; return p } }
        return account.wallet == other.account.wallet && book(self) == book(other) && brackets == other.brackets
    }
}

/// What an account read becomes: the portfolio to watch, and the symbols whose bracket tables
/// are the exchange's own (for the liquidation check's likely cause).
public struct ExchangeBook: Sendable, Equatable {
    public var portfolio: Portfolio
    public var exchangeBrackets: Set<String>

    public init(portfolio: Portfolio, exchangeBrackets: Set<String>) {
        self.portfolio = portfolio
        self.exchangeBrackets = exchangeBrackets
    }
}

/// The funding of a perpetual: the rate now (a fraction; longs pay a positive rate) and when it
/// is next charged (epoch ms).
public struct FundingInfo: Sendable, Equatable {
    public var rate: Double
    public var nextFunding: Int64

    public init(rate: Double, nextFunding: Int64) {
        self.rate = rate
        self.nextFunding = nextFunding
    }

    /// The payment at the next funding for a position of `notional` on `side`: negative when
    /// the position pays (a long at a positive rate), positive when it receives.
    public func payment(notional: Double, side: Side) -> Double { -side.sign * notional * rate }
}

/// The state of an exchange connection, as the status line tells it.
public struct LinkStatus: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Nothing is held: no marks to watch, no connection.
        case idle
        /// The first connection is being made (attempt k, from 1).
        case connecting(attempt: Int)
        /// Connected and the marks are current.
        case live
        /// Connected, but nothing has come for a while: the marks shown are not current.
        case stale
        /// Disconnected (why), trying again in `seconds` (attempt k).
        case reconnecting(seconds: Double, attempt: Int, reason: String)
    }

    public var phase: Phase
    /// Seconds since the last message (nil: none yet).
    public var age: Double?
    /// Exchange event time to local receipt, ms, of the last message.
    public var latencyMs: Double?
    /// Messages that could not be read (counted, skipped).
    public var badMessages: Int
    /// A problem that needs the trader (a refused API key), or the account refresh failing.
    public var problem: String?
    /// Symbols with no mark for a while although connected (STALE names them).
    public var quiet: [String]

    public init(phase: Phase, age: Double? = nil, latencyMs: Double? = nil, badMessages: Int = 0, problem: String? = nil,
                quiet: [String] = []) {
        self.phase = phase
        self.age = age
        self.latencyMs = latencyMs
        self.badMessages = badMessages
        self.problem = problem
        self.quiet = quiet
    }

    /// The phase alone, for a line that must leave room for a problem: `LIVE 0.4 s ago`,
    /// `STALE 12 s`, `RECONNECTING in 4 s (attempt 3)`, `CONNECTING`.
    public var shortText: String {
        switch phase {
        case .idle: return "NO POSITIONS"
        case .connecting: return "CONNECTING"
        case .live: return "LIVE" + (age.map { " \(NumberFormat.grouped($0, decimals: 1)) s ago" } ?? "")
        case .stale: return "STALE" + (age.map { " \(NumberFormat.grouped($0, decimals: 0)) s" } ?? "")
        case .reconnecting(let s, let attempt, _):
            return "RECONNECTING in \(NumberFormat.grouped(max(0, s).rounded(.up), decimals: 0)) s (attempt \(attempt))"
        }
    }

    /// One line: `LIVE 0.4 s ago, 85 ms`, `RECONNECTING in 4 s (attempt 3): closed by server`,
    /// `STALE: last mark 12 s ago`, `CONNECTING`.
    public var text: String {
        func seconds(_ s: Double) -> String { s < 10 ? NumberFormat.grouped(s, decimals: 1) + " s" : NumberFormat.grouped(s, decimals: 0) + " s" }
        var line: String
        switch phase {
        case .idle: return "NO POSITIONS: no marks to watch"
        case .connecting(let attempt): line = attempt > 1 ? "CONNECTING (attempt \(attempt))" : "CONNECTING"
        case .live:
            line = "LIVE"
            if let age { line += " \(seconds(age)) ago" }
            if let latencyMs { line += ", \(NumberFormat.grouped(latencyMs, decimals: 0)) ms" }
        case .stale:
            line = "STALE"
            if !quiet.isEmpty {
                let names = quiet.count > 3 ? quiet.prefix(3).joined(separator: ", ") + " +\(quiet.count - 3)" : quiet.joined(separator: ", ")
                line += ": no mark for \(names)"
            }
        case .reconnecting(let s, let attempt, let reason):
            line = "RECONNECTING in \(NumberFormat.grouped(max(0, s).rounded(.up), decimals: 0)) s (attempt \(attempt)): \(reason)"
        }
        if phase != .live && (phase != .stale || quiet.isEmpty) {
            line += age.map { ", last mark \(seconds($0)) ago" } ?? ", no mark yet"
        }
        if badMessages > 0 { line += ", \(badMessages) unreadable" }
        return line
    }
}
