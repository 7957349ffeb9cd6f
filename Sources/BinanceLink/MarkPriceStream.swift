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
        /// Bumped by every new subscription and every connection attempt: a callback of an older
        /// connection (a socket given up on, a handshake that hung) is ignored.
        var connection = 0
        var socket: WebSocket?
        var connectedAt: Double?
        /// When the attempt in flight started (nil: none).
        var connectingSince: Double?
        /// Connection attempts since the last message (1 while the first is being made).
        var attempt = 0
        var reconnectAt: Double?
        var reason = ""
        var lastMessage: Double?
        /// The last message of each subscribed symbol (a quiet one is STALE even when others tick).
        var lastBySymbol: [String: Double] = [:]
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
    /// A frame whose event time is further than this from our clock is unreadable, not a clock.
    static let clockTolerance: Double = 5 * 60 * 1000

    public init(endpoints: BinanceEndpoints, timing: Timing = Timing()) {
        self.endpoints = endpoints
        self.timing = timing
    }

    /// Subscribes to `symbols` (ids from `table`), replacing any earlier subscription; with
    /// none, no connection at all.
    public func start(symbols: [String], table: SymbolTable) {
        let ids = Dictionary(symbols.map { ($0, table.id($0)) }, uniquingKeysWith: { a, _ in a })
        let old = state.withLock { s -> WebSocket? in
            s.url = ids.isEmpty ? "" : endpoints.markStreamURL(symbols: symbols)
            s.ids = ids
            s.connection += 1
            s.attempt = 0
            s.bad = 0
            s.reconnectAt = nil
            s.connectingSince = nil
            s.lastBySymbol = s.lastBySymbol.filter { ids[$0.key] != nil }
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
            s.connection += 1
            defer { s.socket = nil; s.watchdog = nil }
            return (s.socket, s.watchdog)
        }
        watchdog?.cancel()
        // Not waited for: a peer that never answers the close must not hold up quitting.
        _ = socket?.close()
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

    public func status(now: Double = FeedDriver.now()) -> LinkStatus {
        state.withLock { s in
            let age = s.lastMessage.map { now - $0 }
            var quiet: [String] = []
            let phase: LinkStatus.Phase
            if s.ids.isEmpty {
                phase = .idle
            } else if let at = s.reconnectAt {
                phase = .reconnecting(seconds: at - now, attempt: s.attempt + 1, reason: s.reason)
            } else if let connected = s.connectedAt, s.socket != nil {
                // Every subscribed symbol must be current, not just some.
                quiet = s.ids.keys.filter { now - (s.lastBySymbol[$0] ?? connected) > timing.staleAfter }.sorted()
                phase = quiet.isEmpty ? .live : .stale
            } else {
                phase = .connecting(attempt: max(1, s.attempt))
            }
            return LinkStatus(phase: phase, age: age, latencyMs: s.latencyMs, badMessages: s.bad + s.dropped, quiet: quiet)
        }
    }

    // MARK: connection

    private func connect() {
        let plan = state.withLock { s -> (String, Int)? in
            guard !s.stopped, !s.ids.isEmpty, s.connectingSince == nil, s.socket == nil else { return nil }
            s.connection += 1
            s.connectingSince = FeedDriver.now()
            s.reconnectAt = nil
            s.attempt += 1
            return (s.url, s.connection)
        }
        guard let (url, id) = plan else { return }
        let config = WebSocketClient.Configuration(maxFrameSize: 1 << 16)
        WebSocket.connect(to: url, configuration: config, on: group) { [self] socket in
            opened(socket, id: id)
        }.whenComplete { [self] result in
            let failed = state.withLock { s -> Bool in
                guard s.connection == id else { return false }
                s.connectingSince = nil
                if case .failure = result { return true }
                return false
            }
            if failed, case .failure(let error) = result {
                scheduleReconnect(id: id, reason: Self.describe(error))
            }
        }
    }

    private func opened(_ socket: WebSocket, id: Int) {
        let current = state.withLock { s -> Bool in
            guard s.connection == id, !s.stopped else { return false }
            s.socket = socket
            s.connectedAt = FeedDriver.now()
            s.connectingSince = nil
            return true
        }
        guard current else {
            // An attempt given up on (a newer subscription, a handshake too slow): the newer one
            // goes on; this socket is closed.
            _ = socket.close()
            connect()
            return
        }
        socket.onText { [self] _, text in received(text, id: id) }
        socket.onClose.whenComplete { [self] _ in
            let reason = socket.closeCode.map { "closed by the server (\($0))" } ?? "connection closed"
            closed(id: id, reason: reason)
        }
    }

    private func received(_ text: String, id: Int) {
        let now = FeedDriver.now()
        let local = Double(Date().timeIntervalSince1970 * 1000)
        var update: MarkPriceUpdate?
        var unreadable = false
        do { update = try MarkPriceUpdate.decode(Data(text.utf8)) } catch { unreadable = true }
        // An event time far from our clock is a broken frame, never the session's clock.
        if let u = update, abs(Double(u.time) - local) > Self.clockTolerance {
            update = nil
            unreadable = true
        }
        state.withLock { s in
            guard s.connection == id else { return }
            if unreadable { s.bad += 1; return }
            guard let update, let symbolID = s.ids[update.symbol] else { return }
            // Streams of different symbols interleave: time never goes back on the session.
            s.lastTime = max(s.lastTime, update.time)
            if s.ticks.count < Self.queueLimit {
                s.ticks.append(Tick(time: s.lastTime, symbol: symbolID, price: update.price))
            } else {
                s.dropped += 1
            }
            if let rate = update.fundingRate, let next = update.nextFunding {
                s.funding[update.symbol] = FundingInfo(rate: rate, nextFunding: next)
            }
            s.lastMessage = now
            s.lastBySymbol[update.symbol] = now
            s.latencyMs = max(0, local - Double(update.time))
            s.attempt = 0
        }
    }

    /// The connection `id` is over (closed, or given up on): the next one is scheduled.
    private func closed(id: Int, reason: String) {
        let mine = state.withLock { s -> Bool in
            guard s.connection == id else { return false }
            s.socket = nil
            s.connectedAt = nil
            s.connectingSince = nil
            return true
        }
        if mine { scheduleReconnect(id: id, reason: reason, immediately: reason == Self.renewing) }
    }

    private static let renewing = "renewing before the 24-hour limit"

    private func scheduleReconnect(id: Int, reason: String, immediately: Bool = false) {
        let plan = state.withLock { s -> (Double, Int)? in
            guard s.connection == id, !s.stopped else { return nil }
            // Whatever this connection still sends is ignored from here on.
            s.connection += 1
            let delay = immediately ? 0 : Self.backoff(attempt: max(1, s.attempt), timing: timing)
            s.reconnectAt = FeedDriver.now() + delay
            s.reason = reason
            return (delay, s.connection)
        }
        guard let (delay, next) = plan else { return }
        group.next().scheduleTask(in: .milliseconds(Int64(delay * 1000))) { [self] in
            if state.withLock({ $0.connection == next }) { connect() }
        }
    }

    /// 0.5 s doubling to 30 s, each ±25 % at random so many clients do not come back at once.
    static func backoff(attempt: Int, timing: Timing) -> Double {
        let base = min(timing.maxBackoff, timing.firstBackoff * pow(2, Double(min(attempt, 30) - 1)))
        return min(timing.maxBackoff, base * Double.random(in: 0.75...1.25))
    }

    /// Twice a second: drops a silent connection, gives up a handshake that hangs, renews an
    /// old connection.
    private func startWatchdog() {
        let running = state.withLock { $0.watchdog != nil }
        guard !running else { return }
        let task = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(500), delay: .milliseconds(500)) { [self] _ in
            let now = FeedDriver.now()
            let victim = state.withLock { s -> (WebSocket?, Int, String)? in
                if let since = s.connectingSince, now - since > timing.silenceLimit {
                    return (nil, s.connection, "no answer to the connection in \(NumberFormat.grouped(timing.silenceLimit, decimals: 0)) s")
                }
                guard let socket = s.socket, let connected = s.connectedAt else { return nil }
                if now - connected > timing.renewAfter { return (socket, s.connection, Self.renewing) }
                if now - max(connected, s.lastMessage ?? connected) > timing.silenceLimit {
                    return (socket, s.connection, "silent for \(NumberFormat.grouped(timing.silenceLimit, decimals: 0)) s")
                }
                return nil
            }
            guard let (socket, id, reason) = victim else { return }
            // Reconnect without waiting for the close handshake: a silent server may never answer
            // it (the old socket's frames are ignored from now on).
            closed(id: id, reason: reason)
            _ = socket?.close()
        }
        state.withLock { $0.watchdog = task }
    }


    static func describe(_ error: Error) -> String {
        if let ws = error as? WebSocketClient.Error {
            switch ws {
            case .invalidResponseStatus(let head): return "the server answered \(head.status.code)"
            default: return "\(ws)"
            }
        }
        return NetworkErrorText.describe(error)
    }
}
