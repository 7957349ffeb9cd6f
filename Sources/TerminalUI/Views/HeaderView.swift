import Foundation
import MarginKit

/// The title bar and the account block: equity, PnL, the margin-ratio gauge, margins, free
/// margin, the soft stop, return on margin and the shock to liquidation.
enum HeaderView {
    static func title(_ s: MonitorSnapshot, into f: inout Frame, y: Int) {
        f.fill(Rect(x: 0, y: y, width: f.width, height: 1), style: .title)
        let clock = s.feed.time.map { String(TimeText.readable($0).dropLast(4)) + "Z " } ?? ""
        let room = f.width - clock.count - 1
        func line(_ portfolio: String) -> String {
            var text = " marginwatch · \(portfolio) · \(s.feed.source)"
            if s.feed.isReplay || s.feed.label.hasPrefix("SIM") { text += " · \(s.feed.speed)" }
            return text
        }
        // A long portfolio path gives way to its file name before the source (REPLAY …) is cut.
        var left = line(s.portfolioName)
        if left.count > room { left = line((s.portfolioName as NSString).lastPathComponent) }
        // The clock always shows; a long source is cut with an ellipsis before it.
        if left.count > room { left = String(left.prefix(max(0, room - 1))) + "…" }
        f.put(left, x: 0, y: y, style: Style(.title, bold: true, reverse: true))
        f.putRight(clock, right: f.width, y: y, style: .title)
    }

    /// Three lines from `y`. Each line is a list of label-and-number items: when a line is too
    /// wide, its numbers are compacted with units from the right (`12.35M`), then whole items
    /// drop from the right — a number is never cut.
    static func account(_ s: MonitorSnapshot, hidden: Bool, into f: inout Frame, y: Int) {
        let a = s.evaluation.account
        let bold = Style(.normal, bold: true)
        // Cross uPnL is the part of equity; with isolated positions open, say so and show all of it.
        var line1: [HeaderLine.Item] = [
            .money(" Equity ", a.equity, hidden: hidden, style: bold),
            .money("  Wallet ", a.wallet, hidden: hidden),
            .money(a.hasIsolatedPositions ? "  uPnL cross " : "  uPnL ", a.unrealizedPnl, hidden: hidden, signed: true,
                   style: .signed(a.unrealizedPnl), after: " (\(NumberFormat.signedPercent(a.unrealizedPnlPct)))"),
        ]
        line1.append(.money("  Total ", a.totalEquity, hidden: hidden))
        // Last, so a narrow screen drops it before Total.
        if a.hasIsolatedPositions {
            line1.append(.money("  uPnL all ", a.allUnrealizedPnl, hidden: hidden, signed: true, style: .signed(a.allUnrealizedPnl)))
        }
        HeaderLine.put(line1, into: &f, y: y)

        // Line 2: the margin ratio, the number that matters most, with its gauge.
        let level = s.gaugeLevel
        let liquidated = a.isLiquidated
        let gaugeStyle = Style(liquidated ? .critical : level.map(role(of:)) ?? .dim, bold: level == .critical || liquidated)
        let label = (liquidated ? "LIQUIDATED" : level.map { $0 == .ok ? "OK" : $0.rawValue.uppercased() } ?? "no cross")
            + (s.isStale ? " STALE" : "")
        let ratio = NumberFormat.ratio(a.marginRatio)
        var gauge = Frame(width: 17, height: 1)
        Self.gauge(a.marginRatio, width: 14, style: gaugeStyle, into: &gauge, x: 1, y: 0)
        HeaderLine.put([
            HeaderLine.Item([(" Margin ratio ", .dim), (ratio, Style(gaugeStyle.role, bold: true))],
                            compact: [(" Margin ratio ", .dim), (CompactNumber.fit(ratio, a.marginRatio, width: 6), Style(gaugeStyle.role, bold: true))]),
            HeaderLine.Item(gauge: gauge, label: " " + label, style: gaugeStyle),
            // The exchange's own "Margin Ratio" (MM / equity, liquidated at 100%), so the two agree.
            HeaderLine.Item([("  Binance ", .dim), (NumberFormat.percent(a.binanceMarginRatioPct), .normal)]),
            .money("  MM ", a.maintenanceMargin, hidden: hidden),
            .money("  IM ", a.initialMargin, hidden: hidden),
        ], into: &f, y: y + 1)

        // Line 3: dry powder, the soft stop, capital efficiency, the crash that liquidates.
        let freePct = a.freeMarginPctShown
        let freeLevel = s.freeMarginLevel
        let freeStyle = Style(freeLevel.map(role(of:)) ?? .normal, bold: freeLevel == .critical)
        let freeText = NumberFormat.percent(freePct)
        HeaderLine.put([
            hidden ? HeaderLine.Item([(" Free ", .dim), (freeText, freeStyle)])
                : .money(" Free ", a.freeMargin, hidden: false, after: " ", then: (freeText, freeStyle)),
            HeaderLine.Item([("  Soft stop ", .dim), (softStopText(s), softStopStyle(s))]),
            .percent("  RoM ", a.returnOnMarginPct, style: .signed(a.returnOnMarginPct)),
            a.isLiquidated ? HeaderLine.Item([("  Crash to liq ", .dim), ("already", Style(.critical, bold: true))])
                : .percent("  Crash to liq ", a.accountShockPct, style: Style(.accent, bold: true)),
        ], into: &f, y: y + 2)
    }

    static func softStopText(_ s: MonitorSnapshot) -> String {
        guard let room = s.softStopRoomPct else { return NumberFormat.none }
        return room <= 0 ? "HIT" : "\(NumberFormat.percent(room)) away"
    }

    static func softStopStyle(_ s: MonitorSnapshot) -> Style {
        guard let room = s.softStopRoomPct else { return .normal }
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
