/// The tapes of a replay, opened and merged by time in command-line order. Prefetched, each tape
/// is parsed on its own thread ahead of the engine (2 cores: parse ∥ evaluate) — the headless
/// replay; read in place, nothing runs behind the monitor's back. Either way the ticks before a
/// `--strict` bad line come out before its error (`PrefetchingSource`, `TickMerger`, `FeedDriver`).
public final class TapeFeed: TickSource, CountingTickSource {
    /// The readers, for what they saw (symbols, warnings) once the feed has ended.
    public let readers: [TapeReader]
    private let prefetched: [PrefetchingSource<TapeReader>]
    private var merged: TickMerger?
    private var single: (any TickSource)?

    /// Opens every tape (recognising its format) before any thread starts.
    /// - Throws: `MarginWatchError` for a tape that cannot be opened or recognised.
    public init(_ specs: [TapeSpec], symbols: SymbolTable, strict: Bool, prefetch: Bool) throws {
        readers = try specs.map { try TapeReader(spec: $0, symbols: symbols, strict: strict) }
        prefetched = prefetch ? readers.map { PrefetchingSource($0) } : []
        let sources: [any TickSource] = prefetch ? prefetched : readers
        // One tape needs no merging: its batches go straight through.
        if sources.count == 1 { single = sources[0] } else { merged = TickMerger(sources) }
    }

    public func next() throws -> Tick? {
        do {
            return try single?.next() ?? merged?.next()
        } catch {
            cancel()
            throw error
        }
    }

    public func nextBatch(into batch: inout [Tick]) throws -> Bool {
        do {
            if single != nil { return try single!.nextBatch(into: &batch) }
            return try merged?.nextBatch(into: &batch) ?? false
        } catch {
            cancel()
            throw error
        }
    }

    /// Bad lines and warnings so far: a prefetched tape's as its thread published them (safe
    /// while it still reads), a tape read in place its own.
    public var counters: TapeCounters {
        let all = prefetched.isEmpty ? readers.map { TapeCounters(badLines: $0.badLines, warnings: $0.warnings) }
            : prefetched.map(\.counters)
        return TapeCounters(badLines: all.reduce(0) { $0 + $1.badLines }, warnings: all.flatMap(\.warnings))
    }

    /// Stops the reading threads (a feed given up early: an error, a rewind, the end).
    public func cancel() { prefetched.forEach { $0.cancel() } }

    deinit { cancel() }
}
