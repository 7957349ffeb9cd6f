/// Why an engine cannot be built from a portfolio that bypassed the loader's checks.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    case missingInstrument(symbol: String)
    case noPrice(symbol: String)

    public var description: String {
        switch self {
        case .missingInstrument(let symbol):
            return "\(symbol) has no instrument table (give one under instruments:)"
        case .noPrice(let symbol):
            return "\(symbol) has no price: no position on it and no feed.symbols.\(symbol).start"
        }
    }
}
