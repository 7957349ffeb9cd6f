import Foundation
import Testing
@testable import MarginKit
@testable import TerminalUI

/// No view drops digits: every numeric column of the table and every number of the header,
/// swept from 1e-8 to 1e13 with both signs, at 80 and 160 columns, reads back as the value it
/// stands for — to the precision it shows, and with at least three significant digits when it
/// had to be compacted (`-12.35M`).
@Suite struct NumberSweepTests {
    static let magnitudes: [Double] = (-8...13).flatMap { e in [1.0, 1.234567, 9.87654].map { $0 * pow(10, Double(e)) } }

    /// Reads a number as drawn: `-12,345.67`, `+3.2%`, `61,000.00▲`, `-12.35M`, `1.23e-8`, `12.3k%`.
    /// - Returns: the value and the largest error its spelling allows (half its last digit).
    static func parse(_ token: String) -> (value: Double, tolerance: Double, compacted: Bool)? {
        var t = token.filter { !"▲▼,%+".contains($0) }
        var unit = 1.0
        var compacted = false
        if let last = t.last, let scale = ["k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12][String(last)] {
            unit = scale
            compacted = true
            t.removeLast()
        }
        var exponent = 0.0
        if let e = t.firstIndex(of: "e") {
            guard let x = Double(t[t.index(after: e)...]) else { return nil }
            exponent = x
            compacted = true
            t = String(t[..<e])
        }
        guard let mantissa = Double(t) else { return nil }
        let decimals = t.firstIndex(of: ".").map { t.distance(from: $0, to: t.endIndex) - 1 } ?? 0
        let scale = unit * pow(10, exponent)
        return (mantissa * scale, 0.5 * pow(10, -Double(decimals)) * scale * (1 + 1e-9), compacted)
    }

    static func check(_ token: String, _ value: Double, _ what: String) {
        guard let read = parse(token) else {
            Issue.record("\(what): \"\(token)\" is not a number (value \(value))")
            return
        }
        #expect(abs(read.value - value) <= read.tolerance + abs(value) * 1e-12,
                "\(what): \"\(token)\" reads \(read.value), stands for \(value)")
        if read.compacted {
            #expect(read.tolerance <= abs(value) * 0.005 * (1 + 1e-6), "\(what): \"\(token)\" keeps fewer than 3 significant digits of \(value)")
        }
    }

    static func snapshot(_ v: Double) throws -> MonitorSnapshot {
        var s = try ScreenFixtures.snapshot()
        s.moved = [:]
        let positive = abs(v)
        var p = s.evaluation.positions[0]
        p.spec.size = positive
        p.spec.entry = positive
        p.spec.stopLoss = positive
        p.mark = positive
        p.notional = positive
        p.unrealizedPnl = v
        p.roePct = v
        p.liquidationPrice = positive / 2  // a long's liquidation below its mark: not PAST
        p.liquidationDistancePct = v
        s.evaluation.positions = [p]
        var a = s.evaluation.account
        a.equity = 3 * positive  // above maintenance margin: not liquidated, so every header number shows
        a.wallet = v
        a.unrealizedPnl = v
        a.totalEquity = v
        a.maintenanceMargin = positive
        a.initialMargin = positive
        a.freeMargin = v
        a.returnOnMarginPct = v
        a.accountShockPct = v
        a.marginRatio = positive + 2  // above 1: not liquidated, so every header number shows
        s.evaluation.account = a
        return s
    }

    @Test(arguments: [80, 160])
    func tableColumnsNeverDropDigits(width: Int) throws {
        for magnitude in Self.magnitudes {
            for v in [magnitude, -magnitude] {
                let lines = ScreenFixtures.render(try Self.snapshot(v), width: width, height: 24).lines()
                let header = lines[4].split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let row = lines[5].split(separator: " ").map(String.init)
                try #require(header.count == row.count, "columns and cells differ at \(width) for \(v): \(lines[4]) / \(lines[5])")
                let positive = abs(v)
                let expected: [String: Double] = ["SIZE": positive, "ENTRY": positive, "MARK": positive, "NOTIONAL": positive,
                                                  "uPnL": v, "ROE": v, "LIQ PRICE": positive / 2, "LIQ DIST": v, "STOP": positive]
                for (title, token) in zip(header, row) {
                    guard let value = expected[title] else { continue }
                    Self.check(token, value, "\(title) at \(width) columns")
                }
            }
        }
    }

    @Test(arguments: [80, 160])
    func headerNumbersNeverDropDigits(width: Int) throws {
        for magnitude in Self.magnitudes {
            for v in [magnitude, -magnitude] {
                let lines = ScreenFixtures.render(try Self.snapshot(v), width: width, height: 24).lines()
                let positive = abs(v)
                let labelled: [(line: Int, label: String, value: Double)] = [
                    (1, "Equity", 3 * positive), (1, "Wallet", v), (1, "uPnL", v), (1, "Total", v),
                    (2, "Margin ratio", positive + 2), (2, "MM", positive), (2, "IM", positive),
                    (3, "Free", v), (3, "RoM", v), (3, "Crash to liq", v),
                ]
                var seen = 0
                for item in labelled {
                    let line = lines[item.line]
                    guard let range = line.range(of: " \(item.label) ") else { continue }  // dropped whole: allowed
                    let token = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                    Self.check(token, item.value, "\(item.label) at \(width) columns")
                    seen += 1
                }
                #expect(seen >= (width >= 160 ? labelled.count : 6), "too many header items dropped at \(width) for \(v)")
                #expect(lines[1].count <= width && lines[2].count <= width && lines[3].count <= width)
            }
        }
    }

    @Test func theIssuesExamplesReadRight() {
        #expect(CompactNumber.fit("-12,345,670.00", -12_345_670, width: 10) == "-12.35M")
        #expect(CompactNumber.fit("1,234,567,890.00", 1_234_567_890, width: 8) == "1.23B")
        #expect(CompactNumber.fit("987,600.00", 987_600, width: 7) == "987.60k")
        #expect(CompactNumber.fit("999,999.00", 999_999, width: 7) == "1.00M")
        #expect(CompactNumber.fit("0.0000000100", 1e-8, width: 8) == "1.00e-8")
        #expect(CompactNumber.fit("+1,234.5%", 1_234.5, width: 7, plus: true, suffix: "%") == "+1.23k%")
    }
}
