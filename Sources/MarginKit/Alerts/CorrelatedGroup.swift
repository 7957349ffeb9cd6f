/// Held symbols that are one bet (the guides: "BTC, ETH, BNB all long at 10× is one big bet on
/// the market"): a connected set whose net cross positions point the same way and whose pairs
/// are linked — correlated at or above `alerts.correlated_exposure.correlation` in the feed, or
/// declared together under `groups:`.
public struct CorrelatedGroup: Sendable, Equatable {
    /// Engine symbol indices, ascending (the order of the portfolio's first use).
    public var symbolIndices: [Int]
    public var symbols: [String]
    /// Which way every member's net cross position points.
    public var side: Side
    /// The lowest correlation between two members, as estimated from the feed; nil when some
    /// pair has no estimate (linked by a declaration only).
    public var correlation: Double?

    /// `BTCUSDT+ETHUSDT`: the group's name in alerts (the JSON `symbol`).
    public var name: String { symbols.joined(separator: "+") }

    /// Every pair of `members`.
    public static func pairs(of members: [Int]) -> [SymbolPair] {
        members.indices.flatMap { a in members[(a + 1)...].map { SymbolPair(members[a], $0) } }
    }

    /// The lowest `correlation` between two of `members`; nil when a pair has none.
    public static func lowest(_ members: [Int], _ correlation: (Int, Int) -> Double?) -> Double? {
        var lowest: Double?
        for pair in pairs(of: members) {
            guard let c = correlation(pair.low, pair.high) else { return nil }
            lowest = min(lowest ?? c, c)
        }
        return lowest
    }
}

extension Engine {
    /// Each symbol's net cross direction: +1 net long, −1 net short, 0 flat or none.
    func netCrossSides() -> [Int] {
        symbols.indices.map { s in
            let net = netCrossSize(symbol: s)
            return net > 0 ? 1 : (net < 0 ? -1 : 0)
        }
    }

    /// Σ side·size of symbol `s`'s open cross positions (in portfolio order).
    @inline(__always)
    func netCrossSize(symbol s: Int) -> Double {
        var net = 0.0
        for k in sums[s].crossStart..<sums[s].isolatedStart where positions[symbolPositions[k]].isOpen {
            net += positions[symbolPositions[k]].sign * positions[symbolPositions[k]].size
        }
        return net
    }

    /// Whether two symbols' net cross positions point the same way (a group is possible); no
    /// allocation, for the per-sample check.
    var holdsTwoOnOneSide: Bool {
        var longs = 0, shorts = 0
        for s in sums.indices where sums[s].openCrossCount > 0 {
            let net = netCrossSize(symbol: s)
            if net > 0 { longs += 1 } else if net < 0 { shorts += 1 }
        }
        return longs >= 2 || shorts >= 2
    }

    /// The groups of two or more same-direction symbols joined by `linked` (engine indices,
    /// asked for i < j only), with the lowest pairwise `correlation` of each.
    public func correlatedGroups(linked: (Int, Int) -> Bool, correlation: (Int, Int) -> Double?) -> [CorrelatedGroup] {
        let sides = netCrossSides()
        var parent = Array(symbols.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for i in symbols.indices where sides[i] != 0 {
            for j in (i + 1)..<max(i + 1, symbols.count) where sides[j] == sides[i] && linked(i, j) {
                parent[root(j)] = root(i)
            }
        }
        var members: [Int: [Int]] = [:]
        for i in symbols.indices where sides[i] != 0 { members[root(i), default: []].append(i) }
        return members.values.filter { $0.count >= 2 }.sorted { $0[0] < $1[0] }.map { group in
            CorrelatedGroup(symbolIndices: group, symbols: group.map { symbols[$0] },
                            side: sides[group[0]] > 0 ? .long : .short, correlation: CorrelatedGroup.lowest(group, correlation))
        }
    }

    /// Pairs the portfolio's `groups:` declare correlated (engine indices, i < j).
    public func declaredLinks() -> Set<SymbolPair> {
        Set(portfolio.groups.flatMap { CorrelatedGroup.pairs(of: $0.symbols.compactMap(index(of:))) })
    }

    /// The groups with no feed: the declared links only.
    public func declaredGroups() -> [CorrelatedGroup] {
        let links = declaredLinks()
        return correlatedGroups(linked: { links.contains(SymbolPair($0, $1)) }, correlation: { _, _ in nil })
    }

    /// A group's combined cross maintenance margin in % of cross equity (the `correlated_mm`
    /// number); nil when equity is 0.
    public func groupMMPct(_ group: CorrelatedGroup, totals t: AccountTotals) -> Double? {
        RuleMeasure.positionMMPct(maintenanceMargin: groupMaintenanceMargin(group), equity: t.equity)
    }

    /// Σ the cross maintenance margin of a group's symbols.
    func groupMaintenanceMargin(_ group: CorrelatedGroup) -> Double {
        group.symbolIndices.reduce(0.0) { $0 + sums[$1].crossMaintenanceMargin }
    }

    /// Each group with its combined MM share at the current marks.
    public func shares(of groups: [CorrelatedGroup]) -> [GroupShare] {
        let t = totals
        return groups.map { GroupShare(group: $0, mmPct: groupMMPct($0, totals: t)) }
    }

    /// The symbols with open cross positions (engine indices).
    public var crossHeldSymbols: [Int] { symbols.indices.filter { sums[$0].openCrossCount > 0 } }
}

/// Two engine symbol indices, smaller first.
public struct SymbolPair: Hashable, Sendable {
    public let low: Int
    public let high: Int
    public init(_ a: Int, _ b: Int) { (low, high) = (min(a, b), max(a, b)) }
}
