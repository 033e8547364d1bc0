/// Stable least-significant-digit radix sort of 64-bit keys carrying a row index each.
///
/// Stability is what makes the ranking's tie rule free: rows enter in ascending row
/// order, so rows with equal keys (equal scores) leave in ascending row order.
/// Six passes of 11-bit digits; a digit that is the same for every key (the sign and
/// most exponent bits of scores in 0...1) is skipped. O(n) time, 2n extra space.
enum _RadixSort {
    private static let digitBits = 11
    private static let bucketCount = 1 << digitBits
    private static let passCount = (64 + digitBits - 1) / digitBits

    /// Sorts `keys` ascending and applies the same permutation to `rows`.
    static func sort(keys: inout [UInt64], rows: inout [UInt32]) {
        precondition(keys.count == rows.count)
        let count = keys.count
        guard count > 1 else { return }
        var histograms = [Int](repeating: 0, count: passCount * bucketCount)
        histograms.withUnsafeMutableBufferPointer { histogram in
            keys.withUnsafeBufferPointer { keys in
                for key in keys {
                    for pass in 0..<passCount {
                        let digit = Int(truncatingIfNeeded: key >> UInt64(pass * digitBits)) & (bucketCount - 1)
                        histogram[pass * bucketCount + digit] &+= 1
                    }
                }
            }
        }
        var keyBuffer = [UInt64](repeating: 0, count: count)
        var rowBuffer = [UInt32](repeating: 0, count: count)
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
            keys.withUnsafeBufferPointer { sourceKeys in
                rows.withUnsafeBufferPointer { sourceRows in
                    keyBuffer.withUnsafeMutableBufferPointer { targetKeys in
                        rowBuffer.withUnsafeMutableBufferPointer { targetRows in
                            offsets.withUnsafeMutableBufferPointer { offsets in
                                for index in 0..<count {
                                    let key = sourceKeys[index]
                                    let digit = Int(truncatingIfNeeded: key >> shift) & (bucketCount - 1)
                                    let target = offsets[digit]
                                    offsets[digit] = target &+ 1
                                    targetKeys[target] = key
                                    targetRows[target] = sourceRows[index]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keyBuffer)
            swap(&rows, &rowBuffer)
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
