import MarginKit

/// The positions table: columns that do not fit drop by priority (lowest first), never wrap.
enum PositionsTable {
    struct Column: Sendable {
        let title: String
        let width: Int
        /// Lower stays longer.
        let priority: Int
        let left: Bool
        let cell: @Sendable (PositionFigures, MonitorSnapshot, Bool) -> (String, Style)
    }

    static let columns: [Column] = [
        Column(title: "SYMBOL", width: 9, priority: 0, left: true) { p, _, _ in (p.symbol, Style(.normal, bold: true)) },
        Column(title: "SIDE", width: 5, priority: 1, left: true) { p, _, _ in
            (p.spec.side.rawValue, Style(p.spec.side == .long ? .gain : .loss))
        },
        Column(title: "MODE", width: 5, priority: 8, left: true) { p, _, _ in
            (p.spec.margin == .cross ? "cross" : "isol", p.spec.margin == .cross ? .dim : Style(.accent))
        },
        Column(title: "SIZE", width: 10, priority: 9, left: false) { p, _, hidden in
            (hidden ? "•••" : NumberFormat.quantity(p.spec.size), .normal)
        },
        Column(title: "ENTRY", width: 10, priority: 7, left: false) { p, _, _ in (NumberFormat.price(p.spec.entry), .normal) },
        Column(title: "MARK", width: 11, priority: 2, left: false) { p, s, _ in
            let arrow = s.moved[p.symbol].map { $0 ? "▲" : "▼" } ?? " "
            let style = s.moved[p.symbol].map { Style($0 ? .gain : .loss, bold: true) } ?? .normal
            return (NumberFormat.price(p.mark) + arrow, style)
        },
        Column(title: "NOTIONAL", width: 10, priority: 10, left: false) { p, _, hidden in
            (money(p.notional, hidden: hidden), .normal)
        },
        Column(title: "uPnL", width: 10, priority: 4, left: false) { p, _, hidden in
            (money(p.unrealizedPnl, hidden: hidden, signed: true), .signed(p.unrealizedPnl))
        },
        Column(title: "ROE", width: 7, priority: 6, left: false) { p, _, _ in
            (NumberFormat.signedPercent(p.roePct), .signed(p.roePct))
        },
        Column(title: "LIQ PRICE", width: 10, priority: 3, left: false) { p, _, _ in (NumberFormat.price(p.liquidationPrice), .normal) },
        Column(title: "LIQ DIST", width: 8, priority: 1, left: false) { p, s, _ in
            guard let d = p.liquidationDistancePct else { return (NumberFormat.none, .dim) }
            let t = s.thresholds.liquidationDistancePct
            let level = ThresholdDirection.below.level(of: abs(d), warn: t.warn, critical: t.critical)
            return (NumberFormat.signedPercent(d), Style(role(of: level), bold: level == .critical))
        },
        Column(title: "STOP", width: 10, priority: 5, left: false) { p, _, _ in
            guard let stop = p.spec.stopLoss else { return ("none", Style(.warn)) }
            return (NumberFormat.price(stop), p.spec.stopCrossed(at: p.mark) ? Style(.critical, bold: true) : .normal)
        },
    ]

    /// The columns that fit in `width`, in display order.
    static func fitting(_ width: Int) -> [Column] {
        var chosen = Set<String>()
        var used = 0
        for c in columns.sorted(by: { $0.priority < $1.priority }) {
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
                       into f: inout Frame, rect: Rect) {
        guard rect.height > 0 else { return }
        let cols = fitting(rect.width)
        f.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: .tableHeader)
        var x = rect.x + 1
        for c in cols {
            if c.left { f.put(c.title, x: x, y: rect.y, style: .tableHeader) } else {
                f.putRight(c.title, right: x + c.width, y: rect.y, style: .tableHeader)
            }
            x += c.width + 2
        }
        if let sortTitle, rect.width - (x - rect.x) > sortTitle.count + 3 {
            f.putRight("↕ " + sortTitle + " ", right: rect.x + rect.width, y: rect.y, style: .tableHeader)
        }
        let visible = rect.height - 1
        guard visible > 0 else { return }
        if order.isEmpty {
            f.put(" no open positions", x: rect.x, y: rect.y + 1, style: .dim)
            return
        }
        let top = max(0, min((selected ?? 0) - visible + 1, order.count - visible))
        for (row, index) in order.dropFirst(top).prefix(visible).enumerated() {
            let p = s.evaluation.positions[index]
            let y = rect.y + 1 + row
            var x = rect.x + 1
            for c in cols {
                let (text, style) = c.cell(p, s, hidden)
                let clipped = String(text.prefix(c.width))
                if c.left { f.put(clipped, x: x, y: y, style: style) } else { f.putRight(clipped, right: x + c.width, y: y, style: style) }
                x += c.width + 2
            }
            if selected == top + row {
                f.restyle(row: y, from: rect.x, to: rect.x + rect.width) { old in
                    Style(old.role, bold: old.bold, reverse: true)
                }
            }
        }
        if order.count > visible {
            f.putRight(" \(top + 1)–\(min(order.count, top + visible)) of \(order.count) ", right: rect.x + rect.width,
                       y: rect.y + rect.height - 1, style: .dim)
        }
    }
}
