/// The lead queue's sort: ranked rows ordered by a 64-bit key, ascending, and equal keys
/// by row, ascending.
///
/// Two steps, both stable, so equal keys (equal scores) keep the ascending row order the
/// rows come in with — the ranking's tie rule, for free:
///
/// 1. A counting pass spreads the row indices into up to 2¹⁶ buckets by the leading 16
///    bits in which the keys differ, in place in the output's `rows` (4 bytes a row).
/// 2. Each bucket is sorted on its own by the bits below, as (key, row, label) entries
///    in a scratch the size of the bucket — a stable least-significant-digit radix sort
///    of 11-bit digits (a digit no two keys of the bucket differ in is skipped), or an
///    insertion sort for a few entries — and written back into the output.
///
/// Both steps run on up to `threads` threads: the counting and spreading over parts of
/// the rows (each part with its own count per bucket: 2 × `threads` parts, at most 16,
/// of 8 bytes a bucket), the buckets' sorts over runs of buckets.
///
/// O(n) time. Beyond the output (row, score, label per position) it needs the largest
/// bucket as entries, and a second copy of the largest bucket that must be sorted; for
/// any spread of scores that is a small share of the rows and stays in cache. Only when
/// most rows share their leading 16 key bits does a bucket approach the row count (and
/// the memory the sort needs, that of the old full-size sort).
enum _RadixSort {
    /// One ranked row of a bucket: its sort key, row index and label code.
    struct Entry {
        var key: UInt64
        var row: UInt32
        var label: UInt8
    }

    private static let leadingBits = 16
    private static let digitBits = 11
    private static let digitCount = 1 << digitBits
    /// At most this many entries are sorted by insertion.
    private static let insertionLimit = 32

