import MarginKit

/// Composes the whole screen into a frame: title, account, banner, positions, alert log,
/// feed status, key hints, and the open panel on top.
public enum MainView {
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// From this height the main screen shows the chart under the positions.
    public static let chartMinimumHeight = 40

    /// Rows of the positions table with its header: what it needs, leaving the alert log at
    /// least 5 rows.
    static func tableRows(positions: Int, banner: Bool, height: Int) -> Int {
        let top = banner ? 5 : 4
        return min(max(positions, 1) + 1, max(2, height - 2 - top - 5 - 1))
    }

    public static func render(_ s: MonitorSnapshot, ui: MonitorUIState, savePath: String, width: Int, height: Int,
                              now: Double) -> Frame {
        var f = Frame(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            StatusViews.tooSmall(into: &f)
            return f
        }
        HeaderView.title(s, into: &f, y: 0)
        HeaderView.account(s, hidden: ui.hideMoney, into: &f, y: 1)
        if s.isStale {
            // Old numbers must not look current: the account block is dimmed (the label says STALE).
            for row in 1...3 { f.restyle(row: row) { _ in Style(.dim, bold: false) } }
        }
        var y = 4
        if let banner = s.banner {
            StatusViews.banner(banner, hidden: ui.hideMoney, into: &f, y: y)
            y += 1
        }
        let order = ui.order(of: s.evaluation.positions, now: now)
        let bottom = height - 2
        let tableRows = Self.tableRows(positions: order.count, banner: s.banner != nil, height: height)
        let selected = order.isEmpty ? nil : min(ui.selected, order.count - 1)
        PositionsTable.render(s, order: order, selected: ui.overlay == .none || ui.overlay == .details ? selected : nil,
                              hidden: ui.hideMoney, sortTitle: ui.sort == .portfolio && !ui.sortReversed ? nil
                                : ui.sort.title + (ui.sortReversed ? " ↓" : " ↑"),
                              sortColumn: ui.sort.columnTitle.map { ($0, ui.sortReversed != ui.sort.largestFirst) },
                              into: &f, rect: Rect(x: 0, y: y, width: width, height: tableRows))
        if s.isStale {
            for row in (y + 1)..<(y + tableRows) { f.restyle(row: row) { Style(.dim, reverse: $0.reverse) } }
        }
        y += tableRows + 1
        // A tall terminal uses its empty lower half for the chart; the log keeps the rest.
        if height >= chartMinimumHeight && bottom - y >= 20 {
            let rows = (bottom - y) / 2
            f.put(" CHART  (margin ratio, equity; c: full screen, < > zoom)", x: 0, y: y, style: .heading)
            ChartView.draw(s, span: ChartView.spans[ui.chartSpanIndex(isReplay: s.feed.isReplay)], unicode: ui.unicode, into: &f,
                           rect: Rect(x: 0, y: y + 1, width: width, height: rows - 1))
            y += rows + 1
        }
        AlertLogView.render(s.log, title: "ALERTS  (newest first; a: history)", hidden: ui.hideMoney, into: &f, rect: Rect(x: 0, y: y, width: width, height: bottom - y))
        StatusViews.feed(s, message: ui.message, into: &f, y: height - 2)
        StatusViews.footer(isReplay: s.feed.isReplay, into: &f, y: height - 1)

        switch ui.overlay {
        case .none: break
        case .help: Overlays.help(into: &f)
        case .details:
            if let selected, order.indices.contains(selected) {
                Overlays.details(s.evaluation.positions[order[selected]], s, hidden: ui.hideMoney, into: &f)
            }
        case .editor: EditorView.render(ui.editor, thresholds: s.thresholds, savePath: savePath, into: &f)
        case .stress: Overlays.stress(s, hidden: ui.hideMoney, into: &f)
        case .deposit:
            if let figures = s.deposit { DepositPanel.render(figures, typed: ui.depositText, hidden: ui.hideMoney, into: &f) }
        case .isolation: Overlays.isolation(s, hidden: ui.hideMoney, scroll: ui.panelScroll, into: &f)
        case .history: Overlays.history(s, scroll: ui.historyScroll, hidden: ui.hideMoney, into: &f)
        case .goTo: Overlays.goTo(ui.goToText, into: &f)
        case .chart:
            ChartView.overlay(s, span: ChartView.spans[ui.chartSpanIndex(isReplay: s.feed.isReplay)], unicode: ui.unicode, into: &f)
        }
        return f
    }
}
