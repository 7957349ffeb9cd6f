/// The fast path for the native tape format's usual line, `1667962800000,BTCUSDT,20512.3`:
/// one pass over the bytes, no field arrays, the symbol found by its first 16 bytes.
/// Anything unusual returns nil and goes to the general parser, which names the problem.
enum NativeLine {
    @inline(__always)
    static func parse(_ r: UnsafeBufferPointer<UInt8>, fixedSymbol: Int32?, cache: inout SymbolCache,
                      table: SymbolTable) -> Tick? {
        guard let p = r.baseAddress else { return nil }
        let n = r.count
        var i = 0
        // Millisecond times only (12–14 digits); seconds and µs take the general path.
        guard let time = ByteScanning.milliseconds(p, &i, n), i < n, r[i] == 44 else { return nil }
        i += 1
        let symbolStart = i
        while i < n && r[i] != 44 { i += 1 }
        guard i < n, i > symbolStart, !needsTrimming(r[symbolStart], r[i - 1]) else { return nil }
        guard let price = ByteScanning.double(UnsafeBufferPointer(rebasing: r[(i + 1)...])),
              Tick.isPlausiblePrice(price) else { return nil }
        // Named only once the line is good: a bad line's symbol is not one the tape prices.
        let symbol = fixedSymbol ?? cache.id(UnsafeBufferPointer(rebasing: r[symbolStart..<i]), table: table)
        return Tick(time: time, symbol: symbol, price: price)
    }
}

extension NativeLine {
    /// Parses as many whole native lines as it can straight out of the read buffer, writing
    /// their ticks to `out` (uninitialised room for `room` of them); stops at the first line that is not the
    /// usual `ms,SYMBOL,decimal` (the general parser takes that one and names any problem).
    /// - Returns: the bytes and lines consumed (a tick written for each line).
    /// - Complexity: one pass over the bytes; no allocation, no call per field.
    static func scan(_ p: UnsafePointer<UInt8>, count n: Int, fixedSymbol: Int32?, cache: inout SymbolCache,
                     table: SymbolTable, into out: UnsafeMutablePointer<Tick>, room: Int) -> (bytes: Int, lines: Int) {
        var i = 0
        var lines = 0
        ByteScanning.powersOfTen.withUnsafeBufferPointer { pow10 in
            while lines < room {
                var j = i
                guard let time = ByteScanning.milliseconds(p, &j, n), j < n, p[j] == 44 else { return }
                j += 1
                let symbolStart = j
                var key: SymbolCache.Key?
                if j + 16 <= n {
                    // A short symbol and its comma lie in the next 16 bytes: found a word at a
                    // time, and those words are the cache's key.
                    let low = ByteScanning.load(p + j), high = ByteScanning.load(p + j + 8)
                    let comma = firstIndex(of: 44, low, high)
                    if comma > 0, comma < 16, comma < firstIndex(of: 10, low, high) {
                        key = SymbolCache.Key(low: low, high: high, length: comma)
                        j += comma
                    }
                }
                if key == nil {
                    while j < n, p[j] != 44, p[j] != 10 { j += 1 }
                    guard j < n, p[j] == 44, j > symbolStart else { return }
                }
                let symbolEnd = j
                // A name the general parser would trim or unquote is its to read.
                guard !needsTrimming(p[symbolStart], p[symbolEnd - 1]) else { return }
                j += 1
                guard let (mantissa, scale) = ByteScanning.plainDecimal(p, &j, n) else { return }
                if j < n, p[j] == 13 { j += 1 }
                guard j < n, p[j] == 10 else { return }
                let bytes = UnsafeBufferPointer(start: p + symbolStart, count: symbolEnd - symbolStart)
                let symbol = fixedSymbol ?? (key.map { cache.id($0, bytes: bytes, table: table) } ?? cache.id(bytes, table: table))
                // From a signed integer: one conversion instruction (the mantissa has ≤ 15 digits).
                (out + lines).initialize(to: Tick(time: time, symbol: symbol, price: Double(mantissa) / pow10[scale]))
                i = j + 1
                lines += 1
            }
        }
        return (i, lines)
    }
}

extension NativeLine {
    /// Whether a field starting and ending with these bytes has spaces or quotes around it.
    @inline(__always)
    static func needsTrimming(_ first: UInt8, _ last: UInt8) -> Bool {
        first == 32 || last == 32 || first == 34
    }

    /// Where `byte` first occurs in the 16 bytes `low` then `high` (16: nowhere). The zero-byte
    /// test can also flag a byte just above a real match, never one below: the lowest flag is exact.
    @inline(__always)
    static func firstIndex(of byte: UInt8, _ low: UInt64, _ high: UInt64) -> Int {
        let pattern = 0x0101_0101_0101_0101 &* UInt64(byte)
        let inLow = zeroBytes(low ^ pattern)
        if inLow != 0 { return inLow.trailingZeroBitCount >> 3 }
        let inHigh = zeroBytes(high ^ pattern)
        return inHigh != 0 ? 8 + inHigh.trailingZeroBitCount >> 3 : 16
    }

    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }
}

