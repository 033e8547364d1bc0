import Testing
@testable import FairleadCore
import FairleadTestSupport

/// The decimal parser agrees with the standard library's correctly rounded conversion.
@Suite struct CSVNumberParsingTests {
    static func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return nil }
            return _DecimalParser.parse(base, count: bytes.count)
        }
    }

    @Test func shortestSpellingsOfRandomDoublesRoundTrip() {
        var generator = SplitMix64(seed: 1)
        var checked = 0
        while checked < 100_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let text = "\(value)"
            #expect(Self.parse(text)?.bitPattern == value.bitPattern, "\(text)")
            checked += 1
        }
    }

    /// Texts of up to nine bytes over digits, the point, the sign, the bytes on either side
    /// of the digits (`/`, `:`), NUL and a high byte: a number exactly when
    /// `-?(digits[.digits?]|.digits)`, with the standard library's value.
    @Test func shortTextsMatchTheGrammarAndTheStandardLibrary() {
        let alphabet = Array("0123456789.-/:".utf8) + [0x00, 0xB0, 0x20]
        var generator = SplitMix64(seed: 3)
        func isNumber(_ bytes: [UInt8]) -> Bool {
            var body = bytes[...]
            if body.first == UInt8(ascii: "-") { body = body.dropFirst() }
            let parts = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            let allDigits = { (part: ArraySlice<UInt8>) in part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
            switch parts.count {
            case 1: return !parts[0].isEmpty && allDigits(parts[0])
            case 2: return allDigits(parts[0]) && allDigits(parts[1]) && !(parts[0].isEmpty && parts[1].isEmpty)
            default: return false
            }
        }
        var numbers = 0
        for trial in 0..<200_000 {
            let length = trial % 9 + 1
            // Mostly digits, so that many texts are numbers.
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                    : UInt8(ascii: "0") + UInt8(Int.random(in: 0...9, using: &generator))
            }
            let parsed = bytes.withUnsafeBufferPointer { _DecimalParser.parse($0.baseAddress!, count: $0.count) }
            let text = String(decoding: bytes, as: UTF8.self)
            if isNumber(bytes) {
                numbers += 1
                #expect(parsed?.bitPattern == Double(text)?.bitPattern, "\(text)")
            } else if bytes.contains(where: { $0 == 0x20 }) {
                continue  // spaces around a number are the general grammar's
            } else {
                #expect(parsed == nil, "\(text)")
            }
        }
        #expect(numbers > 50_000)
    }

    @Test func randomDecimalTextsMatchTheStandardLibrary() {
        var generator = SplitMix64(seed: 2)
        for _ in 0..<100_000 {
            let integerDigits = Int.random(in: 0...22, using: &generator)
            let fractionDigits = Int.random(in: integerDigits == 0 ? 1...22 : 0...22, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            text += String((0..<integerDigits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            if fractionDigits > 0 || Bool.random(using: &generator) {
                text += "." + String((0..<fractionDigits).map { _ in
                    Character(String(Int.random(in: 0...9, using: &generator)))
                })
            }
            if Int.random(in: 0..<3, using: &generator) == 0 {
                text += "e\(Int.random(in: -330...310, using: &generator))"
            }
            // Out of a double's range — a finite text read as ±inf, a non-zero one as 0 — is not a number.
            let standard = Double(text)
            let mantissa = text.prefix { $0 != "e" }
            let outOfRange = standard.map { $0.isInfinite || ($0 == 0 && mantissa.contains { "123456789".contains($0) }) } ?? false
            #expect(Self.parse(text)?.bitPattern == (outOfRange ? nil : standard)?.bitPattern, "\(text)")
        }
    }

    @Test(arguments: [
        ("0.261808", 0.261808), ("48.3", 48.3), ("8", 8), ("-0", -0.0), ("1e22", 1e22), ("1e23", 1e23),
        ("9007199254740993", 9_007_199_254_740_992), ("0.1", 0.1), ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ("4.9e-324", .leastNonzeroMagnitude), ("1.7976931348623157e308", 1.7976931348623157e308),
        ("0e-400", 0), ("0.000e999", 0), ("12345678901234567890123", 1.2345678901234568e22), (".5", 0.5), ("5.", 5),
        ("  7  ", 7), ("\t-3e2", -300), ("INF", .infinity), ("-infinity", -.infinity),
        ("0.000000000000000000000000000001", 1e-30),
    ] as [(String, Double)])
    func knownValues(_ text: String, _ expected: Double) {
        #expect(Self.parse(text)?.bitPattern == expected.bitPattern)
    }

    @Test(arguments: ["", " ", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "0x10", "nan", "NaN", "in", "infinit",
                      "1 2", "--1", "1-", "abc", "1e5x", "١",
                      // Out of a double's range, as PostgreSQL refuses them: not read as ±inf or 0.
                      "1e400", "-1e309", "1.7976931348623159e308", "1e-400", "4.9e-325", "-0.0001e-330"])
    func nonNumbersAreRejected(_ text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test(arguments: [("1", true), ("0", false), ("true", true), ("FALSE", false), (" True ", true)] as [(String, Bool)])
    func booleans(_ text: String, _ expected: Bool) {
        let parsed = Array(text.utf8).withUnsafeBufferPointer { bytes in
            bytes.baseAddress.flatMap { _DecimalParser.parseBoolean($0, count: bytes.count) }
        }
        #expect(parsed?.value == expected)
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var generator = SplitMix64(seed: 3)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F,
                                    0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF]
        for _ in 0..<50_000 {
            let count = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &generator) ? interesting[Int.random(in: 0..<interesting.count, using: &generator)]
                    : UInt8.random(in: 0...255, using: &generator)
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            let valid = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { _ByteText.isValidUTF8($0, count: buffer.count) } ?? true
            }
            #expect(valid == expected, "\(bytes)")
        }
    }
}
