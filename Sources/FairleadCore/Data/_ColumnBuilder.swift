/// What appending a field to a ``_ColumnBuilder`` found.
enum _AppendOutcome {
    case appended
    /// A value that is not a number in a column read as numeric.
    case notANumber
    /// `inf` or `infinity` in a column asked for as numeric by a reader that refuses them
    /// (``CSVOptions/refusesInfinity``): a number, but no measurement.
    case notFinite
    /// A value that is not `0`/`1`/`true`/`false` in a column read as boolean.
    case notABoolean
    /// A value that is not valid UTF-8 where text is kept or reported.
    case invalidUTF8
}

/// One column while it is read, with its type still being inferred when none was asked.
///
/// An inferred column starts `boolean` and only ever widens, over the whole file:
/// boolean → numeric at the first number other than 0/1 (its 0/1 values become 0.0/1.0;
/// impossible once a `true`/`false` word was seen: then it is categorical), and
/// boolean/numeric → categorical at the first value that is not a number. Numbers do not
/// keep their text (`1.50` and `1.5` are one double), so a column that turns categorical
/// after holding values is *abandoned*: it stops being parsed, and the reader reads it
/// again, as categorical, in a second pass over the file. A column that turns
/// categorical before any non-missing value (the usual case: its first value is text)
/// switches in place.
struct _ColumnBuilder: Sendable {
    enum State: Sendable, Equatable {
        case boolean, numeric, categorical, abandoned
        /// Categorical, held as text (``TextColumn``): every value of the first block was
        /// distinct (``reserve(rows:textWhenDistinct:)``).
        case text
    }

    /// The fewest values a first block must hold, all distinct, for its column to be held
    /// as text: fewer say too little (and small files keep their dictionaries).
    static let textAfterDistinctValues = 1024

    let requestedType: ColumnType?
    private(set) var state: State
    private(set) var sawBooleanWords = false
    private(set) var nonMissingCount = 0
    private(set) var missingCount = 0
    private(set) var rowCount = 0
    private var reservedRows = 0
    /// Numeric values; `NaN` exactly where missing (the number parser never yields `NaN`),
    /// so the mask is made once at the end instead of appended to per row.
    private var values: [Double] = []
    private var flags: [Bool] = []
    /// The missing mask of a boolean column.
    private var isMissing: [Bool] = []
    private var codes: [Int32] = []
    private var dictionary = _LevelDictionary()
    /// A column held as text: its bytes, each row's end in them, its missing flags.
    private var textBytes: [UInt8] = []
    private var textEnds: [Int] = []

    /// Whether a requested numeric column refuses ±inf (``CSVOptions/refusesInfinity``).
    let refusesInfinity: Bool

    init(type: ColumnType?, refusesInfinity: Bool = false) {
        requestedType = type
        self.refusesInfinity = refusesInfinity && type == .numeric
        switch type {
        case .numeric: state = .numeric
        case .categorical: state = .categorical
        case .boolean, nil: state = .boolean
        }
    }

    /// Reserves room for `rows` rows in the arrays of the current state (untouched
    /// reserved pages cost no memory), so that growth does not copy.
    ///
    /// With `textWhenDistinct` (a whole file's read, after its first block), a categorical
    /// column whose values so far are at least ``textAfterDistinctValues`` and all
    /// distinct is held as text from here on: its dictionary would find no value twice.
    mutating func reserve(rows: Int, textWhenDistinct: Bool = false) {
        reservedRows = rows
        if textWhenDistinct, state == .categorical, nonMissingCount >= Self.textAfterDistinctValues,
           dictionary.count == nonMissingCount {
            becomeText()
        }
        switch state {
        case .numeric:
            values.reserveCapacity(rows)
        case .boolean:
            flags.reserveCapacity(rows)
            isMissing.reserveCapacity(rows)
        case .categorical:
            codes.reserveCapacity(rows)
            // All but distinct so far (an id column): the dictionary sized for the whole file
            // now, instead of doubling up to it (the rehashes were 17% of reading `lead_id`
            // alone from the 1M-lead file, perf): the first block has been parsed before
            // the rows can be estimated, so the check in `append` came too early. Only at
            // 99% distinct: a column of many repeating values (postal codes, cities) is
            // some 80–90% distinct in its first block, and sizing its table for every row
            // of a 10M-row file would take 512 MiB where it needs a few.
            if dictionary.count >= 1024, dictionary.count * 100 >= nonMissingCount * 99 {
                dictionary.reserve(levels: rows)
            }
        case .text:
            textEnds.reserveCapacity(rows)
            isMissing.reserveCapacity(rows)
            let averageLength = rowCount > 0 ? textBytes.count / rowCount + 1 : 8
            textBytes.reserveCapacity(rows * averageLength)
        case .abandoned:
            break
        }
    }

