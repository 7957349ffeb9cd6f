import Testing
@testable import MarginKit
@testable import TerminalUI

/// The panels: help, editor, stress, isolated vs cross, details, history.
@Suite struct OverlayTests {
    static func render(_ overlay: Overlay, stress: Bool = false, isolation: Bool = false, width: Int = 80, height: Int = 24,
                       tweak: (inout MonitorUIState) -> Void = { _ in }) throws -> Frame {
        var ui = MonitorUIState()
        ui.overlay = overlay
        tweak(&ui)
        return ScreenFixtures.render(try ScreenFixtures.snapshot(stress: stress, isolation: isolation), ui: ui, width: width, height: height)
    }

    @Test func helpListsEveryKey() throws {
        let text = try Self.render(.help).lines().joined(separator: "\n")
        for (key, what) in Overlays.keys {
            #expect(text.contains(key) && text.contains(what), "\(key) missing")
        }
        #expect(text.contains("┌─ keys"))
    }

    @Test func editorShowsEveryLevelWithTheSelectionReversed() throws {
        let f = try Self.render(.editor) { $0.editor.field = .freeMarginCritical }
        let lines = f.lines()
        #expect(lines.contains { $0.contains("│ margin ratio — warn below                              2           │") })
        #expect(lines.contains { $0.contains("free margin % — warn below") && $0.contains("60") })
        #expect(lines.contains { $0.contains("soft stop action") && $0.contains("alert") })
        #expect(lines.contains { $0.contains("saves to: tight.yaml") })
        let row = try #require(lines.firstIndex { $0.contains("free margin % — critical below") })
        #expect(f[10, row].style.reverse)
        let typing = try Self.render(.editor) { $0.editor.typing = "4.5"; $0.editor.error = "margin ratio: warn must not be below critical" }
        #expect(typing.lines().contains { $0.contains("4.5_") })
        #expect(typing.style(of: "! margin ratio") == Style(.critical, bold: true))
    }

    @Test func stressPanelShowsTheShockTable() throws {
        let lines = try Self.render(.stress, stress: true).lines()
        #expect(lines.contains { $0.contains("│    SHOCK       EQUITY MARGIN RATIO   FREE %        LIQUIDATED  STOPS HIT   │") })
        #expect(lines.contains { $0.contains("│     -10%     7,480.00        21.38    76.6%                no  BTCUSDT     │") })
        #expect(lines.contains { $0.contains("│     +10%     6,920.00        15.92    69.1%                no  —           │") })
        #expect(lines.contains { $0.contains("A uniform move of +207.36% in every mark liquidates the cross account.") })
    }

    @Test func isolationPanelComparesBothModes() throws {
        let lines = try Self.render(.isolation, isolation: true).lines()
        #expect(lines.contains { $0.contains("SYMBOL    SIDE   NOW    LIQ CROSS  LIQ ISOLATED  MARGIN CROSS  MARGIN ISOL") })
        #expect(lines.contains { $0.contains("│ BTCUSDT   long   cross  50,451.81     61,495.98        944.00     1,000.00 │") })
        #expect(lines.contains { $0.contains("│ Cross:    margin 1,944.00; all 7,200.00 backs every position:              │") })
        #expect(lines.contains { $0.contains("Cross:") } && lines.contains { $0.contains("Isolated:") })
        #expect(lines.allSatisfy { $0.count <= 80 })
    }

    @Test func detailsShowBracketMarginsAndBothLiquidationPrices() throws {
        let text = try Self.render(.details, isolation: true).lines().joined(separator: "\n")
        #expect(text.contains("BTCUSDT long · cross"))
        #expect(text.contains("mmr 0.40%, cum 0.00"))
        #expect(text.contains("liquidation, cross      50,451.81 (-14.5%)"))
        // Isolated with 1,000 of margin this long would already be past its liquidation price.
        #expect(text.contains("liquidation, isolated   61,495.98 (+4.2%) with 1,000.00 margin"))
        #expect(text.contains("stop-loss               60,000.00 (+1.7%)"))
    }

    @Test func historyScrolls() throws {
        let first = try Self.render(.history).lines().joined(separator: "\n")
        #expect(first.contains("alert history (4)") && first.contains("STOP"))
        let scrolled = try Self.render(.history) { $0.historyScroll = 3 }.lines().joined(separator: "\n")
        #expect(!scrolled.contains("STOP ") && scrolled.contains("position MM"))
    }

    @Test func panelsFitAt80x24AndStayClipped() throws {
        for overlay in [Overlay.help, .editor, .stress, .isolation, .details, .history, .goTo] {
            let f = try Self.render(overlay, stress: true, isolation: true)
            #expect(f.lines().allSatisfy { $0.count <= 80 })
            #expect(f.lines().count == 24)
        }
    }
}
