/// Holds one account and its marks; takes marks one symbol at a time and evaluates on demand.
///
/// The only place the margin arithmetic lives. A tick reprices the positions of its symbol and
/// that symbol's sums; account totals are the sum over symbols, computed when asked, so no error
/// accumulates over millions of ticks.
public struct Engine: Sendable {
    /// The portfolio the engine was built from.
    public let portfolio: Portfolio
    /// Every priced symbol; a symbol's position in this list is its index.
    public let symbols: [String]
    private let indexBySymbol: [String: Int]
    /// Current mark per symbol index.
    public private(set) var marks: [Double]
    /// Cross wallet balance.
    public internal(set) var wallet: Double
    var positions: [LivePosition]
    /// Every position's brackets, one flat array (see `LivePosition.bracketStart`).
    let brackets: [Bracket]
    /// Each position's table, for building liquidation curves (off the per-tick path).
    let tables: [BracketTable]
    /// Where an isolated position is liquidated: its own equity − MM as a function of price.
    let isolatedCurves: [PiecewiseLinear?]
    /// Position indices grouped by symbol (see `SymbolSums.crossStart`).
    let symbolPositions: [Int]
    var sums: [SymbolSums]
    /// Per symbol: cross equity − MM of its cross positions and collateral as a function of its
    /// price; rebuilt only when a position closes.
    var liquidationCurves: [PiecewiseLinear]
    /// Per symbol: how fast its cross equity − MM can change with its price (see
    /// `Engine+DistanceFloor.swift`); rebuilt with its curve.
    var crossSlopeBounds: [Double]
    /// Per position: the same for an isolated position's own equity − MM (unused for cross).
    let isolatedSlopeBounds: [Double]
    /// Whether no position's maintenance margin can be negative (every table starts at cum ≤ 0,
    /// is continuous and has no negative rate), so the cross MM bounds each position's.
    let maintenanceNeverNegative: Bool

    /// Builds the engine at each symbol's initial mark (see `Portfolio.initialMark(of:)`).
    /// - Throws: `EngineError` when a symbol has no instrument or no price.
    public init(portfolio: Portfolio) throws {
        self.portfolio = portfolio
        symbols = portfolio.symbols
        var index: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { index[s] = i }
        indexBySymbol = index
        wallet = portfolio.wallet
        marks = try symbols.map { symbol in
            guard let mark = portfolio.initialMark(of: symbol) else { throw EngineError.noPrice(symbol: symbol) }
            return mark
        }
        var flat: [Bracket] = []
        var tables: [BracketTable] = []
        var curves: [PiecewiseLinear?] = []
        positions = []
        for (i, spec) in portfolio.positions.enumerated() {
            guard let instrument = portfolio.instruments[spec.symbol] else {
                throw EngineError.missingInstrument(symbol: spec.symbol)
            }
            let s = index[spec.symbol]!  // every position symbol is in `symbols` by construction
            let start = flat.count
            flat += instrument.table.brackets
            positions.append(LivePosition(spec: spec, specIndex: i, symbolIndex: s, bracketStart: start, bracketEnd: flat.count))
            tables.append(instrument.table)
            curves.append(spec.margin == .cross ? nil : PiecewiseLinear(
                terms: [.init(sign: spec.side.sign, size: spec.size, entry: spec.entry, table: instrument.table)],
                constant: spec.isolatedMargin ?? 0))
        }
        brackets = flat
        self.tables = tables
        let opened = positions
        isolatedSlopeBounds = opened.indices.map { i in
            opened[i].size + Self.mmSlopeBound(size: opened[i].size, table: tables[i])
        }
        isolatedCurves = curves
        maintenanceNeverNegative = tables.allSatisfy { table in
            table.isContinuous && (table.brackets.first?.cum ?? 0) <= 0 && table.brackets.allSatisfy { $0.mmr >= 0 }
        }
        var order: [Int] = []
        var grouped = Array(repeating: SymbolSums(), count: symbols.count)
        let live = positions
        for s in symbols.indices {
            grouped[s].crossStart = order.count
            order += live.indices.filter { live[$0].symbolIndex == s && live[$0].isCross }
            grouped[s].isolatedStart = order.count
            order += live.indices.filter { live[$0].symbolIndex == s && !live[$0].isCross }
            grouped[s].end = order.count
            grouped[s].openCrossCount = grouped[s].isolatedStart - grouped[s].crossStart
        }
        sums = grouped
        symbolPositions = order
        for c in portfolio.collateral {
            sums[index[c.priceSymbol]!].collateralUnits += c.countedUnits
        }
        liquidationCurves = Array(repeating: PiecewiseLinear(terms: []), count: symbols.count)
        crossSlopeBounds = Array(repeating: .infinity, count: symbols.count)
        for s in symbols.indices {
            rebuildCurve(symbol: s)
            reprice(symbol: s)
        }
    }

