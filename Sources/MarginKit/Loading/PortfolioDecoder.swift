import Yams

/// Turns a composed YAML/JSON tree into a validated `Portfolio` (CONTRACT section 2 and 8).
struct PortfolioDecoder {
    let reader: YAMLReader
    var warnings: [String] = []
    /// Bracket tables from the exchange (`--brackets`, `--account binance`): above the
    /// built-ins, below the file's own `instruments:`.
    var exchangeInstruments: [String: Instrument] = [:]
    /// The account comes from the exchange: `account:` and `positions:` may be left out (and
    /// positions given are used only for their stops).
    var accountFromExchange = false
    /// The symbols the file's `instruments:` names.
    private(set) var fileInstruments: Set<String> = []

    init(file: String) { reader = YAMLReader(file: file) }

    mutating func decode(_ root: Node) throws -> Portfolio {
        let top = try reader.mapping(root, "", allowed: ["account", "collateral", "positions", "instruments", "alerts", "feed", "groups"])
        var wallet = 0.0
        if let accountNode = top["account"] {
            let account = try reader.mapping(accountNode, "account", allowed: ["wallet"])
            guard let walletNode = account["wallet"] else { throw reader.error(accountNode, "account.wallet is required") }
            wallet = try reader.number(walletNode, "account.wallet", "0 or more") { $0 >= 0 }
            if accountFromExchange {
                warnings.append("\(reader.location(of: accountNode)): account.wallet is ignored with --account binance (the exchange's wallet is used)")
            }
        } else if !accountFromExchange {
            throw reader.error(root, "account is required (account: {wallet: …})")
        }

        var instruments = BuiltinInstruments.all.merging(exchangeInstruments) { _, exchange in exchange }
        if let node = top["instruments"] {
            for (symbol, instrument) in try InstrumentDecoder(reader: reader).decode(node) {
                instruments[symbol] = instrument
                fileInstruments.insert(symbol)
            }
        }
        let feed = try top["feed"].map { try FeedDecoder(reader: reader).decode($0) } ?? FeedConfig()
        let alerts = try top["alerts"].map { try AlertsDecoder(reader: reader).decode($0) } ?? AlertThresholds()
        let positions = try top["positions"].map { try decodePositions($0, instruments: instruments) } ?? []
        var portfolio = Portfolio(wallet: wallet, positions: positions, instruments: instruments,
                                  alerts: alerts, feed: feed)
        if accountFromExchange, let node = top["positions"] {
            warnings.append("\(reader.location(of: node)): positions are ignored with --account binance except their stop_loss "
                + "(the exchange's positions are used)")
        }
        if accountFromExchange, let node = top["collateral"] {
            warnings.append("\(reader.location(of: node)): collateral is ignored with --account binance (single-asset mode)")
        }
        if let node = top["collateral"], !accountFromExchange {
            portfolio.collateral = try decodeCollateral(node, pricedBy: portfolio)
        }
        if let node = top["groups"] {
            portfolio.groups = try decodeGroups(node)
            // A symbol nothing holds is allowed (a group kept for later), but a typo must not
            // quietly switch the rule off: said once.
            let priced = Set(portfolio.symbols)
            // With the account on the exchange, what is held is known only once it is read.
            for g in portfolio.groups where !accountFromExchange {
                let unheld = g.symbols.filter { !priced.contains($0) }
                if !unheld.isEmpty {
                    warnings.append("\(reader.location(of: node)): groups.\(g.name): \(unheld.joined(separator: ", ")) "
                        + "\(unheld.count == 1 ? "is" : "are") not held by any position or collateral (a typo?)")
                }
            }
        }
        return portfolio
    }

    private mutating func decodePositions(_ node: Node, instruments: [String: Instrument]) throws -> [PositionSpec] {
        var result: [PositionSpec] = []
        var firstIndex: [String: Int] = [:]
        for (i, item) in try reader.sequence(node, "positions").enumerated() {
            let path = "positions[\(i)]"
            let spec = try decodePosition(item, path: path, instruments: instruments)
            let key = "\(spec.symbol) \(spec.side.rawValue)"
            if let first = firstIndex[key] {
                throw reader.error(item, "\(path) is a second \(spec.side.rawValue) on \(spec.symbol) "
                    + "(positions[\(first)] is the first); one-way mode allows one per symbol and side")
            }
            firstIndex[key] = i
            result.append(spec)
        }
        return result
    }

