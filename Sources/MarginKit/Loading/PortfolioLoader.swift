import Foundation
import Yams

/// A validated portfolio plus what the user should hear about it.
public struct LoadedPortfolio: Sendable {
    public var portfolio: Portfolio
    /// How to name the source in output: the path as given, or `demo`.
    public var source: String
    /// Non-fatal findings, each one line with its place (a stop-loss on the wrong side …).
    public var warnings: [String]
    /// The text it was loaded from, so a save can tell whether the file changed since.
    public var text: String = ""
    /// The symbols the file's own `instruments:` names (they win over the exchange's tables).
    public var fileInstruments: Set<String> = []
}

/// What a portfolio is loaded with besides its file.
public struct PortfolioSources: Sendable {
    /// Bracket tables from the exchange (`--brackets FILE`, `--account binance`).
    public var exchangeInstruments: [String: Instrument] = [:]
    /// The wallet and positions come from the exchange (`--account binance`).
    public var accountFromExchange = false

    public init(exchangeInstruments: [String: Instrument] = [:], accountFromExchange: Bool = false) {
        self.exchangeInstruments = exchangeInstruments
        self.accountFromExchange = accountFromExchange
    }
}

/// Loads portfolio files (YAML; JSON is YAML too) with file:line:column errors.
public enum PortfolioLoader {
    /// Reads and validates the file at `path`.
    /// - Throws: `MarginWatchError.cannotOpen` (exit 66) or `.invalidContent` (exit 65).
    public static func load(path: String, sources: PortfolioSources = PortfolioSources()) throws -> LoadedPortfolio {
        let text = try readText(path: path)
        return try load(text: text, name: path, sources: sources)
    }

    /// The portfolio at `path`, or the built-in demo when there is none (`--portfolio` omitted).
    public static func load(pathOrDemo path: String?) throws -> LoadedPortfolio {
        try path.map { try load(path: $0) } ?? demo()
    }

    /// Validates portfolio text; `name` stands for the file in messages.
    public static func load(text: String, name: String, sources: PortfolioSources = PortfolioSources()) throws -> LoadedPortfolio {
        let root: Node
        // A byte-order mark (Windows editors) is not part of the YAML.
        let yaml = text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
        do {
            guard let composed = try Yams.compose(yaml: yaml, .basic) else {
                throw MarginWatchError.invalidContent(SourceLocation(file: name, line: 1, column: 1),
                                                      "the portfolio is empty (expected account: and positions:)")
            }
            root = composed
        } catch let error as YamlError {
            throw translate(error, text: text, name: name)
        }
        var decoder = PortfolioDecoder(file: name)
        decoder.exchangeInstruments = sources.exchangeInstruments
        decoder.accountFromExchange = sources.accountFromExchange
        let portfolio = try decoder.decode(root)
        return LoadedPortfolio(portfolio: portfolio, source: name, warnings: decoder.warnings, text: text,
                               fileInstruments: decoder.fileInstruments)
    }

    /// The built-in demo portfolio, loaded through the same path as a user's file.
    public static func demo(sources: PortfolioSources = PortfolioSources()) -> LoadedPortfolio {
        do {
            return try load(text: DemoPortfolio.yaml, name: "demo", sources: PortfolioSources(exchangeInstruments: sources.exchangeInstruments))
        } catch {
            // The demo is a constant checked by the test suite; failing here is a build defect.
            preconditionFailure("built-in demo portfolio is invalid: \(error)")
        }
    }

    /// Reads a whole text file, telling a missing file, a directory and binary content apart.
    static func readText(path: String) throws -> String {
        try MarginWatchError.requireFile(path, kind: "file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot open: permission denied or unreadable")
        }
        if let nul = data.firstIndex(of: 0) {
            throw MarginWatchError.invalidContent(position(ofByte: nul - data.startIndex, in: data, name: path),
                                                  "not a text file (a NUL byte; is this a binary file?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let bad = firstInvalidUTF8(data)
            throw MarginWatchError.invalidContent(position(ofByte: bad, in: data, name: path),
                                                  "not UTF-8 text (invalid byte; is this a binary file?)")
        }
        return text
    }

    private static func translate(_ error: YamlError, text: String, name: String) -> MarginWatchError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return .invalidContent(SourceLocation(file: name, line: mark.line, column: mark.column),
                                   "syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let first = context.mark
            let second = duplicates.first.flatMap { secondOccurrence(of: $0, after: first, in: text) }
            let place = second ?? (first.line, first.column)
            return .invalidContent(SourceLocation(file: name, line: place.line, column: place.column),
                                   "duplicate key \(keys) in one mapping"
                                   + (second == nil ? "" : " (first at line \(first.line))"))
        case .reader(let problem, let offset, _, _):
            let data = Data(text.utf8)
            return .invalidContent(position(ofByte: offset ?? 0, in: data, name: name), "unreadable text: \(problem)")
        default:
            return .invalidContent(SourceLocation(file: name), "YAML error: \(error)")
        }
    }

    /// Where a duplicated block-style key appears again: the next line after the first one that
    /// starts the same key at the same column. Yams reports the first; the second is the mistake.
    private static func secondOccurrence(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        for number in (first.line + 1)...max(lines.count, first.line + 1) where number <= lines.count {
            let line = Array(lines[number - 1])
            let leading = line.prefix { $0 == " " || $0 == "-" }.count
            if leading < indent && !line.allSatisfy({ $0 == " " }) && !line.starts(with: Array("#")) { break }
            if line.count > indent, String(line[indent...]).hasPrefix(key + ":") { return (number, first.column) }
        }
        return nil
    }

    /// The line and column (1-based, in characters) of byte `offset`.
    private static func position(ofByte offset: Int, in data: Data, name: String) -> SourceLocation {
        var line = 1
        var lineStart = 0
        for (i, byte) in data.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: data.dropFirst(lineStart).prefix(offset - lineStart), as: UTF8.self).count + 1
        return SourceLocation(file: name, line: line, column: column)
    }

    private static func firstInvalidUTF8(_ data: Data) -> Int {
        var offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
