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
    /// The same without money amounts, for `$` (screen sharing).
    public var messageWithoutMoney: String
    /// A critical that cleared while the rule is still at warn: shown as CRIT → WARN.
    public var stillWarn = false

    /// A log line for a session event.
    public init(_ event: SessionEvent) {
        time = event.time
        switch event {
        case .alert(let a):
            kind = a.state == .raised ? .raised : .cleared
            level = a.state == .raised ? a.level : a.now
            stillWarn = a.state == .cleared && a.now == .warn
            rule = a.rule.rawValue
            symbol = a.symbol
            message = (a.symbol.map { "\($0) " } ?? "") + Self.alertText(a)
            messageWithoutMoney = message
        case let .stopLoss(_, symbol, price, pnl):
            kind = .stopLoss
            level = .critical
            rule = "stop_loss"
            self.symbol = symbol
            message = "\(symbol) stop-loss closed at \(NumberFormat.price(price)), realized \(NumberFormat.signedMoney(pnl))"
            messageWithoutMoney = "\(symbol) stop-loss closed at \(NumberFormat.price(price))"
        case let .softStop(_, loss, closedAll):
            kind = .softStop
            level = .critical
            rule = "soft_stop"
            symbol = nil
            message = "SOFT STOP: loss \(NumberFormat.percent(loss)) of baseline" + (closedAll ? "; every position closed" : "")
            messageWithoutMoney = message
        case let .liquidation(_, scope, symbol, equity, mm):
            kind = .liquidation
            level = .critical
            rule = "liquidation"
            self.symbol = symbol
            message = scope == .account
                ? "ACCOUNT LIQUIDATED: equity \(NumberFormat.money(equity)) ≤ MM \(NumberFormat.money(mm))"
                : "\(symbol ?? "") isolated position LIQUIDATED: equity \(NumberFormat.money(equity)) ≤ MM \(NumberFormat.money(mm))"
            messageWithoutMoney = scope == .account
                ? "ACCOUNT LIQUIDATED: equity ≤ maintenance margin"
                : "\(symbol ?? "") isolated position LIQUIDATED: equity ≤ maintenance margin"
        }
    }

    /// The change in words; the rule's name is in its own column, so it is not repeated
    /// (`margin ratio 1.42, below critical 1.50` reads `1.42, below critical 1.50`).
    static func alertText(_ a: AlertChange) -> String {
        var (value, threshold, side) = AlertMessages.parts(of: a)
        for name in ["margin ratio ", "free margin "] where value.hasPrefix(name) { value = String(value.dropFirst(name.count)) }
        return a.state == .raised ? "\(value), \(side) \(a.level.rawValue) \(threshold)"
            : "\(value): \(a.level.rawValue) \(threshold) cleared"
    }
}
