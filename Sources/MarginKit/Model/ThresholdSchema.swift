/// One editable alert level of the `alerts:` block (CONTRACT section 5).
public enum ThresholdField: Int, Sendable, CaseIterable {
    case marginRatioWarn, marginRatioCritical
    case freeMarginWarn, freeMarginCritical
    case liquidationDistanceWarn, liquidationDistanceCritical
    case positionMMWarn
    case softStopLoss, softStopAction
    case hysteresis
    case correlation
    case profitShare

    /// Everything about this level: where it lives in the file, its unit, bounds, step and words.
    public var descriptor: ThresholdDescriptor { ThresholdSchema.descriptors[rawValue] }
}

/// A value of one alert level: a number, or the soft stop's action.
public enum ThresholdValue: Sendable, Equatable {
    case number(Double)
    case action(SoftStopAction)
}

/// What one alert level is, described once: the portfolio decoder, the live editor's rows, the
/// file editor and the editor's help all read it from here.
public struct ThresholdDescriptor: Sendable {
    /// What the number counts: a ratio (`2.0`), a percentage (`30` = 30%), or a choice.
    public enum Unit: Sendable { case ratio, percent, choice }

    /// The values a number may take, and that rule in words (after "must be").
    public struct Bound: Sendable {
        public let contains: @Sendable (Double) -> Bool
        public let words: String
    }

    public let field: ThresholdField
    /// The keys under `alerts:` (`["margin_ratio", "warn"]`).
    public let path: [String]
    public let unit: Unit
    /// nil for a choice.
    public let bound: Bound?
    /// How far one ←/→ moves the value in the editor.
    public let step: Double
    /// The editor's row label.
    public let label: String
    /// One line of help shown under the editor for the selected row.
    public let help: String
    fileprivate let get: @Sendable (AlertThresholds) -> ThresholdValue
    fileprivate let set: @Sendable (inout AlertThresholds, ThresholdValue) -> Void

    /// `alerts.margin_ratio.warn`: the name in error messages.
    public var key: String { (["alerts"] + path).joined(separator: ".") }

    public func value(in t: AlertThresholds) -> ThresholdValue { get(t) }

    /// `t` with this level set to `value`, unchecked (the decoder has checked the bound, with the
    /// file's line and column; `ThresholdSchema.setting` is the checked way).
    public func applying(_ value: ThresholdValue, to t: AlertThresholds) -> AlertThresholds {
        var result = t
        set(&result, value)
        return result
    }

    /// The number, or nil for a choice.
    public func number(in t: AlertThresholds) -> Double? {
        if case .number(let v) = get(t) { return v }
        return nil
    }

    /// The value as the file and the editor write it: `1.5`, `close_all`.
    public func text(in t: AlertThresholds) -> String {
        switch get(t) {
        case .number(let v): return JSONValue.format(v)
        case .action(let a): return a.rawValue
        }
    }
}

