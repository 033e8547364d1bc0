import Foundation

/// Where a JSON document went wrong, and how, when `JSONDecoder` does not say: on Linux
/// it answers a syntax error, a `NaN`, and a number the decoded type cannot hold (`1e300`
/// or `100000000000000000000` for an `Int` count) alike with "The given data was not
/// valid JSON", with no key path, line or offset.
///
///     let fault = JSONFault.locate(in: data) { (try? decoder.decode(Report.self, from: $0)) != nil }
///     // line 12, column 17, key path "rows.used":
///     // "expected a whole number from -9223372036854775808 to 9223372036854775807, found 1e300"
///
/// The document is walked once by ``JSONScanner``. A syntax error is found by that walk. A
/// number the decoder refuses is found by decoding copies in which the numbers that are not
/// whole numbers within `Int`'s range are written `0`, halving the suspects each time: at
/// most about log₂ of their count decodes, and only after a decode has failed.
public struct JSONFault: Sendable, Equatable {
    /// The 1-based line of the offending text.
    public var line: Int
    /// The 1-based character column of the offending text.
    public var column: Int
    /// The key path of the value (`rows.used`, `groups[3].tp`); nil at the top level.
    public var keyPath: String?
    /// What is wrong, in words; the document's own text is quoted only for a number.
    public var message: String
    /// Whether the text is not JSON (rather than JSON holding a value its type cannot).
    public var isSyntax: Bool

    public init(line: Int, column: Int, keyPath: String?, message: String, isSyntax: Bool) {
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.isSyntax = isSyntax
    }

    /// The first place `data` breaks JSON's grammar, or nil when it is JSON.
    public static func syntax(in data: Data) -> JSONFault? {
        data.withUnsafeBytes { syntax(in: $0.bindMemory(to: UInt8.self)) }
    }

    /// The first place `bytes` break JSON's grammar, or nil when they are JSON.
    static func syntax(in bytes: UnsafeBufferPointer<UInt8>) -> JSONFault? {
        switch walk(bytes) {
        case .fault(let fault): fault
        case .numbers: nil
        }
    }

    /// The syntax error in `data`, or else the number that `decodes` (a decode of the type
    /// that refused `data`) refuses; nil when neither explains the refusal.
    public static func locate(in data: Data, decodes: (Data) -> Bool) -> JSONFault? {
        let suspects: [Number]
        switch data.withUnsafeBytes({ walk($0.bindMemory(to: UInt8.self)) }) {
        case .fault(let fault): return fault
        case .numbers(let numbers): suspects = numbers
        }
        func decodesWithZeros(from first: Int) -> Bool {
            var copy = Data()
            copy.reserveCapacity(data.count)
            var from = data.startIndex
            for suspect in suspects[first...] {
                copy.append(data[from..<(data.startIndex + suspect.range.lowerBound)])
                copy.append(UInt8(ascii: "0"))
                from = data.startIndex + suspect.range.upperBound
            }
            copy.append(data[from...])
            return decodes(copy)
        }
        guard !suspects.isEmpty, decodesWithZeros(from: 0) else { return nil }
        // With suspects[m...] zeroed the decode fails exactly when a refused number is
        // among suspects[..<m]: the least such m is one past the first refused number.
        var (low, high) = (1, suspects.count)
        while low < high {
            let middle = (low + high) / 2
            if decodesWithZeros(from: middle) { low = middle + 1 } else { high = middle }
        }
        let culprit = suspects[low - 1]
        let text = String(decoding: data[(data.startIndex + culprit.range.lowerBound)..<(data.startIndex + culprit.range.upperBound)], as: UTF8.self)
        // A nonzero number that reads as 0 is nearer zero than a double holds (1e-400):
        // the decoder refuses it as it refuses 1e400, wherever a number may be fractional.
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        let underflows = Double(text) == 0 && mantissa.contains { ("1"..."9").contains($0) }
        let expected = Double(text).map(\.isFinite) == false || underflows
            ? "a number within the range of a double (about ±1.8e308, and 0 or at least about ±4.9e-324)"
            : "a whole number from \(Int.min) to \(Int.max)"
        let (line, column) = lineAndColumn(of: culprit.range.lowerBound, in: data)
        return JSONFault(line: line, column: column, keyPath: keyPath(culprit.path),
                         message: "expected \(expected), found \(MessageQuote.clipped(text, limit: 40))", isSyntax: false)
    }

