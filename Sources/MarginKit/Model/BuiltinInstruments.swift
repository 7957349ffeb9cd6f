/// Instruments marginwatch knows without a portfolio `instruments:` entry.
///
/// Binance USDⓈ-M brackets as published 2024-10-24 (docs/formulas.md; source: freqtrade's
/// `binance_leverage_tiers.json`). The cum values are the published ones; a test checks they
/// satisfy the continuity rule.
public enum BuiltinInstruments {
    /// BTCUSDT perpetual.
    public static let btcusdt = Instrument(symbol: "BTCUSDT", table: BracketTable(tiers: [
        (0, 0.004, 0), (50_000, 0.005, 50), (600_000, 0.0065, 950),
        (3_000_000, 0.01, 11_450), (12_000_000, 0.02, 131_450), (70_000_000, 0.025, 481_450),
        (100_000_000, 0.05, 2_981_450), (230_000_000, 0.10, 14_481_450),
        (480_000_000, 0.125, 26_481_450), (600_000_000, 0.15, 41_481_450),
        (800_000_000, 0.25, 121_481_450), (1_200_000_000, 0.50, 421_481_450),
    ]))

    /// ETHUSDT perpetual.
    public static let ethusdt = Instrument(symbol: "ETHUSDT", table: BracketTable(tiers: [
        (0, 0.004, 0), (50_000, 0.005, 50), (600_000, 0.0065, 950),
        (3_000_000, 0.01, 11_450), (12_000_000, 0.02, 131_450), (50_000_000, 0.025, 381_450),
        (65_000_000, 0.05, 2_006_450), (150_000_000, 0.10, 9_506_450),
        (320_000_000, 0.125, 17_506_450), (400_000_000, 0.15, 27_506_450),
        (530_000_000, 0.25, 80_506_450), (800_000_000, 0.50, 280_506_450),
    ]))

    /// All built-ins by symbol.
    public static let all: [String: Instrument] = [
        btcusdt.symbol: btcusdt,
        ethusdt.symbol: ethusdt,
    ]
}
