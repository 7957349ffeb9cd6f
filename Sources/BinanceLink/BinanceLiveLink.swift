import Foundation
import MarginKit

/// `watch --feed binance [--account binance]`: the mark stream, and the account read again
/// every `refresh` seconds on a thread of its own. Failures never stop the monitor: they are
/// told on the status line (a refused key as a problem to fix; rate limits, clock skew, server
/// errors and a lost network retried with waits), and the last good account stays shown.
public final class BinanceLiveLink: ExchangeLink {
    public let name = "Binance USDⓈ-M"
    private let stream: MarkPriceStream
    private let reader: BinanceAccountReader?
    private let refresh: Double
    private let timing: MarkPriceStream.Timing

    private struct AccountState: Sendable {
        var latest: ExchangeSnapshot?
        var pending: ExchangeSnapshot?
        var problem: String?
        var stopped = false
    }
    private let accountState = Locked(AccountState())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - first: the account already read (before the monitor started), if any.
    public init(endpoints: BinanceEndpoints, reader: BinanceAccountReader?, first: ExchangeSnapshot?, refresh: Double = 5,
                timing: MarkPriceStream.Timing = .init()) {
        stream = MarkPriceStream(endpoints: endpoints, timing: timing)
        self.reader = reader
        self.refresh = refresh
        self.timing = timing
        accountState.withLock { $0.latest = first }
        if reader != nil {
            let thread = Thread { [self] in pollAccount() }
            thread.name = "binance-account"
            thread.start()
        }
    }

    public func ticks(for symbols: [String], table: SymbolTable) -> any LiveTickSource {
        stream.start(symbols: symbols, table: table)
        return StreamTicks(stream: stream)
    }

    public func status(now: Double) -> LinkStatus {
        var status = stream.status(now: now)
        status.problem = accountState.withLock { $0.problem }
        return status
    }

    public func funding(of symbol: String) -> FundingInfo? { stream.funding(of: symbol) }

    public func takeAccount() -> ExchangeSnapshot? {
        accountState.withLock { s in
            defer { s.pending = nil }
            return s.pending
        }
    }

    public var account: ExchangeSnapshot? { accountState.withLock { $0.latest } }

    public func stop() {
        let polling = accountState.withLock { s -> Bool in
            let was = !s.stopped
            s.stopped = true
            return was && reader != nil
        }
        stream.stop()
        if polling {
            wake.signal()
            // A read in flight (up to five requests of 10 s each) finishes on its own thread; not
            // waited for longer than a moment, so quitting stays quick.
            _ = finished.wait(timeout: .now() + 0.5)
        }
    }

    /// Reads the account every `refresh` seconds; after an error waits as the error says.
    private func pollAccount() {
        defer { finished.signal() }
        var failures = 0
        while !accountState.withLock({ $0.stopped }) {
            var wait = refresh
            do {
                guard let reader else { return }
                let snapshot = try reader.read()
                failures = 0
                accountState.withLock { s in
                    // Marks and the exchange's liquidation prices move with every read: only a
                    // changed book starts the session afresh.
                    if let latest = s.latest, latest.sameBook(as: snapshot) {} else { s.pending = snapshot }
                    s.latest = snapshot
                    s.problem = nil
                }
            } catch {
                failures += 1
                let binance = error as? BinanceError ?? .network("\(error)")
                switch binance {
                case .rateLimited(_, let retryAfter): wait = max(refresh, retryAfter)
                case .badKey, .missingKey, .unusable: wait = max(refresh, 30)
                default: wait = max(refresh, MarkPriceStream.backoff(attempt: failures, timing: timing))
                }
                // A rate limit says its own wait; everything else gets when it is tried again.
                var problem = "account: \(binance.description)"
                if case .rateLimited = binance {} else { problem += " — retrying in \(NumberFormat.grouped(wait, decimals: 0)) s" }
                accountState.withLock { $0.problem = problem }
            }
            if wake.wait(timeout: .now() + wait) == .success { return }
        }
    }
}

/// The stream's ticks as the feed driver takes them.
struct StreamTicks: LiveTickSource {
    let stream: MarkPriceStream
    private var pending: [Tick] = []

    init(stream: MarkPriceStream) { self.stream = stream }

    func poll(into batch: inout [Tick]) throws -> (got: Bool, ended: Bool) {
        (stream.take(into: &batch), false)
    }

    mutating func nextBatch(into batch: inout [Tick]) throws -> Bool { stream.take(into: &batch) }

    /// One tick at a time (the driver polls instead); nil when none has arrived yet.
    mutating func next() throws -> Tick? {
        if pending.isEmpty { _ = stream.take(into: &pending) }
        return pending.isEmpty ? nil : pending.removeFirst()
    }
}
