import Cncurses
import Foundation

/// Set by SIGINT and SIGTERM; the monitor loop reads it and exits cleanly (a recording flushed,
/// the terminal restored) instead of letting the process die mid-frame.
nonisolated(unsafe) var terminalStopSignal: sig_atomic_t = 0

/// The handlers that were in place before ours, so a crash is passed on after the terminal is restored.
nonisolated(unsafe) private var previousCrashHandlers: [Int32: sighandler_t?] = [:]
nonisolated(unsafe) private var cursesActive: sig_atomic_t = 0

/// Terminal restoration on every exit path, in one audited place (like htop's CRT.c).
enum TerminalSignals {
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Installs SIGINT/SIGTERM flags and crash handlers. Called before ncurses starts, so ncurses
    /// does not install its own SIGINT/SIGTERM handlers (it only does when they are default).
    static func install() {
        signal(SIGINT) { _ in terminalStopSignal = SIGINT }
        signal(SIGTERM) { _ in terminalStopSignal = SIGTERM }
        for sig in crashSignals {
            let old = signal(sig) { sig in
                // Restore the terminal first, so the runtime's backtrace prints on a sane screen,
                // then hand the signal to whoever had it before (the Swift backtracer or the default).
                if cursesActive != 0 { endwin(); cursesActive = 0 }
                signal(sig, previousCrashHandlers[sig] ?? SIG_DFL)
                raise(sig)
            }
            previousCrashHandlers[sig] = old
        }
    }

    static func cursesStarted() { cursesActive = 1 }
    static func cursesEnded() { cursesActive = 0 }

    /// The stop signal received (SIGINT or SIGTERM), or nil.
    static var stopRequested: Int32? { terminalStopSignal == 0 ? nil : terminalStopSignal }
}
