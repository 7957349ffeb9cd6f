import Foundation
import Testing
@testable import MarginKit

@Suite struct SnapshotReportTests {
    static func load(_ name: String) throws -> (LoadedPortfolio, Evaluation, [Alert]) {
        let loaded = try PortfolioLoader.load(path: Fixtures.path("Tests/Fixtures/portfolios/" + name))
        let evaluation = try Engine(portfolio: loaded.portfolio).evaluate()
        return (loaded, evaluation, SnapshotAlerts.alerts(for: evaluation, thresholds: loaded.portfolio.alerts))
    }

    @Test func jsonHasTheContractFieldsInOrder() throws {
        let (_, e, alerts) = try Self.load("tight.yaml")
        let (loaded, _, _) = try Self.load("tight.yaml")
        let buffers = try Engine(portfolio: loaded.portfolio).buffers(thresholds: loaded.portfolio.alerts)
        let json = SnapshotJSON.snapshot(e, alerts: alerts, buffers: buffers)
        guard case .object(let top) = json else { Issue.record("not an object"); return }
        #expect(top.map(\.0) == ["account", "positions", "alerts", "buffers", "groups"])
        guard case .object(let bufferFields) = top[3].1 else { Issue.record("buffers not an object"); return }
        #expect(bufferFields.map(\.0) == ["deposit_to_clear_warn", "deposit_to_clear_critical", "withdrawable_keeping_warn",
                                         "withdrawable_exchange"])
        guard case .object(let account) = top[0].1, case .array(let positions) = top[1].1,
              case .object(let position) = positions[0], case .array(let alertItems) = top[2].1,
              case .object(let alert) = alertItems[0] else { Issue.record("wrong shapes"); return }
        #expect(account.map(\.0) == ["wallet", "collateral_value", "unrealized_pnl", "equity", "total_equity",
                                     "initial_margin", "maintenance_margin", "margin_ratio", "mm_rate", "free_margin",
                                     "free_margin_pct", "account_shock_pct", "return_on_margin_pct", "without_largest_profit"])
        #expect(position.map(\.0) == ["symbol", "side", "margin", "size", "entry", "mark", "leverage", "notional",
                                      "unrealized_pnl", "roe_pct", "initial_margin", "maintenance_margin", "mmr", "cum",
                                      "liquidation_price", "liquidation_distance_pct", "stop_loss", "isolated_margin",
                                      "equity_share_pct"])
        #expect(alert.map(\.0) == ["rule", "level", "symbol", "value", "threshold", "message"])
        // The output parses as JSON with Foundation too.
        let parsed = try JSONSerialization.jsonObject(with: Data(json.rendered.utf8)) as? [String: Any]
        #expect((parsed?["account"] as? [String: Any])?["equity"] as? Double == 7_200)
    }

    @Test func tightBookAlertsAreTheStopAndBothPositionShares() throws {
        let (_, _, alerts) = try Self.load("tight.yaml")
        #expect(alerts.map { "\($0.level.rawValue) \($0.rule.rawValue) \($0.symbol ?? "-")" } == [
            "warn position_mm BTCUSDT", "warn position_mm ETHUSDT", "critical stop_loss BTCUSDT",
        ])
        let stop = try #require(alerts.first { $0.rule == .stopLoss })
        #expect(stop.value == 59_000 && stop.threshold == 60_000)
        let share = try #require(alerts.first { $0.rule == .positionMM })
        #expect(abs(share.value - 100 * 188.8 / 7_200) < 1e-9 && share.threshold == 2)
    }

    @Test func snapshotTextRendersAlignedTablesWithSignsAndDashes() throws {
        let (loaded, e, alerts) = try Self.load("tight.yaml")
        let text = SnapshotText.render(e, alerts: alerts, buffers: try Engine(portfolio: loaded.portfolio).buffers(thresholds: loaded.portfolio.alerts), source: "tight.yaml", portfolio: loaded.portfolio)
        let expected = """
        marginwatch snapshot — tight.yaml

        ACCOUNT  (margin ratio = equity / maintenance margin: healthy above 2, liquidated at 1)
          Equity (cross)         7,200.00    Wallet             10,000.00
          Total equity           7,200.00    Collateral value        0.00
          Unrealized PnL        -2,800.00    Return on margin     -144.0%
          Margin ratio              18.52    MM rate (Binance)      5.40%
          Maintenance margin       388.80    Initial margin      1,944.00
          Free margin            5,256.00    Free margin %          73.0%
          Shock to liquidation    +207.4%

        BUFFERS  (cross account, at these marks and your alert levels)
          Deposit to clear every warning    2,800.00
          Deposit to clear every critical   0.00
          Withdrawable raising no warning   0.00
          Withdrawable (exchange limit)     5,256.00

        POSITIONS
          SYMBOL   SIDE   MARGIN  SIZE      ENTRY       MARK   NOTIONAL       UPNL      ROE  LEV      MM        IM  LIQ PRICE  LIQ DIST       STOP
          BTCUSDT  long   cross    0.8  62,500.00  59,000.00  47,200.00  -2,800.00  -280.0%  50x  188.80    944.00  50,451.81    -14.5%  60,000.00
          ETHUSDT  short  cross     16   3,125.00   3,125.00  50,000.00       0.00     0.0%  50x  200.00  1,000.00   3,548.58    +13.6%          —

        ALERTS
          LEVEL     RULE         MESSAGE
          CRITICAL  stop_loss    BTCUSDT long mark 59,000.00 has crossed its stop-loss 60,000.00
          WARN      position_mm  BTCUSDT maintenance margin is 2.62% of equity (warn above 2%)
          WARN      position_mm  ETHUSDT maintenance margin is 2.78% of equity (warn above 2%)

        NOTES
          ETHUSDT short has no stop-loss: every position deserves a hard stop.
          Liquidation prices hold every other mark still; the account shock moves all marks at once.
          Fees and funding are not included.

        """
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)
                == expected.split(separator: "\n", omittingEmptySubsequences: false))
    }

    @Test func marginRatioAndLiquidationAlertsFireBelowTheirLevels() throws {
        // 1,000 USDT backing 200,000 of BTC at 0.5%/cum 50 bracket: MM 950, ratio ≈ 1.05.
        var engine = try Engine(portfolio: Portfolio(wallet: 1_000, positions: [
            PositionSpec(symbol: "BTCUSDT", side: .long, size: 4, entry: 50_000, leverage: 125),
        ]))
        var alerts = SnapshotAlerts.alerts(for: engine.evaluate(), thresholds: AlertThresholds())
        let ratio = try #require(alerts.first { $0.rule == .marginRatio })
        #expect(ratio.level == .critical && ratio.threshold == 1.5)
        #expect(alerts.contains { $0.rule == .freeMarginPct && $0.level == .critical })
        #expect(!alerts.contains { $0.rule == .liquidation })
        engine.setMark(49_990, for: "BTCUSDT")  // equity 960 vs MM ≈ 949.8: still alive
        #expect(!SnapshotAlerts.alerts(for: engine.evaluate(), thresholds: AlertThresholds()).contains { $0.rule == .liquidation })
        engine.setMark(49_980, for: "BTCUSDT")  // equity 920 ≤ MM 949.6
        alerts = SnapshotAlerts.alerts(for: engine.evaluate(), thresholds: AlertThresholds())
        #expect(alerts.contains { $0.rule == .liquidation && $0.symbol == nil && $0.level == .critical })
    }

    @Test func noCrossPositionsMeansNoCrossRules() throws {
        let engine = try Engine(portfolio: Portfolio(wallet: 0, positions: [
            PositionSpec(symbol: "ETHUSDT", side: .long, size: 1, entry: 3_000, leverage: 10, margin: .isolated),
        ]))
        let e = engine.evaluate()
        #expect(e.account.marginRatio == nil && e.account.mmRate == nil && e.account.freeMarginPct == nil)
        #expect(e.account.accountShockPct == nil)
        let rules = SnapshotAlerts.alerts(for: e, thresholds: AlertThresholds()).map(\.rule)
        #expect(!rules.contains(.marginRatio) && !rules.contains(.freeMarginPct) && !rules.contains(.positionMM))
        #expect(rules.contains(.liquidationDistance))
    }
}
