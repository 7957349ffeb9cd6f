import Foundation

/// A tape named on the command line: `PATH`, `SYMBOL=PATH`, or `-` for standard input.
public struct TapeSpec: Sendable, Equatable {
    /// The file path, or `-` for standard input.
    public var path: String
    /// The symbol given with `SYMBOL=`; it overrides the content and the file name.
    public var symbol: String?

    public init(path: String, symbol: String? = nil) {
        self.path = path
        self.symbol = symbol
    }

    /// Parses a command-line TAPE. `=` splits only when the part before it looks like a symbol
    /// (upper-case letters, digits, `_`), so a path containing `=` still works.
    public init(argument: String) {
        if let eq = argument.firstIndex(of: "="), eq != argument.startIndex {
            let head = argument[..<eq]
            if head.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) {
                self.init(path: String(argument[argument.index(after: eq)...]), symbol: String(head))
                return
            }
        }
        self.init(path: argument)
    }

    /// True for standard input.
    public var isStandardInput: Bool { path == "-" }

    /// A regular file can be read twice and from the start again; a pipe (`<(zcat t.gz)`,
    /// `/dev/stdin`) or a device cannot.
    public var isRegularFile: Bool {
        guard !isStandardInput else { return false }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// How the tape is named in messages.
    public var displayName: String { isStandardInput ? "stdin" : path }
}

/// The symbol and bar interval a tape's file name implies (CONTRACT section 1 and 4).
public enum TapeNaming {
    /// The first run of upper-case letters, digits and underscores in the file name that holds a
    /// letter and at least 5 letters or digits; underscores removed, a doubled quote collapsed.
    /// `freqtrade_binance_BTC_USDT-1h.json` → `BTCUSDT`; `ETH_USDT_USDT-1h-futures.json` → `ETHUSDT`.
    public static func symbol(fromPath path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var runs: [String] = []
        var current = ""
        for ch in name {
            if ch.isASCII && (ch.isUppercase || ch.isNumber || ch == "_") {
                current.append(ch)
            } else {
                runs.append(current)
                current = ""
            }
        }
        runs.append(current)
        for run in runs {
            let alphanumerics = run.filter { $0 != "_" }
            guard alphanumerics.contains(where: \.isLetter), alphanumerics.count >= 5 else { continue }
            return collapseDoubledQuote(alphanumerics)
        }
        return nil
    }

    /// `ETHUSDTUSDT` → `ETHUSDT`: freqtrade names futures pairs `BASE_QUOTE_SETTLE`.
    static func collapseDoubledQuote(_ symbol: String) -> String {
        let chars = Array(symbol)
        for length in stride(from: 5, through: 3, by: -1) where chars.count >= 2 * length + 1 {
            let last = chars.suffix(length)
            let before = chars.dropLast(length).suffix(length)
            if Array(last) == Array(before) { return String(chars.dropLast(length)) }
        }
        return symbol
    }

    /// The bar interval in ms named by the file (`-1m`, `-5m`, `-1h`, `-4h`, `-1d`, `-1w`).
    public static func interval(fromPath path: String) -> Int64? {
        let name = Array(path.split(separator: "/").last.map(String.init) ?? path)
        var i = 0
        while i < name.count {
            if name[i] == "-" || name[i] == "_" {
                var j = i + 1
                var value: Int64 = 0
                // Digits past a year's worth of weeks are no bar interval (and must not overflow).
                while j < name.count, let d = name[j].wholeNumberValue, name[j].isASCII {
                    value = value > 1_000_000 ? Int64.max : value * 10 + Int64(d)
                    j += 1
                }
                if j > i + 1, j < name.count, value > 0, value <= 1_000_000 {
                    let unit: Int64?
                    switch name[j] {
                    case "s": unit = 1_000
                    case "m": unit = 60_000
                    case "h": unit = 3_600_000
                    case "d": unit = 86_400_000
                    case "w": unit = 604_800_000
                    default: unit = nil
                    }
                    let after = j + 1 < name.count ? name[j + 1] : "."
                    if let unit, !(after.isLetter || after.isNumber) { return value * unit }
                }
            }
            i += 1
        }
        return nil
    }
}
