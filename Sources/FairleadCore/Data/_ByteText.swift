/// Byte-level helpers over field text: UTF-8 validation and hashing, without making a `String`.
enum _ByteText {
    /// Whether the `count` bytes at `start` are well-formed UTF-8 (no overlongs, no
    /// surrogates, nothing above U+10FFFF). ASCII runs are checked eight bytes at a time.
    static func isValidUTF8(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        let raw = UnsafeRawPointer(start)
        while index + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            let lead = start[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            if index + length > count { return false }
            let second = start[index + 1]
            if second < low || second > high { return false }
            for offset in 2..<max(length, 2) where start[index + offset] & 0xC0 != 0x80 {
                return false
            }
            index += length
        }
        return true
    }

    /// The bytes of a field of at most 8 bytes packed into one word without reading past
    /// them: two overlapping 4-byte loads for 4–8 bytes, the first, middle and last byte
    /// for 1–3. With the length, the word determines the bytes.
    @inline(__always)
    static func shortKey(_ start: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(start)
        if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << 32
        }
        if count == 0 { return 0 }
        return UInt64(start[0]) | UInt64(start[count >> 1]) << 8 | UInt64(start[count - 1]) << 16
    }

    /// The MurmurHash3 64-bit finalizer: every input bit moves every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }

    /// A 64-bit hash of the `count` bytes at `start` (multiply-rotate over 8-byte words,
    /// then a MurmurHash3 finalizer so that low bits suit power-of-two tables).
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        if count <= 8 {
            return mix(shortKey(start, count: count) &+ UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
        }
        let raw = UnsafeRawPointer(start)
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        var offset = 0
        while offset + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = ((hash << 5) | (hash >> 59)) ^ word
            hash = hash &* 0x517C_C1B7_2722_0A95
            offset += 8
        }
        if offset < count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(start[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = ((hash << 5) | (hash >> 59)) ^ word
            hash = hash &* 0x517C_C1B7_2722_0A95
        }
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        return hash
    }
}
