import Foundation
import MarginKit

/// Runs `replay --headless`: streams the timeline to standard output as events happen, the
/// summary at the end, and the tapes' warnings to standard error.
struct HeadlessReplay {
    let tapes: [TapeSpec]
    let loaded: LoadedPortfolio
    let window: FeedWindow
    let strict: Bool
    let json: Bool
    var delivery: DeliveryOptions?
    var svgPath: String?

    func run() throws -> SessionSummary {
        if let svgPath { try OutputFile.check(svgPath, option: "--svg") }
        let origin = FeedOrigin.tapes(tapes)
        let driver = try FeedDriver(portfolio: loaded.portfolio, origin: origin,
                                    window: window, strict: strict, prefetch: true)
        // Each hook run ends before the next event's: a script sees every event, in order.
        let targets = delivery?.targets(portfolio: loaded.source)
        let sender = targets.flatMap { $0.isEmpty ? nil : AlertDelivery(targets: $0, mode: .inOrder) { Console.warn([$0]) } }
        let journal = try delivery?.openJournal(portfolio: loaded.source, feed: origin.name, thresholds: loaded.portfolio.alerts)
        // The chart's points and the journal's samples come from the end of each step.
        let chart = svgPath.map { _ in ChartBox() }
        if journal != nil || chart != nil {
            driver.afterStep = { time, engine in
                journal?.sample(time: time, engine: engine)
                if let chart {
                    let t = engine.totals
                    chart.series.add(time: time, equity: t.equity, marginRatio: t.openCrossPositions > 0 ? t.marginRatio : nil)
                }
            }
        }
        // The text report's title comes with its first line: a tape that fails before any event
        // (one that is only a header) prints nothing but the error.
        let out = OutputBuffer(heading: json ? [] : [
            "marginwatch replay — \(tapes.map(\.displayName).joined(separator: " + ")) — portfolio \(loaded.source)",
            "", TimelineText.header])
        let thresholds = loaded.portfolio.alerts, portfolio = loaded.portfolio
        let onEvent: (SessionEvent) -> Void = { event in
            out.line(json ? TimelineJSON.event(event).rendered : TimelineText.line(event))
            journal?.event(event)
            chart?.series.mark(event)
            if let sender {
                // A failure said on standard error comes after the lines it is about.
                out.flush()
                sender.deliver(event, thresholds: thresholds, portfolio: portfolio)
            }
        }
        let summary: SessionSummary
        do {
            summary = try driver.runToEnd(onEvent: onEvent)
        } catch {
            out.flush()
            throw error
        }
        if summary.ticks == 0 { printWarnings(driver, replayed: false) }  // the reasons come before the error they explain
        try requireTicks(summary, driver.tapeReaders)
        out.line(json ? TimelineJSON.summary(summary).rendered : TimelineText.summary(summary), newline: !json ? false : true)
        out.flush()
        printWarnings(driver, replayed: true)
        journal?.finish(summary)
        if let failure = journal?.failure { Console.warn(["--journal: \(failure)"]) }
        if let svgPath, let chart {
            let names = tapes.map { ($0.displayName as NSString).lastPathComponent }.joined(separator: " + ")
            let title = "marginwatch replay — \((loaded.source as NSString).lastPathComponent) — \(names)"
            try OutputFile.write(SVGChart.render(chart.series, thresholds: loaded.portfolio.alerts, title: title), to: svgPath)
        }
        return summary
    }

    private func printWarnings(_ driver: FeedDriver, replayed: Bool) {
        let readers = driver.tapeReaders
        let priced = Set(loaded.portfolio.symbols)
        // A symbol of the book no tick priced (in the window) stayed at its starting mark all
        // along: say so, a replay against the wrong tapes must not read as a calm market.
        let unpriced = driver.replay.unpricedSymbols
        if replayed, !unpriced.isEmpty, unpriced.count < priced.count {
            let span = window.from == nil && window.to == nil ? ""
                : " from \(window.from.map(TimeText.iso) ?? "the start") to \(window.to.map(TimeText.iso) ?? "the end")"
            Console.warn(["no tape prices \(unpriced.joined(separator: ", "))\(span): held at its starting mark "
                + "(the position's mark, else its entry) for the whole replay"])
        }
        for reader in readers {
            let seen = reader.symbolsSeen
            if !seen.isEmpty, !seen.contains(where: priced.contains) {
                Console.warn(["\(reader.name): prices \(seen.prefix(5).joined(separator: ", "))\(seen.count > 5 ? "…" : ""), "
                    + "none of which the portfolio holds (\(loaded.portfolio.symbols.joined(separator: ", "))); its ticks change nothing"])
            }
            Console.warn(reader.warnings)
            if reader.suppressedWarnings > 0 {
                Console.warn(["\(reader.name): \(reader.suppressedWarnings) more warnings not shown"])
            }
        }
    }
}

extension HeadlessReplay {
    /// A window that holds no tick of the tapes verified nothing: an error naming their range,
    /// so a CI check of a book cannot pass on an empty window.
    func requireTicks(_ summary: SessionSummary, _ readers: [TapeReader]) throws {
        guard summary.ticks == 0 else { return }
        let names = tapes.map(\.displayName).joined(separator: ", ")
        guard let first = readers.compactMap(\.earliestTime).min() else {
            throw MarginWatchError.invalidContent(SourceLocation(file: names), "the tapes hold no tick")
        }
        let last = readers.map(\.latestTime).max() ?? first
        let window = "--from \(window.from.map(TimeText.iso) ?? "the start") --to \(window.to.map(TimeText.iso) ?? "the end")"
        throw MarginWatchError.invalidContent(SourceLocation(file: names),
            "no tick falls in \(window): the tapes run from \(TimeText.iso(first)) to \(TimeText.iso(last))")
    }
}

/// Buffered standard output: one write per 64 KiB instead of one per line.
final class OutputBuffer {
    private var bytes: [UInt8] = []
    /// Lines written before the first line, if there is one.
    private var heading: [String]

    init(heading: [String] = []) {
        self.heading = heading
    }

    func line(_ text: String, newline: Bool = true) {
        if !heading.isEmpty {
            for h in heading { bytes.append(contentsOf: h.utf8); bytes.append(10) }
            heading = []
        }
        bytes.append(contentsOf: text.utf8)
        if newline { bytes.append(10) }
        if bytes.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }
}

/// The chart's series, filled from the step callback.
final class ChartBox {
    var series = ChartSeries()
}

/// A file the command writes in full (`--svg`): written beside its place, renamed over it, then
/// read back — a reader never sees half a file, and a write that did not land is said.
enum OutputFile {
    /// Whether two paths name the same file (the same inode, or the same path while neither exists).
    static func same(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }

    /// Checks, before anything runs, that `path` may be written: a new file, or an existing
    /// regular file (never a directory, a device or a link's target taken by surprise).
    static func check(_ path: String, option: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot write \(option): not a regular file (a directory, a device or a link)")
        }
    }

    static func write(_ text: String, to path: String) throws {
        try check(path, option: "--svg")
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let data = Data(text.utf8)
        do {
            try data.write(to: temporary)
            // rename(2) replaces an existing file in one step (Foundation's replaceItemAt does not, here).
            guard rename(temporary.path, path) == 0 else {
                throw MarginWatchError.cannotOpen(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
        } catch let error as MarginWatchError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot write: \((error as NSError).localizedDescription)")
        }
        guard FileManager.default.contents(atPath: path) == data else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot write: the file read back differs from what was written")
        }
    }
}
