import Foundation

/// A value inside a JSON document, with the path that leads to it (`[3].brackets[0].cum`), so
/// every complaint about an exchange response names the file and the field.
struct JSONField {
    let value: Any
    let path: String
    let file: String

    /// Parses a whole document. - Throws: `.invalidContent` naming the file (and, for a syntax
    /// error, the line and column Foundation reports).
    static func parse(_ data: Data, file: String) throws -> JSONField {
        do {
            let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return JSONField(value: value, path: "", file: file)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw MarginWatchError.invalidContent(SourceLocation(file: file),
                                                  "not JSON" + (detail.map { ": \($0)" } ?? ""))
        }
    }

    func fail(_ message: String) -> MarginWatchError {
        .invalidContent(SourceLocation(file: file), path.isEmpty ? message : "\(path): \(message)")
    }

    /// The field `key` of this object; nil when absent or null.
    subscript(key: String) -> JSONField? {
        guard let object = value as? [String: Any], let v = object[key], !(v is NSNull) else { return nil }
        return JSONField(value: v, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    func require(_ key: String) throws -> JSONField {
        guard value is [String: Any] else { throw fail("expected an object") }
        guard let field = self[key] else { throw fail("\(key) is missing") }
        return field
    }

    var isObject: Bool { value is [String: Any] }

    func array() throws -> [JSONField] {
        guard let items = value as? [Any] else { throw fail("expected a list") }
        return items.enumerated().map { JSONField(value: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws -> String {
        guard let text = value as? String else { throw fail("expected a string") }
        return text
    }

    /// A number, given as a JSON number or (as Binance sends most) a decimal string; finite, and
    /// accepted by `valid` (whose requirement `need` the message gives).
    func number(_ need: String = "a number", _ valid: (Double) -> Bool = { _ in true }) throws -> Double {
        let parsed: Double?
        switch value {
        case let text as String:
            // Decimal digits only: Swift's Double("0x10") would read hexadecimal as 16.
            let plain = text.trimmingCharacters(in: .whitespaces)
            parsed = plain.utf8.allSatisfy { Self.decimalBytes.contains($0) } ? Double(plain) : nil
        case let number as NSNumber: parsed = isBoolean ? nil : number.doubleValue
        default: parsed = nil
        }
        guard let number = parsed, number.isFinite else { throw fail("expected \(need) (got \(shown))") }
        guard valid(number) else { throw fail("expected \(need) (got \(number))") }
        return number
    }

    /// The value as the message quotes it (strings quoted, cut at 40 characters).
    private var shown: String {
        let text = value is String ? "\"\(value)\"" : isBoolean ? "\((value as? Bool) ?? false)" : "\(value)"
        return PrintableText.escaped(text.count > 40 ? String(text.prefix(40)) + "…" : text)
    }

    /// JSON `true`/`false` (Foundation on Linux gives every number `is Bool` too: told apart by
    /// the NSNumber's type code).
    private var isBoolean: Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" || type(of: value) == Bool.self
    }

    private static let decimalBytes = Set("0123456789.eE+-".utf8)

    func bool() throws -> Bool {
        if isBoolean, let flag = value as? Bool { return flag }
        if let text = value as? String, text == "true" || text == "false" { return text == "true" }
        throw fail("expected true or false")
    }
}
