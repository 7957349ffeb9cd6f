import Foundation
import Testing
@testable import MarginKit

/// "BTC, ETH, BNB all long at 10× is one big bet": the feed's correlation estimate, the groups
/// it forms, and the `correlated_mm` rule over time and in a snapshot.
@Suite struct CorrelatedExposureTests {
    static let t0: Int64 = 1_700_000_000_000

    /// Pearson correlation of two series, computed directly (two passes, no running sums).
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Drives a tracker with a seeded simulated market of three symbols (1 s ticks, correlation
    /// `rho`, no jumps), keeping the marks at each sample for the direct computation.
    static func simulate(rho: Double, seconds: Int, window: Int) -> (CorrelationTracker, [[Double]]) {
        var feed = FeedConfig()
        feed.seed = 11
        feed.intervalMs = 1_000
        feed.correlation = rho
        feed.jumps = JumpConfig(perHour: 0, meanPct: 0, stdevPct: 0)
        let table = SymbolTable()
        var market = SimulatedMarket(symbols: [.init(id: table.id("BTCUSDT"), price: 60_000, vol: 0.6),
                                               .init(id: table.id("ETHUSDT"), price: 3_000, vol: 0.9),
                                               .init(id: table.id("SOLUSDT"), price: 150, vol: 1.2)],
                                     feed: feed, startTime: t0, endTime: t0 + Int64(seconds) * 1_000)
        var tracker = CorrelationTracker(symbols: [0, 1, 2], symbolCount: 3, sampleMs: 60_000, window: window)
        var marks = [60_000.0, 3_000, 150]
        var sampled: [[Double]] = []
        var time: Int64?
        func endStep() {
            guard let t = time else { return }
            let before = tracker.count
            if tracker.observe(time: t, marks: marks) || (before == 0 && sampled.isEmpty) { sampled.append(marks) }
        }
        while let tick = market.next() {
            if tick.time != time { endStep(); time = tick.time }
            marks[Int(tick.symbol)] = tick.price
        }
        endStep()
        return (tracker, sampled)
    }

    @Test func theEstimateIsThePearsonCorrelationOfTheLastWindowOfSampledLogReturns() {
        // 10 hours of 1 s ticks sampled every minute: 600 returns, a window of 240 (rolled over twice).
        let (tracker, sampled) = Self.simulate(rho: 0.8, seconds: 36_000, window: 240)
        #expect(tracker.count == 240 && sampled.count == 601)
        let returns = (1..<sampled.count).map { k in (0..<3).map { log(sampled[k][$0] / sampled[k - 1][$0]) } }.suffix(240)
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            let direct = Self.pearson(returns.map { $0[i] }, returns.map { $0[j] })
            let estimate = try? #require(tracker.correlation(i, j))
            #expect(abs((estimate ?? 9) - direct) < 1e-9, "\(i)-\(j): \(String(describing: estimate)) vs \(direct)")
            // The simulator's one market factor gives every pair correlation ρ: 240 samples
            // estimate it within a few standard errors ((1 − ρ²)/√n ≈ 0.023).
            #expect(abs(direct - 0.8) < 0.1, "\(i)-\(j): \(direct)")
        }
    }

    @Test func independentSymbolsAreNotOneBetAndNothingIsSaidBeforeThirtySamples() {
        let (tracker, _) = Self.simulate(rho: 0, seconds: 36_000, window: 240)
        #expect(abs(tracker.correlation(0, 1) ?? 9) < 0.25)
        // 29 minutes: 29 returns, one short.
        let (early, _) = Self.simulate(rho: 0.8, seconds: 29 * 60 + 1, window: 240)
        #expect(early.count == 29 && early.correlation(0, 1) == nil)
        let (enough, _) = Self.simulate(rho: 0.8, seconds: 30 * 60 + 1, window: 240)
        #expect(enough.count == 30 && enough.correlation(0, 1) != nil)
    }

