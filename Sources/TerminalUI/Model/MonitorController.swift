import Foundation
import MarginKit

/// The monitor without the terminal: turns keys into changes of the engine and the screen state,
/// and builds each frame. `MonitorApp` connects it to a `Screen`; tests drive it directly.
public final class MonitorController {
    public let engine: MonitorEngine
    public var ui = MonitorUIState()
    /// Where `w` in the editor saves the alert levels.
    public let savePath: String
    private let saveTemplate: String
    static let levelsTemplate = """
        # Alert levels for `marginwatch watch --account binance --portfolio <this file>`:
        # the wallet and positions come from the exchange account.
        alerts:
          hysteresis_pct: 5

        """
    /// The portfolio file whose alerts block is rewritten (nil: the demo, saved as a new file).
    let portfolioPath: String?
    public private(set) var quit = false
    /// The text of the file as last loaded or saved (nil: the demo, not saved yet).
    private var savedText: String?

    /// Without a portfolio file, `w` writes a new one: a copy of the demo, or — watching an
    /// exchange account (`levelsOnly`) — a file of alert levels alone.
    public init(engine: MonitorEngine, portfolioPath: String?, bell: Bool = true, levelsOnly: Bool = false) {
        self.engine = engine
        self.portfolioPath = portfolioPath
        savePath = portfolioPath ?? (levelsOnly ? "binance-levels.yaml" : "demo-portfolio.yaml")
        saveTemplate = levelsOnly ? Self.levelsTemplate : DemoPortfolio.yaml
        savedText = portfolioPath == nil ? nil : engine.loaded.text
        ui.bell = bell
    }

    // MARK: frames

    public func snapshot(now: Double) -> MonitorSnapshot {
        // A frozen screen shows the account as it was (its groups too); the log and the status stay live.
        let session = frozen ?? engine.driver.replay.session
        let account = session.engine
        let needsIsolation = ui.overlay == .isolation || ui.overlay == .details
        var s = MonitorSnapshot(
            portfolioName: engine.loaded.source, feed: feedStatus(now: now), evaluation: account.evaluate(),
            thresholds: engine.thresholds, baseline: engine.summary.baselineEquity, log: engine.log, banner: engine.banner,
            moved: frozen != nil ? [:] : engine.markChanges.filter { now - $0.value.wall < 1.5 }.mapValues(\.up),
            stress: ui.overlay == .stress ? account.stress(shocks: Engine.defaultShocks) : nil,
            isolation: needsIsolation ? account.isolationComparison() : nil)
        s.chart = engine.chart
        s.unicode = ui.unicode
        if ui.overlay == .details {
            for (i, symbol) in account.symbols.enumerated() where i < engine.recentMarks.count {
                s.recentMarks[symbol] = Array(engine.recentMarks[i])
            }
        }
        if let link = engine.driver.link {
            for symbol in account.symbols { s.funding[symbol] = link.funding(of: symbol) }
        }
        if ui.overlay == .details, let link = engine.driver.link {
            let checks = link.account?.checks(for: s.evaluation, exchangeBrackets: engine.exchangeBrackets)
            for (i, p) in s.evaluation.positions.enumerated() {
                s.exchange[ExchangeRow.key(p.symbol, p.spec.side)] = ExchangeRow(funding: link.funding(of: p.symbol), check: checks?[i])
            }
        }
        let shares = account.shares(of: session.groups)
        s.groups = shares.indices.map { GroupOnScreen(share: shares[$0], level: session.groupAlertLevels[$0], index: $0) }
        if ui.overlay == .details, let tracker = session.correlations {
            let pairs = CorrelatedGroup.pairs(of: tracker.symbols).map { p in
                (a: account.symbols[p.low], b: account.symbols[p.high], value: tracker.correlation(p.low, p.high))
            }
            s.correlations = CorrelationsOnScreen(samples: tracker.count, needed: tracker.needed, sampleMs: tracker.sampleMs, pairs: pairs)
        }
        if ui.overlay == .deposit {
            let amount = DepositPanel.amount(ui.depositText)
            s.deposit = DepositPanelFigures(buffers: account.buffers(thresholds: engine.thresholds, groups: session.groups),
                                            now: account.crossWhatIf, amount: amount,
                                            after: amount.flatMap { account.depositing($0)?.crossWhatIf }, wallet: account.wallet)
        }
        return s
    }

    /// Levels changed live and not yet written by `w`; a first `q` then asks instead of quitting.
    private var levelsUnsaved = false
    private var askedToQuit = false

    /// The session as it was when the user froze a live feed's screen (nil: not frozen).
    private var frozen: RiskSession?

