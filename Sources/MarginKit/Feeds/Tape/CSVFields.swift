/// The fields of one CSV line as byte ranges of the line, reused from line to line.
struct CSVFields {
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private var base: UnsafePointer<UInt8>?

    init() {
        starts.reserveCapacity(32)
        ends.reserveCapacity(32)
    }

    var count: Int { starts.count }

    /// Splits `line` at commas; a field wrapped in double quotes loses them.
    /// - Complexity: O(length), no allocation once the arrays have grown to the widest line.
    @inline(__always)
    mutating func split(_ line: UnsafeBufferPointer<UInt8>) {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        base = line.baseAddress
        var fieldStart = 0
        for i in 0..<line.count where line[i] == 44 {
            append(line, fieldStart, i)
            fieldStart = i + 1
        }
        append(line, fieldStart, line.count)
    }

    @inline(__always)
    private mutating func append(_ line: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) {
        var s = s, e = e
        while s < e, line[s] == 32 { s += 1 }
        while e > s, line[e - 1] == 32 { e -= 1 }
        if e - s >= 2, line[s] == 34, line[e - 1] == 34 { s += 1; e -= 1 }
        starts.append(s)
        ends.append(e)
    }

    /// The bytes of field `i` (valid while the line is).
    @inline(__always)
    subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base.map { $0 + starts[i] }, count: ends[i] - starts[i])
    }

    /// Field `i` as text (for headers and messages).
    func text(_ i: Int) -> String { String(decoding: self[i], as: UTF8.self) }

    /// True when field `i` is `true`/`false` in any case.
    func isBool(_ i: Int) -> Bool {
        let t = text(i).lowercased()
        return t == "true" || t == "false"
    }
}
