

/// One mark-price update: at `time` (epoch ms), `symbol` (an id in a `SymbolTable`) is `price`.
public struct Tick: Sendable, Equatable {
    /// The largest price taken (a quadrillion): far above any market, far below where sums of
    /// prices × sizes stop being finite. A larger "price" is a corrupt line, never a rally.
    public static let maximumPrice = 1e15

    /// Whether `price` can be a mark: positive, finite, at most `maximumPrice`.
    @inline(__always)
    public static func isPlausiblePrice(_ price: Double) -> Bool { price > 0 && price <= maximumPrice }

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
/// One table is shared by every source of a session, so ids agree across tapes — and tapes are
/// parsed on threads of their own (`PrefetchingSource`). So the table is `Sendable` by
/// construction: all its state sits behind one mutex. Readers do not take the lock per tick:
/// each keeps a `SymbolCache` of its own and asks the table only for a name it has not seen.
/// Which tape interns a symbol first (and so which id it gets) may differ from run to run;
/// nothing that is printed depends on ids, only on names.
public final class SymbolTable: Sendable {
    private struct State {
        var names: [String] = []
        var ids: [String: Int32] = [:]
    }
    private let state = Locked(State())

    public init() {}

    /// Every name, indexed by id.
    public var names: [String] { state.withLock { $0.names } }

    /// The id of `name`, adding it when new.
    public func id(_ name: String) -> Int32 {
        state.withLock { s in
            if let id = s.ids[name] { return id }
            let id = Int32(s.names.count)
            s.names.append(name)
            s.ids[name] = id
            return id
        }
    }

    /// The id of the symbol spelled by `bytes`, adding it when new.
    public func id(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        id(String(decoding: bytes, as: UTF8.self))
    }

    public func name(_ id: Int32) -> String { state.withLock { $0.names[Int(id)] } }
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

/// A source whose ticks arrive in real time (standard input, an exchange stream): the driver
/// takes what has arrived and never waits for more.
public protocol LiveTickSource: TickSource {
    /// Appends the ticks that have arrived, without waiting.
    /// - Returns: whether ticks were appended, and whether the input is over.
    func poll(into batch: inout [Tick]) throws -> (got: Bool, ended: Bool)
}

/// A source that counts the lines it skipped and what it warned about.
public protocol CountingTickSource {
    var counters: TapeCounters { get }
}
