/// The numbers of the usual tape rows, read in place from a position in the read buffer: what
/// the native line and the kline row fast paths share. Each leaves `k` on the byte after what it
/// read, and gives nil for anything else (the general parser then takes the row).
extension ByteScanning {
    /// Epoch milliseconds written as 12–14 ASCII digits (as `TimeParser.tape` reads them); the
    /// first 8 are taken in one word when there are 8 bytes to load.
    @inline(__always)
    static func milliseconds(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ n: Int) -> Int64? {
        let start = k
        var v: Int64 = 0
        if k + 8 <= n, let eight = eightDigits(p + k) {
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
    /// `double` gives (correctly rounded at this size).
    @inline(__always)
    static func plainDecimal(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ n: Int) -> (mantissa: Int64, scale: Int)? {
        var mantissa: Int64 = 0
        var digits = 0
        var scale = 0
        while k < n, p[k] &- 48 < 10 {
            mantissa = mantissa &* 10 &+ Int64(p[k] &- 48)
            digits += 1
            k += 1
        }
        if k < n, p[k] == 46 {
            k += 1
            while k < n, p[k] &- 48 < 10 {
                mantissa = mantissa &* 10 &+ Int64(p[k] &- 48)
                digits += 1
                scale += 1
                k += 1
            }
        }
        return digits > 0 && digits <= 15 && mantissa > 0 ? (mantissa, scale) : nil
    }

    /// Eight ASCII digits read as one 64-bit word and combined in three multiplications
    /// (the SWAR method of simdjson's `parse_eight_digits_unrolled`); nil when any is not a digit.
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let high = word & 0xF0F0_F0F0_F0F0_F0F0
        let carried = ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4
        guard high | carried == 0x3333_3333_3333_3333 else { return nil }
        var v = word & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* 2_561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }
}
