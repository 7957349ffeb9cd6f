import Foundation
import Testing
@testable import MarginKit
@testable import TerminalUI

/// The chart as golden frames: the `c` panel at 80×24 in braille and in ASCII, and the main
/// screen of a 160×48 terminal with the chart in its lower half. `GOLDEN_UPDATE=1` rewrites them.
@Suite struct ChartFrameTests {
    /// Two days of a book sliding towards its levels: the ratio dips below warn and critical,
    /// a stop fires and the soft stop is reached.
    static func snapshot() throws -> MonitorSnapshot {
        var s = try ScreenFixtures.snapshot()
        var chart = ChartSeries(capacity: 512)
        let t0: Int64 = 1_667_865_600_000  // 2022-11-08 00:00
        for k in 0..<2_000 {
            let x = Double(k) / 2_000
            let ratio = 4.2 - 3.1 * x + 0.4 * sin(x * 40)
            chart.add(time: t0 + Int64(k) * 86_400, equity: 10_000 * (1 - 0.3 * x) + 300 * cos(x * 25), marginRatio: ratio)
        }
        for (k, event) in [(700, SessionEvent.alert(AlertChange(time: 0, rule: .marginRatio, level: .warn, state: .raised, symbol: nil, value: 1.9, threshold: 2))),
                           (1_500, .stopLoss(time: 0, symbol: "BTCUSDT", price: 59_000, realizedPnl: -2_800)),
                           (1_800, .alert(AlertChange(time: 0, rule: .marginRatio, level: .critical, state: .raised, symbol: nil, value: 1.4, threshold: 1.5))),
                           (1_900, .softStop(time: 0, lossPct: 15.5, closedAll: false))] {
            var e = event
            let time = t0 + Int64(k) * 86_400
            switch e {
            case .alert(var a): a.time = time; e = .alert(a)
            case let .stopLoss(_, sym, p, r): e = .stopLoss(time: time, symbol: sym, price: p, realizedPnl: r)
            case let .softStop(_, l, c): e = .softStop(time: time, lossPct: l, closedAll: c)
            case .liquidation: break
            }
            chart.mark(e)
        }
        s.chart = chart
        return s
    }

    static func check(_ frame: Frame, _ name: String) throws {
        let path = ScreenFixtures.repoRoot.appendingPathComponent("Tests/Golden/\(name).txt").path
        let text = frame.lines().map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["GOLDEN_UPDATE"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == golden, "\(name) differs; GOLDEN_UPDATE=1 swift test rewrites it:\n\(text)")
    }

    @Test func theChartPanelAt80x24InBraille() throws {
        var ui = MonitorUIState()
        ui.overlay = .chart
        let f = ScreenFixtures.render(try Self.snapshot(), ui: ui)
        try Self.check(f, "chart-80x24")
        // Braille dots, the levels as lines, a letter per event.
        let text = f.lines().joined()
        #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } && text.contains("┄"))
        #expect(["W", "S", "C", "X"].allSatisfy { letter in f.lines().contains { $0.contains("·\(letter)") || $0.contains("\(letter)·") } })
    }

    @Test func theChartPanelAt80x24InASCII() throws {
        var ui = MonitorUIState()
        ui.overlay = .chart
        ui.unicode = false
        var s = try Self.snapshot()
        s.unicode = false
        let f = ScreenFixtures.render(s, ui: ui)
        try Self.check(f, "chart-80x24-ascii")
        let plot = f.lines()[2..<20].joined()
        #expect(!plot.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) } && plot.contains("*"))
    }

    @Test func aTallScreenShowsTheChartUnderThePositions() throws {
        let f = ScreenFixtures.render(try Self.snapshot(), width: 160, height: 48)
        try Self.check(f, "chart-main-160x48")
        #expect(f.lines().contains { $0.hasPrefix(" CHART") })
    }
}
