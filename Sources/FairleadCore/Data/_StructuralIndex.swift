/// A bit per byte of a buffer, set where the byte can end an unquoted field: the
/// delimiter, LF, CR or a quote. The parser jumps from field to field with
/// `trailingZeroBitCount` instead of testing each byte.
///
/// Each 8-byte word is compared with the four bytes at once (exact SWAR equality:
/// `t = word ^ pattern`; a byte of `t` is zero exactly when `~(((t & 0x7F…) + 0x7F…) | t)`
/// has its high bit set), and the eight high bits are gathered into a byte by one
/// multiplication by `0x0102040810204080`.
struct _StructuralIndex {
    private let words: UnsafeMutablePointer<UInt64>
    private let wordCount: Int

    init(_ base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8) {
        wordCount = count / 64 + 2
        words = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
        words.initialize(repeating: 0, count: wordCount)
        let raw = UnsafeRawPointer(base)
        let delimiters = UInt64(delimiter) &* 0x0101_0101_0101_0101
        let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let carriageReturns: UInt64 = 0x0D0D_0D0D_0D0D_0D0D
        let quotes: UInt64 = 0x2222_2222_2222_2222
        var chunk = 0
        while (chunk + 1) * 64 <= count {
            var mask: UInt64 = 0
            for lane in 0..<8 {
                let word = raw.loadUnaligned(fromByteOffset: chunk * 64 + lane * 8, as: UInt64.self)
                let hits = Self.zeroBytes(word ^ delimiters) | Self.zeroBytes(word ^ lineFeeds)
                    | Self.zeroBytes(word ^ carriageReturns) | Self.zeroBytes(word ^ quotes)
                mask |= (((hits >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(lane * 8)
            }
            words[chunk] = mask
            chunk += 1
        }
        var mask: UInt64 = 0
        for index in chunk * 64..<count {
            let byte = base[index]
            if byte == delimiter || byte == 0x0A || byte == 0x0D || byte == 0x22 {
                mask |= 1 << UInt64(index - chunk * 64)
            }
        }
        words[chunk] = mask
    }

    /// The high bit of each byte of `value` that is zero.
    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        ~(((value & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | value) & 0x8080_8080_8080_8080
    }

    func deallocate() {
        words.deallocate()
    }

    /// The first position at or after `index` whose byte is structural, or `count` if none.
    @inline(__always)
    func nextStop(from index: Int, count: Int) -> Int {
        var word = index >> 6
        var bits = words[word] >> UInt64(index & 63)
        if bits != 0 { return min(index + bits.trailingZeroBitCount, count) }
        word += 1
        while word < wordCount {
            bits = words[word]
            if bits != 0 { return min(word << 6 + bits.trailingZeroBitCount, count) }
            word += 1
        }
        return count
    }
}
