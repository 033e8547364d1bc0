import Foundation
import Testing
@testable import FairleadCore

@Suite("Disparity decomposition: per-feature shares of the gap in mean margin")
struct DisparityDecompositionTests {
    static func decomposition(_ name: String, reference: DisparityDecomposition.Reference) throws -> DisparityDecomposition {
        let model = try ExplanationFixtures.model()
        let (reader, batch) = try ExplanationFixtures.leads(model)
        let grouped = try CachedTreeSHAP(model: model).explain(batch.features, threads: 2).grouped(by: reader.sources.groups)
        let attribute = try #require(batch.attributes.first { $0.name == name })
        return try #require(DisparityDecomposition(grouped, attribute: attribute, reference: reference))
    }

    @Test(arguments: ["ethnicity", "gender", "age_band"])
    func sumsToTheGapAndMatchesShap(attribute name: String) throws {
        let golden = try #require(try ExplanationFixtures.golden().decomposition[name])
        let reference: DisparityDecomposition.Reference = name == "ethnicity" ? .group("white") : .largest
        let decomposition = try Self.decomposition(name, reference: reference)
        #expect(decomposition.referenceGroup == golden.reference)
        #expect(decomposition.groups.map(\.group) == golden.groups.keys.sorted())
        for group in decomposition.groups {
            let expected = try #require(golden.groups[group.group])
            #expect(group.count == expected.count)
            // Exactly additive: the contributions sum to the gap in mean margin.
            #expect(abs(group.contributions.reduce(0, +) - group.gap) < 1e-9)
            #expect(abs(group.residual) < 1e-9)
            // shap's values carry float32-size rounding of the model (see CachedTreeSHAPTests).
            #expect(abs(group.gap - expected.gap) < 1e-7)
            for (feature, value) in zip(decomposition.featureNames, group.contributions) {
                #expect(abs(value - (expected.contributions[feature] ?? .nan)) < 1e-7, "\(group.group): \(feature)")
            }
        }
        let reference0 = try #require(decomposition.group(decomposition.referenceGroup))
        #expect(reference0.gap == 0 && reference0.contributions.allSatisfy { $0 == 0 })
    }

    @Test func thePlantedProxyCarriesTheBlackLeadsGap() throws {
        let decomposition = try Self.decomposition("ethnicity", reference: .group("white"))
        let black = try #require(decomposition.group("black"))
        let largest = try #require(zip(decomposition.featureNames, black.contributions).min { $0.1 < $1.1 })
        #expect(largest.0 == "postal_area")
        #expect(largest.1 / black.gap > 0.8)
    }

    @Test func referenceChoices() throws {
        let attributions = Attributions(featureNames: ["a", "b"], baseValue: 1,
                                        values: Matrix(rowArrays: [[1, 0], [0, 1], [3, 1], [-1, 0], [0, 0]]))
        let attribute = SensitiveAttribute(name: "g", codes: [0, 0, 1, 1, -1], levels: ["x", "y"])
        let largest = try #require(DisparityDecomposition(attributions, attribute: attribute, reference: .largest))
        // x and y tie on two rows: the first by name.
        #expect(largest.referenceGroup == "x")
        #expect(largest.groups.map(\.group) == ["unknown", "x", "y"])
        #expect(largest.group("y")?.gap == 0.5)
        #expect(largest.group("y")?.contributions == [0.5, 0])
        #expect(largest.group("unknown")?.gap == -1)
        let highest = try #require(DisparityDecomposition(attributions, attribute: attribute, reference: .highestMeanMargin, missingGroup: nil))
        #expect(highest.referenceGroup == "y")
        #expect(highest.groups.map(\.group) == ["x", "y"])
        #expect(DisparityDecomposition(attributions, attribute: attribute, reference: .group("z")) == nil)
    }
}
