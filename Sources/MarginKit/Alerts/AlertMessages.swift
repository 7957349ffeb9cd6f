/// Every alert's words, for every front end: the snapshot's sentences, the replay timeline's
/// lines and the monitor's log. One place, so a rule or an event is never described two ways
/// by accident; where the forms differ (the log is narrow, the timeline has room) it is here.
public enum AlertMessages {
    /// Which text an event is worded for.
    public enum Form: Sendable {
        /// The replay timeline (`replay --headless`): room for the whole story.
        case timeline
        /// The monitor's alert log: one narrow line.
        case log
        /// The monitor's log with money amounts hidden (`$`, screen sharing).
        case logWithoutMoney
    }

    // MARK: threshold rules

    /// What the rule measured, in words: `margin ratio 1.42`, `4.2% from liquidation`. With
    /// `named: false` the rule's name is left out where a column already says it.
    public static func value(_ rule: AlertRule, _ value: Double, named: Bool = true) -> String {
        switch rule {
        case .marginRatio: return (named ? "margin ratio " : "") + NumberFormat.ratio(value)
        case .freeMarginPct: return (named ? "free margin " : "") + NumberFormat.percent(value)
        case .liquidationDistance: return "\(NumberFormat.percent(value)) from liquidation"
        case .positionMM: return "MM \(NumberFormat.percent(value, decimals: 2)) of equity"
        case .correlatedMM: return "MM \(NumberFormat.percent(value, decimals: 2)) of equity together"
        case .stopLoss, .softStop, .liquidation: return "\(rule.rawValue) \(NumberFormat.ratio(value))"
        }
    }

    /// A level of the rule in words: `1.50` for a ratio, `5%` for a percentage.
    public static func level(_ rule: AlertRule, _ threshold: Double) -> String {
        switch rule {
        case .freeMarginPct, .liquidationDistance, .positionMM, .correlatedMM: return NumberFormat.level(threshold)
        case .marginRatio, .stopLoss, .softStop, .liquidation: return NumberFormat.ratio(threshold)
        }
    }

    /// Which side of its level raises the rule, in words.
    public static func side(_ rule: AlertRule) -> String { rule.direction == .above ? "above" : "below" }

