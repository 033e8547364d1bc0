import Foundation

/// A forward-only reader of JSON text that builds only the values its caller asks for and
/// skips the rest, checking the grammar as it goes.
///
/// `JSONDecoder` first lays the whole document out as a map of every value and only then
/// decodes: a 372 MB XGBoost model took 6.5 times its size in memory so (docs/benchmarks.md,
/// "Model loading"). Read with a scanner, a
/// number array goes straight into `[Int]` or `[Double]`, and what nobody reads
/// (`loss_changes`, `base_weights`) costs nothing.
///
///     var scanner = JSONScanner(bytes)
///     try scanner.readObject { scanner, key in
///         if key == "trees" { count = try scanner.readIntegers().count } else { try scanner.skipValue() }
///     }
///     try scanner.expectEnd()
///
/// The scanner works on a buffer its caller keeps alive for the whole read.
struct JSONScanner {
    /// What went wrong, with the key path of the value it happened at.
    enum Failure: Error, Equatable {
        /// Not JSON: truncated, malformed, or nested deeper than `maximumDepth`.
        case malformed
        /// A value of another kind than `expected` ("an integer"), at `path`
        /// (`.learner.objective.name`, `[3]`: keys with a leading dot, indices in brackets).
        case mismatch(expected: String, path: String)
        /// An object with `key` given twice, at `path`: decoders disagree on which copy
        /// counts (Foundation's keeps the first, Python's and jq the last), so a reviewer
        /// would read another model than the one scored.
        case duplicateKey(String, path: String)
        /// An object without the required `key`, at `path`.
        case missingKey(String, path: String)

        /// The failure seen from the enclosing value: `component` goes before its path.
        func prefixed(_ component: String) -> Failure {
            switch self {
            case .malformed: .malformed
            case .mismatch(let expected, let path): .mismatch(expected: expected, path: component + path)
            case .missingKey(let key, let path): .missingKey(key, path: component + path)
            case .duplicateKey(let key, let path): .duplicateKey(key, path: component + path)
            }
        }
    }

    /// Objects and arrays nested deeper than this are refused (as malformed, with
    /// ``exceededDepth`` set), so that skipping a value cannot exhaust the stack. Fixed:
    /// the JSON files Fairlead reads (reports, models, statistics parts) nest at most a
    /// dozen levels, and `JSONDecoder` itself stops at 512.
    public static let maximumDepth = 128

    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    private(set) var position: Int
    private var depth = 0
    /// Whether the text was refused for nesting deeper than ``maximumDepth``.
    private(set) var exceededDepth = false

