import ArgumentParser
import MarginKit

/// `marginwatch snapshot`: one evaluation of the portfolio.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Evaluate the portfolio once: account, positions, liquidation prices, alerts.",
        discussion: """
        Marks default to each position's mark, else its entry. A liquidation price holds every \
        other mark still; the shock to liquidation moves all marks at once.
        """)

    @OptionGroup var portfolio: PortfolioOption
    @OptionGroup var marks: MarkOption
    @OptionGroup var brackets: BracketsOption
    @OptionGroup var account: AccountOption

    @Flag(name: .long, help: "Print one JSON object (fields: docs/alerts-and-json.md) instead of tables.")
    var json = false

    func run() throws {
        let book = try BookLoader.oneShot(portfolio: portfolio, brackets: brackets, account: account)
        let loaded = book.loaded
        let engine = try marks.engine(for: loaded)
        let evaluation = engine.evaluate()
        // No feed here to estimate correlations from: the groups are the declared ones.
        let groups = engine.declaredGroups()
        let shares = engine.shares(of: groups)
        let alerts = SnapshotAlerts.alerts(for: evaluation, thresholds: loaded.portfolio.alerts, groups: shares)
        let buffers = engine.buffers(thresholds: loaded.portfolio.alerts, groups: groups)
        if json {
            print(SnapshotJSON.snapshot(evaluation, alerts: alerts, buffers: buffers, groups: shares,
                                        checks: book.checks(for: evaluation)).rendered)
        } else {
            print(SnapshotText.render(evaluation, alerts: alerts, buffers: buffers, groups: shares, source: loaded.source,
                                      portfolio: loaded.portfolio), terminator: "")
            if let checks = book.checks(for: evaluation) {
                print(SnapshotText.exchangeLiquidations(evaluation, checks: checks), terminator: "")
            }
        }
    }
}
