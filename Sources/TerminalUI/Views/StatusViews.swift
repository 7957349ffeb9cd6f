import MarginKit

/// The banner that cannot be missed, the feed-status line and the key hints.
enum StatusViews {
    static func banner(_ entry: LogEntry, hidden: Bool, into f: inout Frame, y: Int) {
        f.fill(Rect(x: 0, y: y, width: f.width, height: 1), style: Style(.banner, bold: true, reverse: true))
        let text = "■ \(hidden ? entry.messageWithoutMoney : entry.message) at \(TimeText.readable(entry.time).dropLast(4)) ■"
        f.put(text, x: max(0, (f.width - text.count) / 2), y: y, style: Style(.banner, bold: true, reverse: true))
    }

    static func feed(_ s: MonitorSnapshot, message: String?, into f: inout Frame, y: Int) {
        var x = 0
        let connection = s.feed.link.flatMap { link -> LinkStatus? in
            switch s.feed.state {
            case .live, .stale, .waiting: return link
            default: return nil
            }
        }
        if let link = connection, let problem = link.problem {
            // A problem the trader must act on (a refused key) is the news: the connection's state
            // shrinks to its phase and the problem gets the rest of the line.
            x = f.put(" " + Self.linkText(link, short: true), x: x, y: y, style: Style(Self.linkRole(link), bold: true))
            let text = Panel.wrap("! " + problem, width: max(1, f.width - x - 3), lines: 1).first ?? ""
            f.put("  " + text, x: x, y: y, style: Style(.critical, bold: true))
            return
        }
        if let link = connection {
            // The connection says itself whether the numbers are current, and why not.
            x = f.put(" " + Self.linkText(link), x: x, y: y, style: Style(Self.linkRole(link), bold: true))
        } else {
        switch s.feed.state {
        case .waiting: x = f.put(" … WAITING for the first tick", x: x, y: y, style: Style(.warn, bold: true))
        case .live: x = f.put(s.feed.isReplay ? " ▶ PLAYING" : " ● LIVE", x: x, y: y, style: Style(.ok, bold: true))
        case .frozen: x = f.put(" ❚❚ FROZEN — live feed continues", x: x, y: y, style: Style(.warn, bold: true))
        case .paused: x = f.put(" ‖ PAUSED", x: x, y: y, style: Style(.warn, bold: true))
        case .stale(let seconds): x = f.put(" ! STALE: no tick for \(seconds)s — numbers are old", x: x, y: y, style: Style(.critical, bold: true))
        case .ended: x = f.put(s.feed.isReplay ? " ■ TAPE ENDED — alerts kept; q quits" : " ■ FEED ENDED", x: x, y: y, style: Style(.warn, bold: true))
        case .failed(let why):
            // The reason is the news: it gets the whole line.
            f.put(" ! FEED ERROR: \(why)", x: x, y: y, style: Style(.critical, bold: true))
            return
        }
        }
        x = f.put("  \(s.feed.label)", x: x, y: y, style: .dim)
        if s.feed.badLines > 0 {
            x = f.put("  \(s.feed.badLines) bad line\(s.feed.badLines == 1 ? "" : "s")", x: x, y: y, style: Style(.warn, bold: true))
        }
        // A message (a refusal, a question) is the news: it takes the place of speed, clock and bar.
        if s.feed.isReplay && message == nil {
            x = f.put("  \(s.feed.speed)", x: x, y: y, style: .dim)
            if let t = s.feed.time { x = f.put("  " + String(TimeText.readable(t).dropLast(4)), x: x, y: y) }
            if let p = s.feed.progress {
                let width = max(0, min(20, f.width - x - 10))
                if width >= 5 {
                    x = f.put("  [", x: x, y: y, style: .dim)
                    let filled = Int((p * Double(width)).rounded())
                    x = f.put(String(repeating: "█", count: filled), x: x, y: y, style: Style(.accent))
                    x = f.put(String(repeating: "░", count: width - filled), x: x, y: y, style: .dim)
                    x = f.put("] " + NumberFormat.percent(p * 100, decimals: 0), x: x, y: y, style: .dim)
                }
            }
        }
        // A message takes only the room left: it never covers the clock or the progress.
        if let message, f.width - x > 4 {
            let room = f.width - x - 2
            let text = Panel.wrap(message, width: room, lines: 1).first ?? ""
            f.putRight(text + " ", right: f.width, y: y, style: Style(.accent, bold: true))
        }
    }

    /// `● LIVE 0.4 s ago, 85 ms`, `! STALE …`, `↻ RECONNECTING in 4 s (attempt 3) …`, `… CONNECTING`.
    static func linkText(_ link: LinkStatus, short: Bool = false) -> String {
        let text = short ? link.shortText : link.text
        switch link.phase {
        case .live: return "● " + text
        case .stale: return "! " + text + (short ? "" : " — numbers are old")
        case .reconnecting: return "↻ " + text
        case .connecting: return "… " + text
        case .idle: return "○ " + text
        }
    }

    static func linkRole(_ link: LinkStatus) -> ColorRole {
        switch link.phase {
        case .live: return .ok
        case .connecting, .idle: return .warn
        case .stale, .reconnecting: return .critical
        }
    }

    static let hints: [(String, String)] = [
        ("q", "quit"), ("?", "help"), ("space", "pause"), ("+/-", "speed"), ("↑↓", "select"), ("enter", "details"),
        ("t", "levels"), ("x", "stress"), ("i", "iso/cross"), ("a", "alerts"), ("s", "sort"), ("$", "hide"),
    ]

    static func footer(isReplay: Bool, into f: inout Frame, y: Int) {
        var x = 0
        var items = hints
        if isReplay { items.insert(("←→[]g", "step/seek/go"), at: 4) }
        for (key, what) in items {
            let width = key.count + what.count + 3
            if x + width > f.width { break }
            x = f.put(" " + key, x: x, y: y, style: Style(.accent, bold: true))
            x = f.put(" " + what + " ", x: x, y: y, style: .dim)
        }
    }

    static func tooSmall(into f: inout Frame) {
        let text = "terminal too small — need 80×24, have \(f.width)×\(f.height)"
        guard f.height > 0, f.width > 0 else { return }
        // One line when it fits, else a line per phrase, else cut to the width.
        let phrases = text.count <= f.width ? [text] : ["terminal too small", "need 80×24, have \(f.width)×\(f.height)"]
        let lines = phrases.map { String($0.prefix(f.width)) }
        for (i, line) in lines.prefix(f.height).enumerated() {
            f.put(line, x: 0, y: min(f.height - 1, f.height / 2 - lines.count / 2 + i), style: Style(.warn, bold: true))
        }
    }
}
