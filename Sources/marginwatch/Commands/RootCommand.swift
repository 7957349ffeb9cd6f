import ArgumentParser

/// `marginwatch`: the command tree.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marginwatch",
        abstract: "Watch the risk of a cross-margin crypto-futures account.",
        discussion: """
        Margin ratio = equity / maintenance margin: healthy above 2, liquidated at 1.
        Exit codes: 0 ok, 3 --fail-on level reached, 64 bad usage, 65 invalid file content, \
        66 file cannot be opened, 1 anything else.
        """,
        version: "marginwatch 0.3.0",
        subcommands: [WatchCommand.self, ReplayCommand.self, SnapshotCommand.self, StressCommand.self, RecordCommand.self],
        defaultSubcommand: WatchCommand.self
    )
}
