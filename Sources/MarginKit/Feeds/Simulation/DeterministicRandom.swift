/// A seeded random source that gives the same numbers on every machine: xoshiro256** seeded
/// through SplitMix64, with normals from the polar method over a logarithm built only from
/// IEEE-754 +, −, ×, ÷ and sqrt (all correctly rounded everywhere), not the platform's libm.
public struct DeterministicRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func nextBits() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(nextBits() >> 11) * 0x1.0p-53 }

    /// Standard normal (Marsaglia's polar method; the second value of each pair is kept).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            guard s > 0, s < 1 else { continue }
            let factor = (-2 * Self.ln(s) / s).squareRoot()
            spareNormal = v * factor
            return u * factor
        }
    }

    /// Natural logarithm of x > 0 from basic operations only: x = m·2ᵏ with m in [√½, √2),
    /// ln m = 2·atanh((m−1)/(m+1)) by its series. Accurate to a few ulp; identical everywhere.
    static func ln(_ x: Double) -> Double {
        var m = x.significand        // [1, 2)
        var k = Double(x.exponent)
        if m > 1.4142135623730951 { m /= 2; k += 1 }
        let t = (m - 1) / (m + 1)
        let t2 = t * t
        var term = t
        var sum = 0.0
        var n = 1.0
        while true {
            let next = sum + term / n
            if next == sum { break }
            sum = next
            term *= t2
            n += 2
        }
        return 2 * sum + k * 0.6931471805599453
    }
}
