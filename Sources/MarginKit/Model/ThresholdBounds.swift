/// The values each alert level may take, shared by the portfolio file's decoder and the
/// monitor's level editor, so a level the file refuses is refused live too, with the same words.
public enum ThresholdBounds {
    public struct Bound: Sendable {
        public let contains: @Sendable (Double) -> Bool
        /// The rule in words, after "must be": `above 1 (the account is liquidated at 1)`.
        public let words: String
    }

    /// A margin-ratio level at or below 1 would speak only after the liquidation.
    public static let marginRatio = Bound(contains: { $0 > 1 }, words: "above 1 (the account is liquidated at 1)")
    public static let freeMarginPct = Bound(contains: { $0 >= 0 && $0 <= 100 }, words: "from 0 to 100")
    public static let liquidationDistancePct = Bound(contains: { $0 > 0 && $0 <= 1_000 }, words: "above 0 and at most 1000")
    public static let positionMMPct = Bound(contains: { $0 > 0 && $0 <= 100 }, words: "above 0 and at most 100")
    public static let softStopLossPct = Bound(contains: { $0 > 0 && $0 <= 100 }, words: "above 0 and at most 100")
    public static let hysteresisPct = Bound(contains: { $0 >= 0 && $0 < 100 }, words: "from 0 up to (not including) 100")

    /// The pair rules raised *below* their levels: warn must not be below critical.
    public static func pairProblem(_ name: String, warn: Double, critical: Double) -> String? {
        warn < critical ? "\(name) warn (\(JSONValue.format(warn))) must not be below critical (\(JSONValue.format(critical))): "
            + "warn comes first as the number falls" : nil
    }
}
