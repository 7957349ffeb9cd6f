/// Something that happened at one time step (CONTRACT section 6, the event lines of replay).
public enum SessionEvent: Sendable, Equatable {
    /// A threshold rule changed level: `raised` to a worse level, or `cleared` the level it left.
    case alert(AlertChange)
    /// A stop-loss closed a position at the step's mark.
    case stopLoss(time: Int64, symbol: String, price: Double, realizedPnl: Double)
    /// The aggregate loss reached the soft stop.
    case softStop(time: Int64, lossPct: Double, closedAll: Bool)
    /// A liquidation: the cross account (symbol nil) or one isolated position.
    case liquidation(time: Int64, scope: LiquidationScope, symbol: String?, equity: Double, maintenanceMargin: Double)

    public var time: Int64 {
        switch self {
        case .alert(let a): return a.time
        case .stopLoss(let t, _, _, _), .softStop(let t, _, _), .liquidation(let t, _, _, _, _): return t
        }
    }
}

/// What a liquidation took.
public enum LiquidationScope: String, Sendable {
    case account
    case position
}

/// One change of level of one threshold rule.
public struct AlertChange: Sendable, Equatable {
    public enum State: String, Sendable { case raised, cleared }

    public var time: Int64
    public var rule: AlertRule
    /// The level raised, or the level cleared.
    public var level: AlertLevel
    public var state: State
    public var symbol: String?
    public var value: Double
    public var threshold: Double
    /// The level the rule is at after the change (a cleared critical may still be at warn).
    /// Not in the JSON: the contract's event carries the level raised or cleared.
    public var now: AlertLevel = .ok
    /// `correlated_mm` only: the group's symbols, its side, its lowest estimated correlation
    /// (nil: declared), and whether it cleared because it is no longer one bet.
    public var group: GroupFacts?

    /// What a `correlated_mm` change says of its group.
    public struct GroupFacts: Sendable, Equatable {
        public var symbols: [String]
        public var side: Side
        public var correlation: Double?
        public var dissolved = false
    }
}
