/// The levels of a categorical column while it is read: byte strings in order of first
/// appearance, found by hash without making a `String` per field.
///
/// Levels' bytes live end to end in one arena (`bytes`, level `k` spanning
/// `ends[k-1]..<ends[k]`); an open-addressing table of codes (linear probing, load ≤ ½)
/// finds a field's code from its hash. `String`s are made once per level at the end.
struct _LevelDictionary: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    private(set) var hashes: [UInt64] = []
    /// Per level: its length and, for levels of at most 8 bytes, `_ByteText.shortKey`,
    /// which compares short fields without touching the arena.
    private var lengths: [Int32] = []
    private var keys: [UInt64] = []
    /// 0 for an empty slot, else the hash's high 32 bits over `code + 1`: a probe
    /// compares the stored bits before touching the arena, so a miss costs one cache line.
    private var slots: [UInt64] = [UInt64](repeating: 0, count: 64)

    /// The number of levels.
    var count: Int { ends.count }

    @inline(__always)
    private static func slotValue(code: Int32, hash: UInt64) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(bitPattern: code) &+ 1)
    }

    /// The code of the `length` bytes at `start`, adding them as a new level when unseen.
    /// Returns `nil` (adding nothing) when a new level is not valid UTF-8.
    @inline(__always)
    mutating func code(of start: UnsafePointer<UInt8>, length: Int) -> Int32? {
        let hash = _ByteText.hash(start, count: length)
        if let code = lookUp(start, length: length, hash: hash) { return code }
        guard _ByteText.isValidUTF8(start, count: length) else { return nil }
        return insert(start, length: length, hash: hash)
    }

    @inline(__always)
    private func lookUp(_ start: UnsafePointer<UInt8>, length: Int, hash: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            let fingerprint = hash & 0xFFFF_FFFF_0000_0000
            var position = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[position]
                if slot == 0 { return nil }
                if slot & 0xFFFF_FFFF_0000_0000 == fingerprint {
                    let code = Int32(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    if equals(Int(code), start, length: length) { return code }
                }
                position = (position + 1) & mask
            }
        }
    }

    @inline(__always)
    private func equals(_ code: Int, _ start: UnsafePointer<UInt8>, length: Int) -> Bool {
        guard Int(lengths[code]) == length else { return false }
        if length <= 8 { return keys[code] == _ByteText.shortKey(start, count: length) }
        let begin = ends[code] - length
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
        hashes.append(hash)
        lengths.append(Int32(truncatingIfNeeded: length))
        keys.append(length <= 8 ? _ByteText.shortKey(start, count: length) : 0)
        if ends.count * 2 > slots.count {
            rehash(capacity: slots.count * 2)
        } else {
            place(code, hash: hash)
        }
        return code
    }

    private mutating func place(_ code: Int32, hash: UInt64) {
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] != 0 { position = (position + 1) & mask }
            slots[position] = Self.slotValue(code: code, hash: hash)
        }
    }

    /// Makes room for `levels` levels at once, sparing the rehashes of doubling one step
    /// at a time (for columns of unique values such as ids).
    mutating func reserve(levels: Int) {
        var capacity = slots.count
        while capacity < levels * 2 { capacity *= 2 }
        if capacity > slots.count { rehash(capacity: capacity) }
        let averageLength = count > 0 ? bytes.count / count + 1 : 8
        bytes.reserveCapacity(levels * averageLength)
        ends.reserveCapacity(levels)
        hashes.reserveCapacity(levels)
        lengths.reserveCapacity(levels)
        keys.reserveCapacity(levels)
    }

    private mutating func rehash(capacity: Int) {
        slots = [UInt64](repeating: 0, count: capacity)
        for code in 0..<ends.count {
            place(Int32(code), hash: hashes[code])
        }
    }

    /// Adds the levels of `other` not seen yet, in `other`'s order, and returns the code
    /// of each of `other`'s levels here: `remap[k]` is the new code of `other`'s level `k`.
    mutating func merge(_ other: _LevelDictionary) -> [Int32] {
        other.bytes.withUnsafeBufferPointer { arena in
            var remap = [Int32](repeating: 0, count: other.count)
            guard let base = arena.baseAddress ?? UnsafePointer(bitPattern: 1) else { return remap }
            var begin = 0
            for level in 0..<other.count {
                let end = other.ends[level]
                let hash = other.hashes[level]
                let start = base + begin
                remap[level] = lookUp(start, length: end - begin, hash: hash)
                    ?? insert(start, length: end - begin, hash: hash)
                begin = end
            }
            return remap
        }
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
