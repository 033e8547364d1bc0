import FairleadCore
import Foundation

/// The per-group statistics of one data shard under one profile, as `fairlead stats`
/// writes them: every decision's ``GroupStats`` under every attribute and intersection,
/// with the rows read and the scores' range. Parts of disjoint shards merge
/// (``merged(_:)``) into the statistics of their union, and `fairlead audit --from-stats`
/// completes the audit from them — the group metrics, intervals and findings equal those
/// of an audit of the concatenated rows (docs/scale.md).
///
/// A part is versioned (``format``, ``version``) and names the statistics it holds
/// (``profile``): parts made under profiles whose statistics differ do not merge.
/// It is read from files that come from elsewhere, so ``decode(_:file:)`` checks every
/// number and every relation between them before anything uses them.
public struct StatisticsPart: Codable, Sendable, Equatable {
    /// What the file is: always ``formatName``.
    public var format: String
    /// The layout of the file: ``currentVersion`` when written by this version.
    public var version: Int
    /// The profile the statistics were computed under.
    public var profile: ProfileInfo
    /// The shard the statistics come from; several for a merged part.
    public var data: [ShardInfo]
    /// Whether the data had a label column.
    public var labelled: Bool
    /// The smallest and largest finite score, or `nil` when no row has one.
    public var scores: ScoreRange?
    /// In the profile's order.
    public var decisions: [Decision]
    /// Per attribute and intersection, in the profile's order: the scores on the spec's
    /// ``StatisticsSpec/scoreGrid`` (version 2); `nil` when the spec has no grid.
    public var histograms: [ScoreHistogram]?
    /// With a consent filter in the spec (``StatisticsSpec/consent``): the rows read that do
    /// not consent to the purpose, left out of every count (the shards' `rows_read`
    /// include them); `nil` (and absent from the JSON) without one.
    public var withoutConsent: Int?

    enum CodingKeys: String, CodingKey {
        case format, version, profile, data, labelled, scores, decisions, histograms
        case withoutConsent = "no_consent"
    }

    public static let formatName = "fairlead-statistics"
    /// 2 adds ``histograms``; 3 adds a gzip shard's ``ShardInfo/contentSHA256``; 4 a query
    /// result's ``ShardInfo/queryResult``. Versions 1 (no grid) to 3 are still read.
    public static let currentVersion = 4
    /// The versions this fairlead reads.
    public static let readableVersions = 1...4

    /// The version a part of these shards is written as: the lowest that holds them, so
    /// that a fairlead that reads version 2 reads every part without a gzip shard or a
    /// query result, and refuses one with either as newer rather than for an unknown key.
    static func version(for shards: [ShardInfo]) -> Int {
        if shards.contains(where: { $0.queryResult == true }) { return 4 }
        return shards.contains { $0.contentSHA256 != nil } ? 3 : 2
    }

    /// The profile's name and what its statistics depend on (``StatisticsSpec``).
    public struct ProfileInfo: Codable, Sendable, Equatable {
        public var name: String
        /// SHA-256 of the canonical JSON of `spec`: parts merge only when it is equal.
        public var statisticsSHA256: String
        public var spec: StatisticsSpec

        enum CodingKeys: String, CodingKey {
            case name, spec
            case statisticsSHA256 = "statistics_sha256"
        }
    }

    /// One shard: the data file as given, the SHA-256 and size of its bytes, its rows.
    public struct ShardInfo: Codable, Sendable, Equatable {
        public var source: String
        /// SHA-256 of the file as stored (`sha256sum`; a `.csv.gz` file's compressed bytes).
        public var sha256: String
        public var bytes: Int
        public var rowsRead: Int
        /// For a gzip file only: SHA-256 of the CSV it inflates to (`gunzip -c | sha256sum`);
        /// absent, the CSV read is the file and ``sha256`` its digest. Duplicate shards are
        /// found by this digest of what was read (``contentDigest``).
        public var contentSHA256: String?
        /// `true` for the result of the profile's aggregate query (``PushdownQuery``): its
        /// digests are of the sums the query returned, not of the rows they come from, so
        /// no merge can tell whether another shard holds the same rows. Absent for a
        /// shard of rows.
        public var queryResult: Bool?

