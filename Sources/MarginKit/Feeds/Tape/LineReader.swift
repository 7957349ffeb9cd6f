import Foundation

/// Reads a file descriptor in large chunks and hands out one record at a time as a byte slice
/// into its buffer, so a tape of any length is streamed in constant memory.
///
/// Records end at `delimiter` (a newline for CSV and JSON lines; `]` for freqtrade's one-line
/// JSON arrays). A trailing `\r` is dropped. A last record without a delimiter is returned with
/// `terminated == false`, so the caller can skip a line cut short by a killed recorder.
final class LineReader {
    private let fd: Int32
    private var ownsDescriptor: Bool
    private let delimiter: UInt8
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var end = 0
    @exclusivity(unchecked) private var atEOF = false
    /// Newlines consumed so far, for `file:line` messages whatever the delimiter.
    @exclusivity(unchecked) private(set) var newlinesBefore = 0
    /// The 1-based line on which the current record starts.
    @exclusivity(unchecked) private(set) var line = 0
    /// Bytes handed out so far (for a progress bar).
    @exclusivity(unchecked) private(set) var consumedBytes = 0
    /// Set when `read` failed (the reason, for an error message).
    private(set) var readError: String?

    static let chunk = 1 << 20
    static let maxRecord = 64 << 20

    init(fd: Int32, ownsDescriptor: Bool, delimiter: UInt8 = UInt8(ascii: "\n")) {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        self.delimiter = delimiter
        capacity = Self.chunk
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// Whether a whole record is already buffered (so `next()` will not wait on the input).
    var hasBufferedRecord: Bool {
        end > start && memchr(buffer + start, Int32(delimiter), end - start) != nil
    }

    /// Drops a UTF-8 byte-order mark at the very start (Excel and Windows exports write one), so
    /// the header reads as `time,symbol,price`, not `\u{FEFF}time,…`.
    func skipByteOrderMark() {
        let head = peek(3)
        if head == [0xEF, 0xBB, 0xBF] {
            start += 3
            consumedBytes += 3
        }
    }

    /// The first bytes of the input (up to `count`), without consuming them.
    func peek(_ count: Int) -> [UInt8] {
        // Enough to recognise the format: `count` bytes, or a whole first line from a slow pipe.
        while end - start < count && !atEOF && memchr(buffer + start, Int32(delimiter), end - start) == nil { fill() }
        return Array(UnsafeBufferPointer(start: buffer + start, count: min(count, end - start)))
    }

    /// The next record, valid until the next call; nil at the end of input.
    func next() -> (bytes: UnsafeBufferPointer<UInt8>, terminated: Bool)? {
        var searchFrom = start
        while true {
            if let found = memchr(buffer + searchFrom, Int32(delimiter), end - searchFrom) {
                let stop = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                return take(upTo: stop, advance: stop + 1, terminated: true)
            }
            if atEOF {
                guard start < end else { return nil }
                return take(upTo: end, advance: end, terminated: false)
            }
            // Bytes already searched need no second look after the refill moves them.
            let searched = end - start
            fill()
            searchFrom = start + searched
            if end - start >= Self.maxRecord && memchr(buffer + start, Int32(delimiter), end - start) == nil {
                readError = "a record longer than \(Self.maxRecord >> 20) MiB without a line break"
                atEOF = true
                start = end
                return nil
            }
        }
    }

    func setOwnership(_ owns: Bool) { ownsDescriptor = owns }

    /// The buffered bytes not yet handed out.
    func remainingBytes() -> [UInt8] { Array(UnsafeBufferPointer(start: buffer + start, count: end - start)) }

    /// Puts bytes in front of whatever is buffered (only used before the first record).
    func prepend(_ bytes: UnsafePointer<UInt8>, count: Int) {
        while capacity - (end - start) < count {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer + start, count: end - start)
            buffer.deallocate()
            buffer = bigger
            end -= start
            start = 0
            capacity *= 2
        }
        if end - start > 0 { memmove(buffer + count, buffer + start, end - start) }
        end = end - start + count
        start = 0
        buffer.update(from: bytes, count: count)
    }

    private func take(upTo stop: Int, advance: Int, terminated: Bool) -> (bytes: UnsafeBufferPointer<UInt8>, terminated: Bool) {
        var last = stop
        if last > start && buffer[last - 1] == 13 { last -= 1 }
        let record = UnsafeBufferPointer(start: buffer + start, count: last - start)
        line = newlinesBefore + 1
        if delimiter == 10 {
            newlinesBefore += 1
        } else {
            newlinesBefore += record.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        }
        consumedBytes += advance - start
        start = advance
        return (record, terminated)
    }

    /// Moves unread bytes to the front and reads more, growing the buffer for a long record.
    private func fill() {
        if start > 0 {
            if end > start { memmove(buffer, buffer + start, end - start) }
            end -= start
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while true {
            let n = read(fd, buffer + end, capacity - end)
            if n > 0 { end += n; return }
            if n == 0 { atEOF = true; return }
            if errno == EINTR { continue }
            readError = String(cString: strerror(errno))
            atEOF = true
            return
        }
    }
}

extension LineReader {
    /// Makes this reader close the descriptor when it goes away.
    func takeOwnership(_ owns: Bool) { setOwnership(owns) }

    /// Takes over the bytes another reader on the same descriptor has already buffered (the
    /// format probe), so switching the delimiter loses nothing.
    func adopt(from other: LineReader) {
        let pending = other.remainingBytes()
        pending.withUnsafeBufferPointer { p in
            if let base = p.baseAddress { prepend(base, count: p.count) }
        }
    }
}

extension LineReader {
    /// Hands the unread buffered bytes to `body`, which returns how many bytes (whole lines)
    /// and lines it consumed. Refills first when fewer than `minimum` bytes are buffered.
    /// - Returns: false when nothing is buffered and the input has ended.
    func consume(minimum: Int = 256, _ body: (UnsafePointer<UInt8>, Int) -> (bytes: Int, lines: Int)) -> Bool {
        if end - start < minimum && !atEOF { fill() }
        guard end > start else { return false }
        let (bytes, lines) = body(UnsafePointer(buffer + start), end - start)
        start += bytes
        consumedBytes += bytes
        newlinesBefore += lines
        line = newlinesBefore
        return true
    }
}