    /// The 1-based line and character column of byte `offset` in `bytes`.
    public static func lineAndColumn(of offset: Int, in bytes: some Collection<UInt8>) -> (line: Int, column: Int) {
        var (line, column) = (1, 1)
        for byte in bytes.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private struct Number {
        var path: String
        var range: Range<Int>
    }

    private enum Walk {
        case numbers([Number])
        case fault(JSONFault)
    }

    /// The numbers of `bytes` that are not whole numbers within `Int`'s range, or its first syntax error.
    private static func walk(_ bytes: UnsafeBufferPointer<UInt8>) -> Walk {
        var scanner = JSONScanner(bytes)
        // JSON text is UTF-8 (RFC 8259 §8.1): the decoder refuses a byte that is not, with
        // no place; the first such byte is the fault, at its line and column.
        if let offset = firstInvalidUTF8(bytes) {
            let (line, column) = lineAndColumn(of: offset, in: bytes)
            return .fault(JSONFault(line: line, column: column, keyPath: nil,
                                      message: "not valid JSON: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) is not UTF-8 text (JSON is UTF-8); save the file as UTF-8",
                                      isSyntax: true))
        }
        var reached = ""
        var numbers: [Number] = []
        do {
            try scanner.walkNumbers(reached: &reached) { path, range, isInteger in
                if !isInteger || Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)) == nil {
                    numbers.append(Number(path: path, range: range))
                }
            }
            try scanner.expectEnd()
        } catch {
            let (line, column) = lineAndColumn(of: scanner.position, in: bytes)
            return .fault(JSONFault(line: line, column: column, keyPath: keyPath(reached),
                                      message: scanner.exceededDepth ? depthMessage : syntaxMessage(bytes, at: scanner.position),
                                      isSyntax: true))
        }
        return .numbers(numbers)
    }

    /// The offset of the first byte of `bytes` that does not start or continue a UTF-8
    /// character (a stray continuation byte, an overlong form, a surrogate), or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var offset = 0
        while offset < bytes.count {
            if bytes[offset] < 0x80 { offset += 1; continue }
            // The decoder that makes bytes visible (`\xHH`) judges a character alike.
            guard let (_, length) = _VisibleBytes.decode(bytes, at: offset) else { return offset }
            offset += length
        }
        return nil
    }

    /// The refusal of a text nested deeper than ``JSONScanner/maximumDepth``: valid JSON
    /// maybe, but deeper than any file Fairlead reads, and refused before it can exhaust
    /// the stack.
    static let depthMessage = "not a JSON file Fairlead reads: objects and arrays nested more than "
        + "\(JSONScanner.maximumDepth) levels deep (the JSON nesting limit, fixed: Fairlead's reports, models and "
        + "statistics parts nest at most a dozen levels)"

    /// "not valid JSON", with why when it is a common case. The text at the place is not
    /// quoted: the file may be a key or a password file given by mistake.
    private static func syntaxMessage(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> String {
        guard position < bytes.count else { return "not valid JSON (truncated: the text ends inside a value)" }
        let rest = bytes[position..<min(bytes.count, position + 9)]
        for word in ["NaN", "Infinity", "-Infinity", "+Infinity"] where rest.starts(with: word.utf8) {
            return "not valid JSON: \(word) is not a JSON number (JSON has no NaN or Infinity)"
        }
        return "not valid JSON (malformed)"
    }

    private static func keyPath(_ path: String) -> String? {
        let trimmed = JSONKeyPath.text(path)
        return trimmed.isEmpty ? nil : trimmed
    }
}
