import Foundation

/// A place in an input file, for error messages: `file:line:column`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let line = line, line > 0, let column { text += ":\(column)" }
        return text
    }
}

/// Every error a user can cause, with its message and the contract's exit code.
public enum MarginWatchError: Error, Equatable, CustomStringConvertible {
    /// A file's content is invalid (exit 65).
    case invalidContent(SourceLocation, String)
    /// A file cannot be opened or is a directory (exit 66).
    case cannotOpen(path: String, reason: String)
    /// The command line is wrong (exit 64).
    case usage(String)

    /// The same error with the file named by its last path component: for a one-line status
    /// where the line and the reason must fit (the full path is what the user typed).
    public var namingFileOnly: MarginWatchError {
        guard case .invalidContent(var location, let message) = self else { return self }
        location.file = (location.file as NSString).lastPathComponent
        return .invalidContent(location, message)
    }

    /// The exit code CONTRACT section 1 gives this error.
    public var exitCode: Int32 {
        switch self {
        case .invalidContent: return 65
        case .cannotOpen: return 66
        case .usage: return 64
        }
    }

    /// Checks that `path` names an existing file (not a directory) before it is opened.
    /// - Parameter kind: what a directory is not, for the message (`file`, `tape`).
    /// - Throws: `.cannotOpen` (exit 66).
    public static func requireFile(_ path: String, kind: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot open: no such file")
        }
        guard !isDirectory.boolValue else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot open: is a directory, not a \(kind)")
        }
    }

    /// The reason alone, without the file it is about (for a screen that names the file already).
    public var reason: String {
        switch self {
        case .invalidContent(_, let message): return PrintableText.escaped(message)
        case .cannotOpen(_, let reason): return PrintableText.escaped(reason)
        case .usage(let message): return PrintableText.escaped(message)
        }
    }

    /// One line, without the `marginwatch: error: ` prefix the front end adds. Whatever a file
    /// put into it (a multi-line value, an escape sequence) is spelled out, never printed raw.
    public var description: String {
        switch self {
        case .invalidContent(let location, let message): return PrintableText.escaped("\(location): \(message)")
        case .cannotOpen(let path, let reason): return PrintableText.escaped("\(path): \(reason)")
        case .usage(let message): return PrintableText.escaped(message)
        }
    }
}
