import Cncurses
import Foundation

/// Why the monitor cannot start.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal(String)

    public var description: String {
        switch self {
        case .notATerminal(let why): return why
        }
    }
}

/// The one owner of ncurses: starts it on the terminal, copies frames to it (only the cells that
/// changed), reads keys, and restores the terminal on every way out.
public final class Screen {
    public let theme: Theme
    /// False when the locale cannot show box characters: views then use ASCII.
    public let unicode: Bool
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: Frame?
    private var pairs: [ColorRole: Int16] = [:]
    private var ended = false
    private let input: UnsafeMutablePointer<FILE>
    private let output: UnsafeMutablePointer<FILE>

    /// Starts ncurses with keys from `/dev/tty`, so standard input may carry ticks.
    /// - Throws: `TerminalError.notATerminal` when standard output is not a terminal or TERM is unusable.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError.notATerminal("the monitor needs a terminal: standard output is not a TTY "
                + "(use snapshot, stress or replay --headless for scripts)")
        }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else {
            throw TerminalError.notATerminal("the monitor needs a terminal: TERM is not set or is \"dumb\"")
        }
        guard let tty = fopen("/dev/tty", "r") else {
            throw TerminalError.notATerminal("the monitor needs a terminal: cannot open /dev/tty for the keyboard")
        }
        guard let out = fdopen(dup(STDOUT_FILENO), "w") else {
            fclose(tty)
            throw TerminalError.notATerminal("the monitor needs a terminal: cannot write to standard output")
        }
        setlocale(LC_ALL, "")
        TerminalSignals.install()
        guard let created = newterm(nil, out, tty) else {
            fclose(tty)
            fclose(out)
            throw TerminalError.notATerminal("the monitor needs a terminal: TERM=\(term) is not known to ncurses")
        }
        input = tty
        output = out
        screen = created
        set_term(created)
        guard let standard = cnc_stdscr() else {
            endwin()
            throw TerminalError.notATerminal("the monitor needs a terminal: ncurses gave no screen")
        }
        window = standard
        TerminalSignals.cursesStarted()
        unicode = cnc_locale_is_utf8() != 0
        cbreak()
        noecho()
        keypad(window, true)
        curs_set(0)
        set_escdelay(25)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(cnc_colors())
        }
        theme = Theme.choose(colors: colors, environment: environment)
        if theme.depth != .none {
            for (i, role) in ColorRole.allCases.enumerated() {
                let (fg, bg) = theme.colors(of: role)
                init_pair(Int16(i + 1), fg, bg)
                pairs[role] = Int16(i + 1)
            }
        }
        wclear(window)
    }

    deinit { restore() }

    /// The terminal's size now (ncurses updates it on SIGWINCH).
    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Copies `frame` to the terminal, touching only the cells that differ from the last frame;
    /// ncurses then sends only those.
    public func present(_ frame: Frame) {
        let full = previous.map { $0.width != frame.width || $0.height != frame.height } ?? true
        if full { werase(window) }
        for y in 0..<frame.height {
            var x = 0
            while x < frame.width {
                if !full, let old = previous, old[x, y] == frame[x, y] { x += 1; continue }
                // A run of changed cells in one style.
                let style = frame[x, y].style
                var text = ""
                var end = x
                while end < frame.width, frame[end, y].style == style,
                      full || previous.map({ $0[end, y] != frame[end, y] }) ?? true {
                    text.append(unicode ? frame[end, y].character : Self.ascii(frame[end, y].character))
                    end += 1
                }
                // The bottom-right cell cannot be written without scrolling on some terminals.
                if y == frame.height - 1 && end == frame.width && !text.isEmpty { text.removeLast() }
                apply(style)
                _ = mvwaddstr(window, Int32(y), Int32(x), text)
                x = end
            }
        }
        wattr_set(window, 0, 0, nil)
        wnoutrefresh(window)
        doupdate()
        previous = frame
    }

    /// Forgets what is on the terminal, so the next frame is drawn whole (after a resize).
    public func invalidate() { previous = nil }

    private func apply(_ style: Style) {
        let (bold, reverse, underline) = theme.fallbackAttributes(of: style)
        var attributes: attr_t = 0
        if bold { attributes |= cnc_attr_bold() }
        if reverse { attributes |= cnc_attr_reverse() }
        if underline { attributes |= cnc_attr_underline() }
        wattr_set(window, attributes, pairs[style.role] ?? 0, nil)
    }

    /// ASCII stand-ins for a locale without UTF-8.
    static func ascii(_ c: Character) -> Character {
        switch c {
        case "▲": return "^"
        case "▼": return "v"
        case "█", "▓": return "#"
        case "░", "·": return "."
        case "—", "─": return "-"
        case "→": return ">"
        case "│": return "|"
        case "┌", "┐", "└", "┘": return "+"
        case "┄": return "-"
        case "■": return "#"
        case "…": return "~"
        case "▶": return ">"
        case "‖": return "="
        case "⚠": return "!"
        case "≤": return "<"
        default: return c.isASCII ? c : "?"
        }
    }

    /// The next key, waiting at most `milliseconds` (0: do not wait); nil when none came.
    public func readKey(timeout milliseconds: Int) -> Int32? {
        wtimeout(window, Int32(max(0, milliseconds)))
        let key = wgetch(window)
        return key == ERR ? nil : key
    }

    /// Rings the terminal bell.
    public func bell() { beep() }

    /// Leaves curses mode and gives the terminal back as it was (idempotent).
    public func restore() {
        guard !ended else { return }
        ended = true
        endwin()
        TerminalSignals.cursesEnded()
        delscreen(screen)
        fclose(input)
        fclose(output)
    }
}
