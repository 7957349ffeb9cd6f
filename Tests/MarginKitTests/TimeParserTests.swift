import Testing
@testable import MarginKit

/// One parser reads times in tapes, `--from/--to` and the go-to prompt: every spelling it takes,
/// and every impossible date it refuses.
@Suite struct TimeParserTests {
    static let base: Int64 = 1_704_067_200_000  // 2024-01-01T00:00:00.000Z

    static func tape(_ text: String) -> Int64? { Array(text.utf8).withUnsafeBufferPointer { TimeParser.tape($0) } }

    static let spellings: [(String, Int64)] = [
        ("2024-01-01", base),
        ("2024-01-01T00:00", base),
        ("2024-01-01 00:00:00", base),
        ("2024-01-01t00:00:00", base),
        ("2024-01-01T00:00:00Z", base),
        ("2024-01-01T00:00:00z", base),
        ("2024-01-01T00:00:00.1Z", base + 100),
        ("2024-01-01T00:00:00.12Z", base + 120),
        ("2024-01-01T00:00:00.123Z", base + 123),
        // More than three fraction digits (tardis.dev, ccxt): truncated to the millisecond.
        ("2024-01-01T00:00:00.1234Z", base + 123),
        ("2024-01-01T00:00:00.123456Z", base + 123),
        ("2024-01-01T00:00:00.123999999Z", base + 123),
        ("2024-01-01T00:00:00,5", base + 500),
        ("2024-01-01T02:00:00+02:00", base),
        ("2024-01-01T02:00:00+0200", base),
        ("2024-01-01T02:00:00+02", base),
        ("2023-12-31T19:30:00-04:30", base),
        ("2024-02-29T00:00:00Z", base + 59 * 86_400_000),
    ]

    @Test(arguments: spellings)
    func isoSpellings(_ text: String, _ expected: Int64) {
        #expect(Self.tape(text) == expected, "tape \(text)")
        #expect(TimeParser.argument(text) == expected, "argument \(text)")
    }

    @Test(arguments: [
        "2024-13-01", "2024-00-10", "2023-02-29", "2024-02-30", "2024-04-31", "2024-01-32", "2024-01-00",
        "2024-01-01T25:00", "2024-01-01T24:00", "2024-01-01T10:60", "2024-01-01T10:00:60",
        "2024-01-01T10:00:00.", "2024-01-01T10:00:00Zjunk", "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+02:61",
        "2024-1-1", "24-01-01", "", "yesterday", "2024-01-01T", "2024-01-01T10", "-1667900000",
    ])
    func impossibleOrMalformedTimesAreRefused(_ text: String) {
        #expect(Self.tape(text) == nil, "tape \(text)")
        #expect(TimeParser.argument(text) == nil, "argument \(text)")
    }

    @Test func tapeEpochsAreReadByTheirNumberOfDigits() {
        #expect(Self.tape("1704067200") == Self.base)                   // seconds
        #expect(Self.tape("1704067200.25") == Self.base + 250)          // seconds with a fraction
        #expect(Self.tape("1704067200123") == Self.base + 123)          // milliseconds
        #expect(Self.tape("1704067200123.9") == Self.base + 123)        // a fraction of a ms is dropped
        #expect(Self.tape("1704067200123456") == Self.base + 123)       // microseconds
        #expect(Self.tape("1704067200123456789") == Self.base + 123)    // nanoseconds
        #expect(Self.tape("99999999999999999999") == nil)               // 20 digits: too many
        #expect(Self.tape("1704067200123456.5") == nil)                 // a fraction of a µs is not a time
    }

    /// The contract: on the command line and at the prompt, digits are epoch milliseconds.
    @Test func argumentDigitsAreMilliseconds() {
        #expect(TimeParser.argument("1704067200123") == Self.base + 123)
        #expect(TimeParser.argument("0") == 0)
        #expect(TimeParser.argument("1234567890123456789") == nil)
    }

    @Test func formattedTimesReadBack() {
        for ms in [Int64(0), 1, Self.base + 123, 253_402_300_799_999, -86_400_000] {
            #expect(TimeParser.argument(TimeText.iso(ms)) == ms)
        }
    }

    /// The crash found by a black-box run: a tape line with microsecond ISO times reads.
    @Test func aTapeWithMicrosecondISOTimesReads() throws {
        let files = try TapeFiles()
        let path = try files.write("t.csv", "time,symbol,price\n2024-01-01T00:00:00.123456Z,BTCUSDT,42000.5\n2024-01-01T00:00:01.999999Z,BTCUSDT,42001\n")
        let table = SymbolTable()
        let (ticks, reader) = try readAll(path, table: table)
        #expect(described(ticks, table) == ["\(Self.base + 123) BTCUSDT 42000.5", "\(Self.base + 1_999) BTCUSDT 42001.0"])
        #expect(reader.badLines == 0)
    }
}
