/// Whether a position draws on the shared cross pool or on its own isolated margin.
public enum MarginMode: String, Sendable, CaseIterable {
    case cross
    case isolated
}
