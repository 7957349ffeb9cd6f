import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import MarginKit

/// The chart's memory stays bounded, its ends stay where the session's are, and a dip of the
/// margin ratio survives every thinning.
@Suite struct ChartSeriesTests {
    @Test func pointsStayBoundedAndKeepTheEndsAndTheLowestRatio() {
        var chart = ChartSeries(capacity: 64)
        for k in 0..<100_003 {
            // One sharp dip at step 77,777; otherwise a ratio near 3.
            let ratio = k == 77_777 ? 1.05 : 3 + Double(k % 10) / 100
            chart.add(time: Int64(k) * 1_000, equity: Double(k), marginRatio: ratio)
        }
        let points = chart.points
        #expect(points.count <= 64 + 1)
        #expect(points.first?.time == 0 && points.last?.time == 100_002_000 && points.last?.equity == 100_002)
        #expect(points.compactMap(\.marginRatio).min() == 1.05)
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.time < $1.time })
        #expect(chart.points(since: 50_000_000).first.map { $0.time >= 50_000_000 } == true)
    }

    @Test func markersAreRaisedEventsAndTheWorstSurviveTheCap() {
        var chart = ChartSeries(capacity: 16, markerCapacity: 3)
        chart.mark(.alert(AlertChange(time: 1, rule: .marginRatio, level: .warn, state: .cleared, symbol: nil, value: 2.2, threshold: 2)))
        #expect(chart.markers.isEmpty)
        for t in 2...4 { chart.mark(.alert(AlertChange(time: Int64(t), rule: .freeMarginPct, level: .warn, state: .raised, symbol: nil, value: 25, threshold: 30))) }
        chart.mark(.liquidation(time: 9, scope: .account, symbol: nil, equity: 1, maintenanceMargin: 2))
        #expect(chart.markers.count == 3 && chart.markers.last?.kind == .liquidation && chart.markers.last?.label == "LIQUIDATED")
        chart.reset()
        #expect(chart.points.isEmpty && chart.markers.isEmpty)
    }

    @Test func theSVGIsValidForAnEmptyASingleAndAHostileSeries() throws {
        var chart = ChartSeries()
        for series in [0, 1, 2] {
            if series > 0 { chart.add(time: Int64(series), equity: .nan, marginRatio: nil) }
            chart.mark(.stopLoss(time: 1, symbol: "<&\"'>]]>", price: 1, realizedPnl: 0))
            let svg = SVGChart.render(chart, thresholds: AlertThresholds(), title: "a <title> & \u{1} more")
            let document = try XMLDocument(data: Data(svg.utf8))
            #expect(document.rootElement()?.name == "svg")
            #expect(!svg.contains("nan") && !svg.contains("inf"))
        }
    }
}
