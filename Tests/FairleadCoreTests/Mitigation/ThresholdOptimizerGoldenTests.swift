import Foundation
import Testing
@testable import FairleadCore

/// ThresholdOptimizer against Fairlearn's, on the leads sample (fixtures/mitigation,
/// made by fixtures/mitigation/make_goldens.py): the common rate chosen, each group's two
/// threshold rules (the rows they select) and mixing probabilities, equalized odds'
/// p_ignore and constant, and the group rates of the expected predictions — to 1e-9.
@Suite struct ThresholdOptimizerGoldenTests {
    struct GoldenFile: Decodable {
        struct Group: Decodable {
            var p0: Double
            var p1: Double
            var selects_from0: Double?
            var selects_from1: Double?
            var p_ignore: Double
            var prediction_constant: Double
            var selection_rate: Double
            var true_positive_rate: Double
            var false_positive_rate: Double
        }

        struct Case: Decodable {
            var attribute: String
            var constraint: String
            var x_best: Double
            var y_best: Double?
            var accuracy: Double
            var groups: [String: Group]
        }

        var versions: [String: String]
        var cases: [Case]

        static let file: GoldenFile = {
            let url = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("fixtures/mitigation/threshold-optimizer.json")
            guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(GoldenFile.self, from: data) else {
                preconditionFailure("cannot read golden file \(url.path)")
            }
            return file
        }()
    }

    static let cases = GoldenFile.file.cases.indices.map { $0 }

    @Test func goldensNameTheirFairlearnVersion() {
        #expect(GoldenFile.file.versions["fairlearn"] == "0.15.0")
    }

    @Test(arguments: cases)
    func matchesFairlearn(_ index: Int) throws {
        let golden = GoldenFile.file.cases[index]
        let label = "\(golden.attribute) \(golden.constraint)"
        guard let inputs = MetricsGoldenFile.all["leads-sample"] else { Issue.record("no inputs"); return }
        let columns = inputs.columns(weighted: false)
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: [golden.attribute]))
        let constraint = try #require(ThresholdOptimizer.Constraint(rawValue: golden.constraint))
        let solution = try #require(try ThresholdOptimizer.optimize(ranking, constraint: constraint, objective: .accuracy))
        func close(_ a: Double?, _ b: Double?, _ what: String) {
            switch (a, b) {
            case (nil, nil): break
            case (let a?, let b?): #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(label) \(what): \(a) vs Fairlearn \(b)")
            default: Issue.record("\(label) \(what): \(String(describing: a)) vs Fairlearn \(String(describing: b))")
            }
        }
        close(solution.x, golden.x_best, "common rate")
        close(solution.commonTruePositiveRate, golden.y_best, "common TPR")
        var positives = 0.0, negatives = 0.0, truePositives = 0.0, falsePositives = 0.0
        for (groupIndex, key) in ranking.groups.enumerated() {
            let name = key.description
            let expected = try #require(golden.groups[name], "\(label): Fairlearn has no group \(name)")
            let rule = solution.groups[groupIndex]
            close(rule.mixture.p0, expected.p0, "\(name) p0")
            close(rule.mixture.p1, expected.p1, "\(name) p1")
            #expect(rule.mixture.vertex0.threshold == expected.selects_from0, "\(label) \(name) first rule")
            #expect(rule.mixture.vertex1.threshold == expected.selects_from1, "\(label) \(name) second rule")
            close(rule.ignoreProbability, expected.p_ignore, "\(name) p_ignore")
            if constraint == .equalizedOdds { close(rule.constantPrediction, expected.prediction_constant, "\(name) constant") }
            let weight = rule.positives + rule.negatives
            close((rule.truePositives + rule.falsePositives) / weight, expected.selection_rate, "\(name) selection rate")
            close(rule.truePositives / rule.positives, expected.true_positive_rate, "\(name) TPR")
            close(rule.falsePositives / rule.negatives, expected.false_positive_rate, "\(name) FPR")
            positives += rule.positives; negatives += rule.negatives
            truePositives += rule.truePositives; falsePositives += rule.falsePositives
        }
        close((truePositives + negatives - falsePositives) / (positives + negatives), golden.accuracy, "accuracy")
    }

    /// A row's selection probability agrees with the group's expected counts.
    @Test func selectionProbabilitiesAddUpToTheExpectedSelections() throws {
        guard let inputs = MetricsGoldenFile.all["leads-sample"] else { Issue.record("no inputs"); return }
        let columns = inputs.columns(weighted: false)
        let grouping = try Grouping(columns: columns, attributes: ["ethnicity"])
        let ranking = try ScoreRanking(columns: columns).grouped(by: grouping)
        let solution = try #require(try ThresholdOptimizer.optimize(ranking, constraint: .equalizedOdds, objective: .accuracy))
        let groupOf = grouping.groupIndices(of: columns, rows: 0..<columns.rowCount)
        var selected = [Double](repeating: 0, count: ranking.groupCount)
        for row in 0..<columns.rowCount {
            let group = Int(groupOf[row])
            selected[group] += solution.groups[group].selectionProbability(score: inputs.inputs.score[row])
        }
        for (group, rule) in solution.groups.enumerated() {
            #expect(abs(selected[group] - (rule.truePositives + rule.falsePositives)) < 1e-6)
        }
    }

    /// With a capacity, the option never selects more than it, and keeps no fewer
    /// conversions than any other grid point within it.
    @Test func conversionsAtCapacityStayWithinCapacity() throws {
        guard let inputs = MetricsGoldenFile.all["leads-sample"] else { Issue.record("no inputs"); return }
        let columns = inputs.columns(weighted: false)
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["ethnicity"]))
        for constraint in ThresholdOptimizer.Constraint.allCases {
            let solution = try #require(try ThresholdOptimizer.optimize(ranking, constraint: constraint, objective: .conversions(capacity: 600)))
            let selected = solution.groups.reduce(0) { $0 + $1.truePositives + $1.falsePositives }
            #expect(selected <= 600 + 1e-9, "\(constraint)")
            #expect(selected > 400, "\(constraint): \(selected)")
        }
    }
}
