/// The level a threshold rule moves to, with hysteresis (CONTRACT sections 5 and 8).
///
/// A rule worsens as soon as its number crosses a threshold, but leaves a level only once the
/// number has recovered past that threshold by `hysteresisPct` percent of it, so a number
/// hovering at the edge raises once and clears once instead of flapping.
public enum Hysteresis {
    @inline(__always)
    public static func next(from current: AlertLevel, value: Double, warn: Double, critical: Double?,
                            direction: ThresholdDirection, hysteresisPct: Double) -> AlertLevel {
        let raw = direction.level(of: value, warn: warn, critical: critical)
        if raw >= current { return raw }
        let factor = direction == .below ? 1 + hysteresisPct / 100 : 1 - hysteresisPct / 100
        // A rule raised *at* its level (the soft stop) clears *at* the recovered level: it stays
        // raised only while strictly past it.
        let stays = direction == .reaching ? .above : direction
        let sticky = stays.level(of: value, warn: warn * factor, critical: critical.map { $0 * factor })
        return max(raw, min(current, sticky))
    }
}
