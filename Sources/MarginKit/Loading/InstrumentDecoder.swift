import Yams

/// Decodes the `instruments:` block: bracket tables that override or add to the built-ins.
struct InstrumentDecoder {
    let reader: YAMLReader

    func decode(_ node: Node) throws -> [(String, Instrument)] {
        try reader.namedMapping(node, "instruments").map { symbol, keyNode, value in
            let path = "instruments.\(symbol)"
            let f = try reader.mapping(value, path, allowed: ["tiers", "maintenance_rate"])
            switch (f["tiers"], f["maintenance_rate"]) {
            case (let tiers?, nil):
                return (symbol, Instrument(symbol: symbol, table: try decodeTiers(tiers, path: f.path("tiers"))))
            case (nil, let rate?):
                let mmr = try reader.number(rate, f.path("maintenance_rate"), "a fraction from 0 up to (not including) 1") {
                    $0 >= 0 && $0 < 1
                }
                return (symbol, Instrument(symbol: symbol, table: BracketTable(flatRate: mmr)))
            case (_?, let rate?):
                throw reader.error(rate, "\(path) has both tiers and maintenance_rate; give one")
            case (nil, nil):
                throw reader.error(value, "\(path) needs tiers or maintenance_rate")
            }
        }
    }

    private func decodeTiers(_ node: Node, path: String) throws -> BracketTable {
        let items = try reader.sequence(node, path)
        guard !items.isEmpty else { throw reader.error(node, "\(path) must list at least one tier") }
        var tiers: [(floor: Double, mmr: Double, cum: Double?)] = []
        for (i, item) in items.enumerated() {
            let f = try reader.mapping(item, "\(path)[\(i)]", allowed: ["floor", "mmr", "cum"])
            guard let floorNode = f["floor"] else { throw reader.error(item, "\(f.path("floor")) is required") }
            guard let mmrNode = f["mmr"] else { throw reader.error(item, "\(f.path("mmr")) is required") }
            let floor = try reader.number(floorNode, f.path("floor"), "0 or more") { $0 >= 0 }
            if i == 0 && floor != 0 {
                throw reader.error(floorNode, "\(f.path("floor")) must be 0: the first tier starts at notional 0 (got \(reader.format(floor)))")
            }
            if let previous = tiers.last, floor <= previous.floor {
                throw reader.error(floorNode, "\(f.path("floor")) must be above the previous tier's floor "
                    + "\(reader.format(previous.floor)) (got \(reader.format(floor)))")
            }
            let mmr = try reader.number(mmrNode, f.path("mmr"), "a fraction from 0 up to (not including) 1") { $0 >= 0 && $0 < 1 }
            let cum = try f["cum"].map { try reader.number($0, f.path("cum")) }
            tiers.append((floor, mmr, cum))
        }
        return BracketTable(tiers: tiers)
    }
}
