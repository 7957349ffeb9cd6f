import MarginKit

/// One line of the alert log: what happened, when (tick time), how bad.
public struct LogEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case raised
        case cleared
        case stopLoss
        case softStop
        case liquidation
    }

    public var time: Int64
    public var kind: Kind
    public var level: AlertLevel
    public var rule: String
    public var symbol: String?
    public var message: String

    /// A log line for a session event.
    public init(_ event: SessionEvent) {
        time = event.time
        switch event {
        case .alert(let a):
            kind = a.state == .raised ? .raised : .cleared
            level = a.state == .raised ? a.level : .ok
            rule = a.rule.rawValue
            symbol = a.symbol
            message = (a.symbol.map { "\($0) " } ?? "") + Self.alertText(a)
        case let .stopLoss(_, symbol, price, pnl):
            kind = .stopLoss
            level = .critical
            rule = "stop_loss"
            self.symbol = symbol
            message = "\(symbol) stop-loss closed at \(NumberFormat.price(price)), realized \(NumberFormat.signedMoney(pnl))"
        case let .softStop(_, loss, closedAll):
            kind = .softStop
            level = .critical
            rule = "soft_stop"
            symbol = nil
            message = "SOFT STOP: loss \(NumberFormat.percent(loss)) of baseline" + (closedAll ? "; every position closed" : "")
        case let .liquidation(_, scope, symbol, equity, mm):
            kind = .liquidation
            level = .critical
            rule = "liquidation"
            self.symbol = symbol
            message = scope == .account
                ? "ACCOUNT LIQUIDATED: equity \(NumberFormat.money(equity)) ≤ MM \(NumberFormat.money(mm))"
                : "\(symbol ?? "") isolated position LIQUIDATED: equity \(NumberFormat.money(equity)) ≤ MM \(NumberFormat.money(mm))"
        }
    }

    static func alertText(_ a: AlertChange) -> String {
        let (value, threshold, side) = AlertMessages.parts(of: a)
        return a.state == .raised ? "\(value), \(side) \(a.level.rawValue) \(threshold)"
            : "\(value): \(a.level.rawValue) \(threshold) cleared"
    }
}
