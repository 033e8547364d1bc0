/// Splits a batch of CSV bytes into parts that start and end on record boundaries, for
/// parsing in parallel.
///
/// The batch starts on a record boundary. A line feed ends a record exactly when an even
/// number of quotes precede it in the batch: a valid file's quotes come in pairs around
/// quoted fields (a doubled quote adds two), and a stray quote is an error the parser
/// reports in the part that holds it, before any later part's errors. One sequential
/// pass counts quotes and line feeds, 64 bytes at a time (SIMD) where a chunk has no quote.
/// A cut is moved back over blank lines so that they stay with the record after them.
enum _RecordBoundaryScanner {
    /// Where to cut a batch: `cuts[k]..<cuts[k+1]` is part `k`; `lineFeedsBefore[k]`
    /// counts the line feeds before `cuts[k]`. The last cut ends the complete records
    /// (the whole batch when it is the end of the file).
    struct Split {
        var cuts: [Int]
        var lineFeedsBefore: [Int]
    }

    static func split(_ bytes: UnsafeBufferPointer<UInt8>, parts: Int, isFinal: Bool) -> Split {
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else {
            return Split(cuts: [0], lineFeedsBefore: [0])
        }
        let raw = UnsafeRawPointer(base)
        let quoteLanes = SIMD16<UInt8>(repeating: _CSVRecordParser.quote)
        let lineFeedLanes = SIMD16<UInt8>(repeating: _CSVRecordParser.lineFeed)
        let zero = SIMD16<UInt8>(repeating: 0)

        var targets = (1..<max(parts, 1)).map { count * $0 / parts }
        targets.append(Int.max)
        var nextTarget = 0
        var cuts = [0]
        var lineFeedsBefore = [0]
        var lastBoundary = 0
        var lineFeedsAtLastBoundary = 0
        var quotes = 0
        var lineFeeds = 0
        var index = 0

        func noteBoundary(_ position: Int) {
            lastBoundary = position
            lineFeedsAtLastBoundary = lineFeeds
            if position >= targets[nextTarget] {
                cuts.append(position)
                lineFeedsBefore.append(lineFeeds)
                while position >= targets[nextTarget] { nextTarget += 1 }
            }
        }

        while index < count {
            // A 64-byte chunk without quotes: its line feeds are all boundaries when the
            // quote count is even, and the last one stands for the chunk.
            if index + 64 <= count {
                var lineFeedMask: UInt64 = 0
                var quoteMask: UInt64 = 0
                for lane in 0..<4 {
                    let bytes = raw.loadUnaligned(fromByteOffset: index + lane * 16, as: SIMD16<UInt8>.self)
                    lineFeedMask |= _StructuralIndex.gather(zero.replacing(with: 1, where: bytes .== lineFeedLanes))
                        << UInt64(lane * 16)
                    quoteMask |= _StructuralIndex.gather(zero.replacing(with: 1, where: bytes .== quoteLanes))
                        << UInt64(lane * 16)
                }
                if quoteMask == 0 {
                    lineFeeds += lineFeedMask.nonzeroBitCount
                    if quotes & 1 == 0, lineFeedMask != 0 {
                        noteBoundary(index + 64 - lineFeedMask.leadingZeroBitCount)
                    }
                    index += 64
                    continue
                }
            }
            let stop = min(index + 64, count)
            while index < stop {
                let byte = base[index]
                index += 1
                if byte == _CSVRecordParser.quote {
                    quotes += 1
                } else if byte == _CSVRecordParser.lineFeed {
                    lineFeeds += 1
                    if quotes & 1 == 0 { noteBoundary(index) }
                }
            }
        }

        var end = lastBoundary
        var lineFeedsAtEnd = lineFeedsAtLastBoundary
        if isFinal {
            end = count
            lineFeedsAtEnd = lineFeeds
        }
        // Parts end before blank lines, which the parser resolves with the record after them.
        var split = Split(cuts: [0], lineFeedsBefore: [0])
        for (cut, before) in zip(cuts.dropFirst(), lineFeedsBefore.dropFirst()) where cut < end {
            var cut = cut
            var before = before
            while let blank = blankLineLength(endingAt: cut, in: base), cut - blank >= split.cuts[split.cuts.count - 1] {
                cut -= blank
                before -= 1
            }
            if cut > split.cuts[split.cuts.count - 1] {
                split.cuts.append(cut)
                split.lineFeedsBefore.append(before)
            }
        }
        if !isFinal {
            while let blank = blankLineLength(endingAt: end, in: base) {
                end -= blank
                lineFeedsAtEnd -= 1
            }
        }
        while split.cuts.count > 1, split.cuts[split.cuts.count - 1] >= end {
            split.cuts.removeLast()
            split.lineFeedsBefore.removeLast()
        }
        if end > 0 {
            split.cuts.append(end)
            split.lineFeedsBefore.append(lineFeedsAtEnd)
        }
        return split
    }

    /// The length (1 for LF, 2 for CRLF) of a blank line ending right before `boundary`,
    /// a record boundary; `nil` when the line before it is not blank.
    private static func blankLineLength(endingAt boundary: Int, in base: UnsafePointer<UInt8>) -> Int? {
        guard boundary >= 1, base[boundary - 1] == _CSVRecordParser.lineFeed else { return nil }
        if boundary == 1 || base[boundary - 2] == _CSVRecordParser.lineFeed { return 1 }
        if base[boundary - 2] == _CSVRecordParser.carriageReturn,
           boundary == 2 || base[boundary - 3] == _CSVRecordParser.lineFeed {
            return 2
        }
        return nil
    }
}
