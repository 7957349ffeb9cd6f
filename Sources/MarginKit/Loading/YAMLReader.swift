import Yams

/// Reads typed values out of a composed YAML tree, turning every problem into a
/// `MarginWatchError.invalidContent` that names file, line, column and field path.
struct YAMLReader {
    /// The largest magnitude a number in a portfolio file may have (see `number`).
    static let largestNumber = 1e15

    /// The file name as the user gave it.
    let file: String

    func location(of node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func error(_ node: Node?, _ message: String) -> MarginWatchError {
        .invalidContent(location(of: node), message)
    }

    /// How a node reads in "(got …)": the scalar's text, or its kind.
    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain && (scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null") {
                return "nothing"
            }
            return scalar.style == .plain ? scalar.string : "the string \"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func mapping(_ node: Node, _ path: String, allowed: [String]) throws -> Fields {
        guard case .mapping(let mapping) = node else {
            throw error(node, "\(path.isEmpty ? "the portfolio" : path) must be a mapping of \(allowed.joined(separator: ", ")) (got \(describe(node)))")
        }
        var fields = Fields(node: node, path: path, pairs: [])
        for (key, value) in mapping {
            guard case .scalar(let k) = key else { throw error(key, "\(path) has a key that is not text") }
            guard allowed.contains(k.string) else {
                let name = path.isEmpty ? k.string : "\(path).\(k.string)"
                let distances = allowed.map { editDistance($0, k.string) }
                let best = distances.min() ?? 0
                let near = zip(allowed, distances).filter { $0.1 == best && best <= 2 }.map(\.0)
                let hint = near.isEmpty ? "" : "did you mean \(near.joined(separator: " or "))? "
                throw error(key, "\(name) is not a known field (\(hint)expected one of: \(allowed.joined(separator: ", ")))")
            }
            fields.pairs.append((k.string, value))
        }
        return fields
    }

    /// A mapping whose keys are names the user chooses (symbols): returns them in file order.
    func namedMapping(_ node: Node, _ path: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(node, "\(path) must be a mapping by symbol (got \(describe(node)))")
        }
        return try mapping.map { key, value in
            guard case .scalar(let k) = key, !k.string.isEmpty else {
                throw error(key, "\(path) has a key that is not a symbol")
            }
            try requirePrintable(k.string, key, "\(path) key")
            return (k.string, key, value)
        }
    }

    func sequence(_ node: Node, _ path: String) throws -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw error(node, "\(path) must be a list (got \(describe(node)))")
        }
        return Array(sequence)
    }

    func number(_ node: Node, _ path: String) throws -> Double {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            throw error(node, "\(path) must be a number (got \(describe(node)))")
        }
        let text = scalar.string
        let lowered = text.lowercased()
        if [".nan", ".inf", "+.inf", "-.inf", "nan", "inf", "+inf", "-inf", "infinity", "-infinity"].contains(lowered) {
            throw error(node, "\(path) must be a finite number (got \(text))")
        }
        guard let value = CommandLineValues.decimal(text) else {
            throw error(node, "\(path) must be a number (got \(describe(node)))")
        }
        guard value.isFinite else { throw error(node, "\(path) must be a finite number (got \(text))") }
        // Beyond a quadrillion, prices × sizes leave the numbers a double holds exactly enough.
        guard abs(value) <= Self.largestNumber else {
            throw error(node, "\(path) must be at most 1e15 in size (got \(text))")
        }
        return value
    }

    func text(_ node: Node, _ path: String) throws -> String {
        guard case .scalar(let scalar) = node, describe(node) != "nothing" else {
            throw error(node, "\(path) must be text (got \(describe(node)))")
        }
        return scalar.string
    }

    /// A name (a symbol, an asset): text without control characters or spaces.
    func name(_ node: Node, _ path: String) throws -> String {
        let value = try text(node, path)
        try requirePrintable(value, node, path)
        return value
    }

    /// Names (symbols, assets) are printed in tables and on the screen: a control character or
    /// white space, which a YAML escape like "\x1b" can put there, would drive the terminal.
    func requirePrintable(_ name: String, _ node: Node, _ path: String) throws {
        if name.unicodeScalars.contains(where: { PrintableText.isControl($0) || $0.properties.isWhitespace }) {
            throw error(node, "\(path) must be a name without control characters or spaces (got \"\(PrintableText.escaped(name))\")")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, as: T.Type) throws -> T
    where T.RawValue == String {
        let value = try text(node, path)
        guard let result = T(rawValue: value) else {
            let options = T.allCases.map(\.rawValue).joined(separator: " or ")
            throw error(node, "\(path) must be \(options) (got \(value))")
        }
        return result
    }

    /// A number that must satisfy `check`; `rule` completes "PATH must be …".
    func number(_ node: Node, _ path: String, _ rule: String, _ check: (Double) -> Bool) throws -> Double {
        let value = try number(node, path)
        guard check(value) else { throw error(node, "\(path) must be \(rule) (got \(format(value)))") }
        return value
    }

    func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Levenshtein distance, for "did you mean" on a mistyped key.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}

/// The fields of one mapping, already checked against the allowed keys.
struct Fields {
    let node: Node
    let path: String
    var pairs: [(String, Node)]

    subscript(key: String) -> Node? { pairs.first { $0.0 == key }?.1 }

    /// The full path of a field of this mapping.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
