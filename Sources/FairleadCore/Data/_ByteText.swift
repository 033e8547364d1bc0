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

    /// A 64-bit hash of the `count` bytes at `start` (multiply-rotate over 8-byte words,
    /// then a MurmurHash3 finalizer so that low bits suit power-of-two tables).
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, count: Int) -> UInt64 {
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
