import Foundation

/// Streams the ticks of one tape file (or standard input), whatever its format.
///
/// Bad records are skipped with a warning naming `file:line` and counted (or, with `strict`,
/// end the run with exit 65). A last line without a newline is read when whole and skipped
/// silently when not. Memory stays constant whatever the tape's length.
public final class TapeReader: TickSource {
    /// How the tape is named in messages.
    public let name: String
    /// Records skipped as bad (wrong column count, a bad price or time).
    public private(set) var badLines = 0
    /// Times that went backwards within this file (warned about; the ticks are still applied).
    public private(set) var timeReversals = 0
    /// Ticks produced so far.
    public private(set) var ticksRead = 0
    /// The earliest and latest times seen, for "the tapes run from … to …".
    public private(set) var earliestTime: Int64?
    public private(set) var latestTime = Int64.min
    /// The first warnings, each `file:line: reason`; `suppressedWarnings` counts the rest.
    public private(set) var warnings: [String] = []
    public private(set) var suppressedWarnings = 0

    static let warningLimit = 20

    /// The size of the tape file in bytes (nil for standard input), for progress.
    public let totalBytes: Int?
    /// Bytes of the tape read so far.
    public var bytesRead: Int { lines.consumedBytes }
    /// For a live stream (standard input): hand over what has arrived instead of waiting for a
    /// full batch.
    let live: Bool

    let symbols: SymbolTable
    let strict: Bool
    let layout: TapeLayout
    /// The fast path of a bar CSV with close times (nil for any other layout).
    let barLine: BarLine?
    /// Whether the usual native and bar rows take their fast paths; off, every record goes to the
    /// general parser (the reference the tests and the `tape` fuzz target compare them with).
    public var fastPaths = true
    /// The symbol of every tick when the records do not name one, or when `SYMBOL=` was given.
    let fixedSymbol: Int32?
    let lines: LineReader
    let fields = CSVFields()
    /// Ticks parsed but not yet handed out (a bar gives four).
    @exclusivity(unchecked) var queue: [Tick] = []
    /// Bar interval for formats without close times: from the name, else the first bars' spacing.
    @exclusivity(unchecked) var barInterval: Int64?
    /// A bar waiting for the next one to reveal the interval.
    var heldBar: (line: Int, openTime: Int64, o: Double, h: Double, l: Double, c: Double)?
    var lastTime = Int64.min
    @exclusivity(unchecked) var sawRecord = false
    /// Ticks handed out one at a time by `next()`.
    var pending: [Tick] = []
    var pendingIndex = 0
    var finished = false
    /// This reader's memory of symbol ids (the shared table is locked; asked once per new name).
    var symbolCache = SymbolCache()

    /// The symbols this tape has priced so far.
    public var symbolsSeen: [String] {
        if let fixedSymbol { return ticksRead > 0 ? [symbols.name(fixedSymbol)] : [] }
        return symbolCache.ids.sorted().map(symbols.name)
    }

    /// Opens and recognises a tape.
    /// - Throws: `MarginWatchError.cannotOpen` (66) for a missing file or a directory;
    ///   `.invalidContent` (65) for an empty or unrecognisable tape, or one whose symbol is unknown.
    /// Where the native fast path writes a batch's ticks before they are appended.
    private let scratch = UnsafeMutablePointer<Tick>.allocate(capacity: TapeReader.batchSize)

    deinit { scratch.deallocate() }

