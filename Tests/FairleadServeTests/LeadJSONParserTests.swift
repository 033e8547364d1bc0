@testable import FairleadServe
import Foundation
import Testing
import FairleadTestSupport

/// The request body parser reads what Foundation's `JSONDecoder` read, value for value,
/// and refuses what RFC 8259 does not allow, saying where.
@Suite struct LeadJSONParserTests {
    /// The service's former reading of a body, through `JSONDecoder`: the oracle.
    private enum DecodedValue: Decodable {
        case null, bool(Bool), number(Double), string(String), array([DecodedValue]), object([String: DecodedValue])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode([String: DecodedValue].self) { self = .object(value) }
            else { self = .array(try container.decode([DecodedValue].self)) }
        }

        var value: JSONValue {
            switch self {
            case .null: return .null
            case .bool(let flag): return .bool(flag)
            case .number(let number): return .number(number)
            case .string(let text): return .string(text)
            case .array(let items): return .array(items.map(\.value))
            case .object(let members): return .object(members.mapValues(\.value))
            }
        }
    }

    private static func decoded(_ text: [UInt8]) -> JSONValue? {
        (try? JSONDecoder().decode(DecodedValue.self, from: Data(text)))?.value
    }

    private static let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}",
                                             "é", "€", "😀", "\u{202E}", "lead_id", "web_form", ","]

    private static func randomValue(depth: Int, _ random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth >= 3 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            switch Int.random(in: 0..<4, using: &random) {
            case 0: return .number(Double(Int.random(in: -1_000_000...1_000_000, using: &random)))
            case 1: return .number(Double.random(in: -1...1, using: &random))
            case 2: return .number(Double.random(in: -1e300...1e300, using: &random))
            default: return .number(Double(Int.random(in: 0...99, using: &random)) / 100)
            }
        case 3:
            let count = Int.random(in: 0..<6, using: &random)
            return .string((0..<count).map { _ in alphabet.randomElement(using: &random)! }.joined())
        case 4:
            return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in randomValue(depth: depth + 1, &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<4, using: &random) {
                let key = (0..<Int.random(in: 0..<4, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
                members[key] = randomValue(depth: depth + 1, &random)
            }
            return .object(members)
        }
    }

    /// `value` as JSON text, with whitespace and escapes chosen at random.
    private static func text(_ value: JSONValue, _ random: inout SplitMix64) -> String {
        let space = ["", " ", "\n", "\t ", "\r\n"]
        func pad() -> String { space.randomElement(using: &random)! }
        func quoted(_ string: String) -> String {
            var out = "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += Bool.random(using: &random) ? "\\n" : "\\u000a"
                case "\t": out += "\\t"
                case "/": out += Bool.random(using: &random) ? "/" : "\\/"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04X", scalar.value)
                case _ where scalar.value >= 0x10000 && Bool.random(using: &random):
                    let v = scalar.value - 0x10000
                    out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                case _ where scalar.value >= 0x80 && Bool.random(using: &random):
                    out += scalar.value >= 0x10000 ? String(scalar) : String(format: "\\u%04X", scalar.value)
                default: out += String(scalar)
                }
            }
            return out + "\""
        }
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15, Bool.random(using: &random) { return String(Int64(number)) }
            return "\(number)"
        case .string(let string): return quoted(string)
        case .array(let items):
            return "[" + pad() + items.map { text($0, &random) + pad() }.joined(separator: "," + pad()) + "]"
        case .object(let members):
            return "{" + pad() + members.map { quoted($0.key) + pad() + ":" + pad() + text($0.value, &random) }
                .joined(separator: pad() + "," + pad()) + pad() + "}"
        }
    }

    @Test func randomDocumentsReadAsWrittenAndAsTheDecoderReadThem() throws {
        for seed in 0..<2_000 {
            var random = SplitMix64(seed: UInt64(seed))
            let value = Self.randomValue(depth: 0, &random)
            let body = Array(Self.text(value, &random).utf8)
            let parsed = try LeadJSONParser.parse(body)
            #expect(parsed == value, "seed \(seed): \(String(decoding: body, as: UTF8.self))")
            #expect(Self.decoded(body) == parsed, "seed \(seed): \(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test func everyByteDroppedOrChangedIsJudgedAsTheDecoderJudgesIt() {
        // Single-byte damage to valid bodies: wherever the decoder (strict RFC 8259 too)
        // accepts or refuses, so does the parser, and accepted bodies read the same.
        let bodies = [#"{"lead_id": "L0000042", "web_visits": 12, "score": -0.5e-3, "ok": true, "x": null}"#,
                      #"{"leads": [{"a": "\u00e9\n"}, {"b": [1, 2.5, false]}]}"#]
        let replacements: [UInt8] = Array(#"{}[]:,"\ -+.0123456789eEtruefalsn/ux"#.utf8) + [0x09, 0x0A, 0x00, 0x7F, 0xC3, 0xFF]
        for body in bodies.map({ Array($0.utf8) }) {
            for position in body.indices {
                var variants = [Array(body[..<position] + body[(position + 1)...])]
                for byte in replacements where byte != body[position] {
                    var changed = body
                    changed[position] = byte
                    variants.append(changed)
                }
                for variant in variants {
                    let ours = try? LeadJSONParser.parse(variant)
                    let theirs = Self.decoded(variant)
                    let text = String(decoding: variant, as: UTF8.self)
                    // The one disagreement: JSONDecoder refuses a negative zero with an
                    // exponent, which RFC 8259's grammar (`-? int frac? exp?`) allows.
                    if theirs == nil, ours == .object(["lead_id": .string("L0000042"), "web_visits": .number(12),
                                                       "score": .number(-0.0), "ok": .bool(true), "x": .null]),
                       text.contains("-0.0e-3") {
                        continue
                    }
                    #expect(ours == theirs, "\(text.debugDescription)")
                }
            }
        }
    }

    @Test(arguments: [
        ("", "expected a value, found the end of the body at byte 0"),
        ("  \n", "expected a value, found the end of the body at byte 3"),
        ("{\"web_visits\": ", "expected a value, found the end of the body at byte 15"),
        ("{\"a\": 1,}", "expected a key in quotes, found '}' at byte 8"),
        ("[1, 2,]", "expected a value, found ']' at byte 6"),
        ("{\"a\" 1}", "expected ':' after a key, found '1' at byte 5"),
        ("[1 2]", "expected ',' or ']', found '2' at byte 3"),
        ("{} {}", "unexpected '{' after the value at byte 3"),
        ("01", "unexpected '1' after the value at byte 1"),
        ("1.", "expected a digit after the decimal point, found the end of the body at byte 2"),
        ("-", "expected a digit, found the end of the body at byte 1"),
        ("1e+", "expected a digit in the exponent, found the end of the body at byte 3"),
        ("+1", "expected a value, found '+' at byte 0"),
        (".5", "expected a value, found '.' at byte 0"),
        ("1e400", "the number 1e400 is out of range at byte 0"),
        ("-1E+400", "the number -1E+400 is out of range at byte 0"),
        ("{\"web_visits\":1e-400}", "the number 1e-400 is out of range (not 0, yet too small for a double) at byte 14"),
        ("[0, -2.5e-400]", "the number -2.5e-400 is out of range (not 0, yet too small for a double) at byte 4"),
        ("0.0000000001e-399", "the number 0.0000000001e-399 is out of range (not 0, yet too small for a double) at byte 0"),
        ("NaN", "expected a value, found 'N' at byte 0"),
        ("tru", "expected a value, found 't' at byte 0"),
        ("'a'", "expected a value, found ''' at byte 0"),
        ("\"abc", "a string that is never closed at byte 0"),
        ("\"a\tb\"", "a control character (byte 0x9) inside a string; escape it at byte 2"),
        ("\"a\\x\"", "an invalid escape \\'x' in a string at byte 3"),
        ("\"\\u12\"", "a \\u escape needs four hexadecimal digits at byte 3"),
        ("\"\\udc00\"", "a \\u escape of a lone low surrogate at byte 7"),
        ("\"\\ud800x\"", "a \\u escape of a high surrogate without its low surrogate at byte 7"),
        ("{\"a\": 1, \"a\": 2}", "the key \"a\" is given twice at byte 9"),
        (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "nested deeper than 32 levels at byte 32"),
    ])
    func malformedBodiesAreRefusedSayingWhere(body: String, message: String) {
        #expect(throws: LeadJSONParser.Failure.self) { try LeadJSONParser.parse(Array(body.utf8)) }
        do {
            _ = try LeadJSONParser.parse(Array(body.utf8))
        } catch {
            #expect(error.description == message, "\(body.debugDescription)")
        }
    }

    @Test func invalidUTF8InAStringIsRefused() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22]] {
            #expect(throws: LeadJSONParser.Failure(message: "invalid UTF-8 in a string", offset: 0)) {
                try LeadJSONParser.parse(bytes)
            }
        }
    }

    @Test func deepNestingUpToTheLimitIsRead() throws {
        let body = Array((String(repeating: "[", count: 32) + String(repeating: "]", count: 32)).utf8)
        var value = try LeadJSONParser.parse(body)
        var depth = 0
        while case .array(let items) = value, let first = items.first {
            value = first
            depth += 1
        }
        #expect(depth == 31)
    }
}
