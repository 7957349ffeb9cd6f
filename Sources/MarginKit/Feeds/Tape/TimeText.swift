import Foundation

/// Formats and parses times for users: ISO-8601 UTC with milliseconds and `Z`.
public enum TimeText {
    /// `2022-11-09T03:00:00.000Z`, the contract's JSON time format.
    public static func iso(_ ms: Int64) -> String {
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = ms - days * 86_400_000
        // Civil from days (H. Hinnant).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let h = msOfDay / 3_600_000, m = msOfDay / 60_000 % 60, s = msOfDay / 1_000 % 60, f = msOfDay % 1_000
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", year, month, day, h, m, s, f)
    }

    /// `2022-11-09 03:00:00.000`, for aligned text timelines.
    public static func readable(_ ms: Int64) -> String {
        String(iso(ms).dropLast().replacingOccurrences(of: "T", with: " "))
    }

    /// A command-line TIME: ISO-8601 (naive means UTC) or, as digits, epoch milliseconds.
    public static func parseArgument(_ text: String) -> Int64? { TimeParser.argument(text) }
}
