import Foundation
import MarginKit
import TerminalUI

/// One thing fuzzed: bytes in, and either a result or a clean `MarginWatchError` out. Anything
/// else — a trap, a foreign error, a broken invariant — is a failure: `run` returns why (the
/// fuzzer then aborts with the input saved; the regression tests replay every saved input).
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable ([UInt8]) -> String?

    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "tape", run: FuzzChecks.tape),
        FuzzTarget(name: "portfolio", run: FuzzChecks.portfolio),
        FuzzTarget(name: "time", run: FuzzChecks.time),
        FuzzTarget(name: "alerts-editor", run: FuzzChecks.alertsEditor),
        FuzzTarget(name: "keys", run: FuzzChecks.keys),
        FuzzTarget(name: "journal", run: FuzzChecks.journal),
        FuzzTarget(name: "binance", run: FuzzChecks.binance),
    ]
}

public enum FuzzChecks {
    /// A scratch path per call (the readers open files by path; tests run checks in parallel).
    static var scratch: String {
        let dir = ProcessInfo.processInfo.environment["MW_FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        return (dir as NSString).appendingPathComponent("mw-fuzz-\(getpid())-\(UUID().uuidString.prefix(8))")
    }

    static func write(_ bytes: [UInt8], to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return "cannot write \(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        return written == bytes.count ? nil : "short write to \(path)"
    }

    /// Errors must be the product's own, which print as one line with an exit code.
    static func clean(_ error: Error, _ context: String) -> String? {
        guard let e = error as? MarginWatchError else { return "\(context): foreign error \(type(of: error)): \(error)" }
        return e.description.contains("\n") ? "\(context): error of more than one line: \(e.description)" : nil
    }

    /// Exchange answers through the Binance decoders (the first byte picks which: account,
    /// positionRisk, leverageBracket, a mark-price frame, an error answer): a result or a clean
    /// error — and an account with its brackets always writes a portfolio that reads back.
    static func binance(_ bytes: [UInt8]) -> String? {
        guard let first = bytes.first else { return nil }
        let data = Data(bytes.dropFirst())
        do {
            switch first % 5 {
            case 0:
                let (wallet, _) = try BinanceDecoders.account(data, file: "account.json")
                if !(wallet >= 0 && wallet.isFinite) { return "wallet \(wallet)" }
            case 1:
                let held = try BinanceDecoders.positions(data, file: "positionRisk.json")
                let tables = Dictionary(held.map { ($0.spec.symbol, BracketTable(flatRate: 0.01)) }, uniquingKeysWith: { a, _ in a })
                let yaml = try BinanceImport.yaml(account: ExchangeAccount(wallet: 1, positions: held), brackets: tables,
                                                  bracketsFile: "b", sources: ["fuzz"])
                let back = try PortfolioLoader.load(text: yaml, name: "imported").portfolio
                if back.positions != held.map(\.spec) { return "import does not read back: \(yaml)" }
            case 2:
                for (_, table) in try BinanceDecoders.brackets(data, file: "leverageBracket.json") {
                    if table.brackets.isEmpty || table.brackets[0].floor != 0 { return "a table that does not start at 0" }
                }
            case 3:
                if let update = try MarkPriceUpdate.decode(data), !Tick.isPlausiblePrice(update.price) { return "price \(update.price)" }
            default:
                let answer = BinanceDecoders.errorAnswer(data)
                if answer.message?.contains("\n") == true { return "an error message spans lines" }
            }
        } catch {
            return clean(error, "binance")
        }
        return nil
    }

    /// Journal bytes through `marginwatch journal`'s reader and summary: events, warnings for
    /// what is not a whole line, or a clean error — and every event prints as text and JSON.
    static func journal(_ bytes: [UInt8]) -> String? {
        let path = scratch + "-journal.jsonl"
        if let why = write(bytes, to: path) { return why }
        defer { unlink(path) }
        do {
            let reader = try JournalReader(path: path)
            let summary = JournalSummary(reader)
            for e in reader.events {
                if TimelineText.line(e).contains("\n") || TimelineJSON.event(e).rendered.contains("\n") { return "an event line spans lines" }
            }
            if summary.json.rendered.contains("\n") { return "the summary spans lines" }
            if summary.events != reader.events.count { return "summary counts \(summary.events) of \(reader.events.count) events" }
        } catch {
            return clean(error, "journal")
        }
        return nil
    }

    /// Tape bytes through the same content detection as the commands: ticks or a clean error.
    /// The first byte picks strict mode and the file name (which may name the symbol and interval).
    static func tape(_ bytes: [UInt8]) -> String? {
        let names = ["BTCUSDT-1h-2024-01.csv", "tape.csv", "freqtrade_binance_ETH_USDT-1h.json", "ETHUSDT-1m.jsonl"]
        let head = bytes.first ?? 0
        let path = scratch + "-" + names[Int(head) % names.count]
        if let why = write(Array(bytes.dropFirst()), to: path) { return why }
        defer { unlink(path) }
        // Read twice, with the fast paths and with the general parser alone: the same ticks, bad
        // lines and warnings, or the same error.
        func read(fast: Bool) -> (ticks: [Tick], bad: Int, warnings: [String], seen: [String], error: String?, failure: String?) {
            var ticks: [Tick] = []
            do {
                let reader = try TapeReader(spec: TapeSpec(path: path), symbols: SymbolTable(), strict: head & 0x80 != 0)
                reader.fastPaths = fast
                var batch: [Tick] = []
                while try reader.nextBatch(into: &batch) {
                    ticks += batch
                    batch.removeAll(keepingCapacity: true)
                }
                return (ticks, reader.badLines, reader.warnings, reader.symbolsSeen, nil, nil)
            } catch {
                return (ticks, 0, [], [], "\(error)", clean(error, "tape"))
            }
        }
        let fast = read(fast: true)
        if let failure = fast.failure { return failure }
        for tick in fast.ticks where !(tick.price.isFinite && tick.price > 0) { return "tick with price \(tick.price)" }
        let general = read(fast: false)
        if let failure = general.failure { return failure }
        guard fast.ticks == general.ticks, fast.bad == general.bad, fast.warnings == general.warnings, fast.seen == general.seen,
              fast.error == general.error else {
            return "the fast paths read the tape differently from the general parser"
        }
        return nil
    }

    /// Portfolio bytes through the loader; a portfolio that loads must also evaluate and stress.
    static func portfolio(_ bytes: [UInt8]) -> String? {
        let path = scratch + (bytes.first == UInt8(ascii: "{") ? ".json" : ".yaml")
        if let why = write(bytes, to: path) { return why }
        defer { unlink(path) }
        do {
            let loaded = try PortfolioLoader.load(path: path)
            let engine = try Engine(portfolio: loaded.portfolio)
            _ = engine.evaluate()
            _ = engine.stress(shocks: [-50, -10, 10, 100])
        } catch {
            return clean(error, "portfolio")
        }
        return nil
    }

    /// Any text as a tape time and as a command-line time; an ISO time parsed must read back
    /// the same after formatting.
    static func time(_ bytes: [UInt8]) -> String? {
        _ = bytes.withUnsafeBufferPointer { TimeParser.tape($0) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let ms = TimeParser.argument(text) else { return nil }
        // Years 0000–9999 all spell with four digits.
        guard ms >= -62_167_219_200_000, ms <= 253_402_300_799_999 else { return nil }
        let again = TimeParser.argument(TimeText.iso(ms))
        return again == ms ? nil : "\(text) → \(ms) → \(TimeText.iso(ms)) → \(again.map(String.init) ?? "nil")"
    }

    /// A portfolio text and new levels: if the text loads, the edited text must load and hold
    /// exactly the new levels with everything else unchanged — or the editor refuses cleanly.
    static func alertsEditor(_ bytes: [UInt8]) -> String? {
        guard let choice = bytes.first else { return nil }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let before = try? PortfolioLoader.load(text: text, name: "fuzz.yaml") else { return nil }
        let levels = FuzzLevels.pick(choice)
        let edited: String
        do {
            edited = try AlertsFileEditor.update(text: text, with: levels, name: "fuzz.yaml")
        } catch {
            // Odd YAML may be refused (cleanly); a real JSON file never is.
            if (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil {
                return "refused a JSON file: \(error)\n--- before\n\(text)"
            }
            return clean(error, "alerts-editor")
        }
        let after: LoadedPortfolio
        do { after = try PortfolioLoader.load(text: edited, name: "fuzz.yaml") } catch {
            return "edited text does not load: \(error)\n--- before\n\(text)\n--- after\n\(edited)"
        }
        var expected = before.portfolio
        expected.alerts = levels
        return after.portfolio == expected ? nil : "edit changed more than the levels\n--- before\n\(text)\n--- after\n\(edited)"
    }

    /// Key codes through the decoder into a monitor on the demo, with a frame drawn after each.
    /// Saving goes to a scratch copy of the demo.
    static func keys(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 2 else { return nil }
        let path = scratch + "-keys.yaml"
        if let why = write(Array(DemoPortfolio.yaml.utf8), to: path) { return why }
        defer { unlink(path) }
        do {
            let loaded = try PortfolioLoader.load(path: path)
            let engine = try MonitorEngine(loaded: loaded, source: .simulated, speed: .times(60), startTime: 1_700_000_000_000)
            let controller = MonitorController(engine: engine, portfolioPath: path, bell: false)
            let width = 1 + Int(bytes[0]) % 220, height = 1 + Int(bytes[1]) % 70
            var now = 1.0
            var codes = bytes.dropFirst(2).makeIterator()
            while let low = codes.next() {
                // A high bit asks for one of ncurses' special codes (0o401 and up).
                let code = low & 0x80 != 0 ? Int32(0o401) + Int32(low & 0x7F) * 2 : Int32(low)
                now += 0.05
                engine.pump(wall: now)
                if let key = KeyDecoding.decode(code) { _ = controller.handle(key, now: now) }
                _ = controller.render(width: width, height: height, now: now)
                if controller.quit { break }
            }
        } catch {
            return clean(error, "keys")
        }
        return nil
    }
}

/// Valid alert levels for the editor target, picked by one byte.
enum FuzzLevels {
    static func pick(_ byte: UInt8) -> AlertThresholds {
        var t = AlertThresholds()
        let k = Double(byte)
        t.marginRatio = LevelPair(warn: 1.5 + k / 64, critical: 1.1 + k / 128)
        t.freeMarginPct = LevelPair(warn: min(100, 20 + k / 8), critical: min(100, 10 + k / 16))
        t.liquidationDistancePct = LevelPair(warn: 10 + k / 3, critical: 1 + k / 100)
        t.positionMMPctWarn = 0.5 + k / 10
        t.softStopLossPct = min(100, 1 + k / 3)
        t.softStopAction = byte & 1 == 0 ? .alert : .closeAll
        t.hysteresisPct = Double(byte % 50)
        return t
    }
}
