import Testing
@testable import MarginKit

/// Alerts over time: hysteresis, the order of a step, and the 2022 stories.
@Suite struct SessionTests {
    @Test func aRatioOscillatingAroundAThresholdRaisesOnceAndClearsOnce() {
        var level = AlertLevel.ok
        var changes: [AlertLevel] = []
        // Hovering around warn 2.0 with 5% hysteresis: clears only at ≥ 2.1.
        for value in [2.05, 1.99, 2.01, 1.98, 2.04, 2.09, 1.97, 2.08, 2.10, 2.05, 2.02] {
            let next = Hysteresis.next(from: level, value: value, warn: 2, critical: 1.5, direction: .below, hysteresisPct: 5)
            if next != level { changes.append(next) }
            level = next
        }
        #expect(changes == [.warn, .ok])
    }

    @Test func aJumpStraightToCriticalIsOneEventAndClearsCarryTheirLevel() {
        #expect(Hysteresis.next(from: .ok, value: 1.2, warn: 2, critical: 1.5, direction: .below, hysteresisPct: 5) == .critical)
        // Leaving critical needs ≥ 1.575; at 1.7 it lands on warn (still below 2).
        #expect(Hysteresis.next(from: .critical, value: 1.55, warn: 2, critical: 1.5, direction: .below, hysteresisPct: 5) == .critical)
        #expect(Hysteresis.next(from: .critical, value: 1.7, warn: 2, critical: 1.5, direction: .below, hysteresisPct: 5) == .warn)
        // An "above" rule clears at ≤ threshold·0.95.
        #expect(Hysteresis.next(from: .warn, value: 1.95, warn: 2, critical: nil, direction: .above, hysteresisPct: 5) == .warn)
        #expect(Hysteresis.next(from: .warn, value: 1.9, warn: 2, critical: nil, direction: .above, hysteresisPct: 5) == .ok)
    }

    static func replay(_ book: String) throws -> ([SessionEvent], SessionSummary) {
        let portfolio = try PortfolioLoader.load(path: Fixtures.path("Tests/Fixtures/books/\(book)")).portfolio
        let table = SymbolTable()
        let btc = try TapeReader(spec: TapeSpec(argument: SharedTapes.path("freqtrade_binance_BTC_USDT-1h.json")), symbols: table)
        let eth = try TapeReader(spec: TapeSpec(argument: SharedTapes.path("freqtrade_binance_ETH_USDT-1h.json")), symbols: table)
        let driver = try FeedDriver(portfolio: portfolio, source: TickMerger([btc, eth]), symbols: table,
                                    window: FeedWindow(from: TimeText.parseArgument("2022-11-01")))
        var events: [SessionEvent] = []
        let summary = try driver.runToEnd { events.append($0) }
        return (events, summary)
    }

    static func iso(_ t: Int64?) -> String? { t.map(TimeText.iso) }

    @Test func leveragedLongsWarnGoCriticalAndAreLiquidatedInTheFTXCrash() throws {
        let (events, s) = try Self.replay("leveraged-longs-2022.yaml")
        #expect(Self.iso(s.firstWarnTime) == "2022-11-08T05:19:59.999Z")
        #expect(Self.iso(s.firstCriticalTime) == "2022-11-08T15:19:59.999Z")
        #expect(Self.iso(s.liquidationTime) == "2022-11-08T18:39:59.999Z")
        #expect(s.finalTotalEquity == 0 && s.maxDrawdownPct == 100)
        #expect(s.ticks == 23_512 && Self.iso(s.firstTime) == "2022-11-01T00:00:00.000Z")
        let liquidation = try #require(events.first { if case .liquidation = $0 { return true } else { return false } })
        guard case let .liquidation(_, scope, symbol, equity, mm) = liquidation else { return }
        #expect(scope == .account && symbol == nil && equity <= mm)
        // After the account is liquidated no cross rule speaks again.
        let after = events.drop { if case .liquidation = $0 { return false } else { return true } }.dropFirst()
        #expect(after.isEmpty)
    }

