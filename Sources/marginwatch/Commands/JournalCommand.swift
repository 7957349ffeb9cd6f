import ArgumentParser
import MarginKit

/// `marginwatch journal FILE`: what a journal kept, read in the morning.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print the events a --journal kept, as replay --headless prints them, then a summary.",
        discussion: """
        The summary gives the worst level reached, the lowest margin ratio and when, the largest \
        fall of cross equity from its peak (over the samples), the stops hit, the soft stop and any \
        liquidation. A line cut short by a killed session is skipped with a warning, as in a tape.
        """)

    @Argument(help: ArgumentHelp("A journal written by watch or replay --journal.", valueName: "FILE"), completion: .file())
    var file: String

    @Option(name: .long, help: ArgumentHelp("Only what happened from TIME on (inclusive).", valueName: "TIME"), transform: TimeArgument.parsed)
    var from: TimeArgument?

    @Option(name: .long, help: ArgumentHelp("Only what happened up to TIME (inclusive).", valueName: "TIME"), transform: TimeArgument.parsed)
    var to: TimeArgument?

    @Flag(name: .long, help: "JSON lines: one per event (as replay --headless --json), then the summary.")
    var json = false

    func validate() throws {
        if let from, let to, from.milliseconds > to.milliseconds {
            throw ValidationError("--from \(from.text) is after --to \(to.text)")
        }
    }

    func run() throws {
        let reader = try JournalReader(path: file, from: from?.milliseconds, to: to?.milliseconds)
        let summary = JournalSummary(reader)
        var lines: [String] = []
        if !json { lines += ["marginwatch journal — \(file)", "", TimelineText.header] }
        for e in reader.events { lines.append(json ? TimelineJSON.event(e).rendered : TimelineText.line(e)) }
        lines.append(json ? summary.json.rendered : summary.text)
        print(lines.joined(separator: "\n"), terminator: json ? "\n" : "")
        Console.warn(reader.warnings + (reader.suppressed > 0 ? ["\(file): \(reader.suppressed) more lines skipped"] : []))
    }
}
