import Foundation
import MarginKit
import NIOCore

/// What can go wrong talking to Binance, in words a trader can act on. Never carries the API
/// key, the secret or a signed query.
public enum BinanceError: Error, Equatable, CustomStringConvertible {
    /// 401, or code -2014/-2015: the key is wrong, lacks the futures permission, or the IP is not allowed.
    case badKey(String)
    /// 429 or 418: too many requests; wait this long (Retry-After).
    case rateLimited(status: Int, retryAfter: Double)
    /// -1021: our clock and the exchange's differ by more than recvWindow.
    case clockSkew(String)
    /// 5xx, or another error answer.
    case server(status: Int, String)
    /// No answer: refused, timed out, a TLS failure.
    case network(String)
    /// The answer cannot be read, or describes an account marginwatch cannot model (hedge mode).
    case unusable(String)
    /// No key in the environment.
    case missingKey
    /// The variable named holds a space or a control character (never shown).
    case malformedKey(String)

    public var description: String {
        switch self {
        case .badKey(let message): return "Binance refused the API key: \(message) (check BINANCE_API_KEY, its futures permission and IP list)"
        case .rateLimited(let status, let wait): return "Binance is rate-limiting this IP (\(status)); retry after \(NumberFormat.grouped(wait, decimals: 0)) s"
        case .clockSkew(let message): return "Binance says the clock is off: \(message)"
        case .server(let status, let message): return "Binance answered \(status): \(message)"
        case .network(let message): return "cannot reach Binance: \(message)"
        case .unusable(let message): return message
        case .missingKey: return "--account binance needs BINANCE_API_KEY and BINANCE_API_SECRET in the environment"
        case .malformedKey(let name): return "\(name) holds a space or a control character (a stray newline or CR from a .env file?)"
        }
    }

    /// The exit code of a one-shot command (snapshot, stress): 64 for a bad or missing key (the
    /// user's to fix), 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .badKey, .missingKey, .malformedKey: return 64
        default: return 1
        }
    }

    /// Worth trying again after a wait (the account refresh keeps going; STALE meanwhile).
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .clockSkew, .server, .network: return true
        case .badKey, .unusable, .missingKey, .malformedKey: return false
        }
    }
}

/// A network error in words, naming no URL, header or query.
enum NetworkErrorText {
    static func describe(_ error: Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        let text = String(describing: error)
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}
