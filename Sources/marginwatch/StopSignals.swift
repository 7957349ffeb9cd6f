import Foundation

/// Set by SIGINT/SIGTERM so long-running commands stop at a clean point (a recording flushed).
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

enum StopSignals {
    /// Routes SIGINT and SIGTERM to `stopRequested` instead of killing the process.
    static func install() {
        signal(SIGINT) { _ in stopRequested = 1 }
        signal(SIGTERM) { _ in stopRequested = 1 }
    }

    static var requested: Bool { stopRequested != 0 }
}
