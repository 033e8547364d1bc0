/// Two bits per byte of a buffer: one set where the byte is the delimiter, LF, CR or a
/// quote (a *stop*), one where it is LF, CR or a quote. The parser jumps from field to field with `trailingZeroBitCount`
/// instead of testing each byte, and over runs of fields it does not read by counting
/// delimiter bits (`nonzeroBitCount`) up to the next line end.
///
/// Each 16 bytes are compared with the four bytes at once (SIMD lanes), and the 0/1
/// results are gathered into bits by multiplying each 8-byte half by `0x0102040810204080`.
struct _StructuralIndex {
    /// Delimiters, LFs, CRs and quotes: the parser's next field end is one load away
    /// (with delimiters and the rest apart, `nextStop` loaded and joined two words per
    /// field).
    private let stops: UnsafeMutablePointer<UInt64>
    /// LFs, CRs and quotes; the delimiters are the stops that are not these.
    private let others: UnsafeMutablePointer<UInt64>
    /// Words of 64 bytes' bits; those past the buffer are 0.
    let wordCount: Int

    init(_ base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8) {
        wordCount = count / 64 + 2
        stops = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
        stops.initialize(repeating: 0, count: wordCount)
        others = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
        others.initialize(repeating: 0, count: wordCount)
        let raw = UnsafeRawPointer(base)
        let delimiterLanes = SIMD16<UInt8>(repeating: delimiter)
        let lineFeedLanes = SIMD16<UInt8>(repeating: 0x0A)
        let carriageReturnLanes = SIMD16<UInt8>(repeating: 0x0D)
        let quoteLanes = SIMD16<UInt8>(repeating: 0x22)
        let zero = SIMD16<UInt8>(repeating: 0)
        var chunk = 0
        while (chunk + 1) * 64 <= count {
            var delimiterMask: UInt64 = 0
            var otherMask: UInt64 = 0
            for lane in 0..<4 {
                let bytes = raw.loadUnaligned(fromByteOffset: chunk * 64 + lane * 16, as: SIMD16<UInt8>.self)
                let isDelimiter = zero.replacing(with: 1, where: bytes .== delimiterLanes)
                let isOther = zero.replacing(
                    with: 1, where: (bytes .== lineFeedLanes) .| (bytes .== carriageReturnLanes) .| (bytes .== quoteLanes))
                delimiterMask |= Self.gather(isDelimiter) << UInt64(lane * 16)
                otherMask |= Self.gather(isOther) << UInt64(lane * 16)
            }
            stops[chunk] = delimiterMask | otherMask
            others[chunk] = otherMask
            chunk += 1
        }
        var delimiterMask: UInt64 = 0
        var otherMask: UInt64 = 0
        for index in chunk * 64..<count {
            let byte = base[index]
            if byte == delimiter {
                delimiterMask |= 1 << UInt64(index - chunk * 64)
            } else if byte == 0x0A || byte == 0x0D || byte == 0x22 {
                otherMask |= 1 << UInt64(index - chunk * 64)
            }
        }
        stops[chunk] = delimiterMask | otherMask
        others[chunk] = otherMask
    }

    /// The high bits of the eight bytes of `hits` as the low eight bits.
    @inline(__always)
    static func gather(_ hits: UInt64) -> UInt64 {
        ((hits >> 7) &* 0x0102_0408_1020_4080) >> 56
    }

    /// Sixteen 0/1 bytes as the low sixteen bits: one multiplication per eight bytes
    /// moves byte `i`'s bit to bit `56 + i`.
    @inline(__always)
    static func gather(_ flags: SIMD16<UInt8>) -> UInt64 {
        let halves = unsafeBitCast(flags, to: SIMD2<UInt64>.self)
        return (halves[0] &* 0x0102_0408_1020_4080) >> 56 | ((halves[1] &* 0x0102_0408_1020_4080) >> 56) << 8
    }

    func deallocate() {
        stops.deallocate()
        others.deallocate()
    }

    /// The stop bits of bytes `64 × word ..< 64 × (word + 1)`.
    @inline(__always)
    func stopBits(word: Int) -> UInt64 {
        stops[word]
    }

    /// The first position at or after `index` whose byte is structural, or `count` if none.
    @inline(__always)
    func nextStop(from index: Int, count: Int) -> Int {
        var word = index >> 6
        var bits = stops[word] >> UInt64(index & 63)
        if bits != 0 { return min(index + bits.trailingZeroBitCount, count) }
        word += 1
        while word < wordCount {
            bits = stops[word]
            if bits != 0 { return min(word << 6 + bits.trailingZeroBitCount, count) }
            word += 1
        }
        return count
    }

    /// The position of the `skip`-th delimiter (`skip ≥ 1`) from `index` on, when no LF,
    /// CR or quote comes before it; `nil` otherwise (the caller then goes field by field).
    @inline(__always)
    func delimiter(skipping skip: Int, from index: Int) -> Int? {
        var word = index >> 6
        let keep = ~UInt64(0) << UInt64(index & 63)
        var otherBits = others[word] & keep
        var delimiterBits = stops[word] & keep & ~otherBits
        var remaining = skip
        while true {
            let found = delimiterBits.nonzeroBitCount
            if found >= remaining {
                var bits = delimiterBits
                for _ in 1..<remaining { bits &= bits &- 1 }
                let position = bits.trailingZeroBitCount
                if otherBits != 0, otherBits.trailingZeroBitCount < position { return nil }
                return word << 6 + position
            }
            if otherBits != 0 { return nil }
            remaining -= found
            word += 1
            if word >= wordCount { return nil }
            otherBits = others[word]
            delimiterBits = stops[word] & ~otherBits
        }
    }

    /// The first LF, CR or quote from `index` on and the delimiters before it; `nil` when
    /// there is none in the buffer.
    @inline(__always)
    func nextLineEndOrQuote(from index: Int) -> (position: Int, delimiters: Int)? {
        var word = index >> 6
        let keep = ~UInt64(0) << UInt64(index & 63)
        var otherBits = others[word] & keep
        var delimiterBits = stops[word] & keep & ~otherBits
        var count = 0
        while otherBits == 0 {
            count += delimiterBits.nonzeroBitCount
            word += 1
            if word >= wordCount { return nil }
            otherBits = others[word]
            delimiterBits = stops[word] & ~otherBits
        }
        let position = otherBits.trailingZeroBitCount
        count += (delimiterBits & ((1 << UInt64(position)) &- 1)).nonzeroBitCount
        return (word << 6 + position, count)
    }
}
