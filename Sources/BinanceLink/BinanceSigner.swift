import Crypto
import Foundation

/// Signs a Binance REST query: `signature` = hex HMAC-SHA256 of the query string with the secret.
/// The secret lives only here; nothing that prints or logs ever receives it.
public struct BinanceSigner: Sendable {
    private let secret: Data

    public init(secret: String) {
        self.secret = Data(secret.utf8)
    }

    public func signature(of query: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(query.utf8), using: SymmetricKey(data: secret))
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
