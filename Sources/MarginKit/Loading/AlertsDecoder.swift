import Yams

/// Decodes the `alerts:` block: the user's alert levels, each optional.
struct AlertsDecoder {
    let reader: YAMLReader

    func decode(_ node: Node) throws -> AlertThresholds {
        let f = try reader.mapping(node, "alerts", allowed: [
            "margin_ratio", "free_margin_pct", "liquidation_distance_pct", "position_mm_pct",
            "soft_stop_loss_pct", "soft_stop_action", "hysteresis_pct"])
        var alerts = AlertThresholds()
        if let n = f["margin_ratio"] {
            alerts.marginRatio = try pair(n, f.path("margin_ratio"), defaults: alerts.marginRatio, ThresholdBounds.marginRatio)
        }
        if let n = f["free_margin_pct"] {
            alerts.freeMarginPct = try pair(n, f.path("free_margin_pct"), defaults: alerts.freeMarginPct, ThresholdBounds.freeMarginPct)
        }
        if let n = f["liquidation_distance_pct"] {
            alerts.liquidationDistancePct = try pair(n, f.path("liquidation_distance_pct"),
                                                     defaults: alerts.liquidationDistancePct, ThresholdBounds.liquidationDistancePct)
        }
        if let n = f["position_mm_pct"] {
            let m = try reader.mapping(n, f.path("position_mm_pct"), allowed: ["warn"])
            let b = ThresholdBounds.positionMMPct
            if let w = m["warn"] { alerts.positionMMPctWarn = try reader.number(w, m.path("warn"), b.words, b.contains) }
        }
        if let n = f["soft_stop_loss_pct"] {
            let b = ThresholdBounds.softStopLossPct
            alerts.softStopLossPct = try reader.number(n, f.path("soft_stop_loss_pct"), b.words, b.contains)
        }
        if let n = f["soft_stop_action"] {
            alerts.softStopAction = try reader.choice(n, f.path("soft_stop_action"), as: SoftStopAction.self)
        }
        if let n = f["hysteresis_pct"] {
            let b = ThresholdBounds.hysteresisPct
            alerts.hysteresisPct = try reader.number(n, f.path("hysteresis_pct"), b.words, b.contains)
        }
        return alerts
    }

    /// A {warn, critical} pair of a rule raised *below* its thresholds: warn must not be below critical.
    private func pair(_ node: Node, _ path: String, defaults: LevelPair, _ bound: ThresholdBounds.Bound) throws -> LevelPair {
        let m = try reader.mapping(node, path, allowed: ["warn", "critical"])
        var result = defaults
        if let w = m["warn"] { result.warn = try reader.number(w, m.path("warn"), bound.words, bound.contains) }
        if let c = m["critical"] { result.critical = try reader.number(c, m.path("critical"), bound.words, bound.contains) }
        if result.warn < result.critical {
            throw reader.error(m["warn"] ?? m["critical"] ?? node, "\(path).warn (\(reader.format(result.warn))) must not be below "
                + "\(path).critical (\(reader.format(result.critical))): warn comes first as the number falls")
        }
        return result
    }
}
