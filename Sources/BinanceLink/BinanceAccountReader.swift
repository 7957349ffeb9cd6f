import Foundation
import MarginKit

/// Reads the whole account: multi-assets mode, wallet, positions, and the brackets of the
/// symbols held — four requests, so not one atomic moment at the exchange, but either all of it
/// is read or none of it is used (an error is thrown): a failed refresh never leaves a
/// half-updated account on screen.
public struct BinanceAccountReader: Sendable {
    public let rest: BinanceREST

    public init(rest: BinanceREST) { self.rest = rest }

    public func read() throws -> ExchangeSnapshot {
        let mode = try rest.signedGet("/fapi/v1/multiAssetsMargin")
        if try decode("GET /fapi/v1/multiAssetsMargin", { try BinanceDecoders.multiAssetsMode(mode, file: $0) }) {
            throw BinanceError.unusable("the account is in multi-assets mode, which marginwatch does not model "
                + "(other assets count as margin at the exchange's haircuts); switch to single-asset mode to watch it")
        }
        let accountData = try rest.signedGet("/fapi/v2/account")
        let positionData = try rest.signedGet("/fapi/v2/positionRisk")
        let (wallet, others) = try decode("GET /fapi/v2/account") { try BinanceDecoders.account(accountData, file: $0) }
        let positions = try decode("GET /fapi/v2/positionRisk") { try BinanceDecoders.positions(positionData, file: $0) }
        let account = ExchangeAccount(wallet: wallet, positions: positions, otherAssets: others)
        var brackets: [String: BracketTable] = [:]
        if !account.symbols.isEmpty {
            let data = try rest.signedGet("/fapi/v1/leverageBracket")
            let all = try decode("GET /fapi/v1/leverageBracket") { try BinanceDecoders.brackets(data, file: $0) }
            for symbol in account.symbols {
                guard let table = all[symbol] else {
                    throw BinanceError.unusable("Binance sent no brackets for \(symbol), which the account holds")
                }
                brackets[symbol] = table
            }
        }
        return ExchangeSnapshot(account: account, brackets: brackets)
    }

    private func decode<T>(_ name: String, _ body: (String) throws -> T) throws -> T {
        do { return try body(name) } catch let error as MarginWatchError {
            throw BinanceError.unusable("Binance's answer cannot be used: \(error.description)")
        }
    }
}
