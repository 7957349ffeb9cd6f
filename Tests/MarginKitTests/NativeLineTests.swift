import Foundation
import Testing
@testable import MarginKit

/// The native tape's word-at-a-time scanning gives what a byte loop gives: the symbol field's
/// end, its cache key, and every tick of a tape whose symbols run from 1 to 20 bytes.
struct NativeLineTests {
    @Test func firstIndexIsTheFirstMatchingByte() {
        var g = SeededGenerator(seed: 41)
        let alphabet: [UInt8] = Array("AB,\n\r0".utf8) + [0, 0x80, 0xFF, 0x2B, 0x2D]
        for _ in 0..<20_000 {
            let bytes = (0..<16).map { _ in alphabet.randomElement(using: &g)! }
            let (low, high) = bytes.withUnsafeBufferPointer { ($0.baseAddress!).withMemoryRebound(to: UInt8.self, capacity: 16) { p in
                (NativeLine.load(p), NativeLine.load(p + 8)) } }
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
                let fromWords = SymbolCache.Key(low: NativeLine.load(p), high: NativeLine.load(p + 8), length: length)
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
}

/// The word-at-a-time comma search splits any line as the byte loop does.
struct CSVFieldsTests {
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
