import Foundation
import Testing
@testable import FairleadCore

/// A JSON text nested deeper than the scanner reads is refused by that limit, named with
/// its value, at the place it passes it — not as "malformed".
@Suite struct JSONFaultDepthTests {
    @Test(arguments: [129, 513, 100_000])
    func aTextNestedTooDeepNamesTheLimit(depth: Int) throws {
        let data = Data(repeating: UInt8(ascii: "["), count: depth) + Data(repeating: UInt8(ascii: "]"), count: depth)
        let fault = try #require(JSONFault.syntax(in: data))
        #expect(fault.message == "not a JSON file Fairlead reads: objects and arrays nested more than 128 levels deep "
                + "(the JSON nesting limit, fixed: Fairlead's reports, models and statistics parts nest at most a dozen levels)")
        #expect(fault.line == 1 && fault.column == 130)
        #expect(fault.isSyntax)
    }

    @Test func textWithinTheLimitIsRead() {
        let depth = JSONScanner.maximumDepth
        let data = Data(repeating: UInt8(ascii: "["), count: depth) + Data(repeating: UInt8(ascii: "]"), count: depth)
        #expect(JSONFault.syntax(in: data) == nil)
        #expect(JSONFault.syntax(in: Data("[1,".utf8))?.message == "not valid JSON (truncated: the text ends inside a value)")
    }
}