/// One reader's own memory of the symbols it has met, so the shared (locked) `SymbolTable` is
/// asked once per new name, not once per tick: names of up to 16 bytes in a hash table keyed
/// by their bytes as two words and their length, longer names in a dictionary.
struct SymbolCache {
    /// A name of up to 16 bytes as two little-endian words, zero past its length.
    struct Key: Equatable {
        var a: UInt64
        var b: UInt64
        var length: Int

        /// From 16 bytes read at the name's start (the bytes past `length` are masked off).
        @inline(__always)
        init(low: UInt64, high: UInt64, length: Int) {
            a = Self.masked(low, length)
            b = Self.masked(high, length - 8)
            self.length = length
        }

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            a = 0
            b = 0
            length = bytes.count
            for k in 0..<bytes.count {
                if k < 8 { a |= UInt64(bytes[k]) << (8 * UInt64(k)) } else { b |= UInt64(bytes[k]) << (8 * UInt64(k - 8)) }
            }
        }

        /// Where the key starts looking in a table of `count` slots (a power of two): the top
        /// bits of a multiplicative hash of both words and the length.
        @inline(__always)
        func slot(in count: Int) -> Int {
            let mixed = (a ^ (b &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: length)) &* 0xC2B2_AE3D_27D4_EB4F
            return Int(truncatingIfNeeded: mixed >> UInt64(64 - count.trailingZeroBitCount))
        }

        @inline(__always)
        private static func masked(_ word: UInt64, _ count: Int) -> UInt64 {
            count >= 8 ? word : count <= 0 ? 0 : word & ((1 << UInt64(8 * count)) - 1)
        }
    }

    /// Names of up to 16 bytes, by key: open addressing in a power-of-two table kept at most
    /// half full, so a tape of many symbols costs a hash and a compare per tick, not a scan.
    /// Empty until the first name (a cache made only to be swapped in costs nothing).
    private var slots: [Slot] = []
    private var used = 0
    /// Names over 16 bytes.
    private var long: [[UInt8]: Int32] = [:]
    private var lastLong: (bytes: [UInt8], id: Int32)?
    /// Names the table of short names did not hold (each short name misses once).
    private(set) var misses = 0

    private struct Slot {
        var key = Key(low: 0, high: 0, length: 0)
        /// −1: empty.
        var id: Int32 = -1
    }

    @inline(__always)
    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>, table: SymbolTable) -> Int32 {
        guard bytes.count <= 16 else { return longID(bytes, table: table) }
        return id(Key(bytes), bytes: bytes, table: table)
    }

    /// The id of `bytes` (up to 16 of them), whose key the caller has already formed.
    @inline(__always)
    mutating func id(_ key: Key, bytes: UnsafeBufferPointer<UInt8>, table: SymbolTable) -> Int32 {
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            guard !slots.isEmpty else { return nil }
            var i = key.slot(in: slots.count)
            while slots[i].id >= 0 {
                if slots[i].key == key { return slots[i].id }
                i = (i + 1) & (slots.count - 1)
            }
            return nil
        }
        if let found { return found }
        misses += 1
        let id = table.id(bytes: bytes)
        insert(key, id: id)
        return id
    }

    private mutating func insert(_ key: Key, id: Int32) {
        if 2 * (used + 1) > slots.count {
            let old = slots
            slots = [Slot](repeating: Slot(), count: max(64, 2 * old.count))
            used = 0
            for slot in old where slot.id >= 0 { insert(slot.key, id: slot.id) }
        }
        var i = key.slot(in: slots.count)
        while slots[i].id >= 0 { i = (i + 1) & (slots.count - 1) }
        slots[i] = Slot(key: key, id: id)
        used += 1
    }

    /// A name by its text (JSON lines), through the same memory.
    mutating func id(_ name: String, table: SymbolTable) -> Int32 {
        var utf8 = Array(name.utf8)
        return utf8.withUnsafeMutableBufferPointer { id(UnsafeBufferPointer($0), table: table) }
    }

    /// Every id this reader has met.
    var ids: Set<Int32> { Set(long.values).union(slots.lazy.filter { $0.id >= 0 }.map(\.id)) }

    private mutating func longID(_ bytes: UnsafeBufferPointer<UInt8>, table: SymbolTable) -> Int32 {
        // A long name usually repeats: compare with the last one before allocating.
        if let last = lastLong, last.bytes.count == bytes.count, last.bytes.elementsEqual(bytes) { return last.id }
        let key = Array(bytes)
        let id = long[key] ?? table.id(bytes: bytes)
        long[key] = id
        lastLong = (key, id)
        return id
    }
}
