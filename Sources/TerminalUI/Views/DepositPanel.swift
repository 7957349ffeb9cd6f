import MarginKit

/// `d`: how much to add to clear the warnings or may come out without raising one, and what a
/// typed amount would do to the margin ratio, the free margin and the crash that liquidates.
enum DepositPanel {
    /// The typed amount: a plain decimal, negative to withdraw; nil when empty or not a number.
    static func amount(_ text: String) -> Double? {
        let trimmed = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let v = CommandLineValues.decimal(trimmed), v.isFinite, abs(v) <= 1e15 else { return nil }
        return v
    }

    static let height = 17

    static func render(_ figures: DepositPanelFigures, typed: String, hidden: Bool, into f: inout Frame) {
        let r = Panel.open(title: "deposit / withdraw — cross wallet", width: 78, height: height, into: &f)
        let b = figures.buffers
        // To the cent on the safe side, as `snapshot` prints them.
        func deposit(_ v: Double?) -> String { hidden ? "•••" : SnapshotText.depositText(v, unreachable: SnapshotText.noDepositCan) }
        func out(_ v: Double) -> String { hidden ? "•••" : SnapshotText.withdrawalText(v) }
        let rows: [(String, String, Style)] = [
            ("add to clear every warning", deposit(b.depositToClearWarn),
             Style((b.depositToClearWarn ?? 1) > 0 ? .warn : .ok, bold: true)),
            ("add to clear every critical", deposit(b.depositToClearCritical),
             Style((b.depositToClearCritical ?? 1) > 0 ? .critical : .ok, bold: true)),
            ("may take out, no warning", out(b.withdrawableKeepingWarn), Style(.normal, bold: true)),
            ("may take out, exchange limit", out(b.withdrawableExchange), .normal),
        ]
        for (i, (label, value, style)) in rows.enumerated() {
            Panel.line([(Panel.pad(label, 32), .dim), (Panel.padLeft(value, 16), style)], row: i, in: r, into: &f)
        }
        if !b.isolatedBelowWarn.isEmpty {
            Panel.line([("isolated \(Overlays.list(b.isolatedBelowWarn, width: 24)) near liquidation: only its own margin helps", Style(.warn))],
                       row: rows.count, in: r, into: &f)
        }
        let tooLarge = figures.amount == nil && (CommandLineValues.decimal(typed.hasPrefix("+") ? String(typed.dropFirst()) : typed) != nil)
        let hint = figures.amount == nil && !typed.isEmpty ? (tooLarge ? "  too large (at most 1e15)" : "  not a number")
            : "  e.g. 500, or -300 to withdraw"
        Panel.line([("amount: ", .dim), (typed + "_", Style(.accent, bold: true)), (hint, .dim)], row: rows.count + 2, in: r, into: &f)
        Panel.line([(Panel.pad("", 24) + Panel.padLeft("now", 14) + Panel.padLeft("after", 14), Style(.normal, bold: true))],
                   row: rows.count + 3, in: r, into: &f)
        let after = figures.after
        let overdrawn = figures.amount.map { figures.wallet + $0 < 0 } ?? false
        // More than equity − IM: the exchange would refuse it, whatever the wallet holds.
        let beyondExchange = !overdrawn && (figures.amount.map { -$0 > b.withdrawableExchange + 1e-9 } ?? false)
        // Each figure compacted with a unit if it is too wide, never cut.
        func cell(_ w: CrossWhatIf?, _ pick: (CrossWhatIf) -> (String, Double?, String, Bool)) -> String {
            guard let w else { return "" }
            let (text, value, suffix, plus) = pick(w)
            return Panel.padLeft(CompactNumber.fit(text, value, width: 13, plus: plus, suffix: suffix), 14)
        }
        let lines: [(String, (CrossWhatIf) -> (String, Double?, String, Bool))] = [
            ("margin ratio", { (NumberFormat.ratio($0.marginRatio), $0.marginRatio, "", false) }),
            ("free margin", { (NumberFormat.percent($0.freeMarginPct), $0.freeMarginPct, "%", false) }),
            ("crash that liquidates", { (shock($0), $0.liquidated ? nil : $0.accountShockPct, "%", true) }),
            ("cross equity", { (hidden ? "•••" : NumberFormat.money($0.equity), hidden ? nil : $0.equity, "", false) }),
        ]
        for (i, (label, pick)) in lines.enumerated() {
            Panel.line([(Panel.pad(label, 24), .dim), (cell(figures.now, pick), .normal),
                        (cell(after, pick), Style(.accent, bold: true))],
                       row: rows.count + 4 + i, in: r, into: &f)
        }
        let note = overdrawn ? "more than the wallet holds (\(hidden ? "•••" : NumberFormat.money(figures.wallet))) cannot come out"
            : beyondExchange ? "the exchange would refuse it: more than equity − IM (\(out(b.withdrawableExchange)))"
            : "a deposit raises equity and changes no margin; every mark held still"
        Panel.line([(note, overdrawn || beyondExchange ? Style(.warn) : .dim)], row: rows.count + 9, in: r, into: &f)
        Panel.line([("type an amount · Backspace · Esc or d closes", .dim)], row: rows.count + 10, in: r, into: &f)
    }

    /// The uniform move that liquidates, or why there is none.
    static func shock(_ w: CrossWhatIf) -> String {
        if w.liquidated { return "liquidated" }
        return NumberFormat.signedPercent(w.accountShockPct)
    }
}
