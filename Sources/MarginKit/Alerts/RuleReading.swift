/// One threshold rule's number at one evaluation, with the levels it is compared against.
///
/// Separating the reading from the decision lets one-shot commands classify without memory
/// and the live alert engine apply hysteresis over time to the very same numbers.
public struct RuleReading: Sendable, Equatable {
    public var rule: AlertRule
    public var symbol: String?
    public var value: Double
    public var warn: Double
    public var critical: Double?
    /// `correlated_mm`: the group's side and lowest estimated correlation (nil: declared).
    public var side: Side?
    public var correlation: Double?

    public init(rule: AlertRule, symbol: String?, value: Double, thresholds: AlertThresholds) {
        self.rule = rule
        self.symbol = symbol
        self.value = value
        (warn, critical) = rule.levels(in: thresholds)
    }

    /// The level with no hysteresis.
    public var level: AlertLevel { rule.direction.level(of: value, warn: warn, critical: critical) }

    /// The threshold that `level` crossed (critical when critical, else warn).
    public func threshold(for level: AlertLevel) -> Double {
        level == .critical ? (critical ?? warn) : warn
    }

    /// The threshold rules of CONTRACT section 5 read off an evaluation. Rules whose number is
    /// undefined (no cross positions, zero equity, no liquidation price) give no reading.
    public static func readings(of evaluation: Evaluation, thresholds: AlertThresholds,
                                groups: [GroupShare] = []) -> [RuleReading] {
        var result: [RuleReading] = []
        let account = evaluation.account
        if account.hasCrossPositions {
            if let ratio = account.marginRatio {
                result.append(RuleReading(rule: .marginRatio, symbol: nil, value: ratio, thresholds: thresholds))
            }
            if let free = account.freeMarginPct {
                result.append(RuleReading(rule: .freeMarginPct, symbol: nil, value: free, thresholds: thresholds))
            }
        }
        for p in evaluation.positions {
            // At or past its liquidation the `liquidation` rule speaks, not a distance.
            if let lp = p.liquidationPrice, !p.isPastLiquidation {
                result.append(RuleReading(rule: .liquidationDistance, symbol: p.symbol,
                                          value: RuleMeasure.liquidationDistance(mark: p.mark, liquidationPrice: lp),
                                          thresholds: thresholds))
            }
            if p.spec.margin == .cross, let share = RuleMeasure.positionMMPct(maintenanceMargin: p.maintenanceMargin,
                                                                              equity: account.equity) {
                result.append(RuleReading(rule: .positionMM, symbol: p.symbol, value: share, thresholds: thresholds))
            }
        }
        for g in groups {
            guard let share = g.mmPct else { continue }
            var reading = RuleReading(rule: .correlatedMM, symbol: g.group.name, value: share, thresholds: thresholds)
            reading.side = g.group.side
            reading.correlation = g.group.correlation
            result.append(reading)
        }
        return result
    }
}

/// A group that is one bet and its combined maintenance margin in % of cross equity.
public struct GroupShare: Sendable, Equatable {
    public var group: CorrelatedGroup
    public var mmPct: Double?

    public init(group: CorrelatedGroup, mmPct: Double?) {
        self.group = group
        self.mmPct = mmPct
    }
}
