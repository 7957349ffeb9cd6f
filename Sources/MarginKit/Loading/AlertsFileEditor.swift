import Foundation
import Yams

/// Saves new alert levels into a user's portfolio file without destroying it: values that are
/// there are rewritten in place (comments, order, style and everything outside `alerts:` kept
/// byte for byte), and only missing fields are added, in the style of their surroundings.
public enum AlertsFileEditor {
    /// One field of the `alerts:` block and its value in `t`.
    struct Field {
        let path: [String]
        let value: String
    }

    static func fields(_ t: AlertThresholds) -> [Field] {
        func n(_ v: Double) -> String { JSONValue.format(v) }
        return [
            Field(path: ["margin_ratio", "warn"], value: n(t.marginRatio.warn)),
            Field(path: ["margin_ratio", "critical"], value: n(t.marginRatio.critical)),
            Field(path: ["free_margin_pct", "warn"], value: n(t.freeMarginPct.warn)),
            Field(path: ["free_margin_pct", "critical"], value: n(t.freeMarginPct.critical)),
            Field(path: ["liquidation_distance_pct", "warn"], value: n(t.liquidationDistancePct.warn)),
            Field(path: ["liquidation_distance_pct", "critical"], value: n(t.liquidationDistancePct.critical)),
            Field(path: ["position_mm_pct", "warn"], value: n(t.positionMMPctWarn)),
            Field(path: ["soft_stop_loss_pct"], value: n(t.softStopLossPct)),
            Field(path: ["soft_stop_action"], value: t.softStopAction.rawValue),
            Field(path: ["hysteresis_pct"], value: n(t.hysteresisPct)),
        ]
    }

    /// The text of a portfolio file with its alert levels set to `t`.
    /// - Throws: `MarginWatchError.invalidContent` when the text is not a portfolio mapping.
    public static func update(text original: String, with t: AlertThresholds, name: String) throws -> String {
        // Lines are added after the last line of a block: let every line end with a newline.
        let text = original.isEmpty || original.hasSuffix("\n") ? original : original + "\n"
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: the file no longer parses")
        }
        guard case .mapping(let top)? = root else {
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: the file is not a mapping")
        }
        let lines = Lines(text)
        guard let alertsNode = top.first(where: { $0.key.string == "alerts" })?.value,
              case .mapping(let alerts) = alertsNode else {
            // No alerts block (or an empty one): add a whole block at the end.
            var out = text
            if top.contains(where: { $0.key.string == "alerts" }) {
                // `alerts:` with no value: put the block under it.
                return try replaceEmptyAlerts(text: text, t: t, name: name)
            }
            if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
            return out + "alerts:\n" + blockLines(fields(t), indent: "  ")
        }
        // `depth` orders insertions at one offset: an inner field's line must come before a new top-level one.
        var edits: [(offset: Int, remove: Int, insert: String, depth: Int)] = []
        var missingTop: [(String, [Field])] = []
        let all = fields(t)
        var byParent: [String: [Field]] = [:]
        var order: [String] = []
        for f in all {
            if byParent[f.path[0]] == nil { order.append(f.path[0]) }
            byParent[f.path[0], default: []].append(f)
        }
        for key in order {
            let group = byParent[key] ?? []
            guard let value = alerts.first(where: { $0.key.string == key })?.value else {
                missingTop.append((key, group))
                continue
            }
            if group.count == 1 && group[0].path.count == 1 {
                if let e = replacement(of: value, with: group[0].value, lines: lines) { edits.append((e.offset, e.remove, e.insert, 1)) }
                continue
            }
            guard case .mapping(let inner) = value else { continue }
            var missing: [Field] = []
            for f in group {
                if let leaf = inner.first(where: { $0.key.string == f.path[1] })?.value {
                    if let e = replacement(of: leaf, with: f.value, lines: lines) { edits.append((e.offset, e.remove, e.insert, 2)) }
                } else {
                    missing.append(f)
                }
            }
            if !missing.isEmpty, let e = insertion(missing.map { "\($0.path[1]): \($0.value)" }, into: value, inner: inner, lines: lines) {
                edits.append((e.offset, e.remove, e.insert, 1))
            }
        }
        if !missingTop.isEmpty {
            let entries = missingTop.map { key, group -> String in
                group.count == 1 && group[0].path.count == 1 ? "\(key): \(group[0].value)"
                    : "\(key): {" + group.map { "\($0.path[1]): \($0.value)" }.joined(separator: ", ") + "}"
            }
            if let e = insertion(entries, into: alertsNode, inner: alerts, lines: lines) { edits.append((e.offset, e.remove, e.insert, 0)) }
        }
        var utf8 = Array(text.utf8)
        for edit in edits.sorted(by: { $0.offset != $1.offset ? $0.offset > $1.offset : $0.depth < $1.depth }) {
            utf8.replaceSubrange(edit.offset..<(edit.offset + edit.remove), with: Array(edit.insert.utf8))
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Rewrites a scalar's text where it stands (a quoted value keeps its quotes).
    private static func replacement(of node: Node, with value: String, lines: Lines) -> (offset: Int, remove: Int, insert: String)? {
        guard case .scalar(let scalar) = node, let mark = scalar.mark, let offset = lines.offset(mark) else { return nil }
        let length: Int
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: length = lines.quotedLength(at: offset)
        default: length = scalar.string.utf8.count
        }
        return (offset, length, value)
    }

