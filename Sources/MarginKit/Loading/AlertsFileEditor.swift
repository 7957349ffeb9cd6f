import Foundation
import Yams

/// Saves new alert levels into a user's portfolio file without destroying it: values that are
/// there are rewritten in place (comments, order, style and everything outside `alerts:` kept
/// byte for byte), and only missing fields are added, in the style of their surroundings.
///
/// A JSON file (or a YAML file written as one flow mapping, `{…}`) is edited as JSON: keys and
/// words are double-quoted and a missing `alerts` object goes inside the outer braces, so the
/// result is still JSON. Aliases and anchors in the `alerts` block are refused (an edit there
/// would change other places too).
public enum AlertsFileEditor {
    /// One field of the `alerts:` block and its value in `t`.
    struct Field {
        let path: [String]
        let value: String
    }

    /// Every level of the schema, in file order, with its value in `t`.
    static func fields(_ t: AlertThresholds) -> [Field] {
        ThresholdSchema.descriptors.map { Field(path: $0.path, value: $0.text(in: t)) }
    }

    /// The text of a portfolio file with its alert levels set to `t`.
    /// - Throws: `MarginWatchError.invalidContent` when the text is not a portfolio mapping.
    public static func update(text original: String, with t: AlertThresholds, name: String) throws -> String {
        // Windows line ends and a byte-order mark are kept: edited as plain LF text, put back after.
        let bom = original.hasPrefix("\u{FEFF}")
        var body = bom ? String(original.dropFirst()) : original
        let crlf = body.contains("\r\n")
        if crlf { body = body.replacingOccurrences(of: "\r\n", with: "\n") }
        // Other line breaks (a lone CR, NEL, LS, PS) count as lines for YAML but not for the
        // editor's offsets: refuse rather than write in the wrong place.
        if body.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw MarginWatchError.invalidContent(SourceLocation(file: name),
                "cannot save alert levels: the file has unusual line breaks (a lone CR, NEL, LS or PS); edit its alerts block by hand")
        }
        var edited = try edit(text: body, with: t, name: name)
        if crlf { edited = edited.replacingOccurrences(of: "\n", with: "\r\n") }
        if bom { edited = "\u{FEFF}" + edited }
        // YAML has layouts no text edit can follow safely (comments inside flow mappings, odd
        // plain scalars): the result must load back as the same portfolio with the new levels,
        // or the file is left alone with a reason.
        // A levels-only file (the account comes from the exchange, `--account binance`) has no
        // account or positions of its own: it is checked as such.
        let complete = (try? PortfolioLoader.load(text: original, name: name)) != nil
        let sources = complete ? PortfolioSources() : PortfolioSources(accountFromExchange: true)
        guard let before = try? PortfolioLoader.load(text: original, name: name, sources: sources).portfolio else {
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: the file does not load as a portfolio")
        }
        var expected = before
        expected.alerts = t
        guard (try? PortfolioLoader.load(text: edited, name: name, sources: sources).portfolio) == expected else {
            throw MarginWatchError.invalidContent(SourceLocation(file: name),
                "cannot save alert levels: the file's layout is not one the editor can change safely; edit its alerts block by hand")
        }
        return edited
    }

    /// The edit itself, unchecked (`update` checks it).
    static func edit(text original: String, with t: AlertThresholds, name: String) throws -> String {
        // Lines are added after the last line of a block: let every line end with a newline.
        let text = original.isEmpty || original.hasSuffix("\n") ? original : original + "\n"
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch {
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: the file no longer parses")
        }
        guard case .mapping(let top)? = root else {
            throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: the file is not a mapping")
        }
        let lines = Lines(text)
        let flow = root.flatMap { $0.mark }.flatMap { lines.offset($0) }.flatMap { lines.byte(at: $0) } == UInt8(ascii: "{")
        let q = Quoting(json: flow)
        let alertsEntry = top.first(where: { $0.key.string == "alerts" })
        if let alertsEntry, Self.hasAlias(alertsEntry.value, lines: lines) {
            throw MarginWatchError.invalidContent(SourceLocation(file: name),
                "cannot save alert levels: the alerts block uses YAML anchors or aliases; edit it by hand")
        }
        guard let alertsNode = alertsEntry?.value, case .mapping(let alerts) = alertsNode else {
            if flow {
                // JSON: `"alerts": null` becomes the object; a missing key goes inside the outer braces.
                if let value = alertsEntry?.value, let e = replacement(of: value, with: q.object(fields(t)), lines: lines, quoting: nil) {
                    return apply([(e.offset, e.remove, e.insert, 0)], to: text)
                }
                guard alertsEntry == nil, let root, let e = flowAppend("\(q.key("alerts")): " + q.object(fields(t)), into: root, inner: top, lines: lines) else {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: alerts is not an object")
                }
                return apply([(e.offset, e.remove, e.insert, 0)], to: text)
            }
            // No alerts block (or an empty one): add a whole block at the end.
            var out = text
            if alertsEntry != nil {
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
        // A level the block leaves out is at its default: it is added only when it changed, so
        // saving one level does not write every level into the user's file.
        let defaults = Set(fields(AlertThresholds()).map { $0.path + [$0.value] })
        func changed(_ f: Field) -> Bool { !defaults.contains(f.path + [f.value]) }
        var byParent: [String: [Field]] = [:]
        var order: [String] = []
        for f in all {
            if byParent[f.path[0]] == nil { order.append(f.path[0]) }
            byParent[f.path[0], default: []].append(f)
        }
        for key in order {
            let group = byParent[key] ?? []
            guard let value = alerts.first(where: { $0.key.string == key })?.value else {
                let changedGroup = group.filter(changed)
                if !changedGroup.isEmpty { missingTop.append((key, changedGroup)) }
                continue
            }
            if group.count == 1 && group[0].path.count == 1 {
                guard let e = replacement(of: value, with: group[0].value, lines: lines, quoting: q) else {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: alerts.\(key) is not a value")
                }
                edits.append((e.offset, e.remove, e.insert, 1))
                continue
            }
            guard case .mapping(let inner) = value else {
                // `margin_ratio: ~` or a value of the wrong shape: write the pair in its place.
                guard let e = replacement(of: value, with: q.object(group, level: 1), lines: lines, quoting: nil) else {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: alerts.\(key) is not a mapping")
                }
                edits.append((e.offset, e.remove, e.insert, 1))
                continue
            }
            var missing: [Field] = []
            for f in group {
                if let leaf = inner.first(where: { $0.key.string == f.path[1] })?.value {
                    guard let e = replacement(of: leaf, with: f.value, lines: lines, quoting: q) else {
                        throw MarginWatchError.invalidContent(SourceLocation(file: name),
                            "cannot save alert levels: alerts.\(key).\(f.path[1]) is not a value")
                    }
                    edits.append((e.offset, e.remove, e.insert, 2))
                } else if changed(f) {
                    missing.append(f)
                }
            }
            if !missing.isEmpty {
                guard let e = insertion(missing.map { "\(q.key($0.path[1])): \(q.value($0.value))" }, into: value, inner: inner, lines: lines) else {
                    throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: cannot add to alerts.\(key)")
                }
                edits.append((e.offset, e.remove, e.insert, 1))
            }
        }
        if !missingTop.isEmpty {
            let entries = missingTop.map { key, group -> String in
                group.count == 1 && group[0].path.count == 1 ? "\(q.key(key)): \(q.value(group[0].value))"
                    : "\(q.key(key)): " + q.object(group, level: 1)
            }
            guard let e = insertion(entries, into: alertsNode, inner: alerts, lines: lines) else {
                throw MarginWatchError.invalidContent(SourceLocation(file: name), "cannot save alert levels: cannot add to alerts")
            }
            edits.append((e.offset, e.remove, e.insert, 0))
        }
        return apply(edits, to: text)
    }

    /// Applies byte edits, later offsets first; at one offset, an inner field's text goes first.
    /// Edits that reach outside the text or overlap leave it as it is (the check after the edit
    /// then refuses the save) instead of trapping.
    private static func apply(_ edits: [(offset: Int, remove: Int, insert: String, depth: Int)], to text: String) -> String {
        var utf8 = Array(text.utf8)
        var limit = utf8.count
        for edit in edits.sorted(by: { $0.offset != $1.offset ? $0.offset > $1.offset : $0.depth < $1.depth }) {
            guard edit.offset >= 0, edit.remove >= 0, edit.offset + edit.remove <= limit else { return text }
            utf8.replaceSubrange(edit.offset..<(edit.offset + edit.remove), with: Array(edit.insert.utf8))
            limit = edit.offset
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// How keys and values are spelled: bare in YAML, double-quoted where the file is JSON.
    struct Quoting {
        let json: Bool
        func key(_ k: String) -> String { json ? "\"\(k)\"" : k }
        /// Numbers stay bare; words (`close_all`) are quoted in JSON.
        func value(_ v: String) -> String { json && Double(v) == nil ? "\"\(v)\"" : v }
        /// `{warn: 2, critical: 1.5}` of fields at `level` of their path; the whole alerts object at 0.
        func object(_ fields: [Field], level: Int = 0) -> String {
            var parts: [String] = []
            var seen = Set<String>()
            for f in fields where !seen.contains(f.path[level]) {
                seen.insert(f.path[level])
                if f.path.count == level + 1 {
                    parts.append("\(key(f.path[level])): \(value(f.value))")
                } else {
                    parts.append("\(key(f.path[level])): " + object(fields.filter { $0.path[level] == f.path[level] }, level: level + 1))
                }
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    /// Whether a node or anything under it is an alias or carries an anchor (`&a`, `*a`).
    private static func hasAlias(_ node: Node, lines: Lines) -> Bool {
        if let mark = node.mark, let offset = lines.offset(mark), let b = lines.byte(at: offset),
           b == UInt8(ascii: "*") || b == UInt8(ascii: "&") {
            return true
        }
        switch node {
        case .mapping(let m): return m.contains { hasAlias($0.key, lines: lines) || hasAlias($0.value, lines: lines) }
        case .sequence(let s): return s.contains { hasAlias($0, lines: lines) }
        default: return false
        }
    }

    /// Adds one `key: value` entry at the end of a multi-line flow mapping (JSON's outer object),
    /// after its last value, indented like its first key.
    private static func flowAppend(_ entry: String, into node: Node, inner: Node.Mapping, lines: Lines) -> (offset: Int, remove: Int, insert: String)? {
        guard let start = node.mark, let startOffset = lines.offset(start),
              lines.byte(at: startOffset) == UInt8(ascii: "{"), let close = lines.matchingBrace(from: startOffset) else { return nil }
        var end = close
        while end > startOffset + 1, let b = lines.byte(at: end - 1), b == 32 || b == 9 || b == 10 || b == 13 { end -= 1 }
        // After a comment the entry would be commented out: refuse rather than guess (JSON has none).
        guard !lines.inComment(end) else { return nil }
        // A trailing comma already there (YAML allows one) is the separator.
        let separator = inner.isEmpty || lines.byte(at: end - 1) == UInt8(ascii: ",") ? "" : ","
        if let firstKey = inner.first?.key.mark, firstKey.line != start.line {
            return (end, 0, separator + "\n" + String(repeating: " ", count: firstKey.column - 1) + entry)
        }
        return (end, 0, separator + (inner.isEmpty ? "" : " ") + entry)
    }

    /// Rewrites a scalar's text where it stands. A quoted value keeps its quotes; a bare word
    /// in JSON gets double quotes. `quoting` nil: insert `value` as it is (a whole object).
    private static func replacement(of node: Node, with value: String, lines: Lines, quoting: Quoting?) -> (offset: Int, remove: Int, insert: String)? {
        guard case .scalar(let scalar) = node, let mark = scalar.mark, let offset = lines.offset(mark) else { return nil }
        let length: Int
        var text = quoting?.value(value) ?? value
        switch scalar.style {
        case .singleQuoted:
            length = lines.quotedLength(at: offset)
            if quoting != nil { text = "'\(value)'" }
        case .doubleQuoted:
            length = lines.quotedLength(at: offset)
            if quoting != nil { text = "\"\(value)\"" }
        case .plain:
            // A plain scalar's text is on one line here (the editor's values); take what stands.
            length = lines.plainLength(at: offset, expected: scalar.string)
            guard length >= 0 else { return nil }
        default:
            return nil  // block scalars (| >): not a value the editor writes over
        }
        return (offset, length, text)
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
