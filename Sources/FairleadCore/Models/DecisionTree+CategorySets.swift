extension DecisionTree {
    /// The category sets of a tree's categorical splits, each held in whichever form is
    /// small for it: a bitset (one bit per code from 0 to its largest) or its codes, sorted.
    ///
    /// A bitset answers in one load, but its size follows the largest code, not the number
    /// of codes: the set {16777215} would take 2 MiB, and a file of a few hundred KB with
    /// thousands of such splits would take gigabytes. So a set is a bitset only when that
    /// takes at most two words per code (every set of codes below 128 with a code in it);
    /// otherwise it is its sorted codes, searched by bisection. Memory is then at most
    /// 16 bytes per code the file lists (XGBoost) or 8 per bitset word it writes (LightGBM),
    /// plus 32 per set — bounded by the file.
    ///
    ///     var sets = DecisionTree.CategorySets()
    ///     let index = sets.append(categories: [3, 16_777_215])   // stored as 2 sorted codes
    ///     sets.contains(16_777_215, inSet: index)                // true
    public struct CategorySets: Sendable {
        /// Where one set lies in `words` or `codes`.
        @usableFromInline
        struct Entry: Sendable {
            /// The first word (bitset) or code (sorted) of the set.
            @usableFromInline var start: Int
            /// The number of words or codes.
            @usableFromInline var count: Int
            /// Codes at or above it are not in the set (64 × words, or the largest code + 1).
            @usableFromInline var end: Int
            /// Whether the set is held as sorted codes rather than a bitset.
            @usableFromInline var isSorted: Bool
        }

        @usableFromInline var entries: [Entry] = []
        /// The words of every bitset, one set after another.
        @usableFromInline var words: [UInt64] = []
        /// The codes of every sorted set, one set after another.
        @usableFromInline var codes: [UInt32] = []

        /// No sets.
        public init() {}

        /// The number of sets.
        public var count: Int { entries.count }

        /// The 64-bit words the sets take (a sorted code is half a word): what the tree holds
        /// for its categorical splits, bounded by what its file lists.
        public var storedWords: Int { words.count + (codes.count + 1) / 2 }

        /// Appends the set of `categories` (non-negative codes, in any order, repeats
        /// allowed) and returns its index.
        @discardableResult
        public mutating func append(categories: [Int]) -> Int {
            let sorted = Array(Set(categories.filter { $0 >= 0 })).sorted()
            let largest = sorted.last ?? 0
            let wordCount = largest / 64 + 1
            if wordCount <= max(1, 2 * sorted.count) || largest > Int(UInt32.max) {
                var bits = [UInt64](repeating: 0, count: wordCount)
                for category in sorted { bits[category >> 6] |= 1 << UInt64(category & 63) }
                return appendBitset(bits)
            }
            return appendSorted(sorted.map { UInt32($0) })
        }

        /// Appends the set whose members are the set bits of `bits` (code 64·i + j is bit j
        /// of word i) and returns its index.
        @discardableResult
        public mutating func append(bitset bits: [UInt64]) -> Int {
            let used = (bits.lastIndex { $0 != 0 } ?? 0) + 1
            let members = bits.prefix(used).reduce(0) { $0 + $1.nonzeroBitCount }
            let largest = 64 * used - 1
            guard used > max(1, 2 * members), largest <= Int(UInt32.max) else {
                return appendBitset(Array(bits.prefix(used)))
            }
            var sorted: [UInt32] = []
            sorted.reserveCapacity(members)
            for (index, word) in bits.prefix(used).enumerated() where word != 0 {
                var remaining = word
                while remaining != 0 {
                    sorted.append(UInt32(64 * index + remaining.trailingZeroBitCount))
                    remaining &= remaining - 1
                }
            }
            return appendSorted(sorted)
        }

        private mutating func appendBitset(_ bits: [UInt64]) -> Int {
            entries.append(Entry(start: words.count, count: bits.count, end: 64 * bits.count, isSorted: false))
            words.append(contentsOf: bits)
            return entries.count - 1
        }

        private mutating func appendSorted(_ sorted: [UInt32]) -> Int {
            entries.append(Entry(start: codes.count, count: sorted.count, end: Int(sorted.last ?? 0) + 1, isSorted: true))
            codes.append(contentsOf: sorted)
            return entries.count - 1
        }

        /// Whether the category `code` is in set `index`; a code that is negative, not a
        /// number, or past the set's largest member is not.
        @inlinable
        public func contains(_ code: Double, inSet index: Int) -> Bool {
            let entry = entries[index]
            guard code >= 0, code < Double(entry.end) else { return false }
            let category = Int(code)
            if !entry.isSorted {
                return words[entry.start + (category >> 6)] & (1 << UInt64(category & 63)) != 0
            }
            return codes.withUnsafeBufferPointer { codes in
                var (low, high) = (entry.start, entry.start + entry.count)
                let target = UInt32(category)
                while low < high {
                    let middle = low + (high - low) / 2
                    if codes[middle] < target { low = middle + 1 } else { high = middle }
                }
                return low < entry.start + entry.count && codes[low] == target
            }
        }
    }
}