        public init(source: String, sha256: String, bytes: Int, rowsRead: Int, contentSHA256: String? = nil,
                    queryResult: Bool? = nil) {
            self.source = source
            self.sha256 = sha256
            self.bytes = bytes
            self.rowsRead = rowsRead
            self.contentSHA256 = contentSHA256
            self.queryResult = queryResult
        }

        /// The SHA-256 of the CSV read: the same for a shard and its gzip copy.
        public var contentDigest: String { contentSHA256 ?? sha256 }

        enum CodingKeys: String, CodingKey {
            case source, sha256, bytes
            case rowsRead = "rows_read"
            case contentSHA256 = "content_sha256"
            case queryResult = "query_result"
        }
    }

    /// The smallest and largest finite score.
    public struct ScoreRange: Codable, Sendable, Equatable {
        public var min: Double
        public var max: Double
    }

    /// One decision: its statistics under each attribute and intersection.
    public struct Decision: Codable, Sendable, Equatable {
        public var name: String
        public var groupings: [GroupingPart]
    }

    /// One attribute or intersection under one decision.
    public struct GroupingPart: Codable, Sendable, Equatable {
        /// The attributes, one for a single attribute.
        public var attributes: [String]
        /// Per attribute: the levels the shard has (sorted, or in the bins' order), and
        /// whether any row lacks a value.
        public var levels: [[String]]
        public var hasMissing: [Bool]
        /// The rows left out, by reason.
        public var excluded: Excluded
        /// The groups with at least one row; every other combination of levels has none.
        public var groups: [GroupPart]

        enum CodingKeys: String, CodingKey {
            case attributes, levels, excluded, groups
            case hasMissing = "has_missing"
        }
    }

    /// ``ExclusionCounts`` as written.
    public struct Excluded: Codable, Sendable, Equatable {
        public var missingScore: Int
        public var missingPrediction: Int
        public var missingLabel: Int
        public var missingSensitive: Int

        enum CodingKeys: String, CodingKey {
            case missingScore = "missing_score"
            case missingPrediction = "missing_prediction"
            case missingLabel = "missing_label"
            case missingSensitive = "missing_sensitive"
        }
    }

    /// One group: its values (one per attribute) and its four confusion cells, each
    /// `[count, Σw, Σw², Σw over scored rows, Σw·score]`.
    public struct GroupPart: Codable, Sendable, Equatable {
        public var group: [String]
        public var tp: [Double]
        public var fp: [Double]
        public var tn: [Double]
        public var fn: [Double]
    }
}

// MARK: - From and to the metrics engine

extension StatisticsPart.Excluded {
    init(_ counts: ExclusionCounts) {
        self.init(missingScore: counts.missingScore, missingPrediction: counts.missingPrediction,
                  missingLabel: counts.missingLabel, missingSensitive: counts.missingSensitive)
    }

    var counts: ExclusionCounts {
        ExclusionCounts(missingScore: missingScore, missingPrediction: missingPrediction,
                        missingLabel: missingLabel, missingSensitive: missingSensitive)
    }

    var values: [Int] { [missingScore, missingPrediction, missingLabel, missingSensitive] }
}

extension StatisticsPart.GroupPart {
    init(group: GroupKey, cells: ConfusionCells) {
        func row(_ cell: CellStats) -> [Double] {
            [Double(cell.count), cell.weight, cell.squaredWeight, cell.scoredWeight, cell.scoreSum]
        }
        self.init(group: group.values, tp: row(cells.truePositives), fp: row(cells.falsePositives),
                  tn: row(cells.trueNegatives), fn: row(cells.falseNegatives))
    }

