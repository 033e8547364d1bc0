/// The levels of a categorical column while it is read: byte strings in order of first
/// appearance, found by hash without making a `String` per field.
///
/// Levels' bytes live end to end in one arena (`bytes`, level `k` spanning
/// `ends[k-1]..<ends[k]`); an open-addressing table (linear probing, load ≤ ½, or ≤ ¾
/// from 65,536 slots on: see `holds(_:in:)`) finds a
/// field's code from its hash. `String`s are made once per level at the end.
///
/// Each slot is two words: the hash's top 24 bits, the level's length (255 for 255
/// bytes or more) and `code + 1` (0 for an empty slot); then, for a level of at most 8
/// bytes, its `_ByteText.shortKey`. A short field is found in the slot alone, one cache
/// line, without touching the arena or another array (with one-word slots the length
/// and key were in arrays of their own: two more lines per hit). Callgrind of
/// `fairlead-bench csv` on 200,000 leads, 2 million categorical fields: 215 million
/// instructions in the dictionary before, 200 million after; the saving is mostly in
/// cache lines, which callgrind does not count.
struct _LevelDictionary: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    /// Two words per slot (see above); a power of two of slots. One empty slot until the
    /// first level is added (then ``initialSlots``): a reader makes a dictionary for
    /// every column it may infer as categorical, and a wide file's columns would each
    /// cost a table before holding a level.
    private var slots: [UInt64] = [0, 0]

    /// The slots of the table the first level is added to.
    private static let initialSlots = 64

    /// The number of levels.
    var count: Int { ends.count }

    private var slotCount: Int { slots.count / 2 }

    /// Whether `levels` levels may share `slots` slots: at most half of them in a small
    /// table (short probes for the few levels of most columns), three quarters in a
    /// large one, where an id column's table is most of the read's memory and cache
    /// misses: 10M ids need 2²⁴ slots (256 MiB) instead of 2²⁵.
    private static func holds(_ levels: Int, in slots: Int) -> Bool {
        slots >= 65_536 ? levels * 4 <= slots * 3 : levels * 2 <= slots
    }

    @inline(__always)
    private static func tag(hash: UInt64, length: Int) -> UInt64 {
        (hash & 0xFFFF_FF00_0000_0000) | UInt64(min(length, 255)) << 32
    }

    /// The code of the `length` bytes at `start`, adding them as a new level when unseen.
    /// Returns `nil` (adding nothing) when a new level is not valid UTF-8.
    @inline(__always)
    mutating func code(of start: UnsafePointer<UInt8>, length: Int) -> Int32? {
        let hash = _ByteText.hash(start, count: length)
        let tag = Self.tag(hash: hash, length: length)
        let key = length <= 8 ? _ByteText.shortKey(start, count: length) : 0
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            let mask = slots.count / 2 - 1
            var position = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[2 &* position]
                if slot == 0 { return nil }
                if slot & 0xFFFF_FFFF_0000_0000 == tag, slots[2 &* position &+ 1] == key {
                    let code = Int32(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1
                    if length <= 8 || equals(Int(code), start, length: length) { return code }
                }
                position = (position &+ 1) & mask
            }
        }
        if let found { return found }
        return addLevel(start, length: length, hash: hash)
    }

    /// Whether the table is too big for the caches: 65,536 slots (1 MiB) and more.
    var isLarge: Bool { slots.count >= 2 * 65_536 }

    /// Loads the first slot of each field of `spans[0]`, `spans[stride]`, … (`count` of
    /// them) before any is looked up, so that a large table's cache misses overlap
    /// instead of coming one at a time. The lookups then find their slots in cache: for
    /// `lead_id` of the 1M-lead file (a million levels, 32 MiB of slots), a miss per field.
    mutating func touchSlots(_ base: UnsafePointer<UInt8>, spans: UnsafePointer<_FieldSpan>, stride: Int, count: Int) {
        var sink: UInt64 = 0
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count / 2 - 1
            for index in 0..<count {
                let span = spans[index * stride]
                let hash = _ByteText.hash(base + span.start, count: span.end - span.start)
                sink ^= slots[2 &* (Int(truncatingIfNeeded: hash) & mask)]
            }
        }
        touched = sink
    }

    /// What ``touchSlots(_:spans:stride:count:)`` loaded, kept so that the loads are not
    /// optimized away; never read.
    private var touched: UInt64 = 0

    /// A level not in the table yet: added when it is valid UTF-8.
    private mutating func addLevel(_ start: UnsafePointer<UInt8>, length: Int, hash: UInt64) -> Int32? {
        guard _ByteText.isValidUTF8(start, count: length) else { return nil }
        return insert(start, length: length, hash: hash)
    }

    /// Whether level `code`, of `length` bytes (more than 8), equals the bytes at `start`.
    private func equals(_ code: Int, _ start: UnsafePointer<UInt8>, length: Int) -> Bool {
        let begin = ends[code] - length
        guard begin == (code == 0 ? 0 : ends[code - 1]) else { return false }
        return bytes.withUnsafeBufferPointer { arena in
            guard let base = arena.baseAddress else { return false }
            let stored = UnsafeRawPointer(base + begin)
            let field = UnsafeRawPointer(start)
            var offset = 0
            while offset + 8 <= length {
                if stored.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != field.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                offset += 8
            }
            while offset < length, arena[begin + offset] == start[offset] { offset += 1 }
            return offset == length
        }
    }

    private mutating func insert(_ start: UnsafePointer<UInt8>, length: Int, hash: UInt64) -> Int32 {
        let code = Int32(ends.count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
        ends.append(bytes.count)
        if !Self.holds(ends.count, in: slotCount) {
            rehash(capacity: max(slotCount * 2, Self.initialSlots))
        } else {
            place(code, length: length, key: length <= 8 ? _ByteText.shortKey(start, count: length) : 0, hash: hash)
        }
        return code
    }

    private mutating func place(_ code: Int32, length: Int, key: UInt64, hash: UInt64) {
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count / 2 - 1
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[2 * position] != 0 { position = (position + 1) & mask }
            slots[2 * position] = Self.tag(hash: hash, length: length) | UInt64(UInt32(bitPattern: code) &+ 1)
            slots[2 * position + 1] = key
        }
    }

    /// Makes room for `levels` levels at once, sparing the rehashes of doubling one step
    /// at a time (for columns of unique values such as ids).
    mutating func reserve(levels: Int) {
        var capacity = slotCount
        while !Self.holds(levels, in: capacity) { capacity *= 2 }
        if capacity > slotCount { rehash(capacity: capacity) }
        let averageLength = count > 0 ? bytes.count / count + 1 : 8
        bytes.reserveCapacity(levels * averageLength)
        ends.reserveCapacity(levels)
    }

    private mutating func rehash(capacity: Int) {
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        let arena = bytes
        arena.withUnsafeBufferPointer { arena in
            guard let base = arena.baseAddress else { return }
            var begin = 0
            for code in 0..<ends.count {
                let end = ends[code]
                let length = end - begin
                // Hashes are computed again rather than kept: 8 bytes per level less, and
                // a rehash is rare next to lookups.
                place(Int32(code), length: length,
                      key: length <= 8 ? _ByteText.shortKey(base + begin, count: length) : 0,
                      hash: _ByteText.hash(base + begin, count: length))
                begin = end
            }
        }
    }

    /// Frees the hash table, keeping the levels: a finished column needs only them.
    mutating func releaseIndex() {
        slots = [0, 0]
    }

    /// The levels as `String`s, in code order (every level was validated as UTF-8).
    func levels() -> [String] {
        bytes.withUnsafeBufferPointer { arena in
            var levels: [String] = []
            levels.reserveCapacity(ends.count)
            var begin = 0
            for end in ends {
                levels.append(String(decoding: UnsafeBufferPointer(rebasing: arena[begin..<end]), as: UTF8.self))
                begin = end
            }
            return levels
        }
    }
}
