import ArgumentParser
import BinanceLink
import Foundation
import MarginKit

/// `--account binance`: the only exchange account marginwatch reads.
enum AccountChoice: String, CaseIterable, ExpressibleByArgument {
    case binance
}

/// `--brackets FILE`: a saved `GET /fapi/v1/leverageBracket` answer, the exchange's tables for
/// any symbol in it (above the built-ins, below the portfolio's own `instruments:`).
struct BracketsOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Binance's bracket tables (a saved GET /fapi/v1/leverageBracket answer) for any symbol in it.",
                                            valueName: "FILE"),
            completion: .file(extensions: ["json"]))
    var brackets: String?

    func tables() throws -> [String: BracketTable] {
        guard let path = brackets else { return [:] }
        return try BinanceFiles.read(path) { try BinanceDecoders.brackets($0, file: path) }
    }
}

/// `--account binance`: the wallet and positions read from the exchange with the key pair in
/// BINANCE_API_KEY and BINANCE_API_SECRET (never from arguments).
struct AccountOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read the wallet, positions and brackets from the Binance USDⓈ-M account "
        + "(keys from BINANCE_API_KEY and BINANCE_API_SECRET; the portfolio file then gives alert levels and overrides).",
                                            valueName: "binance"))
    var account: AccountChoice?
}

/// Reads saved exchange answers with the portfolio loader's file checks.
enum BinanceFiles {
    static func read<T>(_ path: String, _ decode: (Data) throws -> T) throws -> T {
        try MarginWatchError.requireFile(path, kind: "file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MarginWatchError.cannotOpen(path: path, reason: "cannot open: permission denied or unreadable")
        }
        return try decode(data)
    }
}

/// What a command evaluates: the portfolio, and — with `--account` — the account as the
/// exchange reported it (for its own liquidation prices).
struct LoadedBook {
    var loaded: LoadedPortfolio
    var exchange: ExchangeSnapshot?
    /// Symbols whose brackets are the exchange's own (`--brackets`, `--account`).
    var exchangeBrackets: Set<String>
    /// Turns a newer read of the account into the portfolio to watch (same levels and overrides).
    var rebuild: @Sendable (ExchangeSnapshot) -> ExchangeBook

    /// The exchange's liquidation price beside ours, per evaluated position; nil without `--account`.
    func checks(for evaluation: Evaluation) -> [LiquidationCheck]? {
        guard let exchange else { return nil }
        return exchange.checks(for: evaluation, exchangeBrackets: exchangeBrackets)
    }
}

enum BookLoader {
    /// The portfolio of `portfolio` (or the demo), with `--brackets` tables; with `--account`,
    /// the exchange's wallet, positions and brackets in it, read once through `reader`.
    static func load(portfolio: PortfolioOption, brackets: BracketsOption, account: AccountChoice?,
                     reader: BinanceAccountReader? = nil, printingWarnings: Bool = true) throws -> LoadedBook {
        let fileTables = try brackets.tables()
        guard account != nil, let reader else {
            let loaded = try portfolio.load(sources: PortfolioSources(exchangeInstruments: instruments(fileTables)),
                                            printingWarnings: printingWarnings)
            let base = loaded
            return LoadedBook(loaded: loaded, exchange: nil, exchangeBrackets: Set(fileTables.keys),
                              rebuild: { _ in ExchangeBook(portfolio: base.portfolio, exchangeBrackets: Set(fileTables.keys)) })
        }
        let snapshot = try reader.read()
        return try book(from: snapshot, portfolio: portfolio, fileTables: fileTables, printingWarnings: printingWarnings)
    }

    /// The book of an account read (or, when the first read failed, of an empty account).
    static func book(from snapshot: ExchangeSnapshot, portfolio: PortfolioOption, fileTables: [String: BracketTable],
                     printingWarnings: Bool) throws -> LoadedBook {
        let sources = PortfolioSources(exchangeInstruments: instruments(fileTables), accountFromExchange: true)
        var base: LoadedPortfolio
        if portfolio.path != nil {
            base = try portfolio.load(sources: sources, printingWarnings: printingWarnings)
            base.source = "Binance account, levels from \(base.source)"
        } else {
            base = try PortfolioLoader.load(text: "{}", name: "Binance account", sources: sources)
            base.source = "Binance account"
        }
        let fixed = base
        // A --brackets file given on the command line wins over the account's tables.
        let rebuild: @Sendable (ExchangeSnapshot) -> ExchangeBook = { snap in
            ExchangeBook(portfolio: snap.account.portfolio(base: fixed.portfolio, fileInstruments: fixed.fileInstruments,
                                                           brackets: snap.brackets.filter { fileTables[$0.key] == nil }),
                         exchangeBrackets: Set(fileTables.keys).union(snap.brackets.keys).subtracting(fixed.fileInstruments))
        }
        let book = rebuild(snapshot)
        var loaded = base
        loaded.portfolio = book.portfolio
        return LoadedBook(loaded: loaded, exchange: snapshot, exchangeBrackets: book.exchangeBrackets, rebuild: rebuild)
    }

    static func instruments(_ tables: [String: BracketTable]) -> [String: Instrument] {
        Dictionary(uniqueKeysWithValues: tables.map { ($0.key, Instrument(symbol: $0.key, table: $0.value)) })
    }

    /// For a one-shot command (snapshot, stress): the book, the account read once and the
    /// connection closed again.
    static func oneShot(portfolio: PortfolioOption, brackets: BracketsOption, account: AccountOption) throws -> LoadedBook {
        guard account.account != nil else { return try load(portfolio: portfolio, brackets: brackets, account: nil) }
        let reader = try reader()
        defer { reader.rest.shutdown() }
        return try load(portfolio: portfolio, brackets: brackets, account: account.account, reader: reader)
    }

    /// The account reader of `--account binance`: endpoints and keys from the environment.
    static func reader() throws -> BinanceAccountReader {
        let endpoints = try BinanceEndpoints.fromEnvironment()
        let credentials = try BinanceCredentials.fromEnvironment()
        // Read once, then gone from the environment: no program marginwatch starts inherits them.
        for name in ProgramRunner.withheldVariables { unsetenv(name) }
        return BinanceAccountReader(rest: BinanceREST(endpoints: endpoints, credentials: credentials))
    }
}
