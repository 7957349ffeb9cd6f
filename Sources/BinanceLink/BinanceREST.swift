import AsyncHTTPClient
import Foundation
import MarginKit
import NIOCore
import NIOPosix

/// The API key pair, read from the environment only (never from arguments). Its description
/// hides both halves, so no message, log or crash report can print them.
public struct BinanceCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let key: String
    let signer: BinanceSigner

    public init(key: String, secret: String) {
        self.key = key
        signer = BinanceSigner(secret: secret)
    }

    /// `BINANCE_API_KEY` and `BINANCE_API_SECRET`. - Throws: `.missingKey` when either is unset or empty.
    /// Both must be printable ASCII without spaces (a stray CR from a Windows `.env` file would
    /// otherwise end up in an HTTP library's error, key and all).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> BinanceCredentials {
        guard let key = env["BINANCE_API_KEY"], !key.isEmpty, let secret = env["BINANCE_API_SECRET"], !secret.isEmpty else {
            throw BinanceError.missingKey
        }
        for (name, value) in [("BINANCE_API_KEY", key), ("BINANCE_API_SECRET", secret)]
        where !value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            throw BinanceError.malformedKey(name)
        }
        return BinanceCredentials(key: key, secret: secret)
    }

    public var description: String { "BinanceCredentials(hidden)" }
    public var debugDescription: String { description }
}

/// Signed and public GETs on the USDⓈ-M REST API. Blocking calls (each waits at most
/// `timeout`), for the one-shot commands and the account refresh thread.
public final class BinanceREST: Sendable {
    private let base: String
    private let credentials: BinanceCredentials?
    private let client: HTTPClient
    private let timeout: TimeAmount
    /// Exchange time minus local time, ms (`GET /fapi/v1/time`), for signed timestamps.
    private let clockOffset = Locked<Int64?>(nil)
    public static let recvWindow = 5_000


    public init(endpoints: BinanceEndpoints, credentials: BinanceCredentials?, timeout: TimeAmount = .seconds(10)) {
        base = endpoints.rest
        self.credentials = credentials
        self.timeout = timeout
        // No redirects: a signed query is never sent anywhere but where it was meant to go.
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                            configuration: .init(redirectConfiguration: .disallow,
                                                 timeout: .init(connect: .seconds(5), read: timeout)))
    }

    public func shutdown() { try? client.syncShutdown() }

    /// Measures the clock offset again (after a -1021, and before the first signed call).
    public func syncClock() throws {
        let before = Self.localMs()
        let data = try get("/fapi/v1/time", query: "")
        let after = Self.localMs()
        let server = try decoded { try BinanceDecoders.serverTime(data, file: "GET /fapi/v1/time") }
        clockOffset.withLock { $0 = server - (before + after) / 2 }
    }

    /// A signed GET: `query` + recvWindow + timestamp, then the signature, appended last.
    public func signedGet(_ path: String, query: String = "") throws -> Data {
        guard let credentials else { throw BinanceError.missingKey }
        if clockOffset.withLock({ $0 }) == nil { try syncClock() }
        func attempt() throws -> Data {
            let offset = clockOffset.withLock { $0 } ?? 0
            var signed = query.isEmpty ? "" : query + "&"
            signed += "recvWindow=\(Self.recvWindow)&timestamp=\(Self.localMs() + offset)"
            signed += "&signature=" + credentials.signer.signature(of: signed)
            return try get(path, query: signed, key: credentials.key)
        }
        do {
            return try attempt()
        } catch BinanceError.clockSkew {
            // The clock moved (or the first measure was off): measure again, once.
            try syncClock()
            return try attempt()
        }
    }

    /// A GET; an error answer becomes the `BinanceError` it means.
    public func get(_ path: String, query: String, key: String? = nil) throws -> Data {
        let url = base + path + (query.isEmpty ? "" : "?" + query)
        let response: HTTPClient.Response
        do {
            var request = try HTTPClient.Request(url: url, method: .GET)
            if let key { request.headers.add(name: "X-MBX-APIKEY", value: key) }
            response = try client.execute(request: request, deadline: .now() + timeout).wait()
        } catch {
            throw BinanceError.network("\(base)\(path): \(Self.describe(error))")
        }
        let body = response.body.map { Data($0.readableBytesView) } ?? Data()
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw Self.error(status: status, body: body, retryAfter: response.headers.first(name: "Retry-After"), path: path)
        }
        return body
    }

    /// Binance's error answer `{"code":-2015,"msg":"…"}` in the terms of `BinanceError`.
    static func error(status: Int, body: Data, retryAfter: String?, path: String) -> BinanceError {
        let (code, text) = BinanceDecoders.errorAnswer(body)
        let message = text ?? "HTTP \(status)"
        if status == 429 || status == 418 {
            let wait = retryAfter.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 0 && $0 < 86_400 } ?? 60
            return .rateLimited(status: status, retryAfter: wait)
        }
        if code == -1021 { return .clockSkew(message) }
        if status == 401 || code == -2015 || code == -2014 || code == -1022 { return .badKey(message) }
        return .server(status: status, "\(path): \(message)" + (code.map { " (code \($0))" } ?? ""))
    }

    private func decoded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as MarginWatchError { throw BinanceError.unusable("Binance's answer: \(error.description)") }
    }

    static func localMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// An error from the HTTP stack, in words (it names the host and port at most, never a query).
    static func describe(_ error: Error) -> String {
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout: return "connection timed out"
            case .readTimeout, .deadlineExceeded: return "no answer in time"
            case .remoteConnectionClosed: return "connection closed by the server"
            // The case's name only: its values may hold a header (the key) or the query.
            default: return "request failed (\(String("\(client)".prefix { $0 != "(" })))"
            }
        }
        return NetworkErrorText.describe(error)
    }
}

extension Optional where Wrapped == Double {
    fileprivate func filter(_ keep: (Double) -> Bool) -> Double? { self.flatMap { keep($0) ? $0 : nil } }
}
