/// Parses durations: `500ms`, `30s`, `10m`, `2h`, `1d` (a decimal number is allowed: `1.5s`).
/// Returns milliseconds, or nil when the text is not such a duration.
public func parseDurationMilliseconds(_ text: String) -> Int64? {
    let units: [(suffix: String, ms: Double)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
    for unit in units where text.hasSuffix(unit.suffix) {
        let number = text.dropLast(unit.suffix.count)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite else { return nil }
        let ms = (value * unit.ms).rounded()
        guard ms < 1e15 else { return nil }
        return Int64(ms)
    }
    return nil
}
