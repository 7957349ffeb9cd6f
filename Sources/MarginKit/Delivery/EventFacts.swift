/// One session event as it is delivered away from the screen (`--on-alert`, `--notify`,
/// `--webhook`, `--journal`): its kind, level, rule, symbol, number, level crossed, sentence and
/// time, and the JSON object `replay --headless --json` prints for it.
public struct EventFacts: Sendable, Equatable {
    /// `alert`, `cleared`, `stop`, `soft_stop` or `liquidation` (`MW_EVENT`).
    public var kind: String
    public var level: AlertLevel
    public var rule: AlertRule
    /// Empty for account rules.
    public var symbol: String
    public var value: Double
    public var threshold: Double
    /// The timeline's sentence.
    public var message: String
    public var time: Int64
    /// The object of `replay --headless --json`, one line.
    public var json: String

    /// - Parameters: thresholds: the levels in force (the soft stop's); portfolio: for a stop's price.
    public init(_ event: SessionEvent, thresholds: AlertThresholds, portfolio: Portfolio) {
        time = event.time
        json = TimelineJSON.event(event).rendered
        switch event {
        case .alert(let a):
            kind = a.state == .raised ? "alert" : "cleared"
            (level, rule, symbol, value, threshold) = (a.level, a.rule, a.symbol ?? "", a.value, a.threshold)
            // Alone in a notification, the sentence names its position or group.
            message = (a.symbol.map { "\($0): " } ?? "") + AlertMessages.change(a, .timeline)
        case let .stopLoss(_, s, price, realized):
            kind = "stop"
            (level, rule, symbol, value) = (.critical, .stopLoss, s, price)
            // The stop the price crossed: a long's at or above it, a short's at or below.
            let stops = portfolio.positions.filter { $0.symbol == s && $0.stopLoss != nil }
            threshold = (stops.first { $0.stopCrossed(at: price) } ?? stops.first)?.stopLoss ?? price
            message = AlertMessages.stopLoss(symbol: s, price: price, realizedPnl: realized, .timeline)
        case let .softStop(_, loss, closedAll):
            kind = "soft_stop"
            (level, rule, symbol, value, threshold) = (.critical, .softStop, "", loss, thresholds.softStopLossPct)
            message = AlertMessages.softStop(lossPct: loss, closedAll: closedAll, .timeline)
        case let .liquidation(_, scope, s, equity, mm):
            kind = "liquidation"
            (level, rule, symbol, value, threshold) = (.critical, .liquidation, s ?? "", equity, mm)
            message = AlertMessages.liquidation(scope: scope, symbol: s, equity: equity, maintenanceMargin: mm, .timeline)
        }
    }

    /// The `MW_*` variables a hook receives.
    public func environment(portfolio name: String) -> [String: String] {
        [
            "MW_EVENT": kind, "MW_LEVEL": level.rawValue, "MW_RULE": rule.rawValue, "MW_SYMBOL": symbol,
            "MW_VALUE": JSONValue.format(value), "MW_THRESHOLD": JSONValue.format(threshold), "MW_MESSAGE": message,
            "MW_TIME": TimeText.iso(time), "MW_PORTFOLIO": name,
        ]
    }

    /// `marginwatch: CRITICAL margin_ratio`: a notification's title.
    public var title: String {
        "marginwatch: \(level.rawValue.uppercased()) \(kind == "cleared" ? "cleared " : "")\(rule.rawValue)"
            + (symbol.isEmpty ? "" : " \(symbol)")
    }
}
