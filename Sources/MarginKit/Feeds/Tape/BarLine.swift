/// The fast path for a bar CSV's usual row (a Binance kline: `1704067200000,42283.58,…`): one
/// pass over the bytes, the fields the bar needs read in place, the others only counted. A row
/// with anything unusual — a time that is not 12–14 digits of milliseconds, a price that is not a
/// plain positive decimal of at most 15 digits, quotes, spaces, a wrong column count, a close
/// before the open — returns nil and goes to the general parser, which names the problem.
struct BarLine {
    /// What each column holds, by position.
    private enum Role { case ignored, openTime, open, high, low, close, closeTime }
    private let roles: [Role]
    /// The last column the bar reads: the ones after it are only counted.
    private let lastRead: Int
    /// 10ᵏ for the prices' decimals (a copy: the shared table's lazy global costs a check a read).
    private let powersOfTen = ByteScanning.powersOfTen

    /// Nil for a layout without a close time (its bars wait on the next one's open).
    init?(_ c: BarColumns) {
        guard let closeTime = c.closeTime else { return nil }
        var roles = Array(repeating: Role.ignored, count: c.count)
        for (column, role) in [(c.openTime, Role.openTime), (c.open, .open), (c.high, .high), (c.low, .low),
                               (c.close, .close), (closeTime, .closeTime)] {
            guard column >= 0, column < c.count, roles[column] == .ignored else { return nil }
            roles[column] = role
        }
        self.roles = roles
        lastRead = roles.lastIndex { $0 != .ignored } ?? 0
    }

    /// The bar of `r`, or nil for the general parser to take.
    @inline(__always)
    func parse(_ r: UnsafeBufferPointer<UInt8>) -> (t0: Int64, t1: Int64, o: Double, h: Double, l: Double, c: Double)? {
        guard let p = r.baseAddress else { return nil }
        let n = r.count
        var t0: Int64 = -1, t1: Int64 = -1
        var o = 0.0, h = 0.0, l = 0.0, c = 0.0
        var k = 0
        for column in 0...lastRead {
            switch roles[column] {
            case .ignored: while k < n && p[k] != 44 { k += 1 }
            case .openTime: guard let t = ByteScanning.milliseconds(p, &k, n) else { return nil }; t0 = t
            case .closeTime: guard let t = ByteScanning.milliseconds(p, &k, n) else { return nil }; t1 = t
            case .open: guard let v = price(p, &k, n) else { return nil }; o = v
            case .high: guard let v = price(p, &k, n) else { return nil }; h = v
            case .low: guard let v = price(p, &k, n) else { return nil }; l = v
            case .close: guard let v = price(p, &k, n) else { return nil }; c = v
            }
            // Each field ends at its comma, the last one at the end of the row.
            if column == roles.count - 1 {
                guard k == n else { return nil }
            } else {
                guard k < n, p[k] == 44 else { return nil }
                k += 1
            }
        }
        guard t1 >= t0, lastRead == roles.count - 1 || Self.commas(p, from: k, to: n) == roles.count - 2 - lastRead else {
            return nil
        }
        return (t0, t1, o, h, l, c)
    }

    /// The commas in `p[from..<to]`, 8 bytes at a time.
    @inline(__always)
    private static func commas(_ p: UnsafePointer<UInt8>, from: Int, to n: Int) -> Int {
        var count = 0
        var k = from
        while k + 8 <= n {
            count += CSVFields.commaBytes(ByteScanning.load(p + k)).nonzeroBitCount
            k += 8
        }
        while k < n {
            if p[k] == 44 { count += 1 }
            k += 1
        }
        return count
    }

    /// A plain positive decimal (`ByteScanning.plainDecimal`) that is a plausible price.
    @inline(__always)
    private func price(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ n: Int) -> Double? {
        guard let (mantissa, scale) = ByteScanning.plainDecimal(p, &k, n) else { return nil }
        let value = Double(mantissa) / powersOfTen[scale]
        return Tick.isPlausiblePrice(value) ? value : nil
    }
}
