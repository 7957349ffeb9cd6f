import Foundation

/// Writes ticks as a native tape (`time,symbol,price`), appended line by line and flushed at
/// least once a second, only ever at line ends, so a recording cut short (even by SIGKILL)
/// loses at most its last second and never leaves a line replay would reject.
public final class TapeRecorder {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var lastFlush: UInt64
    private let symbols: SymbolTable
    public private(set) var ticksWritten = 0

    /// Opens `path` for appending (`truncate` to start afresh); writes the header when the file is new or empty.
    /// - Throws: `MarginWatchError.cannotOpen` when the file cannot be written.
    public init(path: String, symbols: SymbolTable, truncate: Bool = false) throws {
        self.path = path
        self.symbols = symbols
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot write: is a directory")
        }
        let flags = O_WRONLY | O_CREAT | (truncate ? O_TRUNC : O_APPEND)
        fd = Foundation.open(path, flags, 0o644)
        guard fd >= 0 else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        lastFlush = DispatchTime.now().uptimeNanoseconds
        buffer.reserveCapacity(1 << 16)
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size == 0 {
            buffer.append(contentsOf: Array("time,symbol,price\n".utf8))
        } else if !truncate {
            ensureEndsWithNewline()
        }
    }

    deinit {
        flush()
        close(fd)
    }

    /// Appends one tick; flushes when a second has passed since the last flush or the buffer is large.
    public func record(_ tick: Tick) {
        buffer.append(contentsOf: String(tick.time).utf8)
        buffer.append(44)
        buffer.append(contentsOf: symbols.name(tick.symbol).utf8)
        buffer.append(44)
        buffer.append(contentsOf: Self.format(tick.price).utf8)
        buffer.append(10)
        ticksWritten += 1
        if buffer.count >= 1 << 16 || DispatchTime.now().uptimeNanoseconds - lastFlush >= 1_000_000_000 {
            flush()
        }
    }

    /// Flushes when a second has passed since the last flush (call it when the feed is quiet).
    public func flushIfDue() {
        if !buffer.isEmpty && DispatchTime.now().uptimeNanoseconds - lastFlush >= 1_000_000_000 { flush() }
    }

    /// Writes everything buffered (whole lines only).
    public func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
        lastFlush = DispatchTime.now().uptimeNanoseconds
    }

    /// Shortest text that reads back as the same Double, never in exponent form.
    static func format(_ price: Double) -> String {
        let text = String(price)
        guard text.contains("e") else { return text.hasSuffix(".0") ? String(text.dropLast(2)) : text }
        return String(format: "%.12f", price).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
    }

    /// A recording appended to after a cut-short one starts on a fresh line.
    private func ensureEndsWithNewline() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size > 0 else { return }
        try? handle.seek(toOffset: size - 1)
        if let last = try? handle.read(upToCount: 1)?.first, last != 10 { buffer.append(10) }
    }
}
