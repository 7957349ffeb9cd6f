import MarginKit

/// The panels that open over the main screen: help, position details, stress, isolated vs
/// cross, the alert history and the go-to prompt. (The threshold editor has its own file.)
enum Overlays {
    static let keys: [(String, String)] = [
        ("q", "quit (Ctrl-C too); the terminal is restored"),
        ("? h", "this help; Esc closes any panel"),
        ("space p", "pause / resume the feed"),
        ("+ -", "faster / slower (simulation and replay)"),
        ("→ ←", "replay: one time step forward / back"),
        ("] [", "replay: seek 5% forward / back"),
        ("g", "replay: go to a time (ISO-8601 or epoch ms)"),
        ("↑ ↓", "select a position (the order holds while you move)"),
        ("enter", "details of the selected position"),
        ("s S", "cycle the sort column / reverse it"),
        ("t", "alert levels: change them live, w saves to the file"),
        ("x", "stress panel: every mark moved at once"),
        ("d", "deposit / withdraw: how much clears the warnings, what-if"),
        ("c < >", "chart of margin ratio and equity over time; zoom"),
        ("i", "isolated vs cross: liquidation and margin in each mode"),
        ("a", "the full alert history (↑↓ PgUp PgDn scroll)"),
        ("$", "hide money amounts (ratios only) for screen sharing"),
        ("b", "bell on new criticals on / off"),
    ]

    static func help(into f: inout Frame) {
        let r = Panel.open(title: "keys", width: 78, height: keys.count + 4, into: &f)
        for (i, (key, what)) in keys.enumerated() {
            Panel.line([(Panel.pad(key, 9), Style(.accent, bold: true)), (what, .normal)], row: i, in: r, into: &f)
        }
        Panel.line([("Margin ratio = equity / MM: healthy above 2, liquidated at 1", .dim)],
                   row: keys.count + 1, in: r, into: &f)
    }

    static func details(_ p: PositionFigures, _ s: MonitorSnapshot, hidden: Bool, into f: inout Frame) {
        let iso = s.isolation?.rows.first { $0.symbol == p.symbol && $0.side == p.spec.side }
        var rows: [(String, String)] = [
            ("size · entry · mark", "\(hidden ? "•••" : NumberFormat.quantity(p.spec.size)) · \(NumberFormat.price(p.spec.entry)) · \(NumberFormat.price(p.mark))"),
            ("mark, recently", sparkline(s.recentMarks[p.symbol] ?? [], unicode: s.unicode)),
            ("leverage · notional", "\(NumberFormat.leverage(p.spec.leverage)) · \(money(p.notional, hidden: hidden))"),
            ("bracket", "mmr \(NumberFormat.percent(p.mmr * 100, decimals: 2)), cum \(money(p.cum, hidden: hidden))"),
            ("maintenance margin", money(p.maintenanceMargin, hidden: hidden)),
            ("initial margin", money(p.initialMargin, hidden: hidden)),
            ("uPnL · ROE", "\(money(p.unrealizedPnl, hidden: hidden, signed: true)) · \(NumberFormat.signedPercent(p.roePct))"),
            ("liquidation, cross", "\(NumberFormat.price(iso?.crossLiquidationPrice)) \(distance(iso?.crossLiquidationPrice, p.mark))"),
            ("liquidation, isolated", "\(NumberFormat.price(iso?.isolatedLiquidationPrice)) \(distance(iso?.isolatedLiquidationPrice, p.mark))"
                + " with \(money(iso?.isolatedMargin ?? 0, hidden: hidden)) margin"),
            ("stop-loss", p.spec.stopLoss.map { "\(NumberFormat.price($0)) \(distance($0, p.mark))" } ?? "none — every position deserves a hard stop"),
            ("share of equity (MM)", NumberFormat.percent(RuleMeasure.positionMMPct(
                maintenanceMargin: p.maintenanceMargin, equity: s.evaluation.account.equity), decimals: 2)),
            ("profit, share of equity", profitShare(p, s)),
            ("without that profit", withoutProfit(p, s)),
            ("one bet with", oneBet(p, s)),
            ("correlation (feed)", correlations(p, s)),
        ]
        if let x = s.exchange[ExchangeRow.key(p.symbol, p.spec.side)] {
            rows.insert(("funding (exchange)", funding(x.funding, p, s, hidden: hidden)), at: 8)
            if let check = x.check { rows.insert(("liquidation, exchange", exchangeLiquidation(check)), at: 8) }
        }
        let r = Panel.open(title: "\(p.symbol) \(p.spec.side.rawValue) · \(p.spec.margin.rawValue)", width: 78,
                           height: rows.count + 5, into: &f)
        for (i, (label, value)) in rows.enumerated() {
            Panel.line([(Panel.pad(label, 24), .dim), (value, .normal)], row: i, in: r, into: &f)
        }
        Panel.line([("Cross holds every other mark still; the account shock moves all of them.", .dim)],
                   row: rows.count + 1, in: r, into: &f)
    }

