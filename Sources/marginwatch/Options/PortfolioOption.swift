import ArgumentParser
import MarginKit

/// `--portfolio FILE`: declared once, taken by every command through `@OptionGroup`.
struct PortfolioOption: ParsableArguments {
    @Option(name: .customLong("portfolio"),
            help: ArgumentHelp("Portfolio file (YAML or JSON); default: the built-in demo.", valueName: "FILE"),
            completion: .file(extensions: ["yaml", "yml", "json"]))
    var path: String?

    /// The portfolio file, or the built-in demo without `--portfolio` (the contract's default
    /// everywhere). Its warnings go to standard error unless `printingWarnings` is false: the
    /// monitor prints them after it has given the terminal back, where they can be read.
    func load(sources: PortfolioSources = PortfolioSources(), printingWarnings: Bool = true) throws -> LoadedPortfolio {
        let loaded = try path.map { try PortfolioLoader.load(path: $0, sources: sources) } ?? PortfolioLoader.demo(sources: sources)
        if printingWarnings { Console.warn(loaded.warnings) }
        return loaded
    }
}

/// `--mark SYMBOL=PRICE`, repeatable: the one-shot commands' marks (snapshot, stress).
struct MarkOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Mark price for a symbol; repeatable. Default: each position's mark, else its entry.",
                                            valueName: "SYMBOL=PRICE"))
    var mark: [String] = []

    /// The engine of `loaded` at the requested marks.
    func engine(for loaded: LoadedPortfolio) throws -> Engine {
        var engine = try Engine(portfolio: loaded.portfolio)
        try CommandLineValues.apply(marks: mark, to: &engine)
        return engine
    }
}
