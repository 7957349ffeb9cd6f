import Testing
@testable import MarginKit

@Suite struct BracketTableTests {
    @Test(arguments: Array(BuiltinInstruments.all.values.map(\.symbol)).sorted())
    func builtInCumSatisfiesContinuity(symbol: String) throws {
        let table = try #require(BuiltinInstruments.all[symbol]).table
        #expect(table.brackets.first?.floor == 0)
        for (previous, next) in zip(table.brackets, table.brackets.dropFirst()) {
            #expect(next.floor > previous.floor)
            let derived = previous.cum + next.floor * (next.mmr - previous.mmr)
            #expect(abs(derived - next.cum) < 1e-6, "\(symbol) at \(next.floor): \(next.cum) vs derived \(derived)")
        }
    }

    @Test func absentCumIsDerivedFromThePreviousGivenOrDerived() {
        let table = BracketTable(tiers: [(0, 0.004, 10), (50_000, 0.005, nil), (600_000, 0.0065, 1_000), (3_000_000, 0.01, nil)])
        let expected = [10, 60, 1_000, 1_000 + 3_000_000 * (0.01 - 0.0065)]
        for (got, want) in zip(table.brackets.map(\.cum), expected) { #expect(abs(got - want) < 1e-9) }
    }

    @Test func bracketLookupUsesFloorInclusiveUpperExclusive() {
        let table = BuiltinInstruments.btcusdt.table
        #expect(table.index(forNotional: 0) == 0)
        #expect(table.index(forNotional: 49_999.99) == 0)
        #expect(table.index(forNotional: 50_000) == 1)
        #expect(table.index(forNotional: 2_000_000_000) == table.brackets.count - 1)
        #expect(table.index(forNotional: 50_000, hint: 11) == 1)
        #expect(table.maintenanceMargin(notional: 100_000) == 100_000 * 0.005 - 50)
    }
}