    /// Fills `rows` and `sortedLabels` (when given) in rank order. The scores in rank
    /// order are the caller's to gather (`scores[rows[p]]`): the exact values, a −0
    /// among them, which the keys do not keep.
    ///
    /// - Parameters:
    ///   - scores: every row's score, NaN where missing (not ranked); every present
    ///     score's ``descendingKey(_:)`` agrees with every other outside `differing`.
    ///   - labels: every row's label code (``LabelColumn/codes``: 0, 1, or missing), if any;
    ///     copied to `sortedLabels` as it is.
    ///   - differing: the OR of every present score's key XOR one of them.
    ///   - rows: as many slots as there are present scores, and as `sortedLabels` unless
    ///     it is empty (no labels).
    ///   - threads: how many threads sort the buckets; the order is the same on any.
    static func rank(scores: UnsafeBufferPointer<Double>, differing: UInt64,
                     rows: UnsafeMutableBufferPointer<UInt32>,
                     sortedLabels: UnsafeMutableBufferPointer<UInt8>, labels: UnsafeBufferPointer<UInt8>?,
                     threads: Int = 1) {
        guard !rows.isEmpty else { return }
        let hasLabels = !sortedLabels.isEmpty && labels != nil
        let labels = labels ?? UnsafeBufferPointer(start: nil, count: 0)
        let differingBits = 64 - differing.leadingZeroBitCount
        let shift = max(0, differingBits - leadingBits)
        let bucketCount = 1 << min(leadingBits, differingBits)
        let mask = UInt64(bucketCount - 1)
        @inline(__always) func bucket(_ score: Double) -> Int {
            Int(truncatingIfNeeded: (descendingKey(score) >> UInt64(shift)) & mask)
        }

        // Bucket b holds positions starts[b]..<starts[b + 1]. The rows are cut into
        // consecutive parts, each counted and then spread on its own: part p's rows of
        // bucket b go after those of parts before p, so every bucket holds its rows in
        // ascending order, however many parts (the same queue on any thread count).
        var starts = [Int](repeating: 0, count: bucketCount + 1)
        let rowParts = threads > 1 && scores.count >= parallelMinimum ? min(threads * 2, 16) : 1
        let partSize = (scores.count + rowParts - 1) / rowParts
        let cursors = UnsafeMutableBufferPointer<Int>.allocate(capacity: rowParts * bucketCount)
        defer { cursors.deallocate() }
        cursors.initialize(repeating: 0)
        let spread = UncheckedSendable((cursors: cursors, rows: rows))
        // Each part's count per bucket, in its own row of `cursors`.
        RowParallelism.forEachChunk(rowCount: rowParts, threads: threads, minimumChunk: 1) { parts in
            for part in parts {
                let counts = spread.value.cursors.baseAddress! + part * bucketCount
                for row in (part * partSize)..<min(scores.count, (part + 1) * partSize) where !scores[row].isNaN {
                    counts[bucket(scores[row])] &+= 1
                }
            }
        }
        starts.withUnsafeMutableBufferPointer { starts in
            // Each part's first position in each bucket, in place of its count.
            var position = 0
            for index in 0..<bucketCount {
                starts[index] = position
                for part in 0..<rowParts {
                    let count = cursors[part * bucketCount + index]
                    cursors[part * bucketCount + index] = position
                    position &+= count
                }
            }
            starts[bucketCount] = position
        }
        RowParallelism.forEachChunk(rowCount: rowParts, threads: threads, minimumChunk: 1) { parts in
            for part in parts {
                let cursors = spread.value.cursors.baseAddress! + part * bucketCount
                let rows = spread.value.rows
                for row in (part * partSize)..<min(scores.count, (part + 1) * partSize) where !scores[row].isNaN {
                    let index = bucket(scores[row])
                    rows[cursors[index]] = UInt32(truncatingIfNeeded: row)
                    cursors[index] &+= 1
                }
            }
        }

        // The buckets are independent: each writes only its own positions. With several
        // threads, consecutive runs of buckets of about equal rows are sorted at once,
        // each run with its own entries, scratch and histograms.
        let parts = threads > 1 && rows.count >= parallelMinimum ? threads * 4 : 1
        var bounds = [0]
        // One thread: one run of every bucket (a cut here would start a second thread).
        for index in 0..<bucketCount where parts > 1 && starts[index + 1] * parts >= rows.count * bounds.count
            && index + 1 < bucketCount {
            bounds.append(index + 1)
        }
        bounds.append(bucketCount)
        let runBounds = bounds
        let context = UncheckedSendable((scores: scores, rows: rows, sortedLabels: sortedLabels,
                                         labels: labels, hasLabels: hasLabels, starts: starts))
        let runs = runBounds.count - 1
        let sortRun = { @Sendable (run: Int) in
            let work = context.value
            work.starts.withUnsafeBufferPointer { starts in
                sortBuckets(runBounds[run]..<runBounds[run + 1], starts: starts, scores: work.scores, rows: work.rows,
                            sortedLabels: work.sortedLabels, labels: work.labels,
                            hasLabels: work.hasLabels)
            }
        }
        if runs == 1 {
            sortRun(0)
        } else {
            RowParallelism.forEachChunk(rowCount: runs, threads: threads, minimumChunk: 1) { runs in
                for run in runs { sortRun(run) }
            }
        }
    }

    /// Rows below which the buckets are sorted on one thread.
    static let parallelMinimum = 1 << 16

