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
    var books: [SymbolBook]
    var sums: [SymbolSums]

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
        books = Array(repeating: SymbolBook(), count: symbols.count)
        sums = Array(repeating: SymbolSums(), count: symbols.count)
        positions = []
        for (i, spec) in portfolio.positions.enumerated() {
            guard let instrument = portfolio.instruments[spec.symbol] else {
                throw EngineError.missingInstrument(symbol: spec.symbol)
            }
            let s = index[spec.symbol]!  // every position symbol is in `symbols` by construction
            positions.append(LivePosition(spec: spec, specIndex: i, symbolIndex: s, table: instrument.table))
            if spec.margin == .cross {
                books[s].crossPositions.append(i)
                sums[s].openCrossCount += 1
            } else {
                books[s].isolatedPositions.append(i)
            }
        }
        for c in portfolio.collateral {
            sums[index[c.priceSymbol]!].collateralUnits += c.countedUnits
        }
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

    mutating func reprice(symbol s: Int) {
        let mark = marks[s]
        var u = 0.0, mm = 0.0, im = 0.0
        for p in books[s].crossPositions where positions[p].isOpen {
            positions[p].reprice(mark)
            u += positions[p].unrealizedPnl
            mm += positions[p].maintenanceMargin
            im += positions[p].initialMargin
        }
        sums[s].crossUnrealizedPnl = u
        sums[s].crossMaintenanceMargin = mm
        sums[s].crossInitialMargin = im
        var iu = 0.0, iim = 0.0, ieq = 0.0
        for p in books[s].isolatedPositions where positions[p].isOpen {
            positions[p].reprice(mark)
            iu += positions[p].unrealizedPnl
            iim += positions[p].initialMargin
            ieq += positions[p].isolatedEquity
        }
        sums[s].isolatedUnrealizedPnl = iu
        sums[s].isolatedInitialMargin = iim
        sums[s].isolatedEquity = ieq
    }

    /// Rebuilds a symbol's cross liquidation curve after its positions or collateral changed.
    mutating func rebuildCurve(symbol s: Int) {
        let terms = books[s].crossPositions.filter { positions[$0].isOpen }.map { positions[$0].term }
        books[s].liquidationCurve = PiecewiseLinear(terms: terms, extraSlope: sums[s].collateralUnits)
    }

    /// The account sums at the current marks, without per-position detail.
    /// - Complexity: O(symbols).
    public var totals: AccountTotals {
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
