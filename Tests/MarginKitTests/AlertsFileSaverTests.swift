import Foundation
import Testing
@testable import MarginKit

/// Saving alert levels never damages the user's file: JSON stays JSON, links stay links, modes
/// are kept, and a read-only, changed, deleted or unloadable file is refused and left untouched.
@Suite struct AlertsFileSaverTests {
    static var levels: AlertThresholds { AlertsFileEditorTests.tighter }

    static let json = """
    {
      "account": {"wallet": 2000},
      "positions": [
        {"symbol": "BTCUSDT", "side": "short", "size": 1, "entry": 60000, "leverage": 20}
      ]
    }

    """

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mw-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o7777
    }

    @Test func jsonWithoutAlertsGetsAnAlertsObjectAndStaysJSON() throws {
        let out = try AlertsFileEditor.update(text: Self.json, with: Self.levels, name: "p.json")
        #expect(out.hasPrefix("{\n  \"account\": {\"wallet\": 2000},\n  \"positions\": ["))
        #expect(out.contains("  ],\n  \"alerts\": {\"margin_ratio\": {\"warn\": 45, \"critical\": 1.5}, "))
        #expect(out.contains("\"soft_stop_action\": \"close_all\""))
        // Real JSON, not YAML that happens to parse.
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        #expect(Array((object ?? [:]).keys).sorted() == ["account", "alerts", "positions"])
        #expect(try PortfolioLoader.load(text: out, name: "p.json").portfolio.alerts == Self.levels)
    }

    @Test func jsonAlertsAreUpdatedInPlaceWithQuotedKeys() throws {
        let text = "{\"account\": {\"wallet\": 5}, \"positions\": [],\n \"alerts\": {\"margin_ratio\": {\"warn\": 3}, \"soft_stop_action\": \"alert\"}}\n"
        let out = try AlertsFileEditor.update(text: text, with: Self.levels, name: "p.json")
        #expect(out.hasPrefix("{\"account\": {\"wallet\": 5}, \"positions\": [],\n \"alerts\": {\"margin_ratio\": {\"warn\": 45}, \"soft_stop_action\": \"close_all\", \"free_margin_pct\": "))
        _ = try JSONSerialization.jsonObject(with: Data(out.utf8))
        #expect(try PortfolioLoader.load(text: out, name: "p.json").portfolio.alerts == Self.levels)
    }

    @Test func anEmptyJSONAlertsObjectIsFilled() throws {
        let text = "{\"account\": {\"wallet\": 5}, \"positions\": [], \"alerts\": {}}"
        let out = try AlertsFileEditor.update(text: text, with: Self.levels, name: "p.json")
        _ = try JSONSerialization.jsonObject(with: Data(out.utf8))
        #expect(try PortfolioLoader.load(text: out, name: "p.json").portfolio.alerts == Self.levels)
    }

    @Test func anchorsInTheAlertsBlockAreRefused() throws {
        let text = "account: {wallet: 5}\nx: &lv {warn: 3, critical: 2}\nalerts:\n  margin_ratio: *lv\npositions: []\n"
        #expect(throws: MarginWatchError.self) { try AlertsFileEditor.update(text: text, with: Self.levels, name: "p.yaml") }
    }

    @Test func savingKeepsModeAndOtherBytes() throws {
        let dir = try folder()
        let path = try write(Self.json, "p.json", in: dir)
        chmod(path, 0o600)
        let saved = try AlertsFileSaver.save(Self.levels, to: path, loadedText: Self.json)
        #expect(mode(path) == 0o600)
        #expect(try read(path) == saved.text)
        #expect(try PortfolioLoader.load(path: path).portfolio.alerts == Self.levels)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["p.json"])
    }

    @Test func aSymlinkStaysALinkAndItsTargetIsWritten() throws {
        let dir = try folder()
        let target = try write(DemoPortfolio.yaml, "real.yaml", in: dir)
        let link = dir.appendingPathComponent("link.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.yaml")
        _ = try AlertsFileSaver.save(Self.levels, to: link, loadedText: DemoPortfolio.yaml)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.yaml")
        #expect(try PortfolioLoader.load(path: target).portfolio.alerts == Self.levels)
    }

    @Test func aReadOnlyFileIsRefusedAndUntouched() throws {
        let dir = try folder()
        let path = try write(DemoPortfolio.yaml, "p.yaml", in: dir)
        chmod(path, 0o444)
        #expect { try AlertsFileSaver.save(Self.levels, to: path, loadedText: DemoPortfolio.yaml) } throws: { error in
            "\(error)".contains("read-only")
        }
        #expect(try read(path) == DemoPortfolio.yaml)
        #expect(mode(path) == 0o444)
    }

    @Test func aFileChangedOnDiskIsRefusedAndUntouched() throws {
        let dir = try folder()
        let changed = DemoPortfolio.yaml + "# edited in another window\n"
        let path = try write(changed, "p.yaml", in: dir)
        #expect { try AlertsFileSaver.save(Self.levels, to: path, loadedText: DemoPortfolio.yaml) } throws: { error in
            "\(error)".contains("changed on disk")
        }
        #expect(try read(path) == changed)
    }

    @Test func aDeletedFileIsASentenceNotAFoundationError() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("gone.yaml").path
        #expect { try AlertsFileSaver.save(Self.levels, to: path, loadedText: DemoPortfolio.yaml) } throws: { error in
            "\(error)" == "\(path): not saved: the file no longer exists (moved or deleted since it was loaded)"
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// The editor checks its own result; layouts it cannot follow are refused, never written.
    @Test func layoutsTheEditorCannotFollowAreRefused() throws {
        let loneCR = "account: {wallet: 5}\rpositions: []\n"
        #expect { try AlertsFileEditor.update(text: loneCR, with: Self.levels, name: "p") } throws: { error in
            "\(error)".contains("unusual line breaks")
        }
        // A comment where a JSON-style entry would go: refused rather than commented out.
        let commented = "{account: {wallet: 5}, positions: [] # no alerts yet\n}"
        #expect(throws: MarginWatchError.self) { try AlertsFileEditor.update(text: commented, with: Self.levels, name: "p") }
    }

    @Test func windowsLineEndsAndAByteOrderMarkAreKept() throws {
        let text = "\u{FEFF}account:\r\n  wallet: 5\r\npositions: []\r\nalerts:\r\n  margin_ratio: {warn: 3}\r\n"
        let out = try AlertsFileEditor.update(text: text, with: Self.levels, name: "p")
        #expect(out.hasPrefix("\u{FEFF}account:\r\n"))
        #expect(!out.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(try PortfolioLoader.load(text: out, name: "p").portfolio.alerts == Self.levels)
    }

    @Test func aFileWithOtherHardLinksIsRefused() throws {
        let dir = try folder()
        let path = try write(DemoPortfolio.yaml, "p.yaml", in: dir)
        link(path, dir.appendingPathComponent("other.yaml").path)
        #expect { try AlertsFileSaver.save(Self.levels, to: path, loadedText: DemoPortfolio.yaml) } throws: { error in
            "\(error)".contains("other hard links")
        }
        #expect(try read(path) == DemoPortfolio.yaml)
    }

    @Test func theDemoIsSavedAsANewFileButNeverOverAnExistingOne() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("demo-portfolio.yaml").path
        let saved = try AlertsFileSaver.save(Self.levels, to: path, loadedText: nil, template: DemoPortfolio.yaml)
        #expect(try PortfolioLoader.load(path: path).portfolio.alerts == Self.levels)
        #expect(throws: MarginWatchError.self) {
            try AlertsFileSaver.save(AlertThresholds(), to: path, loadedText: nil, template: DemoPortfolio.yaml)
        }
        // Saving again from the text just written is an update, as the monitor does.
        _ = try AlertsFileSaver.save(AlertThresholds(), to: path, loadedText: saved.text)
        #expect(try PortfolioLoader.load(path: path).portfolio.alerts == AlertThresholds())
    }
}
