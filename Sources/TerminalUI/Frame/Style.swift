/// What a cell means, not how it looks: the theme turns roles into colours, or into attributes
/// only when colour is off (NO_COLOR), so the level is never carried by colour alone.
public enum ColorRole: Int, Sendable, CaseIterable {
    case normal
    case dim
    case gain
    case loss
    case ok
    case warn
    case critical
    case accent
    case title
    case banner
}

/// The look of one cell: a role plus text attributes.
public struct Style: Sendable, Equatable {
    public var role: ColorRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ role: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = Style()
    public static let dim = Style(.dim)
    public static let heading = Style(.accent, bold: true)
    public static let title = Style(.title, reverse: true)
    public static let tableHeader = Style(.normal, bold: true, reverse: true)
    public static let selected = Style(.normal, reverse: true)

    /// The style of an alert level: critical bold red, warn yellow, ok green.
    public static func level(_ role: ColorRole) -> Style {
        Style(role, bold: role == .critical)
    }

    /// Gains green, losses red, zero plain.
    public static func signed(_ value: Double?) -> Style {
        guard let value, value != 0 else { return .normal }
        return Style(value > 0 ? .gain : .loss)
    }
}
