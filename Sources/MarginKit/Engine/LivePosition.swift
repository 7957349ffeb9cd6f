/// A position inside the engine: its fixed terms plus the figures at the current mark.
///
/// Kept flat (no nested spec) so the per-tick update touches one small value.
struct LivePosition: Sendable {
    let specIndex: Int
    let symbolIndex: Int
    let sign: Double
    let size: Double
    let entry: Double
    let leverage: Double
    let isCross: Bool
    let isolatedMargin: Double
    let table: BracketTable
    /// Where an isolated position is liquidated: its own equity − MM as a function of price.
    let isolatedCurve: PiecewiseLinear?
    var isOpen = true

    var bracket = 0
    var notional = 0.0
    var unrealizedPnl = 0.0
    var maintenanceMargin = 0.0
    var initialMargin = 0.0

    init(spec: PositionSpec, specIndex: Int, symbolIndex: Int, table: BracketTable) {
        self.specIndex = specIndex
        self.symbolIndex = symbolIndex
        sign = spec.side.sign
        size = spec.size
        entry = spec.entry
        leverage = spec.leverage
        isCross = spec.margin == .cross
        isolatedMargin = spec.isolatedMargin ?? 0
        self.table = table
        isolatedCurve = isCross ? nil : PiecewiseLinear(
            terms: [.init(sign: sign, size: size, entry: entry, table: table)],
            constant: spec.isolatedMargin ?? 0)
    }

    /// Recomputes the figures at `mark`.
    /// - Complexity: O(1) while the bracket is unchanged.
    @inline(__always)
    mutating func reprice(_ mark: Double) {
        let n = size * mark
        bracket = table.index(forNotional: n, hint: bracket)
        let b = table.brackets[bracket]
        notional = n
        unrealizedPnl = sign * size * (mark - entry)
        maintenanceMargin = n * b.mmr - b.cum
        initialMargin = n / leverage
    }

    /// An isolated position's own equity: its margin plus its PnL.
    var isolatedEquity: Double { isolatedMargin + unrealizedPnl }

    /// This position as a term of a liquidation curve in price.
    var term: PiecewiseLinear.Term { .init(sign: sign, size: size, entry: entry, table: table) }
}
