import Foundation

/// `replay --headless --svg FILE`: the replay as a picture — equity and margin ratio against tape
/// time, the alert levels as lines, and a marker for every alert raised, stop, soft stop and
/// liquidation (each with a tooltip; as many labelled as fit). Plain SVG 1.1, no dependency.
public enum SVGChart {
    static let width = 1_000.0, height = 660.0
    static let left = 90.0, right = 30.0
    static let equityTop = 70.0, equityBottom = 300.0
    static let ratioTop = 350.0, ratioBottom = 580.0

    public static func render(_ series: ChartSeries, thresholds t: AlertThresholds, title: String) -> String {
        let points = series.points
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="28" font-size="14" font-weight="bold">\(escape(title.count > 110 ? String(title.prefix(109)) + "…" : title))</text>

        """
        guard let first = points.first?.time, let last = points.last?.time else {
            return out + "<text x=\"\(left)\" y=\"120\">no time step to draw</text>\n</svg>\n"
        }
        let span = Double(max(1, last - first))
        // Inside the plot whatever the time (a marker on a step merged into the last point).
        func x(_ time: Int64) -> Double { left + min(1, max(0, Double(time - first) / span)) * (width - left - right) }

        // Equity: its own range, with a little room.
        let equities = points.map(\.equity)
        var (eLow, eHigh) = (equities.min() ?? 0, equities.max() ?? 1)
        if eHigh - eLow < 1e-9 { (eLow, eHigh) = (eLow - 1, eHigh + 1) }
        let pad = (eHigh - eLow) * 0.05
        (eLow, eHigh) = (eLow - pad, eHigh + pad)
        func yEquity(_ v: Double) -> Double { equityBottom - (v - eLow) / (eHigh - eLow) * (equityBottom - equityTop) }

        // Margin ratio: from 0 up to a few times the warn level (a ratio of 40 would flatten the
        // part that matters); higher values run along the top edge.
        let ratios = points.compactMap(\.marginRatio)
        let rHigh = max(t.marginRatio.warn * 2, min(ratios.max() ?? t.marginRatio.warn * 2, t.marginRatio.warn * 5))
        func yRatio(_ v: Double) -> Double { ratioBottom - min(max(v, 0), rHigh) / rHigh * (ratioBottom - ratioTop) }

        out += panel(top: equityTop, bottom: equityBottom, name: "equity (cross)", ticks: (0...4).map { eLow + Double($0) / 4 * (eHigh - eLow) },
                     y: yEquity, format: { CompactNumber.fit(NumberFormat.money($0), $0, width: 9) })
        out += panel(top: ratioTop, bottom: ratioBottom, name: "margin ratio", ticks: (0...4).map { Double($0) / 4 * rHigh },
                     y: yRatio, format: { NumberFormat.ratio($0) })
        // The levels: warn, critical, and 1 where the exchange liquidates.
        for (value, colour, name) in [(t.marginRatio.warn, "#e69500", "warn"), (t.marginRatio.critical, "#d62728", "critical"),
                                      (1.0, "#7f0000", "liquidation")] where value <= rHigh {
            let y = yRatio(value)
            out += "<line class=\"level\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"\(colour)\" stroke-dasharray=\"6 4\"/>\n"
            out += "<text x=\"\(f(width - right - 4))\" y=\"\(f(y - 3))\" text-anchor=\"end\" fill=\"\(colour)\">\(name) \(NumberFormat.ratio(value))</text>\n"
        }
        out += polyline(points.map { (x($0.time), yEquity($0.equity)) }, colour: "#1f77b4")
        // The ratio line breaks where the account held no cross position.
        var run: [(Double, Double)] = []
        for p in points {
            if let r = p.marginRatio { run.append((x(p.time), yRatio(r))) } else { out += polyline(run, colour: "#2ca02c"); run = [] }
        }
        out += polyline(run, colour: "#2ca02c")
        // Time axis under the ratio panel.
        for k in 0...5 {
            let time = first + Int64(Double(k) / 5 * span)
            let tx = x(time)
            out += "<line x1=\"\(f(tx))\" y1=\"\(f(ratioBottom))\" x2=\"\(f(tx))\" y2=\"\(f(ratioBottom + 5))\" stroke=\"#333\"/>\n"
            let anchor = k == 0 ? "start" : k == 5 ? "end" : "middle"
            out += "<text x=\"\(f(tx))\" y=\"\(f(ratioBottom + 20))\" text-anchor=\"\(anchor)\">\(escape(String(TimeText.readable(time).prefix(16))))</text>\n"
        }
        out += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(ratioBottom + 42))\" text-anchor=\"middle\">tape time (UTC)</text>\n"
        out += markers(series.markers, x: x)
        return out + "</svg>\n"
    }

    private static func markers(_ markers: [ChartSeries.Marker], x: (Int64) -> Double) -> String {
        var out = ""
        var lastLabelled = -Double.infinity
        for m in markers {
            let colour: String
            switch m.kind {
            case .warn: colour = "#e69500"
            case .critical: colour = "#d62728"
            case .stop: colour = "#9467bd"
            case .softStop: colour = "#8c564b"
            case .liquidation: colour = "#000000"
            }
            let mx = x(m.time)
            let text = "\(m.kind.rawValue): \(m.label) at \(TimeText.readable(m.time))"
            out += "<g class=\"marker\"><title>\(escape(text))</title>"
            out += "<line x1=\"\(f(mx))\" y1=\"\(f(equityTop))\" x2=\"\(f(mx))\" y2=\"\(f(ratioBottom))\" stroke=\"\(colour)\" stroke-opacity=\"0.5\"/>"
            out += "<circle cx=\"\(f(mx))\" cy=\"\(f(equityTop - 6))\" r=\"3\" fill=\"\(colour)\"/>"
            // Labels where they do not overlap; the soft stop and a liquidation always.
            if mx - lastLabelled >= 14 || m.kind == .softStop || m.kind == .liquidation {
                out += "<text transform=\"translate(\(f(mx + 4)),\(f(equityTop + 4))) rotate(90)\" font-size=\"10\" fill=\"\(colour)\">\(escape(m.label))</text>"
                lastLabelled = mx
            }
            out += "</g>\n"
        }
        return out
    }

    private static func panel(top: Double, bottom: Double, name: String, ticks: [Double], y: (Double) -> Double,
                              format: (Double) -> String) -> String {
        var out = "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(bottom - top))\" fill=\"none\" stroke=\"#999\"/>\n"
        out += "<text x=\"\(f(left))\" y=\"\(f(top - 8))\" font-weight=\"bold\">\(escape(name))</text>\n"
        for v in ticks {
            let ty = y(v)
            out += "<line x1=\"\(f(left - 5))\" y1=\"\(f(ty))\" x2=\"\(f(left))\" y2=\"\(f(ty))\" stroke=\"#333\"/>"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(ty + 4))\" text-anchor=\"end\">\(escape(format(v)))</text>\n"
        }
        return out
    }

    private static func polyline(_ points: [(Double, Double)], colour: String) -> String {
        guard points.count >= 2 else {
            return points.first.map { "<circle cx=\"\(f($0.0))\" cy=\"\(f($0.1))\" r=\"1.5\" fill=\"\(colour)\"/>\n" } ?? ""
        }
        return "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\""
            + points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>\n"
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v.isFinite ? v : 0) }

    /// Text as XML character data: `&`, `<`, `>` and quotes escaped; control characters dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: if u.value >= 0x20 && u.value != 0x7F && !(0xFFFE...0xFFFF).contains(u.value) { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
