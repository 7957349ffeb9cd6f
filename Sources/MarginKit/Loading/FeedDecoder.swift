import Yams

/// Decodes the `feed:` block (the simulated market's parameters).
struct FeedDecoder {
    let reader: YAMLReader

    func decode(_ node: Node) throws -> FeedConfig {
        let f = try reader.mapping(node, "feed", allowed: ["seed", "interval", "symbols", "correlation", "jumps"])
        var feed = FeedConfig()
        if let seed = f["seed"] {
            guard case .scalar(let scalar) = seed, scalar.style == .plain, let value = UInt64(scalar.string) else {
                throw reader.error(seed, "feed.seed must be a whole number from 0 to 18446744073709551615 (got \(reader.describe(seed)))")
            }
            feed.seed = value
        }
        if let interval = f["interval"] {
            let text = try reader.text(interval, "feed.interval")
            guard let ms = parseDurationMilliseconds(text), ms > 0 else {
                throw reader.error(interval, "feed.interval must be a duration like 250ms, 1s or 2m (got \(text))")
            }
            feed.intervalMs = ms
        }
        if let symbols = f["symbols"] {
            for (symbol, _, value) in try reader.namedMapping(symbols, "feed.symbols") {
                let s = try reader.mapping(value, "feed.symbols.\(symbol)", allowed: ["start", "vol"])
                var simulated = SimulatedSymbol()
                simulated.start = try s["start"].map { try reader.number($0, s.path("start"), "greater than 0") { $0 > 0 } }
                if let vol = s["vol"] {
                    simulated.vol = try reader.number(vol, s.path("vol"), "0 or more (annualised, 0.6 = 60%)") { $0 >= 0 }
                }
                feed.symbols[symbol] = simulated
            }
        }
        if let correlation = f["correlation"] {
            feed.correlation = try reader.number(correlation, "feed.correlation", "from 0 to 1") { $0 >= 0 && $0 <= 1 }
        }
        if let jumps = f["jumps"] {
            let j = try reader.mapping(jumps, "feed.jumps", allowed: ["per_hour", "mean_pct", "stdev_pct"])
            if let n = j["per_hour"] { feed.jumps.perHour = try reader.number(n, j.path("per_hour"), "0 or more") { $0 >= 0 } }
            if let n = j["mean_pct"] {
                feed.jumps.meanPct = try reader.number(n, j.path("mean_pct"), "above -100") { $0 > -100 }
            }
            if let n = j["stdev_pct"] { feed.jumps.stdevPct = try reader.number(n, j.path("stdev_pct"), "0 or more") { $0 >= 0 } }
        }
        return feed
    }
}
