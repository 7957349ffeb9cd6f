import MarginKit

/// One cell of the screen.
public struct Cell: Sendable, Equatable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", _ style: Style = .normal) {
        self.character = character
        self.style = style
    }
}

/// A rectangle of the screen, in cells.
public struct Rect: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxY: Int { y + height }
}

/// An in-memory screen: every view draws here, tests compare its lines, and only `Screen`
/// copies it to ncurses. Writes outside the frame are clipped, never wrapped.
public struct Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from (x, y) in one style, clipped at `limit` (default: the right edge).
    /// - Returns: the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit ?? width, width)
        var column = x
        var index = text.startIndex
        while index < text.endIndex {
            if column >= end {
                unCut(text, at: index, x: x, lastColumn: column, y: y, style: style)
                break
            }
            let ch = text[index]
            // A control character from a file (a symbol, a tape name) must never reach the terminal.
            if column >= 0 { cells[y * width + column] = Cell(Frame.isControl(ch) ? "?" : ch, style) }
            column += 1
            index = text.index(after: index)
        }
        return column
    }

    /// Text ran out of room at `index`. If that cuts a word holding a digit (`-12,345,67` of
    /// `-12,345,670.00`), the word is taken back whole and `…` says something is missing: a
    /// number on screen is never a shorter, different number.
    private mutating func unCut(_ text: String, at index: String.Index, x: Int, lastColumn: Int, y: Int, style: Style) {
        guard index > text.startIndex, !text[index].isWhitespace else { return }
        var start = text.index(before: index)
        guard !text[start].isWhitespace else { return }
        while start > text.startIndex, !text[text.index(before: start)].isWhitespace { start = text.index(before: start) }
        var stop = index
        while stop < text.endIndex, !text[stop].isWhitespace { stop = text.index(after: stop) }
        guard text[start..<stop].contains(where: \.isNumber) else { return }
        let first = x + text.distance(from: text.startIndex, to: start)
        for column in max(first, 0)..<lastColumn { cells[y * width + column] = Cell(" ", style) }
        if first >= 0, first < lastColumn { cells[y * width + first] = Cell("…", style) }
    }

    @inline(__always)
    static func isControl(_ ch: Character) -> Bool {
        if let a = ch.asciiValue { return a < 0x20 || a == 0x7F }
        return ch.unicodeScalars.contains { PrintableText.isControl($0) }
    }

    /// Writes `text` right-aligned so that it ends just before column `right`.
    public mutating func putRight(_ text: String, right: Int, y: Int, style: Style = .normal) {
        put(text, x: right - text.count, y: y, style: style, limit: right)
    }

    /// Fills a rectangle with one character and style.
    public mutating func fill(_ rect: Rect, _ character: Character = " ", style: Style = .normal) {
        for y in max(rect.y, 0)..<min(rect.maxY, height) {
            for x in max(rect.x, 0)..<min(rect.x + rect.width, width) { cells[y * width + x] = Cell(character, style) }
        }
    }

    /// Restyles a whole row (a selection bar, a banner).
    public mutating func restyle(row y: Int, from x0: Int = 0, to x1: Int? = nil, _ transform: (Style) -> Style) {
        guard y >= 0, y < height else { return }
        for x in max(x0, 0)..<min(x1 ?? width, width) { cells[y * width + x].style = transform(cells[y * width + x].style) }
    }

    /// The text of each row, trailing blanks removed: what tests compare.
    public func lines() -> [String] {
        (0..<height).map { line($0) }
    }

    public func line(_ y: Int) -> String {
        var text = String(cells[(y * width)..<(y * width + width)].map(\.character))
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// The style of the first cell of `needle` on the first row containing it (tests).
    public func style(of needle: String) -> Style? {
        for y in 0..<height {
            let row = (0..<width).map { self[$0, y].character }
            let target = Array(needle)
            guard target.count <= row.count else { continue }
            for x in 0...(row.count - target.count) where Array(row[x..<(x + target.count)]) == target {
                return self[x, y].style
            }
        }
        return nil
    }
}
