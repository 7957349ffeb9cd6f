import Foundation
import Testing
@testable import MarginKit
@testable import TerminalUI

/// In the monitor a hook never blocks the screen or the feed, and what failed reaches the
/// status line and the log.
@Suite struct DeliveryScreenTests {
    static func hook(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mw-hook-\(UUID().uuidString)").path
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test func aTwoSecondHookDoesNotStallKeysOrTheFeed() throws {
        let (c, _) = try ControllerTests.controller()
        c.engine.delivery = AlertDelivery(targets: .init(hook: try Self.hook("sleep 2"), portfolioName: "tight.yaml"), mode: .background)
        let start = Date()
        c.engine.pump(wall: 100)  // the first step raises tight.yaml's alerts: hooks queued
        #expect(c.engine.log.count > 0)
        c.handle(.char("x"), now: 100)
        _ = c.render(width: 80, height: 24, now: 100)
        c.engine.pump(wall: 101)
        // Keys, frames and the feed answered while the first hook still sleeps.
        #expect(Date().timeIntervalSince(start) < 0.1 * 5, "a loaded CI machine gets some slack, never the hook's 2 s")
        #expect(c.ui.overlay == .stress && c.engine.lastTickTime == 1_700_000_060_000)
    }

    @Test func aFailingHookIsShownOnTheStatusLineAndInTheLog() throws {
        let (c, _) = try ControllerTests.controller()
        let delivery = AlertDelivery(targets: .init(hook: try Self.hook("echo 'no pager' >&2; exit 2"), portfolioName: "t"), mode: .background)
        c.engine.delivery = delivery
        c.engine.pump(wall: 100)
        delivery.drain()
        c.engine.pump(wall: 100.01)
        let frame = c.render(width: 80, height: 24, now: 100.01).lines().joined(separator: "\n")
        #expect(c.engine.log.contains { $0.kind == .delivery && $0.message.contains("exited 2: no pager") }, "\(c.engine.log.map(\.message))")
        #expect(frame.contains("FAIL  delivery") && frame.contains("⚠ hook"), "\(frame)")
    }
}

extension DeliveryScreenTests {
    @Test func aRewoundReplayChartsWhatItPlaysAgainButSendsNothingTwice() throws {
        let (c, _) = try ControllerTests.controller()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mw-sent-\(UUID().uuidString)").path
        let delivery = AlertDelivery(targets: .init(hook: try Self.hook("echo \"$MW_EVENT $MW_RULE\" >> \(out)"), portfolioName: "t"),
                                     mode: .background)
        c.engine.delivery = delivery
        c.engine.pump(wall: 100)
        c.engine.pump(wall: 103)
        delivery.drain()
        let sent = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let markers = c.engine.chart.markers
        #expect(!sent.isEmpty && !markers.isEmpty)
        c.handle(.char(" "), now: 103)
        c.handle(.left, now: 103)  // a step back is a rewind and a replay up to there
        c.handle(.right, now: 103)
        delivery.drain()
        #expect(c.engine.chart.markers == markers, "the chart's letters are back after the rewind")
        #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "") == sent, "nothing sent twice")
    }
}
