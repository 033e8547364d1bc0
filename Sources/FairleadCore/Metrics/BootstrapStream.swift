/// The random stream of one group's bootstrap replicates, named rather than numbered.
///
/// ``MetricFrame/bootstrap(_:reference:metrics:)`` draws every group's replicates from a
/// stream of its own, seeded by the configuration's seed and the names of what is drawn:
/// the draw family (``Family``), the grouping's attribute names and the group's values.
/// Nothing about the order of the draws enters the seed, so adding metrics, groups of
/// another grouping, or labels (which add the label-dependent family) leaves every
/// other stream, and the intervals drawn from it, exactly as it was:
///
///     // the same stream with or without labels, whatever else is bootstrapped
///     BootstrapStream.seed(7, family: .labelFree, attributes: ["ethnicity"], group: ["black"])
///
/// The seed is `splitmix64(seed ⊕ h)`, where `h` is the 64-bit FNV-1a hash of the UTF-8
/// bytes of the family's name, each attribute name and each group value, each followed
/// by the byte 0xFF (which UTF-8 never contains, so no two lists of names hash the same
/// bytes). Replicate `r` then uses `SeededGenerator(seed: streamSeed, stream: r)`.
/// Stable across machines, thread counts and Swift versions (Swift's own `Hasher` is
/// randomly seeded per process and is not used).
public enum BootstrapStream {
    /// Which of a group's statistics a replicate redraws.
    public enum Family: String, Sendable, CaseIterable {
        /// Metrics that read only whether a row was selected (selection rate, share,
        /// mean score): the selected and not-selected rows are redrawn, as a binomial.
        /// An audit without labels and the same audit completed with labels draw these
        /// identically.
        case labelFree = "label_free"
        /// Metrics that need labels: the four confusion cells are redrawn together, as a
        /// multinomial, so that rates combined per replicate (equalized odds) stay joint.
        case labelled
    }

    /// The seed of the stream of `group` of the grouping by `attributes`, for `family`.
    public static func seed(_ seed: UInt64, family: Family, attributes: [String], group: GroupKey) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ name: String) {
            for byte in name.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        add(family.rawValue)
        attributes.forEach(add)
        group.values.forEach(add)
        var z = (seed ^ hash) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
