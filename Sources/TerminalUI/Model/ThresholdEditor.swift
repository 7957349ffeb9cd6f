import Foundation
import MarginKit

/// The threshold editor (`t`): which row, what is being typed, the last problem. The rows,
/// their steps, bounds and words are the schema's (`ThresholdSchema`), as the file's are.
public struct ThresholdEditorState: Sendable {
    public var field: ThresholdField = .marginRatioWarn
    /// Text being typed after Enter; nil when not typing.
    public var typing: String?
    public var error: String?

    public init() {}

    /// ←/→: one step down or up (the soft stop's action flips); returns the new levels or nil
    /// (with `error` set).
    public mutating func nudge(_ direction: Double, _ t: AlertThresholds) -> AlertThresholds? {
        let d = field.descriptor
        switch d.value(in: t) {
        case .action(let action):
            return apply(ThresholdSchema.setting(field, to: .action(action == .alert ? .closeAll : .alert), in: t))
        case .number(let v):
            let next = ((v + direction * d.step) * 1_000).rounded() / 1_000
            return apply(ThresholdSchema.setting(field, to: .number(next), in: t))
        }
    }

    /// Enter while typing: parse and set.
    public mutating func commit(_ t: AlertThresholds) -> AlertThresholds? {
        guard let typed = typing else { return nil }
        typing = nil
        let text = typed.trimmingCharacters(in: .whitespaces)
        if case .action = field.descriptor.value(in: t) {
            guard let action = SoftStopAction(rawValue: text) else {
                error = "soft stop action is " + SoftStopAction.allCases.map(\.rawValue).joined(separator: " or ")
                return nil
            }
            return apply(ThresholdSchema.setting(field, to: .action(action), in: t))
        }
        // A plain decimal, as in the file: no hexadecimal, no `inf`.
        guard let v = CommandLineValues.decimal(text) else {
            error = "\"\(typed.prefix(40))\" is not a number"
            return nil
        }
        guard v.isFinite else {
            error = "\(typed.prefix(40)) is too large a number"
            return nil
        }
        return apply(ThresholdSchema.setting(field, to: .number(v), in: t))
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
