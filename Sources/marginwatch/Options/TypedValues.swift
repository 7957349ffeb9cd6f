import ArgumentParser
import MarginKit
import TerminalUI

// The typed option values. Each calls the domain parser where it lives (MarginKit, TerminalUI)
// and is parsed by argument-parser before a command runs, so a bad value is refused as usage
// (exit 64) with one line that names the option, the value and what the option takes.

/// A value that says what it expects when it refuses a text. Declared with
/// `@Option(transform: T.parsed)`, a refusal reads, joined into one line by main.swift:
/// `The value '1w' is invalid for '--duration <D>': expected a positive number and a unit, …`
/// (A plain `ExpressibleByArgument` failure could only say that the value is invalid.)
protocol ExplainedArgument: ExpressibleByArgument {
    /// What the option takes, completing "expected …".
    static var expected: String { get }
    /// What argument-parser prints after the option and the value refused: by default
    /// "expected" and `expected`.
    static func refusal(for text: String) -> String
}

extension ExplainedArgument {
    static func refusal(for text: String) -> String { "expected " + expected }

    /// The value of `text`, or an error that says what the option expects.
    @Sendable static func parsed(_ text: String) throws -> Self {
        guard let value = Self(argument: text) else { throw ArgumentRefused(reason: refusal(for: text)) }
        return value
    }
}

/// Why a value was refused; argument-parser prints its description after the option and value.
struct ArgumentRefused: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

// FeedSpeed (TerminalUI) and FailOnLevel (MarginKit) conform here, in the command-line layer.
// No `@retroactive`: their modules are in this package, and Swift refuses the attribute then.

// MARK: - Feed and speed

/// `watch --feed`: where ticks come from. argument-parser lists the values when one is wrong.
enum FeedChoice: String, CaseIterable, ExpressibleByArgument {
    case sim
    case stdin
    case binance
}

extension FeedSpeed {
    /// `0.25 to 86400`, from the range the feed accepts.
    static var rangeText: String {
        func plain(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
        return "\(plain(range.lowerBound)) to \(plain(range.upperBound))"
    }
}

/// `replay --speed X|max`: a multiple of tape time, or as fast as it goes.
extension FeedSpeed: ExpressibleByArgument, ExplainedArgument {
    public init?(argument: String) {
        guard let speed = FeedSpeed.parse(argument) else { return nil }
        self = speed
    }

    static var expected: String { "a multiple of tape time from \(rangeText), or max" }
}

/// `watch --speed X`: a multiple of real time. `max` belongs to replays, which have a tape to
/// run through; a live market cannot be run ahead of itself.
struct RealTimeSpeed: ExplainedArgument {
    let speed: FeedSpeed

    static let realTime = RealTimeSpeed(speed: .times(1))

    private init(speed: FeedSpeed) { self.speed = speed }

    init?(argument: String) {
        guard let speed = FeedSpeed.parse(argument), speed != .max else { return nil }
        self.speed = speed
    }

    var defaultValueDescription: String { speed.description }

    static var expected: String { "a multiple of real time from \(FeedSpeed.rangeText)" }

    static func refusal(for text: String) -> String {
        text == "max" ? "max is for replay only; watch expects \(expected)" : "expected " + expected
    }
}

// MARK: - Levels, durations, times

/// `replay --fail-on LEVEL`: argument-parser lists the levels when one is wrong, and the help
/// and the manual say what meets each (as docs/alerts-and-json.md does).
extension FailOnLevel: ExpressibleByArgument {
    public var defaultValueDescription: String {
        switch self {
        case .warn: return "any rule raised at warn or critical, or any stop-loss, soft stop or liquidation"
        case .critical: return "any rule raised at critical, or any stop-loss, soft stop or liquidation"
        case .softStop: return "the soft stop"
        case .liquidation: return "a liquidation: the cross account or an isolated position"
        }
    }
}

/// `record --duration`, `--interval`: a positive span of time with a unit.
struct DurationArgument: ExplainedArgument {
    let milliseconds: Int64
    private let text: String

    /// `record --duration`'s default.
    static let oneHour = DurationArgument(argument: "1h")!

    init?(argument: String) {
        guard let ms = parseDurationMilliseconds(argument), ms > 0 else { return nil }
        milliseconds = ms
        text = argument
    }

    var defaultValueDescription: String { text }

    static let expected = "a positive number and a unit, ms, s, m, h or d: 500ms, 30s, 10m, 2h, 1d"
}

/// `--from`, `--to`, `--start`: ISO-8601 (naive means UTC) or epoch milliseconds.
struct TimeArgument: ExplainedArgument {
    let milliseconds: Int64
    let text: String

    init?(argument: String) {
        guard let ms = TimeText.parseArgument(argument) else { return nil }
        milliseconds = ms
        text = argument
    }

    var defaultValueDescription: String { text }

    static var expected: String { TimeParser.argumentSpellings }

    /// Digits are epoch milliseconds (the contract); ten digits look like seconds copied from a
    /// tape, so they are taken as milliseconds and the user hears how they were read.
    func secondsWarning(option: String) -> String? {
        guard text.count <= 11, text.allSatisfy(\.isNumber) else { return nil }
        return "\(option) \(text) is read as epoch milliseconds (\(TimeText.iso(milliseconds))); "
            + "for epoch seconds write \(text)000 or an ISO-8601 time"
    }
}