    /// `+0.0100% · in 3h 12m · pays 12.34`: the rate now, when it is charged, and what this
    /// position would pay (or receive) then.
    static func funding(_ info: FundingInfo?, _ p: PositionFigures, _ s: MonitorSnapshot, hidden: Bool) -> String {
        guard let info else { return "not received yet" }
        let payment = info.payment(notional: p.notional, side: p.spec.side)
        let due = s.feed.time.map { max(0, info.nextFunding - $0) }
        let when = due.map { ms -> String in
            let minutes = (ms + 59_999) / 60_000
            return ms <= 0 ? "due now" : minutes < 60 ? "in \(minutes)m" : "in \(minutes / 60)h \(minutes % 60)m"
        }
            ?? "at " + TimeText.readable(info.nextFunding)
        let verb = payment < 0 ? "pays" : "receives"
        return "\(NumberFormat.signedPercent(info.rate * 100, decimals: 4)) · \(when) · \(verb) \(money(abs(payment), hidden: hidden))"
    }

    /// The exchange's liquidation price, and how far ours is from it (flagged beyond 0.5 %).
    static func exchangeLiquidation(_ c: LiquidationCheck) -> String {
        var text = NumberFormat.price(c.exchange)
        if let diff = c.differenceText { text += " · ours \(diff.replacingOccurrences(of: "(ours ", with: "("))" }
        if let note = c.note { text += " ⚠ " + note }
        return Panel.wrap(text, width: detailsValueWidth, lines: 1).first ?? text
    }

    /// The last marks as a sparkline (`▁▂▃▅▇`; `_.-=^` without UTF-8), with its low and high.
    static func sparkline(_ marks: [Double], unicode: Bool) -> String {
        guard marks.count >= 2, let low = marks.min(), let high = marks.max() else { return "not enough history yet" }
        let levels: [Character] = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["_", ".", "-", "~", "=", "^"]
        let line = String(marks.map { v -> Character in
            high > low ? levels[min(levels.count - 1, Int((v - low) / (high - low) * Double(levels.count - 1) + 0.5))] : levels[0]
        })
        return line + " \(NumberFormat.price(low))\(unicode ? "–" : "-")\(NumberFormat.price(high))"
    }

    /// The width of a details value (the panel less its label column).
    static let detailsValueWidth = 50

    /// The guides' "winner propping up the rest": this position's profit as a share of equity.
    static func profitShare(_ p: PositionFigures, _ s: MonitorSnapshot) -> String {
        guard let share = p.equitySharePct else { return p.spec.margin == .cross ? NumberFormat.none : "isolated: not in cross equity" }
        return NumberFormat.percent(share) + (share > s.thresholds.profitSharePct ? " — props up the rest" : "")
    }

    /// The account if this position's symbol fell back to its entry, for the largest winner.
    static func withoutProfit(_ p: PositionFigures, _ s: MonitorSnapshot) -> String {
        guard let w = s.evaluation.account.largestProfit, w.symbol == p.symbol, w.side == p.spec.side else {
            return p.unrealizedPnl > 0 && p.spec.margin == .cross ? "(shown for the largest winner)" : NumberFormat.none
        }
        return "ratio \(NumberFormat.ratio(w.without.marginRatio)) · free \(NumberFormat.percent(w.without.freeMarginPct))"
            + " · crash \(DepositPanel.shock(w.without))"
    }

    /// The group this position is one bet with, and its combined MM share.
    static func oneBet(_ p: PositionFigures, _ s: MonitorSnapshot) -> String {
        guard p.spec.margin == .cross, let (_, g) = s.group(of: p.symbol) else { return "no correlated group" }
        let others = g.share.group.symbols.filter { $0 != p.symbol }
        let mm = g.share.mmPct.map { "MM \(NumberFormat.percent($0, decimals: 2)) together" } ?? ""
        let tail = " · \(mm) (warn \(NumberFormat.level(s.thresholds.positionMMPctWarn)))"
        return "\(g.letter): \(list(others, width: max(8, detailsValueWidth - 3 - tail.count), separator: ", "))" + tail
    }

    /// This symbol's estimated correlation with every other held cross symbol.
    static func correlations(_ p: PositionFigures, _ s: MonitorSnapshot) -> String {
        guard let c = s.correlations else { return p.spec.margin == .cross ? "no other cross symbol held" : NumberFormat.none }
        let with = c.with(p.symbol)
        guard !with.isEmpty else { return NumberFormat.none }
        if c.samples < c.needed {
            return "estimating: \(c.samples) of \(c.needed) samples (every \(durationText(c.sampleMs)))"
        }
        // As many as fit, strongest first, then `+N more`: never a pair cut in half.
        let sorted = with.sorted { ($0.value ?? -2) > ($1.value ?? -2) }
        return list(sorted.map { "\($0.symbol) \($0.value.map { ($0 >= 0 ? "+" : "") + NumberFormat.grouped($0, decimals: 2) } ?? "—")" },
                    width: detailsValueWidth, separator: " · ")
    }

    /// `1m`, `30s`, `1h`: a sampling interval as the file writes it.
    static func durationText(_ ms: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)] where ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }

