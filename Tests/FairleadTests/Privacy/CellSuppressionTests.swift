import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// Small-cell suppression: nothing below min_cell is shown, and nothing withheld can be
/// worked out from what is shown — checked here with relations and arithmetic of the
/// test's own, on the published JSON, not with the library's disclosure model.
@Suite struct CellSuppressionTests {
    static let full = PrivacyFixtures.leadsReport
    static let published: AuditReport = {
        do {
            return try PublishedReport.suppressed(full, policy: PrivacyPolicy(minimumCell: 10))
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// One quantity of a published table: decision, attribute, group (nil: overall), cell.
    struct Quantity: Hashable {
        var decision: String, attribute: String, group: String?, cell: String
    }

    /// The metrics whose numerator or denominator read each cell ("count" = all rows).
    static let readers: [String: [String]] = [
        "count": ["selection_rate", "base_rate", "accuracy", "share", "mean_score"],
        "true_positives": ["true_positive_rate", "false_negative_rate", "positive_predictive_value", "false_discovery_rate",
                           "selection_rate", "base_rate", "accuracy"],
        "false_negatives": ["true_positive_rate", "false_negative_rate", "negative_predictive_value", "false_omission_rate", "base_rate"],
        "false_positives": ["false_positive_rate", "true_negative_rate", "positive_predictive_value", "false_discovery_rate", "selection_rate"],
        "true_negatives": ["false_positive_rate", "true_negative_rate", "negative_predictive_value", "false_omission_rate", "accuracy"],
    ]

    /// Every quantity of the full report with its value (TP, FN from the true positive
    /// rate's fraction, FP, TN from the false positive rate's).
    static func values(_ report: AuditReport) -> [Quantity: Double] {
        var values: [Quantity: Double] = [:]
        for (d, decision) in report.decisions {
            for (a, attribute) in decision.attributes {
                for (g, group) in [(String?.none, attribute.overall)] + attribute.groups.map({ (Optional($0.key), $0.value) }) {
                    let tpr = group.metrics["true_positive_rate"], fpr = group.metrics["false_positive_rate"]
                    values[Quantity(decision: d, attribute: a, group: g, cell: "count")] = Double(group.count)
                    values[Quantity(decision: d, attribute: a, group: g, cell: "true_positives")] = tpr?.numerator
                    values[Quantity(decision: d, attribute: a, group: g, cell: "false_negatives")] = (tpr?.denominator ?? 0) - (tpr?.numerator ?? 0)
                    values[Quantity(decision: d, attribute: a, group: g, cell: "false_positives")] = fpr?.numerator
                    values[Quantity(decision: d, attribute: a, group: g, cell: "true_negatives")] = (fpr?.denominator ?? 0) - (fpr?.numerator ?? 0)
                }
            }
        }
        return values
    }

    /// Whether the published report shows a quantity, or anything computed from it: the
    /// group is listed (count), or one of the metrics reading the cell is.
    static func isShown(_ q: Quantity, in report: AuditReport) -> Bool {
        guard let attribute = report.decisions[q.decision]?.attributes[q.attribute] else { return false }
        let group = q.group.map { attribute.groups[$0] } ?? attribute.overall
        guard let group else { return false }
        if q.cell == "count" { return true }
        return (readers[q.cell] ?? []).contains { group.metrics[$0]?.value != nil || group.metrics[$0]?.numerator != nil }
    }

    /// The additive relations of the full report's tables, as the task states them: each
    /// group's cells sum to its count, the groups' cells and counts to the overall row's,
    /// intersections to their margins. Written as lists of (quantity, ±1).
    static func relations(_ report: AuditReport) -> [[(Quantity, Int)]] {
        var relations: [[(Quantity, Int)]] = []
        let cells = PrivacyFixtures.labeledCells
        for (d, decision) in report.decisions {
            for (a, attribute) in decision.attributes {
                for g in [String?.none] + attribute.groups.keys.map(Optional.some) {
                    relations.append([(Quantity(decision: d, attribute: a, group: g, cell: "count"), -1)]
                                     + cells.map { (Quantity(decision: d, attribute: a, group: g, cell: $0), 1) })
                }
                for cell in ["count"] + cells {
                    relations.append([(Quantity(decision: d, attribute: a, group: nil, cell: cell), -1)]
                                     + attribute.groups.keys.map { (Quantity(decision: d, attribute: a, group: $0, cell: cell), 1) })
                }
                guard attribute.columns.count == 2, let first = decision.attributes[attribute.columns[0]],
                      let second = decision.attributes[attribute.columns[1]] else { continue }
                for cell in ["count"] + cells {
                    for x in first.groups.keys {
                        let parts = attribute.groups.keys.filter { name in second.groups.keys.contains { name == "\(x) & \($0)" } }
                        relations.append([(Quantity(decision: d, attribute: attribute.columns[0], group: x, cell: cell), -1)]
                                         + parts.map { (Quantity(decision: d, attribute: a, group: $0, cell: cell), 1) })
                    }
                    for y in second.groups.keys {
                        let parts = attribute.groups.keys.filter { name in first.groups.keys.contains { name == "\($0) & \(y)" } }
                        relations.append([(Quantity(decision: d, attribute: attribute.columns[1], group: y, cell: cell), -1)]
                                         + parts.map { (Quantity(decision: d, attribute: a, group: $0, cell: cell), 1) })
                    }
                }
            }
        }
        return relations
    }

    @Test func theFixtureHasSmallCells() {
        let small = Self.values(Self.full).filter { $0.value > 0 && $0.value < 10 }
        #expect(small.count >= 10, "the test needs cells below min_cell to suppress")
        #expect(Self.full.decisions["threshold_0.3"]?.attributes["ethnicity*gender"]?.groups["other & nonbinary"]?.count ?? 0 < 10)
    }

    @Test func noShownCountIsBelowMinCell() {
        for (quantity, value) in Self.values(Self.full) where value > 0 && value < 10 {
            #expect(!Self.isShown(quantity, in: Self.published), "\(quantity) = \(value) is shown")
        }
    }

    /// Whether the full report's value is one suppression must protect: 1 to 9.
    static func isSmall(_ q: Quantity) -> Bool {
        guard let value = values[q] else { return false }
        return value > 0 && value < 10
    }

    static let values = Self.values(full)

    /// For every relation (rows, columns, margins): never a small count alone among the
    /// members not shown — it would be the total minus the shown parts. (A large count
    /// that no shown metric happens to read may be the one missing member: it needs no
    /// protection.)
    @Test func noWithheldValueIsASubtractionAway() {
        var checked = 0
        for relation in Self.relations(Self.full) {
            let hidden = relation.filter { !Self.isShown($0.0, in: Self.published) }
            if hidden.count == 1, let only = hidden.first {
                #expect(!Self.isSmall(only.0), "\(only.0) is derivable by subtraction")
            }
            checked += 1
        }
        #expect(checked > 200)
    }

    /// Stronger: no small count (1 to 9) that is not shown follows from any combination of
    /// the relations and the shown values — e_j is not in the row space of the relations
    /// restricted to the quantities not shown (exact arithmetic modulo the prime 2³¹ − 1).
    @Test func noWithheldValueIsDerivableFromAllRelations() {
        let relations = Self.relations(Self.full)
        let hidden = Array(Set(relations.flatMap { $0.map(\.0) }).filter { !Self.isShown($0, in: Self.published) })
        #expect(!hidden.isEmpty)
        let column = Dictionary(uniqueKeysWithValues: hidden.enumerated().map { ($0.element, $0.offset) })
        let p: Int64 = 2_147_483_647
        let rows: [[Int64]] = relations.compactMap { relation in
            var row = [Int64](repeating: 0, count: hidden.count)
            var touches = false
            for (quantity, coefficient) in relation {
                if let j = column[quantity] { row[j] = (row[j] + Int64(coefficient) + p) % p; touches = true }
            }
            return touches ? row : nil
        }
        // Reduced row echelon form modulo p; x_j is determined exactly when column j has a
        // pivot whose row has no entry in a free column.
        var m = rows, rank = 0
        var pivotRow: [Int: Int] = [:]
        for c in 0..<hidden.count where rank < m.count {
            guard let pivot = (rank..<m.count).first(where: { m[$0][c] != 0 }) else { continue }
            m.swapAt(rank, pivot)
            var inverse: Int64 = 1, base = m[rank][c], exponent = p - 2
            while exponent > 0 { if exponent & 1 == 1 { inverse = inverse * base % p }; base = base * base % p; exponent >>= 1 }
            for k in 0..<hidden.count { m[rank][k] = m[rank][k] * inverse % p }
            for r in 0..<m.count where r != rank && m[r][c] != 0 {
                let f = m[r][c]
                for k in 0..<hidden.count where m[rank][k] != 0 { m[r][k] = ((m[r][k] - f * m[rank][k]) % p + p) % p }
            }
            pivotRow[c] = rank
            rank += 1
        }
        var small = 0
        for (j, quantity) in hidden.enumerated() where Self.isSmall(quantity) {
            small += 1
            guard let row = pivotRow[j] else { continue }
            let free = (0..<hidden.count).filter { pivotRow[$0] == nil && m[row][$0] != 0 }
            #expect(!free.isEmpty, "\(quantity) is determined by the relations and the shown values")
        }
        #expect(small >= 10)
    }

    @Test func verdictsAndStatusAreTheFullReports() {
        #expect(Self.published.status == Self.full.status)
        #expect(Self.published.findings.map(\.verdict) == Self.full.findings.map(\.verdict))
        #expect(Self.published.findings.map(\.rule) == Self.full.findings.map(\.rule))
    }

    @Test func thePrivacySectionSaysWhatWasSuppressedAndWhy() throws {
        let privacy = try #require(Self.published.privacy)
        #expect(privacy.method == "suppression")
        #expect(privacy.policy.minCell == 10)
        let suppressed = try #require(privacy.suppressed)
        let values = Self.values(Self.full)
        for cell in suppressed {
            let value = try #require(values[Quantity(decision: cell.decision, attribute: cell.attribute, group: cell.group, cell: cell.cell)])
            if cell.reason == "below min_cell" {
                #expect(value > 0 && value < 10, "\(cell)")
            } else {
                #expect(cell.reason == "complementary")
            }
            #expect(!Self.isShown(Quantity(decision: cell.decision, attribute: cell.attribute, group: cell.group, cell: cell.cell), in: Self.published))
        }
        #expect(suppressed.contains { $0.reason == "complementary" })
        #expect(suppressed.contains { $0.group == "other & nonbinary" && $0.cell == "count" && $0.reason == "below min_cell" })
        #expect(privacy.withheld.map(\.path).contains("score_distribution"))
        #expect(Self.published.scoreDistribution == nil)
    }

    /// A finding on a withheld group keeps its verdict and loses its numbers.
    @Test func findingsOnWithheldGroupsKeepOnlyTheirVerdict() {
        for (index, finding) in Self.published.findings.enumerated() {
            guard let group = finding.group,
                  Self.published.decisions[finding.decision]?.attributes[finding.attribute]?.groups[group] == nil,
                  Self.full.decisions[finding.decision]?.attributes[finding.attribute]?.groups[group] != nil else { continue }
            #expect(finding.value == nil && finding.interval == nil)
            #expect(finding.verdict == Self.full.findings[index].verdict)
            #expect(finding.reason.contains("withheld"))
        }
    }

    /// Two groups: hiding the small one needs hiding the other, or the total gives it back.
    @Test func aTwoGroupAttributeLosesBothCounts() throws {
        var rows = ["id,score,y,g"]
        for i in 0..<40 { rows.append("\(i),\(Double(i % 10) / 10),\(i % 2),a") }
        for i in 40..<45 { rows.append("\(i),\(Double(i % 10) / 10),\(i % 2),b") }
        let path = try AuditFixtures.temporaryCSV(rows.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let report = try Audit(profile: AuditBehaviourTests.profile(), dataPath: path, threads: 1).run()
        let published = try PublishedReport.suppressed(report, policy: PrivacyPolicy(minimumCell: 10))
        let g = try #require(published.decisions["t05"]?.attributes["g"])
        #expect(g.groups.isEmpty)
        let reasons = Dictionary(uniqueKeysWithValues: (published.privacy?.suppressed ?? []).filter { $0.cell == "count" && $0.group != nil }
            .map { ($0.group ?? "", $0.reason) })
        // b (5 rows, declared by no profile) is published under a placeholder; a (40 rows)
        // keeps its name though its count is withheld too.
        #expect(reasons == ["a": "complementary", "withheld group 1": "below min_cell"])
        #expect(published.rows == report.rows)
    }

    @Test func theFullReportHasNoPrivacySection() throws {
        #expect(Self.full.privacy == nil)
        #expect(!String(decoding: try Self.full.jsonData(), as: UTF8.self).contains("\"privacy\""))
    }

    /// A value the published view withholds is a blank that says so, never left out: the
    /// group tables printed `—` in its place, as for a metric that does not apply, and the
    /// charts `undefined`. Only a group whose count is withheld leaves the tables.
    @Test func aWithheldValueIsABlankThatSaysSo() {
        func keptOrWithheld(_ kept: AuditReport.Estimate?, _ full: AuditReport.Estimate) -> Bool {
            kept == full || (kept?.value == nil && kept?.undefinedReason == "withheld" && kept?.numerator == nil && kept?.interval == nil)
        }
        var blanks = 0, comparisons = 0
        for (d, decision) in Self.full.decisions {
            for (a, attribute) in decision.attributes {
                guard let published = Self.published.decisions[d]?.attributes[a] else {
                    Issue.record("\(d) / \(a) left the published view")
                    continue
                }
                for (g, group) in attribute.groups {
                    guard let shown = published.groups[g] else { continue }
                    for (metric, estimate) in group.metrics where estimate.value != nil {
                        #expect(keptOrWithheld(shown.metrics[metric], estimate), "\(d) / \(a) / \(g) / \(metric)")
                        if shown.metrics[metric] != estimate { blanks += 1 }
                    }
                }
                for (metric, disparity) in attribute.disparities {
                    for (g, estimate) in disparity.ratioToReference where published.groups[g] != nil && estimate.value != nil {
                        let kept = published.disparities[metric]?.ratioToReference[g]
                        #expect(keptOrWithheld(kept, estimate), "\(d) / \(a) / \(g) / \(metric).ratio_to_reference")
                        if kept != estimate { comparisons += 1 }
                    }
                }
            }
        }
        #expect(blanks > 0 && comparisons > 0)
        let html = HTMLRendering.render(Self.published)
        #expect(html.contains("<td class=\"n\">withheld</td>"))
        #expect(!html.contains("(reference): undefined"))
        #expect(TerminalRendering.render(Self.published).contains("withheld = withheld in the published view"))
    }

    @Test func renderingsSayWhatWasSuppressed() {
        let text = TerminalRendering.render(Self.published)
        #expect(text.contains("published view: counts below 10 suppressed"))
        #expect(text.contains("other & nonbinary"))
        let markdown = MarkdownRendering.render(Self.published)
        #expect(markdown.contains("## Privacy"))
        #expect(markdown.contains("| complementary |"))
        #expect(!TerminalRendering.render(Self.full).contains("published view"))
    }
}
