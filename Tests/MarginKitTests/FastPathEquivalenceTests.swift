import Foundation
import Testing
@testable import MarginKit

/// The per-step shortcuts (quiet steps, bounded solves, gates) change nothing a trader reads:
/// random books × random tapes (calm and crashing, sparse steps and dense ones, stops, isolated
/// positions, collateral, declared groups, tight, loose, zero and out-of-order levels, levels
/// changed mid-run) give byte-identical timelines and equal summaries with every check run at
/// every step and with the shortcuts.
struct FastPathEquivalenceTests {
    /// A tape for the book's symbols: a random walk with jumps, `perStep` ticks per time step.
    static func ticks(for portfolio: Portfolio, table: SymbolTable, count: Int, perStep: Int,
                      using g: inout SeededGenerator) -> [Tick] {
        let symbols = portfolio.symbols
        var marks = symbols.map { portfolio.initialMark(of: $0) ?? 1 }
        let volatility = Double.random(in: 0.0005...0.01, using: &g)
        let drift = Double.random(in: -0.002...0.002, using: &g)
        var time: Int64 = 1_700_000_000_000
        var result: [Tick] = []
        result.reserveCapacity(count)
        while result.count < count {
            time += Int64.random(in: 1...3_000, using: &g)
            for _ in 0..<perStep {
                let s = Int.random(in: 0..<symbols.count, using: &g)
                var move = drift + volatility * Double.random(in: -1...1, using: &g)
                if Double.random(in: 0...1, using: &g) < 0.003 { move += Double.random(in: -0.3...0.2, using: &g) }
                marks[s] = max(marks[s] * 1e-3, marks[s] * (1 + move))
                result.append(Tick(time: time, symbol: table.id(symbols[s]), price: marks[s]))
            }
        }
        return result
    }

    static func thresholds(using g: inout SeededGenerator) -> AlertThresholds {
        var t = AlertThresholds()
        let critical = Double.random(in: 0.5...20, using: &g)
        t.liquidationDistancePct = LevelPair(warn: critical * Double.random(in: 1...4, using: &g), critical: critical)
        t.hysteresisPct = [0, 2, 5, 20].randomElement(using: &g)!
        t.softStopLossPct = Double.random(in: 5...90, using: &g)
        t.softStopAction = Bool.random(using: &g) ? .alert : .closeAll
        t.positionMMPctWarn = Double.random(in: 1...40, using: &g)
        let ratioCritical = Double.random(in: 1.05...3, using: &g)
        t.marginRatio = LevelPair(warn: ratioCritical * Double.random(in: 1...2, using: &g), critical: ratioCritical)
        let freeCritical = Double.random(in: 1...40, using: &g)
        t.freeMarginPct = LevelPair(warn: freeCritical * Double.random(in: 1...2, using: &g), critical: freeCritical)
        // Now and then levels a file would not hold but the API takes: out of order, or zero.
        switch Int.random(in: 0..<12, using: &g) {
        case 0: t.liquidationDistancePct = LevelPair(warn: critical, critical: critical * 2)
        case 1: t.marginRatio = LevelPair(warn: ratioCritical, critical: ratioCritical * 1.5)
        case 2: t.positionMMPctWarn = 0
        case 3: t.freeMarginPct = LevelPair(warn: 0, critical: 0)
        default: break
        }
        return t
    }

    /// The timeline and summary of `ticks`, with new levels (`later`) put in force halfway, as
    /// the monitor's editor does.
    static func timeline(_ portfolio: Portfolio, _ ticks: [Tick], _ table: SymbolTable, fast: Bool,
                         later: AlertThresholds) throws -> (lines: [String], summary: SessionSummary, quietSteps: Int) {
        var replay = try Replay(portfolio: portfolio, symbols: table)
        replay.fastSteps = fast
        var lines: [String] = []
        for (k, tick) in ticks.enumerated() {
            if k == ticks.count / 2 { replay.setThresholds(later, time: tick.time) { lines.append(TimelineJSON.event($0).rendered) } }
            replay.apply(tick) { lines.append(TimelineJSON.event($0).rendered) }
        }
        replay.finish { lines.append(TimelineJSON.event($0).rendered) }
        lines.append(TimelineJSON.summary(replay.session.summary).rendered)
        // The correlation estimate too: a quiet step takes its samples as a full step does.
        if let c = replay.session.correlations {
            let pairs = c.symbols.flatMap { i in c.symbols.filter { $0 > i }.map { j in "\(c.correlation(i, j) ?? .nan)" } }
            lines.append("correlations: \(c.count) samples, \(pairs.joined(separator: " "))")
        }
        return (lines, replay.session.summary, replay.quietSteps)
    }

