import Testing
@testable import FairleadCore

/// The separation pass for many groups (each group's own blocks, prefix sums over the
/// score gaps) against the dense pass (every group at every block), whose values the
/// scipy and scikit-learn goldens check: the same data run through both.
@Suite struct SeparationPassTests {
    /// Seeded data: `groups` groups of uneven sizes, scores on a coarse grid (many ties)
    /// or fine, labels, optional weights and missing values, some rows not counted.
    private static func columns(rows: Int, groups: Int, seed: UInt64, weighted: Bool, coarse: Bool,
                                missing: Bool = false) -> AuditColumns {
        var generator = SplitMix(seed: seed)
        var scores: [Double] = []
        var labels: [Double] = []
        var weights: [Double] = []
        var codes: [Int32] = []
        for _ in 0..<rows {
            let u = generator.unit()
            // Skewed group sizes: group 0 the largest, the last ones a few rows each.
            let group = Int32(min(Double(groups - 1), (u * u * Double(groups)).rounded(.down)))
            let raw = min(1, max(0, generator.unit() * 0.7 + Double(group % 5) * 0.06))
            scores.append(coarse ? (raw * 20).rounded() / 20 : raw)
            labels.append(generator.unit() < raw ? 1 : 0)
            weights.append(0.25 + generator.unit() * 2)
            codes.append(missing && generator.unit() < 0.05 ? -1 : group)
        }
        let levels = (0..<groups).map { "g\($0)" }
        return AuditColumns(scores: scores, labels: labels, weights: weighted ? weights : nil,
                            attributes: [SensitiveAttribute(name: "group", codes: codes, levels: levels)])
    }

    private static func close(_ a: [MetricValue], _ b: [MetricValue], tolerance: Double) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            switch (x.number, y.number) {
            case let (u?, v?): return abs(u - v) <= tolerance * max(1, abs(v))
            case (nil, nil): return x == y
            default: return false
            }
        }
    }

    private static func close(_ a: [Double], _ b: [Double], tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test(arguments: [(weighted: false, coarse: true), (weighted: false, coarse: false),
                      (weighted: true, coarse: true), (weighted: true, coarse: false)])
    func sparseEqualsDense(case: (weighted: Bool, coarse: Bool)) throws {
        for (groups, seed) in [(3, 1 as UInt64), (70, 2), (300, 3)] {
            let columns = Self.columns(rows: 4_000, groups: groups, seed: seed, weighted: `case`.weighted,
                                        coarse: `case`.coarse, missing: seed == 2)
            let grouping = try Grouping(columns: columns, attributes: ["group"])
            let grouped = try ScoreRanking(columns: columns).grouped(by: grouping)
            let largest = try grouped.fixedReferenceIndex(.largest)
            for reference in [nil, largest, groups - 1] {
                let pass = _SeparationPass(ranking: grouped, referenceIndex: reference)
                let dense = pass.runDense()
                let sparse = pass.runSparse()
                // The same expression at the same blocks: KS to the bit.
                #expect(sparse.ksRest == dense.ksRest, "KS against the rest, \(groups) groups")
                #expect(sparse.ksReference == dense.ksReference, "KS against the reference, \(groups) groups")
                #expect(Self.close(sparse.wassersteinRest, dense.wassersteinRest, tolerance: 1e-12))
                if let sparseReference = sparse.wassersteinReference, let denseReference = dense.wassersteinReference {
                    #expect(Self.close(sparseReference, denseReference, tolerance: 1e-12))
                } else {
                    #expect(sparse.wassersteinReference == nil && dense.wassersteinReference == nil)
                }
                #expect(Self.close(sparse.ownPairs, dense.ownPairs, tolerance: 1e-12))
                #expect(Self.close(sparse.outwardPairs, dense.outwardPairs, tolerance: 1e-12))
                #expect(Self.close(sparse.inwardPairs, dense.inwardPairs, tolerance: 1e-12))
                #expect(sparse.overallPairs == dense.overallPairs)
                #expect(sparse.crossPairs == nil && dense.crossPairs != nil)
                if let table = dense.crossPairs {
                    let count = grouped.groupCount
                    for (a, b) in [(0, 0), (0, count - 1), (count - 1, 0), (1, 2)] {
                        #expect(_SeparationPass.pairs(grouped, positivesOf: a, negativesOf: b) == table[a * count + b])
                    }
                }
            }
        }
    }

    /// The wide groups' values are not trivial: distances well away from 0 and AUCs away
    /// from ½, so the comparison above compares something.
    @Test func manyGroupsHaveDistinctValues() throws {
        let columns = Self.columns(rows: 4_000, groups: 300, seed: 3, weighted: false, coarse: false)
        let grouped = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let separation = try ScoreSeparation(grouped, reference: .largest)
        let distances = separation.wassersteinVersusRest.compactMap(\.number)
        #expect(distances.count > 100)
        #expect(Set(distances.map { ($0 * 1e6).rounded() }).count > 50)
        #expect(distances.contains { $0 > 0.1 })
        // A pair's xAUC is the dense table's entry, read by one more walk of the queue.
        #expect(separation.xauc(positivesOf: 0, negativesOf: 0) == separation.auc[0])
        let both = separation.xauc(positivesOf: 0, negativesOf: 1).number
        #expect(both != nil && both! > 0 && both! < 1)
    }
}

/// SplitMix64: a small seeded generator for test data.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