    /// Names that fit `width`: as many as fit, then `+N more` — never a name cut in half.
    static func list(_ names: [String], width: Int, none: String = NumberFormat.none, separator: String = " ") -> String {
        guard !names.isEmpty else { return none }
        var shown: [String] = []
        for (i, name) in names.enumerated() {
            let rest = names.count - i - 1
            let candidate = (shown + [name]).joined(separator: separator)
            let tail = rest > 0 ? "\(separator)+\(rest) more" : ""
            if candidate.count + tail.count > width { break }
            shown.append(name)
        }
        let hidden = names.count - shown.count
        return (shown + (hidden > 0 ? ["+\(hidden)\(shown.isEmpty ? "" : " more")"] : [])).joined(separator: separator)
    }

    static func distance(_ price: Double?, _ mark: Double) -> String {
        guard let price else { return "" }
        return "(\(NumberFormat.signedPercent(RuleMeasure.movePct(from: mark, to: price))))"
    }

    static func stress(_ s: MonitorSnapshot, hidden: Bool, into f: inout Frame) {
        guard let report = s.stress else { return }
        let r = Panel.open(title: "stress: every mark moved at once", width: 78, height: report.rows.count + 6, into: &f)
        // Right-aligned columns with a gap between them; a number too wide is compacted, never run together.
        let widths = [7, 12, 12, 8, 17]
        let titles = ["SHOCK", "EQUITY", "MARGIN RATIO", "FREE %", "LIQUIDATED"]
        Panel.line(zip(titles, widths).map { (" " + Panel.padLeft($0, $1), Style(.normal, bold: true)) } + [("  STOPS HIT", Style(.normal, bold: true))],
                   row: 0, in: r, into: &f)
        for (i, row) in report.rows.enumerated() {
            let a = row.evaluation.account
            let shock = NumberFormat.shock(row.shockPct)
            let equity = money(a.equity, hidden: hidden)
            let cells: [(String, Style)] = [
                (CompactNumber.fit(shock, row.shockPct, width: widths[0], plus: true, suffix: "%"), .normal),
                (hidden ? equity : CompactNumber.fit(equity, a.equity, width: widths[1]), .signed(a.equity < 0 ? -1 : 0)),
                (CompactNumber.fit(NumberFormat.ratio(a.marginRatio), a.marginRatio, width: widths[2]),
                 row.liquidated ? Style(.critical, bold: true) : .normal),
                (CompactNumber.fit(NumberFormat.percent(a.freeMarginPctShown), a.freeMarginPctShown, width: widths[3], suffix: "%"), .normal),
                (Self.list((row.liquidated ? ["cross"] : []) + row.isolatedLiquidated.map { "\($0) iso" }, width: widths[4] - 1,
                           none: "no"), row.liquidatedText != "no" ? Style(.critical, bold: true) : .dim),
            ]
            Panel.line(zip(cells, widths).map { (" " + Panel.padLeft($0.0, $1), $0.1) }
                       + [("  " + Self.list(row.stopsHit, width: r.width - widths.reduce(0, +) - widths.count - 2), .normal)],
                       row: i + 1, in: r, into: &f)
        }
        let shock = report.shockSentence
        Panel.line([(shock, Style(.accent, bold: true))], row: report.rows.count + 2, in: r, into: &f)
    }

