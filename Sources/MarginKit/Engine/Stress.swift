/// One row of a stress test: the account after every mark moved by `shockPct`.
public struct StressRow: Sendable, Equatable {
    public var shockPct: Double
    public var evaluation: Evaluation
    /// Cross margin_ratio ≤ 1 after the shock.
    public var liquidated: Bool
    /// Symbols of the positions whose stop-loss the shocked mark has crossed, in portfolio order.
    public var stopsHit: [String]
    /// Symbols of the isolated positions at or past their liquidation after the shock.
    public var isolatedLiquidated: [String] = []
    /// What a deposit made now would have to be for this shock to raise no warning (the
    /// buffers at the shocked marks); nil when no levels were given.
    public var buffers: MarginBuffers?

    /// `cross`, `DOGEUSDT iso`, both (`cross, DOGEUSDT iso`), or `no`: what the shock liquidates.
    public var liquidatedText: String {
        let parts = (liquidated ? ["cross"] : []) + isolatedLiquidated.map { "\($0) iso" }
        return parts.isEmpty ? "no" : parts.joined(separator: ", ")
    }
}

/// The what-if table of `stress`.
public struct StressReport: Sendable, Equatable {
    /// The uniform move that liquidates the account, at the unshocked marks.
    public var accountShockPct: Double?
    /// The cross account is at or past liquidation already, at the unshocked marks.
    public var alreadyLiquidated = false

    /// The closing sentence of a stress table.
    public var shockSentence: String {
        if alreadyLiquidated { return "The cross account is already liquidated (margin ratio ≤ 1)." }
        return accountShockPct.map { "A uniform move of \(NumberFormat.signedPercent($0, decimals: 2)) in every mark liquidates the cross account." }
            ?? "No uniform move between -99% and +1000% liquidates the cross account."
    }
    public var rows: [StressRow]
}

extension Engine {
    /// The default shocks of `stress`, in %.
    public static let defaultShocks: [Double] = [-30, -20, -10, -5, 5, 10, 20, 30]

    /// Evaluates the account after moving every mark by each shock (in %, > −100), with each
    /// row's buffers against the levels of `thresholds` (and `groups` as one position each).
    public func stress(shocks: [Double], thresholds: AlertThresholds? = nil, groups: [CorrelatedGroup] = []) -> StressReport {
        let rows = shocks.map { shock -> StressRow in
            var shocked = self
            for s in symbols.indices {
                shocked.setMark(marks[s] * (1 + shock / 100), symbolIndex: s)
            }
            let evaluation = shocked.evaluate()
            let stops = evaluation.positions.filter { $0.spec.stopCrossed(at: $0.mark) }.map(\.symbol)
            return StressRow(shockPct: shock, evaluation: evaluation,
                             liquidated: evaluation.account.isLiquidated, stopsHit: stops,
                             isolatedLiquidated: evaluation.positions.filter(\.isIsolatedLiquidated).map(\.symbol),
                             buffers: thresholds.map { shocked.buffers(thresholds: $0, groups: groups) })
        }
        var report = StressReport(accountShockPct: accountShockPct(), rows: rows)
        report.alreadyLiquidated = totals.isCrossLiquidated
        return report
    }
}
