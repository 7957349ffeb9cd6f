import MarginKit

/// The account over time on the terminal: margin ratio above, equity below, drawn with braille
/// dots (two columns by four rows a cell, as btop and htop draw graphs) or, without UTF-8, one
/// ASCII mark a cell; the warn and critical levels as lines; a letter where each alert, stop,
/// soft stop and liquidation happened.
enum ChartView {
    /// The spans `<` and `>` step through, in ms (nil: everything so far).
    static let spans: [Int64?] = [300_000, 900_000, 3_600_000, 14_400_000, 43_200_000, 86_400_000, 604_800_000, nil]

    static func spanName(_ span: Int64?) -> String {
        guard let span else { return "all so far" }
        return "last " + Overlays.durationText(span)
    }

    /// The chart as a panel over the screen (`c`).
    static func overlay(_ s: MonitorSnapshot, span: Int64?, unicode: Bool, into f: inout Frame) {
        let r = Panel.open(title: "chart — margin ratio and equity, \(spanName(span))", width: f.width, height: f.height - 2, into: &f)
        draw(s, span: span, unicode: unicode, into: &f, rect: Rect(x: r.x, y: r.y, width: r.width, height: r.height - 1))
        Panel.line([("< > zoom · W warn C critical S stop X soft stop L liquidation · Esc closes", .dim)], row: r.height - 1, in: r, into: &f)
    }

    /// The chart in `rect`: two plots sharing a time axis, with the markers' row under each.
    static func draw(_ s: MonitorSnapshot, span: Int64?, unicode: Bool, into f: inout Frame, rect: Rect) {
        guard rect.height >= 8, rect.width >= 30 else { return }
        guard let lastTime = s.chart.points.last?.time else {
            f.put(" no time step yet", x: rect.x, y: rect.y, style: .dim)
            return
        }
        // A span longer than the history shows the history (a chart of one column says nothing).
        let oldest = s.chart.points.first?.time ?? lastTime
        let firstTime = max(oldest, span.map { lastTime - $0 } ?? oldest)
        let points = Array(s.chart.points(since: firstTime))
        let axis = 9
        let plot = Rect(x: rect.x + axis, y: rect.y, width: rect.width - axis, height: rect.height - 1)
        let ratioRows = (plot.height - 2) / 2
        let equityRows = plot.height - 1 - ratioRows
        let t = s.thresholds
        let ratios = points.compactMap(\.marginRatio)
        let ratioHigh = max(t.marginRatio.warn * 1.5, min(ratios.max() ?? t.marginRatio.warn * 2, t.marginRatio.warn * 5))
        var canvas = Canvas(width: plot.width, height: ratioRows, unicode: unicode)
        canvas.plot(points.map { ($0.time, $0.marginRatio.map { min($0, ratioHigh) }) }, from: firstTime, to: lastTime, low: 0, high: ratioHigh)
        let ratioRect = Rect(x: plot.x, y: plot.y, width: plot.width, height: ratioRows)
        levelLine(t.marginRatio.warn, low: 0, high: ratioHigh, rect: ratioRect, style: Style(.warn), unicode: unicode, canvas: canvas, into: &f)
        levelLine(t.marginRatio.critical, low: 0, high: ratioHigh, rect: ratioRect, style: Style(.critical), unicode: unicode,
                  canvas: canvas, into: &f)
        canvas.render(into: &f, at: ratioRect, style: Style(.ok, bold: true))
        // Ratios above the top run along it: the label says so.
        let clipped = (ratios.max() ?? 0) > ratioHigh
        axisLabels(top: NumberFormat.ratio(ratioHigh) + (clipped ? "+" : ""), bottom: "0", name: "ratio", rect: Rect(x: rect.x, y: plot.y, width: axis, height: ratioRows), into: &f)
        markerRow(s.chart.markers, from: firstTime, to: lastTime, y: plot.y + ratioRows, plot: plot, unicode: unicode, into: &f)

        let equities = points.map(\.equity)
        var (low, high) = (equities.min() ?? 0, equities.max() ?? 1)
        if high - low < 1e-9 { (low, high) = (low - 1, high + 1) }
        var equityCanvas = Canvas(width: plot.width, height: equityRows, unicode: unicode)
        equityCanvas.plot(points.map { ($0.time, $0.equity) }, from: firstTime, to: lastTime, low: low, high: high)
        let equityRect = Rect(x: plot.x, y: plot.y + ratioRows + 1, width: plot.width, height: equityRows)
        equityCanvas.render(into: &f, at: equityRect, style: Style(.accent, bold: true))
        axisLabels(top: CompactNumber.fit(NumberFormat.money(high), high, width: axis - 1),
                   bottom: CompactNumber.fit(NumberFormat.money(low), low, width: axis - 1), name: "equity",
                   rect: Rect(x: rect.x, y: equityRect.y, width: axis, height: equityRows), into: &f)
        // The time axis: the two ends, and the middle when there is room.
        let timeRow = rect.y + rect.height - 1
        let start = String(TimeText.readable(firstTime).dropFirst(5).prefix(11)), end = String(TimeText.readable(lastTime).dropFirst(5).prefix(11))
        f.put(start, x: plot.x, y: timeRow, style: .dim)
        f.putRight(end, right: plot.x + plot.width, y: timeRow, style: .dim)
    }

