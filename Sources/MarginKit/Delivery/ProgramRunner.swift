import Foundation

/// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np` (close every descriptor from N up in
/// the child), looked up at run time: Swift does not import it, and an older C library simply
/// has none (the pipes are close-on-exec anyway).
private let spawnCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()

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
    /// Never handed to a program marginwatch runs (a hook, curl, notify-send): the exchange key pair.
    public static let withheldVariables: Set<String> = ["BINANCE_API_KEY", "BINANCE_API_SECRET"]

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
    /// standard input; waits at most `timeout` seconds, then kills it and everything it started
    /// (it runs in a process group of its own: a script's `sleep` must not outlive the kill).
    public static func run(_ executable: String, arguments: [String] = [], environment: [String: String] = [:],
                           input: String = "", timeout: Double = 10) -> Outcome {
        runCapturing(executable, arguments: arguments, environment: environment, input: input, timeout: timeout).outcome
    }

    /// `run`, with the first line the program wrote on its standard output.
    public static func runCapturing(_ executable: String, arguments: [String] = [], environment: [String: String] = [:],
                                    input: String = "", timeout: Double = 10) -> (outcome: Outcome, output: String) {
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        // Close-on-exec: no other program started meanwhile inherits them (dup2 into the
        // child's 0, 1 and 2 clears the flag there).
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            for fd in stdinPipe + stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
            return (.couldNotStart("no pipes: \(String(cString: strerror(errno)))"), "")
        }
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        for fd in stdinPipe + stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        // Nothing else of ours (tapes, the journal, the terminal) goes to the program.
        if let closeFrom = spawnCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        // The child starts with default signal handling and nothing blocked.
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let env = ProcessInfo.processInfo.environment.filter { !withheldVariables.contains($0.key) }
            .merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        var status: Int32 = 0
        // ETXTBSY: the file is still open for writing somewhere (a script just saved while
        // another thread forked); it passes in a moment.
        for attempt in 0..<50 {
            status = withCStrings([executable] + arguments) { argv in
                withCStrings(env) { envp in posix_spawn(&pid, executable, &actions, &attributes, argv, envp) }
            }
            guard status == ETXTBSY, attempt < 49 else { break }
            usleep(10_000)
        }
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard status == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            return (.couldNotStart(String(cString: strerror(status))), "")
        }
        // Output is read on threads of its own: a program that writes a lot must never block
        // on a full pipe while we wait for it.
        let errorText = Drain(FileHandle(fileDescriptor: stderrPipe[0], closeOnDealloc: true))
        let outputText = Drain(FileHandle(fileDescriptor: stdoutPipe[0], closeOnDealloc: true))
        // A program that does not read its input must not make us block or die of SIGPIPE: the
        // line is written by a thread of its own with SIGPIPE blocked (a write to a closed pipe
        // then fails with EPIPE; the signal is thread-directed and dies with the thread).
        let writer = FileHandle(fileDescriptor: stdinPipe[1], closeOnDealloc: true)
        Thread.detachNewThread {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            try? writer.write(contentsOf: Data(input.utf8))
            try? writer.close()
        }
        let exit = Reaper(pid)
        guard let code = exit.wait(timeout: timeout) else {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = exit.wait(timeout: 5)
            _ = errorText.result(within: 0.25)
            return (.timedOut(seconds: timeout), outputText.result(within: 0.25))
        }
        // It has exited: its pipes end now, unless a child it left in the background holds them
        // (`notify-send … &`); that child is not waited for.
        let message = errorText.result(within: 0.25)
        let output = outputText.result(within: 0.25)
        return (code == 0 ? .succeeded : .failed(status: code, stderr: message), output)
    }

    /// Calls `body` with a NULL-terminated C array of `strings`.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }

    /// Waits for a child on a thread of its own: its exit code (128 + N for a signal).
    private final class Reaper: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let code = Locked<Int32>(-1)

        init(_ pid: pid_t) {
            Thread.detachNewThread { [self] in
                var status: Int32 = 0
                var reaped: pid_t = -1
                repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
                if reaped < 0 { status = 127 << 8 }  // not ours to wait for: say it failed
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
                let signal = status & 0x7F
                let result = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
                code.withLock { $0 = result }
                done.signal()
            }
        }

        func wait(timeout: Double) -> Int32? {
            guard done.wait(timeout: .now() + timeout) == .success else { return nil }
            done.signal()  // a later wait sees it too
            return code.withLock { $0 }
        }
    }

    /// Reads a pipe to its end on a thread of its own; keeps the first line (at most 160 characters).
    private final class Drain: Sendable {
        private let finished = DispatchSemaphore(value: 0)
        private let firstLine = Locked("")

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                var kept: [UInt8] = []
                while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
                    if kept.count < 4_096 { kept += chunk.prefix(4_096 - kept.count) }
                }
                let text = String(decoding: kept, as: UTF8.self)
                let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                let clean = PrintableText.escaped(String(line.prefix(160)))
                firstLine.withLock { $0 = clean }
                finished.signal()
            }
        }

        /// Waits at most `seconds` more for the end of the pipe; the first line so far.
        func result(within seconds: Double) -> String {
            _ = finished.wait(timeout: .now() + seconds)
            return firstLine.withLock { $0 }
        }
    }
}
