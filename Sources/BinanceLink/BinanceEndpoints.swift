import Foundation
import MarginKit

/// Where Binance is: `MARGINWATCH_BINANCE_WS` (default `wss://fstream.binance.com`) and
/// `MARGINWATCH_BINANCE_REST` (default `https://fapi.binance.com`). Both take `ws://` and
/// `http://` too, so tests point them at a fake exchange on loopback.
public struct BinanceEndpoints: Sendable, Equatable {
    public var webSocket: String
    public var rest: String

    public static let defaultWebSocket = "wss://fstream.binance.com"
    public static let defaultREST = "https://fapi.binance.com"

    public init(webSocket: String = defaultWebSocket, rest: String = defaultREST) {
        self.webSocket = webSocket
        self.rest = rest
    }

    /// From the environment. - Throws: `.usage` (exit 64) for a value that is not such a URL.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> BinanceEndpoints {
        let ws = try base(env["MARGINWATCH_BINANCE_WS"], name: "MARGINWATCH_BINANCE_WS", schemes: ["ws", "wss"]) ?? defaultWebSocket
        let rest = try base(env["MARGINWATCH_BINANCE_REST"], name: "MARGINWATCH_BINANCE_REST", schemes: ["http", "https"]) ?? defaultREST
        return BinanceEndpoints(webSocket: ws, rest: rest)
    }

    private static func base(_ value: String?, name: String, schemes: [String]) throws -> String? {
        guard let value, !value.isEmpty else { return nil }
        var text = value
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), schemes.contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil else {
            throw MarginWatchError.usage("\(name)=\(PrintableText.escaped(value)): expected a base URL such as "
                + "\(schemes[1])://host[:port] (schemes: \(schemes.joined(separator: ", ")))")
        }
        // Without TLS the key and the signed queries would cross the network in clear: only to
        // this machine (a test exchange).
        if scheme == schemes[0], !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) {
            throw MarginWatchError.usage("\(name)=\(PrintableText.escaped(value)): \(scheme):// (no TLS) is only for this machine "
                + "(127.0.0.1, localhost); use \(schemes[1])://")
        }
        return text
    }

    /// The routed combined mark-price stream of `symbols` (the unrouted paths were retired in
    /// 2026: on them mark prices never arrive).
    public func markStreamURL(symbols: [String]) -> String {
        let streams = symbols.map { "\($0.lowercased())@markPrice@1s" }.joined(separator: "/")
        return "\(webSocket)/market/stream?streams=\(streams)"
    }
}