    /// A scanner of `bytes` from `position`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    // MARK: Bytes

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed; nil at the end of the text.
    private mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// Consumes `byte` (after whitespace) when it comes next.
    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard consume(byte) else { throw Failure.malformed }
    }

    /// The offset where the next value starts (after whitespace), for a message that
    /// places it by line and column (``JSONFault/lineAndColumn(of:in:)``).
    mutating func valueStart() -> Int {
        skipWhitespace()
        return position
    }

    /// Throws unless only whitespace is left.
    mutating func expectEnd() throws {
        guard peek() == nil else { throw Failure.malformed }
    }

    /// A mismatch for the next value, which is not `expected` ("an integer, found null" for null).
    /// Malformed when no JSON value starts there (`{"learner": sk-live-…}` is not JSON,
    /// and is said to be so rather than to hold a value of the wrong kind).
    private mutating func mismatch(_ expected: String) -> Failure {
        guard let next = peek(), Self.startsValue(next) else { return .malformed }
        return .mismatch(expected: next == UInt8(ascii: "n") ? expected + ", found null" : expected, path: "")
    }

    /// Whether a JSON value can start with `byte`: an object, array, string, number,
    /// `true`, `false` or `null`.
    private static func startsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["), quote, UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): true
        default: false
        }
    }

    // MARK: Containers

    /// Reads an object, calling `member` with each key and the scanner at its value, which
    /// `member` must read or skip. Failures inside a member get the key in their path; a
    /// key given twice (as decoded: `"a"` and `"\u0061"` are one key) is a failure.
    mutating func readObject(_ member: (inout JSONScanner, String) throws -> Void) throws {
        var keys: Set<String> = []
        try readContainer(opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}"), expected: "an object") { scanner in
            guard scanner.peek() == Self.quote else { throw Failure.malformed }
            let key = try scanner.readStringBody()
            guard keys.insert(key).inserted else { throw Failure.duplicateKey(key, path: "") }
            try scanner.expect(UInt8(ascii: ":"))
            do {
                try member(&scanner, key)
            } catch let failure as Failure {
                throw failure.prefixed(JSONKeyPath.member(key))
            }
        }
    }

    /// Reads an array, calling `element` with each index and the scanner at the element,
    /// which `element` must read or skip. Failures inside an element get its index.
    mutating func readArray(_ element: (inout JSONScanner, Int) throws -> Void) throws {
        var index = 0
        try readContainer(opening: UInt8(ascii: "["), closing: UInt8(ascii: "]"), expected: "an array") { scanner in
            do {
                try element(&scanner, index)
            } catch let failure as Failure {
                throw failure.prefixed(JSONKeyPath.index(index))
            }
            index += 1
        }
    }

    /// Reads the container that `opening` starts and `closing` ends, one level deeper,
    /// calling `item` for each of its comma-separated items (none when it is empty). Another
    /// kind of value is a mismatch with `expected`.
    private mutating func readContainer(opening: UInt8, closing: UInt8, expected: String,
                                        _ item: (inout JSONScanner) throws -> Void) throws {
        guard peek() == opening else { throw mismatch(expected) }
        position += 1
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            exceededDepth = true
            throw Failure.malformed
        }
        if consume(closing) { return }
        repeat {
            try item(&self)
        } while consume(UInt8(ascii: ","))
        try expect(closing)
    }

    /// Reads an object for the value of `key` alone, read by `read`, skipping its other
    /// members; an object without `key` is a `missingKey` failure.
    mutating func readRequiredMember<Value>(_ key: String, _ read: (inout JSONScanner) throws -> Value) throws -> Value {
        var value: Value?
        try readObject { scanner, member in
            if member == key { value = try read(&scanner) } else { try scanner.skipValue() }
        }
        guard let value else { throw Failure.missingKey(key, path: "") }
        return value
    }

    /// Skips one value of any kind, checking its grammar.
    mutating func skipValue() throws {
        guard let next = peek() else { throw Failure.malformed }
        switch next {
        case UInt8(ascii: "{"): try readObject { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "["): try readArray { scanner, _ in try scanner.skipValue() }
        case Self.quote: _ = try readStringBody(decoding: false)
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): guard readNull() else { throw Failure.malformed }
        default: _ = try numberLexeme()
        }
    }

    /// Reads one value of any kind, as ``skipValue()`` does, calling `number` with the key
    /// path (`.rows.used`, `.groups[3]`) and the byte range of each number in it, and
    /// keeping in `reached` the path of the value being read: where the grammar breaks,
    /// `reached` and ``position`` say where (the byte of a `NaN`, the end of a truncated text).
    mutating func walkNumbers(path: String = "", reached: inout String,
                              _ number: (_ path: String, _ range: Range<Int>, _ isInteger: Bool) -> Void) throws {
        reached = path
        switch peek() ?? 0 {
        case UInt8(ascii: "{"):
            try readObject { scanner, key in
                try scanner.walkNumbers(path: path + JSONKeyPath.member(key), reached: &reached, number)
                reached = path
            }
        case UInt8(ascii: "["):
            try readArray { scanner, index in
                try scanner.walkNumbers(path: path + JSONKeyPath.index(index), reached: &reached, number)
                reached = path
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let (range, isInteger) = try numberLexeme()
            number(path, range, isInteger)
        default:
            try skipValue()
        }
    }

    // MARK: Scalars

    /// Consumes `null` when it comes next.
    mutating func readNull() -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        guard literal("null") else { return false }
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    mutating func readBool() throws -> Bool {
        switch peek() {
        case UInt8(ascii: "t"): guard literal("true") else { throw Failure.malformed }; return true
        case UInt8(ascii: "f"): guard literal("false") else { throw Failure.malformed }; return false
        default: throw mismatch("true or false")
        }
    }

    /// Whether the next value is true or false.
    mutating func nextIsBool() -> Bool {
        peek() == UInt8(ascii: "t") || peek() == UInt8(ascii: "f")
    }

    /// Whether the next value is an array.
    mutating func nextIsArray() -> Bool {
        peek() == UInt8(ascii: "[")
    }

    /// Whether the next value is an object.
    mutating func nextIsObject() -> Bool {
        peek() == UInt8(ascii: "{")
    }

    mutating func readString() throws -> String {
        guard peek() == Self.quote else { throw mismatch("a string") }
        return try readStringBody()
    }

    /// Reads the string at `position` (its opening quote), unescaping it when `decoding`.
    private mutating func readStringBody(decoding: Bool = true) throws -> String {
        position += 1
        let start = position
        var hasEscapes = false
        while true {
            guard position < bytes.count else { throw Failure.malformed }
            let byte = bytes[position]
            if byte == Self.quote { break }
            guard byte >= 0x20 else { throw Failure.malformed }
            if byte == Self.backslash {
                hasEscapes = true
                position += 1
                guard position < bytes.count else { throw Failure.malformed }
                if bytes[position] == UInt8(ascii: "u") { position += 4 }
            }
            position += 1
        }
        let end = position
        position += 1
        guard decoding else { return "" }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        return hasEscapes ? try Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws -> String {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        func flush() {
            if !utf8.isEmpty { scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars); utf8.removeAll() }
        }
        func hex(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count, let value = UInt32(String(decoding: raw[at..<(at + 4)], as: UTF8.self), radix: 16) else {
                throw Failure.malformed
            }
            return value
        }
        var index = 0
        while index < raw.count {
            guard raw[index] == backslash else { utf8.append(raw[index]); index += 1; continue }
            flush()
            guard index + 1 < raw.count else { throw Failure.malformed }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escaped))
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex(index)
                index += 4
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate must be followed by an escaped low one.
                    guard index + 6 <= raw.count, raw[index] == backslash, raw[index + 1] == UInt8(ascii: "u") else { throw Failure.malformed }
                    let low = try hex(index + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw Failure.malformed }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let scalar = Unicode.Scalar(code) else { throw Failure.malformed }
                scalars.append(scalar)
            default:
                throw Failure.malformed
            }
        }
        flush()
        return String(scalars)
    }

    /// The bytes of the number at `position`, checked against JSON's grammar:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. Another kind of value is a
    /// mismatch; a broken number is malformed.
    private mutating func numberLexeme(expected: String = "a number") throws -> (range: Range<Int>, isInteger: Bool) {
        guard let first = peek() else { throw Failure.malformed }
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            if first == Self.quote || first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
                || first == UInt8(ascii: "t") || first == UInt8(ascii: "f") || first == UInt8(ascii: "n") {
                throw mismatch(expected)
            }
            throw Failure.malformed
        }
        let start = position
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9") }
        func digits() throws {
            guard isDigit(position) else { throw Failure.malformed }
            while isDigit(position) { position += 1 }
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw Failure.malformed }
        if bytes[position] == UInt8(ascii: "0") { position += 1 } else { try digits() }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            try digits()
            isInteger = false
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            try digits()
            isInteger = false
        }
        return (start..<position, isInteger)
    }

    /// A number as a double; one beyond the double range is a mismatch.
    mutating func readDouble() throws -> Double {
        let (range, _) = try numberLexeme()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Failure.mismatch(expected: "a number within the range of a double", path: "")
        }
        return value
    }

    /// An integer written without fraction or exponent, within `Int`'s range.
    mutating func readInteger() throws -> Int {
        let (range, isInteger) = try numberLexeme(expected: "an integer")
        guard isInteger else { throw Failure.mismatch(expected: "an integer", path: "") }
        var value = 0
        let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
        for index in range where bytes[index] != UInt8(ascii: "-") {
            let digit = Int(bytes[index] - UInt8(ascii: "0"))
            let (scaled, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? scaled.subtractingReportingOverflow(digit) : scaled.addingReportingOverflow(digit)
            guard !overflow, !overflow2 else { throw Failure.mismatch(expected: "an integer", path: "") }
            value = next
        }
        return value
    }

    /// An array of integers.
    mutating func readIntegers() throws -> [Int] {
        var values: [Int] = []
        try readArray { scanner, _ in values.append(try scanner.readInteger()) }
        return values
    }

    /// An array of numbers.
    mutating func readDoubles() throws -> [Double] {
        var values: [Double] = []
        try readArray { scanner, _ in values.append(try scanner.readDouble()) }
        return values
    }

    /// An array of strings.
    mutating func readStrings() throws -> [String] {
        var values: [String] = []
        try readArray { scanner, _ in values.append(try scanner.readString()) }
        return values
    }

    /// Skips an array and returns the number of its elements.
    mutating func countElements() throws -> Int {
        var count = 0
        try readArray { scanner, _ in
            try scanner.skipValue()
            count += 1
        }
        return count
    }
}