    /// Appends one field's bytes; `missing` tells whether they equal a missing marker.
    @inline(__always)
    mutating func append(_ start: UnsafePointer<UInt8>, count: Int, missing: Bool) -> _AppendOutcome {
        if missing {
            appendMissing()
            return .appended
        }
        switch state {
        case .numeric:
            if let value = _DecimalParser.parse(start, count: count) {
                // A requested numeric column is a feature, a score, a weight: a value of
                // ±inf would reach margins, sums and JSON output as a number nobody can use.
                if refusesInfinity, !value.isFinite { return .notFinite }
                values.append(value)
                nonMissingCount += 1
                rowCount += 1
                return .appended
            }
            if requestedType == .numeric {
                return _ByteText.isValidUTF8(start, count: count) ? .notANumber : .invalidUTF8
            }
            becomeCategorical()
            return append(start, count: count, missing: false)
        case .boolean:
            if let parsed = _DecimalParser.parseBoolean(start, count: count) {
                flags.append(parsed.value)
                isMissing.append(false)
                sawBooleanWords = sawBooleanWords || parsed.isWord
                nonMissingCount += 1
                rowCount += 1
                return .appended
            }
            if requestedType == .boolean {
                // A column asked for as 0/1 also takes numbers equal to 1 or 0 (`1.0`, `0e0`),
                // beside words or not: a 0/1 column's values one by one, as the pushdown
                // query reads them.
                if let number = _DecimalParser.parse(start, count: count), number == 0 || number == 1 {
                    flags.append(number == 1)
                    isMissing.append(false)
                    nonMissingCount += 1
                    rowCount += 1
                    return .appended
                }
                return _ByteText.isValidUTF8(start, count: count) ? .notABoolean : .invalidUTF8
            }
            if !sawBooleanWords, _DecimalParser.parse(start, count: count) != nil {
                becomeNumeric()
            } else {
                becomeCategorical()
            }
            return append(start, count: count, missing: false)
        case .categorical:
            guard let code = dictionary.code(of: start, length: count) else { return .invalidUTF8 }
            codes.append(code)
            if code == 4095, nonMissingCount < 8192, reservedRows > 8192 {
                // Mostly distinct so far: size the dictionary for the whole file now.
                dictionary.reserve(levels: reservedRows)
            }
            nonMissingCount += 1
            rowCount += 1
            return .appended
        case .text:
            guard _ByteText.isValidUTF8(start, count: count) else { return .invalidUTF8 }
            textBytes.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
            textEnds.append(textBytes.count)
            isMissing.append(false)
            nonMissingCount += 1
            rowCount += 1
            return .appended
        case .abandoned:
            rowCount += 1
            return .appended
        }
    }

    /// Loads the dictionary slots of fields `spans[0]`, `spans[stride]`, … (`count` of
    /// them) ahead of ``appendFields(_:spans:stride:count:markers:maxLength:scratch:)``,
    /// when the column's dictionary is too large for the caches; nothing otherwise.
    mutating func prefetchFields(_ base: UnsafePointer<UInt8>, spans: UnsafePointer<_FieldSpan>, stride: Int, count: Int) {
        guard state == .categorical, dictionary.isLarge else { return }
        dictionary.touchSlots(base, spans: spans, stride: stride, count: count)
    }

