/// The numbers of the usual tape rows, read in place from a position in the read buffer: what
/// the native line and the kline row fast paths share. Each leaves `k` on the byte after what it
/// read, and gives nil for anything else (the general parser then takes the row; `k` is then
/// not to be used).
extension ByteScanning {
    /// Epoch milliseconds written as 12–14 ASCII digits (as `TimeParser.tape` reads them). With
    /// 16 bytes to load, the first 8 digits and the rest are each taken in one word.
    @inline(__always)
    static func milliseconds(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ n: Int) -> Int64? {
        let start = k
        var v: Int64 = 0
        if k + 8 <= n, let eight = eightDigits(p + k) {
            if k + 16 <= n {
                let rest = load(p + k + 8)
                let count = leadingDigitCount(rest)
                // 4–6 more digits make 12–14 (7 or 8 more are too many: the loop below says so).
                if count >= 4 && count <= 6 {
                    k += 8 + count
                    return Int64(eight) &* Int64(powerOfTen(count)) &+ Int64(digits(rest, count: count))
                }
            }
            v = Int64(eight)
            k += 8
        }
        while k < n, p[k] &- 48 < 10 {
            v = v &* 10 &+ Int64(p[k] &- 48)
            k += 1
        }
        return k - start >= 12 && k - start <= 14 ? v : nil
    }

    /// A plain positive decimal — digits, optionally a point and digits, 1 to 15 of them in all,
    /// not zero — as its mantissa and its count of decimals: mantissa / 10^scale is the value
    /// `double` gives (correctly rounded at this size). With 16 bytes to load and fewer than 8
    /// digits on each side of the point, each side is taken in one word.
    @inline(__always)
    static func plainDecimal(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ n: Int) -> (mantissa: Int64, scale: Int)? {
        if k + 16 <= n {
            let whole = load(p + k)
            let wholeCount = leadingDigitCount(whole)
            if wholeCount < 8 {
                let integer = Int64(digits(whole, count: wholeCount))
                if p[k + wholeCount] != 46 {
                    guard wholeCount > 0, integer > 0 else { return nil }
                    k += wholeCount
                    return (integer, 0)
                }
                // The point is at most byte 7: the fraction's first 8 bytes are in the 16 loaded.
                let fraction = load(p + k + wholeCount + 1)
                let scale = leadingDigitCount(fraction)
                if scale < 8 {
                    let mantissa = integer &* Int64(powerOfTen(scale)) &+ Int64(digits(fraction, count: scale))
                    guard wholeCount + scale > 0, mantissa > 0 else { return nil }
                    k += wholeCount + 1 + scale
                    return (mantissa, scale)
                }
            }
        }
        var mantissa: Int64 = 0
        var digitCount = 0
        var scale = 0
        while k < n, p[k] &- 48 < 10 {
            mantissa = mantissa &* 10 &+ Int64(p[k] &- 48)
            digitCount += 1
            k += 1
        }
        if k < n, p[k] == 46 {
            k += 1
            while k < n, p[k] &- 48 < 10 {
                mantissa = mantissa &* 10 &+ Int64(p[k] &- 48)
                digitCount += 1
                scale += 1
                k += 1
            }
        }
        return digitCount > 0 && digitCount <= 15 && mantissa > 0 ? (mantissa, scale) : nil
    }

    /// 8 bytes from `p`, the first in the low byte.
    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// How many of the word's bytes, from its first, are ASCII digits (0–8).
    @inline(__always)
    static func leadingDigitCount(_ word: UInt64) -> Int {
        // Per byte: x = byte − '0' as bits; not a digit when x > 9, i.e. when the low 7 bits
        // plus 0x76 reach bit 7, or bit 7 was already set. No carry crosses a byte.
        let x = word ^ 0x3030_3030_3030_3030
        let notDigit = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
        return notDigit.trailingZeroBitCount >> 3
    }

    /// The number the first `count` bytes of `word` spell, all of them digits (count 0–7).
    @inline(__always)
    static func digits(_ word: UInt64, count: Int) -> UInt64 {
        guard count > 0 else { return 0 }
        // The digits moved to the top of the word behind '0's: the same number in 8 digits.
        let shift = UInt64(8 &* (8 &- count))
        return combineEight((word &<< shift) | (0x3030_3030_3030_3030 &>> (64 &- shift)))
    }

    /// 10^n for the digit counts of a word (worked out, not looked up: no global table to reach
    /// from the scan's inner loop).
    @inline(__always)
    static func powerOfTen(_ n: Int) -> UInt64 {
        var r: UInt64 = 1
        for _ in 0..<n { r &*= 10 }
        return r
    }

    /// Eight ASCII digits read as one 64-bit word and combined in three multiplications
    /// (the SWAR method of simdjson's `parse_eight_digits_unrolled`); nil when any is not a digit.
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        let word = load(p)
        return leadingDigitCount(word) == 8 ? combineEight(word) : nil
    }

    /// The number eight ASCII digits spell, the first in the low byte (the caller knows they are digits).
    @inline(__always)
    static func combineEight(_ word: UInt64) -> UInt64 {
        var v = word & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* 2_561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }
}
