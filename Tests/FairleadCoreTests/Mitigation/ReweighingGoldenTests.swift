import Foundation
import Testing
@testable import FairleadCore

/// Reweighing against AIF360's (fixtures/mitigation/reweighing.json, made by
/// fixtures/mitigation/make_reweighing_goldens.py): each group's w(g, 1) and w(g, 0) equal
/// AIF360's privileged weights with that group privileged, and rows' new weights equal
/// AIF360's transformed instance weights — to 1e-12, weighted and unweighted.
@Suite struct ReweighingGoldenTests {
    struct GoldenFile: Decodable {
        struct Group: Decodable {
            var w_fav: Double
            var w_unfav: Double
            var rows: [String: Double]
        }

        struct Case: Decodable {
            var attribute: String
            var weighted: Bool
            var groups: [String: Group]
        }

        var versions: [String: String]
        var cases: [Case]

        static let file: GoldenFile = {
            let url = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("fixtures/mitigation/reweighing.json")
            guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(GoldenFile.self, from: data) else {
                preconditionFailure("cannot read golden file \(url.path)")
            }
            return file
        }()
    }

    @Test func goldensNameTheirAIF360Version() {
        #expect(GoldenFile.file.versions["aif360"] == "0.6.1")
    }

    @Test(arguments: GoldenFile.file.cases.indices.map { $0 })
    func matchesAIF360(_ index: Int) throws {
        let golden = GoldenFile.file.cases[index]
        guard let inputs = MetricsGoldenFile.all["leads-sample"] else { Issue.record("no inputs"); return }
        let columns = inputs.columns(weighted: golden.weighted)
        let reweighing = Reweighing(columns, grouping: try Grouping(columns: columns, attributes: [golden.attribute]))
        let rows = reweighing.rowWeights()
        #expect(Set(reweighing.groups.map(\.description)) == Set(golden.groups.keys))
        for (group, key) in reweighing.groups.enumerated() {
            let expected = try #require(golden.groups[key.description])
            let label = "\(golden.attribute) \(key)\(golden.weighted ? " weighted" : "")"
            let favourable = try #require(reweighing.factor(group: group, label: 1))
            let unfavourable = try #require(reweighing.factor(group: group, label: 0))
            #expect(abs(favourable - expected.w_fav) <= 1e-12, "\(label) w(g, 1): \(favourable) vs AIF360 \(expected.w_fav)")
            #expect(abs(unfavourable - expected.w_unfav) <= 1e-12, "\(label) w(g, 0): \(unfavourable) vs AIF360 \(expected.w_unfav)")
            for (row, weight) in expected.rows {
                let index = try #require(Int(row))
                let actual = try #require(rows[index])
                #expect(abs(actual - weight) <= 1e-12, "\(label) row \(row): \(actual) vs AIF360 \(weight)")
            }
        }
    }

    /// After reweighing, every group's weighted base rate is the overall base rate.
    @Test func reweighingMakesTheLabelIndependentOfTheGroup() throws {
        guard let inputs = MetricsGoldenFile.all["leads-sample"] else { Issue.record("no inputs"); return }
        let columns = inputs.columns(weighted: true)
        let grouping = try Grouping(columns: columns, attributes: ["gender"])
        let reweighing = Reweighing(columns, grouping: grouping)
        let weights = reweighing.rowWeights()
        var positive = [Double](repeating: 0, count: grouping.groupCount), total = positive
        for row in 0..<columns.rowCount {
            guard let weight = weights[row] else { continue }
            let group = reweighing.group(ofRow: row)
            total[group] += weight
            positive[group] += weight * (columns.labels?[row] ?? 0)
        }
        let overall = positive.reduce(0, +) / total.reduce(0, +)
        for group in 0..<grouping.groupCount where total[group] > 0 {
            #expect(abs(positive[group] / total[group] - overall) < 1e-12)
        }
    }
}
