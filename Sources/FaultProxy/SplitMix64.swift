/// SplitMix64 is a tiny, fast, seedable random number generator (Steele, Lea, Flood 2014).
///
/// The proxy draws jitter from it, so a run with the same seed repeats the same delays.
/// Not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is fully determined by `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for a child object (a connection), derived from this one so runs stay repeatable.
    mutating func split() -> SplitMix64 {
        SplitMix64(seed: self.next())
    }
}
