/// Direction of a position in one-way mode.
public enum Side: String, Sendable, CaseIterable {
    case long
    case short

    /// +1 for a long, −1 for a short: the `s` of CONTRACT section 3.
    @inlinable public var sign: Double { self == .long ? 1 : -1 }
}