    public init(spec: TapeSpec, symbols: SymbolTable, strict: Bool = false) throws {
        name = spec.displayName
        self.symbols = symbols
        self.strict = strict
        live = spec.isStandardInput
        let fd = try Self.open(spec)
        // Until a LineReader owns the descriptor, an error on the way (an unrecognised format)
        // must still close it: a monitor or fuzzer that meets many bad tapes would run out.
        let unowned = DescriptorCloser(fd, closes: !spec.isStandardInput)
        var info = stat()
        totalBytes = !spec.isStandardInput && fstat(fd, &info) == 0 ? Int(info.st_size) : nil
        // freqtrade's arrays are one long line: split them at `]` instead of newlines.
        let probe = LineReader(fd: fd, ownsDescriptor: false)
        probe.skipByteOrderMark()
        let head = probe.peek(4096)
        let firstByte = head.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }.first
        guard let firstByte else {
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "the tape is empty")
        }
        var reader = probe
        var detected: TapeLayout
        var firstLine: [UInt8]?
        switch firstByte {
        case UInt8(ascii: "["):
            detected = .freqtrade
            reader = LineReader(fd: fd, ownsDescriptor: !spec.isStandardInput, delimiter: UInt8(ascii: "]"))
            unowned.release()
            reader.adopt(from: probe)
        case UInt8(ascii: "{"):
            detected = .jsonLines
        default:
            guard let (line, _) = probe.next() else {
                throw MarginWatchError.invalidContent(SourceLocation(file: name), "the tape is empty")
            }
            let header = CSVFields()
            header.split(line)
            let isHeader = (0..<header.count).contains { !CSVRecognizer.isDataLike(header, $0) }
            if isHeader {
                guard let layout = CSVRecognizer.layout(header: header) else {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name, line: 1),
                        "not a recognised tape format (header \"\(String(decoding: line, as: UTF8.self).prefix(120))\")")
                }
                detected = layout
            } else {
                guard let layout = CSVRecognizer.layout(data: header) else {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name, line: 1),
                        "not a recognised tape format (\(header.count) columns; expected a header, 12 kline columns or a Binance trades layout)")
                }
                detected = layout
                firstLine = Array(line)
            }
        }
        if detected != .freqtrade {
            reader.takeOwnership(!spec.isStandardInput)
            unowned.release()
        }
        layout = detected
        if case .bars(let columns) = detected { barLine = BarLine(columns) } else { barLine = nil }
        lines = reader
        if let symbol = spec.symbol {
            fixedSymbol = symbols.id(symbol)
        } else if detected.carriesSymbol {
            fixedSymbol = nil
        } else if !spec.isStandardInput, let symbol = TapeNaming.symbol(fromPath: spec.path) {
            fixedSymbol = symbols.id(symbol)
        } else {
            throw MarginWatchError.invalidContent(SourceLocation(file: name),
                "cannot tell which symbol this tape prices (its records name none and neither does its file name); "
                + "give it as SYMBOL=\(spec.path)")
        }
        barInterval = spec.isStandardInput ? nil : TapeNaming.interval(fromPath: spec.path)
        queue.reserveCapacity(8)
        if let first = firstLine {
            try first.withUnsafeBufferPointer { try parse(record: $0, line: 1, terminated: true) }
        }
    }

    private static func open(_ spec: TapeSpec) throws -> Int32 {
        if spec.isStandardInput { return STDIN_FILENO }
        try MarginWatchError.requireFile(spec.path, kind: "tape")
        let fd = Foundation.open(spec.path, O_RDONLY)
        guard fd >= 0 else {
            throw MarginWatchError.cannotOpen(path: spec.path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    public func next() throws -> Tick? {
        if pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard try nextBatch(into: &pending) else { return nil }
        }
        let tick = pending[pendingIndex]
        pendingIndex += 1
        return tick
    }

    /// The most ticks one batch takes.
    static let batchSize = 4_096

    /// Parses up to `batchSize` records into `batch`.
    /// - Complexity: O(bytes read); a native CSV line costs one scan with no allocation.
    public func nextBatch(into batch: inout [Tick]) throws -> Bool {
        guard !finished else { return false }
        let before = batch.count
        let isNative = layout == .native && fastPaths
        // The native fast path works on the cache moved into a local (a copy would be copied
        // again, whole, at the batch's first new name); other formats use the reader's own.
        var cache = SymbolCache()
        if isNative { swap(&cache, &symbolCache) }
        defer { if isNative { swap(&cache, &symbolCache) } }
        let limit = before + Self.batchSize
        // Ticks already parsed (a headerless tape's first record, read to recognise it) go first:
        // the fast paths below add theirs to the batch as they read them.
        if !queue.isEmpty {
            batch.append(contentsOf: queue)
            queue.removeAll(keepingCapacity: true)
        }
        while batch.count < limit {
            // A live stream hands over what has arrived rather than wait for a full batch.
            if live && batch.count > before && !lines.hasBufferedRecord { break }
            if isNative && !(live && batch.count > before) {
                var consumed = 0
                let table = symbols, fixed = fixedSymbol
                // The ticks go to the reader's scratch buffer, then to the batch in one copy (an
                // append per tick cost a uniqueness check and a capacity test).
                let room = limit - batch.count, scratch = self.scratch
                // Live, what has arrived is scanned as it is: waiting for 256 bytes would hold a
                // short burst of ticks back until the next one comes.
                let more = lines.consume(minimum: live ? 1 : 256) { p, n in
                    let r = NativeLine.scan(p, count: n, fixedSymbol: fixed, cache: &cache, table: table, into: scratch, room: room)
                    consumed = r.lines
                    return r
                }
                if consumed > 0 {
                    batch.append(contentsOf: UnsafeBufferPointer(start: scratch, count: consumed))
                    sawRecord = true
                    continue
                }
                if !more { /* fall through: the general path reports the end */ }
            }
            guard let (record, terminated) = lines.next() else {
                if let error = lines.readError {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name), "read error: \(error)")
                }
                try flushHeldBar()
                batch.append(contentsOf: queue)
                queue.removeAll(keepingCapacity: true)
                finished = true
                if !sawRecord {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name), "the tape is empty (no records)")
                }
                break
            }
            if isNative, let tick = NativeLine.parse(record, fixedSymbol: fixedSymbol, cache: &cache, table: symbols) {
                batch.append(tick)
                sawRecord = true
                continue
            }
            if fastPaths, let symbol = fixedSymbol, let bar = barLine?.parse(record) {
                let ticks = BarPath.ticks(openTime: bar.t0, closeTime: bar.t1, open: bar.o, high: bar.h, low: bar.l,
                                          close: bar.c, symbol: symbol)
                batch.append(ticks.0)
                batch.append(ticks.1)
                batch.append(ticks.2)
                batch.append(ticks.3)
                sawRecord = true
                continue
            }
            // The general parser names symbols in the reader's own cache: hand it the local one
            // and take it back, or the one moved back at the end would forget them.
            if isNative { swap(&cache, &symbolCache) }
            defer { if isNative { swap(&cache, &symbolCache) } }
            try parse(record: record, line: lines.line, terminated: terminated)
            batch.append(contentsOf: queue)
            queue.removeAll(keepingCapacity: true)
        }
        var last = lastTime
        var latest = latestTime
        var earliest = earliestTime ?? .max
        for i in before..<batch.count {
            let t = batch[i].time
            if t < last {
                timeReversals += 1
                note("\(name): time goes backwards (\(TimeText.iso(t)) after \(TimeText.iso(last)))")
            }
            last = t
            latest = max(latest, t)
            earliest = min(earliest, t)
        }
        if batch.count > before { earliestTime = earliest }
        lastTime = last
        latestTime = latest
        ticksRead += batch.count - before
        return batch.count > before
    }

    /// Records a bad record: a warning and a count, or with `strict` an error.
    /// A cut-short last line is skipped silently instead.
    func bad(_ reason: String, line: Int, terminated: Bool) throws {
        guard terminated else { return }
        if strict { throw MarginWatchError.invalidContent(SourceLocation(file: name, line: line), reason) }
        badLines += 1
        note("\(name):\(line): \(reason) (line skipped)")
    }

    func note(_ warning: String) {
        if warnings.count < Self.warningLimit { warnings.append(PrintableText.escaped(warning)) } else { suppressedWarnings += 1 }
    }

    @inline(__always)
    func emit(_ tick: Tick) { queue.append(tick) }
}

/// Closes a file descriptor when it goes out of scope, unless ownership was handed on.
final class DescriptorCloser {
    private let fd: Int32
    private var closes: Bool

    init(_ fd: Int32, closes: Bool) {
        self.fd = fd
        self.closes = closes
    }

    func release() { closes = false }

    deinit { if closes { close(fd) } }
}
