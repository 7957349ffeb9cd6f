/// The alerts of one evaluation with no memory (the `alerts` of `snapshot`): every threshold
/// rule not at ok, every stop already crossed, and any liquidation.
public enum SnapshotAlerts {
    public static func alerts(for evaluation: Evaluation, thresholds: AlertThresholds, groups: [GroupShare] = []) -> [Alert] {
        var result: [Alert] = []
        for reading in RuleReading.readings(of: evaluation, thresholds: thresholds, groups: groups) {
            let level = reading.level
            guard level != .ok else { continue }
            let threshold = reading.threshold(for: level)
            result.append(Alert(rule: reading.rule, level: level, symbol: reading.symbol, value: reading.value,
                                threshold: threshold,
                                message: AlertMessages.threshold(reading, level: level, threshold: threshold)))
        }
        for p in evaluation.positions where p.spec.stopCrossed(at: p.mark) {
            let stop = p.spec.stopLoss ?? p.mark
            result.append(Alert(rule: .stopLoss, level: .critical, symbol: p.symbol, value: p.mark, threshold: stop,
                                message: AlertMessages.stopCrossed(p.spec, mark: p.mark)))
        }
        let account = evaluation.account
        if account.isLiquidated, let ratio = account.marginRatio {
            result.append(Alert(rule: .liquidation, level: .critical, symbol: nil, value: ratio, threshold: 1,
                                message: AlertMessages.accountLiquidated(equity: account.equity,
                                                                          maintenanceMargin: account.maintenanceMargin)))
        }
        for p in evaluation.positions {
            if p.isIsolatedLiquidated, let equity = p.isolatedEquity {
                result.append(Alert(rule: .liquidation, level: .critical, symbol: p.symbol, value: equity,
                                    threshold: p.maintenanceMargin,
                                    message: AlertMessages.isolatedLiquidated(p.symbol, equity: equity,
                                                                               maintenanceMargin: p.maintenanceMargin)))
            }
        }
        return result
    }
}
