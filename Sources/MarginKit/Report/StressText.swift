/// The human report of `stress`: one row per shock.
public enum StressText {
    public static func render(_ report: StressReport, source: String) -> String {
        var lines = ["marginwatch stress — \(source)", "",
                     "Every mark moved by the same percentage at once (correlated crash or rally).", ""]
        var table = TextTable(columns: [
            .init("SHOCK"), .init("EQUITY"), .init("UPNL"), .init("MM"), .init("MARGIN RATIO"), .init("FREE MARGIN"),
            .init("TOTAL EQUITY"), .init("ADD FOR NO WARN"), .init("LIQUIDATED", .left), .init("STOPS HIT", .left),
        ])
        for row in report.rows {
            let a = row.evaluation.account
            table.append([
                NumberFormat.shock(row.shockPct), NumberFormat.money(a.equity),
                NumberFormat.signedMoney(a.unrealizedPnl), NumberFormat.money(a.maintenanceMargin),
                NumberFormat.ratio(a.marginRatio), NumberFormat.percent(a.freeMarginPctShown),
                NumberFormat.money(a.totalEquity), SnapshotText.depositText(row.buffers?.depositToClearWarn, unreachable: "none can"),
                row.liquidatedText,
                row.stopsHit.isEmpty ? NumberFormat.none : row.stopsHit.joined(separator: ", "),
            ])
        }
        lines += table.lines().map { "  " + $0 }
        lines.append("")
        lines.append(report.shockSentence)
        if report.rows.contains(where: { $0.buffers != nil }) {
            lines.append("ADD FOR NO WARN: the deposit, made now, after which that shock raises no warning on the cross account.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