    @Test(arguments: [1, 2, 4, 16])
    func fastStepsGiveTheFullEvaluationsTimeline(perStep: Int) throws {
        var g = SeededGenerator(seed: 0xC0FFEE + UInt64(perStep))
        var seen = ["\"liquidation_distance\"": 0, "\"position_mm\"": 0, "\"stop_loss\"": 0, "\"liquidation\"": 0,
                    "\"soft_stop\"": 0, "\"margin_ratio\"": 0, "\"free_margin_pct\"": 0, "\"correlated_mm\"": 0]
        var quietSteps = 0
        for _ in 0..<90 {
            var portfolio = RandomPortfolio.make(using: &g)
            guard !portfolio.positions.isEmpty else { continue }
            portfolio.alerts = Self.thresholds(using: &g)
            for i in portfolio.positions.indices where Double.random(in: 0...1, using: &g) < 0.4 {
                let p = portfolio.positions[i]
                let mark = p.mark ?? p.entry
                let gap = Double.random(in: 0.01...0.15, using: &g)
                portfolio.positions[i].stopLoss = p.side == .long ? mark * (1 - gap) : mark * (1 + gap)
            }
            // Most books declare symbols one bet, so groups form and are judged: all of them, or
            // some (a group's MM is then a part of the cross MM, as the groups' shortcut assumes).
            if portfolio.symbols.count >= 2, Double.random(in: 0...1, using: &g) < 0.7 {
                var members = portfolio.symbols
                if members.count >= 3, Bool.random(using: &g) {
                    members = Array(members.shuffled(using: &g).prefix(Int.random(in: 2..<members.count, using: &g)))
                }
                portfolio.groups = [DeclaredGroup(name: "one bet", symbols: members)]
            }
            let table = SymbolTable()
            let ticks = Self.ticks(for: portfolio, table: table, count: 3_000, perStep: perStep, using: &g)
            let later = Self.thresholds(using: &g)
            let full = try Self.timeline(portfolio, ticks, table, fast: false, later: later)
            let fast = try Self.timeline(portfolio, ticks, table, fast: true, later: later)
            #expect(fast.lines == full.lines)
            #expect(fast.summary == full.summary)
            #expect(full.quietSteps == 0)
            quietSteps += fast.quietSteps
            for (kind, _) in seen { seen[kind]! += full.lines.filter { $0.contains(kind) }.count }
        }
        // The cases cross every level the shortcuts skip, or the comparison would prove little;
        // and the quiet step is taken, or it would not be tested at all.
        for (kind, count) in seen { #expect(count > 5, "only \(count) \(kind) events (perStep \(perStep))") }
        #expect(quietSteps > 1_000, "only \(quietSteps) quiet steps")
    }

    @Test func theFloorNeverExceedsTheExactDistance() throws {
        var g = SeededGenerator(seed: 7)
        var checked = 0, surelyBeyond = 0, everySurelyBeyond = 0
        for _ in 0..<300 {
            let portfolio = RandomPortfolio.make(using: &g)
            guard !portfolio.positions.isEmpty else { continue }
            let engine = try Engine(portfolio: portfolio)
            let t = engine.totals
            for i in 0..<engine.positionCount where engine.isOpen(i) {
                let f = engine.stepFigures(position: i)
                guard let lp = engine.liquidationPrice(position: i, totals: t) else { continue }
                let exact = RuleMeasure.liquidationDistance(mark: f.mark, liquidationPrice: lp)
                let floor = f.isCross ? engine.crossLiquidationDistanceFloor(symbolIndex: f.symbolIndex, totals: t)
                    : engine.isolatedLiquidationDistanceFloor(position: i)
                #expect(floor <= exact * (1 + 1e-9), "floor \(floor) > exact \(exact)")
                // The multiplied-out tests the steps use never say "surely beyond" a level the
                // exact distance falls short of, for one position or for all at once.
                for pct in [exact * 0.5, exact * 0.99, exact, exact * 1.01, exact * 2] {
                    let surely = f.isCross ? engine.crossLiquidation(surelyBeyond: pct, symbolIndex: f.symbolIndex, totals: t)
                        : engine.isolatedLiquidation(surelyBeyond: pct, position: i)
                    #expect(!surely || exact >= pct, "surely beyond \(pct), exact \(exact)")
                    if surely { surelyBeyond += 1 }
                    if f.isCross, engine.everyCrossPosition(within: engine.crossReach(), surelyBeyond: pct, maintenanceBelow: .infinity, totals: t) {
                        #expect(exact >= pct, "every position surely beyond \(pct), this one \(exact)")
                        everySurelyBeyond += 1
                    }
                }
                checked += 1
            }
        }
        #expect(checked > 200)
        #expect(surelyBeyond > 100 && everySurelyBeyond > 50, "the tests said yes \(surelyBeyond) and \(everySurelyBeyond) times")
    }
}
