import Yams

/// Byte offsets of lines and columns (columns in Unicode scalars, as Yams counts them).
struct Lines {
    let bytes: [UInt8]
    let starts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var s = [0]
        for (i, b) in bytes.enumerated() where b == 10 { s.append(i + 1) }
        starts = s
    }

    func byte(at offset: Int) -> UInt8? { offset >= 0 && offset < bytes.count ? bytes[offset] : nil }

    /// The byte offset of a 1-based line and column.
    func offset(_ mark: Mark) -> Int? {
        guard mark.line >= 1, mark.line <= starts.count else { return nil }
        var offset = starts[mark.line - 1]
        var column = 1
        while column < mark.column, offset < bytes.count {
            // Step over one UTF-8 scalar.
            let b = bytes[offset]
            offset += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            column += 1
        }
        return offset
    }

    /// The offset just after line `line` (1-based) ends, past its newline.
    func offsetAfterLine(_ line: Int) -> Int {
        line < starts.count ? starts[line] : bytes.count
    }

    /// The length of a quoted scalar starting at `offset` (its quotes included).
    func quotedLength(at offset: Int) -> Int {
        guard let quote = byte(at: offset) else { return 0 }
        var i = offset + 1
        while i < bytes.count {
            if bytes[i] == quote {
                if quote == UInt8(ascii: "'"), byte(at: i + 1) == quote { i += 2; continue }
                return i - offset + 1
            }
            if quote == UInt8(ascii: "\""), bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            i += 1
        }
        return bytes.count - offset
    }

    /// The byte length of a plain scalar spelled `expected` at `offset`; −1 when the text there
    /// is not that spelling (a multi-line plain scalar, say), so the editor refuses instead of guessing.
    func plainLength(at offset: Int, expected: String) -> Int {
        let want = Array(expected.utf8)
        guard offset + want.count <= bytes.count, Array(bytes[offset..<(offset + want.count)]) == want else {
            // An empty plain scalar (`key:` with nothing) has an empty spelling.
            return want.isEmpty ? 0 : -1
        }
        return want.count
    }

    /// The offset of the `}` closing the flow mapping that opens at `offset`.
    func matchingBrace(from offset: Int) -> Int? {
        var depth = 0
        var i = offset
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return i }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                i += quotedLength(at: i) - 1
            case UInt8(ascii: "#") where isCommentStart(i):
                while i < bytes.count, bytes[i] != 10 { i += 1 }
            default: break
            }
            i += 1
        }
        return nil
    }

    /// A YAML comment starts with `#` at a line's start or after a space or tab.
    func isCommentStart(_ offset: Int) -> Bool {
        guard byte(at: offset) == UInt8(ascii: "#") else { return false }
        guard let before = byte(at: offset - 1) else { return true }
        return before == 32 || before == 9 || before == 10 || before == 13
    }

    /// Whether a comment runs through `offset` (scanning its line, quotes respected).
    func inComment(_ offset: Int) -> Bool {
        var i = offset
        while i > 0, bytes[i - 1] != 10 { i -= 1 }
        while i < offset {
            if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                i += quotedLength(at: i)
                continue
            }
            if isCommentStart(i) { return true }
            i += 1
        }
        return false
    }
}
