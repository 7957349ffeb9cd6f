/// How a tape's records map to ticks, recognised from its content (CONTRACT section 4).
enum TapeLayout: Equatable {
    /// `time,symbol,price` with that header.
    case native
    /// OHLC bars (Binance klines or any CSV naming open time/open/high/low/close): four ticks a bar.
    case bars(BarColumns)
    /// One tick per trade (Binance trades/aggTrades, tardis.dev and ccxt dumps).
    case trades(TradeColumns)
    /// One JSON object per line: native, Binance markPriceUpdate, or the combined-stream wrapper.
    case jsonLines
    /// freqtrade candles: `[[ms, open, high, low, close, volume], …]`.
    case freqtrade

    /// Whether records name their own symbol.
    var carriesSymbol: Bool {
        switch self {
        case .native, .jsonLines: return true
        case .trades(let t): return t.symbol != nil
        case .bars, .freqtrade: return false
        }
    }
}

/// Column positions of a bar CSV.
struct BarColumns: Equatable {
    var openTime: Int, open: Int, high: Int, low: Int, close: Int
    /// Nil when the file has no close time: the interval comes from the name or the bar spacing.
    var closeTime: Int?
    var count: Int
}

/// Column positions of a trades CSV.
struct TradeColumns: Equatable {
    var time: Int, price: Int
    var symbol: Int?
    var count: Int
}

/// Recognises a CSV tape from its first line.
enum CSVRecognizer {
    /// A header's names normalised: lower case, no `_`, spaces or quotes.
    static func normalize(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" && $0 != " " && $0 != "\"" })
    }

    /// True when the field reads as data (a number, a boolean or a time) or is empty.
    static func isDataLike(_ fields: CSVFields, _ i: Int) -> Bool {
        let f = fields[i]
        return f.isEmpty || ByteScanning.double(f) != nil || fields.isBool(i) || ByteScanning.time(f) != nil
    }

    /// The layout named by a header line, or nil when it names no known format.
    static func layout(header fields: CSVFields) -> TapeLayout? {
        let names = (0..<fields.count).map { normalize(fields.text($0)) }
        if names == ["time", "symbol", "price"] { return .native }
        func column(_ candidates: String...) -> Int? {
            for c in candidates { if let i = names.firstIndex(of: c) { return i } }
            return nil
        }
        if let openTime = column("opentime"), let open = column("open"), let high = column("high"),
           let low = column("low"), let close = column("close") {
            return .bars(BarColumns(openTime: openTime, open: open, high: high, low: low, close: close,
                                    closeTime: column("closetime"), count: names.count))
        }
        if let price = column("price"), let time = column("timestamp", "transacttime", "time") {
            return .trades(TradeColumns(time: time, price: price, symbol: column("symbol"), count: names.count))
        }
        return nil
    }

    /// The layout of a headerless first line, or nil.
    static func layout(data fields: CSVFields) -> TapeLayout? {
        let n = fields.count
        let bools = (0..<n).filter { fields.isBool($0) }
        switch (n, bools) {
        case (12, []):
            return .bars(BarColumns(openTime: 0, open: 1, high: 2, low: 3, close: 4, closeTime: 6, count: 12))
        case (6, [5]):  // futures trades: id, price, qty, quote_qty, time, is_buyer_maker
            return .trades(TradeColumns(time: 4, price: 1, symbol: nil, count: 6))
        case (7, [5, 6]):  // spot trades: id, price, qty, quote_qty, time, is_buyer_maker, is_best_match
            return .trades(TradeColumns(time: 4, price: 1, symbol: nil, count: 7))
        case (7, [6]):  // futures aggTrades: id, price, qty, first, last, transact_time, is_buyer_maker
            return .trades(TradeColumns(time: 5, price: 1, symbol: nil, count: 7))
        case (8, [6, 7]):  // spot aggTrades, with is_best_match
            return .trades(TradeColumns(time: 5, price: 1, symbol: nil, count: 8))
        default:
            return nil
        }
    }
}
