/// The four ticks of one OHLC bar, on the contract's conservative path: open at T₀; an up bar
/// (close ≥ open) visits its low at T₀ + ⌊(T₁−T₀)/3⌋ and its high at T₀ + ⌊2(T₁−T₀)/3⌋, a down
/// bar its high first, then its low; close at T₁.
enum BarPath {
    @inline(__always)
    static func ticks(openTime t0: Int64, closeTime t1: Int64, open: Double, high: Double, low: Double,
                      close: Double, symbol: Int32) -> (Tick, Tick, Tick, Tick) {
        let span = t1 - t0
        let first = t0 + span / 3
        let second = t0 + (2 * span) / 3
        let up = close >= open
        return (Tick(time: t0, symbol: symbol, price: open),
                Tick(time: first, symbol: symbol, price: up ? low : high),
                Tick(time: second, symbol: symbol, price: up ? high : low),
                Tick(time: t1, symbol: symbol, price: close))
    }
}
