import FairleadCore
import Foundation

/// One strict pass over a statistics part's JSON before `JSONDecoder` reads it, building
/// nothing: a key given twice in one object (the decoder keeps the first, Python and jq
/// the last, so a reviewer would read other numbers than the audit used), a key that no
/// field of a part has (a typo, or padding the decoder would hold in memory and ignore),
/// nesting deeper than a part's, a number beyond a double's range, and broken JSON are
/// refused at their byte offset.
///
/// A streaming pass rather than a tree (`LeadJSONParser`): a part of 231 MB (a 100,000-cell
/// score grid over 1M leads) took 9.9 s and 774 MB to audit with the decoder alone, and
/// 19.8 s and 1.6 GB with a tree built first; with this pass, 10.3 s against 9.65 s in one
/// alternated pair of runs, and the same 774 MB.
struct _PartJSONScan {
    struct Failure: Error {
        var message: String
        var offset: Int
        /// A key given twice or unknown: JSON, but not a part's.
        var isKey = false
    }

    /// The deepest nesting a part has (histogram entries are arrays in arrays in objects
    /// in arrays …: 7 levels), with room to spare.
    static let maximumDepth = 16

    private let bytes: UnsafeRawBufferPointer
    private let knownKeys: Set<String>
    private var index = 0
    /// The values passed (objects, arrays, strings, numbers, literals) and the bytes of
    /// their strings (keys included): what decoding the part will build, planned against
    /// the memory budget (``StatisticsPartMemory``).
    private var values = 0
    private var textBytes = 0
    /// Where the scan is: keys and array positions, made into text only for a message
    /// (an interpolated path per array element cost more than the rest of the scan).
    private var trail: [Step] = []

    private enum Step {
        case key(String)
        case element(Int)
    }

    /// The trail as a key path: `data[0].rows_read` (``JSONKeyPath``).
    private var path: String {
        JSONKeyPath.text(trail.map { step in
            switch step {
            case .key(let key): JSONKeyPath.member(MessageQuote.clipped(key))
            case .element(let position): JSONKeyPath.index(position)
            }
        }.joined())
    }

    private init(_ bytes: UnsafeRawBufferPointer, knownKeys: Set<String>) {
        self.bytes = bytes
        self.knownKeys = knownKeys
    }

    /// Checks `data`; `knownKeys` are every key a part may hold, at any depth.
    /// Checks `data` and returns the number of JSON values it holds and the bytes of its
    /// strings.
    @discardableResult
    static func check(_ data: Data, knownKeys: Set<String>) throws(Failure) -> (values: Int, textBytes: Int) {
        let outcome: Result<(values: Int, textBytes: Int), Failure> = data.withUnsafeBytes { raw in
            var scan = _PartJSONScan(raw, knownKeys: knownKeys)
            do throws(Failure) {
                scan.skipWhitespace()
                try scan.value(depth: 0)
                scan.skipWhitespace()
                guard scan.index == raw.count else { throw scan.fail("unexpected \(scan.next()) after the value") }
                return .success((scan.values, scan.textBytes))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private func fail(_ message: String) -> Failure {
        Failure(message: message, offset: index)
    }

    /// The next byte, described for a message.
    private func next() -> String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        return byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D else { return }
            index += 1
        }
    }

    private mutating func value(depth: Int) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw fail("unexpected end of file") }
        values += 1
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): _ = try string(decoding: false)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw fail("unexpected \(next())")
        }
    }

    private mutating func object(depth: Int) throws(Failure) {
        index += 1
        var keys: Set<String> = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key, found \(next())") }
            let keyOffset = index
            let key = try string(decoding: true) ?? ""
            trail.append(.key(key))
            guard keys.insert(key).inserted else {
                let place = path
                throw Failure(message: "the key \(place) is given twice in one object", offset: keyOffset, isKey: true)
            }
            guard knownKeys.contains(key) else {
                let place = path
                throw Failure(message: "unknown key \(place)", offset: keyOffset, isKey: true)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a key, found \(next())") }
            index += 1
            skipWhitespace()
            try value(depth: depth + 1)
            trail.removeLast()
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of file in an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            } else {
                throw fail("expected ',' or '}', found \(next())")
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        var element = 0
        trail.append(.element(0))
        while true {
            skipWhitespace()
            trail[trail.count - 1] = .element(element)
            try value(depth: depth + 1)
            element += 1
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of file in an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                trail.removeLast()
                return
            } else {
                throw fail("expected ',' or ']', found \(next())")
            }
        }
    }

    /// A string from its opening quote; its text when `decoding` (keys), else `nil`.
    private mutating func string(decoding: Bool) throws(Failure) -> String? {
        let opening = index
        index += 1
        var plainStart = index
        var text = decoding ? "" : nil
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if decoding { text! += Self.utf8(bytes, plainStart..<index) }
                index += 1
                textBytes += index - opening
                return text
            }
            if byte < 0x20 { throw fail("a control character inside a string") }
            if byte == UInt8(ascii: "\\") {
                if decoding { text! += Self.utf8(bytes, plainStart..<index) }
                index += 1
                guard index < bytes.count else { break }
                let escaped = bytes[index]
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    if decoding { text!.unicodeScalars.append(Unicode.Scalar(escaped)) }
                case UInt8(ascii: "b"): if decoding { text! += "\u{8}" }
                case UInt8(ascii: "f"): if decoding { text! += "\u{C}" }
                case UInt8(ascii: "n"): if decoding { text! += "\n" }
                case UInt8(ascii: "r"): if decoding { text! += "\r" }
                case UInt8(ascii: "t"): if decoding { text! += "\t" }
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count, let unit = UInt16(Self.utf8(bytes, index + 1..<index + 5), radix: 16) else {
                        throw fail("a \\u escape needs four hexadecimal digits")
                    }
                    index += 4
                    // A surrogate's half is kept as U+FFFD: only keys are decoded, and no
                    // key of a part is outside ASCII.
                    if decoding { text!.unicodeScalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}") }
                default:
                    throw fail("unknown escape \\\(Character(Unicode.Scalar(escaped)))")
                }
                index += 1
                plainStart = index
                continue
            }
            index += 1
        }
        throw Failure(message: "a string that is never closed", offset: opening)
    }

    private static func utf8(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw fail("unexpected \(next())") }
            index += 1
        }
    }

    /// A number; its value is the decoder's to read, but one past a double's range
    /// (`1e400`) is refused here, where its place is known.
    private mutating func number() throws(Failure) {
        let start = index
        var hasExponent = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                hasExponent = true
            } else if !(byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)) {
                break
            }
            index += 1
        }
        // Only a long number or one with an exponent can leave a double's range.
        if hasExponent || index - start > 300 {
            let text = Self.utf8(bytes, start..<index)
            guard let value = Double(text) else { throw Failure(message: "\(MessageQuote.clipped(text)) is not a number", offset: start) }
            guard value.isFinite else {
                throw Failure(message: "the number \(MessageQuote.clipped(text)) is beyond a double's range", offset: start)
            }
        }
    }
}
