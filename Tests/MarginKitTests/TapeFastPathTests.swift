import Foundation
import Testing
@testable import MarginKit

/// The native tape's word-at-a-time scanning gives what a byte loop gives: the symbol field's
/// end, its cache key, and every tick of a tape whose symbols run from 1 to 20 bytes.
struct NativeLineTests {
    @Test func firstIndexIsTheFirstMatchingByte() {
        var g = SeededGenerator(seed: 41)
        // 0x0B and 0x2D sit one above a newline and a comma: where a zero-byte test flags falsely.
        let alphabet: [UInt8] = Array("AB,\n\r0".utf8) + [0, 0x80, 0xFF, 0x2B, 0x2D, 0x0B]
        for _ in 0..<20_000 {
            let bytes = (0..<16).map { _ in alphabet.randomElement(using: &g)! }
            let (low, high) = bytes.withUnsafeBufferPointer { ($0.baseAddress!).withMemoryRebound(to: UInt8.self, capacity: 16) { p in
                (ByteScanning.load(p), ByteScanning.load(p + 8)) } }
            for target: UInt8 in [44, 10] {
                let expected = bytes.firstIndex(of: target) ?? 16
                #expect(NativeLine.firstIndex(of: target, low, high) == expected, "\(bytes) \(target)")
            }
        }
    }

    @Test func aKeyFromWordsEqualsTheKeyFromBytes() {
        var g = SeededGenerator(seed: 42)
        for _ in 0..<5_000 {
            let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
            let length = Int.random(in: 1...15, using: &g)
            bytes.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                let fromWords = SymbolCache.Key(low: ByteScanning.load(p), high: ByteScanning.load(p + 8), length: length)
                let fromBytes = SymbolCache.Key(UnsafeBufferPointer(rebasing: b[0..<length]))
                #expect(fromWords == fromBytes, "length \(length)")
            }
        }
    }

    @Test func symbolsOfEveryLengthReadBack() throws {
        var g = SeededGenerator(seed: 43)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let names: [String] = (1...20).map { (n: Int) -> String in
            String((0..<n).map { (k: Int) -> Character in letters[(k * 7 + n) % 26] })
        }
        var text = "time,symbol,price\n"
        var expected: [String] = []
        for k in 0..<3_000 {
            let name = names.randomElement(using: &g)!
            let cents = Int.random(in: 1...99_999_999, using: &g)
            let time = 1_700_000_000_000 + Int64(k)
            text += "\(time),\(name),\(cents / 100).\(String(format: "%02d", cents % 100))\n"
            expected.append("\(time) \(name) \(Double(cents) / 100)")
        }
        let table = SymbolTable()
        let (ticks, reader) = try readAll(TapeFiles().write("mixed.csv", text), table: table)
        #expect(described(ticks, table) == expected)
        #expect(reader.badLines == 0)
    }

    /// A reader's cache keeps its ids through growing from 64 slots to thousands of names, for
    /// names that differ only in their last byte, their length or past the eighth byte, whether
    /// keyed from bytes or from the two words the scan loads: each name asks the shared table
    /// once (one miss), every later tick is found in the cache.
    @Test func theSymbolCacheKeepsEveryIdAsItGrows() {
        var g = SeededGenerator(seed: 64)
        let stems = (0..<3_000).map { k -> [UInt8] in
            let stem = Array("S\(k)".utf8)
            let length = Int.random(in: stem.count...16, using: &g)
            return stem + [UInt8](repeating: UInt8(ascii: "X"), count: length - stem.count)
        }
        // The same length and first 8 bytes, apart in the second word only.
        let shared = (0..<200).map { k in Array("AAAAAAAA\(k % 10)\(k / 10 % 10)\(k / 100)".utf8) }
        let names = stems + shared + (0...16).map { [UInt8](repeating: UInt8(ascii: "A"), count: $0) }
        #expect(Set(names).count == names.count)
        let table = SymbolTable()
        var cache = SymbolCache()
        for pass in 0..<4 {
            for name in names.shuffled(using: &g) {
                let padded = name + [UInt8](repeating: UInt8(ascii: ","), count: 16)
                let id = padded.withUnsafeBufferPointer { p in
                    let bytes = UnsafeBufferPointer(rebasing: p[0..<name.count])
                    guard pass % 2 == 1 else { return cache.id(bytes, table: table) }
                    let key = SymbolCache.Key(low: ByteScanning.load(p.baseAddress!), high: ByteScanning.load(p.baseAddress! + 8), length: name.count)
                    return cache.id(key, bytes: bytes, table: table)
                }
                #expect(table.name(id) == String(decoding: name, as: UTF8.self))
            }
        }
        #expect(cache.misses == names.count, "\(cache.misses) misses for \(names.count) names")
        #expect(table.names.count == names.count && cache.ids.count == names.count)
    }
}

