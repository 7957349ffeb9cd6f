import Foundation
import Testing
@testable import MarginKit
@testable import TerminalUI

/// An exchange link scripted by the test: what it sends and how its connection stands.
final class ScriptedLink: ExchangeLink {
    struct State: Sendable {
        var ticks: [(String, Double)] = []
        var time: Int64 = 1_700_000_000_000
        var status = LinkStatus(phase: .connecting(attempt: 1))
        var funding: [String: FundingInfo] = [:]
        var pending: ExchangeSnapshot?
        var latest: ExchangeSnapshot?
        var table: SymbolTable?
    }
    let state = Locked(State())
    let name = "Binance USDⓈ-M"

    func send(_ symbol: String, _ price: Double) { state.withLock { $0.ticks.append((symbol, price)) } }

    func ticks(for symbols: [String], table: SymbolTable) -> any LiveTickSource {
        state.withLock { $0.table = table }
        return Source(link: self)
    }
    func status(now: Double) -> LinkStatus { state.withLock { $0.status } }
    func funding(of symbol: String) -> FundingInfo? { state.withLock { $0.funding[symbol] } }
    func takeAccount() -> ExchangeSnapshot? { state.withLock { s in defer { s.pending = nil }; return s.pending } }
    var account: ExchangeSnapshot? { state.withLock { $0.latest } }
    func stop() {}

    struct Source: LiveTickSource {
        let link: ScriptedLink
        func poll(into batch: inout [Tick]) throws -> (got: Bool, ended: Bool) {
            let got = link.state.withLock { s -> [Tick] in
                defer { s.ticks.removeAll() }
                s.time += 1_000
                let time = s.time
                return s.ticks.map { Tick(time: time, symbol: s.table!.id($0.0), price: $0.1) }
            }
            batch.append(contentsOf: got)
            return (!got.isEmpty, false)
        }
        mutating func next() throws -> Tick? { nil }
    }
}

