import DequeModule
import Foundation
@testable import MarginKit
@testable import TerminalUI

/// Fixed inputs for rendering tests: the `tight.yaml` book, a few alerts, a paused replay clock.
enum ScreenFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func portfolio(_ name: String = "tight.yaml") throws -> LoadedPortfolio {
        try PortfolioLoader.load(path: repoRoot.appendingPathComponent("Tests/Fixtures/portfolios/\(name)").path)
    }

    static let t0: Int64 = 1_667_925_000_000  // 2022-11-08 16:30:00Z

    static let events: [SessionEvent] = [
        .alert(AlertChange(time: t0, rule: .positionMM, level: .warn, state: .raised, symbol: "BTCUSDT", value: 2.62, threshold: 2)),
        .alert(AlertChange(time: t0 + 60_000, rule: .marginRatio, level: .critical, state: .raised, symbol: nil, value: 1.42, threshold: 1.5)),
        .alert(AlertChange(time: t0 + 120_000, rule: .freeMarginPct, level: .warn, state: .cleared, symbol: nil, value: 33, threshold: 30)),
        .stopLoss(time: t0 + 180_000, symbol: "BTCUSDT", price: 59_000, realizedPnl: -2_800),
    ]

    static func snapshot(portfolio name: String = "tight.yaml", banner: Bool = false, stress: Bool = false,
                         isolation: Bool = false) throws -> MonitorSnapshot {
        let loaded = try portfolio(name)
        let engine = try Engine(portfolio: loaded.portfolio)
        let log = Deque(events.map(LogEntry.init))
        return MonitorSnapshot(
            portfolioName: name,
            feed: FeedStatus(state: .paused, label: "REPLAY", speed: "3600x", time: t0 + 180_000, progress: 0.5, isReplay: true),
            evaluation: engine.evaluate(), thresholds: loaded.portfolio.alerts, baseline: 10_000, log: log,
            banner: banner ? LogEntry(.liquidation(time: t0 + 240_000, scope: .account, symbol: nil, equity: 80, maintenanceMargin: 95)) : nil,
            moved: ["BTCUSDT": false],
            stress: stress ? engine.stress(shocks: [-10, 10]) : nil,
            isolation: isolation ? engine.isolationComparison() : nil)
    }

    /// A long book of `count` one-unit longs on made-up symbols `S0USDT`… (flat 1% brackets).
    static func flatBook(_ count: Int) -> Portfolio {
        var book = Portfolio(wallet: 1_000_000, positions: [])
        for i in 0..<count {
            book.instruments["S\(i)USDT"] = Instrument(symbol: "S\(i)USDT", table: BracketTable(flatRate: 0.01))
            book.positions.append(PositionSpec(symbol: "S\(i)USDT", side: .long, size: 1, entry: 100, leverage: 5))
        }
        return book
    }

    static func render(_ s: MonitorSnapshot, ui: MonitorUIState = MonitorUIState(), width: Int = 80, height: Int = 24) -> Frame {
        MainView.render(s, ui: ui, savePath: "tight.yaml", width: width, height: height, now: 0)
    }
}