    @Test func aSymbolThatDoesNotMoveHasNoCorrelation() {
        var tracker = CorrelationTracker(symbols: [0, 1], symbolCount: 2, sampleMs: 1_000, window: 40)
        for k in 0...40 { _ = tracker.observe(time: Int64(k) * 1_000, marks: [100 + Double(k % 3), 50]) }
        #expect(tracker.count == 40 && tracker.correlation(0, 1) == nil)
    }

    // MARK: groups

    static func book(_ sides: [(String, Side, Double)], groups: [DeclaredGroup] = [], wallet: Double = 20_000) -> Portfolio {
        var p = Portfolio(wallet: wallet, positions: sides.map { symbol, side, size in
            PositionSpec(symbol: symbol, side: side, size: size, entry: 100, leverage: 10)
        })
        for s in Set(sides.map(\.0)) { p.instruments[s] = Instrument(symbol: s, table: BracketTable(flatRate: 0.01)) }
        p.groups = groups
        return p
    }

    @Test func aGroupIsAConnectedSetOfSameDirectionSymbols() throws {
        let p = Self.book([("AUSDT", .long, 10), ("BUSDT", .long, 10), ("CUSDT", .short, 10), ("DUSDT", .long, 10),
                           ("EUSDT", .long, 5), ("EUSDT", .short, 5)])
        let engine = try Engine(portfolio: p)
        let (a, b, c, d, e) = (0, 1, 2, 3, 4)
        // Everything linked: the longs are one bet; the short and the flat (hedged) symbol are not in it.
        var groups = engine.correlatedGroups(linked: { _, _ in true }, correlation: { _, _ in 0.9 })
        #expect(groups.map(\.symbols) == [["AUSDT", "BUSDT", "DUSDT"]] && groups[0].side == .long && groups[0].correlation == 0.9)
        // A chain A–B, B–D joins all three; the lowest link is the group's correlation.
        let links: [SymbolPair: Double] = [SymbolPair(a, b): 0.95, SymbolPair(b, d): 0.75, SymbolPair(a, d): 0.5]
        groups = engine.correlatedGroups(linked: { links[SymbolPair($0, $1)].map { $0 >= 0.7 } ?? false },
                                         correlation: { links[SymbolPair($0, $1)] })
        #expect(groups.map(\.symbolIndices) == [[a, b, d]] && groups[0].correlation == 0.5)
        // A long and a short are never one bet, however correlated.
        groups = engine.correlatedGroups(linked: { [SymbolPair(a, c), SymbolPair(c, e)].contains(SymbolPair($0, $1)) },
                                         correlation: { _, _ in 1 })
        #expect(groups.isEmpty)
    }

    @Test func aSnapshotJudgesTheDeclaredGroupAsOnePosition() throws {
        // Two longs of MM 10 each on equity 20,000 − … : 0.05% apiece, and as one position the sum.
        var p = Self.book([("AUSDT", .long, 100), ("BUSDT", .long, 100), ("CUSDT", .long, 100)],
                          groups: [DeclaredGroup(name: "majors", symbols: ["AUSDT", "BUSDT", "ZUSDT"])], wallet: 1_500)
        p.alerts.positionMMPctWarn = 1
        let engine = try Engine(portfolio: p)
        let groups = engine.declaredGroups()
        #expect(groups.map(\.symbols) == [["AUSDT", "BUSDT"]] && groups[0].correlation == nil)
        let shares = engine.shares(of: groups)
        let alerts = SnapshotAlerts.alerts(for: engine.evaluate(), thresholds: p.alerts, groups: shares)
        // MM 100·100·1% = 100 each; equity 1,500: 6.67% apiece, 13.33% together.
        #expect(alerts.filter { $0.rule == .positionMM }.count == 3)
        let group = try #require(alerts.first { $0.rule == .correlatedMM })
        #expect(group.symbol == "AUSDT+BUSDT" && abs(group.value - 100 * 200 / 1_500) < 1e-9 && group.level == .warn)
        #expect(group.message.contains("declared correlated") && group.message.contains("13.33%"))
        // The deposit that clears every warning counts the group too: 100·200/1 − 1,500.
        let b = engine.buffers(thresholds: p.alerts, groups: groups)
        #expect(abs((b.depositToClearWarn ?? 0) - 18_500) < 1e-6)
    }

