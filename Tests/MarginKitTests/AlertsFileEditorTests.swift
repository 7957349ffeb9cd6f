import Testing
@testable import MarginKit

@Suite struct AlertsFileEditorTests {
    static var tighter: AlertThresholds {
        var t = AlertThresholds()
        t.marginRatio.warn = 45
        t.freeMarginPct.critical = 25
        t.softStopAction = .closeAll
        return t
    }

    @Test func valuesAreRewrittenInPlaceKeepingCommentsAndOrder() throws {
        let text = """
        # my book
        account:
          wallet: 1000   # cross wallet
        alerts:
          # levels I chose
          margin_ratio: {warn: 2.0, critical: 1.5}   # equity / MM
          free_margin_pct:
            warn: 30
            critical: 20     # dry powder
          soft_stop_action: "alert"
        positions: []

        """
        let out = try AlertsFileEditor.update(text: text, with: Self.tighter, name: "f.yaml")
        #expect(out == """
        # my book
        account:
          wallet: 1000   # cross wallet
        alerts:
          # levels I chose
          margin_ratio: {warn: 45, critical: 1.5}   # equity / MM
          free_margin_pct:
            warn: 30
            critical: 25     # dry powder
          soft_stop_action: "close_all"
        positions: []

        """)
        let reloaded = try PortfolioLoader.load(text: out, name: "f.yaml").portfolio.alerts
        #expect(reloaded == Self.tighter)
        // A level that changed and is not in the block is added; the ones left at their default are not.
        var looser = Self.tighter
        looser.correlatedExposure.correlation = 0.85
        let added = try AlertsFileEditor.update(text: text, with: looser, name: "f.yaml")
        #expect(added.contains("  correlated_exposure: {correlation: 0.85}\n") && !added.contains("hysteresis_pct"))
        #expect(try PortfolioLoader.load(text: added, name: "f.yaml").portfolio.alerts == looser)
    }

    @Test func aFileWithoutAlertsGetsABlockAtTheEnd() throws {
        let text = "account: {wallet: 5}\npositions: []  # none yet"
        let out = try AlertsFileEditor.update(text: text, with: Self.tighter, name: "f.yaml")
        #expect(out.hasPrefix("account: {wallet: 5}\npositions: []  # none yet\nalerts:\n  margin_ratio: {warn: 45, critical: 1.5}\n"))
        #expect(try PortfolioLoader.load(text: out, name: "f.yaml").portfolio.alerts == Self.tighter)
    }

    @Test func missingLeavesAreAddedInsideFlowAndBlockParents() throws {
        let text = """
        account: {wallet: 5}
        alerts:
          margin_ratio: {warn: 3}
          free_margin_pct:
            warn: 40
        """
        let out = try AlertsFileEditor.update(text: text, with: Self.tighter, name: "f.yaml")
        // The critical left out is at its default and unchanged: it stays left out.
        #expect(out.contains("  margin_ratio: {warn: 45}\n"))
        #expect(out.contains("  free_margin_pct:\n    warn: 30\n    critical: 25\n"))
        #expect(try PortfolioLoader.load(text: out, name: "f.yaml").portfolio.alerts == Self.tighter)
    }

    @Test func theDemoRoundTrips() throws {
        let out = try AlertsFileEditor.update(text: DemoPortfolio.yaml, with: Self.tighter, name: "demo")
        #expect(try PortfolioLoader.load(text: out, name: "demo").portfolio.alerts == Self.tighter)
        #expect(out.contains("# marginwatch demo account"))
        #expect(out.components(separatedBy: "\n").count == DemoPortfolio.yaml.components(separatedBy: "\n").count)
    }
}
