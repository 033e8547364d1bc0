import FairleadCore
import FairleadTestSupport
import Foundation
import Testing
@testable import Fairlead

/// The lead-queue metrics from a score grid (`statistics.score_grid`): every value an audit
/// from statistics reports lies within its stated bound of the value the audit of the rows
/// gives; the exact ones equal it; the bounds shrink as the grid grows.
@Suite struct StatisticsGridTests {
    /// The queue values the grid gives with a bound: per group, and per attribute.
    static let boundedGroupMetrics: [Metric] = [.auc, .xaucVersusRest, .xaucRestVersus, .xaucDisparity, .ksStatistic,
                                               .wassersteinDistance]
    static let exactGroupMetrics: [Metric] = [.expectedCalibrationError, .calibrationInTheLarge, .brierScore]
    static let topKGroupMetrics: [Metric] = [.shareOfTopK, .shareOfPopulation, .selectionRateAtK, .precisionAtK, .recallAtK, .skewAtK]
    static let boundedFairness: [Metric] = [.aucDifference, .maxXAUCDisparity]
    static let exactFairness: [Metric] = [.expectedCalibrationErrorDifference, .brierScoreDifference, .calibrationInTheLargeDifference]

    static func gridProfile(_ profile: AuditProfile, bins: Int) -> AuditProfile {
        var profile = profile
        profile.statistics = .init(scoreGridBins: bins)
        return profile
    }

    /// The audit of the rows and the audit from statistics of `shards` (row index ranges of `rows`).
    static func audits(profile: AuditProfile, header: String, rows: [String], cuts: [Int])
        throws -> (rows: AuditReport, grid: AuditReport, parts: [(file: String, part: StatisticsPart)]) {
        let bounds = [0] + cuts + [rows.count]
        let paths = try StatisticsPartTests.shards((0..<(bounds.count - 1)).map { Array(rows[bounds[$0]..<bounds[$0 + 1]]) },
                                                   header: header)
        let all = try StatisticsPartTests.shards([rows], header: header)[0]
        let full = try Audit(profile: profile, dataPath: all, clock: AuditFixtures.fixedClock).run()
        let parts = try StatisticsPartTests.parts(paths, profile: profile)
        let grid = try Audit.fromStatistics(profile: profile, parts: parts, clock: AuditFixtures.fixedClock)
        return (full, grid, parts)
    }

