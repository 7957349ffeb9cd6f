/// The engine symbols whose mark a tick set since the last time step, in one machine word: a
/// stop-loss or an isolated liquidation depends on its own symbol's mark alone, so a step need
/// only look at the positions of these. Marking costs an OR per tick.
///
/// A symbol index past 63 turns the set into "every symbol": a book that wide is judged in full.
struct MovedSymbols: Sendable {
    private var bits: UInt64

    /// Every symbol (the first step, or a book judged in full).
    static let all = MovedSymbols(bits: .max)
    /// No symbol moved.
    static let none = MovedSymbols(bits: 0)

    @inline(__always)
    mutating func insert(_ s: Int) {
        bits |= s < 64 ? 1 << UInt64(s) : .max
    }

    @inline(__always)
    func contains(_ s: Int) -> Bool {
        s < 64 ? bits & (1 << UInt64(s)) != 0 : bits == .max
    }

    var isEmpty: Bool { bits == 0 }
}

extension MovedSymbols {
    /// Calls `body` with each symbol in the set below `count`, ascending.
    @inline(__always)
    func forEach(below count: Int, _ body: (Int) -> Void) {
        if bits == .max {
            for s in 0..<count { body(s) }
            return
        }
        var rest = bits
        while rest != 0 {
            body(rest.trailingZeroBitCount)
            rest &= rest - 1
        }
    }
}
