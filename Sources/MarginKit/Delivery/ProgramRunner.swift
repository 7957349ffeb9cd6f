import Foundation

/// Runs a program directly — never through a shell, so nothing in an event's text is ever
/// interpreted — with extra environment variables and a line on its standard input, and kills
/// it when it overruns its time. Its output is captured (it must not write over the monitor's
/// screen or into `--json` output); the first line of its errors explains a failure.
public enum ProgramRunner {
    public enum Outcome: Sendable, Equatable {
        case succeeded
        case failed(status: Int32, stderr: String)
        case timedOut(seconds: Double)
        case couldNotStart(String)

        /// A failure in a few words, for the status line and the log; nil when it succeeded.
        public var problem: String? {
            switch self {
            case .succeeded: return nil
            case let .failed(status, stderr): return "exited \(status)" + (stderr.isEmpty ? "" : ": \(stderr)")
            case .timedOut(let s): return "still running after \(JSONValue.format(s)) s: killed"
            case .couldNotStart(let why): return "could not start: \(why)"
            }
        }
    }

    /// The program's full path: `path` itself when it names a file (with a `/`), else the first
    /// executable of that name on `PATH`; nil when there is none.
    public static func resolve(_ program: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        let fm = FileManager.default
        func runnable(_ p: String) -> Bool {
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: p, isDirectory: &isDirectory) && !isDirectory.boolValue && fm.isExecutableFile(atPath: p)
        }
        if program.contains("/") { return runnable(program) ? program : nil }
        guard !program.isEmpty else { return nil }
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") where runnable("\(dir)/\(program)") {
            return "\(dir)/\(program)"
        }
        return nil
    }

    /// Runs `executable` with `arguments`, the environment plus `environment`, and `input` on
    /// standard input; waits at most `timeout` seconds, then kills it.
    public static func run(_ executable: String, arguments: [String] = [], environment: [String: String] = [:],
                           input: String = "", timeout: Double = 10) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do {
            try process.run()
        } catch {
            return .couldNotStart(String(describing: error).prefix(120).description)
        }
        // Output is read on threads of its own: a program that writes a lot must never block
        // on a full pipe while we wait for it.
        let errorText = Drain(stderr.fileHandleForReading)
        let outputText = Drain(stdout.fileHandleForReading)
        // A program that does not read its input must not make us block or die of SIGPIPE: the
        // line is written by a thread of its own with SIGPIPE blocked (a write to a closed pipe
        // then fails with EPIPE; the signal is thread-directed and dies with the thread).
        let writer = stdin.fileHandleForWriting
        Thread.detachNewThread {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            try? writer.write(contentsOf: Data(input.utf8))
            try? writer.close()
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
            _ = (errorText.result(), outputText.result())
            return .timedOut(seconds: timeout)
        }
        let message = errorText.result()
        _ = outputText.result()
        if process.terminationReason == .uncaughtSignal { return .failed(status: 128 + process.terminationStatus, stderr: message) }
        return process.terminationStatus == 0 ? .succeeded : .failed(status: process.terminationStatus, stderr: message)
    }

    /// Reads a pipe to its end on a thread of its own; keeps the first line (at most 160 characters).
    private final class Drain: @unchecked Sendable {
        private let finished = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var firstLine = ""

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                var kept: [UInt8] = []
                while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
                    if kept.count < 4_096 { kept += chunk.prefix(4_096 - kept.count) }
                }
                let text = String(decoding: kept, as: UTF8.self)
                let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                let clean = String(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(160).map(Character.init))
                lock.withLock { firstLine = clean }
                finished.signal()
            }
        }

        /// Waits for the end of the pipe (the program and anything it started closed it).
        func result() -> String {
            // A program's child that keeps the pipe open must not hold us forever.
            _ = finished.wait(timeout: .now() + 2)
            return lock.withLock { firstLine }
        }
    }
}
