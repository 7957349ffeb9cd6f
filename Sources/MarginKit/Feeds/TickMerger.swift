/// Merges time-ordered sources into one stream by time; equal times keep the sources' order
/// (command-line order). A time going backwards inside one source is passed on as it comes.
public struct TickMerger: TickSource {
    private var sources: [any TickSource]
    private var heads: [Tick?]
    private var primed = false

    public init(_ sources: [any TickSource]) {
        self.sources = sources
        heads = Array(repeating: nil, count: sources.count)
    }

    /// - Complexity: O(sources) per tick; tapes are few.
    public mutating func next() throws -> Tick? {
        if !primed {
            for i in sources.indices { heads[i] = try sources[i].next() }
            primed = true
        }
        var best = -1
        var bestTime = Int64.max
        for i in heads.indices {
            if let t = heads[i], t.time < bestTime || best < 0 {
                best = i
                bestTime = t.time
            }
        }
        guard best >= 0, let tick = heads[best] else { return nil }
        heads[best] = try sources[best].next()
        return tick
    }
}
