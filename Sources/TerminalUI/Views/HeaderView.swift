import MarginKit

/// The title bar and the account block: equity, PnL, the margin-ratio gauge, margins, free
/// margin, the soft stop, return on margin and the shock to liquidation.
enum HeaderView {
    static func title(_ s: MonitorSnapshot, into f: inout Frame, y: Int) {
        f.fill(Rect(x: 0, y: y, width: f.width, height: 1), style: .title)
        var left = " marginwatch · \(s.portfolioName) · \(s.feed.source)"
        if s.feed.isReplay || s.feed.label.hasPrefix("SIM") { left += " · \(s.feed.speed)" }
        let clock = s.feed.time.map { String(TimeText.readable($0).dropLast(4)) + "Z " } ?? ""
        // The clock always shows; a long source is cut with an ellipsis before it.
        let room = f.width - clock.count - 1
        if left.count > room { left = String(left.prefix(max(0, room - 1))) + "…" }
        f.put(left, x: 0, y: y, style: Style(.title, bold: true, reverse: true))
        f.putRight(clock, right: f.width, y: y, style: .title)
    }

    /// Three lines from `y`.
    static func account(_ s: MonitorSnapshot, hidden: Bool, into f: inout Frame, y: Int) {
        let a = s.evaluation.account
        let base = a.equity - a.unrealizedPnl
        let pnlPct = base == 0 ? nil : 100 * a.unrealizedPnl / base
        var x = f.put(" Equity ", x: 0, y: y, style: .dim)
        x = f.put(money(a.equity, hidden: hidden), x: x, y: y, style: Style(.normal, bold: true))
        x = f.put("  Wallet ", x: x, y: y, style: .dim)
        x = f.put(money(a.wallet, hidden: hidden), x: x, y: y)
        x = f.put("  uPnL ", x: x, y: y, style: .dim)
        x = f.put(money(a.unrealizedPnl, hidden: hidden, signed: true) + " (\(NumberFormat.signedPercent(pnlPct)))",
                  x: x, y: y, style: .signed(a.unrealizedPnl))
        x = f.put("  Total ", x: x, y: y, style: .dim)
        f.put(money(a.totalEquity, hidden: hidden), x: x, y: y)

        // Line 2: the margin ratio, the number that matters most, with its gauge.
        let level = s.marginLevel
        let liquidated = a.isLiquidated
        let gaugeStyle = Style(liquidated ? .critical : level.map(role(of:)) ?? .dim, bold: level == .critical || liquidated)
        x = f.put(" Margin ratio ", x: 0, y: y + 1, style: .dim)
        x = f.put(NumberFormat.ratio(a.marginRatio), x: x, y: y + 1, style: Style(gaugeStyle.role, bold: true))
        x = f.put(" ", x: x, y: y + 1)
        x = gauge(a.marginRatio, width: 14, style: gaugeStyle, into: &f, x: x, y: y + 1)
        let label = liquidated ? "LIQUIDATED" : level.map { $0 == .ok ? "OK" : $0.rawValue.uppercased() } ?? "no cross"
        x = f.put(" " + label, x: x, y: y + 1, style: gaugeStyle)
        x = f.put("  MM ", x: x + 1, y: y + 1, style: .dim)
        x = f.put(money(a.maintenanceMargin, hidden: hidden), x: x, y: y + 1)
        x = f.put("  IM ", x: x, y: y + 1, style: .dim)
        f.put(money(a.initialMargin, hidden: hidden), x: x, y: y + 1)

        // Line 3: dry powder, the soft stop, capital efficiency, the crash that liquidates.
        let freeLevel = a.freeMarginPct.map {
            ThresholdDirection.below.level(of: $0, warn: s.thresholds.freeMarginPct.warn, critical: s.thresholds.freeMarginPct.critical)
        }
        x = f.put(" Free ", x: 0, y: y + 2, style: .dim)
        if !hidden { x = f.put(money(a.freeMargin, hidden: hidden) + " ", x: x, y: y + 2) }
        x = f.put("\(NumberFormat.percent(a.freeMarginPct))", x: x, y: y + 2,
                  style: Style(freeLevel.map(role(of:)) ?? .normal, bold: freeLevel == .critical))
        x = f.put("  Soft stop ", x: x, y: y + 2, style: .dim)
        x = f.put(softStopText(s), x: x, y: y + 2, style: softStopStyle(s))
        x = f.put("  RoM ", x: x, y: y + 2, style: .dim)
        x = f.put(NumberFormat.signedPercent(a.returnOnMarginPct), x: x, y: y + 2, style: .signed(a.returnOnMarginPct))
        x = f.put("  Crash to liq ", x: x, y: y + 2, style: .dim)
        f.put(NumberFormat.signedPercent(a.accountShockPct), x: x, y: y + 2, style: Style(.accent, bold: true))
    }

    /// The aggregate loss still allowed before the soft stop, in points of the baseline.
    static func softStopLoss(_ s: MonitorSnapshot) -> Double? {
        guard let base = s.baseline, base > 0 else { return nil }
        return 100 * (base - s.evaluation.account.totalEquity) / base
    }

    static func softStopText(_ s: MonitorSnapshot) -> String {
        guard let loss = softStopLoss(s) else { return NumberFormat.none }
        let room = s.thresholds.softStopLossPct - loss
        return room <= 0 ? "HIT" : "\(NumberFormat.percent(room)) away"
    }

    static func softStopStyle(_ s: MonitorSnapshot) -> Style {
        guard let loss = softStopLoss(s) else { return .normal }
        let room = s.thresholds.softStopLossPct - loss
        return room <= 0 ? Style(.critical, bold: true) : room < s.thresholds.softStopLossPct / 3 ? Style(.warn) : .normal
    }

    /// A bar from ratio 1 (liquidation, empty) to 4 (full), coloured by level.
    @discardableResult
    static func gauge(_ ratio: Double?, width: Int, style: Style, into f: inout Frame, x: Int, y: Int) -> Int {
        let fraction = ratio.map { min(1, max(0, ($0 - 1) / 3)) } ?? 0
        let filled = Int((fraction * Double(width)).rounded())
        var column = f.put("[", x: x, y: y, style: .dim)
        column = f.put(String(repeating: "█", count: filled), x: column, y: y, style: Style(style.role))
        column = f.put(String(repeating: "░", count: width - filled), x: column, y: y, style: .dim)
        return f.put("]", x: column, y: y, style: .dim)
    }
}