    /// Appends fields `spans[0]`, `spans[stride]`, … (`count` of them) while they take
    /// the fast path — a numeric, categorical or boolean column, no doubled quotes, at
    /// most `maxLength` bytes, a number, a known or valid level or a bare `0`/`1` — and
    /// returns how many it appended; the caller hands the field after them to ``append(_:count:missing:)``.
    /// `scratch` holds the converted values until they are appended at once.
    mutating func appendFields(_ base: UnsafePointer<UInt8>, spans: UnsafePointer<_FieldSpan>, stride: Int,
                               count: Int, markers: _MissingMarkers, maxLength: Int,
                               scratch: _CommitScratch) -> Int {
        var taken = 0
        var missing = 0
        switch state {
        case .numeric:
            let numbers = scratch.numbers
            while taken < count {
                let span = spans[taken * stride]
                let length = span.end - span.start
                if span.hasDoubledQuotes || length > maxLength { break }
                let start = base + span.start
                if markers.matchesNumber(start, count: length, quoted: span.isQuoted) {
                    numbers[taken] = .nan
                    missing += 1
                } else if let value = _DecimalParser.parse(start, count: length),
                          value.isFinite || !refusesInfinity {
                    numbers[taken] = value
                } else {
                    break
                }
                taken += 1
            }
            values.append(contentsOf: UnsafeBufferPointer(start: numbers, count: taken))
        case .categorical:
            let codes = scratch.codes
            while taken < count {
                let span = spans[taken * stride]
                let length = span.end - span.start
                if span.hasDoubledQuotes || length > maxLength { break }
                let start = base + span.start
                if markers.matches(start, count: length, quoted: span.isQuoted) {
                    codes[taken] = -1
                    missing += 1
                } else if let code = dictionary.code(of: start, length: length) {
                    codes[taken] = code
                    if code == 4095, nonMissingCount + taken - missing < 8192, reservedRows > 8192 {
                        // Mostly distinct so far: size the dictionary for the whole file now.
                        dictionary.reserve(levels: reservedRows)
                    }
                } else {
                    break
                }
                taken += 1
            }
            self.codes.append(contentsOf: UnsafeBufferPointer(start: codes, count: taken))
        case .boolean:
            // Only a bare `0` or `1` (and missing markers) here: words, spaces and type
            // changes go to `append` one field at a time. The label column of a lead file
            // is such a column; field by field it took a tenth of a numeric read (perf).
            let one = UInt8(ascii: "1"), zero = UInt8(ascii: "0")
            let flags = scratch.flags, isMissing = scratch.missingFlags
            while taken < count {
                let span = spans[taken * stride]
                let length = span.end - span.start
                if span.hasDoubledQuotes || length > maxLength { break }
                let start = base + span.start
                if markers.matches(start, count: length, quoted: span.isQuoted) {
                    flags[taken] = false
                    isMissing[taken] = true
                    missing += 1
                } else if length == 1, start[0] == one || start[0] == zero {
                    flags[taken] = start[0] == one
                    isMissing[taken] = false
                } else {
                    break
                }
                taken += 1
            }
            self.flags.append(contentsOf: UnsafeBufferPointer(start: flags, count: taken))
            self.isMissing.append(contentsOf: UnsafeBufferPointer(start: isMissing, count: taken))
        case .text:
            // No dictionary: each field's bytes are checked as UTF-8 and kept.
            while taken < count {
                let span = spans[taken * stride]
                let length = span.end - span.start
                if span.hasDoubledQuotes || length > maxLength { break }
                let start = base + span.start
                if markers.matches(start, count: length, quoted: span.isQuoted) {
                    isMissing.append(true)
                    missing += 1
                } else if _ByteText.isValidUTF8(start, count: length) {
                    textBytes.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
                    isMissing.append(false)
                } else {
                    break
                }
                textEnds.append(textBytes.count)
                taken += 1
            }
        case .abandoned:
            return 0
        }
        nonMissingCount += taken - missing
        missingCount += missing
        rowCount += taken
        return taken
    }

    private mutating func appendMissing() {
        switch state {
        case .numeric:
            values.append(.nan)
        case .boolean:
            flags.append(false)
            isMissing.append(true)
        case .categorical:
            codes.append(-1)
        case .text:
            textEnds.append(textBytes.count)
            isMissing.append(true)
        case .abandoned:
            break
        }
        missingCount += 1
        rowCount += 1
    }

