/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seeded random number generator,
/// so that sampled attributions are reproducible from their seed.
///
///     var generator = SeededGenerator(seed: 42)
///     Double.random(in: 0..<1, using: &generator)
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for stream `stream` of `seed` (e.g. one per explained row), independent
    /// of the order in which streams are used.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
