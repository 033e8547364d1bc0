/// Stable least-significant-digit radix sort of the queue's entries by a 64-bit key.
///
/// Stability is what makes the ranking's tie rule free: entries go in in ascending row
/// order, so entries with equal keys (equal scores) come out in ascending row order.
/// Five passes of 13-bit digits; a digit that is the same for every key (the sign and
/// exponent bits of scores in a narrow range) is skipped. O(n) time, n extra entries.
/// The label rides along in the entry's padding, so no random gather is needed for it.
enum _RadixSort {
    /// One ranked row: its sort key, row index and label code.
    struct Entry {
        var key: UInt64
        var row: UInt32
        var label: UInt8
    }

    private static let digitBits = 13
    private static let bucketCount = 1 << digitBits
    private static let passCount = (64 + digitBits - 1) / digitBits

    /// Sorts `entries` by key, ascending and stably.
    static func sort(_ entries: inout [Entry]) {
        let count = entries.count
        guard count > 1 else { return }
        var histograms = [Int](repeating: 0, count: passCount * bucketCount)
        histograms.withUnsafeMutableBufferPointer { histogram in
            entries.withUnsafeBufferPointer { entries in
                for entry in entries {
                    for pass in 0..<passCount {
                        let digit = Int(truncatingIfNeeded: entry.key >> UInt64(pass * digitBits)) & (bucketCount - 1)
                        histogram[pass * bucketCount + digit] &+= 1
                    }
                }
            }
        }
        var buffer = [Entry](repeating: Entry(key: 0, row: 0, label: 0), count: count)
        var offsets = [Int](repeating: 0, count: bucketCount)
        for pass in 0..<passCount {
            let base = pass * bucketCount
            if histograms[base..<(base + bucketCount)].contains(count) { continue }
            var running = 0
            for bucket in 0..<bucketCount {
                offsets[bucket] = running
                running += histograms[base + bucket]
            }
            let shift = UInt64(pass * digitBits)
            entries.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { target in
                    offsets.withUnsafeMutableBufferPointer { offsets in
                        for entry in source {
                            let digit = Int(truncatingIfNeeded: entry.key >> shift) & (bucketCount - 1)
                            let slot = offsets[digit]
                            offsets[digit] = slot &+ 1
                            target[slot] = entry
                        }
                    }
                }
            }
            swap(&entries, &buffer)
        }
    }

    /// A key whose ascending order is the scores' descending order; -0 and +0 map to
    /// the same key, so they tie as `==` says they do.
    @inline(__always)
    static func descendingKey(_ score: Double) -> UInt64 {
        let bits = (score + 0.0).bitPattern
        let ascending = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        return ~ascending
    }

    /// The score a ``descendingKey(_:)`` came from (+0 for either zero).
    @inline(__always)
    static func score(fromDescendingKey key: UInt64) -> Double {
        let ascending = ~key
        let bits = ascending >> 63 == 1 ? ascending & ~(1 << 63) : ~ascending
        return Double(bitPattern: bits)
    }
}
