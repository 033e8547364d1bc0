import Foundation
import Testing
@testable import FairleadCore

/// Faults the decoder reports with no place: a byte that is not UTF-8 and a number nearer
/// zero than a double holds, each at its line and column and called what it is.
@Suite struct JSONFaultTextTests {
    /// A stray continuation byte, a lone lead byte, an overlong form and an encoded
    /// surrogate: each at the byte where the text stops being UTF-8.
    @Test(arguments: [[0xFF] as [UInt8], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80]])
    func aByteThatIsNotUTF8IsAtItsPlace(bad: [UInt8]) throws {
        let data = Data("{\n  \"group\" : \"é".utf8) + Data(bad) + Data("x\"\n}".utf8)
        let fault = try #require(JSONFault.syntax(in: data))
        #expect(fault.line == 2 && fault.column == 15, "\(fault)")
        #expect(fault.message == "not valid JSON: byte 0x\(String(bad[0], radix: 16, uppercase: true)) is not UTF-8 text (JSON is UTF-8); save the file as UTF-8")
        #expect(fault.isSyntax)
        // The same text in UTF-8 is JSON.
        #expect(JSONFault.syntax(in: Data("{\n  \"group\" : \"éx\"\n}".utf8)) == nil)
    }

    struct Sums: Decodable { var tp: [Double] }

    /// 1e-400 in a list of doubles: refused by the decoder as 1e400 is, and said so — it
    /// read "expected a whole number".
    @Test func aNumberNearerZeroThanADoubleIsOutOfRange() throws {
        let data = Data("{\"tp\": [3, 0.5,\n 1e-400]}".utf8)
        let decodes = { (bytes: Data) in (try? JSONDecoder().decode(Sums.self, from: bytes)) != nil }
        try #require(!decodes(data), "this decoder reads 1e-400: nothing to locate")
        let fault = try #require(JSONFault.locate(in: data, decodes: decodes))
        #expect(fault.message == "expected a number within the range of a double (about ±1.8e308, and 0 or at least about ±4.9e-324), found 1e-400")
        #expect(fault.line == 2 && fault.column == 2 && fault.keyPath == "tp[2]")
        // A zero written long is a zero, not out of range.
        #expect(decodes(Data("{\"tp\": [0.000e-400]}".utf8)))
    }
}