    @Test func theSameBookWithStopsIsStoppedOutBeforeTheLiquidation() throws {
        let (events, s) = try Self.replay("stopped-longs-2022.yaml")
        #expect(s.stopsHit == ["BTCUSDT", "ETHUSDT"])
        #expect(s.liquidationTime == nil)
        let stops = events.compactMap { e -> (Int64, String, Double)? in
            if case let .stopLoss(t, symbol, _, pnl) = e { return (t, symbol, pnl) } else { return nil }
        }
        #expect(stops.map { TimeText.iso($0.0) } == ["2022-11-08T05:19:59.999Z", "2022-11-08T05:19:59.999Z"])
        #expect(stops.allSatisfy { $0.2 < 0 })
    }

    @Test func aHedgedBookSurvives() throws {
        let (_, s) = try Self.replay("hedged-2022.yaml")
        #expect(s.liquidationTime == nil && s.firstWarnTime == nil && s.stopsHit.isEmpty)
        #expect(try #require(s.minMarginRatio) > 4)
        let final = try #require(s.finalTotalEquity), baseline = try #require(s.baselineEquity)
        #expect(final > baseline)
    }

    @Test func withinAStepLiquidationComesBeforeStopsAndStopsBeforeRules() throws {
        // One step moves BTC through both the stop and the account's liquidation price:
        // the liquidation wins, the stop never fires.
        let portfolio = Portfolio(wallet: 1_000, positions: [
            PositionSpec(symbol: "BTCUSDT", side: .long, size: 1, entry: 50_000, leverage: 50, stopLoss: 49_500),
            PositionSpec(symbol: "ETHUSDT", side: .long, size: 1, entry: 3_000, leverage: 10, margin: .isolated,
                         isolatedMargin: 300, stopLoss: 2_900),
        ])
        let table = SymbolTable()
        var replay = try Replay(portfolio: portfolio, symbols: table)
        var events: [SessionEvent] = []
        for tick in [Tick(time: 1, symbol: table.id("BTCUSDT"), price: 50_000), Tick(time: 1, symbol: table.id("ETHUSDT"), price: 3_000),
                     Tick(time: 2, symbol: table.id("BTCUSDT"), price: 48_000), Tick(time: 2, symbol: table.id("ETHUSDT"), price: 2_850)] {
            replay.apply(tick) { events.append($0) }
        }
        replay.finish { events.append($0) }
        let kinds = events.filter { $0.time == 2 }.map { e -> String in
            switch e {
            case .liquidation(_, let scope, let s, _, _): return "liquidation \(scope.rawValue) \(s ?? "-")"
            case .stopLoss(_, let s, _, _): return "stop \(s)"
            case .softStop: return "soft stop"
            case .alert(let a): return "alert \(a.rule.rawValue)"
            }
        }
        #expect(kinds.first == "liquidation account -")
        #expect(kinds.contains("stop ETHUSDT") && !kinds.contains("stop BTCUSDT"))
        #expect(replay.session.summary.stopsHit == ["ETHUSDT"])
        // The isolated position's stop returned its margin plus PnL to the forfeited wallet.
        #expect(replay.session.engine.wallet == 300 - 150)
    }
}

/// The soft stop is raised when the loss reaches its level and cleared once the loss is back
/// at or below level × (1 − hysteresis): at exactly 14.25% (15% and 5%) it clears and re-arms.
struct SoftStopBoundaryTests {
    @Test func raisedAtTheLevelClearedAtTheRecoveredLevel() {
        let rule = AlertRule.softStop
        let t = AlertThresholds()
        #expect(rule.next(from: .ok, value: 15, in: t) == .critical)
        #expect(rule.next(from: .ok, value: 14.99, in: t) == .ok)
        #expect(rule.next(from: .critical, value: 14.26, in: t) == .critical)
        #expect(rule.next(from: .critical, value: 15 * 0.95, in: t) == .ok)
        #expect(rule.next(from: .critical, value: 10, in: t) == .ok)
    }
}
