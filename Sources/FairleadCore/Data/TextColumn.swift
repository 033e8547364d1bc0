import Foundation

/// A categorical column held as its text, row by row, with no dictionary: what
/// ``CSVReader`` makes of a column whose values are all distinct in the file's first
/// block — ids, e-mail addresses, free text — where a dictionary costs a hash lookup
/// (a cache miss, once the table outgrows the caches) and a level `String` for every
/// row, and saves nothing. Reading the 1M-lead file's `lead_id` that way took 30% of the
/// whole file's read (docs/benchmarks.md).
///
/// Seen through ``Column/storage`` or ``Column/categorical`` it is the
/// ``CategoricalColumn`` the reader would have made — levels in order of first
/// appearance — encoded on first use and kept; a consumer that needs only each row's text
/// reads it here (``subscript(_:)``) without encoding.
///
///     let ids = try table.requireColumn(named: "lead_id")
///     ids.text?[0]                    // "L0000001", no dictionary made
///     ids.categorical?.levels.count   // encodes once: 1,000,000
public final class TextColumn: @unchecked Sendable {
    /// Every row's UTF-8 bytes, end to end; a missing row has none.
    let bytes: [UInt8]
    /// Per row: where its bytes end in ``bytes`` (a row starts where the row before ends).
    let ends: [Int]
    /// Per row: whether it was a missing marker.
    let isMissing: [Bool]
    /// The number of missing rows.
    public let missingCount: Int
    /// Guards ``encoded``: columns are shared between threads.
    private let lock = NSLock()
    private var encoded: CategoricalColumn?

    /// Rows of `bytes` ending at `ends`, missing where `isMissing`; the bytes must be
    /// valid UTF-8 (the reader checked each field) and a missing row must have none.
    init(bytes: [UInt8], ends: [Int], isMissing: [Bool], missingCount: Int) {
        precondition(ends.count == isMissing.count && (ends.last ?? 0) == bytes.count, "one end and one flag per row")
        self.bytes = bytes
        self.ends = ends
        self.isMissing = isMissing
        self.missingCount = missingCount
    }

    /// A column of `values`, `nil` where missing.
    public convenience init(_ values: [String?]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var missing: [Bool] = []
        for value in values {
            if let value { bytes.append(contentsOf: value.utf8) }
            ends.append(bytes.count)
            missing.append(value == nil)
        }
        self.init(bytes: bytes, ends: ends, isMissing: missing, missingCount: missing.filter { $0 }.count)
    }

    /// The number of rows.
    public var count: Int { ends.count }

    /// The value of `row`, or `nil` when it is missing.
    public subscript(row: Int) -> String? {
        if isMissing[row] { return nil }
        let begin = row == 0 ? 0 : ends[row - 1]
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[begin..<ends[row]]), as: UTF8.self)
        }
    }

    /// The bytes the column holds: each row's text, its end (8 bytes) and its flag.
    var memoryFootprint: Int {
        bytes.count + count * (MemoryLayout<Int>.stride + MemoryLayout<Bool>.stride)
    }

    /// The column dictionary-encoded, levels in order of first appearance: made on the
    /// first call, then kept.
    public func dictionaryEncoded() -> CategoricalColumn {
        lock.lock()
        defer { lock.unlock() }
        if let encoded { return encoded }
        var dictionary = _LevelDictionary()
        let codes = [Int32](unsafeUninitializedCapacity: count) { codes, initialized in
            bytes.withUnsafeBufferPointer { arena in
                let base = arena.baseAddress ?? UnsafePointer(bitPattern: 1)!
                var begin = 0
                for row in 0..<ends.count {
                    let end = ends[row]
                    if isMissing[row] {
                        codes[row] = -1
                    } else {
                        // Every row was checked as UTF-8 when read: a code always comes back.
                        codes[row] = dictionary.code(of: base + begin, length: end - begin)!
                    }
                    begin = end
                }
            }
            initialized = ends.count
        }
        dictionary.releaseIndex()
        let column = CategoricalColumn(codes: codes, levels: dictionary.levels(), missingCount: missingCount)
        encoded = column
        return column
    }

    /// Whether both hold the same rows (missing where the other is).
    func holdsTheSameRows(as other: TextColumn) -> Bool {
        self === other || (ends == other.ends && isMissing == other.isMissing && bytes == other.bytes)
    }
}
