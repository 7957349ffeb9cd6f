import ArgumentParser
import MarginKit

/// `--portfolio FILE` and `--mark SYMBOL=PRICE`, shared by the one-shot commands.
struct PortfolioOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Portfolio file (YAML or JSON); default: the built-in demo.",
                                            valueName: "FILE"))
    var portfolio: String?

    @Option(name: .long, help: ArgumentHelp("Mark price for a symbol; repeatable. Default: each position's mark, else its entry.",
                                            valueName: "SYMBOL=PRICE"))
    var mark: [String] = []

    /// Loads the portfolio (printing its warnings) and builds the engine at the requested marks.
    func engine() throws -> (LoadedPortfolio, Engine) {
        let loaded = try PortfolioLoader.load(pathOrDemo: portfolio)
        Console.warn(loaded.warnings)
        var engine = try Engine(portfolio: loaded.portfolio)
        try CommandLineValues.apply(marks: mark, to: &engine)
        return (loaded, engine)
    }
}
