import DequeModule
import MarginKit

/// The alert log, newest first: time, level, rule, message; critical red, warn yellow, clears green.
enum AlertLogView {
    static func levelLabel(_ e: LogEntry) -> (String, Style) {
        switch e.kind {
        case .cleared: return e.stillWarn ? ("→WARN", Style(.warn, bold: true)) : ("CLEAR", Style(.ok))
        case .raised: return e.level == .critical ? ("CRIT", Style(.critical, bold: true)) : ("WARN", Style(.warn, bold: true))
        case .stopLoss: return ("STOP", Style(.critical, bold: true))
        case .softStop: return ("SOFT", Style(.critical, bold: true))
        case .liquidation: return ("LIQ", Style(.critical, bold: true, reverse: true))
        case .delivery: return ("FAIL", Style(.warn, bold: true))
        case .account: return ("ACCT", Style(.accent))
        }
    }

    static func time(_ t: Int64) -> String {
        let text = TimeText.readable(t)  // 2022-11-08 18:39:59.999
        return String(text.dropFirst(5).dropLast(4))  // 11-08 18:39:59
    }

    static func render(_ entries: Deque<LogEntry>, title: String, hidden: Bool = false, into f: inout Frame, rect: Rect, scroll: Int = 0) {
        guard rect.height > 0 else { return }
        f.put(" " + title, x: rect.x, y: rect.y, style: .heading)
        let rows = rect.height - 1
        guard rows > 0 else { return }
        if entries.isEmpty {
            f.put(" none yet: every rule is ok", x: rect.x, y: rect.y + 1, style: .dim)
            return
        }
        for (i, e) in entries.reversed().dropFirst(scroll).prefix(rows).enumerated() {
            let y = rect.y + 1 + i
            f.put(" " + time(e.time), x: rect.x, y: y, style: .dim)
            let (label, labelStyle) = levelLabel(e)
            f.put(label, x: rect.x + 16, y: y, style: labelStyle)
            f.put(e.rule?.shortName ?? (e.kind == .account ? "account" : "delivery"), x: rect.x + 22, y: y, style: .dim, limit: rect.x + 34)
            let x = rect.x + 35
            let style = e.kind == .cleared && !e.stillWarn ? Style(.ok) : e.level == .critical ? Style(.critical) : Style(.warn)
            // A message wider than the room ends in … (never a word silently cut in half).
            let text = hidden ? e.messageWithoutMoney : e.message
            let room = rect.x + rect.width - x
            let shown = text.count > room && room > 1 ? String(text.prefix(room - 1)) + "…" : text
            f.put(shown, x: x, y: y, style: style, limit: rect.x + rect.width)
        }
    }
}
