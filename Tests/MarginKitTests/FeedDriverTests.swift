import Foundation
import MarginKit
import Testing

/// The one feed driver: the same session whether it runs flat out (headless) or paced and
/// jumped about (the monitor), its window, and the jumps a source can and cannot make.
struct FeedDriverTests {
    static let pair = [TapeSpec(path: SharedTapes.path("freqtrade_binance_BTC_USDT-1h.json")),
                       TapeSpec(path: SharedTapes.path("freqtrade_binance_ETH_USDT-1h.json"))]

    static func book(_ name: String) throws -> Portfolio {
        try PortfolioLoader.load(path: Fixtures.path("Tests/Fixtures/books/\(name)")).portfolio
    }

    static func flatOut(_ portfolio: Portfolio, window: FeedWindow = FeedWindow()) throws -> ([String], SessionSummary) {
        let driver = try FeedDriver(portfolio: portfolio, origin: .tapes(pair), window: window, prefetch: true)
        var lines: [String] = []
        let summary = try driver.runToEnd { lines.append(TimelineText.line($0)) }
        return (lines, summary)
    }

    @Test(arguments: ["leveraged-longs-2022.yaml", "stopped-longs-2022.yaml", "hedged-2022.yaml"])
    func pacedInSmallSlicesGivesTheHeadlessTimeline(book: String) throws {
        let portfolio = try Self.book(book)
        let window = FeedWindow(from: TimeText.parseArgument("2022-11-01"))
        let (expected, summary) = try Self.flatOut(portfolio, window: window)
        #expect(!expected.isEmpty)
        // The monitor's way: the clock moves an hour of tape at a time, steps closed as they complete.
        let driver = try FeedDriver(portfolio: portfolio, origin: .tapes(Self.pair), window: window)
        var lines: [String] = []
        var clock = try #require(driver.nextTickTime())
        for _ in 0..<100_000 where !driver.ended && driver.error == nil {
            driver.advance(through: clock, deadline: .infinity) { lines.append(TimelineText.line($0)) }
            clock += 3_600_000
        }
        #expect(driver.ended && driver.error == nil)
        #expect(lines == expected)
        var paced = driver.replay.session.summary
        paced.badLines = summary.badLines
        #expect(paced == summary)
    }

    @Test func theWindowKeepsOnlyItsTicksBothEndsIncluded() throws {
        let window = FeedWindow(from: TimeText.parseArgument("2022-11-08T18:00"), to: TimeText.parseArgument("2022-11-08T19:00"))
        let (_, summary) = try Self.flatOut(try Self.book("leveraged-longs-2022.yaml"), window: window)
        // The 18:00 bar's four ticks and the 19:00 open, for two symbols.
        #expect(summary.ticks == 10)
        #expect(summary.firstTime == window.from)
        #expect(summary.lastTime == window.to)
    }

    @Test func stepsForwardAndBackAndGoesToATime() throws {
        let driver = try FeedDriver(portfolio: try Self.book("hedged-2022.yaml"), origin: .tapes(Self.pair))
        let first = try #require(driver.stepForward { _ in })
        let second = try #require(driver.stepForward { _ in })
        #expect(second > first && driver.lastTickTime == second)
        #expect(driver.previousStepTime == first)
        var rewound = false
        #expect(driver.go(to: first, onRewind: { rewound = true }) { _ in } == .rewound)
        #expect(rewound && driver.lastTickTime == first && driver.replay.session.summary.ticks == 2)
        let later = first + 30 * 86_400_000
        #expect(driver.go(to: later) { _ in } == .forward)
        #expect(try #require(driver.lastTickTime) <= later && driver.lastTickTime! > first)
    }

    @Test func aSourceThatCannotRewindRefusesToGoBack() throws {
        let portfolio = try Self.book("hedged-2022.yaml")
        let table = SymbolTable()
        let ticks = (0..<10).map { Tick(time: Int64($0) * 1_000, symbol: table.id("BTCUSDT"), price: 20_000 + Double($0)) }
        let driver = try FeedDriver(portfolio: portfolio, source: TickList(ticks: ticks), symbols: table)
        #expect(!driver.canRewind)
        driver.advance(through: 5_000, deadline: .infinity) { _ in }
        #expect(driver.lastTickTime == 5_000)
        #expect(driver.go(to: 1_000) { _ in } == .refused)
        #expect(driver.lastTickTime == 5_000, "a refused jump moves nothing")
        driver.advance(through: .max, deadline: .infinity) { _ in }
        #expect(driver.ended && driver.lastTickTime == 9_000)
    }

    @Test func aStrictBadLineStopsTheFeedAndIsKept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("driver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("BTCUSDT.csv").path
        try "time,symbol,price\n1700000001000,BTCUSDT,20000\n1700000002000,BTCUSDT,2x000\n1700000003000,BTCUSDT,20100\n".write(toFile: path, atomically: true, encoding: .utf8)
        let driver = try FeedDriver(portfolio: try Self.book("hedged-2022.yaml"), origin: .tapes([TapeSpec(path: path)]), strict: true)
        driver.advance(through: .max, deadline: .infinity) { _ in }
        let error = try #require(driver.error as? MarginWatchError)
        #expect(error.description.contains("BTCUSDT.csv:3"))
        #expect(driver.lastTickTime == 1_700_000_001_000, "the good line before the bad one is applied")
        #expect(driver.replay.openStepTime == nil, "and its step evaluated")
        #expect(driver.go(to: 1_700_000_003_000) { _ in } == .refused, "nothing past the bad line is applied")
        #expect(driver.lastTickTime == 1_700_000_001_000 && !driver.ended)
        // Read flat out, the same: the line before the bad one counts, then the error.
        let headless = try FeedDriver(portfolio: try Self.book("hedged-2022.yaml"), origin: .tapes([TapeSpec(path: path)]),
                                      strict: true, prefetch: true)
        var applied = 0
        #expect(throws: MarginWatchError.self) { try headless.runToEnd { _ in } }
        applied = headless.replay.session.summary.ticks
        #expect(applied == 1)
    }
}

extension FeedDriverTests {
    @Test func seeksByShareOfTheSpanAndNeverOverflows() throws {
        let driver = try FeedDriver(portfolio: try Self.book("hedged-2022.yaml"), origin: .tapes(Self.pair), measureSpan: true)
        let range = try #require(driver.span?.wait())
        let forward = try #require(driver.seek(by: 0.5, from: nil) { _ in })
        #expect(forward.jump == .forward && abs(forward.target - (range.first + (range.last - range.first) / 2)) <= 1)
        #expect(try #require(driver.lastTickTime) <= forward.target)
        for wild in [Double.infinity, -.infinity, .nan, 1e300, -1e300] {
            let r = try #require(driver.seek(by: wild, from: Int64.max) { _ in })
            #expect(r.target >= range.first && r.target <= range.last, "\(wild)")
        }
        #expect(driver.progress(at: .max) == 1 && driver.progress(at: .min) == 0)
    }
}

/// Ticks from memory, read once.
private struct TickList: TickSource {
    var ticks: [Tick]
    var index = 0
    mutating func next() -> Tick? {
        guard index < ticks.count else { return nil }
        index += 1
        return ticks[index - 1]
    }
}
