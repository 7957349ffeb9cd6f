/// The ascending maintenance-margin tiers of one instrument.
///
/// Invariant: at least one bracket, the first with floor 0, floors strictly ascending.
public struct BracketTable: Sendable, Equatable {
    /// The tiers, by ascending floor.
    public let brackets: [Bracket]

    /// A table whose absent `cum` values are derived so maintenance margin stays continuous:
    /// cum₀ = given or 0, cumₖ = cumₖ₋₁ + floorₖ·(mmrₖ − mmrₖ₋₁) (CONTRACT section 3 and 8).
    /// The caller has checked the invariant (the loader does, with file positions).
    public init(tiers: [(floor: Double, mmr: Double, cum: Double?)]) {
        var result: [Bracket] = []
        result.reserveCapacity(tiers.count)
        for tier in tiers {
            let cum: Double
            if let given = tier.cum {
                cum = given
            } else if let previous = result.last {
                cum = previous.cum + tier.floor * (tier.mmr - previous.mmr)
            } else {
                cum = 0
            }
            result.append(Bracket(floor: tier.floor, mmr: tier.mmr, cum: cum))
        }
        brackets = result
    }

    /// A single flat bracket (`maintenance_rate` in a portfolio file).
    public init(flatRate: Double) {
        brackets = [Bracket(floor: 0, mmr: flatRate, cum: 0)]
    }

    /// Index of the bracket that applies to `notional`: the tier whose floor ≤ notional < next floor.
    ///
    /// Starts from `hint` (usually the bracket of the previous tick), so a price
    /// that stays within its tier costs two comparisons.
    /// - Complexity: O(1) when the bracket is unchanged, else O(distance moved).
    @inlinable
    public func index(forNotional notional: Double, hint: Int = 0) -> Int {
        var i = min(max(hint, 0), brackets.count - 1)
        while i > 0 && notional < brackets[i].floor { i -= 1 }
        while i + 1 < brackets.count && notional >= brackets[i + 1].floor { i += 1 }
        return i
    }

    /// Maintenance margin at `notional`: notional·mmr − cum in the applicable bracket.
    public func maintenanceMargin(notional: Double) -> Double {
        let b = brackets[index(forNotional: notional)]
        return notional * b.mmr - b.cum
    }
}
