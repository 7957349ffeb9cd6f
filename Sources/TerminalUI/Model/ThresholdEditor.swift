import Foundation
import MarginKit

/// One editable alert level of CONTRACT section 5.
public enum ThresholdField: Int, Sendable, CaseIterable {
    case marginRatioWarn, marginRatioCritical
    case freeMarginWarn, freeMarginCritical
    case liquidationDistanceWarn, liquidationDistanceCritical
    case positionMMWarn
    case softStopLoss, softStopAction
    case hysteresis

    public var label: String {
        switch self {
        case .marginRatioWarn: return "margin ratio — warn below"
        case .marginRatioCritical: return "margin ratio — critical below"
        case .freeMarginWarn: return "free margin % — warn below"
        case .freeMarginCritical: return "free margin % — critical below"
        case .liquidationDistanceWarn: return "liquidation distance % — warn below"
        case .liquidationDistanceCritical: return "liquidation distance % — critical below"
        case .positionMMWarn: return "one position's MM % of equity — warn above"
        case .softStopLoss: return "soft stop: aggregate loss %"
        case .softStopAction: return "soft stop action"
        case .hysteresis: return "hysteresis % of the threshold"
        }
    }

    /// How much ←/→ move the value.
    var step: Double {
        switch self {
        case .marginRatioWarn, .marginRatioCritical: return 0.1
        case .positionMMWarn: return 0.1
        default: return 1
        }
    }

    public func text(in t: AlertThresholds) -> String {
        if self == .softStopAction { return t.softStopAction.rawValue }
        return JSONValue.format(value(in: t))
    }

    func value(in t: AlertThresholds) -> Double {
        switch self {
        case .marginRatioWarn: return t.marginRatio.warn
        case .marginRatioCritical: return t.marginRatio.critical
        case .freeMarginWarn: return t.freeMarginPct.warn
        case .freeMarginCritical: return t.freeMarginPct.critical
        case .liquidationDistanceWarn: return t.liquidationDistancePct.warn
        case .liquidationDistanceCritical: return t.liquidationDistancePct.critical
        case .positionMMWarn: return t.positionMMPctWarn
        case .softStopLoss: return t.softStopLossPct
        case .softStopAction: return t.softStopAction == .alert ? 0 : 1
        case .hysteresis: return t.hysteresisPct
        }
    }

    /// `t` with this field set to `v`, or the reason it cannot be.
    func setting(_ v: Double, in t: AlertThresholds) -> Result<AlertThresholds, ThresholdError> {
        guard v.isFinite else { return .failure(ThresholdError("not a number")) }
        var r = t
        switch self {
        case .marginRatioWarn: r.marginRatio.warn = v
        case .marginRatioCritical: r.marginRatio.critical = v
        case .freeMarginWarn: r.freeMarginPct.warn = v
        case .freeMarginCritical: r.freeMarginPct.critical = v
        case .liquidationDistanceWarn: r.liquidationDistancePct.warn = v
        case .liquidationDistanceCritical: r.liquidationDistancePct.critical = v
        case .positionMMWarn: r.positionMMPctWarn = v
        case .softStopLoss: r.softStopLossPct = v
        case .softStopAction: r.softStopAction = v >= 0.5 ? .closeAll : .alert
        case .hysteresis: r.hysteresisPct = v
        }
        if let bound, !bound.contains(v) { return .failure(ThresholdError("\(label) must be \(bound.words)")) }
        for (warn, critical, name) in [(r.marginRatio.warn, r.marginRatio.critical, "margin ratio"),
                                       (r.freeMarginPct.warn, r.freeMarginPct.critical, "free margin"),
                                       (r.liquidationDistancePct.warn, r.liquidationDistancePct.critical, "liquidation distance")] {
            if let problem = ThresholdBounds.pairProblem(name, warn: warn, critical: critical) { return .failure(ThresholdError(problem)) }
        }
        return .success(r)
    }

    /// The values this level may take: the same bounds the portfolio file's decoder checks.
    var bound: ThresholdBounds.Bound? {
        switch self {
        case .marginRatioWarn, .marginRatioCritical: return ThresholdBounds.marginRatio
        case .freeMarginWarn, .freeMarginCritical: return ThresholdBounds.freeMarginPct
        case .liquidationDistanceWarn, .liquidationDistanceCritical: return ThresholdBounds.liquidationDistancePct
        case .positionMMWarn: return ThresholdBounds.positionMMPct
        case .softStopLoss: return ThresholdBounds.softStopLossPct
        case .softStopAction: return nil
        case .hysteresis: return ThresholdBounds.hysteresisPct
        }
    }
}

public struct ThresholdError: Error, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}

/// The threshold editor (`t`): which row, what is being typed, the last problem.
public struct ThresholdEditorState: Sendable {
    public var field: ThresholdField = .marginRatioWarn
    /// Text being typed after Enter; nil when not typing.
    public var typing: String?
    public var error: String?

    public init() {}

    /// ←/→: one step down or up; returns the new levels or nil (with `error` set).
    public mutating func nudge(_ direction: Double, _ t: AlertThresholds) -> AlertThresholds? {
        if field == .softStopAction {
            return apply(field.setting(t.softStopAction == .alert ? 1 : 0, in: t))
        }
        let v = ((field.value(in: t) + direction * field.step) * 1_000).rounded() / 1_000
        return apply(field.setting(v, in: t))
    }

    /// Enter while typing: parse and set.
    public mutating func commit(_ t: AlertThresholds) -> AlertThresholds? {
        guard let text = typing else { return nil }
        typing = nil
        if field == .softStopAction {
            guard let action = SoftStopAction(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
                error = "soft stop action is alert or close_all"
                return nil
            }
            return apply(field.setting(action == .alert ? 0 : 1, in: t))
        }
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else {
            error = "\"\(text)\" is not a number"
            return nil
        }
        return apply(field.setting(v, in: t))
    }

    private mutating func apply(_ result: Result<AlertThresholds, ThresholdError>) -> AlertThresholds? {
        switch result {
        case .success(let t):
            error = nil
            return t
        case .failure(let e):
            error = e.message
            return nil
        }
    }
}
