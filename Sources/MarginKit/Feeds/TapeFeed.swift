/// The tapes of a replay, opened and merged: each tape parsed on its own thread ahead of the
/// engine (2 cores: parse ∥ evaluate), merged by time in command-line order. Used by the headless
/// replay and by the tests that prove several tapes on several threads give the same output
/// every run.
public struct TapeFeed {
    /// The readers, for their counters (bad lines, warnings) once the feed has ended.
    public let readers: [TapeReader]
    private let prefetched: [PrefetchingSource<TapeReader>]

    /// Opens every tape (recognising its format) before any thread starts.
    /// - Throws: `MarginWatchError` for a tape that cannot be opened or recognised.
    public init(_ specs: [TapeSpec], symbols: SymbolTable, strict: Bool) throws {
        readers = try specs.map { try TapeReader(spec: $0, symbols: symbols, strict: strict) }
        prefetched = readers.map { PrefetchingSource($0) }
    }

    /// Runs every tick through `replay`. - Returns: its summary, with the tapes' bad lines.
    public func run(_ replay: inout Replay, onEvent: (SessionEvent) throws -> Void) throws -> SessionSummary {
        var summary: SessionSummary
        do {
            if prefetched.count == 1 {
                var source = prefetched[0]
                summary = try replay.run(&source, onEvent: onEvent)
            } else {
                var merged = TickMerger(prefetched)
                summary = try replay.run(&merged, onEvent: onEvent)
            }
        } catch {
            prefetched.forEach { $0.cancel() }
            throw error
        }
        summary.badLines = readers.reduce(0) { $0 + $1.badLines }
        return summary
    }
}
