import ArgumentParser

/// `marginwatch`: the command tree.
///
/// The abstracts and discussions here are also the manual page (`Scripts/man.sh`, through
/// argument-parser's generate-manual plugin), which keeps ASCII only: it drops anything else.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marginwatch",
        abstract: "Watch the risk of a cross-margin crypto-futures account.",
        discussion: """
        Without a subcommand, marginwatch runs watch: the live monitor on the built-in demo account \
        and its seeded simulated market (q quits). Every command takes --portfolio FILE, a YAML or \
        JSON portfolio (account, positions; optional collateral, instruments, alerts, feed and \
        groups blocks); without it, the built-in demo.

        Margin ratio = equity / maintenance margin: healthy above 2, liquidated at 1.
        Binance shows the inverse as its "Margin Ratio" (maintenance margin / equity, liquidation \
        at 100%). The maths follows Binance USD-M futures: tiered maintenance margin, cross and \
        isolated liquidation prices. Fees and funding are not included.

        TIME is ISO-8601 (naive means UTC) or epoch milliseconds. D is a number and a unit: 500ms, \
        30s, 10m, 2h, 1d. TAPE is PATH, SYMBOL=PATH, or - for standard input.

        Files: the portfolio file is only read, except that the monitor's w key saves changed alert \
        levels into its alerts: block (watching the demo, into demo-portfolio.yaml in the current \
        folder). Tapes are read by replay and watch --feed stdin, and written by record --out and \
        watch --record (native time,symbol,price CSV). The reference (every portfolio key, the \
        formulas, tape formats, alert rules and JSON fields) is in docs/ of the source tree.

        Exit codes: 0 ok, 3 --fail-on level reached, 64 bad usage, 65 invalid file content, \
        66 file cannot be opened, 1 anything else. Errors are one line on standard error, \
        starting "marginwatch: error:".
        """,
        version: "marginwatch 0.3.0",
        subcommands: [WatchCommand.self, ReplayCommand.self, SnapshotCommand.self, StressCommand.self, RecordCommand.self,
                      JournalCommand.self, ImportCommand.self],
        defaultSubcommand: WatchCommand.self
    )
}
