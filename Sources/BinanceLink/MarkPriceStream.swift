import Foundation
import MarginKit
import NIOCore
import NIOPosix
import WebSocketKit

/// The mark prices of a set of symbols over Binance's combined WebSocket stream, kept
/// connected: pings are answered (by the WebSocket layer), and a connection that closes, fails
/// or is silent for `silenceLimit` is made again after an exponential backoff (0.5 s doubling to
/// 30 s, with jitter); a connection is renewed on our side before Binance's 24-hour limit.
/// Ticks wait in a bounded queue until the monitor takes them (`poll`).
public final class MarkPriceStream: Sendable {
    public struct Timing: Sendable {
        /// No message for this long: the connection is dropped and made again.
        public var silenceLimit: Double = 10
        /// No message for this long: the marks are shown as STALE.
        public var staleAfter: Double = 3
        /// Renewed after this long (Binance closes connections at 24 h).
        public var renewAfter: Double = 23.5 * 3600
        public var firstBackoff: Double = 0.5
        public var maxBackoff: Double = 30
        public init() {}
    }

    private struct State: Sendable {
        var url = ""
        var ids: [String: Int32] = [:]
        var generation = 0
        var socket: WebSocket?
        var connectedAt: Double?
        var connecting = false
        var everReceived = false
        /// Connection attempts since the last message (1 while the first is being made).
        var attempt = 0
        var reconnectAt: Double?
        var reason = ""
        var lastMessage: Double?
        var latencyMs: Double?
        var lastTime: Int64 = 0
        var bad = 0
        var dropped = 0
        var ticks: [Tick] = []
        var funding: [String: FundingInfo] = [:]
        var stopped = false
        var watchdog: RepeatedTask?
    }

    private let state = Locked(State())
    private let endpoints: BinanceEndpoints
    private let timing: Timing
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    static let queueLimit = 200_000

    public init(endpoints: BinanceEndpoints, timing: Timing = Timing()) {
        self.endpoints = endpoints
        self.timing = timing
    }

    /// Subscribes to `symbols` (ids from `table`), replacing any earlier subscription.
    public func start(symbols: [String], table: SymbolTable) {
        let ids = Dictionary(symbols.map { ($0, table.id($0)) }, uniquingKeysWith: { a, _ in a })
        let old = state.withLock { s -> WebSocket? in
            s.url = endpoints.markStreamURL(symbols: symbols)
            s.ids = ids
            s.generation += 1
            s.attempt = 0
            s.reconnectAt = nil
            let old = s.socket
            s.socket = nil
            s.connectedAt = nil
            return old
        }
        _ = old?.close()
        startWatchdog()
        connect()
    }

    /// Closes the connection; nothing reconnects after this.
    public func stop() {
        let (socket, watchdog) = state.withLock { s in
            s.stopped = true
            s.generation += 1
            defer { s.socket = nil; s.watchdog = nil }
            return (s.socket, s.watchdog)
        }
        watchdog?.cancel()
        _ = try? socket?.close().wait()
    }

    /// Takes the ticks that have arrived.
    public func take(into batch: inout [Tick]) -> Bool {
        let ticks = state.withLock { s -> [Tick] in
            defer { s.ticks.removeAll(keepingCapacity: true) }
            return s.ticks
        }
        batch.append(contentsOf: ticks)
        return !ticks.isEmpty
    }

    public func funding(of symbol: String) -> FundingInfo? { state.withLock { $0.funding[symbol] } }

    public func status(now: Double = MarkPriceStream.now()) -> LinkStatus {
        state.withLock { s in
            let age = s.lastMessage.map { now - $0 }
            let phase: LinkStatus.Phase
            if let at = s.reconnectAt {
                phase = .reconnecting(seconds: at - now, attempt: s.attempt + 1, reason: s.reason)
            } else if let connected = s.connectedAt, s.socket != nil {
                let quiet = age ?? (now - connected)
                phase = quiet > timing.staleAfter ? .stale : .live
            } else {
                phase = .connecting(attempt: max(1, s.attempt))
            }
            return LinkStatus(phase: phase, age: age, latencyMs: s.latencyMs, badMessages: s.bad)
        }
    }

    // MARK: connection

    private func connect() {
        let plan = state.withLock { s -> (String, Int)? in
            guard !s.stopped, !s.connecting, s.socket == nil else { return nil }
            s.connecting = true
            s.reconnectAt = nil
            s.attempt += 1
            return (s.url, s.generation)
        }
        guard let (url, generation) = plan else { return }
        let config = WebSocketClient.Configuration(maxFrameSize: 1 << 16)
        WebSocket.connect(to: url, configuration: config, on: group) { [self] socket in
            opened(socket, generation: generation)
        }.whenComplete { [self] result in
            let failed = state.withLock { s -> Bool in
                s.connecting = false
                guard case .failure = result, s.generation == generation else { return false }
                return true
            }
            if failed, case .failure(let error) = result {
                scheduleReconnect(generation: generation, reason: Self.describe(error))
            }
        }
    }

