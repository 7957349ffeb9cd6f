import Foundation

/// Paths to the repository's test fixtures (Tests/Fixtures, including the recorded tapes in
/// Tests/Fixtures/tapes), found from this source file.
enum Fixtures {
    /// The repository root (…/Tests/MarginKitTests/Support/Fixtures.swift → three levels up).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { repoRoot.appendingPathComponent(relative).path }

    /// One row of Tests/Fixtures/bad-portfolios.tsv: file, exit code, message with FILE for the path.
    struct BadCase: Sendable, CustomStringConvertible {
        let file: String
        let exitCode: Int32
        let message: String
        var description: String { file }
    }

    static let badPortfolios: [BadCase] = {
        guard let text = try? String(contentsOfFile: path("Tests/Fixtures/bad-portfolios.tsv"), encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").compactMap { line in
            let cols = line.split(separator: "\t", maxSplits: 2).map(String.init)
            guard cols.count == 3, let code = Int32(cols[1]) else { return nil }
            return BadCase(file: cols[0], exitCode: code, message: cols[2])
        }
    }()
}