    /// Position rows the isolated-vs-cross panel shows on a screen `height` tall.
    static func isolationRowsShown(rows: Int, height: Int) -> Int {
        max(1, min(rows + 9, height) - 2 - 7)
    }

    static func isolation(_ s: MonitorSnapshot, hidden: Bool, scroll: Int = 0, into f: inout Frame) {
        guard let c = s.isolation else { return }
        let r = Panel.open(title: "isolated vs cross", width: 78, height: c.rows.count + 9, into: &f)
        // Rows that do not fit scroll (↑↓); the summary below always shows.
        let fit = isolationRowsShown(rows: c.rows.count, height: f.height)
        let first = min(scroll, max(0, c.rows.count - fit))
        let shown = Array(c.rows.enumerated().dropFirst(first).prefix(fit))
        // Fixed columns, each with a gap; a long symbol ends in …, a wide number is compacted.
        let widths = [10, 7, 5, 11, 14, 14, 13]
        Panel.line([("SYMBOL    SIDE   NOW    LIQ CROSS  LIQ ISOLATED  MARGIN CROSS  MARGIN ISOL", Style(.normal, bold: true))],
                   row: 0, in: r, into: &f)
        for (line, (_, row)) in shown.enumerated() {
            let i = line
            let symbol = row.symbol.count > widths[0] - 1 ? String(row.symbol.prefix(widths[0] - 2)) + "…" : row.symbol
            func number(_ text: String, _ value: Double?, _ w: Int) -> String {
                Panel.padLeft(CompactNumber.fit(text, value, width: w - 1), w)
            }
            func amount(_ value: Double, _ w: Int) -> String {
                hidden ? Panel.padLeft(money(value, hidden: true), w) : number(money(value, hidden: false), value, w)
            }
            Panel.line([
                (Panel.pad(symbol, widths[0]), Style(.normal, bold: true)),
                (Panel.pad(row.side.rawValue, widths[1]), Style(row.side == .long ? .gain : .loss)),
                (Panel.pad(row.mode == .cross ? "cross" : "isol", widths[2]), .dim),
                (number(NumberFormat.price(row.crossLiquidationPrice), row.crossLiquidationPrice, widths[3]), .normal),
                (number(NumberFormat.price(row.isolatedLiquidationPrice), row.isolatedLiquidationPrice, widths[4]),
                 row.isolatedIsCloser ? Style(.warn) : .normal),
                (amount(row.crossMargin, widths[5]), .normal),
                (amount(row.isolatedMargin, widths[6]), .normal),
            ], row: i + 1, in: r, into: &f)
        }
        if c.rows.count > fit {
            Panel.line([("\(first + 1)–\(first + shown.count) of \(c.rows.count) · ↑↓ PgUp PgDn scroll", .dim)], row: shown.count + 1, in: r, into: &f)
        }
        let base = shown.count + 2 + (c.rows.count > fit ? 1 : 0)
        Panel.line([("Cross:    ", Style(.accent, bold: true)),
                    ("margin \(money(c.crossCapital, hidden: hidden)); all \(money(c.crossAtRisk, hidden: hidden)) backs every position:", .normal)],
                   row: base, in: r, into: &f)
        Panel.line([("          ", .normal), ("winners prop up losers; one liquidation takes the account.", .normal)],
                   row: base + 1, in: r, into: &f)
        Panel.line([("Isolated: ", Style(.accent, bold: true)),
                    ("locks \(money(c.isolatedCapital, hidden: hidden)); each loses at most its margin,", .normal)],
                   row: base + 2, in: r, into: &f)
        Panel.line([("          ", .normal), (c.closerSentence, .normal)], row: base + 3, in: r, into: &f)
    }

    static func history(_ s: MonitorSnapshot, scroll: Int, hidden: Bool, into f: inout Frame) {
        let r = Panel.open(title: "alert history (\(s.log.count))", width: f.width - 2, height: f.height - 2, into: &f)
        AlertLogView.render(s.log, title: "newest first · ↑↓ PgUp PgDn scroll · Esc closes", hidden: hidden, into: &f, rect: r, scroll: scroll)
    }

    static func goTo(_ text: String, into f: inout Frame) {
        let r = Panel.open(title: "go to time", width: 60, height: 5, into: &f)
        Panel.line([("time: ", .dim), (text + "_", Style(.normal, bold: true))], row: 0, in: r, into: &f)
        Panel.line([("ISO-8601 (2022-11-08T16:00, UTC) or epoch ms; Enter", .dim)], row: 2, in: r, into: &f)
    }
}
