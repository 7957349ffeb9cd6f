import MarginKit

/// The positions table: columns that do not fit drop by priority (lowest first), never wrap.
/// Free width goes to columns whose values are wider than their usual width; a number still too
/// wide is compacted with a unit (`-12.35M`), never cut.
enum PositionsTable {
    struct Column: Sendable {
        let title: String
        let width: Int
        /// Lower stays longer.
        let priority: Int
        let left: Bool
        let cell: @Sendable (PositionFigures, MonitorSnapshot, Bool) -> TableCell
    }

    static let columns: [Column] = [
        Column(title: "SYMBOL", width: 9, priority: 0, left: true) { p, _, _ in TableCell(p.symbol, Style(.normal, bold: true)) },
        // The rows of one correlated group (one bet) carry its letter, coloured by its rule's level.
        Column(title: "BET", width: 3, priority: 1, left: true) { p, s, _ in
            guard p.spec.margin == .cross, let (_, g) = s.group(of: p.symbol) else { return TableCell("", .dim) }
            return TableCell(g.letter, Style(g.level == .ok ? .accent : role(of: g.level), bold: true))
        },
        Column(title: "SIDE", width: 5, priority: 1, left: true) { p, _, _ in
            TableCell(p.spec.side.rawValue, Style(p.spec.side == .long ? .gain : .loss))
        },
        Column(title: "MODE", width: 5, priority: 8, left: true) { p, _, _ in
            TableCell(p.spec.margin == .cross ? "cross" : "isol", p.spec.margin == .cross ? .dim : Style(.accent))
        },
        Column(title: "SIZE", width: 10, priority: 9, left: false) { p, _, hidden in
            hidden ? TableCell("•••", .normal) : TableCell(NumberFormat.quantity(p.spec.size), .normal, value: p.spec.size)
        },
        Column(title: "ENTRY", width: 10, priority: 7, left: false) { p, _, _ in
            TableCell(NumberFormat.price(p.spec.entry), .normal, value: p.spec.entry)
        },
        Column(title: "MARK", width: 11, priority: 2, left: false) { p, s, _ in
            let arrow = s.moved[p.symbol].map { $0 ? "▲" : "▼" } ?? " "
            let style = s.moved[p.symbol].map { Style($0 ? .gain : .loss, bold: true) } ?? .normal
            return TableCell(NumberFormat.price(p.mark) + arrow, style, value: p.mark, suffix: arrow)
        },
        Column(title: "NOTIONAL", width: 10, priority: 10, left: false) { p, _, hidden in
            moneyCell(p.notional, hidden: hidden, style: .normal)
        },
        Column(title: "uPnL", width: 10, priority: 4, left: false) { p, _, hidden in
            moneyCell(p.unrealizedPnl, hidden: hidden, signed: true, style: .signed(p.unrealizedPnl))
        },
        Column(title: "ROE", width: 7, priority: 6, left: false) { p, _, _ in
            TableCell(NumberFormat.signedPercent(p.roePct), .signed(p.roePct), value: p.roePct, plus: true, suffix: "%")
        },
        Column(title: "LIQ PRICE", width: 10, priority: 3, left: false) { p, _, _ in
            TableCell(NumberFormat.price(p.liquidationPrice), .normal, value: p.liquidationPrice)
        },
        Column(title: "LIQ DIST", width: 8, priority: 1, left: false) { p, s, _ in
            guard let d = p.liquidationDistancePct else { return TableCell(NumberFormat.none, .dim) }
            if p.isPastLiquidation { return TableCell("PAST", Style(.critical, bold: true)) }
            let level = AlertRule.liquidationDistance.level(of: abs(d), in: s.thresholds)
            return TableCell(NumberFormat.signedPercent(d), Style(role(of: level), bold: level == .critical), value: d, plus: true, suffix: "%")
        },
        Column(title: "LEV", width: 5, priority: 11, left: false) { p, _, _ in
            TableCell(NumberFormat.leverage(p.spec.leverage), .dim, value: p.spec.leverage, suffix: "x")
        },
        Column(title: "MM", width: 10, priority: 12, left: false) { p, _, hidden in
            moneyCell(p.maintenanceMargin, hidden: hidden, style: .normal)
        },
        Column(title: "STOP", width: 10, priority: 5, left: false) { p, _, _ in
            guard let stop = p.spec.stopLoss else { return TableCell("none", Style(.warn)) }
            return TableCell(NumberFormat.price(stop), p.spec.stopCrossed(at: p.mark) ? Style(.critical, bold: true) : .normal, value: stop)
        },
        // Live on an exchange: the funding rate now, red when this position pays it.
        Column(title: "FUNDING", width: 9, priority: 13, left: false) { p, s, _ in
            guard let f = s.funding[p.symbol] else { return TableCell(NumberFormat.none, .dim) }
            let pays = f.payment(notional: p.notional, side: p.spec.side) < 0
            return TableCell(NumberFormat.signedPercent(f.rate * 100, decimals: 4), Style(pays ? .loss : .gain), value: f.rate * 100,
                             plus: true, suffix: "%")
        },
    ]

    static func moneyCell(_ value: Double, hidden: Bool, signed: Bool = false, style: Style) -> TableCell {
        hidden ? TableCell("•••", style) : TableCell(money(value, hidden: false, signed: signed), style, value: value, plus: signed)
    }