/// A key given twice in one object of a JSON document: decoders disagree on which copy
/// counts (Foundation's keeps the first, Python's and jq the last), so the same file says
/// different things to different tools — a report whose second `"status": "pass"` jq
/// reads rendered as FAIL here.
public struct JSONDuplicateKey: Sendable, Equatable {
    /// The key, as decoded.
    public var key: String
    /// The key path of the second copy (`profile.name`), as ``JSONKeyPath/text(_:)`` writes it.
    public var keyPath: String
    /// Where the second copy's key ends (1-based).
    public var line: Int
    public var column: Int
    /// The scanner's failure, for messages that describe it (``ModelFile``).
    let failure: JSONScanner.Failure

    /// The first key given twice in `data`, or `nil` when there is none — also when `data`
    /// is not JSON, which its decoder describes.
    public static func first(in data: Data) -> JSONDuplicateKey? {
        data.withUnsafeBytes { raw -> JSONDuplicateKey? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var scanner = JSONScanner(bytes)
            do {
                try scanner.skipValue()
            } catch JSONScanner.Failure.duplicateKey(let key, let path) {
                let (line, column) = JSONFault.lineAndColumn(of: scanner.position, in: bytes)
                return JSONDuplicateKey(key: key, keyPath: JSONKeyPath.text(path + JSONKeyPath.member(key)), line: line, column: column,
                                        failure: .duplicateKey(key, path: path))
            } catch {}
            return nil
        }
    }
}
