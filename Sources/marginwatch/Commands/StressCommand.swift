import ArgumentParser
import MarginKit

/// `marginwatch stress`: the account after uniform shocks to every mark.
struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "What-if table: the account after moving every mark by each shock, and the move that liquidates it.",
        discussion: """
        Each row moves every mark by the shock at once (with the collateral they value) and shows \
        the account after it, what it liquidates and the stops it crosses; then the one uniform \
        move that brings the margin ratio to 1.
        """)

    @OptionGroup var portfolio: PortfolioOption
    @OptionGroup var marks: MarkOption
    @OptionGroup var brackets: BracketsOption
    @OptionGroup var account: AccountOption

    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Comma-separated shocks in % (default -30,-20,-10,-5,5,10,20,30).", valueName: "LIST"))
    var shocks: String?

    @Flag(name: .long, help: "Print one JSON object (fields: docs/alerts-and-json.md) instead of a table.")
    var json = false

    func run() throws {
        let list = try shocks.map(CommandLineValues.shocks) ?? Engine.defaultShocks
        let loaded = try BookLoader.oneShot(portfolio: portfolio, brackets: brackets, account: account).loaded
        let engine = try marks.engine(for: loaded)
        let report = engine.stress(shocks: list, thresholds: loaded.portfolio.alerts, groups: engine.declaredGroups())
        if json {
            print(SnapshotJSON.stress(report).rendered)
        } else {
            print(StressText.render(report, source: loaded.source), terminator: "")
        }
    }
}