    /// The columns that fit in `width`, in display order (the BET column only when some
    /// symbols are one bet, FUNDING only on an exchange feed).
    static func fitting(_ width: Int, groups: Bool = false, funding: Bool = false) -> [Column] {
        var chosen = Set<String>()
        var used = 0
        for c in columns.sorted(by: { $0.priority < $1.priority })
        where (groups || c.title != "BET") && (funding || c.title != "FUNDING") {
            let need = c.width + (chosen.isEmpty ? 1 : 2)
            if used + need <= width {
                chosen.insert(c.title)
                used += need
            }
        }
        return columns.filter { chosen.contains($0.title) }
    }

    /// Draws the header row and the rows of `order` in `rect`, scrolled to keep `selected` visible.
    static func render(_ s: MonitorSnapshot, order: [Int], selected: Int?, hidden: Bool, sortTitle: String?,
                       sortColumn: (title: String, reversed: Bool)? = nil, into f: inout Frame, rect: Rect) {
        guard rect.height > 0 else { return }
        let cols = fitting(rect.width, groups: !s.groups.isEmpty, funding: !s.funding.isEmpty)
        let visible = rect.height - 1
        let top = max(0, min((selected ?? 0) - visible + 1, order.count - visible))
        let shown = visible > 0 ? Array(order.dropFirst(top).prefix(visible)) : []
        let cells = shown.map { index in cols.map { $0.cell(s.evaluation.positions[index], s, hidden) } }
        let widths = widen(cols, cells: cells, width: rect.width, sorted: sortColumn?.title)

        f.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: .tableHeader)
        var x = rect.x + 1
        for (c, w) in zip(cols, widths) {
            // The column the rows are sorted by carries the direction (▲ smallest first).
            let title = sortColumn?.title == c.title ? c.title + (sortColumn?.reversed == true ? "▼" : "▲") : c.title
            if c.left { f.put(title, x: x, y: rect.y, style: .tableHeader) } else {
                f.putRight(title, right: x + w, y: rect.y, style: .tableHeader)
            }
            x += w + 2
        }
        // Where the rows are and how they are sorted go in the header row's free end, or on
        // the blank line under the table — never over a cell (a `1–16 of 29` on the last row
        // once hid a stop-loss).
        var right = rect.x + rect.width
        if visible > 0, order.count > visible {
            let position = " \(top + 1)–\(min(order.count, top + visible)) of \(order.count) "
            if right - position.count > x {
                f.putRight(position, right: right, y: rect.y, style: .tableHeader)
                right -= position.count
            } else {
                f.putRight(position, right: right, y: rect.maxY, style: .dim)
            }
        }
        if let sortTitle, right - x > sortTitle.count + 3 {
            f.putRight("↕ " + sortTitle + " ", right: right, y: rect.y, style: .tableHeader)
        }
        guard visible > 0 else { return }
        if order.isEmpty {
            f.put(" no open positions", x: rect.x, y: rect.y + 1, style: .dim)
            return
        }
        for (row, rowCells) in cells.enumerated() {
            let y = rect.y + 1 + row
            var x = rect.x + 1
            for ((c, w), cell) in zip(zip(cols, widths), rowCells) {
                let text = cell.fitted(w)
                if c.left { f.put(text, x: x, y: y, style: cell.style) } else { f.putRight(text, right: x + w, y: y, style: cell.style) }
                x += w + 2
            }
            if selected == top + row {
                f.restyle(row: y, from: rect.x, to: rect.x + rect.width) { old in
                    Style(old.role, bold: old.bold, reverse: true)
                }
            }
        }
    }

    /// Column widths: each column's usual width, then the width left over handed to the columns
    /// whose values need more, most important first.
    static func widen(_ cols: [Column], cells: [[TableCell]], width: Int, sorted: String? = nil) -> [Int] {
        var widths = cols.map(\.width)
        var free = width - 1 - widths.reduce(0, +) - 2 * max(0, cols.count - 1)
        for i in cols.indices.sorted(by: { cols[$0].priority < cols[$1].priority }) where free > 0 {
            let title = cols[i].title.count + (cols[i].title == sorted ? 1 : 0)  // ▲ or ▼ after it
            let need = max(title, cells.map { $0[i].text.count }.max() ?? 0)
            let grow = min(free, max(0, need - widths[i]))
            widths[i] += grow
            free -= grow
        }
        return widths
    }
}

/// One cell: its text, style, and the number behind it, so a value too wide can be compacted.
struct TableCell {
    var text: String
    var style: Style
    var value: Double?
    var plus = false
    var suffix = ""

    init(_ text: String, _ style: Style, value: Double? = nil, plus: Bool = false, suffix: String = "") {
        self.text = text
        self.style = style
        self.value = value
        self.plus = plus
        self.suffix = suffix
    }

    /// The text for a column `width` wide: as it is, compacted with a unit, or a word cut with `…`.
    func fitted(_ width: Int) -> String {
        guard text.count > width else { return text }
        if value != nil { return CompactNumber.fit(text, value, width: width, plus: plus, suffix: suffix) }
        return String(text.prefix(max(0, width - 1))) + "…"
    }
}