    // MARK: the rule over time

    /// Replays ticks (time, [price per symbol]) through a session; returns the events.
    static func run(_ p: Portfolio, _ steps: [(Int64, [Double])]) throws -> [SessionEvent] {
        let table = SymbolTable()
        var replay = try Replay(portfolio: p, symbols: table)
        let ids = p.symbols.map { table.id($0) }
        var events: [SessionEvent] = []
        for (time, prices) in steps {
            for (k, price) in prices.enumerated() { replay.apply(Tick(time: time, symbol: ids[k], price: price)) { events.append($0) } }
        }
        replay.finish { events.append($0) }
        return events
    }

    static func groupEvents(_ events: [SessionEvent]) -> [AlertChange] {
        events.compactMap { if case .alert(let a) = $0, a.rule == .correlatedMM { return a } else { return nil } }
    }

    @Test func aFeedThatMovesTwoLongsTogetherMakesThemOneBetAndApartUndoesIt() throws {
        var p = Self.book([("AUSDT", .long, 100), ("BUSDT", .long, 100)], wallet: 1_500)
        p.alerts.positionMMPctWarn = 10
        p.alerts.correlatedExposure.sampleMs = 1_000
        p.alerts.correlatedExposure.window = 30
        // 40 s in step (both up or both down by 1%), then 60 s of opposite moves.
        var steps: [(Int64, [Double])] = []
        var (a, b) = (100.0, 100.0)
        for k in 0..<100 {
            // Up and down in turn (a wider step now and then), so the marks stay near 100.
            let up = k % 2 == 0
            let size = k % 7 == 0 ? 1.02 : 1.01
            let move = up ? size : 1 / size
            a *= move
            b = k < 40 ? b * move : b / move
            steps.append((Self.t0 + Int64(k) * 1_000, [a, b]))
        }
        let all = try Self.run(p, steps)
        let changes = Self.groupEvents(all)
        #expect(changes.count == 2, "\(all)")
        let raised = try #require(changes.first)
        // The 30th return (at 30 s) is the first that may judge; together ≈ 13.3% of equity > 10%.
        #expect(raised.state == .raised && raised.time == Self.t0 + 30_000 && raised.symbol == "AUSDT+BUSDT")
        #expect(raised.group?.correlation.map { $0 > 0.99 } == true && raised.group?.symbols == ["AUSDT", "BUSDT"])
        let cleared = try #require(changes.last)
        #expect(cleared.state == .cleared && cleared.group?.dissolved == true && cleared.time > Self.t0 + 40_000)
        #expect(TimelineText.line(.alert(cleared)).contains("no longer one bet"))
        let json = TimelineJSON.event(.alert(raised)).rendered
        #expect(json.contains("\"rule\": \"correlated_mm\"") && json.contains("\"symbols\": [\"AUSDT\", \"BUSDT\"]"))
    }

    @Test func aDeclaredGroupThatLosesAMemberToItsStopClears() throws {
        var p = Self.book([("AUSDT", .long, 100), ("BUSDT", .long, 100)],
                          groups: [DeclaredGroup(name: "g", symbols: ["AUSDT", "BUSDT"])], wallet: 1_500)
        p.alerts.positionMMPctWarn = 10
        p.positions[1].stopLoss = 95
        let events = try Self.run(p, [(Self.t0, [100, 100]), (Self.t0 + 1_000, [100, 94])])
        let changes = Self.groupEvents(events)
        #expect(changes.map(\.state) == [.raised, .cleared] && changes[0].time == Self.t0)
        #expect(changes[1].group?.dissolved == true && changes[1].time == Self.t0 + 1_000)
    }
}