    /// Sorts `buckets` (positions `starts[b]..<starts[b + 1]` of `rows` each) and writes
    /// their rows and labels back in rank order.
    private static func sortBuckets(_ buckets: Range<Int>, starts: UnsafeBufferPointer<Int>, scores: UnsafeBufferPointer<Double>,
                                    rows: UnsafeMutableBufferPointer<UInt32>,
                                    sortedLabels: UnsafeMutableBufferPointer<UInt8>, labels: UnsafeBufferPointer<UInt8>,
                                    hasLabels: Bool) {
        var capacity = 0
        var scratchCapacity = 0
        var entries = UnsafeMutableBufferPointer<Entry>.allocate(capacity: 0)
        var scratch = UnsafeMutableBufferPointer<Entry>.allocate(capacity: 0)
        defer {
            entries.deallocate()
            scratch.deallocate()
        }
        // The spread's starts and ends (2 × 2,048 + 1), then a radix sort's digits below them.
        var histograms = [Int](repeating: 0, count: 2 * digitCount + 1 + ((64 + digitBits - 1) / digitBits) * digitCount)
        for index in buckets {
            let start = starts[index]
            let count = starts[index + 1] - start
            guard count > 0 else { continue }
            if count > capacity {
                entries.deallocate()
                capacity = count
                entries = .allocate(capacity: capacity)
            }
            // One gather of the bucket's scores (and labels), in ascending row order.
            let first = descendingKey(scores[Int(rows[start])])
            var bucketDiffering: UInt64 = 0
            for offset in 0..<count {
                let row = Int(rows[start + offset])
                let key = descendingKey(scores[row])
                bucketDiffering |= key ^ first
                let label: UInt8 = hasLabels ? labels[row] : 0
                entries[offset] = Entry(key: key, row: UInt32(truncatingIfNeeded: row), label: label)
            }
            var sorted = entries
            if bucketDiffering == 0 {
                // One score: the rows are in order already.
            } else if count <= insertionLimit {
                insertionSort(entries, count: count)
            } else {
                if count > scratchCapacity {
                    scratch.deallocate()
                    scratchCapacity = count
                    scratch = .allocate(capacity: scratchCapacity)
                }
                sorted = histograms.withUnsafeMutableBufferPointer { histograms in
                    spreadAndSort(entries, scratch: scratch, count: count, differing: bucketDiffering,
                                  histograms: histograms)
                }
            }
            for offset in 0..<count {
                let entry = sorted[offset]
                rows[start + offset] = entry.row
                if hasLabels { sortedLabels[start + offset] = entry.label }
            }
        }
    }

    /// Stable insertion sort of the first `count` entries by key.
    private static func insertionSort(_ entries: UnsafeMutableBufferPointer<Entry>, count: Int) {
        for index in 1..<count {
            let entry = entries[index]
            var slot = index
            while slot > 0 && entries[slot - 1].key > entry.key {
                entries[slot] = entries[slot - 1]
                slot -= 1
            }
            entries[slot] = entry
        }
    }

