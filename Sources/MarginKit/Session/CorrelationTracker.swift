import Foundation

/// Estimates, from the feed, the correlation of each pair of held symbols: the Pearson
/// correlation of log returns sampled on a fixed grid of feed time, over the latest `window`
/// returns (`alerts.correlated_exposure`).
///
/// A sample is the marks at the first time step at or after each grid point (a step that jumps
/// several points gives one return, over the gap). The sums are kept rolling, so a sample costs
/// O(pairs) and a step that is not a sample costs one comparison; they are summed afresh once per
/// window, so rounding cannot pile up over a year of samples.
public struct CorrelationTracker: Sendable {
    /// The engine symbol indices tracked, ascending.
    public let symbols: [Int]
    public let sampleMs: Int64
    public let window: Int
    /// Where each engine symbol is in `symbols` (−1: not tracked).
    private let slot: [Int]
    private var nextSample: Int64?
    private var lastLog: [Double]
    /// The latest returns, `window` rows of `symbols.count`, a ring starting at `head`.
    private var returns: [Double]
    private var head = 0
    /// How many returns the ring holds (≤ window).
    public private(set) var count = 0
    private var sum: [Double]
    private var sumSquares: [Double]
    /// Σ xᵢ·xⱼ for i < j, row-major over the upper triangle.
    private var sumProducts: [Double]
    private var sinceResum = 0

    /// - Parameters: symbols: engine indices of the symbols to track; symbolCount: how many the engine has.
    public init(symbols: [Int], symbolCount: Int, sampleMs: Int64, window: Int) {
        self.symbols = symbols.sorted()
        self.sampleMs = max(1, sampleMs)
        self.window = max(2, window)
        var slot = Array(repeating: -1, count: symbolCount)
        for (k, s) in self.symbols.enumerated() { slot[s] = k }
        self.slot = slot
        let n = symbols.count
        lastLog = Array(repeating: 0, count: n)
        returns = Array(repeating: 0, count: self.window * n)
        sum = Array(repeating: 0, count: n)
        sumSquares = Array(repeating: 0, count: n)
        sumProducts = Array(repeating: 0, count: n * (n - 1) / 2)
    }

    /// Takes a sample when the step at `time` has reached the next grid point.
    /// - Returns: whether a new return was recorded (the correlations may have changed).
    @inline(__always)
    public mutating func observe(time: Int64, marks: [Double]) -> Bool {
        isDue(at: time) ? sample(time: time, marks: marks) : false
    }

    /// Whether a step at `time` takes a sample.
    @inline(__always)
    public func isDue(at time: Int64) -> Bool {
        if let next = nextSample, time < next || next == .max { return false }
        return true
    }

    @inline(never)
    private mutating func sample(time: Int64, marks: [Double]) -> Bool {
        let (q, r) = time.quotientAndRemainder(dividingBy: sampleMs)
        let first = nextSample == nil
        // The next grid point after `time` (a time at the very end of Int64 has none).
        let (k, pastEnd) = q.addingReportingOverflow(r < 0 ? 0 : 1)
        let (next, overflow) = k.multipliedReportingOverflow(by: sampleMs)
        nextSample = pastEnd || overflow ? .max : next
        let n = symbols.count
        guard !first else {
            for k in 0..<n { lastLog[k] = Foundation.log(marks[symbols[k]]) }
            return false
        }
        let row = head * n
        if count == window { remove(row: row) }
        for k in 0..<n {
            let now = Foundation.log(marks[symbols[k]])
            returns[row + k] = now - lastLog[k]
            lastLog[k] = now
        }
        add(row: row, sign: 1)
        head = (head + 1) % window
        count = min(window, count + 1)
        sinceResum += 1
        if sinceResum >= window { resum() }
        return true
    }

    /// Takes the oldest return, about to be overwritten, out of the sums.
    private mutating func remove(row: Int) { add(row: row, sign: -1) }

    /// Adds (sign 1) or takes out (−1) one row of returns from the sums.
    private mutating func add(row: Int, sign: Double) {
        let n = symbols.count
        var p = 0
        for i in 0..<n {
            let x = returns[row + i]
            sum[i] += sign * x
            sumSquares[i] += sign * x * x
            for j in (i + 1)..<max(i + 1, n) {
                sumProducts[p] += sign * x * returns[row + j]
                p += 1
            }
        }
    }

    /// Sums everything again from the ring (exact, once per window).
    private mutating func resum() {
        sinceResum = 0
        for k in sum.indices { sum[k] = 0; sumSquares[k] = 0 }
        for p in sumProducts.indices { sumProducts[p] = 0 }
        for r in 0..<count { add(row: r * symbols.count, sign: 1) }
    }

    /// Returns the estimate needs before it says anything.
    public var needed: Int { min(window, CorrelatedExposure.minimumSamples) }

    /// The correlation of two tracked symbols (engine indices) over the returns held; nil with
    /// fewer than `CorrelatedExposure.minimumSamples` returns, when either did not move, or when
    /// a symbol is not tracked.
    public func correlation(_ a: Int, _ b: Int) -> Double? {
        guard count >= needed, a != b,
              a >= 0, b >= 0, a < slot.count, b < slot.count else { return nil }
        let (i, j) = (min(slot[a], slot[b]), max(slot[a], slot[b]))
        guard i >= 0 else { return nil }
        let n = symbols.count
        let p = i * n - i * (i + 1) / 2 + (j - i - 1)
        let c = Double(count)
        let cov = c * sumProducts[p] - sum[i] * sum[j]
        let vi = c * sumSquares[i] - sum[i] * sum[i]
        let vj = c * sumSquares[j] - sum[j] * sum[j]
        // A symbol that did not move (or moved by rounding only) has no correlation to speak of.
        let scale = max(c * sumSquares[i], c * sumSquares[j])
        guard vi > 1e-12 * scale, vj > 1e-12 * scale, vi > 0, vj > 0 else { return nil }
        return min(1, max(-1, cov / (vi * vj).squareRoot()))
    }
}
