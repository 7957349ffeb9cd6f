/// Where each rule stands in a session: one level per account rule, one per rule and position
/// for per-position rules. Read and written by rule and position; how they are stored (one flat
/// array, no dictionary on the per-step path) stays in here.
public struct RuleLevels: Sendable, Equatable {
    private var levels: [AlertLevel]
    private let positionCount: Int
    /// How many per-position threshold levels (liquidation distance, position MM) stand above
    /// ok: with none, a step may pass over positions whose numbers are surely inside ok.
    public private(set) var raisedPositionLevels = 0

    public init(positionCount: Int) {
        self.positionCount = positionCount
        levels = Array(repeating: .ok, count: AlertRule.allCases.count * max(1, positionCount))
    }

    /// The level of `rule`, for `position` (its index in the portfolio) when the rule is per position.
    public subscript(rule: AlertRule, position: Int? = nil) -> AlertLevel {
        @inline(__always) get { levels[slot(rule, position)] }
        @inline(__always) set {
            let k = slot(rule, position)
            if rule == .liquidationDistance || rule == .positionMM {
                raisedPositionLevels += (newValue != .ok ? 1 : 0) - (levels[k] != .ok ? 1 : 0)
            }
            levels[k] = newValue
        }
    }

    @inline(__always)
    private func slot(_ rule: AlertRule, _ position: Int?) -> Int {
        let row = Self.row(rule) * max(1, positionCount)
        return row + (position ?? 0)
    }

    @inline(__always)
    private static func row(_ rule: AlertRule) -> Int {
        switch rule {
        case .marginRatio: return 0
        case .freeMarginPct: return 1
        case .liquidationDistance: return 2
        case .positionMM: return 3
        case .stopLoss: return 4
        case .softStop: return 5
        case .liquidation: return 6
        // Groups come and go: their levels are kept by the session, by group.
        case .correlatedMM: return 7
        }
    }
}