    /// Checks every queue value of `grid` against `rows`; returns how many were compared.
    @discardableResult
    static func expectWithinBounds(rows: AuditReport, grid: AuditReport, tolerance: Double = 1e-9,
                                   sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int {
        var compared = 0
        func check(_ row: AuditReport.Estimate?, _ fromGrid: AuditReport.Estimate?, exact: Bool, _ place: String) {
            guard let rowValue = row?.value else {
                // Undefined from the rows: the grid says so, or that it cannot bound its value
                // (a group absent from the top k has an undefined skew, and a group with no lead
                // selected an undefined precision; the grid cannot see that).
                #expect(fromGrid?.value == nil || fromGrid?.undefinedReason == GridQueue.unboundedOnGrid,
                        "\(place): undefined from the rows, \(String(describing: fromGrid?.value)) from the grid",
                        sourceLocation: sourceLocation)
                return
            }
            guard let fromGrid, let gridValue = fromGrid.value else {
                Issue.record("\(place): \(rowValue) from the rows, undefined (\(fromGrid?.undefinedReason ?? "absent")) from the grid",
                             sourceLocation: sourceLocation)
                return
            }
            // A value the grid cannot bound (a skew whose top-k share may be 0) is said so.
            if fromGrid.undefinedReason == GridQueue.unboundedOnGrid { return }
            compared += 1
            let scale = max(1, abs(rowValue))
            if exact {
                #expect(abs(rowValue - gridValue) <= tolerance * scale, "\(place): exact \(rowValue) vs \(gridValue)",
                        sourceLocation: sourceLocation)
                return
            }
            guard let bound = fromGrid.gridBound, bound.count == 2 else {
                Issue.record("\(place): no grid bound", sourceLocation: sourceLocation)
                return
            }
            #expect(bound[0] <= gridValue + tolerance * scale && gridValue <= bound[1] + tolerance * scale,
                    "\(place): the grid value \(gridValue) lies outside its bound \(bound)", sourceLocation: sourceLocation)
            #expect(bound[0] - tolerance * scale <= rowValue && rowValue <= bound[1] + tolerance * scale,
                    "\(place): the rows' \(rowValue) lies outside the grid bound \(bound) (grid value \(gridValue))",
                    sourceLocation: sourceLocation)
        }
        let rowQueue = rows.queue ?? [:]
        #expect(!rowQueue.isEmpty && grid.queue?.keys.sorted() == rowQueue.keys.sorted(), sourceLocation: sourceLocation)
        for (attribute, section) in rowQueue {
            guard let other = grid.queue?[attribute] else { continue }
            #expect(Set(section.groups.keys) == Set(other.groups.keys), "\(attribute): groups", sourceLocation: sourceLocation)
            for (group, metrics) in section.groups {
                for metric in boundedGroupMetrics {
                    check(metrics[metric.rawValue], other.groups[group]?[metric.rawValue], exact: false, "\(attribute)/\(group)/\(metric)")
                }
                for metric in exactGroupMetrics {
                    check(metrics[metric.rawValue], other.groups[group]?[metric.rawValue], exact: true, "\(attribute)/\(group)/\(metric)")
                }
            }
            for metric in boundedFairness {
                check(section.fairness[metric.rawValue], other.fairness[metric.rawValue], exact: false, "\(attribute)/\(metric)")
            }
            for metric in exactFairness {
                check(section.fairness[metric.rawValue], other.fairness[metric.rawValue], exact: true, "\(attribute)/\(metric)")
            }
            guard let top = section.topK["top_10pct"], let otherTop = other.topK["top_10pct"] else {
                Issue.record("\(attribute): no top_10pct", sourceLocation: sourceLocation)
                continue
            }
            #expect(top.k == otherTop.k, sourceLocation: sourceLocation)
            for (group, metrics) in top.groups {
                for metric in topKGroupMetrics {
                    check(metrics[metric.rawValue], otherTop.groups[group]?[metric.rawValue], exact: metric == .shareOfPopulation,
                          "\(attribute)/top_10pct/\(group)/\(metric)")
                }
            }
            for metric in [Metric.minSkewAtK, .maxSkewAtK, .precisionAtK, .recallAtK] {
                check(top.metrics[metric.rawValue], otherTop.metrics[metric.rawValue], exact: false, "\(attribute)/top_10pct/\(metric)")
            }
        }
        return compared
    }

    // MARK: - The bundled leads

    @Test(arguments: [10, 1_000])
    func theLeadsQueueFromTheGridHoldsTheRowsValues(bins: Int) throws {
        let leads = StatisticsPartTests.leads
        let profile = Self.gridProfile(StatisticsPartTests.profile(), bins: bins)
        let (rows, grid, parts) = try Self.audits(profile: profile, header: leads.header, rows: leads.rows, cuts: [1200, 3100])
        #expect(parts.allSatisfy { $0.part.version == 2 && $0.part.histograms?.count == 5 })
        let compared = Self.expectWithinBounds(rows: rows, grid: grid)
        #expect(compared > 200)
        // Group metrics, intervals and findings are those of the rows, as without a grid.
        #expect(JSONDifferences.of(try StatisticsPartTests.comparable(rows), try StatisticsPartTests.comparable(grid)).isEmpty)
        #expect(grid.notes?.contains { $0.contains("score grid of \(bins) equal cells") } == true)
        // NDKL and exposure need positions within the top k.
        #expect(grid.queue?["ethnicity"]?.topK["top_10pct"]?.metrics["ndkl"]?.undefinedReason == "needs_rows")
    }

    // MARK: - Random data with ties, tiny groups, missing values and weights

    /// Scores on a coarse lattice (ties, within and across cells), a group of two rows, a
    /// group of one, missing labels, scores and sensitive values.
    static func randomRows(seed: UInt64, count: Int, lattice: Double?, weighted: Bool) -> (header: String, rows: [String]) {
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        var rows: [String] = []
        for index in 0..<count {
            let region = index == 7 ? "tiny" : (index == 11 || index == 12 ? "pair" : ["north", "south", "east"][Int(random.next() % 3)])
            let band = uniform() < 0.03 ? "" : ["young", "old"][Int(random.next() % 2)]
            let shift = region == "north" ? 0.15 : (region == "east" ? -0.05 : 0)
            var score = min(1, max(0, uniform() * 0.8 + shift + 0.05))
            if let lattice { score = (score / lattice).rounded() * lattice }
            let scoreText = uniform() < 0.02 ? "" : String(score)
            let label = uniform() < 0.04 ? "" : (uniform() < score ? "1" : "0")
            let weight = weighted ? String(Double(1 + random.next() % 4) / 2) : "1"
            rows.append("\(scoreText),\(label),\(region),\(band),\(weight)")
        }
        return ("score,label,region,band,weight", rows)
    }

    static func randomProfile(weighted: Bool, bins: Int) -> AuditProfile {
        var profile = AuditProfile(
            name: "grid", data: .init(path: nil, score: "score", label: "label", weight: weighted ? "weight" : nil, scoreRange: 0...1),
            decisions: [.init(name: "threshold_0.5", kind: .threshold(0.5))],
            sensitive: [.init(column: "region"), .init(column: "band", missing: .exclude)],
            intersections: [["region", "band"]],
            settings: .init(minimumGroupSize: 5, intervalLevel: 0.95, bootstrapReplicates: 0, seed: 1))
        profile.statistics = .init(scoreGridBins: bins)
        return profile
    }

    @Test(arguments: [(1, 0.05, false, 20), (2, 0.01, true, 100), (3, nil, false, 50), (4, nil, true, 7), (5, 0.125, false, 8)] as [(UInt64, Double?, Bool, Int)])
    func randomQueuesFromTheGridHoldTheRowsValues(seed: UInt64, lattice: Double?, weighted: Bool, bins: Int) throws {
        let data = Self.randomRows(seed: seed, count: 1_500, lattice: lattice, weighted: weighted)
        let profile = Self.randomProfile(weighted: weighted, bins: bins)
        let (rows, grid, _) = try Self.audits(profile: profile, header: data.header, rows: data.rows, cuts: [400, 401, 900])
        #expect(Self.expectWithinBounds(rows: rows, grid: grid) > 100)
    }

    /// On continuous scores the bounds shrink as the grid grows, toward the rows' values.
    @Test func boundsShrinkAsTheGridGrows() throws {
        let data = Self.randomRows(seed: 9, count: 3_000, lattice: nil, weighted: false)
        var widths: [[Double]] = []
        for bins in [10, 100, 1_000, 10_000] {
            let profile = Self.randomProfile(weighted: false, bins: bins)
            let (rows, grid, _) = try Self.audits(profile: profile, header: data.header, rows: data.rows, cuts: [1000])
            Self.expectWithinBounds(rows: rows, grid: grid)
            let north = try #require(grid.queue?["region"]?.groups["north"])
            widths.append([Metric.auc, .xaucVersusRest, .ksStatistic, .wassersteinDistance].map { metric in
                let bound = north[metric.rawValue]?.gridBound ?? [0, .infinity]
                return bound[1] - bound[0]
            })
        }
        for (coarse, fine) in zip(widths, widths.dropFirst()) {
            for (a, b) in zip(coarse, fine) { #expect(b < a, "bound widths \(widths)") }
        }
        #expect(widths.last!.allSatisfy { $0 < 0.01 }, "bound widths \(widths)")
    }

    // MARK: - Verdicts, refusals, versions

    /// A rule whose grid bound straddles its limit is not a pass: it lacks evidence.
    @Test func aBoundThatStraddlesTheRuleIsInsufficientEvidence() throws {
        let data = Self.randomRows(seed: 12, count: 1_000, lattice: nil, weighted: false)
        var profile = Self.randomProfile(weighted: false, bins: 4)
        let paths = try StatisticsPartTests.shards([data.rows], header: data.header)
        let parts = try StatisticsPartTests.parts(paths, profile: profile)
        let probe = try Audit.fromStatistics(profile: profile, parts: parts)
        let auc = try #require(probe.queue?["region"]?.groups["north"]?["auc"])
        let bound = try #require(auc.gridBound)
        #expect(bound[1] - bound[0] > 0.01)
        profile.rules = [.init(metric: .auc, comparison: .atLeast, bound: (bound[0] + bound[1]) / 2, attributes: ["region"]),
                         .init(metric: .auc, comparison: .atLeast, bound: bound[0] - 0.01, attributes: ["region"]),
                         .init(metric: .brierScore, comparison: .atMost, bound: 0.5, attributes: ["region"])]
        #expect(StatisticsSupport.obstacles(profile).isEmpty)
        let report = try Audit.fromStatistics(profile: profile, parts: parts)
        let straddling = try #require(report.findings.first { $0.rule == profile.rules[0].expression && $0.group == "north" })
        #expect(straddling.verdict == .insufficientEvidence)
        #expect(straddling.reason.contains("straddles") && straddling.reason.contains("finer statistics.score_grid"))
        let clear = try #require(report.findings.first { $0.rule == profile.rules[1].expression && $0.group == "north" })
        #expect(clear.verdict == .pass)
        #expect(report.findings.filter { $0.metric == "brier_score" }.allSatisfy { $0.verdict != .insufficientEvidence || $0.reason.contains("minimum") })
        // Rendered with the bound in every format that shows the queue.
        let text = MarkdownRendering.render(report)
        #expect(text.contains("\(ReportFormatting.number(auc.value)) (grid: \(ReportFormatting.number(bound[0]))–\(ReportFormatting.number(bound[1])))"))
    }

    /// The grid does not hold which rows of the cutoff cell are in the top k, nor their
    /// squared weights: the top-k rates carry no Wilson interval from statistics, and an
    /// interval verdict on them says so (docs/metrics.md, "No intervals from the grid").
    @Test func topKRatesFromTheGridCarryNoIntervalAndSaySo() throws {
        let data = Self.randomRows(seed: 12, count: 1_000, lattice: nil, weighted: false)
        var profile = Self.randomProfile(weighted: false, bins: 100)
        profile.rules = [.init(metric: .precisionAtK, comparison: .atLeast, bound: 0, attributes: ["region"]),
                         .init(metric: .selectionRateAtK, comparison: .atLeast, bound: 0, attributes: ["region"])]
        profile.settings.verdict = .interval
        let (rows, grid, _) = try Self.audits(profile: profile, header: data.header, rows: data.rows, cuts: [400])
        let cutoff = try #require(rows.queue?["region"]?.topK.keys.first)
        #expect(rows.queue?["region"]?.topK[cutoff]?.groups["north"]?["precision_at_k"]?.interval != nil)
        #expect(grid.queue?["region"]?.topK[cutoff]?.groups.values.allSatisfy { $0.values.allSatisfy { $0.interval == nil } } == true)
        let fromGrid = grid.findings.filter { $0.attribute == "region" }
        #expect(!fromGrid.isEmpty)
        for finding in fromGrid {
            #expect(finding.verdict == .insufficientEvidence)
            #expect(finding.reason.contains("from the score grid, \(finding.metric) carries no interval")
                    || finding.reason.contains("minimum"), "\(finding.reason)")
        }
        let precision = rows.findings.filter { $0.attribute == "region" && $0.metric == "precision_at_k" }
        #expect(precision.contains { $0.verdictInterval != nil })
        #expect(precision.allSatisfy { $0.value == nil || $0.verdictInterval != nil })
    }

    @Test func partsOnAnotherGridAreRefused() throws {
        let rows = StatisticsPartTests.leads.rows
        let paths = try StatisticsPartTests.shards([Array(rows[0..<500]), Array(rows[500..<900])])
        let parts = try StatisticsPartTests.parts([paths[0]], profile: Self.gridProfile(StatisticsPartTests.profile(), bins: 100))
            + StatisticsPartTests.parts([paths[1]], profile: Self.gridProfile(StatisticsPartTests.profile(), bins: 200))
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.merged(parts) }
        #expect(error?.message.contains("statistics.score_grid is") == true, "\(error?.message ?? "")")
        // A part without the grid does not complete an audit that has one.
        let plain = try StatisticsPartTests.parts([paths[0]], profile: StatisticsPartTests.profile())
        #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: Self.gridProfile(StatisticsPartTests.profile(), bins: 100), parts: plain)
        }
    }

    /// Version 1 parts (no grid) are still read; merged with version 2 parts they stay valid.
    @Test func versionOnePartsAreStillRead() throws {
        let paths = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[0..<400])])
        let part = try StatisticsPartTests.parts(paths, profile: StatisticsPartTests.profile())[0].part
        #expect(part.version == 2 && part.histograms == nil)
        let text = String(decoding: try part.jsonData(), as: UTF8.self).replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 1")
        let old = try StatisticsPart.decode(Data(text.utf8), file: "old.json")
        #expect(old.version == 1 && old.decisions == part.decisions)
        // A version 1 part cannot carry histograms.
        let gridded = try StatisticsPartTests.parts(paths, profile: Self.gridProfile(StatisticsPartTests.profile(), bins: 50))[0].part
        let faked = String(decoding: try gridded.jsonData(), as: UTF8.self).replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 1")
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.decode(Data(faked.utf8), file: "faked.json") }
        #expect(error?.message.contains("version 1 part cannot hold score histograms") == true)
    }

    /// Histograms come from elsewhere too: every entry is checked.
    @Test func alteredHistogramsAreRefused() throws {
        let paths = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[0..<400])])
        let part = try StatisticsPartTests.parts(paths, profile: Self.gridProfile(StatisticsPartTests.profile(), bins: 50))[0].part
        var cases: [(StatisticsPart, String)] = []
        var outside = part
        outside.histograms![0].groups[0].cells[0][0] = 50
        cases.append((outside, "a cell of the 50-cell grid"))
        var extra = part
        // One more row of the entry's mean score: a possible entry, one row too many.
        let entry = part.histograms![0].groups[0].cells[0], mean = entry[5] / entry[3]
        extra.histograms![0].groups[0].cells[0] = [entry[0], entry[1], entry[2] + 1, entry[3] + 1, entry[4], entry[5] + mean,
                                                   entry[6] + mean * mean, entry[7]]
        cases.append((extra, "every row read is counted once"))
        var positives = part
        positives.histograms![0].groups[0].cells[0][4] = positives.histograms![0].groups[0].cells[0][3] + 1
        cases.append((positives, "positives' at most all rows'"))
        var missing = part
        missing.histograms = nil
        cases.append((missing, "has no score histograms"))
        for (altered, expected) in cases {
            let error = #expect(throws: FairleadError.self) { try StatisticsPart.decode(altered.jsonData(), file: "part.json") }
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        }
    }

    /// Merging stays order-free and associative with histograms.
    @Test func histogramsMergeOrderFreeAndAssociatively() throws {
        var random = SplitMix64(seed: 77)
        let data = Self.randomRows(seed: 21, count: 2_000, lattice: 0.01, weighted: true)
        let profile = Self.randomProfile(weighted: true, bins: 64)
        for _ in 0..<2 {
            var cuts = Set<Int>()
            while cuts.count < 3 { cuts.insert(1 + Int(random.next() % UInt64(data.rows.count - 1))) }
            let bounds = [0] + cuts.sorted() + [data.rows.count]
            let paths = try StatisticsPartTests.shards((0..<4).map { Array(data.rows[bounds[$0]..<bounds[$0 + 1]]) }, header: data.header)
            let parts = try StatisticsPartTests.parts(paths, profile: profile)
            let reference = try StatisticsPart.merged(parts).jsonData()
            for order in [[3, 2, 1, 0], [1, 3, 0, 2]] {
                #expect(try StatisticsPart.merged(order.map { parts[$0] }).jsonData() == reference)
            }
            let left = try StatisticsPart.merged([(file: "ab", part: StatisticsPart.merged(Array(parts[0...1]))), parts[2], parts[3]])
            let right = try StatisticsPart.merged([parts[0], (file: "bcd", part: StatisticsPart.merged(Array(parts[1...3])))])
            let (l, r) = (try JSONSerialization.jsonObject(with: left.jsonData()), try JSONSerialization.jsonObject(with: right.jsonData()))
            #expect(JSONDifferences.of(l, r).isEmpty)
            for (a, b) in zip(left.histograms ?? [], right.histograms ?? []) {
                #expect(a.uncounted == b.uncounted && a.missingScore == b.missingScore)
                #expect(a.groups.map { $0.cells.map { $0[0..<3] } } == b.groups.map { $0.cells.map { $0[0..<3] } })
            }
            // The merged part equals the part of all rows, counts exactly.
            let whole = try StatisticsPartTests.parts(try StatisticsPartTests.shards([data.rows], header: data.header), profile: profile)[0].part
            for (a, b) in zip(left.histograms ?? [], whole.histograms ?? []) {
                #expect(a.groups.map { $0.cells.map { $0[0..<3] } } == b.groups.map { $0.cells.map { $0[0..<3] } })
            }
        }
    }

    // MARK: - The profile key and the query

    @Test func theGridKeyIsValidatedNamingIt() throws {
        func load(_ text: String) throws -> AuditProfile {
            let path = try AuditFixtures.temporaryCSV(text, name: "profile.yaml")
            return try AuditProfile.load(path: path)
        }
        let base = "name: g\ndata: {score: s, label: y, score_range: [0, 100]}\ndecisions: [{threshold: 50}]\nsensitive: [{column: a}]\n"
        let profile = try load(base + "statistics: {score_grid: {bins: 500}}\n")
        #expect(profile.scoreGrid == ScoreGrid(bins: 500, lower: 0, upper: 100))
        #expect(try load(base).scoreGrid == nil)
        #expect(try load(base + "rules: ['auc >= 0.6']\n").scoreGrid?.bins == AuditProfile.defaultScoreGridBins)
        for (yaml, expected) in [("statistics: {score_grid: {bins: 1}}", "statistics.score_grid.bins"),
                                 ("statistics: {score_grid: {bins: 200000}}", "limits.max_grid_bins"),
                                 ("statistics: {score_grid: {cells: 10}}", "statistics.score_grid"),
                                 ("statistics: {grid: 10}", "statistics.grid")] {
            let error = #expect(throws: FairleadError.self) { try load(base + yaml + "\n") }
            #expect(error?.description.contains(expected) == true, "\(error?.description ?? "")")
        }
        #expect(try load(base + "statistics: {score_grid: {bins: 200000}}\nlimits: {max_grid_bins: 300000}\n").scoreGrid?.bins == 200_000)
    }

    /// The query histograms the scores with the formula the parts use, in every dialect.
    @Test func theQueryCarriesTheGrid() throws {
        let profile = Self.gridProfile(PushdownQueryTests.profile(), bins: 1000)
        for dialect in PushdownQuery.Dialect.allCases {
            let sql = try PushdownQuery(profile: profile, dialect: dialect, source: .table("leads")).sql()
            #expect(sql.contains("CEIL((s - CAST(0.0 AS ") && sql.contains("GREATEST(") && sql.contains(", 0), 999)"))
            #expect(sql.contains("(decision, cell, g, b, a0)") && sql.contains("AS positive_score_sum"))
            #expect(sql.contains("WHEN s > CAST(0.2 AS ") && sql.contains("WHEN s > CAST(0.30000000000000004 AS "))
        }
        #expect(PushdownQuery.resultColumns(attributeCount: 1, grid: true).suffix(5) == PushdownQuery.gridColumns)
        // Without a grid the query is unchanged.
        let plain = try PushdownQuery(profile: PushdownQueryTests.profile(), dialect: .postgres, source: .table("leads")).sql()
        #expect(!plain.contains("grid") && plain.contains("(decision, cell, a0)"))
    }

    /// The cell formula is monotone and puts edges where the docs say.
    @Test func cellsAreMonotoneAndEdgesFallBelow() {
        let grid = ScoreGrid(bins: 1000, lower: 0, upper: 1)
        #expect(grid.cell(of: 0) == 0 && grid.cell(of: 1) == 999 && grid.cell(of: 0.001) == 0 && grid.cell(of: 0.0011) == 1)
        var previous = 0
        var random = SplitMix64(seed: 5)
        let scores = (0..<20_000).map { _ in Double(random.next() >> 11) / Double(1 << 53) }.sorted()
        for score in scores {
            let cell = grid.cell(of: score)
            #expect(cell >= previous)
            previous = cell
        }
        #expect(ScoreGrid.calibrationBin(of: 0.3) == 2 && ScoreGrid.calibrationBin(of: 0.1) == 0 && ScoreGrid.calibrationBin(of: 1) == 9)
    }
}
