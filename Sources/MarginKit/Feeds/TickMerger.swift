/// Merges time-ordered sources into one stream by time; equal times keep the sources' order
/// (command-line order). A time going backwards inside one source is passed on as it comes.
public struct TickMerger: TickSource {
    private var sources: [any TickSource]
    /// Each source's current batch and the position of its head tick in it.
    private var buffers: [[Tick]]
    private var positions: [Int]
    private var exhausted: [Bool]
    /// An error met by a source after some ticks of its batch: raised once those are merged.
    private var failures: [Error?]

    public init(_ sources: [any TickSource]) {
        self.sources = sources
        buffers = Array(repeating: [], count: sources.count)
        positions = Array(repeating: 0, count: sources.count)
        exhausted = Array(repeating: false, count: sources.count)
        failures = Array(repeating: nil, count: sources.count)
    }

    /// Makes sure source `i` has a head tick unless it has ended.
    private mutating func refill(_ i: Int) throws {
        guard positions[i] == buffers[i].count, !exhausted[i] else { return }
        if let failure = failures[i] { throw failure }
        buffers[i].removeAll(keepingCapacity: true)
        positions[i] = 0
        do {
            if try !sources[i].nextBatch(into: &buffers[i]) { exhausted[i] = true }
        } catch {
            guard !buffers[i].isEmpty else { throw error }
            failures[i] = error
        }
    }

    /// - Complexity: O(sources) per tick; tapes are few.
    public mutating func next() throws -> Tick? {
        var best = -1
        var bestTime = Int64.max
        for i in sources.indices {
            try refill(i)
            guard positions[i] < buffers[i].count else { continue }
            let t = buffers[i][positions[i]].time
            if best < 0 || t < bestTime {
                best = i
                bestTime = t
            }
        }
        guard best >= 0 else { return nil }
        positions[best] += 1
        return buffers[best][positions[best] - 1]
    }

    /// The same ticks in the same order as calling `next()` 4,096 times, without its per-tick
    /// scan of every source: while two sources are left (two kline tapes, say), a two-way merge
    /// (the first source wins a tie: command-line order); otherwise the source with the earliest
    /// head gives, in one run, every tick up to the others' heads. A source without a head is
    /// asked again before anything more is taken, as `next()` asks every source each time.
    /// (Sources keep `TickSource`'s promise: a batch has a tick unless the source has ended.)
    public mutating func nextBatch(into batch: inout [Tick]) throws -> Bool {
        let start = batch.count, room = 4_096
        // Written in place, then the unused room is cut (on a throw too: what was merged stays).
        batch.append(contentsOf: repeatElement(Tick(time: 0, symbol: 0, price: 0), count: room))
        var written = 0
        defer { batch.removeLast(room - written) }
        var heads = [Int64?](repeating: nil, count: sources.count)
        var live: [Int] = []
        while written < room {
            live.removeAll(keepingCapacity: true)
            for i in heads.indices {
                if heads[i] == nil && !exhausted[i] { heads[i] = try head(i) }
                if heads[i] != nil { live.append(i) }
            }
            if live.count == 2 {
                written = mergeTwo(live[0], live[1], into: &batch, at: start + written, upTo: start + room) - start
                heads[live[0]] = head(ofBuffered: live[0])
                heads[live[1]] = head(ofBuffered: live[1])
                continue
            }
            guard let best = live.min(by: { heads[$0]! < heads[$1]! }) else { break }
            var last = Int64.max
            for j in live where j != best {
                // An earlier source's tick at the same time comes first (its head is after the
                // best one's, so subtracting 1 cannot wrap).
                last = min(last, j > best ? heads[j]! : heads[j]! - 1)
            }
            written = run(best, through: last, into: &batch, at: start + written, upTo: start + room) - start
            heads[best] = head(ofBuffered: best)
        }
        return written > 0
    }

    /// Source `i`'s head time after refilling it, nil once it has ended.
    private mutating func head(_ i: Int) throws -> Int64? {
        try refill(i)
        return head(ofBuffered: i)
    }

    /// Source `i`'s head time in its current batch, nil when that is used up.
    private func head(ofBuffered i: Int) -> Int64? {
        positions[i] < buffers[i].count ? buffers[i][positions[i]].time : nil
    }

    /// Merges sources `a` < `b` into `out[k..<end]` until either's batch is used up; the next k.
    private mutating func mergeTwo(_ a: Int, _ b: Int, into out: inout [Tick], at k: Int, upTo end: Int) -> Int {
        var i = positions[a], j = positions[b], k = k
        buffers[a].withUnsafeBufferPointer { first in
            buffers[b].withUnsafeBufferPointer { second in
                out.withUnsafeMutableBufferPointer { out in
                    while k < end && i < first.count && j < second.count {
                        if first[i].time <= second[j].time {
                            out[k] = first[i]
                            i += 1
                        } else {
                            out[k] = second[j]
                            j += 1
                        }
                        k += 1
                    }
                }
            }
        }
        positions[a] = i
        positions[b] = j
        return k
    }

    /// Copies source `i`'s ticks from its head while their times are at most `last` (the head
    /// always) into `out[k..<end]`; the next k.
    private mutating func run(_ i: Int, through last: Int64, into out: inout [Tick], at k: Int, upTo end: Int) -> Int {
        var p = positions[i], k = k
        buffers[i].withUnsafeBufferPointer { ticks in
            out.withUnsafeMutableBufferPointer { out in
                repeat {
                    out[k] = ticks[p]
                    p += 1
                    k += 1
                } while k < end && p < ticks.count && ticks[p].time <= last
            }
        }
        positions[i] = p
        return k
    }
}
