import Foundation
import Testing
@testable import MarginKit

/// The merger's batches (a run of one source at a time) give exactly what its tick-at-a-time
/// `next()` gives: the same ticks in the same order, ties in command-line order, times going
/// backwards inside a source passed on, and a source's error raised after its last good tick.
struct TickMergerTests {
    /// A source that hands out its ticks in batches of random sizes, then maybe fails.
    struct ScriptedSource: TickSource {
        var id: Int32
        var ticks: [Tick]
        var batchSizes: [Int]
        var failsAtEnd: Bool
        private var position = 0
        private var batch = 0
        private var pending: [Tick] = []

        init(id: Int32 = 0, ticks: [Tick], batchSizes: [Int], failsAtEnd: Bool) {
            self.id = id
            self.ticks = ticks
            self.batchSizes = batchSizes
            self.failsAtEnd = failsAtEnd
        }

        struct Failure: Error, Equatable { var source: Int32 }

        mutating func next() throws -> Tick? {
            var more = pending
            pending = []
            while more.isEmpty { guard try nextBatch(into: &more) else { return nil } }
            pending = Array(more.dropFirst())
            return more[0]
        }

        mutating func nextBatch(into out: inout [Tick]) throws -> Bool {
            let size = batchSizes[batch % batchSizes.count]
            batch += 1
            let start = position
            position = min(ticks.count, start + size)
            out += ticks[start..<position]
            if position == ticks.count && failsAtEnd { throw Failure(source: id) }
            return position > start
        }
    }

    static func sources(using g: inout SeededGenerator) -> [ScriptedSource] {
        (0..<Int.random(in: 1...4, using: &g)).map { s in
            var time = Int64.random(in: 0...20, using: &g)
            // Now and then long enough for a merge to be cut at 4,096 ticks and go on in the next batch.
            let count = Int.random(in: 0..<8, using: &g) == 0 ? Int.random(in: 2_000...6_000, using: &g) : Int.random(in: 0...300, using: &g)
            let ticks = (0..<count).map { k -> Tick in
                // Mostly forward in small steps (so times tie across sources), now and then back.
                time += Int64.random(in: 0...10, using: &g) < 9 ? Int64.random(in: 0...3, using: &g) : -Int64.random(in: 1...5, using: &g)
                return Tick(time: time, symbol: Int32(s), price: Double(k))
            }
            return ScriptedSource(id: Int32(s), ticks: ticks, batchSizes: (0..<3).map { _ in Int.random(in: 1...40, using: &g) },
                                  failsAtEnd: Int.random(in: 0..<4, using: &g) == 0)
        }
    }

    /// Every tick until the end or an error, and the error.
    static func drain(_ merger: inout TickMerger, batched: Bool) -> (ticks: [Tick], failure: ScriptedSource.Failure?) {
        var ticks: [Tick] = []
        do {
            if batched {
                while try merger.nextBatch(into: &ticks) {}
            } else {
                while let t = try merger.next() { ticks.append(t) }
            }
        } catch {
            return (ticks, error as? ScriptedSource.Failure)
        }
        return (ticks, nil)
    }

    @Test func batchesMergeInTheOrderOfOneTickAtATime() {
        var g = SeededGenerator(seed: 2_026)
        var ties = 0, runs = 0, failures = 0
        for _ in 0..<2_000 {
            let sources = Self.sources(using: &g)
            var one = TickMerger(sources), batched = TickMerger(sources)
            let a = Self.drain(&one, batched: false), b = Self.drain(&batched, batched: true)
            #expect(a.ticks == b.ticks)
            #expect(a.failure == b.failure)
            let times = a.ticks.map(\.time)
            ties += zip(a.ticks, a.ticks.dropFirst()).filter { $0.time == $1.time && $0.symbol != $1.symbol }.count
            runs += zip(times, times.dropFirst()).filter { $0 > $1 }.count
            if a.failure != nil { failures += 1 }
        }
        // The cases cover what the run-at-a-time merge must get right.
        #expect(ties > 1_000 && runs > 1_000 && failures > 100)
    }

    @Test func aBatchHoldsAtMostFourThousandTicks() throws {
        let long = ScriptedSource(ticks: (0..<10_000).map { Tick(time: Int64($0), symbol: 0, price: 1) },
                                  batchSizes: [10_000], failsAtEnd: false)
        var merger = TickMerger([long, ScriptedSource(ticks: [], batchSizes: [1], failsAtEnd: false)])
        var batch: [Tick] = []
        #expect(try merger.nextBatch(into: &batch))
        #expect(batch.count == 4_096 && batch.last?.time == 4_095)
    }
}