    /// A live feed cannot be paused (the market goes on): space freezes the screen instead.
    var isLiveFeed: Bool { engine.driver.live }

    public func render(width: Int, height: Int, now: Double) -> Frame {
        if now > ui.messageUntil { ui.message = nil }
        // An alert that may not have reached the trader is the news of the moment.
        if let problem = engine.takeDeliveryProblems().last { ui.say("⚠ " + problem, now: now, seconds: 8) }
        let count = engine.evaluation.positions.count
        ui.tablePage = max(1, MainView.tableRows(positions: count, banner: engine.banner != nil, height: height) - 1)
        // The isolated-vs-cross panel shows `panelPage` rows; scrolling stops where the last shows.
        ui.panelPage = Overlays.isolationRowsShown(rows: count, height: height)
        ui.panelScroll = min(ui.panelScroll, max(0, count - ui.panelPage))
        return MainView.render(snapshot(now: now), ui: ui, savePath: savePath, width: width, height: height, now: now)
    }

    func feedStatus(now: Double) -> FeedStatus {
        let label: String
        var source: String?
        switch engine.source {
        case .simulated: label = "SIM seed \(engine.loaded.portfolio.feed.seed)"
        case .tapes(let specs):
            label = "REPLAY"
            source = "REPLAY " + specs.map { ($0.symbol.map { "\($0)=" } ?? "") + ($0.path as NSString).lastPathComponent }
                .joined(separator: " + ")
        case .standardInput: label = "STDIN"
        case .exchange(let name): label = name
        case .other(let name): label = name
        }
        let link = engine.driver.link?.status(now: now)
        let state: FeedStatus.State
        if let error = engine.feedError {
            state = .failed(error)
        } else if frozen != nil && !engine.ended {
            state = .frozen
        } else if engine.lastTickTime == nil {
            state = engine.ended ? .ended : .waiting
        } else if engine.ended {
            state = .ended
        } else if engine.paused {
            state = .paused
        } else if engine.source == .standardInput, let wall = engine.lastTickWall, now - wall > Self.staleAfter {
            state = .stale(seconds: Int(now - wall))
        } else if let link, link.phase != .live, link.phase != .idle {
            // The connection's own words say why (STALE, RECONNECTING …); the numbers are old.
            state = .stale(seconds: Int(link.age ?? 0))
        } else {
            state = .live
        }
        var status = FeedStatus(state: state, label: label, source: source, speed: engine.speed.description,
                                time: engine.feedTime ?? engine.lastTickTime, progress: engine.progress, isReplay: engine.source.isReplay)
        status.badLines = engine.badLines
        status.link = link
        return status
    }

    /// A live feed that has not ticked for this long is shown as stale, not as current.
    public static let staleAfter = 5.0

    // MARK: keys

