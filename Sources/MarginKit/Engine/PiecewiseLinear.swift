/// A continuous piecewise-linear function of one variable x ≥ 0, stored as segments.
///
/// Every liquidation question in marginwatch reduces to one: a position's
/// `s·q·(x − E) − (q·x·mmr − cum)` is linear in the price x inside one bracket, so
/// equity − maintenance margin, summed over the positions that move together, is linear between
/// the bracket edges `floor/q`. Finding where it crosses zero is then a linear solve per segment,
/// instead of an iteration that may stop in the wrong bracket.
public struct PiecewiseLinear: Sendable, Equatable {
    /// Segment edges, ascending, all > 0. Segment i spans [breakpoints[i−1], breakpoints[i]],
    /// with 0 before the first and +∞ after the last.
    public private(set) var breakpoints: [Double]
    /// Slope of segment i (count = breakpoints.count + 1).
    public private(set) var slopes: [Double]
    /// Value at x = 0 of segment i's line.
    public private(set) var intercepts: [Double]
    /// The function's value at each breakpoint (without an offset).
    private var edgeValues: [Double] = []
    /// +1 when every segment rises, −1 when every segment falls, 0 otherwise. A monotone
    /// function has at most one root, found by bisecting `edgeValues` instead of walking segments.
    private var monotone = 0

    /// One linear exposure to x that changes with brackets: `sign·size·(x − entry)` of PnL minus
    /// the maintenance margin of notional `size·x`.
    public struct Term: Sendable {
        public var sign: Double
        public var size: Double
        public var entry: Double
        public var table: BracketTable

        public init(sign: Double, size: Double, entry: Double, table: BracketTable) {
            self.sign = sign
            self.size = size
            self.entry = entry
            self.table = table
        }
    }

    /// Builds Σ terms + extraSlope·x (collateral that moves with x) + constant.
    ///
    /// Sweeps the bracket edges in order: each edge changes one term's slope and intercept by
    /// the difference between its two brackets.
    /// - Complexity: O(E log E) for E bracket edges over all terms.
    public init(terms: [Term], extraSlope: Double = 0, constant: Double = 0) {
        var slope = extraSlope
        var intercept = constant
        var edges: [(x: Double, slope: Double, intercept: Double)] = []
        for term in terms where term.size > 0 {
            let brackets = term.table.brackets
            slope += term.sign * term.size - term.size * brackets[0].mmr
            intercept += brackets[0].cum - term.sign * term.size * term.entry
            for k in brackets.indices.dropFirst() {
                let x = brackets[k].floor / term.size
                guard x.isFinite else { continue }
                edges.append((x, -term.size * (brackets[k].mmr - brackets[k - 1].mmr),
                              brackets[k].cum - brackets[k - 1].cum))
            }
        }
        edges.sort { $0.x < $1.x }
        breakpoints = []
        slopes = [slope]
        intercepts = [intercept]
        breakpoints.reserveCapacity(edges.count)
        for edge in edges {
            if breakpoints.last != edge.x && edge.x > 0 {
                breakpoints.append(edge.x)
                slopes.append(slopes[slopes.count - 1])
                intercepts.append(intercepts[intercepts.count - 1])
            }
            // An edge at x ≤ 0 (a floor of 0) applies from the start.
            slopes[slopes.count - 1] += edge.slope
            intercepts[intercepts.count - 1] += edge.intercept
        }
        edgeValues = breakpoints.indices.map { slopes[$0] * breakpoints[$0] + intercepts[$0] }
        monotone = slopes.allSatisfy { $0 > 0 } ? 1 : slopes.allSatisfy { $0 < 0 } ? -1 : 0
    }

    /// Value at x, plus `offset`.
    public func value(at x: Double, offset: Double = 0) -> Double {
        let s = segment(containing: x)
        return slopes[s] * x + intercepts[s] + offset
    }

    /// The segment whose span holds x (the lower one at an edge).
    public func segment(containing x: Double) -> Int {
        var lo = 0
        var hi = breakpoints.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if breakpoints[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The root of `self(x) + offset = 0` with lower < x ≤ upper nearest to `near`;
    /// nil when there is none.
    ///
    /// Searches outward from the segment holding `near`, so the usual answer (a root one or two
    /// segments away) costs a few multiplications.
    /// - Complexity: O(segments) at worst.
    public func root(offset: Double, near: Double, lower: Double = 0,
                     upper: Double = .infinity) -> Double? {
        if monotone != 0 {
            // The one root lies in the first segment whose right edge has crossed zero.
            var lo = 0
            var hi = breakpoints.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let crossed = monotone > 0 ? edgeValues[mid] + offset >= 0 : edgeValues[mid] + offset <= 0
                if crossed { hi = mid } else { lo = mid + 1 }
            }
            let r = -(intercepts[lo] + offset) / slopes[lo]
            return r.isFinite && r > lower && r <= upper ? r : nil
        }
        let start = segment(containing: near)
        var best: Double?
        var bestDistance = Double.infinity
        // Walk down from the start segment, then up; stop a direction once its segments
        // lie farther from `near` than the best root found.
        var s = start
        while s >= 0 {
            if s < start && near - breakpoints[s] > bestDistance { break }
            if let r = rootIn(segment: s, offset: offset), r > lower, r <= upper,
               abs(r - near) < bestDistance {
                best = r
                bestDistance = abs(r - near)
            }
            s -= 1
        }
        s = start + 1
        while s <= breakpoints.count {
            let lo = breakpoints[s - 1]
            if lo - near > bestDistance { break }
            if let r = rootIn(segment: s, offset: offset), r > lower, r <= upper,
               abs(r - near) < bestDistance {
                best = r
                bestDistance = abs(r - near)
            }
            s += 1
        }
        return best
    }

    private func rootIn(segment s: Int, offset: Double) -> Double? {
        let slope = slopes[s]
        guard slope != 0 else { return nil }
        let r = -(intercepts[s] + offset) / slope
        guard r.isFinite else { return nil }
        let lo = s == 0 ? 0 : breakpoints[s - 1]
        let hi = s == breakpoints.count ? Double.infinity : breakpoints[s]
        // A root that lands a rounding error outside its segment belongs to the neighbour,
        // which finds it too; allow a relative epsilon so an exact edge root is not lost.
        let tolerance = 1e-12 * max(abs(lo), abs(hi == .infinity ? lo : hi), 1)
        guard r >= lo - tolerance, r <= hi + tolerance else { return nil }
        return r
    }
}
