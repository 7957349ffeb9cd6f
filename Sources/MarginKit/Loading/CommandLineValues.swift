import Foundation

/// Parsers for command-line values that carry domain meaning (`--mark`, `--shocks`), so the
/// executable only wires and every front end reports the same usage errors.
public enum CommandLineValues {
    /// Parses `SYMBOL=PRICE`.
    /// - Throws: `MarginWatchError.usage` for a malformed pair or a price that is not positive.
    public static func mark(_ text: String) throws -> (symbol: String, price: Double) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw MarginWatchError.usage("--mark expects SYMBOL=PRICE (got \"\(text)\")")
        }
        guard let price = decimal(String(parts[1])), Tick.isPlausiblePrice(price) else {
            throw MarginWatchError.usage("--mark \(parts[0]): price must be a positive number of at most 1e15 (got \"\(parts[1])\")")
        }
        return (String(parts[0]), price)
    }

    /// A plain decimal number, the one spelling the portfolio file, the command line and the
    /// level editor all take: `60000`, `-2.5`, `1e-5`, `1_000_000` (YAML's digit groups) — not
    /// Swift's `0x10` hexadecimal, `inf` or `nan`, so a typo never becomes a plausible price.
    /// The value is correctly rounded; it may be infinite for a huge exponent (`1e400`).
    public static func decimal(_ text: String) -> Double? {
        // Underscores only between digits: `1_000`, never `_1` or `1__0`.
        let bytes = Array(text.utf8)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "_") {
            guard i > 0, i + 1 < bytes.count, bytes[i - 1] &- 48 < 10, bytes[i + 1] &- 48 < 10 else { return nil }
        }
        var plain = bytes.filter { $0 != UInt8(ascii: "_") }
        let shaped = plain.withUnsafeMutableBufferPointer { ByteScanning.double(UnsafeBufferPointer($0)) != nil }
        return shaped ? Double(String(decoding: plain, as: UTF8.self)) : nil
    }

    /// Applies `--mark` values to an engine; a symbol the portfolio does not price is a usage
    /// error, so a typo never passes silently.
    public static func apply(marks: [String], to engine: inout Engine) throws {
        for text in marks {
            let (symbol, price) = try mark(text)
            guard engine.setMark(price, for: symbol) else {
                throw MarginWatchError.usage("--mark \(symbol): no position or collateral uses this symbol "
                    + "(known: \(engine.symbols.joined(separator: ", ")))")
            }
        }
    }

    /// Parses `--shocks`: comma-separated percentages, each above −100 (`-30,-10,5`).
    public static func shocks(_ text: String) throws -> [Double] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.isEmpty else { throw MarginWatchError.usage("--shocks expects a list like -30,-10,10") }
        return try items.map { item in
            let number = item.hasSuffix("%") ? String(item.dropLast()) : item
            guard let value = decimal(number), value.isFinite else {
                throw MarginWatchError.usage("--shocks: \"\(item)\" is not a percentage (expected a list like -30,-10,10)")
            }
            guard value > -100 else {
                throw MarginWatchError.usage("--shocks: \(item)% would take prices to zero or below; use a shock above -100")
            }
            guard value <= 10_000 else {
                throw MarginWatchError.usage("--shocks: \(item)% is more than a hundredfold; use a shock of at most 10000")
            }
            return value
        }
    }
}
