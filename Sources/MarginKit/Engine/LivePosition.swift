/// A position inside the engine: its fixed terms plus the figures at the current mark.
///
/// Plain numbers only (its brackets live in the engine's flat bracket array), so reading or
/// copying one costs no reference counting on the per-tick path.
struct LivePosition: Sendable {
    let specIndex: Int
    let symbolIndex: Int
    let sign: Double
    let size: Double
    let entry: Double
    let leverage: Double
    let isCross: Bool
    let isolatedMargin: Double
    /// This position's brackets in `Engine.brackets`: [bracketStart, bracketEnd).
    let bracketStart: Int
    let bracketEnd: Int
    var isOpen = true

    /// The applicable bracket, an index into `Engine.brackets`.
    var bracket: Int
    var notional = 0.0
    var unrealizedPnl = 0.0
    var maintenanceMargin = 0.0
    var initialMargin = 0.0

    init(spec: PositionSpec, specIndex: Int, symbolIndex: Int, bracketStart: Int, bracketEnd: Int) {
        self.specIndex = specIndex
        self.symbolIndex = symbolIndex
        sign = spec.side.sign
        size = spec.size
        entry = spec.entry
        leverage = spec.leverage
        isCross = spec.margin == .cross
        isolatedMargin = spec.isolatedMargin ?? 0
        self.bracketStart = bracketStart
        self.bracketEnd = bracketEnd
        bracket = bracketStart
    }

    /// Recomputes the figures at `mark`, moving from the previous bracket.
    /// - Complexity: O(1) while the bracket is unchanged.
    @inline(__always)
    mutating func reprice(_ mark: Double, brackets: UnsafeBufferPointer<Bracket>) {
        let n = size * mark
        var k = bracket
        while k > bracketStart && n < brackets[k].floor { k -= 1 }
        while k + 1 < bracketEnd && n >= brackets[k + 1].floor { k += 1 }
        bracket = k
        notional = n
        unrealizedPnl = sign * size * (mark - entry)
        maintenanceMargin = n * brackets[k].mmr - brackets[k].cum
        initialMargin = n / leverage
    }

    /// An isolated position's own equity: its margin plus its PnL.
    var isolatedEquity: Double { isolatedMargin + unrealizedPnl }
}