    private mutating func becomeNumeric() {
        precondition(state == .boolean && !sawBooleanWords)
        var converted: [Double] = []
        converted.reserveCapacity(max(reservedRows, flags.count))
        for (flag, missing) in zip(flags, isMissing) {
            converted.append(missing ? .nan : (flag ? 1 : 0))
        }
        values = converted
        flags = []
        isMissing = []
        state = .numeric
    }

    private mutating func becomeCategorical() {
        values = []
        flags = []
        isMissing = []
        if nonMissingCount == 0 {
            codes.reserveCapacity(max(reservedRows, rowCount))
            codes.append(contentsOf: repeatElement(-1, count: rowCount))
            state = .categorical
        } else {
            state = .abandoned
        }
    }

    /// From a dictionary whose levels are the rows' values in row order (each non-missing
    /// row brought a new one) to the rows' text: the levels' bytes are the text.
    private mutating func becomeText() {
        textBytes = dictionary.bytes
        textEnds.reserveCapacity(max(reservedRows, rowCount))
        isMissing.reserveCapacity(max(reservedRows, rowCount))
        var end = 0
        for code in codes {
            if code >= 0 { end = dictionary.ends[Int(code)] }
            textEnds.append(end)
            isMissing.append(code < 0)
        }
        codes = []
        dictionary = _LevelDictionary()
        state = .text
    }

    /// Whether a boolean column holds both a true and a false value (missing ones aside).
    private var holdsBothDigits: Bool {
        var sawTrue = false, sawFalse = false
        for (flag, missing) in zip(flags, isMissing) where !missing {
            if flag { sawTrue = true } else { sawFalse = true }
            if sawTrue && sawFalse { return true }
        }
        return false
    }

    /// Frees what the reading needed but the finished column does not (the level
    /// dictionary's hash table), before ``finish(name:)`` makes the level strings: the
    /// peak memory of a read is then the columns plus one column's level strings.
    mutating func releaseReadingState() {
        dictionary.releaseIndex()
    }

    /// Where `values` are `NaN`, in one loop over the raw buffers (`map(\.isNaN)` took
    /// about 25 instructions per value in callgrind).
    private static func nanMask(_ values: [Double]) -> [Bool] {
        [Bool](unsafeUninitializedCapacity: values.count) { mask, initialized in
            values.withUnsafeBufferPointer { values in
                for index in values.indices { mask[index] = values[index].isNaN }
            }
            initialized = values.count
        }
    }

    /// The finished column, or `nil` when it was abandoned and must be read again.
    /// An inferred column with no value but missing markers is numeric. So is an inferred
    /// column of digits that holds only one of `0` and `1`: one value does not make a
    /// yes/no column (a column of `1`s is a constant, as a column of `7`s is); `0` and `1`
    /// both, or a word (`true`, `false`), do.
    func finish(name: String) -> Column? {
        switch state {
        case .boolean where requestedType == nil && nonMissingCount == 0:
            let values = [Double](repeating: .nan, count: rowCount)
            return Column(name: name, storage: .numeric(
                NumericColumn(values: values, isMissing: isMissing, missingCount: missingCount)))
        case .boolean where requestedType == nil && !sawBooleanWords && !holdsBothDigits:
            let values = zip(flags, isMissing).map { flag, missing in missing ? Double.nan : flag ? 1 : 0 }
            return Column(name: name, storage: .numeric(
                NumericColumn(values: values, isMissing: isMissing, missingCount: missingCount)))
        case .boolean:
            return Column(name: name, storage: .boolean(
                BooleanColumn(values: flags, isMissing: isMissing, missingCount: missingCount)))
        case .numeric:
            return Column(name: name, storage: .numeric(
                NumericColumn(values: values, isMissing: Self.nanMask(values), missingCount: missingCount)))
        case .categorical:
            return Column(name: name, storage: .categorical(
                CategoricalColumn(codes: codes, levels: dictionary.levels(), missingCount: missingCount)))
        case .text:
            return Column(name: name, text: TextColumn(bytes: textBytes, ends: textEnds, isMissing: isMissing,
                                                       missingCount: missingCount))
        case .abandoned:
            return nil
        }
    }
}
