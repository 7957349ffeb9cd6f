import ArgumentParser
import Foundation
import MarginKit

/// `marginwatch import binance`: a portfolio file from saved exchange answers.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a portfolio file from an exchange's saved account answers.",
        subcommands: [ImportBinanceCommand.self])
}

struct ImportBinanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binance",
        abstract: "Portfolio YAML (on standard output) from saved Binance USDⓈ-M answers: no API key needed.",
        discussion: """
        Save the three answers yourself (GET /fapi/v2/account, /fapi/v2/positionRisk and \
        /fapi/v1/leverageBracket, e.g. from the exchange's API console) and give them here. The \
        portfolio has the wallet, every open position at the exchange's mark (its liquidation \
        price in a comment) and the brackets of each symbol held. Hedge-mode accounts are refused.
        """)

    @Option(name: .customLong("account"), help: ArgumentHelp("Saved GET /fapi/v2/account answer.", valueName: "ACCOUNT.json"),
            completion: .file(extensions: ["json"]))
    var accountFile: String

    @Option(name: .long, help: ArgumentHelp("Saved GET /fapi/v2/positionRisk answer.", valueName: "POSITIONS.json"),
            completion: .file(extensions: ["json"]))
    var positions: String

    @Option(name: .long, help: ArgumentHelp("Saved GET /fapi/v1/leverageBracket answer.", valueName: "BRACKETS.json"),
            completion: .file(extensions: ["json"]))
    var brackets: String

    func run() throws {
        let (wallet, others) = try BinanceFiles.read(accountFile) { try BinanceDecoders.account($0, file: accountFile) }
        let held = try BinanceFiles.read(positions) { try BinanceDecoders.positions($0, file: positions) }
        let tables = try BinanceFiles.read(brackets) { try BinanceDecoders.brackets($0, file: brackets) }
        let account = ExchangeAccount(wallet: wallet, positions: held, otherAssets: others)
        let yaml = try BinanceImport.yaml(account: account, brackets: tables, bracketsFile: brackets,
                                          sources: [accountFile, positions, brackets].map { PrintableText.escaped(($0 as NSString).lastPathComponent) })
        // Read back before it is given: what is printed must load as the same account.
        let check = try PortfolioLoader.load(text: yaml, name: "imported portfolio").portfolio
        guard check.wallet == wallet, check.positions == held.map(\.spec) else {
            throw MarginWatchError.invalidContent(SourceLocation(file: positions), "the portfolio written does not read back as the account")
        }
        print(yaml, terminator: "")
    }
}