/// The word-at-a-time comma search splits any line as the byte loop does.
struct CSVFieldsTests {
    /// The in-place number readers take up to 8 digits a word; they read what a byte loop
    /// reads — value, decimals and where they stop, or nothing — on digit runs of every length
    /// around the words' edges, with points, stray bytes (including the ones just beside '0'
    /// and '9' and with the top bit set), and ends of buffer anywhere.
    @Test func wordAtATimeNumbersEqualTheByteLoop() {
        var g = SeededGenerator(seed: 46)
        let alphabet: [UInt8] = Array("0123456789.,\n".utf8) + [0x2F, 0x3A, 0xB0, 0xB9, 0x80, 0xFF, 0]
        for _ in 0..<60_000 {
            var bytes: [UInt8] = []
            // Runs of digits of every length 0–17, then points and others.
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                bytes += (0..<Int.random(in: 0...17, using: &g)).map { _ in UInt8(48 + Int.random(in: 0...9, using: &g)) }
                bytes.append(alphabet.randomElement(using: &g)!)
            }
            let n = Int.random(in: 0...bytes.count, using: &g)  // the buffer may end anywhere
            bytes.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                var k1 = 0, k2 = 0
                let decimal = ByteScanning.plainDecimal(p, &k1, n)
                let reference = Self.referenceDecimal(Array(b[0..<n]), &k2)
                #expect(decimal.map { [$0.mantissa, Int64($0.scale)] } == reference.map { [$0.mantissa, Int64($0.scale)] }, "\(bytes) n \(n)")
                if decimal != nil { #expect(k1 == k2, "\(bytes) n \(n)") }
                var k3 = 0, k4 = 0
                let ms = ByteScanning.milliseconds(p, &k3, n)
                let referenceMs = Self.referenceMilliseconds(Array(b[0..<n]), &k4)
                #expect(ms == referenceMs, "\(bytes) n \(n)")
                if ms != nil { #expect(k3 == k4, "\(bytes) n \(n)") }
            }
        }
    }

    /// Digits, optionally a point and digits, 1–15 digits in all, not zero.
    static func referenceDecimal(_ b: [UInt8], _ k: inout Int) -> (mantissa: Int64, scale: Int)? {
        var mantissa: Int64 = 0, digits = 0, scale = 0
        while k < b.count, (48...57).contains(b[k]), digits < 18 { mantissa = mantissa * 10 + Int64(b[k] - 48); digits += 1; k += 1 }
        if k < b.count, b[k] == 46 {
            k += 1
            while k < b.count, (48...57).contains(b[k]), digits < 18 { mantissa = mantissa * 10 + Int64(b[k] - 48); digits += 1; scale += 1; k += 1 }
        }
        return digits > 0 && digits <= 15 && mantissa > 0 ? (mantissa, scale) : nil
    }

    /// 12–14 digits.
    static func referenceMilliseconds(_ b: [UInt8], _ k: inout Int) -> Int64? {
        var v: Int64 = 0, digits = 0
        while k < b.count, (48...57).contains(b[k]), digits < 18 { v = v * 10 + Int64(b[k] - 48); digits += 1; k += 1 }
        return digits >= 12 && digits <= 14 ? v : nil
    }