/// The alert levels, one descriptor each in the order of the file and the editor; bounds and
/// the order of warn and critical are checked by one validation, used everywhere.
public enum ThresholdSchema {
    public static let descriptors: [ThresholdDescriptor] = [
        number(.marginRatioWarn, ["margin_ratio", "warn"], .ratio, marginRatio, step: 0.1,
               "margin ratio — warn below", "equity / maintenance margin: healthy above 2",
               \.marginRatio.warn),
        number(.marginRatioCritical, ["margin_ratio", "critical"], .ratio, marginRatio, step: 0.1,
               "margin ratio — critical below", "the exchange liquidates the cross account at 1",
               \.marginRatio.critical),
        number(.freeMarginWarn, ["free_margin_pct", "warn"], .percent, freeMarginPct, step: 1,
               "free margin % — warn below", "dry powder: equity not tied up as initial margin",
               \.freeMarginPct.warn),
        number(.freeMarginCritical, ["free_margin_pct", "critical"], .percent, freeMarginPct, step: 1,
               "free margin % — critical below", "dry powder left, in % of equity",
               \.freeMarginPct.critical),
        number(.liquidationDistanceWarn, ["liquidation_distance_pct", "warn"], .percent, liquidationDistancePct, step: 1,
               "liquidation distance % — warn below", "a mark's distance to its liquidation price, % of the mark",
               \.liquidationDistancePct.warn),
        number(.liquidationDistanceCritical, ["liquidation_distance_pct", "critical"], .percent, liquidationDistancePct, step: 1,
               "liquidation distance % — critical below", "a mark's distance to its liquidation price, % of the mark",
               \.liquidationDistancePct.critical),
        number(.positionMMWarn, ["position_mm_pct", "warn"], .percent, positionMMPct, step: 0.1,
               "one position's MM % of equity — warn above", "one cross position's maintenance margin in % of equity",
               \.positionMMPctWarn),
        number(.softStopLoss, ["soft_stop_loss_pct"], .percent, softStopLossPct, step: 1,
               "soft stop: aggregate loss %", "loss of total equity since the first step, in %",
               \.softStopLossPct),
        ThresholdDescriptor(field: .softStopAction, path: ["soft_stop_action"], unit: .choice, bound: nil, step: 1,
                            label: "soft stop action", help: "alert: say it; close_all: also close every position",
                            get: { .action($0.softStopAction) },
                            set: { t, v in if case .action(let a) = v { t.softStopAction = a } }),
        number(.hysteresis, ["hysteresis_pct"], .percent, hysteresisPct, step: 1,
               "hysteresis % of the threshold", "how far back past a level (in % of it) before it clears",
               \.hysteresisPct),
        number(.correlation, ["correlated_exposure", "correlation"], .ratio, correlation, step: 0.05,
               "correlation: one bet at or above", "same-direction symbols this correlated are judged as one position",
               \.correlatedExposure.correlation),
        number(.profitShare, ["profit_share_pct"], .percent, profitSharePct, step: 5,
               "winner's profit % of equity — note above", "a winner whose profit is this share of equity props up the rest",
               \.profitSharePct),
    ]

    // A margin-ratio level at or below 1 would speak only after the liquidation.
    static let marginRatio = ThresholdDescriptor.Bound(contains: { $0 > 1 && $0 <= 1_000 },
                                                       words: "above 1 (the account is liquidated at 1) and at most 1000")
    static let freeMarginPct = ThresholdDescriptor.Bound(contains: { $0 >= 0 && $0 <= 100 }, words: "from 0 to 100")
    static let liquidationDistancePct = ThresholdDescriptor.Bound(contains: { $0 > 0 && $0 <= 1_000 },
                                                                  words: "above 0 and at most 1000")
    static let positionMMPct = ThresholdDescriptor.Bound(contains: { $0 > 0 && $0 <= 100 }, words: "above 0 and at most 100")
    static let softStopLossPct = ThresholdDescriptor.Bound(contains: { $0 > 0 && $0 <= 100 }, words: "above 0 and at most 100")
    static let correlation = ThresholdDescriptor.Bound(contains: { $0 > 0 && $0 <= 1 }, words: "above 0 and at most 1")
    static let profitSharePct = ThresholdDescriptor.Bound(contains: { $0 > 0 && $0 <= 100 }, words: "above 0 and at most 100")
    static let hysteresisPct = ThresholdDescriptor.Bound(contains: { $0 >= 0 && $0 < 100 },
                                                         words: "from 0 up to (not including) 100")

    private static func number(_ field: ThresholdField, _ path: [String], _ unit: ThresholdDescriptor.Unit,
                               _ bound: ThresholdDescriptor.Bound, step: Double, _ label: String, _ help: String,
                               _ keyPath: WritableKeyPath<AlertThresholds, Double> & Sendable) -> ThresholdDescriptor {
        ThresholdDescriptor(field: field, path: path, unit: unit, bound: bound, step: step, label: label, help: help,
                            get: { .number($0[keyPath: keyPath]) },
                            set: { t, v in if case .number(let n) = v { t[keyPath: keyPath] = n } })
    }

