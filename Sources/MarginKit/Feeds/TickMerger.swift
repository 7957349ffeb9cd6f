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

    public mutating func nextBatch(into batch: inout [Tick]) throws -> Bool {
        let before = batch.count
        while batch.count - before < 4_096, let tick = try next() { batch.append(tick) }
        return batch.count > before
    }
}