@Suite struct ExchangeScreenTests {
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: ScreenFixtures.repoRoot.appendingPathComponent("Tests/Fixtures/binance/\(name)"))
    }

    static func snapshot(_ positions: String) throws -> ExchangeSnapshot {
        let held = try BinanceDecoders.positions(data(positions), file: positions)
        return ExchangeSnapshot(account: ExchangeAccount(wallet: 10_000, positions: held),
                                brackets: try BinanceDecoders.brackets(data("leverageBracket.json"), file: "b"))
    }

    static func controller(_ link: ScriptedLink) throws -> MonitorController {
        let first = try snapshot("positionRisk.json")
        let base = try PortfolioLoader.load(text: "{}", name: "levels", sources: PortfolioSources(accountFromExchange: true))
        var loaded = base
        let rebuild: @Sendable (ExchangeSnapshot) -> Portfolio = { s in
            s.account.portfolio(base: base.portfolio, fileInstruments: [], brackets: s.brackets)
        }
        loaded.portfolio = rebuild(first)
        loaded.source = "Binance account"
        link.state.withLock { $0.latest = first }
        let engine = try MonitorEngine(loaded: loaded, source: .exchange(link.name), speed: .times(1), startTime: 0, link: link)
        engine.accountRebuild = { ExchangeBook(portfolio: rebuild($0), exchangeBrackets: Set($0.brackets.keys)) }
        engine.exchangeBrackets = Set(first.brackets.keys)
        return MonitorController(engine: engine, portfolioPath: nil)
    }

    static func screen(_ c: MonitorController, width: Int = 120, height: Int = 40, now: Double) -> String {
        c.render(width: width, height: height, now: now).lines().joined(separator: "\n")
    }

    @Test func theStatusLineSaysWhetherTheNumbersAreCurrent() throws {
        let link = ScriptedLink()
        let c = try Self.controller(link)
        c.engine.pump(wall: 100)
        #expect(Self.screen(c, now: 100).contains("… CONNECTING, no mark yet"))
        link.send("BTCUSDT", 62_345.6)
        link.state.withLock { $0.status = LinkStatus(phase: .live, age: 0.4, latencyMs: 85) }
        c.engine.pump(wall: 101)
        var text = Self.screen(c, now: 101)
        #expect(text.contains("● LIVE 0.4 s ago, 85 ms") && text.contains("62,345.60"), "\(text)")
        link.state.withLock { $0.status = LinkStatus(phase: .stale, age: 12) }
        text = Self.screen(c, now: 113)
        #expect(text.contains("! STALE, last mark 12 s ago — numbers are old"), "\(text)")
        link.state.withLock {
            $0.status = LinkStatus(phase: .reconnecting(seconds: 3.2, attempt: 3, reason: "closed by the server"), age: 20, badMessages: 2,
                                   problem: "account: Binance refused the API key")
        }
        text = Self.screen(c, now: 121)
        // A problem to act on gets the line; the connection shrinks to its phase.
        #expect(text.contains("↻ RECONNECTING in 4 s (attempt 3)  ! account: Binance refused the API key"), "\(text)")
        link.state.withLock { $0.status.problem = nil }
        text = Self.screen(c, now: 121)
        #expect(text.contains("↻ RECONNECTING in 4 s (attempt 3): closed by the server, last mark 20 s ago, 2 unreadable"), "\(text)")
        // Old numbers are dimmed (the snapshot says stale), never shown as current.
        #expect(c.snapshot(now: 121).isStale)
    }

    @Test func fundingShowsAsAColumnWhenThereIsRoomAndAlwaysInTheDetails() throws {
        let link = ScriptedLink()
        let c = try Self.controller(link)
        link.state.withLock {
            $0.funding["BTCUSDT"] = FundingInfo(rate: 0.0001, nextFunding: 1_700_000_000_000 + 3 * 3_600_000)
            $0.status = LinkStatus(phase: .live, age: 0.1)
        }
        link.send("BTCUSDT", 62_000)
        c.engine.pump(wall: 100)
        #expect(Self.screen(c, width: 160, now: 100).contains("FUNDING"))
        #expect(Self.screen(c, width: 160, now: 100).contains("+0.0100%"))
        #expect(!Self.screen(c, width: 80, height: 24, now: 100).contains("FUNDING"), "an 80-column screen keeps the risk columns")
        c.handle(.enter, now: 100)
        let details = Self.screen(c, width: 80, height: 24, now: 100)
        // 0.5 BTC at 62,000 = 31,000 notional × 0.01% = 3.10, paid by the long, in about 3 hours.
        #expect(details.contains("funding (exchange)      +0.0100% · in 3h") && details.contains("pays 3.10"), "\(details)")
        #expect(details.contains("liquidation, exchange   39,315.20 · ours"), "\(details)")
    }

    @Test func anAccountProblemIsLoggedWholeOnceAndItsEndToo() throws {
        let link = ScriptedLink()
        let c = try Self.controller(link)
        let problem = "account: Binance refused the API key: Invalid API-key, IP, or permissions for action. "
            + "(check BINANCE_API_KEY, its futures permission and IP list)"
        for wait in [30, 30, 60] {
            link.state.withLock { $0.status = LinkStatus(phase: .live, age: 0.1, problem: problem + " — retrying in \(wait) s") }
            c.engine.pump(wall: 100 + Double(wait))
        }
        let rows = c.engine.log.filter { $0.kind == .account }.map(\.message)
        // Newest first on screen: the rows read top to bottom; every word is in them, once.
        #expect(rows.reversed().joined(separator: " ").replacingOccurrences(of: "   ", with: " ")
                .hasPrefix("account: Binance refused the API key: Invalid API-key"), "\(rows)")
        #expect(rows.joined().contains("IP list)"), "\(rows)")
        #expect(rows.allSatisfy { $0.count <= 62 })
        #expect(rows.filter { $0.hasPrefix("account:") }.count == 1, "the same problem with another wait is logged once")
        link.state.withLock { $0.status = LinkStatus(phase: .live, age: 0.1) }
        c.engine.pump(wall: 200)
        #expect(c.engine.log.last?.message == "account read again: the problem is over")
    }

    @Test func aChangedAccountIsLoggedAndWatchedWithoutRaisingAgain() throws {
        let link = ScriptedLink()
        let c = try Self.controller(link)
        link.send("SOLUSDT", 140)
        link.send("BTCUSDT", 63_000)
        c.engine.pump(wall: 100)
        let critical = c.engine.log.filter { $0.kind == .raised && $0.symbol == "SOLUSDT" }.count
        #expect(critical == 1)
        link.state.withLock { $0.pending = try? Self.snapshot("positionRisk-resized.json") }
        link.send("SOLUSDT", 140)
        c.engine.pump(wall: 101)
        #expect(c.engine.loaded.portfolio.positions.map(\.symbol) == ["BTCUSDT", "SOLUSDT"])
        // The stream's mark carries over (the new read's own mark, 62,000, is older).
        #expect(c.engine.evaluation.positions.first { $0.symbol == "BTCUSDT" }?.mark == 63_000)
        #expect(c.engine.log.filter { $0.kind == .raised && $0.symbol == "SOLUSDT" }.count == 1, "not raised again")
        let text = Self.screen(c, now: 101)
        #expect(text.contains("ACCT  account") && text.contains("resized BTCUSDT long 0.5 → 1 @ 61,000.00"), "\(text)")
        #expect(text.contains("closed ETHUSDT short 5"))
        #expect(!text.contains("ETHUSDT  "), "the closed position left the table")
    }
}