    /// The cells; the rows were checked by ``StatisticsPart/validate(file:)``.
    var cells: ConfusionCells {
        func cell(_ row: [Double]) -> CellStats {
            CellStats(count: Int(row[0]), weight: row[1], squaredWeight: row[2], scoredWeight: row[3], scoreSum: row[4])
        }
        return ConfusionCells(truePositives: cell(tp), falsePositives: cell(fp), trueNegatives: cell(tn), falseNegatives: cell(fn))
    }

    var rows: [(name: String, values: [Double])] { [("tp", tp), ("fp", fp), ("tn", tn), ("fn", fn)] }
}

extension StatisticsPart.GroupingPart {
    /// The shard's statistics of one grouping, written without the empty groups.
    init(grouping: Grouping, stats: GroupStats, attributes: [SensitiveAttribute]) {
        let used = grouping.attributeNames.map { name in attributes.first { $0.name == name } }
        self.init(attributes: grouping.attributeNames,
                  levels: used.map { $0?.levels ?? [] },
                  hasMissing: used.map { $0?.codes.contains(-1) ?? false },
                  excluded: StatisticsPart.Excluded(stats.exclusions),
                  groups: zip(grouping.groups, stats.cells).filter { $0.1.count > 0 }.map { StatisticsPart.GroupPart(group: $0.0, cells: $0.1) })
    }

    /// The grouping these statistics describe and the statistics in its group order:
    /// the grouping a row-level audit of the shard's rows would make.
    func statistics(missingPolicies: [MissingSensitivePolicy], isLabeled: Bool,
                    maxGroups: Int = Limits().maxGroups) throws -> DecisionStatistics.GroupingStatistics {
        let grouping = try Grouping(attributes: attributes, levels: levels, hasMissing: hasMissing, missingPolicies: missingPolicies,
                                    maxGroups: maxGroups)
        var cells = [ConfusionCells](repeating: ConfusionCells(), count: grouping.groupCount)
        var positions: [GroupKey: Int] = [:]
        for (index, key) in grouping.groups.enumerated() { positions[key] = index }
        for group in groups {
            guard let index = positions[GroupKey(group.group)] else {
                throw FairleadError(.invalidData, "group \(group.group) is not a combination of the listed levels")
            }
            cells[index] = group.cells
        }
        return .init(grouping: grouping, stats: GroupStats(cells: cells, isLabeled: isLabeled, exclusions: excluded.counts))
    }
}

extension StatisticsPart {
    /// The part of one shard's rows, as read for `profile`.
    init(profile: AuditProfile, spec: StatisticsSpec, data: AuditData, shard: ShardInfo,
         statistics: [(name: String, statistics: DecisionStatistics)], histograms: [ScoreHistogram]?,
         withoutConsent: Int?) {
        self.init(format: Self.formatName, version: Self.version(for: [shard]),
                  profile: ProfileInfo(name: profile.name, statisticsSHA256: spec.sha256, spec: spec),
                  data: [shard], labelled: data.labels != nil,
                  scores: ScoreScale.observedRange(data.scores).map { ScoreRange(min: $0.lowerBound, max: $0.upperBound) },
                  decisions: statistics.map { entry in
                      Decision(name: entry.name, groupings: entry.statistics.groupings.map {
                          GroupingPart(grouping: $0.grouping, stats: $0.stats, attributes: data.attributes)
                      })
                  },
                  histograms: histograms, withoutConsent: withoutConsent)
    }

    /// The rows read in all shards.
    public var rowsRead: Int { data.reduce(0) { $0 + $1.rowsRead } }

    /// The rows the statistics count: those read, less those without consent.
    public var rowsCounted: Int { rowsRead - (withoutConsent ?? 0) }

    /// The part as JSON: keys sorted, so the same statistics give the same bytes. DEL, C1
    /// controls and bidirectional characters in names are written `\uXXXX` (``JSONEscaping``),
    /// as in the report: a part is printed to standard output by default.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return JSONEscaping.escapingHidden(try encoder.encode(self))
    }
}
