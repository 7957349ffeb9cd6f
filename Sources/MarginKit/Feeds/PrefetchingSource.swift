import Foundation

/// Reads another tick source on a background thread, a few batches ahead, so parsing a tape
/// and running the engine use both cores. Memory stays bounded: at most `depth` batches wait.
///
/// `@unchecked Sendable` is safe: every stored property but `box`/`make` is read and written
/// only while `condition` is locked (batches, the finished flag, the failure, the published
/// counters). `box` and `make` — the wrapped source — are touched only by the reading thread:
/// the consumer never sees them (counters reach it as copies made under the lock, `counters`).
/// The consumer's own `pending`/`pendingIndex` are used by the consumer thread alone.
public final class PrefetchingSource<S: TickSource & SendableMetatype>: LiveTickSource, CountingTickSource, @unchecked Sendable {
    private let condition = NSCondition()
    private var filled: [[Tick]] = []
    private var spare: [[Tick]] = []
    private var finished = false
    private var cancelled = false
    private var failure: Error?
    private let depth: Int
    /// Whether the reading thread is asleep on a full queue: it is woken only once the queue
    /// is down to half, not at every batch taken (each wake-up is a context switch on both
    /// cores, and in a virtual machine a halted CPU to wake).
    private var producerWaiting = false
    private var box: S?
    private var make: (() throws -> S)?
    private var published = TapeCounters()

    public convenience init(_ source: S, depth: Int = 8) {
        self.init(depth: depth) { source }
    }

    /// Makes the source on the reading thread: opening standard input may wait for its first line.
    public init(depth: Int = 8, make: @escaping () throws -> S) {
        precondition(depth >= 1, "a prefetching reader needs room for a batch")
        self.make = make
        self.depth = depth
        // The thread keeps this object alive until it has finished or been cancelled.
        let thread = Thread { self.produce() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// A tape reader's bad lines and warnings as of the last batch handed over, copied by the
    /// reading thread under the lock: safe to read at any time, even while it is still reading.
    public var counters: TapeCounters {
        condition.lock()
        defer { condition.unlock() }
        return published
    }

    /// Stops the reading thread (a consumer that gives up early calls this).
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func produce() {
        defer {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        while true {
            condition.lock()
            while filled.count >= depth && !cancelled {
                producerWaiting = true
                condition.wait()
            }
            producerWaiting = false
            if cancelled { condition.unlock(); return }
            var batch = spare.popLast() ?? []
            condition.unlock()
            batch.removeAll(keepingCapacity: true)
            if batch.capacity < 8_192 { batch.reserveCapacity(8_192) }
            let more: Bool
            do {
                if box == nil, let make {
                    box = try make()
                    self.make = nil
                }
                more = try box?.nextBatch(into: &batch) ?? false
            } catch {
                // The ticks parsed before the error are handed over first, then the error.
                condition.lock()
                if !batch.isEmpty { filled.append(batch) }
                failure = error
                condition.broadcast()
                condition.unlock()
                return
            }
            let counters = (box as? TapeReader).map { TapeCounters(badLines: $0.badLines, warnings: $0.warnings) }
            guard more else {
                if let counters { condition.lock(); published = counters; condition.unlock() }
                return
            }
            condition.lock()
            if let counters { published = counters }
            filled.append(batch)
            condition.broadcast()
            condition.unlock()
        }
    }

    public func next() throws -> Tick? {
        if pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard try nextBatch(into: &pending) else { return nil }
        }
        pendingIndex += 1
        return pending[pendingIndex - 1]
    }

    private var pending: [Tick] = []
    private var pendingIndex = 0

    /// Wakes a reading thread waiting on a full queue once half of it has been taken (called
    /// with the lock held).
    private func wakeProducerIfDue() {
        if producerWaiting && filled.count <= depth / 2 { condition.broadcast() }
    }

    /// Hands over a parsed batch if one is ready, without waiting.
    /// - Returns: true when ticks were appended; `ended` tells whether the input is over.
    public func poll(into batch: inout [Tick]) throws -> (got: Bool, ended: Bool) {
        condition.lock()
        defer { condition.unlock() }
        if filled.isEmpty {
            if finished, let failure { throw failure }
            return (false, finished)
        }
        var ready = filled.removeFirst()
        wakeProducerIfDue()
        batch.append(contentsOf: ready)
        ready.removeAll(keepingCapacity: true)
        spare.append(ready)
        return (true, false)
    }

    /// Hands over the next parsed batch (appended to `batch`).
    public func nextBatch(into batch: inout [Tick]) throws -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while filled.isEmpty && !finished { condition.wait() }
        if filled.isEmpty {
            if let failure { throw failure }
            return false
        }
        var ready = filled.removeFirst()
        wakeProducerIfDue()
        if batch.isEmpty {
            swap(&batch, &ready)
            spare.append(ready)
        } else {
            batch.append(contentsOf: ready)
            ready.removeAll(keepingCapacity: true)
            spare.append(ready)
        }
        return true
    }
}

/// What a tape reader counts while reading, as a value another thread may hold.
public struct TapeCounters: Sendable, Equatable {
    public var badLines = 0
    public var warnings: [String] = []
}
