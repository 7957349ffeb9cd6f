import Foundation

/// Runs the monitor on the terminal: the loop that reads keys, pumps the feed, redraws only on
/// change, rings the bell on new criticals, and restores the terminal on every way out.
public final class MonitorApp {
    let controller: MonitorController
    let screen: Screen

    public init(controller: MonitorController) throws {
        self.controller = controller
        screen = try Screen()
        // Braille dots need UTF-8; otherwise the chart draws in ASCII.
        controller.ui.unicode = screen.unicode
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs until `q`, Ctrl-C or SIGTERM. - Returns: the signal that stopped it, if any.
    public func run() -> Int32? {
        defer {
            controller.engine.close()
            screen.restore()
        }
        let engine = controller.engine
        var now = Self.now()
        engine.pump(wall: now)
        var frame = controller.render(width: screen.size.width, height: screen.size.height, now: now)
        screen.present(frame)
        if ProcessInfo.processInfo.environment["MARGINWATCH_TEST_CRASH"] == "after-first-frame" {
            // A test hook: proves the crash handlers give the terminal back (Scripts/e2e/tui.sh).
            preconditionFailure("crash requested by MARGINWATCH_TEST_CRASH for the terminal-restore test")
        }
        var lastDraw = now
        var criticals = engine.criticalCount
        while !controller.quit {
            if let signal = TerminalSignals.stopRequested { return signal }
            var dirty = false
            if let code = screen.readKey(timeout: timeout()) {
                var next: Int32? = code
                // Take every key already typed before drawing again.
                while let c = next {
                    if let key = KeyDecoding.decode(c) {
                        if key == .resize { screen.invalidate() }
                        dirty = controller.handle(key, now: Self.now()) || dirty
                    }
                    next = controller.quit ? nil : screen.readKey(timeout: 0)
                }
            }
            if controller.quit { break }
            now = Self.now()
            dirty = engine.pump(wall: now) || dirty
            if engine.criticalCount > criticals {
                if controller.ui.bell { screen.bell() }
                criticals = engine.criticalCount
            }
            // Redraw on change, and at least once a second (clock, staleness, messages).
            if dirty || now - lastDraw >= 1 {
                let size = screen.size
                let next = controller.render(width: size.width, height: size.height, now: now)
                if next != frame {
                    screen.present(next)
                    frame = next
                }
                lastDraw = now
            }
        }
        return nil
    }

    /// How long to wait for a key: until the next simulated tick is due, never long enough to
    /// make a key wait more than 100 ms, and not at all at `max` speed.
    func timeout() -> Int {
        let engine = controller.engine
        if engine.paused || engine.ended { return 250 }
        switch engine.source {
        case .standardInput, .exchange: return 50
        case .simulated, .tapes, .other:
            guard case .times(let x) = engine.speed else { return 0 }
            let interval = engine.source == .simulated ? Double(engine.loaded.portfolio.feed.intervalMs) : 100
            return max(5, min(100, Int(interval / x)))
        }
    }
}
