/// The one parser of times, for tapes, `--from`/`--to` and the monitor's go-to prompt.
///
/// Accepted spellings, all to epoch milliseconds:
/// - ISO-8601: `YYYY-MM-DD`, then optionally `T`, `t` or a space and `HH:MM[:SS[.fraction]]`
///   (any number of fraction digits, `.` or `,`), then optionally a zone `Z`, `±HH:MM`, `±HHMM`
///   or `±HH`; naive means UTC. Fraction digits past the millisecond are truncated
///   (`.123999` is `.123`), as epoch microseconds are.
/// - In tapes, an epoch number read by its number of digits: ≤ 11 seconds, 12–14 milliseconds,
///   15–17 microseconds, 18–19 nanoseconds; seconds or milliseconds may carry a decimal fraction.
/// - On the command line and at the prompt, digits are epoch milliseconds (the contract's rule).
///
/// An impossible date or time (month 13, 30 February, hour 24, minute 60) is refused: nil.
public enum TimeParser {
    /// A tape field. - Complexity: O(length), no allocation.
    @inline(__always)
    public static func tape(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        if let ms = epoch(b) { return ms }
        return iso(b)
    }

    /// A command-line or prompt TIME: ISO-8601, or digits as epoch milliseconds.
    public static func argument(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Int64? in
            let b = UnsafeBufferPointer(buffer)
            if !b.isEmpty, b.allSatisfy({ $0 &- 48 < 10 }) {
                guard b.count <= 18 else { return nil }
                return ByteScanning.integer(b)
            }
            return iso(b)
        }
    }

    /// What `argument` accepts, in words, for error messages.
    public static let argumentSpellings = "ISO-8601 (2022-11-08, 2022-11-08T16:00:00.000Z, +02:00 offsets; naive means UTC) or epoch milliseconds"

    /// Digits (with an optional fraction for seconds and milliseconds) read by magnitude.
    static func epoch(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        var i = 0
        var whole: Int64 = 0
        while i < n, b[i] &- 48 < 10 {
            guard i < 19 else { return nil }
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b[i] &- 48))
            guard !o1, !o2 else { return nil }
            whole = a
            i += 1
        }
        let digits = i
        guard digits > 0 else { return nil }
        var fractionMs: Int64 = 0
        if i < n {
            guard b[i] == UInt8(ascii: "."), digits <= 14 else { return nil }
            i += 1
            // Seconds keep three fraction digits (ms); milliseconds drop theirs.
            let keep = digits <= 11 ? 3 : 0
            var count = 0
            while i < n, b[i] &- 48 < 10 {
                if count < keep { fractionMs = fractionMs * 10 + Int64(b[i] &- 48) }
                count += 1
                i += 1
            }
            guard count > 0, i == n else { return nil }
            for _ in 0..<max(0, keep - count) { fractionMs *= 10 }
        }
        switch digits {
        case 1...11: return whole * 1_000 + fractionMs
        case 12...14: return whole
        case 15...17: return whole / 1_000
        default: return whole / 1_000_000
        }
    }

    /// ISO-8601 as described above.
    public static func iso(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let n = b.count
        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let d = b[i + k] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var ms = Int64(ByteScanning.daysFromCivil(year: year, month: month, day: day)) * 86_400_000
        if i == n { return ms }
        guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        var second = 0
        if expect(UInt8(ascii: ":")) {
            guard let s = digits(2), s < 60 else { return nil }
            second = s
        }
        var millis = 0
        if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
            var count = 0
            while i < n, b[i] &- 48 < 10 {
                if count < 3 { millis = millis * 10 + Int(b[i] &- 48) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in 0..<max(0, 3 - count) { millis *= 10 }
        }
        ms += Int64(hour * 3_600_000 + minute * 60_000 + second * 1_000 + millis)
        if i == n { return ms }
        if expect(UInt8(ascii: "Z")) || expect(UInt8(ascii: "z")) { return i == n ? ms : nil }
        let sign: Int64
        if expect(UInt8(ascii: "+")) { sign = 1 } else if expect(UInt8(ascii: "-")) { sign = -1 } else { return nil }
        guard let zoneHours = digits(2), zoneHours <= 23 else { return nil }
        var zoneMinutes = 0
        if i < n {
            _ = expect(UInt8(ascii: ":"))
            guard let m = digits(2), m < 60, i == n else { return nil }
            zoneMinutes = m
        }
        return ms - sign * Int64(zoneHours * 3_600_000 + zoneMinutes * 60_000)
    }

    /// Days in a month of the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
