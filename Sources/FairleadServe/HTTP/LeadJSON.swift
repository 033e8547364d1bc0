import FairleadCore

/// A JSON value of a request body (RFC 8259).
enum JSONValue: Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Reads a request body as one JSON value (RFC 8259), strictly.
///
/// Written by hand rather than through Foundation's `JSONDecoder` because the decoder was
/// the largest cost of a request after TreeSHAP: `perf record` of `fairlead serve` under
/// `scripts/bench-serve` (one lead, the 200-tree model) put 16% of the service's CPU time
/// in `JSONDecoder.decode` of the lead's 16 values. The grammar is small and the body is
/// bounded (`--max-body-bytes`), so the parser is a plain recursive descent over the bytes.
///
/// Beyond what the decoder checked, a key given twice in one object is refused (the
/// decoder kept one of the values and dropped the other silently), and so is a number
/// beyond a `Double`'s range: too large (`1e400`), or not zero yet too small (`1e-400`,
/// which the decoder read as 0). Nesting deeper than ``maximumDepth`` is refused before it
/// can exhaust the stack.
struct LeadJSONParser {
    /// The deepest nesting of arrays and objects accepted: a lead is one object, a batch
    /// an object holding an array of them, so anything near this is not a lead.
    static let maximumDepth = 32

    /// What is wrong with a body, and the byte offset where the parser found it.
    struct Failure: Error, Equatable {
        var message: String
        var offset: Int

        var description: String { "\(message) at byte \(offset)" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The one value `body` holds, surrounded by nothing but whitespace.
    static func parse(_ body: [UInt8]) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = body.withUnsafeBufferPointer { bytes in
            var parser = LeadJSONParser(bytes)
            do throws(Failure) {
                parser.skipWhitespace()
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.index == bytes.count else { throw parser.failure("unexpected \(parser.describeNext()) after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: message, offset: index)
    }

    private func describeNext() -> String {
        guard index < bytes.count else { return "the end of the body" }
        let byte = bytes[index]
        return byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("expected a value, found the end of the body") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("expected a value, found \(describeNext())")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count,
              (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else {
            throw failure("expected a value, found \(describeNext())")
        }
        index += count
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a key in quotes, found \(describeNext())")
            }
            let keyOffset = index
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure("expected ':' after a key, found \(describeNext())")
            }
            index += 1
            skipWhitespace()
            let member = try value(depth: depth)
            guard members.updateValue(member, forKey: key) == nil else {
                throw Failure(message: "the key \"\(MessageQuote.clipped(key, limit: 60))\" is given twice", offset: keyOffset)
            }
            if try endsAfterItem(closing: "}") { return .object(members) }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            if try endsAfterItem(closing: "]") { return .array(elements) }
        }
    }

    /// After a member or an element: `true` past the `closing` bracket, `false` past a
    /// comma (and the whitespace after it); anything else is an error.
    private mutating func endsAfterItem(closing: Unicode.Scalar) throws(Failure) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw failure("expected ',' or '\(closing)', found the end of the body") }
        switch bytes[index] {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return false
        case UInt8(ascii: closing):
            index += 1
            return true
        default:
            throw failure("expected ',' or '\(closing)', found \(describeNext())")
        }
    }

    /// A quoted string, the opening quote at `index`: escapes resolved, UTF-8 checked,
    /// control characters refused as RFC 8259 asks.
    private mutating func string() throws(Failure) -> String {
        let opening = index
        index += 1
        let start = index
        // The common string: no escape, so its bytes are the text.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                guard let string = String(validating: text, as: UTF8.self) else {
                    throw Failure(message: "invalid UTF-8 in a string", offset: opening)
                }
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("a control character (byte 0x\(String(byte, radix: 16))) inside a string; escape it") }
            index += 1
        }
        var text = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: text, as: UTF8.self) else {
                    throw Failure(message: "invalid UTF-8 in a string", offset: opening)
                }
                index += 1
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hexQuad()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("a \\u escape of a high surrogate without its low surrogate")
                        }
                        index += 2
                        let low = try hexQuad()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw failure("a \\u escape of a high surrogate without its low surrogate")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw failure("a \\u escape of a lone low surrogate")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw failure("an invalid \\u escape") }
                    text.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    index -= 1
                    throw failure("an invalid escape \\\(describeNext()) in a string")
                }
            default:
                if byte < 0x20 { throw failure("a control character (byte 0x\(String(byte, radix: 16))) inside a string; escape it") }
                text.append(byte)
                index += 1
            }
        }
        throw Failure(message: "a string that is never closed", offset: opening)
    }

    private mutating func hexQuad() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("a \\u escape needs four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// A number by RFC 8259's grammar (`-? int frac? exp?`), converted by the data
    /// file's correctly rounded reader; one beyond `Double`'s range is refused.
    private mutating func number() throws(Failure) -> Double {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - first
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else {
            throw failure("expected a digit, found \(describeNext())")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            _ = digits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw failure("expected a digit after the decimal point, found \(describeNext())") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw failure("expected a digit in the exponent, found \(describeNext())") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        // The data file's reader (`CSVReader.number`), whose grammar holds JSON's: it
        // refuses a literal beyond a double's range either way, `1e400` (±inf) as `1e-400`
        // (a non-zero number that would read as 0), so a lead posted reads as in a file.
        guard let value = CSVReader.number(text), value.isFinite else {
            let tooSmall = Double(text) == 0
            throw Failure(message: "the number \(text.prefix(40)) is out of range\(tooSmall ? " (not 0, yet too small for a double)" : "")",
                          offset: start)
        }
        return value
    }
}
