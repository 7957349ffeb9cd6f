import Foundation

/// A file written by appending whole lines (a recorded tape, a journal): opened for append,
/// started on a fresh line when the last writer was cut short, written with `write(2)` so a
/// killed process leaves only whole lines behind.
public enum AppendingFile {
    /// Opens `path` for appending (or afresh with `truncate`).
    /// - Returns: the descriptor, and whether the file is empty.
    /// - Throws: `MarginWatchError.cannotOpen` when it cannot be written.
    public static func open(_ path: String, truncate: Bool = false) throws -> (fd: Int32, empty: Bool) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot write: is a directory")
        }
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | (truncate ? O_TRUNC : O_APPEND), 0o644)
        guard fd >= 0 else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        return (fd, fstat(fd, &info) == 0 && info.st_size == 0)
    }

    /// Whether the file's last byte is not a newline (a writer was cut short mid-line).
    public static func endsMidLine(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size > 0 else { return false }
        try? handle.seek(toOffset: size - 1)
        return (try? handle.read(upToCount: 1)?.first).flatMap { $0 }.map { $0 != 10 } ?? false
    }

    /// Writes every byte (retrying short writes and EINTR); false when the file refused.
    @discardableResult
    public static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return false }
            offset += n
        }
        return true
    }
}
