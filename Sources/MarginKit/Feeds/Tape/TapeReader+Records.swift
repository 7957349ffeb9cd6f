import Foundation

extension TapeReader {
    /// Parses one record into zero or more queued ticks.
    func parse(record: UnsafeBufferPointer<UInt8>, line: Int, terminated: Bool) throws {
        switch layout {
        case .native: try parseNative(record, line: line, terminated: terminated)
        case .bars(let columns): try parseBar(record, columns, line: line, terminated: terminated)
        case .trades(let columns): try parseTrade(record, columns, line: line, terminated: terminated)
        case .jsonLines: try parseJSONLine(record, line: line, terminated: terminated)
        case .freqtrade: try parseFreqtrade(record, line: line, terminated: terminated)
        }
    }

    /// True for an empty or all-blank record (skipped, not bad).
    @inline(__always)
    func isBlank(_ r: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in r where c != 32 && c != 9 && c != 13 && c != 10 { return false }
        return true
    }

    /// Splits a CSV record into `fields`: false for a blank record (skipped) or one with the wrong
    /// number of columns (a bad line, reported).
    func split(_ r: UnsafeBufferPointer<UInt8>, expecting count: Int, label: String = "", line: Int,
               terminated: Bool) throws -> Bool {
        if isBlank(r) { return false }
        sawRecord = true
        fields.split(r)
        guard fields.count == count else {
            try bad("expected \(count) columns\(label) (got \(fields.count))", line: line, terminated: terminated)
            return false
        }
        return true
    }

    /// A price must be a positive number of at most `Tick.maximumPrice`.
    @inline(__always)
    func price(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let v = ByteScanning.double(bytes), Tick.isPlausiblePrice(v) else { return nil }
        return v
    }

    /// Why a price field was refused, in words: not a positive number, or one beyond the largest
    /// price taken (a corrupt field such as `1e308` must not read as "not a number").
    func notAPrice(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let v = ByteScanning.double(bytes), v > Tick.maximumPrice else { return "is not a positive number" }
        return "is above the largest price taken, 1e15"
    }

    func describe(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return "\"\(text)\""
    }

    // MARK: native CSV

    @inline(__always)
    func parseNative(_ r: UnsafeBufferPointer<UInt8>, line: Int, terminated: Bool) throws {
        guard try split(r, expecting: 3, label: " time,symbol,price", line: line, terminated: terminated) else { return }
        guard let time = ByteScanning.time(fields[0]) else {
            return try bad("time is not a time (\(describe(fields[0])))", line: line, terminated: terminated)
        }
        guard let p = price(fields[2]) else {
            return try bad("price \(notAPrice(fields[2])) (\(describe(fields[2])))", line: line, terminated: terminated)
        }
        let symbolBytes = fields[1]
        guard !symbolBytes.isEmpty else { return try bad("symbol is empty", line: line, terminated: terminated) }
        emit(Tick(time: time, symbol: fixedSymbol ?? symbolCache.id(symbolBytes, table: symbols), price: p))
    }

    // MARK: bars

    func parseBar(_ r: UnsafeBufferPointer<UInt8>, _ c: BarColumns, line: Int, terminated: Bool) throws {
        guard try split(r, expecting: c.count, line: line, terminated: terminated) else { return }
        guard let t0 = ByteScanning.time(fields[c.openTime]) else {
            return try bad("open time is not a time (\(describe(fields[c.openTime])))", line: line, terminated: terminated)
        }
        guard let o = price(fields[c.open]) else {
            return try bad("open price \(notAPrice(fields[c.open])) (\(describe(fields[c.open])))", line: line, terminated: terminated)
        }
        guard let h = price(fields[c.high]) else {
            return try bad("high price \(notAPrice(fields[c.high])) (\(describe(fields[c.high])))", line: line, terminated: terminated)
        }
        guard let l = price(fields[c.low]) else {
            return try bad("low price \(notAPrice(fields[c.low])) (\(describe(fields[c.low])))", line: line, terminated: terminated)
        }
        guard let cl = price(fields[c.close]) else {
            return try bad("close price \(notAPrice(fields[c.close])) (\(describe(fields[c.close])))", line: line, terminated: terminated)
        }
        let ohlc = (o, h, l, cl)
        if let closeColumn = c.closeTime {
            guard let t1 = ByteScanning.time(fields[closeColumn]), t1 >= t0 else {
                return try bad("close time is not a time at or after the open time (\(describe(fields[closeColumn])))",
                               line: line, terminated: terminated)
            }
            emitBar(t0: t0, t1: t1, ohlc.0, ohlc.1, ohlc.2, ohlc.3)
        } else {
            try addBarWithoutCloseTime(line: line, t0: t0, ohlc.0, ohlc.1, ohlc.2, ohlc.3)
        }
    }

    func emitBar(t0: Int64, t1: Int64, _ o: Double, _ h: Double, _ l: Double, _ c: Double) {
        guard let symbol = fixedSymbol else { return }
        let (a, b, d, e) = BarPath.ticks(openTime: t0, closeTime: t1, open: o, high: h, low: l, close: c, symbol: symbol)
        emit(a); emit(b); emit(d); emit(e)
    }

    /// Bars with no close time end one interval − 1 ms after they open; without an interval in
    /// the file name, the first bar waits for the second to give the spacing.
    func addBarWithoutCloseTime(line: Int, t0: Int64, _ o: Double, _ h: Double, _ l: Double, _ c: Double) throws {
        if barInterval == nil, let held = heldBar {
            let spacing = t0 - held.openTime
            barInterval = spacing > 0 ? spacing : 1
        }
        if let held = heldBar, let interval = barInterval {
            emitBar(t0: held.openTime, t1: held.openTime + interval - 1, held.o, held.h, held.l, held.c)
            heldBar = nil
        }
        if let interval = barInterval {
            emitBar(t0: t0, t1: t0 + interval - 1, o, h, l, c)
        } else {
            heldBar = (line, t0, o, h, l, c)
        }
    }