    /// The levels raised *below* their numbers come in pairs whose warn must not be below critical.
    public static let pairs: [(name: String, warn: ThresholdField, critical: ThresholdField)] = [
        ("margin ratio", .marginRatioWarn, .marginRatioCritical),
        ("free margin", .freeMarginWarn, .freeMarginCritical),
        ("liquidation distance", .liquidationDistanceWarn, .liquidationDistanceCritical),
    ]

    /// Why a set of levels cannot be used.
    public enum Problem: Sendable, Equatable {
        case outOfBounds(ThresholdField, Double)
        case warnBelowCritical(name: String, warn: ThresholdField, critical: ThresholdField)
    }

    /// The one validation of alert levels: every number finite and within its bounds, and each
    /// pair's warn at or above its critical. - Returns: the first problem, or nil.
    public static func problem(in t: AlertThresholds) -> Problem? {
        for d in descriptors {
            if let v = d.number(in: t), let bound = d.bound, !(v.isFinite && bound.contains(v)) {
                return .outOfBounds(d.field, v)
            }
        }
        return pairs.lazy.compactMap { pair in
            pairProblem(pair, in: t)
        }.first
    }

    static func pairProblem(_ pair: (name: String, warn: ThresholdField, critical: ThresholdField),
                            in t: AlertThresholds) -> Problem? {
        guard let w = pair.warn.descriptor.number(in: t), let c = pair.critical.descriptor.number(in: t), w < c else { return nil }
        return .warnBelowCritical(name: pair.name, warn: pair.warn, critical: pair.critical)
    }

    /// How a problem names the levels: the editor's labels, or the file's keys.
    public enum Naming: Sendable { case labels, fileKeys }

    /// The problem in words: `margin ratio warn (1.2) must not be below critical (1.5): …` in the
    /// editor, `alerts.margin_ratio.warn (1.2) must not be below alerts.margin_ratio.critical (1.5): …`
    /// for the file.
    public static func words(_ problem: Problem, in t: AlertThresholds, naming: Naming = .labels) -> String {
        switch problem {
        case let .outOfBounds(field, v):
            let d = field.descriptor
            let name = naming == .labels ? d.label : d.key
            return "\(name) must be \(d.bound?.words ?? "valid")" + (naming == .labels ? "" : " (got \(JSONValue.format(v)))")
        case let .warnBelowCritical(name, warn, critical):
            let (w, c) = (warn.descriptor, critical.descriptor)
            let (warnName, criticalName) = naming == .labels ? ("\(name) warn", "critical") : (w.key, c.key)
            return "\(warnName) (\(w.text(in: t))) must not be below \(criticalName) (\(c.text(in: t))): "
                + "warn comes first as the number falls"
        }
    }

    /// `t` with `field` set to `value`, or the reason it cannot be.
    public static func setting(_ field: ThresholdField, to value: ThresholdValue,
                               in t: AlertThresholds) -> Result<AlertThresholds, ThresholdError> {
        switch (value, field.descriptor.unit) {
        case (.number(let v), .ratio), (.number(let v), .percent):
            if !v.isFinite { return .failure(ThresholdError("\(field.descriptor.label): \(v) is not a finite number")) }
        case (.action, .choice): break
        default: return .failure(ThresholdError("\(field.descriptor.label) does not take that kind of value"))
        }
        let result = field.descriptor.applying(value, to: t)
        // The field being set speaks first: its own bound, then any pair it broke.
        let d = field.descriptor
        if let v = d.number(in: result), let bound = d.bound, !bound.contains(v) {
            return .failure(ThresholdError(words(.outOfBounds(field, v), in: result)))
        }
        if let problem = problem(in: result) { return .failure(ThresholdError(words(problem, in: result))) }
        return .success(result)
    }
}

/// Why the editor refused a level.
public struct ThresholdError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
