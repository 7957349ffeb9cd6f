/// The one-sentence messages of alerts, shared by every front end.
public enum AlertMessages {
    public static func threshold(_ reading: RuleReading, level: AlertLevel, threshold: Double) -> String {
        let which = level == .critical ? "critical" : "warn"
        switch reading.rule {
        case .marginRatio:
            return "margin ratio \(NumberFormat.ratio(reading.value)) is below the \(which) level "
                + "\(NumberFormat.ratio(threshold)) (liquidation at 1.00)"
        case .freeMarginPct:
            return "free margin is \(NumberFormat.percent(reading.value)) of equity, below the \(which) level "
                + "\(NumberFormat.level(threshold))"
        case .liquidationDistance:
            return "\(reading.symbol ?? "position") is \(NumberFormat.percent(reading.value)) from its liquidation "
                + "price (\(which) below \(NumberFormat.level(threshold)))"
        case .positionMM:
            return "\(reading.symbol ?? "position") maintenance margin is \(NumberFormat.percent(reading.value, decimals: 2)) "
                + "of equity (warn above \(NumberFormat.level(threshold)))"
        case .stopLoss, .softStop, .liquidation:
            return "\(reading.rule.rawValue) at \(NumberFormat.ratio(reading.value))"
        }
    }

    /// The numbers of an alert change in words, shared by the replay timeline and the monitor's
    /// log: what the rule measured, the threshold, and which side of it raises.
    public static func parts(of a: AlertChange) -> (value: String, threshold: String, side: String) {
        let percent = NumberFormat.level(a.threshold)
        let side = a.rule == .positionMM ? "above" : "below"
        switch a.rule {
        case .marginRatio:
            return ("margin ratio \(NumberFormat.ratio(a.value))", NumberFormat.ratio(a.threshold), side)
        case .freeMarginPct:
            return ("free margin \(NumberFormat.percent(a.value))", percent, side)
        case .liquidationDistance:
            return ("\(NumberFormat.percent(a.value)) from liquidation", percent, side)
        case .positionMM:
            return ("MM \(NumberFormat.percent(a.value, decimals: 2)) of equity", percent, side)
        case .stopLoss, .softStop, .liquidation:
            return ("\(a.rule.rawValue) \(NumberFormat.ratio(a.value))", NumberFormat.ratio(a.threshold), side)
        }
    }

    public static func stopCrossed(_ spec: PositionSpec, mark: Double) -> String {
        "\(spec.symbol) \(spec.side.rawValue) mark \(NumberFormat.price(mark)) has crossed its stop-loss "
            + NumberFormat.price(spec.stopLoss)
    }

    public static func accountLiquidated(equity: Double, maintenanceMargin: Double) -> String {
        "cross account liquidated: equity \(NumberFormat.money(equity)) is at or below maintenance margin "
            + NumberFormat.money(maintenanceMargin)
    }

    public static func isolatedLiquidated(_ symbol: String, equity: Double, maintenanceMargin: Double) -> String {
        "\(symbol) isolated position liquidated: its equity \(NumberFormat.money(equity)) is at or below its "
            + "maintenance margin \(NumberFormat.money(maintenanceMargin))"
    }
}
