import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs an event's JSON to a URL (`--webhook`): `Content-Type: application/json`, 5 s per
/// attempt, three retries with a doubling pause, so a server that refuses, hangs or answers
/// 500 costs at most a known time and never an exception.
public struct WebhookPoster: Sendable {
    public let url: URL
    public var timeout: Double = 5
    public var retries = 3
    /// The pause before the first retry; it doubles each time.
    public var backoff: Double = 0.5

    /// The URL, when it is one a POST can go to (`http://` or `https://` with a host).
    public init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else { return nil }
        self.url = url
    }

    /// Sends `json`; returns nil on a 2xx answer, else what went wrong on the last attempt.
    public func post(_ json: String) -> String? {
        var problem = "not sent"
        for attempt in 0...retries {
            if attempt > 0 { Thread.sleep(forTimeInterval: backoff * Double(1 << (attempt - 1))) }
            switch once(json) {
            case .none: return nil
            case .some(let why):
                problem = why
                // A 4xx says the request itself is refused: sending it again changes nothing
                // (except a timeout, 408, or too many requests, 429).
                if why.hasPrefix("HTTP 4"), why != "HTTP 408", why != "HTTP 429" { return "\(why) (not retried)" }
            }
        }
        return "\(problem) (after \(retries + 1) attempts)"
    }

    private func once(_ json: String) -> String? {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: config)
        defer { session.invalidateAndCancel() }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = session.dataTask(with: request) { _, response, error in
            if let error {
                box.set(Self.words(error as NSError, timeout: timeout))
            } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                box.set("HTTP \(http.statusCode)")
            } else {
                box.set(nil)
            }
            done.signal()
        }
        task.resume()
        // The session's own timeout should fire first; this one is the backstop.
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            return "no answer within \(JSONValue.format(timeout)) s"
        }
        return box.value
    }

    /// What a failed attempt means, in words (not `NSURLErrorDomain error -1001`).
    static func words(_ error: NSError, timeout: Double) -> String {
        switch error.code {
        case NSURLErrorTimedOut: return "no answer within \(JSONValue.format(timeout)) s"
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "host not found"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        case NSURLErrorNotConnectedToInternet: return "no network"
        default: return error.localizedDescription
        }
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: String?
        func set(_ v: String?) { lock.withLock { stored = v } }
        var value: String? { lock.withLock { stored } }
    }
}