    /// The one sentence of a snapshot alert on a threshold rule.
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
        case .correlatedMM:
            return "\(reading.symbol ?? "group") \(bet(side: reading.side, correlation: reading.correlation)): together their "
                + "maintenance margin is \(NumberFormat.percent(reading.value, decimals: 2)) of equity, as one position "
                + "(warn above \(NumberFormat.level(threshold)))"
        case .stopLoss, .softStop, .liquidation:
            return "\(reading.rule.rawValue) at \(NumberFormat.ratio(reading.value))"
        }
    }

    /// `long, one bet (correlation 0.86)`, or `(declared correlated)` for a `groups:` entry.
    public static func bet(side: Side?, correlation: Double?) -> String {
        let how = correlation.map { "correlation \(NumberFormat.ratio($0))" } ?? "declared correlated"
        return (side.map { "\($0.rawValue), " } ?? "") + "one bet (\(how))"
    }

    /// A threshold rule's change of level: `margin ratio 1.42, below the critical level 1.50`
    /// on the timeline, `1.42, below critical 1.50` in the log (whose column names the rule).
    public static func change(_ a: AlertChange, _ form: Form) -> String {
        let threshold = level(a.rule, a.threshold)
        switch form {
        case .timeline:
            let value = value(a.rule, a.value)
            if let g = a.group {
                let bet = bet(side: g.side, correlation: g.correlation)
                // The timeline's symbol column names the group.
                if g.dissolved {
                    return "no longer one bet (\(g.correlation.map { "correlation \(NumberFormat.ratio($0))" } ?? "a position closed")), "
                        + "\(a.level.rawValue) (\(threshold)) cleared"
                }
                return a.state == .raised
                    ? "\(bet): \(value), \(side(a.rule)) the \(a.level.rawValue) level \(threshold)"
                    : "\(bet): \(value): recovered, \(a.level.rawValue) (\(threshold)) cleared"
            }
            return a.state == .raised
                ? "\(value), \(side(a.rule)) the \(a.level.rawValue) level \(threshold)"
                : "\(value): recovered, \(a.level.rawValue) (\(threshold)) cleared"
        case .log, .logWithoutMoney:
            let value = value(a.rule, a.value, named: false)
            if let g = a.group, g.dissolved {
                let why = g.correlation.map { "correlation \(NumberFormat.ratio($0))" } ?? "a position closed"
                return "\(a.symbol ?? "") no longer one bet (\(why)): \(a.level.rawValue) \(threshold) cleared"
            }
            let text = a.state == .raised ? "\(value), \(side(a.rule)) \(a.level.rawValue) \(threshold)"
                : "\(value): \(a.level.rawValue) \(threshold) cleared"
            return (a.symbol.map { "\($0) " } ?? "") + text
        }
    }

    // MARK: events

    /// A stop-loss that closed a position.
    public static func stopLoss(symbol: String, price: Double, realizedPnl: Double, _ form: Form) -> String {
        switch form {
        case .timeline:
            return "stop-loss closed \(symbol) at \(NumberFormat.price(price)); realized \(NumberFormat.signedMoney(realizedPnl))"
        case .log: return "\(symbol) stop-loss closed at \(NumberFormat.price(price)), realized \(NumberFormat.signedMoney(realizedPnl))"
        case .logWithoutMoney: return "\(symbol) stop-loss closed at \(NumberFormat.price(price))"
        }
    }

    /// The snapshot's sentence for a stop already crossed.
    public static func stopCrossed(_ spec: PositionSpec, mark: Double) -> String {
        "\(spec.symbol) \(spec.side.rawValue) mark \(NumberFormat.price(mark)) has crossed its stop-loss "
            + NumberFormat.price(spec.stopLoss)
    }

    /// The soft stop reached.
    public static func softStop(lossPct: Double, closedAll: Bool, _ form: Form) -> String {
        let closed = closedAll ? "; every position closed" : ""
        switch form {
        case .timeline: return "aggregate loss \(NumberFormat.percent(lossPct)) of the baseline reached the soft stop" + closed
        case .log, .logWithoutMoney: return "SOFT STOP: loss \(NumberFormat.percent(lossPct)) of baseline" + closed
        }
    }

    /// A liquidation during a session: the cross account, or one isolated position.
    public static func liquidation(scope: LiquidationScope, symbol: String?, equity: Double, maintenanceMargin mm: Double,
                                   _ form: Form) -> String {
        let name = symbol ?? ""
        switch (form, scope) {
        case (.timeline, .account):
            return "CROSS ACCOUNT LIQUIDATED: equity \(NumberFormat.money(equity)) ≤ maintenance margin \(NumberFormat.money(mm)); "
                + "wallet and collateral lost"
        case (.timeline, .position):
            return "\(name) isolated position liquidated: its equity \(NumberFormat.money(equity)) ≤ its MM \(NumberFormat.money(mm)); "
                + "its margin lost"
        case (.log, .account): return "ACCOUNT LIQUIDATED: equity \(NumberFormat.money(equity)) ≤ MM \(NumberFormat.money(mm))"
        case (.log, .position):
            return "\(name) isolated position LIQUIDATED: equity \(NumberFormat.money(equity)) ≤ MM \(NumberFormat.money(mm))"
        case (.logWithoutMoney, .account): return "ACCOUNT LIQUIDATED: equity ≤ maintenance margin"
        case (.logWithoutMoney, .position): return "\(name) isolated position LIQUIDATED: equity ≤ maintenance margin"
        }
    }

    /// The snapshot's sentence for a cross account at or past liquidation.
    public static func accountLiquidated(equity: Double, maintenanceMargin: Double) -> String {
        "cross account liquidated: equity \(NumberFormat.money(equity)) is at or below maintenance margin "
            + NumberFormat.money(maintenanceMargin)
    }

    /// The snapshot's sentence for an isolated position at or past liquidation.
    public static func isolatedLiquidated(_ symbol: String, equity: Double, maintenanceMargin: Double) -> String {
        "\(symbol) isolated position liquidated: its equity \(NumberFormat.money(equity)) is at or below its "
            + "maintenance margin \(NumberFormat.money(maintenanceMargin))"
    }
}
