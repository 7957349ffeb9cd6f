import Foundation
import Testing
@testable import MarginKit

/// Events delivered away from the screen: a program run directly, with a deadline.
@Suite struct DeliveryTests {
    static func script(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mw-hook-\(UUID().uuidString)").path
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test func aProgramGetsItsVariablesAndItsInputAndItsStatusIsKept() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mw-out-\(UUID().uuidString)").path
        let hook = try Self.script("printf '%s|' \"$MW_EVENT\" \"$MW_SYMBOL\" > \(out); cat >> \(out)")
        #expect(ProgramRunner.run(hook, environment: ["MW_EVENT": "alert", "MW_SYMBOL": "$(id)`id`"], input: "{\"x\": 1}\n") == .succeeded)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "alert|$(id)`id`|{\"x\": 1}\n")
        let failing = try Self.script("echo 'pager down' >&2; echo more >&2; exit 4")
        #expect(ProgramRunner.run(failing) == .failed(status: 4, stderr: "pager down"))
        #expect(ProgramRunner.run("/nonexistent/hook").problem?.hasPrefix("could not start") == true)
    }

    @Test func aProgramStillRunningAfterItsTimeIsKilled() throws {
        let slow = try Self.script("sleep 30")
        let start = Date()
        #expect(ProgramRunner.run(slow, timeout: 0.5) == .timedOut(seconds: 0.5))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aProgramThatDoesNotReadItsInputOrWritesALotIsNoProblem() throws {
        let deaf = try Self.script("exit 0")
        #expect(ProgramRunner.run(deaf, input: String(repeating: "x", count: 1 << 20)) == .succeeded)
        let chatty = try Self.script("head -c 3000000 /dev/zero")
        #expect(ProgramRunner.run(chatty, timeout: 10) == .succeeded)
    }

    @Test func programsAreFoundOnThePathOrByTheirPath() throws {
        #expect(ProgramRunner.resolve("sh", path: "/usr/bin:/bin") != nil)
        #expect(ProgramRunner.resolve("no-such-program-here", path: "/usr/bin:/bin") == nil)
        #expect(ProgramRunner.resolve("/etc") == nil && ProgramRunner.resolve("") == nil)
    }

    @Test func eachEventKindHasItsVariables() throws {
        let portfolio = try PortfolioLoader.load(text: DemoPortfolio.yaml, name: "demo").portfolio
        let t = portfolio.alerts
        let events: [(SessionEvent, [String: String])] = [
            (.alert(AlertChange(time: 0, rule: .marginRatio, level: .critical, state: .raised, symbol: nil, value: 1.4, threshold: 1.5)),
             ["MW_EVENT": "alert", "MW_LEVEL": "critical", "MW_RULE": "margin_ratio", "MW_SYMBOL": "", "MW_VALUE": "1.4", "MW_THRESHOLD": "1.5"]),
            (.alert(AlertChange(time: 0, rule: .freeMarginPct, level: .warn, state: .cleared, symbol: nil, value: 33, threshold: 30)),
             ["MW_EVENT": "cleared", "MW_LEVEL": "warn", "MW_RULE": "free_margin_pct"]),
            (.stopLoss(time: 0, symbol: "BTCUSDT", price: 60_900, realizedPnl: -765),
             ["MW_EVENT": "stop", "MW_RULE": "stop_loss", "MW_SYMBOL": "BTCUSDT", "MW_VALUE": "60900", "MW_THRESHOLD": "61000"]),
            (.softStop(time: 0, lossPct: 15.2, closedAll: false), ["MW_EVENT": "soft_stop", "MW_VALUE": "15.2", "MW_THRESHOLD": "15"]),
            (.liquidation(time: 0, scope: .account, symbol: nil, equity: 80, maintenanceMargin: 95),
             ["MW_EVENT": "liquidation", "MW_LEVEL": "critical", "MW_VALUE": "80", "MW_THRESHOLD": "95"]),
        ]
        for (event, expected) in events {
            let env = EventFacts(event, thresholds: t, portfolio: portfolio).environment(portfolio: "demo")
            for (k, v) in expected { #expect(env[k] == v, "\(event) \(k)") }
            #expect(env["MW_TIME"] == "1970-01-01T00:00:00.000Z" && env["MW_PORTFOLIO"] == "demo" && env["MW_MESSAGE"]?.isEmpty == false)
        }
    }

    @Test func aJournalReadsBackItsEventsExactlyAndSkipsACutLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mw-j-\(UUID().uuidString).jsonl").path
        let events: [SessionEvent] = [
            .alert(AlertChange(time: 1_700_000_000_123, rule: .positionMM, level: .warn, state: .raised, symbol: "ETHUSDT",
                               value: 5.5186216708262466, threshold: 2)),
            .softStop(time: 1_700_000_060_000, lossPct: 63.02492132961985, closedAll: true),
            .liquidation(time: 1_700_000_120_000, scope: .position, symbol: "DOGEUSDT", equity: 9.5, maintenanceMargin: 9.97),
        ]
        do {
            let j = try JournalWriter(path: path)
            j.start(portfolio: "p.yaml", feed: "t.csv", thresholds: AlertThresholds(), wallTime: 0)
            for e in events { j.event(e) }
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"type\": \"event\", \"ev".utf8))
        try handle.close()
        let r = try JournalReader(path: path)
        #expect(r.events == events && r.sessions == 1)
        #expect(r.warnings.count == 1 && r.warnings[0].hasSuffix(":5: skipped: not a whole journal line (a session cut short?)"))
        // A writer after a cut line starts on a fresh line: the next session's lines are whole.
        do { _ = try JournalWriter(path: path).start(portfolio: "p", feed: "f", thresholds: AlertThresholds(), wallTime: 0) }
        #expect(try JournalReader(path: path).sessions == 2)
    }
}

extension DeliveryTests {
    /// A server on 127.0.0.1 that accepts connections and never answers.
    static func silentServer() throws -> (port: Int, fd: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        #expect(bound == 0 && listen(fd, 8) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (Int(UInt16(bigEndian: address.sin_port)), fd)
    }

    @Test func aWebhookThatHangsCostsItsTimeoutsAndIsSaid() throws {
        let (port, fd) = try Self.silentServer()
        defer { close(fd) }
        var poster = try #require(WebhookPoster("http://127.0.0.1:\(port)/hook"))
        (poster.timeout, poster.retries, poster.backoff) = (1, 1, 0.1)
        let start = Date()
        let problem = poster.post("{\"type\": \"alert\"}")
        #expect(problem == "no answer within 1 s (after 2 attempts)", "\(String(describing: problem))")
        // Two attempts of a second each and the pause: bounded, never the server's whim.
        let took = Date().timeIntervalSince(start)
        #expect(took > 1.5 && took < 6, "\(took) s")
        #expect(WebhookPoster("ftp://127.0.0.1/x") == nil && WebhookPoster("http://") == nil && WebhookPoster("not a url") == nil)
        #expect(WebhookPoster("http://127.0.0.1/x", curl: nil)?.post("{}") == "curl is not installed")
    }
}
