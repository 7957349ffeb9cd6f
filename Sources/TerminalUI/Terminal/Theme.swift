/// How roles look: 256 colours when the terminal has them, the 8 basic colours otherwise, and
/// attributes only (bold, reverse, underline) under NO_COLOR — the text labels still say the level.
public struct Theme: Sendable {
    public enum Depth: Sendable, Equatable {
        case none
        case basic
        case extended
    }

    public let depth: Depth

    public init(depth: Depth) { self.depth = depth }

    /// The colour depth for this environment: NO_COLOR wins (no-color.org), then the terminal's count.
    public static func choose(colors: Int, environment: [String: String]) -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return Theme(depth: .none) }
        if colors >= 256 { return Theme(depth: .extended) }
        if colors >= 8 { return Theme(depth: .basic) }
        return Theme(depth: .none)
    }

    /// Foreground and background colour numbers of a role (−1: the terminal's default).
    public func colors(of role: ColorRole) -> (fg: Int16, bg: Int16) {
        let extended = depth == .extended
        switch role {
        case .normal: return (-1, -1)
        case .dim: return extended ? (244, -1) : (-1, -1)
        case .gain, .ok: return extended ? (34, -1) : (2, -1)
        case .loss, .critical: return extended ? (196, -1) : (1, -1)
        case .warn: return extended ? (214, -1) : (3, -1)
        case .accent: return extended ? (39, -1) : (6, -1)
        case .title: return extended ? (255, 24) : (7, 4)
        case .banner: return extended ? (231, 160) : (7, 1)
        }
    }

    /// Under NO_COLOR, the roles that carry meaning get an attribute instead.
    public func fallbackAttributes(of style: Style) -> (bold: Bool, reverse: Bool, underline: Bool) {
        guard depth == .none else { return (style.bold, style.reverse, style.underline) }
        switch style.role {
        case .critical, .banner: return (true, true, style.underline)
        case .warn: return (true, style.reverse, style.underline)
        case .title: return (style.bold, true, style.underline)
        case .dim: return (false, style.reverse, style.underline)
        default: return (style.bold, style.reverse, style.underline)
        }
    }
}
