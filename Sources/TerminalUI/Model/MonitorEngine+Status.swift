import MarginKit

/// What the screen reads off the engine: the session's figures and the feed's state.
extension MonitorEngine {
    public var source: FeedOrigin { driver.origin }
    public var thresholds: AlertThresholds { driver.thresholds }
    public var evaluation: Evaluation { driver.replay.session.engine.evaluate() }
    public var summary: SessionSummary { driver.replay.session.summary }
    public var lastTickTime: Int64? { driver.lastTickTime }
    public var ended: Bool { driver.ended }
    public var canRewind: Bool { driver.canRewind }
    /// The replay's position in tape time, for the progress bar (nil: unknown).
    public var progress: Double? { driver.progress(at: feedTime) }
    /// Bad lines and warnings of the input read so far (shown live: a feed losing lines must not look healthy).
    public var tapeWarnings: [String] { driver.counters.warnings }
    public var badLines: Int { driver.counters.badLines }

    /// The feed's error for the one status line, the tape named by its file name so the line
    /// and the reason fit (the full path is what the user typed; the name is enough to find it).
    public var feedError: String? {
        driver.error.map { ($0 as? MarginWatchError)?.namingFileOnly.description ?? "\($0)" }
    }
}