    /// At the end of the tape, a lone held bar (one bar, no interval known) closes at its open.
    func flushHeldBar() throws {
        guard let held = heldBar else { return }
        emitBar(t0: held.openTime, t1: held.openTime + max((barInterval ?? 1) - 1, 0), held.o, held.h, held.l, held.c)
        heldBar = nil
    }

    // MARK: trades

    func parseTrade(_ r: UnsafeBufferPointer<UInt8>, _ c: TradeColumns, line: Int, terminated: Bool) throws {
        guard try split(r, expecting: c.count, line: line, terminated: terminated) else { return }
        guard let time = ByteScanning.time(fields[c.time]) else {
            return try bad("time is not a time (\(describe(fields[c.time])))", line: line, terminated: terminated)
        }
        guard let p = price(fields[c.price]) else {
            return try bad("price \(notAPrice(fields[c.price])) (\(describe(fields[c.price])))", line: line, terminated: terminated)
        }
        let symbol: Int32
        if let fixed = fixedSymbol {
            symbol = fixed
        } else if let column = c.symbol, !fields[column].isEmpty {
            symbol = symbolCache.id(fields[column], table: symbols)
        } else {
            return try bad("symbol is empty", line: line, terminated: terminated)
        }
        emit(Tick(time: time, symbol: symbol, price: p))
    }

    // MARK: freqtrade

    func parseFreqtrade(_ r: UnsafeBufferPointer<UInt8>, line: Int, terminated: Bool) throws {
        // Records look like `[[ms,o,h,l,c,v`, `,[ms,o,h,l,c,v` or the closing `]`.
        var s = 0
        while s < r.count, r[s] == 91 || r[s] == 44 || r[s] == 32 || r[s] == 10 || r[s] == 13 || r[s] == 9 { s += 1 }
        let body = UnsafeBufferPointer(rebasing: r[s...])
        if isBlank(body) { return }
        sawRecord = true
        fields.split(body)
        guard fields.count == 6 else {
            return try bad("expected a candle [time, open, high, low, close, volume] (got \(fields.count) values)",
                           line: line, terminated: terminated)
        }
        guard let t0 = ByteScanning.time(fields[0]) else {
            return try bad("candle time is not a time (\(describe(fields[0])))", line: line, terminated: terminated)
        }
        var values = (0.0, 0.0, 0.0, 0.0)
        for k in 0..<4 {
            guard let v = price(fields[k + 1]) else {
                let label = k == 0 ? "open" : k == 1 ? "high" : k == 2 ? "low" : "close"
                return try bad("candle \(label) is not a positive number (\(describe(fields[k + 1])))",
                               line: line, terminated: terminated)
            }
            switch k {
            case 0: values.0 = v
            case 1: values.1 = v
            case 2: values.2 = v
            default: values.3 = v
            }
        }
        try addBarWithoutCloseTime(line: line, t0: t0, values.0, values.1, values.2, values.3)
    }

    // MARK: JSON lines

    func parseJSONLine(_ r: UnsafeBufferPointer<UInt8>, line: Int, terminated: Bool) throws {
        if isBlank(r) { return }
        sawRecord = true
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: r)) as? [String: Any] else {
            return try bad("not a JSON object", line: line, terminated: terminated)
        }
        let events: [[String: Any]]
        if let data = object["data"] as? [String: Any] {
            events = [data]
        } else if let array = object["data"] as? [[String: Any]] {
            events = array  // `!markPrice@arr`: every symbol in one message
        } else {
            events = [object]
        }
        for event in events {
            let timeValue = event["time"] ?? event["E"]
            let priceValue = event["price"] ?? event["p"]
            let symbolValue = event["symbol"] ?? event["s"]
            guard let time = jsonTime(timeValue) else {
                return try bad("no time (\"time\" or \"E\") in the JSON object", line: line, terminated: terminated)
            }
            guard let p = jsonPrice(priceValue) else {
                return try bad("no positive price (\"price\" or \"p\") in the JSON object", line: line, terminated: terminated)
            }
            let symbol: Int32
            if let fixed = fixedSymbol {
                symbol = fixed
            } else if let name = symbolValue as? String, !name.isEmpty {
                symbol = symbolCache.id(name, table: symbols)
            } else {
                return try bad("no symbol (\"symbol\" or \"s\") in the JSON object", line: line, terminated: terminated)
            }
            emit(Tick(time: time, symbol: symbol, price: p))
        }
    }

    private func jsonTime(_ value: Any?) -> Int64? {
        if let text = value as? String {
            return Array(text.utf8).withUnsafeBufferPointer { ByteScanning.time($0) }
        }
        if let number = value as? NSNumber, !Self.isBoolean(number) {
            let d = number.doubleValue
            guard d.isFinite, d >= 0, d == d.rounded(), d < 1e18 else { return nil }
            return Array(String(Int64(d)).utf8).withUnsafeBufferPointer { ByteScanning.time($0) }
        }
        return nil
    }

    /// JSON `true`/`false` arrive as NSNumbers too; `is Bool` would also say yes for a plain 1
    /// (so a price of exactly 1 was once dropped). The boolean kind is told by its type code.
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private func jsonPrice(_ value: Any?) -> Double? {
        var v: Double?
        if let text = value as? String {
            v = Array(text.utf8).withUnsafeBufferPointer { ByteScanning.double($0) }
        } else if let number = value as? NSNumber, !Self.isBoolean(number) {
            v = number.doubleValue
        }
        guard let v, Tick.isPlausiblePrice(v) else { return nil }
        return v
    }
}
