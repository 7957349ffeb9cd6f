import Foundation
@testable import MarginKit

/// Small tape files written by the tests into a fresh temporary folder.
struct TapeFiles {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mw-tapes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes `content` (exactly, no newline added) to `name` and returns its path.
    func write(_ name: String, _ content: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(content.utf8).write(to: url)
        return url.path
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// Every tick of a tape, with the reader for its counters.
func readAll(_ spec: TapeSpec, table: SymbolTable = SymbolTable(), strict: Bool = false) throws -> ([Tick], TapeReader) {
    let reader = try TapeReader(spec: spec, symbols: table, strict: strict)
    var ticks: [Tick] = []
    while let t = try reader.next() { ticks.append(t) }
    return (ticks, reader)
}

func readAll(_ path: String, table: SymbolTable = SymbolTable(), strict: Bool = false) throws -> ([Tick], TapeReader) {
    try readAll(TapeSpec(argument: path), table: table, strict: strict)
}

/// `t` as (time, symbol name, price) for readable expectations.
func described(_ ticks: [Tick], _ table: SymbolTable) -> [String] {
    ticks.map { "\($0.time) \(table.name($0.symbol)) \($0.price)" }
}

/// The real recorded tapes kept in the repository, Tests/Fixtures/tapes (sources: SOURCES.md there).
enum SharedTapes {
    static func path(_ name: String) -> String { Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/tapes/\(name)").path }
}