extension CorrelatedExposureTests {
    @Test func timesAtTheEndsOfTheClockDoNotTrap() {
        var tracker = CorrelationTracker(symbols: [0, 1], symbolCount: 2, sampleMs: 1, window: 30)
        var sampled: [Bool] = []
        for (k, t) in [Int64.min, -1, 0, Int64.max - 1, Int64.max, Int64.max].enumerated() {
            sampled.append(tracker.observe(time: t, marks: [1 + Double(k), 2 + Double(k * k)]))
        }
        // The first step only sets the start; the end of the clock has no grid point after it.
        #expect(sampled == [false, true, true, true, false, false] && tracker.count == 3)
    }
}

extension CorrelatedExposureTests {
    /// Three longs: A and B move together from the start, C against them for 40 s and with them after.
    static func joiningBook() -> Portfolio {
        var p = book([("AUSDT", .long, 100), ("BUSDT", .long, 100), ("CUSDT", .long, 100)], wallet: 2_000)
        p.alerts.positionMMPctWarn = 5
        p.alerts.correlatedExposure.sampleMs = 1_000
        p.alerts.correlatedExposure.window = 30
        return p
    }

    @Test func aGroupThatGrowsKeepsItsLevelAndIsNotSaidToDissolve() throws {
        var steps: [(Int64, [Double])] = []
        var (a, c) = (100.0, 100.0)
        for k in 0..<120 {
            let move = (k % 2 == 0 ? 1.01 : 1 / 1.01) * (k % 7 == 0 ? 1.005 : 1)
            a *= move
            c = k < 40 ? c / move : c * move
            steps.append((Self.t0 + Int64(k) * 1_000, [a, a, c]))
        }
        let table = SymbolTable()
        var replay = try Replay(portfolio: Self.joiningBook(), symbols: table)
        let ids = ["AUSDT", "BUSDT", "CUSDT"].map { table.id($0) }
        var events: [SessionEvent] = []
        for (time, prices) in steps {
            for (k, price) in prices.enumerated() { replay.apply(Tick(time: time, symbol: ids[k], price: price)) { events.append($0) } }
        }
        replay.finish { events.append($0) }
        let changes = Self.groupEvents(events)
        // A+B (about 10% of equity together, over 5) is raised; C joining keeps it raised.
        #expect(changes.filter { $0.state == .raised }.count >= 1 && !changes.contains { $0.group?.dissolved == true }, "\(changes)")
        #expect(replay.session.groups.map(\.symbols) == [["AUSDT", "BUSDT", "CUSDT"]])
        #expect(replay.session.groupAlertLevels == [.warn])
    }

    @Test func theEstimateStartsOnceTheFeedHasPricedEverySymbol() throws {
        // The file says 100; the feed starts at 150, and B's first tick comes a second after A's.
        var p = Self.book([("AUSDT", .long, 100), ("BUSDT", .long, 100)], wallet: 2_500)
        // 150 each of MM on 12,500 of equity: 1.2% apiece, 2.4% together.
        p.alerts.positionMMPctWarn = 2
        p.alerts.correlatedExposure.sampleMs = 1_000
        p.alerts.correlatedExposure.window = 30
        var steps: [(Int64, [Double])] = [(Self.t0, [150])]
        var a = 150.0
        for k in 1..<60 {
            a *= k % 2 == 0 ? 1.01 : 1 / 1.01
            steps.append((Self.t0 + Int64(k) * 1_000, [a, a]))
        }
        let raised = Self.groupEvents(try Self.run(p, steps)).first { $0.state == .raised }
        // Both priced at +1 s: the 30th return after it, at +31 s (not after a window of a
        // file-to-feed jump held in the estimate).
        #expect(raised?.time == Self.t0 + 31_000, "\(String(describing: raised))")
    }
}
