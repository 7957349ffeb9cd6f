import Foundation

/// Numbers that must fit a width without losing their meaning: never cut, but shortened with a
/// unit (`-12.35M`, `1.23B`, `987.6k`) or, for the very small and very large, an exponent
/// (`1.23e-8`), always with the sign and at least three significant digits.
public enum CompactNumber {
    static let units: [(scale: Double, letter: String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]

    /// `full` when it fits `width`, else the most precise compact spelling of `value` that fits,
    /// else the shortest one (never a cut number: the caller's layout must make room).
    /// - Parameters:
    ///   - plus: show `+` for a positive value (PnL, ROE, shocks).
    ///   - suffix: written after the number (`%`, an arrow).
    public static func fit(_ full: String, _ value: Double?, width: Int, plus: Bool = false, suffix: String = "") -> String {
        guard full.count > width, let value, value.isFinite else { return full }
        let options = candidates(value, plus: plus, suffix: suffix)
        return options.first { $0.count <= width } ?? options.min { $0.count < $1.count } ?? full
    }

    /// Compact spellings of `value`, most precise first.
    public static func candidates(_ value: Double, plus: Bool = false, suffix: String = "") -> [String] {
        let a = abs(value)
        let sign = value < 0 ? "-" : (plus && value > 0 ? "+" : "")
        guard a > 0 else { return ["0" + suffix] }
        var out: [String] = []
        if a >= 999.5 && a < 999.5e12 {
            // The unit that leaves 1 ≤ scaled < 1000 after rounding to three significant digits.
            for (scale, letter) in units where a >= scale * 0.9995 {
                let scaled = a / scale
                guard scaled.rounded(toPlaces: max(0, 2 - digitsBeforePoint(scaled))) < 1000 else { break }
                let minimum = max(0, 3 - digitsBeforePoint(scaled))
                for decimals in stride(from: max(minimum, 2), through: minimum, by: -1) {
                    out.append(sign + NumberFormat.grouped(scaled, decimals: decimals) + letter + suffix)
                }
                break
            }
        } else if a >= 1e-3 && a < 999.5 {
            let minimum = max(0, 2 - Int(a.log10Floor))
            for decimals in stride(from: minimum + 2, through: minimum, by: -1) {
                out.append(sign + NumberFormat.grouped(a, decimals: decimals) + suffix)
            }
        }
        out.append(sign + scientific(a, decimals: 2) + suffix)
        // Last resort for an absurd value in a narrow column: one digit and its exponent.
        out.append(sign + scientific(a, decimals: 0) + suffix)
        return out
    }

    /// `1.23e-8`, `4.56e15`: mantissa with `decimals`, exponent without padding.
    static func scientific(_ a: Double, decimals: Int) -> String {
        var exponent = Int(a.log10Floor)
        var mantissa = a / pow10(exponent)
        if mantissa.rounded(toPlaces: decimals) >= 10 { exponent += 1; mantissa = a / pow10(exponent) }
        return NumberFormat.grouped(mantissa, decimals: decimals) + "e\(exponent)"
    }

    static func digitsBeforePoint(_ x: Double) -> Int { x < 1 ? 1 : Int(x.log10Floor) + 1 }

    /// 10ᵉ, exact for every |e| ≤ 22.
    static func pow10(_ e: Int) -> Double { Foundation.pow(10, Double(e)) }
}

extension Double {
    /// ⌊log₁₀ x⌋ for x > 0, exact at powers of ten.
    var log10Floor: Double {
        var e = Foundation.log10(self).rounded(.down)
        if CompactNumber.pow10(Int(e) + 1) <= self { e += 1 } else if CompactNumber.pow10(Int(e)) > self { e -= 1 }
        return e
    }

    func rounded(toPlaces places: Int) -> Double {
        let scale = CompactNumber.pow10(places)
        return (self * scale).rounded() / scale
    }
}
