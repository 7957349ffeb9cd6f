import MarginKit

/// A line of label-and-number items that must fit the screen's width without cutting a number:
/// too wide, and its numbers are compacted with units from the right; still too wide, and whole
/// items drop from the right (the first always stays).
enum HeaderLine {
    struct Item {
        var pieces: [(String, Style)]
        /// The same item with its numbers compacted (nil: nothing to compact).
        var compact: [(String, Style)]?
        /// A small drawing (the margin-ratio gauge) put before the pieces.
        var gauge: Frame?

        init(_ pieces: [(String, Style)], compact: [(String, Style)]? = nil) {
            self.pieces = pieces
            self.compact = compact
        }

        init(gauge: Frame, label: String, style: Style) {
            self.gauge = gauge
            pieces = [(label, style)]
        }

        /// ` Equity 12,345.67`, or `•••` when amounts are hidden; compacts to ` Equity 12.35k`.
        static func money(_ label: String, _ value: Double, hidden: Bool, signed: Bool = false, style: Style = .normal,
                          after: String = "", then extra: (String, Style)? = nil) -> Item {
            let full = TerminalUI.money(value, hidden: hidden, signed: signed)
            var pieces: [(String, Style)] = [(label, .dim), (full + after, style)]
            var compact: [(String, Style)]? = nil
            if !hidden {
                compact = [(label, .dim), (CompactNumber.fit(full, value, width: 7, plus: signed) + after, style)]
            }
            if let extra {
                pieces.append(extra)
                compact?.append(extra)
            }
            return Item(pieces, compact: compact)
        }

        /// `  RoM +12.3%`, compacting to `  RoM +12.3k%` for a huge value.
        static func percent(_ label: String, _ value: Double?, style: Style) -> Item {
            let full = NumberFormat.signedPercent(value)
            return Item([(label, .dim), (full, style)], compact: [(label, .dim), (CompactNumber.fit(full, value, width: 7, plus: true, suffix: "%"), style)])
        }

        var width: Int { (gauge?.width ?? 0) + pieces.reduce(0) { $0 + $1.0.count } }
    }

    static func put(_ items: [Item], into f: inout Frame, y: Int) {
        var items = items
        var index = items.count - 1
        while items.reduce(0, { $0 + $1.width }) > f.width, index >= 0 {
            if let compact = items[index].compact { items[index].pieces = compact }
            index -= 1
        }
        while items.count > 1, items.reduce(0, { $0 + $1.width }) > f.width { items.removeLast() }
        var x = 0
        for item in items {
            if let gauge = item.gauge {
                for i in 0..<gauge.width { f.put(String(gauge[i, 0].character), x: x + i, y: y, style: gauge[i, 0].style) }
                x += gauge.width
            }
            for (text, style) in item.pieces { x = f.put(text, x: x, y: y, style: style) }
        }
    }
}
