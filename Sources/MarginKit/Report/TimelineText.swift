/// The aligned text timeline of `replay --headless`: one line per event as it happens, then a
/// summary a trader reads at a glance.
public enum TimelineText {
    public static let header = "TIME                     EVENT        LEVEL     SYMBOL     WHAT HAPPENED"

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    public static func line(_ e: SessionEvent) -> String {
        let (kind, level, symbol, text): (String, String, String?, String)
        switch e {
        case .alert(let a):
            kind = a.state == .raised ? "alert" : "cleared"
            level = a.level.rawValue
            symbol = a.symbol
            text = AlertMessages.change(a, .timeline)
        case let .stopLoss(_, s, price, realized):
            (kind, level, symbol) = ("stop-loss", "critical", s)
            text = AlertMessages.stopLoss(symbol: s, price: price, realizedPnl: realized, .timeline)
        case let .softStop(_, loss, closedAll):
            (kind, level, symbol) = ("SOFT STOP", "critical", nil)
            text = AlertMessages.softStop(lossPct: loss, closedAll: closedAll, .timeline)
        case let .liquidation(_, scope, s, equity, mm):
            (kind, level, symbol) = ("LIQUIDATION", "critical", s)
            text = AlertMessages.liquidation(scope: scope, symbol: s, equity: equity, maintenanceMargin: mm, .timeline)
        }
        return pad(TimeText.readable(e.time), 25) + pad(kind, 13) + pad(level.uppercased(), 10)
            + pad(symbol ?? "—", 11) + text
    }

    /// The verdict and the summary figures.
    public static func summary(_ s: SessionSummary) -> String {
        func time(_ t: Int64?) -> String { t.map(TimeText.readable) ?? NumberFormat.none }
        var verdict: String
        if let t = s.liquidationTime {
            verdict = "LIQUIDATED at \(TimeText.readable(t))"
        } else if let t = s.softStopTime {
            verdict = "SOFT STOP reached at \(TimeText.readable(t)); not liquidated"
        } else if !s.stopsHit.isEmpty {
            verdict = "survived; stopped out of \(s.stopsHit.joined(separator: ", "))"
        } else {
            verdict = "survived"
        }
        if let ratio = s.minMarginRatio { verdict += "; lowest margin ratio \(NumberFormat.ratio(ratio))" }
        let change: String
        if let base = s.baselineEquity, let final = s.finalTotalEquity, base != 0 {
            change = "  (\(NumberFormat.signedPercent(100 * (final - base) / base)) vs baseline)"
        } else {
            change = ""
        }
        let rows: [(String, String)] = [
            ("Verdict", verdict),
            ("Ticks applied", NumberFormat.grouped(Double(s.ticks), decimals: 0) + "  (bad lines: \(s.badLines))"),
            ("Tape window", "\(time(s.firstTime)) → \(time(s.lastTime))"),
            ("Baseline equity", s.baselineEquity.map(NumberFormat.money) ?? NumberFormat.none),
            ("Final total equity", (s.finalTotalEquity.map(NumberFormat.money) ?? NumberFormat.none) + change),
            ("Max drawdown", NumberFormat.percent(s.maxDrawdownPct)),
            ("Lowest margin ratio", s.minMarginRatio.map { "\(NumberFormat.ratio($0)) at \(time(s.minMarginRatioTime))" } ?? NumberFormat.none),
            ("First margin warn", time(s.firstWarnTime)),
            ("First margin critical", time(s.firstCriticalTime)),
            ("Stops hit", s.stopsHit.isEmpty ? NumberFormat.none : s.stopsHit.joined(separator: ", ")),
            ("Soft stop", time(s.softStopTime)),
            ("Liquidation", time(s.liquidationTime)),
        ]
        return (["", "SUMMARY"] + rows.map { "  " + pad($0.0, 23) + $0.1 }).joined(separator: "\n") + "\n"
    }
}
