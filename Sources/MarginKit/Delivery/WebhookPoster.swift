import Foundation

/// POSTs an event's JSON to a URL (`--webhook`): `Content-Type: application/json`, 5 s per
/// attempt, three retries with a doubling pause, so a server that refuses, hangs or answers
/// 500 costs at most a known time and never an exception.
///
/// The request is made by `curl`, run directly like a hook (no shell): linking Foundation's own
/// HTTP stack (libcurl and OpenSSL through FoundationNetworking) would load it into every run of
/// marginwatch, web hook or not — 6.6 MB more for every replay.
public struct WebhookPoster: Sendable {
    public let url: URL
    public var timeout: Double = 5
    public var retries = 3
    /// The pause before the first retry; it doubles each time.
    public var backoff: Double = 0.5
    /// `curl`'s full path.
    public let curl: String

    /// The URL, when it is one a POST can go to (`http://` or `https://` with a host) and curl is
    /// on `PATH` (`curl` nil when it is not: see `curlMissing`).
    public init?(_ text: String, curl: String? = ProgramRunner.resolve("curl")) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else { return nil }
        self.url = url
        self.curl = curl ?? ""
    }

    /// Whether there is no curl to send with.
    public var curlMissing: Bool { curl.isEmpty }

    /// Sends `json`; returns nil on a 2xx answer, else what went wrong on the last attempt.
    public func post(_ json: String) -> String? {
        guard !curlMissing else { return "curl is not installed" }
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
        let seconds = JSONValue.format(timeout)
        let (outcome, output) = ProgramRunner.runCapturing(curl, arguments: [
            "--silent", "--show-error", "--output", "/dev/null", "--write-out", "%{http_code}",
            "--max-time", seconds, "--connect-timeout", seconds, "--proto", "=http,https",
            "--request", "POST", "--header", "Content-Type: application/json", "--user-agent", "marginwatch",
            "--data-binary", "@-", "--", url.absoluteString,
        ], input: json, timeout: timeout + 2)
        switch outcome {
        case .succeeded:
            let code = Int(output.trimmingCharacters(in: .whitespaces)) ?? 0
            return (200..<300).contains(code) ? nil : "HTTP \(code)"
        case .failed(let status, let stderr):
            return Self.words(curlExit: status, stderr: stderr, timeout: timeout)
        case .timedOut:
            return "no answer within \(seconds) s"
        case .couldNotStart(let why):
            return "curl could not start: \(why)"
        }
    }

    /// What curl's exit status means, in words.
    static func words(curlExit status: Int32, stderr: String, timeout: Double) -> String {
        switch status {
        case 28: return "no answer within \(JSONValue.format(timeout)) s"
        case 7: return "connection refused"
        case 6: return "host not found"
        case 52: return "the server closed the connection without an answer"
        case 56: return "connection lost"
        case 35, 60: return "TLS failed: \(stderr)"
        default: return "curl exited \(status)" + (stderr.isEmpty ? "" : ": \(stderr)")
        }
    }
}
