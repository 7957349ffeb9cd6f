import Foundation
import MarginKit
import TerminalUI

// Release-build micro-benchmarks of the engine's hot paths (run by Scripts/bench.sh).
// Each case reports nanoseconds per operation, the best of several rounds.

/// Times `body` (which performs `ops` operations) over `rounds` rounds; returns the best ns/op.
func measure(_ name: String, ops: Int, rounds: Int = 5, _ body: () -> Double) -> Double {
    var best = Double.infinity
    var sink = 0.0
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        sink += body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
        best = min(best, elapsed / Double(ops))
    }
    let unit = best >= 1_000_000 ? String(format: "%10.3f ms", best / 1_000_000)
        : best >= 1_000 ? String(format: "%10.3f µs", best / 1_000) : String(format: "%10.1f ns", best)
    print("\(name.padding(toLength: 58, withPad: " ", startingAt: 0)) \(unit)   (checksum \(String(format: "%.3g", sink)))")
    return best
}

/// A portfolio of `count` cross positions spread over `symbols` flat-rate instruments, with
/// `onFirst` of them on symbol S0 (the one the tick benchmarks move).
func syntheticPortfolio(positions count: Int, symbols: Int, onFirst: Int = 1, isolated: Bool = false) -> Portfolio {
    var instruments = BuiltinInstruments.all
    for s in 0..<symbols {
        instruments["S\(s)USDT"] = Instrument(symbol: "S\(s)USDT", table: BracketTable(tiers: [
            (0, 0.01, nil), (50_000, 0.02, nil), (250_000, 0.05, nil), (1_000_000, 0.1, nil)]))
    }
    var positions: [PositionSpec] = []
    for i in 0..<count {
        let symbol = i < onFirst ? 0 : 1 + (i - onFirst) % max(symbols - 1, 1)
        let side: Side = i % 2 == 0 ? .long : .short
        positions.append(PositionSpec(symbol: "S\(symbol)USDT", side: side, size: 10 + Double(i % 7),
                                      entry: 100 + Double(symbol), leverage: 10,
                                      margin: isolated ? .isolated : .cross, mark: 100 + Double(symbol)))
    }
    // One-way mode allows one position per symbol and side; the benchmark does not need that rule
    // (the engine does not rely on it), so larger books simply repeat symbols.
    return Portfolio(wallet: 50_000, positions: positions, instruments: instruments)
}

func tickBenchmark(_ name: String, _ portfolio: Portfolio) throws {
    var engine = try Engine(portfolio: portfolio)
    guard let s0 = engine.index(of: "S0USDT") else { return }
    let n = 2_000_000
    _ = measure(name, ops: n) {
        var price = 100.0
        for i in 0..<n {
            price = 100 + Double(i & 1023) * 0.01
            engine.setMark(price, symbolIndex: s0)
        }
        return engine.totals.equity
    }
}

// The engine and alerts alone, over ticks already in memory: `MarginBench --session TAPE BOOK`.
if CommandLine.arguments.count > 3, CommandLine.arguments[1] == "--session" {
    let table = SymbolTable()
    let reader = try TapeReader(spec: TapeSpec(argument: CommandLine.arguments[2]), symbols: table)
    var ticks: [Tick] = []
    while try reader.nextBatch(into: &ticks) {}
    let portfolio = try PortfolioLoader.load(path: CommandLine.arguments[3]).portfolio
    for _ in 0..<3 {
        var replay = try Replay(portfolio: portfolio, symbols: table)
        var events = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for t in ticks { replay.apply(t) { _ in events += 1 } }
        replay.finish { _ in events += 1 }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "engine + alerts only: %d ticks in %.3f s = %.1f M ticks/s (%d events)",
                     ticks.count, seconds, Double(ticks.count) / seconds / 1e6, events))
    }
    exit(0)
}

