import Testing
@testable import MarginKit

@Suite struct PortfolioLoaderTests {
    @Test func catalogueHasAtLeastTwentyCases() {
        #expect(Fixtures.badPortfolios.count >= 20)
    }

    @Test(arguments: Fixtures.badPortfolios)
    func badPortfolioFailsWithPlaceAndExitCode(_ bad: Fixtures.BadCase) {
        let path = Fixtures.path("Tests/Fixtures/bad/" + bad.file)
        do {
            _ = try PortfolioLoader.load(path: path)
            Issue.record("\(bad.file) loaded without error")
        } catch let error as MarginWatchError {
            #expect(error.exitCode == bad.exitCode)
            #expect(error.description == bad.message.replacingOccurrences(of: "FILE", with: path))
        } catch {
            Issue.record("\(bad.file): unexpected error type \(error)")
        }
    }

    @Test func demoLoadsWithoutWarningsAndTeachesTheSeedExamples() throws {
        let demo = PortfolioLoader.demo()
        #expect(demo.warnings.isEmpty)
        let p = demo.portfolio
        #expect(p.wallet == 10_000)
        #expect(p.positions.contains { $0.margin == .isolated && $0.leverage >= 20 })
        #expect(p.positions.filter { $0.stopLoss == nil }.count == 1)
        #expect(p.collateral.count == 1 && p.collateral[0].haircut > 0)
        let btc = try #require(p.positions.first { $0.symbol == "BTCUSDT" })
        #expect(btc.side == .long && btc.leverage == 5 && abs(btc.size * btc.entry - 10_000) < 500)
        #expect(p.positions.contains { $0.side == .short && $0.leverage == 10 && abs($0.size * $0.entry - 5_000) < 500 })
        #expect(p.positions.contains { $0.symbol == "ETHUSDT" })
        _ = try Engine(portfolio: p)
    }

    @Test func jsonIsAcceptedAndEqualsTheSameYAML() throws {
        let yaml = try PortfolioLoader.load(text: """
        account: {wallet: 500}
        positions:
          - {symbol: ETHUSDT, side: short, size: 2, entry: 3000, leverage: 20, margin: isolated, stop_loss: 3300}
        """, name: "a.yaml")
        let json = try PortfolioLoader.load(text: """
        {"account": {"wallet": 500},
         "positions": [{"symbol": "ETHUSDT", "side": "short", "size": 2, "entry": 3000, "leverage": 20,
                        "margin": "isolated", "stop_loss": 3300}]}
        """, name: "a.json")
        #expect(yaml.portfolio == json.portfolio)
        #expect(json.portfolio.positions[0].isolatedMargin == 300)  // default size·entry/leverage
    }

    @Test func instrumentOverridesDeriveCumAndFlatRatesWork() throws {
        let loaded = try PortfolioLoader.load(text: """
        account: {wallet: 1000}
        positions:
          - {symbol: MYCOINUSDT, side: long, size: 10, entry: 5, leverage: 2}
        instruments:
          BTCUSDT:
            tiers:
              - {floor: 0, mmr: 0.004}
              - {floor: 50000, mmr: 0.005}
          MYCOINUSDT:
            maintenance_rate: 0.01
        """, name: "i.yaml")
        let btc = try #require(loaded.portfolio.instruments["BTCUSDT"]).table
        #expect(btc.brackets.map(\.cum) == [0, 50])
        #expect(loaded.portfolio.instruments["MYCOINUSDT"]?.table.brackets == [Bracket(floor: 0, mmr: 0.01, cum: 0)])
        #expect(loaded.portfolio.instruments["ETHUSDT"] == BuiltinInstruments.ethusdt)
    }

    @Test func stopOnTheWrongSideIsAWarningNamingThePlace() throws {
        let loaded = try PortfolioLoader.load(text: """
        account: {wallet: 1000}
        positions:
          - {symbol: BTCUSDT, side: long, size: 0.1, entry: 60000, leverage: 5, stop_loss: 65000}
        """, name: "w.yaml")
        #expect(loaded.warnings == ["w.yaml:3:84: positions[0].stop_loss 65000 is at or above the entry 60000 of a long: it will fire at once"])
    }

    @Test func alertsAndFeedBlocksAreRead() throws {
        let loaded = try PortfolioLoader.load(text: """
        account: {wallet: 1000}
        alerts:
          margin_ratio: {warn: 3}
          position_mm_pct: {warn: 1.5}
          soft_stop_action: close_all
        feed:
          seed: 7
          interval: 1s
          symbols: {BTCUSDT: {start: 50000, vol: 0.5}}
          jumps: {per_hour: 1}
        """, name: "a.yaml")
        let p = loaded.portfolio
        #expect(p.alerts.marginRatio == LevelPair(warn: 3, critical: 1.5))
        #expect(p.alerts.positionMMPctWarn == 1.5)
        #expect(p.alerts.softStopAction == .closeAll)
        #expect(p.feed.seed == 7 && p.feed.intervalMs == 1_000)
        #expect(p.feed.symbols["BTCUSDT"] == SimulatedSymbol(start: 50_000, vol: 0.5))
        #expect(p.feed.jumps == JumpConfig(perHour: 1, meanPct: -4, stdevPct: 3))
    }

    @Test(arguments: [("500ms", 500), ("30s", 30_000), ("10m", 600_000), ("2h", 7_200_000), ("1.5s", 1_500), ("1d", 86_400_000)] as [(String, Int64)])
    func durationsParse(text: String, ms: Int64) {
        #expect(parseDurationMilliseconds(text) == ms)
    }

    @Test(arguments: ["", "5", "ms", "-1s", "1w", "1 s", "abc"])
    func badDurationsAreRejected(text: String) {
        #expect(parseDurationMilliseconds(text) == nil)
    }
}

/// Found by the portfolio fuzzer: a value spanning lines (or holding an escape sequence) was
/// echoed raw into the error, which then was not one line and could drive the terminal.
@Suite struct PrintableErrorTests {
    @Test func anErrorQuotingAMultiLineValueStaysOneLine() throws {
        let text = "acf Op(\n\n\n\nyb"
        #expect { try PortfolioLoader.load(text: text, name: "p.yaml") } throws: { error in
            let line = "\(error)"
            return !line.contains("\n") && line.contains("\\n") && line.hasPrefix("p.yaml:1:1: ")
        }
    }

    @Test func escapeSequencesFromAFileAreSpelledOut() {
        let e = MarginWatchError.invalidContent(SourceLocation(file: "t.csv", line: 2), "price is not a number (\"\u{1B}[2J\")")
        #expect(e.description == "t.csv:2: price is not a number (\"\\u{1B}[2J\")")
    }
}
