import Testing
import FairleadCore
@testable import Fairlead

/// A proxy check tells groups apart: on reference rows with fewer than two groups of
/// `min_group_size` rows it is insufficient evidence, not a failure (12 reference rows
/// once made 29 of 31 checks fail, calling nearly every feature a proxy).
@Suite struct ProxyEvidenceTests {
    private func attribute(_ counts: [Int]) -> SensitiveAttribute {
        var codes: [Int32] = []
        for (level, count) in counts.enumerated() { codes += Array(repeating: Int32(level), count: count) }
        codes += [-1, -1]
        return SensitiveAttribute(name: "ethnicity", codes: codes, levels: counts.indices.map { "g\($0)" })
    }

    @Test func twoGroupsOfTheMinimumAreNeeded() {
        #expect(ExplanationsSection.referenceShortfall(attribute([30, 30, 2]), minimumGroupSize: 30, file: "r.csv") == nil)
        #expect(ExplanationsSection.referenceShortfall(attribute([30, 29, 29]), minimumGroupSize: 30, file: "r.csv")
                == "the reference rows (r.csv, 90 rows) hold 1 group of ethnicity with min_group_size (30) rows, and a proxy check needs two; a larger explanations.reference would decide it")
        #expect(ExplanationsSection.referenceShortfall(attribute([5, 4, 3]), minimumGroupSize: 30, file: "r.csv")?.contains("hold 0 groups") == true)
    }

    @Test func aShortfallMakesAProxyOverItsThresholdUndecided() {
        #expect(ExplanationsSection.judged(0.6, below: 0.3, allowed: false) == .fail)
        #expect(ExplanationsSection.judged(0.6, below: 0.3, allowed: false, shortfall: "too few rows") == .insufficientEvidence)
        #expect(ExplanationsSection.judged(0.1, below: 0.3, allowed: false, shortfall: "too few rows") == .insufficientEvidence)
        #expect(ExplanationsSection.judged(0.1, below: 0.3, allowed: false) == .pass)
    }
}