    private mutating func decodePosition(_ node: Node, path: String, instruments: [String: Instrument]) throws -> PositionSpec {
        let f = try reader.mapping(node, path, allowed: [
            "symbol", "side", "size", "entry", "leverage", "margin", "isolated_margin", "stop_loss", "mark"])
        func required(_ key: String) throws -> Node {
            guard let value = f[key] else { throw reader.error(node, "\(f.path(key)) is required") }
            return value
        }
        let symbolNode = try required("symbol")
        let symbol = try reader.name(symbolNode, f.path("symbol"))
        guard instruments[symbol] != nil else {
            if symbol != symbol.uppercased() {
                throw reader.error(symbolNode, "\(f.path("symbol")) \(symbol): symbols are upper-case, as the exchange writes them "
                    + "(\(symbol.uppercased()))")
            }
            throw reader.error(symbolNode, "\(f.path("symbol")) \(symbol) has no instrument table: "
                + "add instruments.\(symbol) with tiers or maintenance_rate")
        }
        let side = try reader.choice(try required("side"), f.path("side"), as: Side.self)
        let size = try reader.number(try required("size"), f.path("size"), "greater than 0") { $0 > 0 }
        let entry = try reader.number(try required("entry"), f.path("entry"), "greater than 0") { $0 > 0 }
        let leverage = try reader.number(try required("leverage"), f.path("leverage"), "greater than 0") { $0 > 0 }
        let margin = try f["margin"].map { try reader.choice($0, f.path("margin"), as: MarginMode.self) } ?? .cross
        var isolatedMargin: Double?
        if let imNode = f["isolated_margin"] {
            guard margin == .isolated else {
                throw reader.error(imNode, "\(f.path("isolated_margin")) is only for margin: isolated (this position is cross)")
            }
            isolatedMargin = try reader.number(imNode, f.path("isolated_margin"), "greater than 0") { $0 > 0 }
        }
        let stopLoss = try f["stop_loss"].map { try reader.number($0, f.path("stop_loss"), "greater than 0") { $0 > 0 } }
        let mark = try f["mark"].map { try reader.number($0, f.path("mark"), "greater than 0") { $0 > 0 } }
        if let stop = stopLoss, let stopNode = f["stop_loss"],
           side == .long ? stop >= entry : stop <= entry {
            let where_ = side == .long ? "at or above" : "at or below"
            warnings.append("\(reader.location(of: stopNode)): \(f.path("stop_loss")) \(reader.format(stop)) is "
                + "\(where_) the entry \(reader.format(entry)) of a \(side.rawValue): it will fire at once")
        }
        return PositionSpec(symbol: symbol, side: side, size: size, entry: entry, leverage: leverage,
                            margin: margin, isolatedMargin: isolatedMargin, stopLoss: stopLoss, mark: mark)
    }

    /// `groups: {majors: [BTCUSDT, ETHUSDT]}`: each a name and two or more distinct symbols.
    private func decodeGroups(_ node: Node) throws -> [DeclaredGroup] {
        guard case .mapping = node else {
            throw reader.error(node, "groups must be a mapping of names to symbol lists, like {majors: [BTCUSDT, ETHUSDT]} "
                + "(got \(reader.describe(node)))")
        }
        return try reader.namedMapping(node, "groups").map { name, _, value in
            let path = "groups.\(name)"
            var symbols: [String] = []
            for (i, item) in try reader.sequence(value, path).enumerated() {
                let symbol = try reader.name(item, "\(path)[\(i)]")
                guard symbol == symbol.uppercased() else {
                    throw reader.error(item, "\(path)[\(i)] \(symbol): symbols are upper-case, as the exchange writes them "
                        + "(\(symbol.uppercased()))")
                }
                guard !symbols.contains(symbol) else { throw reader.error(item, "\(path)[\(i)] \(symbol) is listed twice") }
                symbols.append(symbol)
            }
            guard symbols.count >= 2 else {
                throw reader.error(value, "\(path) must list two or more symbols (a group of one is the position itself)")
            }
            return DeclaredGroup(name: name, symbols: symbols)
        }
    }

    private func decodeCollateral(_ node: Node, pricedBy portfolio: Portfolio) throws -> [CollateralSpec] {
        try reader.sequence(node, "collateral").enumerated().map { i, item in
            let f = try reader.mapping(item, "collateral[\(i)]", allowed: ["asset", "amount", "price", "haircut"])
            func required(_ key: String) throws -> Node {
                guard let value = f[key] else { throw reader.error(item, "\(f.path(key)) is required") }
                return value
            }
            let asset = try reader.name(try required("asset"), f.path("asset"))
            let amount = try reader.number(try required("amount"), f.path("amount"), "greater than 0") { $0 > 0 }
            let priceNode = try required("price")
            let symbol = try reader.name(priceNode, f.path("price"))
            guard portfolio.initialMark(of: symbol) != nil else {
                throw reader.error(priceNode, "\(f.path("price")) \(symbol) has no feed: no position on it "
                    + "and no feed.symbols.\(symbol).start")
            }
            let haircut = try f["haircut"].map {
                try reader.number($0, f.path("haircut"), "a fraction from 0 up to (not including) 1") { $0 >= 0 && $0 < 1 }
            } ?? 0
            return CollateralSpec(asset: asset, amount: amount, priceSymbol: symbol, haircut: haircut)
        }
    }
}
