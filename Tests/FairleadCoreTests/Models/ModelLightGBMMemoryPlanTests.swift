import Foundation
import Testing
@testable import FairleadCore

/// LightGBM text models whose declared counts ask for more than the file holds, or whose
/// lines and fields cost more memory than the budget: each is refused, quickly, before the
/// memory is taken, at the file and line, and a refusal by the budget names the limit.
@Suite struct ModelLightGBMMemoryPlanTests {
    static let path = "m.txt"

    static func load(_ text: String, limits: Limits = Limits()) throws -> TreeEnsemble {
        try LightGBMModelLoader.load(textData: Data(text.utf8), path: path, limits: limits)
    }

    /// The leads model with its first `old` replaced by `new`.
    static func edited(_ old: String, _ new: String) throws -> String {
        try ModelDeclaredCountsTests.lightGBM { text in
            guard let range = text.range(of: old) else { return text }
            return text.replacingCharacters(in: range, with: new)
        }
    }

    @Test func aDeclaredNumLeavesBeyondItsLeafValueLineIsRefusedAtItsLine() throws {
        let text = try Self.edited("Tree=0\nnum_leaves=15\n", "Tree=0\nnum_leaves=2000000000\n")
        let error = #expect(throws: FairleadError.self) { _ = try Self.load(text) }
        #expect(error?.location == SourceLocation(file: Self.path, line: 13))
        #expect(error?.message.hasPrefix("Tree=0 declares num_leaves=2000000000, more leaves than its leaf_value line of ") == true,
                "\(String(describing: error))")
    }

    /// `num_cat + 1` values were asked of `cat_boundaries`: the largest integer overflowed.
    /// Without its `cat_boundaries` line, the tree is refused for the missing line.
    @Test(arguments: ["9223372036854775807", "2000000000"])
    func aDeclaredNumCatBeyondItsBoundariesLineIsRefusedAtItsLine(count: String) throws {
        let text = try Self.edited("Tree=0\nnum_leaves=15\nnum_cat=0\n", "Tree=0\nnum_leaves=15\nnum_cat=\(count)\ncat_boundaries=0 1\n")
        let error = #expect(throws: FairleadError.self) { _ = try Self.load(text) }
        #expect(error?.location == SourceLocation(file: Self.path, line: 14))
        #expect(error?.message.hasPrefix("Tree=0 declares num_cat=\(count), more category sets than its cat_boundaries line of ") == true,
                "\(String(describing: error))")

        let withoutLine = try Self.edited("Tree=0\nnum_leaves=15\nnum_cat=0\n", "Tree=0\nnum_leaves=15\nnum_cat=\(count)\n")
        #expect(throws: FairleadError(.invalidModel, "Tree=0 has no cat_boundaries= line", at: SourceLocation(file: Self.path, line: 12))) {
            _ = try Self.load(withoutLine)
        }
    }

    @Test func aTreeSizesLineDeclaringFarMoreTreesThanTheFileHoldsIsRefusedFromTheHeader() throws {
        let original = try ModelDeclaredCountsTests.lightGBM { $0 }
        let line = try #require(original.split(separator: "\n").first { $0.hasPrefix("tree_sizes=") })
        let text = original.replacingOccurrences(of: String(line) + "\n",
                                                 with: "tree_sizes=" + Array(repeating: "1700", count: 1_000_000).joined(separator: " ") + "\n")
        let error = #expect(throws: FairleadError.self) { _ = try Self.load(text) }
        #expect(error?.location == SourceLocation(file: Self.path, line: 10))
        #expect(error?.message.hasPrefix("tree_sizes lists 1000000 trees, more than the ") == true,
                "\(String(describing: error))")
    }

    @Test func aTreeBeyondTheTreeSizesLineIsRefusedAtItsLine() throws {
        let original = try ModelDeclaredCountsTests.lightGBM { $0 }
        let line = try #require(original.split(separator: "\n").first { $0.hasPrefix("tree_sizes=") })
        let text = original.replacingOccurrences(of: String(line) + "\n", with: "tree_sizes=1692 1726\n")
        let error = #expect(throws: FairleadError.self) { _ = try Self.load(text) }
        #expect(error?.message == "tree_sizes lists 2 trees, but the file holds more: Tree=2", "\(String(describing: error))")
        #expect(error?.location?.line == 50)
    }

    @Test func aValueLineLongerThanDeclaredIsRefusedWithoutBuildingIt() throws {
        let long = "split_feature=" + Array(repeating: "0", count: 2_000_000).joined(separator: " ")
        let text = try Self.edited("split_feature=30 29 28 31 30 31 31 12 31 0 3 29 28 28", long)
        #expect(throws: FairleadError(.invalidModel, "Tree=0 split_feature has 2000000 values, expected 14",
                                      at: SourceLocation(file: Self.path, line: 15))) {
            _ = try Self.load(text)
        }
    }

    /// A blank line is a byte of the file and a 32-byte slice in the reader.
    @Test func aModelPlannedAboveTheMemoryBudgetIsRefusedNamingTheLimit() throws {
        let text = try Self.edited("end of trees", String(repeating: "\n", count: 1_000_000) + "end of trees")
        var limits = Limits()
        limits.memoryBudgetBytes = 64 << 20
        let error = #expect(throws: FairleadError.self) { _ = try Self.load(text, limits: limits) }
        #expect(error?.limit == .memoryBudgetBytes)
        #expect(error?.location == SourceLocation(file: Self.path))
        #expect(error?.message.hasPrefix("the LightGBM model holds 100") == true, "\(String(describing: error))")
        #expect(error?.message.hasSuffix("above the memory budget of 64 MiB") == true, "\(String(describing: error))")

        limits.memoryBudgetBytes = 512 << 20
        #expect(try Self.load(text, limits: limits).trees.count == 60)
    }

    /// A budget lowered to bound an explainer does not refuse a model of a few kilobytes.
    @Test func aSmallModelLoadsUnderATinyBudget() throws {
        var limits = Limits()
        limits.memoryBudgetBytes = 100
        #expect(try Self.load(try ModelDeclaredCountsTests.lightGBM { $0 }, limits: limits).trees.count == 60)
    }

    @Test func theLeadsModelIsPlannedWellWithinTheDefaultBudget() throws {
        let data = Data(try ModelDeclaredCountsTests.lightGBM { $0 }.utf8)
        let plan = LightGBMMemoryPlan(counting: data)
        #expect(plan.plannedBytes < Double(2 << 20))
        #expect(try Self.load(String(decoding: data, as: UTF8.self)).trees.count == 60)
    }
}