    /// Stable sort of the first `count` entries by key: one counting pass spreads them by
    /// the highest bits in which they differ — about as many sub-buckets as entries, so most
    /// hold one or two — and each sub-bucket is then sorted on its own (by insertion when
    /// small, else ``radixSort(_:scratch:count:differing:histograms:)``). Returns the buffer
    /// (`entries` or `scratch`) holding the result.
    ///
    /// A bucket of a 10M-lead queue holds a few hundred entries; a least-significant-digit
    /// sort of their 40 differing bits takes four passes, each with a histogram of 2,048
    /// digits to clear and sum: more work in the histograms than in the entries (perf: the
    /// sort's buckets, 0.25 s of CPU of a 10M-lead audit's 0.35 s in the sort).
    private static func spreadAndSort(_ entries: UnsafeMutableBufferPointer<Entry>,
                                      scratch: UnsafeMutableBufferPointer<Entry>, count: Int, differing: UInt64,
                                      histograms: UnsafeMutableBufferPointer<Int>) -> UnsafeMutableBufferPointer<Entry> {
        let differingBits = 64 - differing.leadingZeroBitCount
        // 2^bits ≥ count sub-buckets, at most a digit's worth.
        let bits = min(differingBits, digitBits, Int.bitWidth - (count - 1).leadingZeroBitCount)
        let shift = UInt64(differingBits - bits)
        let mask = UInt64((1 << bits) - 1)
        let subBuckets = 1 << bits
        // Sub-bucket d starts at histograms[d]; its end is kept at histograms[subBuckets + d].
        for index in 0...subBuckets { histograms[index] = 0 }
        for offset in 0..<count {
            histograms[Int(truncatingIfNeeded: (entries[offset].key >> shift) & mask) + 1] &+= 1
        }
        for index in 0..<subBuckets { histograms[index + 1] &+= histograms[index] }
        for index in 0..<subBuckets { histograms[subBuckets + 1 + index] = histograms[index + 1] }
        for offset in 0..<count {
            let entry = entries[offset]
            let digit = Int(truncatingIfNeeded: (entry.key >> shift) & mask)
            let slot = histograms[digit]
            histograms[digit] = slot &+ 1
            scratch[slot] = entry
        }
        // Sub-bucket d now spans histograms[d − 1]..<histograms[d] (d = 0 from 0): its
        // entries in the order they came, which is the tie order.
        let ends = UnsafeMutableBufferPointer(rebasing: histograms[(subBuckets + 1)...])
        var start = 0
        for digit in 0..<subBuckets {
            let end = ends[digit]
            let size = end - start
            if size > 1 {
                let part = UnsafeMutableBufferPointer(rebasing: scratch[start..<end])
                if size <= insertionLimit {
                    insertionSort(part, count: size)
                } else {
                    var partDiffering: UInt64 = 0
                    let first = part[0].key
                    for entry in part { partDiffering |= entry.key ^ first }
                    if partDiffering != 0 {
                        // The sub-bucket's old slots in `entries` are free: its scratch.
                        let spare = UnsafeMutableBufferPointer(rebasing: entries[start..<end])
                        let histogramsBelow = UnsafeMutableBufferPointer(rebasing: histograms[(2 * subBuckets + 1)...])
                        let result = radixSort(part, scratch: spare, count: size, differing: partDiffering,
                                               histograms: histogramsBelow)
                        if result.baseAddress != part.baseAddress {
                            _ = part.update(fromContentsOf: result)
                        }
                    }
                }
            }
            start = end
        }
        return scratch
    }

    /// Stable LSD radix sort of the first `count` entries by key, over the digits in which
    /// `differing` has a bit; returns the buffer (`entries` or `scratch`) holding the result.
    private static func radixSort(_ entries: UnsafeMutableBufferPointer<Entry>, scratch: UnsafeMutableBufferPointer<Entry>,
                                  count: Int, differing: UInt64,
                                  histograms: UnsafeMutableBufferPointer<Int>) -> UnsafeMutableBufferPointer<Entry> {
        let passCount = (64 - differing.leadingZeroBitCount + digitBits - 1) / digitBits
        let digitMask = UInt64(digitCount - 1)
        for index in 0..<(passCount * digitCount) { histograms[index] = 0 }
        for offset in 0..<count {
            let key = entries[offset].key
            for pass in 0..<passCount {
                let digit = Int(truncatingIfNeeded: (key >> UInt64(pass * digitBits)) & digitMask)
                histograms[pass * digitCount + digit] &+= 1
            }
        }
        var source = entries
        var target = scratch
        for pass in 0..<passCount where (differing >> UInt64(pass * digitBits)) & digitMask != 0 {
            let base = pass * digitCount
            var running = 0
            for digit in 0..<digitCount {
                let bucketSize = histograms[base + digit]
                histograms[base + digit] = running
                running &+= bucketSize
            }
            let shift = UInt64(pass * digitBits)
            for offset in 0..<count {
                let entry = source[offset]
                let digit = base + Int(truncatingIfNeeded: (entry.key >> shift) & digitMask)
                let slot = histograms[digit]
                histograms[digit] = slot &+ 1
                target[slot] = entry
            }
            swap(&source, &target)
        }
        return source
    }

    /// A key whose ascending order is the scores' descending order; -0 and +0 map to
    /// the same key, so they tie as `==` says they do.
    @inline(__always)
    static func descendingKey(_ score: Double) -> UInt64 {
        let bits = (score + 0.0).bitPattern
        let ascending = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        return ~ascending
    }
}
