import Foundation
import Testing
@testable import MarginKit

/// The bad-tape catalogue: each bad record is a counted warning naming file:line (an error with
/// `strict`); each unusable file is an error with the contract's exit code.
@Suite struct BadTapeTests {
    let files: TapeFiles
    init() throws { files = try TapeFiles() }

    static let badLines: [(name: String, line: String, reason: String)] = [
        ("too few columns", "1000,BTCUSDT", "expected 3 columns time,symbol,price (got 2)"),
        ("too many columns", "1000,BTCUSDT,1,2", "expected 3 columns time,symbol,price (got 4)"),
        ("NaN price", "1000,BTCUSDT,NaN", "price is not a positive number (\"NaN\")"),
        ("infinite price", "1000,BTCUSDT,inf", "price is not a positive number (\"inf\")"),
        ("negative price", "1000,BTCUSDT,-5", "price is not a positive number (\"-5\")"),
        ("zero price", "1000,BTCUSDT,0", "price is not a positive number (\"0\")"),
        ("non-numeric price", "1000,BTCUSDT,4a120.5", "price is not a positive number (\"4a120.5\")"),
        ("bad time", "yesterday,BTCUSDT,1", "time is not a time (\"yesterday\")"),
        ("garbage bytes", "\u{01}\u{02}\u{7f}", "expected 3 columns time,symbol,price (got 1)"),
    ]

    @Test(arguments: badLines.map(\.name))
    func aBadLineIsSkippedWithAWarningNamingFileAndLine(name: String) throws {
        let bad = try #require(Self.badLines.first { $0.name == name })
        let path = try files.write("tape.csv", "time,symbol,price\n1000,BTCUSDT,1\n\(bad.line)\n3000,BTCUSDT,3\n")
        let (ticks, reader) = try readAll(path)
        #expect(ticks.map(\.price) == [1, 3])
        #expect(reader.badLines == 1)
        #expect(reader.warnings == ["\(path):3: \(bad.reason) (line skipped)"])
        #expect(throws: MarginWatchError.invalidContent(SourceLocation(file: path, line: 3), bad.reason)) {
            _ = try readAll(path, strict: true)
        }
    }

    @Test func badBytesInTheMiddleOfABinaryFileAreBadLinesNotACrash() throws {
        var bytes = Array("time,symbol,price\n1000,BTCUSDT,1\n".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x2C, 0x2C, 0x0A]
        bytes += Array("2000,BTCUSDT,2\n".utf8)
        let path = try files.write("bin.csv", bytes: bytes)
        let (ticks, reader) = try readAll(path)
        #expect(ticks.count == 2 && reader.badLines == 1)
    }

    @Test func unusableFilesAreErrorsWithTheirExitCodes() throws {
        let empty = try files.write("empty.csv", "")
        let blank = try files.write("blank.csv", "\n\n  \n")
        let headerOnly = try files.write("header.csv", "time,symbol,price\n")
        let garbage = try files.write("garbage.bin", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00])
        let unknown = try files.write("prices.csv", "when,what\n1,2\n")
        let noSymbol = try files.write("candles.json", "[[0,1,2,0.5,1.5,9]]")
        func code(_ path: String) -> Int32? {
            do { _ = try readAll(path); return 0 } catch let e as MarginWatchError { return e.exitCode } catch { return nil }
        }
        #expect(code(empty) == 65)
        #expect(code(blank) == 65)
        #expect(code(headerOnly) == 65)
        #expect(code(garbage) == 65)
        #expect(code(unknown) == 65)
        #expect(code(noSymbol) == 65)
        #expect(code(files.folder.path) == 66)
        #expect(code(files.folder.appendingPathComponent("missing.csv").path) == 66)
    }
}

/// Found by the tape fuzzer ("Too many open files"): a tape refused for its format leaked its
/// file descriptor.
@Suite struct TapeDescriptorTests {
    static func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }

    @Test func refusedTapesCloseTheirFiles() throws {
        let files = try TapeFiles()
        let unknown = try files.write("odd.csv", "a,b\n1,2\n")
        let empty = try files.write("empty.csv", "")
        let noSymbol = try files.write("candles.json", "[[1700000000000,1,2,0.5,1.5,10]]")
        let before = Self.openDescriptors()
        for _ in 0..<300 {
            for path in [unknown, empty, noSymbol] {
                #expect(throws: MarginWatchError.self) { _ = try TapeReader(spec: TapeSpec(path: path), symbols: SymbolTable()) }
            }
        }
        // 900 refusals leaked 900 descriptors; other suites running meanwhile open a few.
        #expect(Self.openDescriptors() < before + 100)
    }
}
