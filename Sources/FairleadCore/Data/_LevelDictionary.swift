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
    private var slots: [Int32] = [Int32](repeating: -1, count: 64)

    /// The number of levels.
    var count: Int { ends.count }

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
            var position = Int(truncatingIfNeeded: hash) & mask
            while true {
                let code = slots[position]
                if code < 0 { return nil }
                if hashes[Int(code)] == hash, equals(Int(code), start, length: length) { return code }
                position = (position + 1) & mask
            }
        }
    }

    @inline(__always)
    private func equals(_ code: Int, _ start: UnsafePointer<UInt8>, length: Int) -> Bool {
        let begin = code == 0 ? 0 : ends[code - 1]
        guard ends[code] - begin == length else { return false }
        return bytes.withUnsafeBufferPointer { arena in
            var offset = 0
            while offset < length, arena[begin + offset] == start[offset] { offset += 1 }
            return offset == length
        }
    }

    private mutating func insert(_ start: UnsafePointer<UInt8>, length: Int, hash: UInt64) -> Int32 {
        let code = Int32(ends.count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
        ends.append(bytes.count)
        hashes.append(hash)
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
            while slots[position] >= 0 { position = (position + 1) & mask }
            slots[position] = code
        }
    }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: -1, count: capacity)
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
