import MarginKit

/// How fast the feed clock runs: a multiple of real time, or as fast as the machine goes.
public enum FeedSpeed: Sendable, Equatable, CustomStringConvertible {
    case times(Double)
    case max

    /// The ladder `+` and `-` climb.
    static let ladder: [Double] = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3_600, 14_400, 86_400]

    public var description: String {
        switch self {
        case .max: return "max"
        case .times(let x): return (x == x.rounded() ? String(Int(x)) : String(x)) + "x"
        }
    }

    /// Parses `--speed`: a positive number, or `max`.
    /// The range a multiple may take: from a quarter of real time to a day a second.
    public static let range: ClosedRange<Double> = 0.25...86_400

    public static func parse(_ text: String) -> FeedSpeed? {
        if text == "max" { return .max }
        let number = text.hasSuffix("x") ? String(text.dropLast()) : text
        guard let x = CommandLineValues.decimal(number), x.isFinite, range.contains(x) else { return nil }
        return .times(x)
    }

    func faster(allowMax: Bool) -> FeedSpeed {
        guard case .times(let x) = self else { return self }
        if let next = Self.ladder.first(where: { $0 > x }) { return .times(next) }
        return allowMax ? .max : self
    }

    func slower() -> FeedSpeed {
        guard case .times(let x) = self else { return .times(Self.ladder.last ?? 1) }
        return .times(Self.ladder.last(where: { $0 < x }) ?? x)
    }
}
