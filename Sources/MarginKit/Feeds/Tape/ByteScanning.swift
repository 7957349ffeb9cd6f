import Foundation

/// Byte-level parsing of numbers and times for tape readers: no String allocation per field.
enum ByteScanning {
    /// Exact powers of ten up to 10²², the range where `mantissa / 10ᵏ` is correctly rounded.
    static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// Parses a decimal number such as `42314.0`, `-3`, `0.00002853`, `1e-5`.
    /// - Returns: nil when the bytes are not a number.
    /// - Complexity: O(length); no allocation unless the number has more than 15 significant digits.
    @inline(__always)
    static func double(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = b.count
        guard n > 0 else { return nil }
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            negative = b[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        while i < n, b[i] &- 48 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(b[i] &- 48); if mantissa != 0 { digits += 1 } } else { scale += 1 }
            sawDigit = true
            i += 1
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, b[i] &- 48 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(b[i] &- 48); if mantissa != 0 { digits += 1 }; scale -= 1 }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
                expNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            var expDigits = 0
            while i < n, b[i] &- 48 < 10 {
                if exponent < 10_000 { exponent = exponent * 10 + Int(b[i] &- 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            scale += expNegative ? -exponent : exponent
        }
        guard i == n else { return nil }
        var value: Double
        if digits <= 15 && scale >= -22 && scale <= 22 {
            value = Double(mantissa)
            value = scale < 0 ? value / powersOfTen[-scale] : value * powersOfTen[scale]
        } else {
            value = slowDouble(b) ?? .nan
        }
        return negative ? -value : value
    }

    /// The rare number with more than 15 significant digits: Swift's correctly rounded parser.
    /// The bytes were already checked to be a plain decimal number.
    static func slowDouble(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: b, as: UTF8.self)).map(abs)
    }

    /// Parses an unsigned integer of ASCII digits (at most 18).
    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !b.isEmpty, b.count <= 18 else { return nil }
        var v: Int64 = 0
        for c in b {
            let d = c &- 48
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
        }
        return v
    }

    /// A tape time in epoch ms (see `TimeParser.tape`).
    @inline(__always)
    static func time(_ b: UnsafeBufferPointer<UInt8>) -> Int64? { TimeParser.tape(b) }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
