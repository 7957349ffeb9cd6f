/// One mark-price update: at `time` (epoch ms), `symbol` (an id in a `SymbolTable`) is `price`.
public struct Tick: Sendable, Equatable {
    public var time: Int64
    public var symbol: Int32
    public var price: Double

    public init(time: Int64, symbol: Int32, price: Double) {
        self.time = time
        self.symbol = symbol
        self.price = price
    }
}

/// Interns symbol names to small ids so ticks carry no strings on the hot path.
///
/// A class: one table is shared by every source of a session, so ids agree across tapes.
public final class SymbolTable {
    public private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]
    /// The bytes of every name, for lookups straight from a read buffer.
    private var utf8: [[UInt8]] = []
    private var lastHit: Int32 = -1

    public init() {}

    /// The id of `name`, adding it when new.
    public func id(_ name: String) -> Int32 {
        if let id = ids[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        utf8.append(Array(name.utf8))
        return id
    }

    /// The id of the symbol spelled by `bytes`, adding it when new.
    /// - Complexity: O(length) when it is the previous symbol or one of few; a dictionary lookup otherwise.
    public func id(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if lastHit >= 0, Self.equal(utf8[Int(lastHit)], bytes) { return lastHit }
        if utf8.count <= 16 {
            for (i, known) in utf8.enumerated() where Self.equal(known, bytes) {
                lastHit = Int32(i)
                return lastHit
            }
        }
        lastHit = id(String(decoding: bytes, as: UTF8.self))
        return lastHit
    }

    public func name(_ id: Int32) -> String { names[Int(id)] }

    @inline(__always)
    private static func equal(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBufferPointer { p in
            for i in 0..<p.count where p[i] != b[i] { return false }
            return true
        }
    }
}

/// Anything that yields ticks in time order: a tape, standard input, the simulated market.
public protocol TickSource {
    /// The next tick, or nil at the end.
    /// - Throws: `MarginWatchError` when the source cannot go on (a `--strict` bad line, an I/O error).
    mutating func next() throws -> Tick?

    /// Appends the next ticks (at least one, unless at the end) to `batch`; false at the end.
    /// Sources that parse in bulk override this: the replay loop pulls batches, so the per-tick
    /// cost is a parse and an engine update, not a call through a protocol.
    mutating func nextBatch(into batch: inout [Tick]) throws -> Bool
}

extension TickSource {
    public mutating func nextBatch(into batch: inout [Tick]) throws -> Bool {
        let before = batch.count
        while batch.count - before < 1_024, let tick = try next() { batch.append(tick) }
        return batch.count > before
    }
}