// Tape parsing alone, when a tape path is given: `MarginBench TAPE`.
if CommandLine.arguments.count > 1 {
    defer { exit(0) }
    let path = CommandLine.arguments[1]
    let start = DispatchTime.now().uptimeNanoseconds
    let reader = try TapeReader(spec: TapeSpec(argument: path), symbols: SymbolTable())
    var batch: [Tick] = []
    batch.reserveCapacity(8_192)
    var count = 0
    var checksum = 0.0
    while try reader.nextBatch(into: &batch) {
        count += batch.count
        for t in batch { checksum += t.price }
        batch.removeAll(keepingCapacity: true)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "parse only: %d ticks in %.3f s = %.1f M ticks/s (checksum %.3g)", count, seconds, Double(count) / seconds / 1e6, checksum))
}

print("marginwatch engine benchmarks (release build, best of 5 rounds)")
print("")
let demo = try Engine(portfolio: PortfolioLoader.demo().portfolio)
_ = measure("full evaluation of the demo portfolio", ops: 20_000) {
    var sum = 0.0
    for _ in 0..<20_000 { sum += demo.evaluate().account.equity }
    return sum
}
try tickBenchmark("one mark, 10 positions / 10 symbols", syntheticPortfolio(positions: 10, symbols: 10))
try tickBenchmark("one mark, 10 positions / 100 symbols", syntheticPortfolio(positions: 10, symbols: 100))
try tickBenchmark("one mark, 10,000 positions / 100 symbols (1 on the ticked)",
                  syntheticPortfolio(positions: 10_000, symbols: 100))
try tickBenchmark("one mark, 10,000 positions / 100 symbols (100 on the ticked)",
                  syntheticPortfolio(positions: 10_000, symbols: 100, onFirst: 100))

var stepped = try Engine(portfolio: syntheticPortfolio(positions: 10, symbols: 10))
_ = measure("one mark + account totals, 10 positions / 10 symbols", ops: 2_000_000) {
    var sum = 0.0
    for i in 0..<2_000_000 {
        stepped.setMark(100 + Double(i & 1023) * 0.01, symbolIndex: i % 10)
        sum += stepped.totals.equity
    }
    return sum
}

let crossBook = try Engine(portfolio: syntheticPortfolio(positions: 1_000, symbols: 1_000))
_ = measure("liquidation prices, 1,000 cross positions / 1,000 symbols", ops: 1, rounds: 10) {
    crossBook.evaluate().positions.reduce(0) { $0 + ($1.liquidationPrice ?? 0) }
}
let isolatedBook = try Engine(portfolio: syntheticPortfolio(positions: 1_000, symbols: 1_000, isolated: true))
_ = measure("liquidation prices, 1,000 isolated positions", ops: 1, rounds: 10) {
    isolatedBook.evaluate().positions.reduce(0) { $0 + ($1.liquidationPrice ?? 0) }
}
_ = measure("stress table (8 shocks) of the demo portfolio", ops: 1_000) {
    var sum = 0.0
    for _ in 0..<1_000 { sum += demo.stress(shocks: Engine.defaultShocks).rows.count > 0 ? 1 : 0 }
    return sum
}


// The monitor's redraw: a 200-position book rendered into a 160×48 frame (what the screen
// copies to ncurses), with the evaluation it needs.
var big = Portfolio(wallet: 1_000_000, positions: [])
for i in 0..<200 {
    big.instruments["S\(i)USDT"] = Instrument(symbol: "S\(i)USDT", table: BracketTable(flatRate: 0.01))
    big.positions.append(PositionSpec(symbol: "S\(i)USDT", side: i % 2 == 0 ? .long : .short, size: 10, entry: 100,
                                      leverage: 5, stopLoss: i % 2 == 0 ? 80 : 120))
}
let bigEngine = try Engine(portfolio: big)
let feed = FeedStatus(state: .live, label: "SIM seed 1", speed: "1x", time: 0, progress: nil, isReplay: false)
_ = measure("redraw: evaluate + render a 200-position table (160x48)", ops: 200) {
    var cells = 0
    for _ in 0..<200 {
        let snapshot = MonitorSnapshot(portfolioName: "bench", feed: feed, evaluation: bigEngine.evaluate(),
                                       thresholds: big.alerts, baseline: 1_000_000, log: [], banner: nil)
        cells += MainView.render(snapshot, ui: MonitorUIState(), savePath: "", width: 160, height: 48, now: 0).cells.count
    }
    return Double(cells)
}
