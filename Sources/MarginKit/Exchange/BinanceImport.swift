import Foundation

/// `marginwatch import binance`: a portfolio file written from saved responses of the three
/// account endpoints, for traders who will not hand a tool their API key.
public enum BinanceImport {
    /// The portfolio YAML: the wallet (other assets listed in a comment: not margin in
    /// single-asset mode), every position with the exchange's mark and its liquidation price in a
    /// comment, and an `instruments:` entry per held symbol from the brackets.
    /// - Throws: `.invalidContent` when a held symbol has no bracket table in `brackets`.
    public static func yaml(account: ExchangeAccount, brackets: [String: BracketTable], bracketsFile: String,
                            sources: [String]) throws -> String {
        var out = "# Written by `marginwatch import binance` from \(sources.joined(separator: ", ")).\n"
        out += "# Marks are the exchange's at the time of those responses; the liquidation price in each\n"
        out += "# comment is the exchange's own, to compare with marginwatch's.\n"
        out += "account:\n  wallet: \(decimal(account.wallet))\n"
        for other in account.otherAssets {
            out += "  # \(other.asset): \(decimal(other.balance)) held, not counted (single-asset mode margins in \(BinanceDecoders.marginAsset) only)\n"
        }
        out += account.positions.isEmpty ? "positions: []\n" : "positions:\n"
        for held in account.positions {
            let p = held.spec
            out += "  - symbol: \(p.symbol)\n    side: \(p.side.rawValue)\n    size: \(decimal(p.size))\n"
            out += "    entry: \(decimal(p.entry))\n    leverage: \(decimal(p.leverage))\n"
            if p.margin == .isolated, let wallet = p.isolatedMargin {
                out += "    margin: isolated\n"
                out += "    isolated_margin: \(decimal(wallet))\n"
            }
            out += "    mark: \(decimal(held.mark))"
            out += held.liquidationPrice.map { "    # exchange liquidation price \(decimal($0))\n" } ?? "    # exchange: no liquidation price\n"
        }
        let held = account.symbols
        if !held.isEmpty { out += "instruments:\n" }
        for symbol in held {
            guard let table = brackets[symbol] else {
                throw MarginWatchError.invalidContent(SourceLocation(file: bracketsFile),
                                                      "no brackets for \(symbol), which the account holds")
            }
            out += "  \(symbol):\n    tiers:\n"
            for b in table.brackets {
                out += "      - {floor: \(decimal(b.floor)), mmr: \(decimal(b.mmr)), cum: \(decimal(b.cum))}\n"
            }
        }
        return out
    }

    /// A number as YAML reads it back exactly: the shortest round-trip digits, never an exponent.
    public static func decimal(_ x: Double) -> String {
        let short = "\(x)"
        if !short.contains("e") {
            return short.hasSuffix(".0") ? String(short.dropLast(2)) : short
        }
        var text = String(format: "%.30f", x)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