    /// Adds `entries` (`key: value` texts) to a mapping: inside the braces of a flow mapping, or
    /// as new lines after the mapping's last line, indented like its keys.
    private static func insertion(_ entries: [String], into node: Node, inner: Node.Mapping, lines: Lines) -> (offset: Int, remove: Int, insert: String)? {
        guard let start = node.mark, let startOffset = lines.offset(start) else { return nil }
        if lines.byte(at: startOffset) == UInt8(ascii: "{") {
            guard let close = lines.matchingBrace(from: startOffset) else { return nil }
            let prefix = inner.isEmpty ? "" : ", "
            return (close, 0, prefix + entries.joined(separator: ", "))
        }
        let indent = inner.first.flatMap { $0.key.mark }.map { String(repeating: " ", count: $0.column - 1) } ?? "  "
        let lastLine = maxLine(node)
        let offset = lines.offsetAfterLine(lastLine)
        let needsNewline = offset > 0 && lines.byte(at: offset - 1) != UInt8(ascii: "\n")
        return (offset, 0, (needsNewline ? "\n" : "") + entries.map { indent + $0 + "\n" }.joined())
    }

    private static func maxLine(_ node: Node) -> Int {
        var line = node.mark?.line ?? 0
        switch node {
        case .mapping(let m):
            for (k, v) in m { line = max(line, maxLine(k), maxLine(v)) }
        case .sequence(let s):
            for v in s { line = max(line, maxLine(v)) }
        default: break
        }
        return line
    }

    private static func blockLines(_ fields: [Field], indent: String) -> String {
        var out = ""
        var emitted = Set<String>()
        for f in fields where !emitted.contains(f.path[0]) {
            emitted.insert(f.path[0])
            let group = fields.filter { $0.path[0] == f.path[0] }
            if f.path.count == 1 {
                out += "\(indent)\(f.path[0]): \(f.value)\n"
            } else {
                out += "\(indent)\(f.path[0]): {" + group.map { "\($0.path[1]): \($0.value)" }.joined(separator: ", ") + "}\n"
            }
        }
        return out
    }

    private static func replaceEmptyAlerts(text: String, t: AlertThresholds, name: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        guard let i = lines.firstIndex(where: { $0.hasPrefix("alerts:") }) else {
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: alerts: is not a mapping")
        }
        let comment = lines[i].range(of: "#").map { "  " + lines[i][$0.lowerBound...] } ?? ""
        lines[i] = "alerts:" + comment
        lines.insert(String(blockLines(fields(t), indent: "  ").dropLast()), at: i + 1)
        return lines.joined(separator: "\n")
    }
}

/// Byte offsets of lines and columns (columns in Unicode scalars, as Yams counts them).
private struct Lines {
    let bytes: [UInt8]
    let starts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var s = [0]
        for (i, b) in bytes.enumerated() where b == 10 { s.append(i + 1) }
        starts = s
    }

    func byte(at offset: Int) -> UInt8? { offset >= 0 && offset < bytes.count ? bytes[offset] : nil }

    /// The byte offset of a 1-based line and column.
    func offset(_ mark: Mark) -> Int? {
        guard mark.line >= 1, mark.line <= starts.count else { return nil }
        var offset = starts[mark.line - 1]
        var column = 1
        while column < mark.column, offset < bytes.count {
            // Step over one UTF-8 scalar.
            let b = bytes[offset]
            offset += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            column += 1
        }
        return offset
    }

    /// The offset just after line `line` (1-based) ends, past its newline.
    func offsetAfterLine(_ line: Int) -> Int {
        line < starts.count ? starts[line] : bytes.count
    }

    /// The length of a quoted scalar starting at `offset` (its quotes included).
    func quotedLength(at offset: Int) -> Int {
        guard let quote = byte(at: offset) else { return 0 }
        var i = offset + 1
        while i < bytes.count {
            if bytes[i] == quote {
                if quote == UInt8(ascii: "'"), byte(at: i + 1) == quote { i += 2; continue }
                return i - offset + 1
            }
            if quote == UInt8(ascii: "\""), bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            i += 1
        }
        return bytes.count - offset
    }

    /// The offset of the `}` closing the flow mapping that opens at `offset`.
    func matchingBrace(from offset: Int) -> Int? {
        var depth = 0
        var i = offset
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return i }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                i += quotedLength(at: i) - 1
            default: break
            }
            i += 1
        }
        return nil
    }
}
