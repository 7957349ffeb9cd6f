/// A USDⓈ-M account as the exchange reports it: the wallet, the open positions and, per
/// position, the exchange's own liquidation price and mark (to show beside ours).
public struct ExchangeAccount: Sendable, Equatable {
    /// The cross wallet of the margin asset (USDT), without isolated margins.
    public var wallet: Double
    /// Other assets with a balance: held, but not margin in single-asset mode (listed, not counted).
    public var otherAssets: [(asset: String, balance: Double)] = []
    public var positions: [ExchangePosition]

    public init(wallet: Double, positions: [ExchangePosition], otherAssets: [(asset: String, balance: Double)] = []) {
        self.wallet = wallet
        self.positions = positions
        self.otherAssets = otherAssets
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.wallet == b.wallet && a.positions == b.positions
            && a.otherAssets.map(\.asset) == b.otherAssets.map(\.asset)
            && a.otherAssets.map(\.balance) == b.otherAssets.map(\.balance)
    }

    /// The held symbols, in the exchange's order.
    public var symbols: [String] {
        var seen = Set<String>()
        return positions.map(\.spec.symbol).filter { seen.insert($0).inserted }
    }

    /// The exchange's liquidation price of the position on `symbol` and `side`; nil when it
    /// reports none (0) or holds no such position.
    public func exchangeLiquidation(symbol: String, side: Side) -> Double? {
        positions.first { $0.spec.symbol == symbol && $0.spec.side == side }?.liquidationPrice
    }

    /// `base` (the trader's file: alert levels, groups, instrument overrides) with this account's
    /// wallet and positions. Bracket tables: the built-ins, then `brackets` (the exchange's), then
    /// the file's own `instruments:` (a deliberate override wins). Stops in the file's positions
    /// are kept for the same symbol and side.
    public func portfolio(base: Portfolio, fileInstruments: Set<String>, brackets: [String: BracketTable]) -> Portfolio {
        var result = base
        result.wallet = wallet
        result.collateral = []
        var instruments = base.instruments
        for (symbol, table) in brackets where !fileInstruments.contains(symbol) {
            instruments[symbol] = Instrument(symbol: symbol, table: table)
        }
        result.instruments = instruments
        result.positions = positions.map { held in
            var spec = held.spec
            spec.stopLoss = base.positions.first { $0.symbol == spec.symbol && $0.side == spec.side }?.stopLoss
            return spec
        }
        return result
    }

    /// What changed from `old` to this account, one line per position opened, closed or
    /// resized (for the monitor's log).
    public func changes(from old: ExchangeAccount) -> [String] {
        func key(_ p: ExchangePosition) -> String { "\(p.spec.symbol) \(p.spec.side.rawValue)" }
        let before = Dictionary(old.positions.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(positions.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        for p in positions {
            guard let was = before[key(p)] else {
                lines.append("opened \(key(p)) \(NumberFormat.quantity(p.spec.size)) @ \(NumberFormat.price(p.spec.entry))")
                continue
            }
            if was.spec.size != p.spec.size || was.spec.entry != p.spec.entry {
                lines.append("resized \(key(p)) \(NumberFormat.quantity(was.spec.size)) → \(NumberFormat.quantity(p.spec.size))"
                    + " @ \(NumberFormat.price(p.spec.entry))")
            }
            if was.spec.margin != p.spec.margin || was.spec.isolatedMargin != p.spec.isolatedMargin || was.spec.leverage != p.spec.leverage {
                let margin = p.spec.isolatedMargin.map { "isolated, margin \(NumberFormat.money($0))" } ?? "cross"
                lines.append("\(key(p)) now \(margin), \(NumberFormat.leverage(p.spec.leverage))")
            }
        }
        for p in old.positions where after[key(p)] == nil {
            lines.append("closed \(key(p)) \(NumberFormat.quantity(p.spec.size))")
        }
        return lines
    }
}

/// One open position as `positionRisk` reports it.
public struct ExchangePosition: Sendable, Equatable {
    /// The position in the portfolio's terms (size > 0, side from the sign of `positionAmt`).
    public var spec: PositionSpec
    /// The exchange's mark when the account was read.
    public var mark: Double
    /// The exchange's liquidation price; nil when it reports 0 (none).
    public var liquidationPrice: Double?

    public init(spec: PositionSpec, mark: Double, liquidationPrice: Double?) {
        self.spec = spec
        self.mark = mark
        self.liquidationPrice = liquidationPrice
    }
}
