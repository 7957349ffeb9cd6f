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
        let (fd, empty) = try AppendingFile.open(path, truncate: truncate)
        self.fd = fd
        lastFlush = DispatchTime.now().uptimeNanoseconds
        buffer.reserveCapacity(1 << 16)
        if empty {
            buffer.append(contentsOf: Array("time,symbol,price\n".utf8))
        } else if !truncate && AppendingFile.endsMidLine(path) {
            // A recording appended to after a cut-short one starts on a fresh line.
            buffer.append(10)
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
        AppendingFile.write(fd, buffer)
        buffer.removeAll(keepingCapacity: true)
        lastFlush = DispatchTime.now().uptimeNanoseconds
    }

    /// Shortest text that reads back as the same Double, never in exponent form.
    static func format(_ price: Double) -> String {
        let text = String(price)
        guard text.contains("e") else { return text.hasSuffix(".0") ? String(text.dropLast(2)) : text }
        return String(format: "%.12f", price).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
    }
}