    @Test func wordAtATimeSplitEqualsTheByteLoop() {
        var g = SeededGenerator(seed: 44)
        let alphabet: [UInt8] = Array(",1.a \"".utf8) + [0xAC, 0x2C | 0x80, 0, 0xFF]
        let fields = CSVFields()
        for _ in 0..<5_000 {
            let line = (0..<Int.random(in: 0...40, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
            line.withUnsafeBufferPointer { b in
                fields.split(b)
                let got = (0..<fields.count).map { Array(fields[$0]) }
                // The reference: split at every comma byte, then trim and unquote as `split` does.
                let expected = line.split(separator: 44, omittingEmptySubsequences: false).map { piece -> [UInt8] in
                    var f = Array(piece)
                    while f.first == 32 { f.removeFirst() }
                    while f.last == 32 { f.removeLast() }
                    if f.count >= 2, f.first == 34, f.last == 34 { f = Array(f.dropFirst().dropLast()) }
                    return f
                }
                #expect(got == expected, "\(line)")
            }
        }
    }
}

/// The fast paths give what the general parser gives — the same ticks, bad lines and warnings —
/// on rows that are usual, unusual and broken.
struct FastPathParsingTests {
    static func read(_ path: String, fast: Bool) throws -> (ticks: [String], bad: Int, warnings: [String], seen: [String]) {
        let table = SymbolTable()
        let reader = try TapeReader(spec: TapeSpec(argument: path), symbols: table)
        reader.fastPaths = fast
        var ticks: [Tick] = []
        while try reader.nextBatch(into: &ticks) {}
        return (described(ticks, table), reader.badLines, reader.warnings, reader.symbolsSeen)
    }

    /// Reads `path` both ways and expects the same ticks, bad lines and warnings — over a file
    /// that has both bad lines and at least `minimumTicks` good ticks, or it would prove little.
    static func expectSameReading(_ path: String, minimumTicks: Int) throws {
        let fast = try read(path, fast: true), general = try read(path, fast: false)
        let firstDifference = zip(fast.ticks, general.ticks).first { $0 != $1 }
        #expect(firstDifference == nil, "fast \(firstDifference?.0 ?? "") vs general \(firstDifference?.1 ?? "")")
        #expect(fast.ticks.count == general.ticks.count)
        #expect(fast.bad == general.bad)
        #expect(fast.warnings == general.warnings)
        #expect(fast.seen == general.seen)
        #expect(general.bad > 50 && general.ticks.count > minimumTicks, "the rows must include bad and good ones")
    }

    /// A field as written, or one of the ways a row goes wrong.
    static func mangle(_ field: String, using g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<40, using: &g) {
        case 0: return " \(field)"
        case 1: return "\"\(field)\""
        case 2: return "-\(field)"
        case 3: return field + "5555555555555555"
        case 4: return ""
        case 5: return "0"
        case 6: return field + ".5"
        case 7: return "1e3"
        case 8: return field + "\r"
        case 9: return "+\(field)"
        default: return field
        }
    }

    @Test func barRowsReadAsTheGeneralParserReadsThem() throws {
        var g = SeededGenerator(seed: 45)
        var text = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"
        var time: Int64 = 1_704_067_200_000
        for _ in 0..<4_000 {
            let o = Double(Int.random(in: 1...9_999_999, using: &g)) / 100
            var fields = [String(time), String(o), String(o * 1.01), String(o * 0.99), String(o * 1.001), "12.5",
                          String(time + 59_999), "1000.1", "42", "1.5", "99.9", "0"]
            if Int.random(in: 0..<5, using: &g) == 0 {
                let k = Int.random(in: 0..<fields.count, using: &g)
                fields[k] = Self.mangle(fields[k], using: &g)
            }
            if Int.random(in: 0..<100, using: &g) == 0 { fields.removeLast() }
            if Int.random(in: 0..<100, using: &g) == 0 { fields.append("7") }
            if Int.random(in: 0..<100, using: &g) == 0 { fields[6] = String(time - 1) }
            text += fields.joined(separator: ",") + "\n"
            time += 60_000
        }
        let path = try TapeFiles().write("BTCUSDT-1m-2024-01.csv", text)
        try Self.expectSameReading(path, minimumTicks: 12_000)
    }

    @Test func nativeRowsReadAsTheGeneralParserReadsThem() throws {
        var g = SeededGenerator(seed: 46)
        var text = "time,symbol,price\n"
        var time: Int64 = 1_704_067_200_000
        let symbols = ["BTCUSDT", "ETHUSDT", "X", "AVERYLONGSYMBOLNAMEUSDT", "1000PEPEUSDT"]
        for _ in 0..<4_000 {
            var fields = [String(time), symbols.randomElement(using: &g)!, String(Double(Int.random(in: 1...99_999_999, using: &g)) / 1000)]
            if Int.random(in: 0..<5, using: &g) == 0 {
                let k = Int.random(in: 0..<fields.count, using: &g)
                fields[k] = Self.mangle(fields[k], using: &g)
            }
            text += fields.joined(separator: ",") + "\n"
            time += Int64.random(in: 0...3, using: &g)
        }
        let path = try TapeFiles().write("mixed.csv", text)
        try Self.expectSameReading(path, minimumTicks: 3_000)
    }
}