    /// The index of `symbol`, or nil when the portfolio does not price it.
    public func index(of symbol: String) -> Int? { indexBySymbol[symbol] }

    /// Sets the mark of one symbol and reprices only the positions on it.
    /// - Complexity: O(positions on that symbol).
    public mutating func setMark(_ price: Double, symbolIndex s: Int) {
        marks[s] = price
        reprice(symbol: s)
    }

    /// Sets the mark of `symbol`; returns false when the portfolio does not price it.
    @discardableResult
    public mutating func setMark(_ price: Double, for symbol: String) -> Bool {
        guard let s = indexBySymbol[symbol] else { return false }
        setMark(price, symbolIndex: s)
        return true
    }

    /// Reprices the open positions of symbol `s` and recomputes its sums.
    /// - Complexity: O(positions on that symbol).
    mutating func reprice(symbol s: Int) {
        let mark = marks[s]
        let sum = sums[s]
        var u = 0.0, mm = 0.0, im = 0.0, iu = 0.0, iim = 0.0, ieq = 0.0
        brackets.withUnsafeBufferPointer { table in
            symbolPositions.withUnsafeBufferPointer { order in
                positions.withUnsafeMutableBufferPointer { all in
                    for k in sum.crossStart..<sum.isolatedStart where all[order[k]].isOpen {
                        all[order[k]].reprice(mark, brackets: table)
                        u += all[order[k]].unrealizedPnl
                        mm += all[order[k]].maintenanceMargin
                        im += all[order[k]].initialMargin
                    }
                    for k in sum.isolatedStart..<sum.end where all[order[k]].isOpen {
                        all[order[k]].reprice(mark, brackets: table)
                        iu += all[order[k]].unrealizedPnl
                        iim += all[order[k]].initialMargin
                        ieq += all[order[k]].isolatedEquity
                    }
                }
            }
        }
        // Only the figures are written back (storing the whole record back was a fifth of a tick).
        sums.withUnsafeMutableBufferPointer { sums in
            sums[s].crossUnrealizedPnl = u
            sums[s].crossMaintenanceMargin = mm
            sums[s].crossInitialMargin = im
            sums[s].isolatedUnrealizedPnl = iu
            sums[s].isolatedInitialMargin = iim
            sums[s].isolatedEquity = ieq
        }
    }

    /// Rebuilds a symbol's cross liquidation curve after its positions or collateral changed.
    mutating func rebuildCurve(symbol s: Int) {
        let sum = sums[s]
        let terms = symbolPositions[sum.crossStart..<sum.isolatedStart].filter { positions[$0].isOpen }.map { i in
            PiecewiseLinear.Term(sign: positions[i].sign, size: positions[i].size, entry: positions[i].entry, table: tables[i])
        }
        liquidationCurves[s] = PiecewiseLinear(terms: terms, extraSlope: sum.collateralUnits)
        crossSlopeBounds[s] = Self.crossSlopeBound(positions: positions, tables: tables,
                                                   indices: symbolPositions[sum.crossStart..<sum.isolatedStart],
                                                   collateralUnits: sum.collateralUnits)
    }

    /// The account sums at the current marks, without per-position detail.
    /// - Complexity: O(symbols).
    /// (Always inlined: called as a getter on a session's engine, it copied the whole struct first.)
    public var totals: AccountTotals {
        @inline(__always) get {
        var t = AccountTotals(wallet: wallet)
        for s in sums.indices {
            let book = sums[s]
            t.collateralValue += book.collateralUnits * marks[s]
            t.crossUnrealizedPnl += book.crossUnrealizedPnl
            t.crossMaintenanceMargin += book.crossMaintenanceMargin
            t.crossInitialMargin += book.crossInitialMargin
            t.isolatedUnrealizedPnl += book.isolatedUnrealizedPnl
            t.isolatedInitialMargin += book.isolatedInitialMargin
            t.isolatedEquity += book.isolatedEquity
            t.openCrossPositions += book.openCrossCount
        }
        return t
        }
    }
}
