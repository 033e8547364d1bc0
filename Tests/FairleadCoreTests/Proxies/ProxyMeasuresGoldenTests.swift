import Foundation
import Testing
@testable import FairleadCore

@Suite("Proxy measures against scikit-learn, scipy and hand-computed Cramér's V")
struct ProxyMeasuresGoldenTests {
    static let golden = Result { try ExplanationFixtures.golden() }
    static var cases: [String] {
        ((try? golden.get())?.proxies ?? []).map { "\($0.feature) × \($0.attribute)" }
    }

    static func measures() throws -> [ProxyMeasures] {
        let model = try ExplanationFixtures.model()
        let (reader, batch) = try ExplanationFixtures.leads(model)
        let features = batch.proxyFeatures(reader.sources)
        return batch.attributes.flatMap { attribute in
            features.filter { $0.name != attribute.name }.map { ProxyMeasures.measure($0, against: attribute) }
        }
    }

    @Test(arguments: cases)
    func matchesTheGolden(_ name: String) throws {
        let golden = try Self.golden.get()
        let expected = try #require(golden.proxies.first { "\($0.feature) × \($0.attribute)" == name })
        let measures = try #require(try Self.measures().first { $0.feature == expected.feature && $0.attribute == expected.attribute })
        #expect(measures.kind.rawValue == expected.kind)
        #expect(measures.rows == expected.rows)
        #expect(abs(measures.mutualInformation - expected.mutual_information) < 1e-12)
        if expected.kind == "categorical" {
            #expect(abs((measures.chiSquare ?? .nan) - (expected.chi_square ?? .nan)) < 1e-9)
            #expect(abs((measures.cramersV ?? .nan) - (expected.cramers_v ?? .nan)) < 1e-12)
            #expect(abs((measures.cramersVCorrected ?? .nan) - (expected.cramers_v_corrected ?? .nan)) < 1e-12)
        } else {
            #expect(measures.missing == expected.missing)
            #expect(abs((measures.correlationRatio ?? .nan) - (expected.correlation_ratio ?? .nan)) < 1e-12)
        }
        #expect(Set(measures.auc.keys) == Set(expected.auc.keys))
        for (group, auc) in expected.auc {
            #expect(abs((measures.auc[group] ?? .nan) - auc) < 1e-12, "AUC of \(group)")
        }
    }

    @Test func thePlantedProxyIsFoundAndTheUniformFeatureIsNot() throws {
        let thresholds = ProxyThresholds()
        let all = try Self.measures()
        let flagged = all.filter { !$0.exceeded(thresholds).isEmpty }
        #expect(flagged.map { "\($0.feature) × \($0.attribute)" } == ["postal_area × ethnicity"])
        let postal = try #require(flagged.first)
        #expect(postal.exceeded(thresholds) == ["cramers_v", "auc"])
        #expect((postal.cramersVCorrected ?? 0) > 0.75)
        let region = try #require(all.first { $0.feature == "region" && $0.attribute == "ethnicity" })
        #expect((region.cramersVCorrected ?? 1) < 0.05)
        #expect((region.best?.auc ?? 1) < 0.6)
    }
}

@Suite("Association measures by hand")
struct AssociationMeasureTests {
    @Test func cramersVOfATwoByTwoTable() {
        // χ² = 100·(30·55 − 10·5)² / (40·60·35·65) = 46.886…; V = √(χ²/100).
        let table = ContingencyTable(counts: [[30, 10], [5, 55]])
        let difference: Double = 30 * 55 - 10 * 5
        let chi: Double = 100 * difference * difference / (40 * 60 * 35 * 65)
        #expect(abs(table.chiSquare - chi) < 1e-12)
        #expect(abs(table.cramersV - (chi / 100).squareRoot()) < 1e-12)
        // Bergsma: φ̃² = φ² − 1/99, r̃ = c̃ = 2 − 1/99.
        let corrected = ((chi / 100 - 1.0 / 99) / (2 - 1.0 / 99 - 1)).squareRoot()
        #expect(abs(table.cramersVCorrected - corrected) < 1e-12)
        // I = Σ p log(p / (pᵢ pⱼ)).
        let cells: [(Double, Double, Double)] = [(30, 40, 35), (10, 40, 65), (5, 60, 35), (55, 60, 65)]
        let information = cells.reduce(0.0) { $0 + $1.0 / 100 * log($1.0 * 100 / ($1.1 * $1.2)) }
        #expect(abs(table.mutualInformation - information) < 1e-15)
    }

    @Test func independentVariablesHaveNoAssociation() {
        let table = ContingencyTable(counts: [[10, 20], [20, 40]])
        #expect(table.chiSquare == 0)
        #expect(table.cramersV == 0)
        #expect(table.cramersVCorrected == 0)
        #expect(abs(table.mutualInformation) < 1e-15)
    }

    @Test func correlationRatioAndAUC() {
        // Means 1.5 and 5.5 around 3.5: SS_between = 16, SS_total = 17.
        #expect(abs(CorrelationRatio.eta(values: [1, 2, 5, 6], groups: [0, 0, 1, 1]) - (16.0 / 17).squareRoot()) < 1e-15)
        #expect(CorrelationRatio.eta(values: [3, 3, 3], groups: [0, 1, 1]) == 0)
        #expect(ROCAUC.area(scores: [0.9, 0.4, 0.4, 0.1], labels: [true, true, false, false]) == 0.875)
        #expect(ROCAUC.area(scores: [1, 2], labels: [true, true]) == nil)
    }
}
