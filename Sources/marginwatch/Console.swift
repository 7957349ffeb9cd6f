import Foundation
import MarginKit

/// Standard output and error for the command-line front end.
enum Console {
    /// Writes one line to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints `marginwatch: error: MESSAGE` and exits with `code`.
    static func fail(_ message: String, code: Int32) -> Never {
        error("marginwatch: error: " + message)
        exit(code)
    }

    /// Prints each warning as `marginwatch: warning: …`, on one line whatever it quotes (a
    /// hostile tape's symbol may hold an escape sequence: it is spelled out, never sent).
    static func warn(_ warnings: [String]) {
        for w in warnings { error("marginwatch: warning: " + PrintableText.escaped(w)) }
    }
}
