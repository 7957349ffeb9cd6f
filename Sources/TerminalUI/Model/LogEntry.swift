import MarginKit

/// One line of the alert log: what happened, when (tick time), how bad.
public struct LogEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case raised
        case cleared
        case stopLoss
        case softStop
        case liquidation
        /// A hook, notification, web hook or journal that failed: not an alert, but the trader
        /// must know an alert may not have reached them.
        case delivery
        /// The exchange account changed (`--account`): a position opened, closed or resized.
        case account
    }

    public var time: Int64
    public var kind: Kind
    public var level: AlertLevel
    /// nil for a delivery problem.
    public var rule: AlertRule?
    public var symbol: String?
    public var message: String
    /// The same without money amounts, for `$` (screen sharing).
    public var messageWithoutMoney: String
    /// A critical that cleared while the rule is still at warn: shown as CRIT → WARN.
    public var stillWarn = false

    /// A log line for a delivery that failed (`--on-alert`, `--notify`, `--webhook`, `--journal`).
    public init(deliveryProblem: String, time: Int64) {
        self.time = time
        (kind, level, rule, symbol) = (.delivery, .warn, nil, nil)
        message = deliveryProblem
        messageWithoutMoney = deliveryProblem
    }

    /// A log line for a change of the exchange account.
    public init(accountChange: String, time: Int64) {
        self.time = time
        (kind, level, rule, symbol) = (.account, .ok, nil, nil)
        message = accountChange
        messageWithoutMoney = accountChange
    }

    /// A log line for a session event; the words are `AlertMessages`'.
    public init(_ event: SessionEvent) {
        time = event.time
        switch event {
        case .alert(let a):
            kind = a.state == .raised ? .raised : .cleared
            level = a.state == .raised ? a.level : a.now
            stillWarn = a.state == .cleared && a.now == .warn
            rule = a.rule
            symbol = a.symbol
            message = AlertMessages.change(a, .log)
            messageWithoutMoney = message
        case let .stopLoss(_, symbol, price, pnl):
            (kind, level, rule) = (.stopLoss, .critical, .stopLoss)
            self.symbol = symbol
            message = AlertMessages.stopLoss(symbol: symbol, price: price, realizedPnl: pnl, .log)
            messageWithoutMoney = AlertMessages.stopLoss(symbol: symbol, price: price, realizedPnl: pnl, .logWithoutMoney)
        case let .softStop(_, loss, closedAll):
            (kind, level, rule) = (.softStop, .critical, .softStop)
            symbol = nil
            message = AlertMessages.softStop(lossPct: loss, closedAll: closedAll, .log)
            messageWithoutMoney = message
        case let .liquidation(_, scope, symbol, equity, mm):
            (kind, level, rule) = (.liquidation, .critical, .liquidation)
            self.symbol = symbol
            message = AlertMessages.liquidation(scope: scope, symbol: symbol, equity: equity, maintenanceMargin: mm, .log)
            messageWithoutMoney = AlertMessages.liquidation(scope: scope, symbol: symbol, equity: equity,
                                                            maintenanceMargin: mm, .logWithoutMoney)
        }
    }
}
