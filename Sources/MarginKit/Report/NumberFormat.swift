import Foundation

/// Human number formats shared by every text front end: thousands separators, explicit signs
/// where the sign is the news, `—` for a number that does not exist. Locale-independent so
/// output is the same on every machine.
public enum NumberFormat {
    /// Shown for a null number.
    public static let none = "—"

    /// `12,345.68` (or `-12,345.68`): fixed decimals with thousands separators.
    /// Integer arithmetic, no `String(format:)`: a redraw formats hundreds of numbers.
    public static func grouped(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return none }
        let scale = ByteScanning.powersOfTen[min(max(decimals, 0), 15)]
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return slowGrouped(value, decimals: decimals) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        let fraction = units % Int64(scale)
        var digits = Array(String(whole).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + digits.count / 3 + decimals + 2)
        if value < 0 && units != 0 { out.append(UInt8(ascii: "-")) }
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(d)
        }
        if decimals > 0 {
            out.append(UInt8(ascii: "."))
            digits = Array(String(fraction).utf8)
            for _ in digits.count..<decimals { out.append(UInt8(ascii: "0")) }
            out += digits
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func slowGrouped(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", abs(value))
        let parts = text.split(separator: ".", maxSplits: 1)
        let integer = Array(parts[0])
        var grouped = ""
        for (i, ch) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        if parts.count > 1 { grouped += "." + parts[1] }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Money in USDT: `10,000.00`.
    public static func money(_ value: Double) -> String { grouped(value) }

    /// Money whose sign matters (PnL): `+75.00`, `-937.50`.
    public static func signedMoney(_ value: Double) -> String { signed(grouped(value)) }

    /// A price with the decimals its size needs: `66,500.00`, `3.1416`, `0.15950`.
    public static func price(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        let magnitude = abs(value)
        let decimals: Int
        if magnitude >= 10 || magnitude == 0 {
            decimals = 2
        } else if magnitude >= 1 {
            decimals = 4
        } else {
            decimals = min(10, 4 - Int(floor(log10(magnitude))))
        }
        return grouped(value, decimals: decimals)
    }

    /// A quantity without trailing zeros: `0.15`, `12,500`.
    public static func quantity(_ value: Double) -> String {
        var text = grouped(value, decimals: 8)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A percentage: `35.2%`.
    public static func percent(_ value: Double?, decimals: Int = 1) -> String {
        guard let value, value.isFinite else { return none }
        return grouped(value, decimals: decimals) + "%"
    }

    /// A percentage whose sign matters: `+1.2%`, `-21.3%`.
    public static func signedPercent(_ value: Double?, decimals: Int = 1) -> String {
        guard let value, value.isFinite else { return none }
        return signed(grouped(value, decimals: decimals)) + "%"
    }

    /// An alert level as the user set it: `0.2%`, `30%`, `12.5%` (never rounded to `0%`).
    public static func level(_ value: Double) -> String {
        guard value.isFinite else { return none }
        // Enough decimals for the level's own digits: 0.00001 stays 0.00001, not 0.
        var decimals = 4
        while decimals < 10, value != 0, abs(value) < pow(10, Double(2 - decimals)) { decimals += 1 }
        var text = grouped(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text + "%"
    }

    /// A shock as the user gave it: `-2.5%`, `+30%`, `-99.99%` (never rounded to a neighbour).
    public static func shock(_ value: Double) -> String {
        guard value.isFinite else { return none }
        let text = JSONValue.format(value)
        return (value > 0 ? "+" : "") + text + "%"
    }

    /// A plain ratio: `41.80`.
    public static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        return grouped(value, decimals: 2)
    }

    /// A leverage: `5x`, `12.5x`.
    public static func leverage(_ value: Double) -> String { quantity(value) + "x" }

    private static func signed(_ text: String) -> String {
        text.hasPrefix("-") || Double(text.replacingOccurrences(of: ",", with: "")) == 0 ? text : "+" + text
    }
}
