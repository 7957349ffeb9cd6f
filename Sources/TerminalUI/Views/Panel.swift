/// A bordered box over the main screen, centred, clipped to the frame.
enum Panel {
    /// Draws the box and returns the inner rectangle.
    static func open(title: String, width: Int, height: Int, into f: inout Frame) -> Rect {
        let w = min(width, f.width)
        let h = min(height, f.height)
        let x = (f.width - w) / 2
        let y = max(0, (f.height - h) / 2)
        f.fill(Rect(x: x, y: y, width: w, height: h))
        let horizontal = String(repeating: "─", count: max(0, w - 2))
        f.put("┌" + horizontal + "┐", x: x, y: y, style: Style(.accent))
        for row in (y + 1)..<(y + h - 1) {
            f.put("│", x: x, y: row, style: Style(.accent))
            f.put("│", x: x + w - 1, y: row, style: Style(.accent))
        }
        f.put("└" + horizontal + "┘", x: x, y: y + h - 1, style: Style(.accent))
        f.put(" \(title) ", x: x + 2, y: y, style: Style(.accent, bold: true))
        return Rect(x: x + 2, y: y + 1, width: w - 4, height: h - 2)
    }

    /// Writes a line of (text, style) pieces inside `rect` at row `row`.
    @discardableResult
    static func line(_ pieces: [(String, Style)], row: Int, in rect: Rect, into f: inout Frame) -> Int {
        guard row >= 0, row < rect.height else { return rect.x }
        var x = rect.x
        for (text, style) in pieces { x = f.put(text, x: x, y: rect.y + row, style: style, limit: rect.x + rect.width) }
        return x
    }

    /// `text` in at most `lines` lines of `width`, broken between words; `…` ends a text cut short.
    static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 1, lines > 0 else { return [] }
        var out: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count <= width || current.isEmpty {
                current = candidate
            } else {
                out.append(current)
                current = String(word)
            }
        }
        out.append(current)
        // A single word wider than the line is cut with `…` rather than run over.
        out = out.map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
        guard out.count > lines else { return out }
        var kept = Array(out.prefix(lines))
        var last = kept[lines - 1]
        while last.count > width - 2, let space = last.lastIndex(of: " ") { last = String(last[..<space]) }
        kept[lines - 1] = last + " …"
        return kept
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func padLeft(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}