    private func opened(_ socket: WebSocket, generation: Int) {
        let current = state.withLock { s -> Bool in
            guard s.generation == generation, !s.stopped else { return false }
            s.socket = socket
            s.connectedAt = Self.now()
            return true
        }
        guard current else {
            _ = socket.close()
            return
        }
        socket.onText { [self] _, text in received(text, generation: generation) }
        socket.onClose.whenComplete { [self] _ in
            let reason = socket.closeCode.map { "closed by the server (\($0))" } ?? "connection closed"
            closed(socket, generation: generation, reason: reason)
        }
    }

    private func received(_ text: String, generation: Int) {
        let now = Self.now()
        let local = Double(Date().timeIntervalSince1970 * 1000)
        let update: MarkPriceUpdate?
        var unreadable = false
        do { update = try MarkPriceUpdate.decode(Data(text.utf8)) } catch {
            update = nil
            unreadable = true
        }
        state.withLock { s in
            guard s.generation == generation else { return }
            if unreadable { s.bad += 1; return }
            guard let update, let id = s.ids[update.symbol] else { return }
            // Streams of different symbols interleave: time never goes back on the session.
            s.lastTime = max(s.lastTime, update.time)
            if s.ticks.count < Self.queueLimit {
                s.ticks.append(Tick(time: s.lastTime, symbol: id, price: update.price))
            } else {
                s.dropped += 1
            }
            if let rate = update.fundingRate, let next = update.nextFunding {
                s.funding[update.symbol] = FundingInfo(rate: rate, nextFunding: next)
            }
            s.lastMessage = now
            s.latencyMs = max(0, local - Double(update.time))
            s.attempt = 0
            s.everReceived = true
        }
    }

    private func closed(_ socket: WebSocket, generation: Int, reason: String) {
        let mine = state.withLock { s -> (Bool, String, Bool) in
            guard s.generation == generation, s.socket === socket else { return (false, "", false) }
            s.socket = nil
            s.connectedAt = nil
            return (true, reason, reason == Self.renewing)
        }
        guard mine.0 else { return }
        scheduleReconnect(generation: generation, reason: mine.1, immediately: mine.2)
    }

    private static let renewing = "renewing before the 24-hour limit"

    private func scheduleReconnect(generation: Int, reason: String, immediately: Bool = false) {
        let delay = state.withLock { s -> Double? in
            guard s.generation == generation, !s.stopped else { return nil }
            let delay = immediately ? 0 : Self.backoff(attempt: max(1, s.attempt), timing: timing)
            s.reconnectAt = Self.now() + delay
            s.reason = reason
            return delay
        }
        guard let delay else { return }
        group.next().scheduleTask(in: .milliseconds(Int64(delay * 1000))) { [self] in
            if state.withLock({ $0.generation == generation }) { connect() }
        }
    }

    /// 0.5 s doubling to 30 s, each ±25 % at random so many clients do not come back at once.
    static func backoff(attempt: Int, timing: Timing) -> Double {
        let base = min(timing.maxBackoff, timing.firstBackoff * pow(2, Double(min(attempt, 30) - 1)))
        return min(timing.maxBackoff, base * Double.random(in: 0.75...1.25))
    }

    /// Once a second: drops a silent connection, renews an old one.
    private func startWatchdog() {
        let running = state.withLock { $0.watchdog != nil }
        guard !running else { return }
        let task = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(500), delay: .milliseconds(500)) { [self] _ in
            let now = Self.now()
            let victim = state.withLock { s -> (WebSocket, Int, String)? in
                guard let socket = s.socket, let connected = s.connectedAt else { return nil }
                if now - connected > timing.renewAfter { return (socket, s.generation, Self.renewing) }
                if now - max(connected, s.lastMessage ?? connected) > timing.silenceLimit {
                    return (socket, s.generation, "silent for \(NumberFormat.grouped(timing.silenceLimit, decimals: 0)) s")
                }
                return nil
            }
            guard let (socket, generation, reason) = victim else { return }
            // Reconnect without waiting for the close handshake: a silent server may never answer it.
            closed(socket, generation: generation, reason: reason)
            _ = socket.close()
        }
        state.withLock { $0.watchdog = task }
    }

    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func describe(_ error: Error) -> String {
        if let ws = error as? WebSocketClient.Error {
            switch ws {
            case .invalidResponseStatus(let head): return "the server answered \(head.status.code)"
            default: return "\(ws)"
            }
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        let text = String(describing: error)
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}