    /// A level as a dotted row where the line does not pass.
    private static func levelLine(_ value: Double, low: Double, high: Double, rect: Rect, style: Style, unicode: Bool,
                                  canvas: Canvas, into f: inout Frame) {
        guard value > low, value < high, rect.height > 0 else { return }
        // The same mapping the dots use: a value at the level sits on the level's row.
        let dots = rect.height * (unicode ? 4 : 1)
        let dot = min(dots - 1, max(0, Int(((high - value) / (high - low) * Double(dots - 1)).rounded())))
        let row = rect.y + dot / (unicode ? 4 : 1)
        guard row < rect.y + rect.height else { return }
        for x in 0..<rect.width where !canvas.isInked(x: x, y: row - rect.y) {
            f.put(unicode ? "┄" : "-", x: rect.x + x, y: row, style: style)
        }
    }

    private static func axisLabels(top: String, bottom: String, name: String, rect: Rect, into f: inout Frame) {
        f.putRight(top, right: rect.x + rect.width - 1, y: rect.y, style: .dim)
        if rect.height > 2 { f.put(name, x: rect.x, y: rect.y + rect.height / 2, style: Style(.normal, bold: true)) }
        f.putRight(bottom, right: rect.x + rect.width - 1, y: rect.y + rect.height - 1, style: .dim)
    }

    /// One letter per marker at its time (the worst wins a shared cell).
    private static func markerRow(_ markers: [ChartSeries.Marker], from: Int64, to: Int64, y: Int, plot: Rect, unicode: Bool,
                                  into f: inout Frame) {
        let span = Double(max(1, to - from))
        var worst: [Int: ChartSeries.Marker.Kind] = [:]
        for m in markers where m.time >= from {
            // A marker past the last point (its step still merging) stands at the right edge.
            let x = min(plot.width - 1, Int(Double(min(m.time, to) - from) / span * Double(plot.width - 1)))
            if let w = worst[x], rank(w) >= rank(m.kind) { continue }
            worst[x] = m.kind
        }
        f.put(String(repeating: unicode ? "·" : ".", count: plot.width), x: plot.x, y: y, style: .dim)
        for (x, kind) in worst {
            let (letter, role): (String, ColorRole) = switch kind {
            case .warn: ("W", .warn)
            case .critical: ("C", .critical)
            case .stop: ("S", .critical)
            case .softStop: ("X", .critical)
            case .liquidation: ("L", .critical)
            }
            f.put(letter, x: plot.x + x, y: y, style: Style(role, bold: true))
        }
    }

    private static func rank(_ k: ChartSeries.Marker.Kind) -> Int {
        switch k {
        case .warn: return 0
        case .critical: return 1
        case .stop: return 2
        case .softStop: return 3
        case .liquidation: return 4
        }
    }

    /// A grid of dots: 2×4 a cell in braille, 1×1 in ASCII.
    struct Canvas {
        let width: Int, height: Int, unicode: Bool
        private var dots: [UInt8]
        private let perX: Int, perY: Int

        init(width: Int, height: Int, unicode: Bool) {
            (self.width, self.height, self.unicode) = (max(0, width), max(0, height), unicode)
            (perX, perY) = unicode ? (2, 4) : (1, 1)
            dots = Array(repeating: 0, count: self.width * self.height)
        }

        /// Plots a step line through `values` (nil: a gap) between `from` and `to`: each dot
        /// column spans from the lowest to the highest value in its time, joined to the last.
        mutating func plot(_ values: [(Int64, Double?)], from: Int64, to: Int64, low: Double, high: Double) {
            let columns = width * perX, rows = height * perY
            guard columns > 0, rows > 0, high > low else { return }
            let span = Double(max(1, to - from))
            func row(_ v: Double) -> Int { min(rows - 1, max(0, Int(((high - v) / (high - low) * Double(rows - 1)).rounded()))) }
            var lowest = [Int?](repeating: nil, count: columns), highest = lowest
            var last = [Int?](repeating: nil, count: columns)
            var gap = [Bool](repeating: false, count: columns)
            for (time, value) in values {
                let c = min(columns - 1, max(0, Int(Double(time - from) / span * Double(columns - 1))))
                // No cross position then: the line breaks there, it does not bridge.
                guard let value else { gap[c] = true; continue }
                let r = row(value)
                lowest[c] = max(lowest[c] ?? r, r)  // rows grow downwards
                highest[c] = min(highest[c] ?? r, r)
                last[c] = r
            }
            var previous: Int?
            for c in 0..<columns {
                if gap[c] { previous = nil }
                guard let top = highest[c], let bottom = lowest[c] else { continue }
                var (a, b) = (top, bottom)
                if let p = previous { (a, b) = (min(a, p), max(b, p)) }
                for r in a...b { set(c, r) }
                previous = last[c]
            }
        }

        private mutating func set(_ column: Int, _ row: Int) {
            let (cx, cy) = (column / perX, row / perY)
            guard cx < width, cy < height else { return }
            let bit: UInt8
            if unicode {
                let (dx, dy) = (column % 2, row % 4)
                let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
                bit = bits[dx][dy]
            } else {
                bit = 1
            }
            dots[cy * width + cx] |= bit
        }

        func isInked(x: Int, y: Int) -> Bool { x < width && y < height && y >= 0 && dots[y * width + x] != 0 }

        func render(into f: inout Frame, at rect: Rect, style: Style) {
            for y in 0..<height {
                for x in 0..<width where dots[y * width + x] != 0 {
                    let ch = unicode ? Character(UnicodeScalar(0x2800 + UInt32(dots[y * width + x]))!) : "*"
                    f.put(String(ch), x: rect.x + x, y: rect.y + y, style: style)
                }
            }
        }
    }
}