    /// Applies one key. - Returns: true when the screen should be redrawn.
    @discardableResult
    public func handle(_ key: KeyInput, now: Double) -> Bool {
        switch ui.overlay {
        case .editor: return editorKey(key, now: now)
        case .goTo: return goToKey(key, now: now)
        case .deposit: if depositKey(key) { return true }
        case .chart: if chartKey(key, now: now) { return true }
        case .history: if historyKey(key) { return true }
        case .isolation: if panelKey(key) { return true }
        default: break
        }
        if key == .escape {
            ui.overlay = .none
            return true
        }
        guard case .char(let c) = key else { return navigationKey(key, now: now) }
        switch c {
        case "q", "Q":
            if levelsUnsaved && !askedToQuit {
                askedToQuit = true
                ui.say("levels not saved: t then w saves; q again quits", now: now, seconds: 10)
            } else {
                quit = true
            }
        case "?", "h": ui.overlay = ui.overlay == .help ? .none : .help
        case _ where isLiveFeed && (c == " " || c == "p"):
            frozen = frozen == nil ? engine.driver.replay.session : nil
            ui.say(frozen != nil ? "screen frozen; the feed and the alerts go on" : "live again", now: now)
        case " ", "p":
            engine.paused.toggle()
            // At the end of the tape there is nothing to resume: say so rather than "resumed".
            ui.say(engine.ended ? "the tape has ended: ← steps back, [ seeks back, g goes to a time"
                   : engine.paused ? "paused" : "resumed", now: now)
        case _ where isLiveFeed && "+=-_".contains(c):
            ui.say("speed applies to simulations and replays only: a live feed comes as fast as it comes", now: now)
        case "+", "=":
            engine.speed = engine.speed.faster(allowMax: engine.source.isReplay)
            ui.say("speed \(engine.speed)", now: now)
        case "-", "_":
            engine.speed = engine.speed.slower()
            ui.say("speed \(engine.speed)", now: now)
        case "]" where engine.source.isReplay, "[" where engine.source.isReplay:
            if !engine.seek(by: c == "]" ? 0.05 : -0.05, wall: now) {
                ui.say(!engine.canRewind ? "this tape cannot be sought (a pipe has no span)"
                       : engine.driver.spanKnown ? "the tapes hold no tick in the --from/--to window"
                       : "measuring the tapes' time span… press again in a moment", now: now)
            }
        case "g" where engine.source.isReplay:
            ui.goToText = ""
            ui.overlay = .goTo
        case "s", "S":
            // The selection follows its position to the new row, not the old row number.
            let positions = engine.evaluation.positions
            let before = ui.order(of: positions, now: now)
            let chosen = before.indices.contains(ui.selected) ? before[ui.selected] : nil
            if c == "s" {
                let all = SortColumn.allCases
                ui.sort = all[(all.firstIndex(of: ui.sort).map { $0 + 1 } ?? 0) % all.count]
                ui.say("sorted by \(ui.sort.title)", now: now)
            } else {
                ui.sortReversed.toggle()
            }
            ui.frozenOrder = nil
            if let chosen, let row = ui.order(of: positions, now: now).firstIndex(of: chosen) { ui.selected = row }
        case "t":
            ui.editor = ThresholdEditorState()
            ui.overlay = .editor
        case "x": ui.overlay = ui.overlay == .stress ? .none : .stress
        case "c": ui.overlay = ui.overlay == .chart ? .none : .chart
        case "<", ">", ",", ".":
            _ = chartKey(key, now: now)
        case "d":
            ui.depositText = ""
            ui.overlay = ui.overlay == .deposit ? .none : .deposit
        case "i":
            ui.panelScroll = 0
            ui.overlay = ui.overlay == .isolation ? .none : .isolation
        case "a":
            ui.historyScroll = 0
            ui.overlay = ui.overlay == .history ? .none : .history
        case "$":
            ui.hideMoney.toggle()
            ui.say(ui.hideMoney ? "money hidden" : "money shown", now: now)
        case "b":
            ui.bell.toggle()
            ui.say(ui.bell ? "bell on" : "bell off", now: now)
        default: return false
        }
        return true
    }

    private func navigationKey(_ key: KeyInput, now: Double) -> Bool {
        let count = engine.evaluation.positions.count
        switch key {
        case .up, .down, .pageUp, .pageDown, .home, .end:
            guard count > 0 else { return false }
            // Freeze the order while the user moves, so rows do not jump under the cursor.
            ui.frozenOrder = ui.order(of: engine.evaluation.positions, now: now)
            ui.freezeUntil = now + 3
            switch key {
            case .up: ui.selected = max(0, ui.selected - 1)
            case .down: ui.selected = min(count - 1, ui.selected + 1)
            case .pageUp: ui.selected = max(0, ui.selected - ui.tablePage)
            case .pageDown: ui.selected = min(count - 1, ui.selected + ui.tablePage)
            case .home: ui.selected = 0
            default: ui.selected = count - 1
            }
        case .enter: ui.overlay = ui.overlay == .details ? .none : .details
        case .right where engine.source.isReplay: engine.stepForward(wall: now)
        case .left where engine.source.isReplay: engine.stepBack(wall: now)
        case .resize: return true
        default: return false
        }
        return true
    }

    /// ↑↓ PgUp PgDn scroll the isolated-vs-cross panel when a book has more rows than it shows.
    private func panelKey(_ key: KeyInput) -> Bool {
        let last = max(0, engine.evaluation.positions.count - ui.panelPage)
        switch key {
        case .up: ui.panelScroll = max(0, ui.panelScroll - 1)
        case .down: ui.panelScroll = min(last, ui.panelScroll + 1)
        case .pageUp: ui.panelScroll = max(0, ui.panelScroll - ui.panelPage)
        case .pageDown: ui.panelScroll = min(last, ui.panelScroll + ui.panelPage)
        default: return false
        }
        return true
    }

    /// Typing an amount in the deposit/withdraw panel: digits, a sign, a point, `_` groups.
    /// `<` `>` (or `,` `.`): a shorter or longer span of the chart.
    private func chartKey(_ key: KeyInput, now: Double) -> Bool {
        guard case .char(let c) = key, "<>,.".contains(c) else { return false }
        let current = ui.chartSpanIndex(isReplay: engine.source.isReplay)
        let next = max(0, min(ChartView.spans.count - 1, current + (c == "<" || c == "," ? -1 : 1)))
        ui.chartSpan = next
        ui.say("chart: \(ChartView.spanName(ChartView.spans[next]))", now: now)
        return true
    }

