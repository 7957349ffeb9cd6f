import Foundation


/// The time range of some tapes (first to last tick time), found by reading them once on a
/// thread of its own, so the monitor can show its position in tape time and seek by a share of
/// it without delaying the first frame. Standard input has no range.
public final class TapeSpan: Sendable {
    public struct Range: Sendable, Equatable {
        public var first: Int64
        public var last: Int64
    }

    private enum State { case scanning, done(Range?) }
    private let state = Locked(State.scanning)

    /// Starts scanning `specs` (regular files only: a pipe read here would lose its lines to the
    /// replay). Bad lines are skipped: the range is of the ticks a replay can apply.
    public init(_ specs: [TapeSpec]) {
        let files = specs.filter(\.isRegularFile)
        guard files.count == specs.count, !files.isEmpty else {
            state.withLock { $0 = .done(nil) }
            return
        }
        let thread = Thread { [self] in
            let range = Self.scan(files)
            state.withLock { $0 = .done(range) }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The range once known (nil while scanning, for standard input, or for tapes without ticks).
    public var range: Range? {
        state.withLock { if case .done(let r) = $0 { return r } else { return nil } }
    }

    /// Whether the scan is over (its range, if any, is known).
    public var isDone: Bool { state.withLock { if case .done = $0 { return true } else { return false } } }

    /// Waits until the scan is over (tests).
    public func wait() -> Range? {
        while !isDone { usleep(1_000) }
        return range
    }

    static func scan(_ specs: [TapeSpec]) -> Range? {
        var first = Int64.max, last = Int64.min
        for spec in specs {
            guard let reader = try? TapeReader(spec: spec, symbols: SymbolTable()) else { continue }
            var batch: [Tick] = []
            while (try? reader.nextBatch(into: &batch)) == true {
                for t in batch {
                    first = min(first, t.time)
                    last = max(last, t.time)
                }
                batch.removeAll(keepingCapacity: true)
            }
        }
        return first <= last ? Range(first: first, last: last) : nil
    }
}
