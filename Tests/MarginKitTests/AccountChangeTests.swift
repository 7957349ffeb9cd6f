import Foundation
import Testing
@testable import MarginKit

/// `--account binance`: when the exchange account changes, the session goes on on the new book
/// without raising again what was already in force.
@Suite struct AccountChangeTests {
    static func snapshot(_ positions: String) throws -> ExchangeSnapshot {
        let dir = "Tests/Fixtures/binance/"
        func data(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(dir + name))) }
        let held = try BinanceDecoders.positions(data(positions), file: positions)
        let tables = try BinanceDecoders.brackets(data("leverageBracket.json"), file: "b")
        return ExchangeSnapshot(account: ExchangeAccount(wallet: 10_000, positions: held), brackets: tables)
    }

    static func portfolio(_ s: ExchangeSnapshot) throws -> Portfolio {
        let base = try PortfolioLoader.load(text: "{}", name: "levels", sources: PortfolioSources(accountFromExchange: true)).portfolio
        return s.account.portfolio(base: base, fileInstruments: [], brackets: s.brackets)
    }

    @Test func aResizeRaisesOnlyWhatItChanged() throws {
        let symbols = SymbolTable()
        var first = try Replay(portfolio: try Self.portfolio(Self.snapshot("positionRisk.json")), symbols: symbols)
        var events: [SessionEvent] = []
        first.apply(Tick(time: 1_000, symbol: symbols.id("SOLUSDT"), price: 140), onEvent: { events.append($0) })
        first.finish(onEvent: { events.append($0) })
        // SOL isolated is 2.5% from its liquidation: critical.
        #expect(events.contains { if case .alert(let a) = $0 { a.symbol == "SOLUSDT" && a.level == .critical } else { false } })

        // The trader doubles BTC and closes ETH at the exchange.
        let resized = try Self.portfolio(Self.snapshot("positionRisk-resized.json"))
        var second = try Replay(portfolio: resized, symbols: symbols)
        second.carryOver(from: first)
        var after: [SessionEvent] = []
        second.apply(Tick(time: 2_000, symbol: symbols.id("SOLUSDT"), price: 140), onEvent: { after.append($0) })
        second.finish(onEvent: { after.append($0) })
        let raised = after.compactMap { e -> String? in
            if case .alert(let a) = e, a.state == .raised { return "\(a.rule.rawValue) \(a.symbol ?? "")" }
            return nil
        }
        // SOL's critical stands and is not raised again; the doubled BTC position's MM share is new.
        #expect(!raised.contains { $0.hasSuffix("SOLUSDT") }, "\(raised)")
        #expect(raised.contains("position_mm BTCUSDT"), "\(raised)")
        #expect(second.session.baseline == first.session.baseline)
    }

    @Test func theSameBookIsNotAChangeWhenOnlyMarksMoved() throws {
        let a = try Self.snapshot("positionRisk.json")
        var b = a
        b.account.positions[0].mark += 100
        b.account.positions[0].spec.mark = b.account.positions[0].mark
        b.account.positions[0].liquidationPrice = 1
        #expect(a.sameBook(as: b))
        b.account.positions[0].spec.size += 1
        #expect(!a.sameBook(as: b))
        var c = a
        c.account.wallet += 1
        #expect(!a.sameBook(as: c))
    }
}