    /// Every other letter is swallowed: typing in the panel never runs a command by accident.
    private func depositKey(_ key: KeyInput) -> Bool {
        switch key {
        case .backspace: if !ui.depositText.isEmpty { ui.depositText.removeLast() }
        case .char("d"), .char("q"): ui.overlay = .none
        case .char(let c) where (c.isASCII && c.isNumber) || "+-._eE".contains(c):
            if ui.depositText.count < 24 { ui.depositText.append(c) }
        case .char, .enter: break
        default: return false
        }
        return true
    }

    private func historyKey(_ key: KeyInput) -> Bool {
        let page = 10
        switch key {
        case .up: ui.historyScroll = max(0, ui.historyScroll - 1)
        case .down: ui.historyScroll = min(max(0, engine.log.count - 1), ui.historyScroll + 1)
        case .pageUp: ui.historyScroll = max(0, ui.historyScroll - page)
        case .pageDown: ui.historyScroll = min(max(0, engine.log.count - 1), ui.historyScroll + page)
        default: return false
        }
        return true
    }

    private func goToKey(_ key: KeyInput, now: Double) -> Bool {
        switch key {
        case .escape: ui.overlay = .none
        case .backspace: if !ui.goToText.isEmpty { ui.goToText.removeLast() }
        case .enter:
            if let time = TimeText.parseArgument(ui.goToText.trimmingCharacters(in: .whitespaces)) {
                if let range = engine.driver.windowRange, time < range.first || time > range.last {
                    // A time the tape does not hold would show a clock and an account it never had.
                    ui.say("outside the tape: \(TimeText.readable(range.first).dropLast(7)) → "
                           + "\(TimeText.readable(range.last).dropLast(7))", now: now, seconds: 8)
                    return true
                }
                engine.go(to: time, wall: now)
                ui.overlay = .none
                let typed = ui.goToText.trimmingCharacters(in: .whitespaces)
                // Digits are epoch milliseconds; ten digits are likely seconds copied from a tape.
                let digitsHint = typed.count <= 11 && typed.allSatisfy(\.isNumber) ? " (digits read as epoch ms)" : ""
                ui.say("at \(TimeText.readable(time))" + digitsHint, now: now)
            } else {
                ui.say("not a time: \(ui.goToText)", now: now)
            }
        case .char(let c) where c.isASCII && !c.isNewline: ui.goToText.append(c)
        default: return false
        }
        return true
    }

    private func editorKey(_ key: KeyInput, now: Double) -> Bool {
        let fields = ThresholdField.allCases
        if ui.editor.typing != nil {
            switch key {
            case .escape:
                ui.editor.typing = nil
                ui.editor.error = nil
            case .backspace: if ui.editor.typing?.isEmpty == false { ui.editor.typing?.removeLast() }
            case .enter: if let t = ui.editor.commit(engine.thresholds) { apply(t, now: now) }
            case .char(let c) where c.isASCII && !c.isNewline: ui.editor.typing?.append(c)
            default: return false
            }
            return true
        }
        switch key {
        case .escape, .char("t"): ui.overlay = .none
        case .char("q"): ui.overlay = .none
        case .up:
            let i = fields.firstIndex(of: ui.editor.field) ?? 0
            ui.editor.field = fields[max(0, i - 1)]
        case .down:
            let i = fields.firstIndex(of: ui.editor.field) ?? 0
            ui.editor.field = fields[min(fields.count - 1, i + 1)]
        case .left, .char("-"): if let t = ui.editor.nudge(-1, engine.thresholds) { apply(t, now: now) }
        case .right, .char("+"): if let t = ui.editor.nudge(1, engine.thresholds) { apply(t, now: now) }
        case .enter: ui.editor.typing = ""
        case .char("w"): save(now: now)
        default: return false
        }
        return true
    }

    private func apply(_ t: AlertThresholds, now: Double) {
        levelsUnsaved = true
        askedToQuit = false
        engine.setThresholds(t)
        ui.say("levels applied", now: now)
    }

    /// Writes the levels into the portfolio file (only its alerts block changes), or, for the
    /// built-in demo, a new copy of the demo with them. The file is never damaged: see `AlertsFileSaver`.
    func save(now: Double) {
        do {
            let saved = try AlertsFileSaver.save(engine.thresholds, to: savePath, loadedText: savedText,
                                                 template: saveTemplate)
            savedText = saved.text
            levelsUnsaved = false
            ui.editor.error = nil
            ui.say("saved to \(savePath)", now: now)
        } catch {
            // The panel names the file on its "saves to" line: the reason is what is new.
            ui.editor.error = (error as? MarginWatchError)?.reason ?? "not saved: \(error)"
        }
    }
}
