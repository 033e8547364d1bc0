import FairleadCore
import Foundation

/// What a profile's per-group statistics depend on — the columns and how they are read,
/// the decisions, the attributes with their bins (or indicators) and missing-value policy, the
/// intersections — and nothing else: rules, references, interval settings and the
/// report's metrics are applied when the audit is completed, so a part stays valid when
/// only they change.
///
/// Two statistics parts merge, and a part completes an audit, only when their specs are
/// equal (compared through ``sha256``, the digest of the canonical JSON).
public struct StatisticsSpec: Codable, Sendable, Equatable {
    public var score: String
    public var label: String?
    public var labelPositive: [String]?
    public var weight: String?
    public var scoreRange: [Double]?
    public var missingMarkers: [String]?
    /// Per decision: its name and rule, e.g. `threshold 0.3` or `prediction approved`.
    public var decisions: [NamedRule]
    public var sensitive: [Attribute]
    public var intersections: [[String]]
    /// The score grid the lead-queue statistics are histogrammed on (``AuditProfile/scoreGrid``);
    /// `nil` (and absent from the JSON, so older specs keep their digest) without one.
    public var scoreGrid: ScoreGrid?
    /// The consent filter (`data.consent`): only rows whose consent column consents to the
    /// purpose are counted. `nil` (and absent from the JSON, so older specs keep their
    /// digest) without one.
    public var consent: Consent?

    public struct Consent: Codable, Sendable, Equatable {
        public var column: String
        public var purpose: String
    }

    public struct NamedRule: Codable, Sendable, Equatable {
        public var name: String
        public var rule: String
    }

    public struct Attribute: Codable, Sendable, Equatable {
        public var column: String
        public var bins: [Double]?
        /// `unknown` (missing values form their own group) or `exclude`.
        public var missing: String
        /// A one-hot attribute's groups and indicator columns, each `[group, column]` in the
        /// profile's order; `nil` (and absent from the JSON, so older specs keep their
        /// digest) for an attribute read from one column.
        public var oneHot: [[String]]?

        enum CodingKeys: String, CodingKey {
            case column, bins, missing
            case oneHot = "one_hot"
        }
    }

    enum CodingKeys: String, CodingKey {
        case score, label, weight, decisions, sensitive, intersections
        case labelPositive = "label_positive"
        case scoreRange = "score_range"
        case missingMarkers = "missing_markers"
        case scoreGrid = "score_grid"
        case consent
    }

    /// The spec of `profile`'s statistics.
    public init(_ profile: AuditProfile) {
        let data = profile.data
        score = data.score
        label = data.label
        labelPositive = data.labelPositive
        weight = data.weight
        scoreRange = data.scoreRange.map { [$0.lowerBound, $0.upperBound] }
        // The markers are a set: written in another order, twice, or spelling out the
        // default, they are the same statistics (a profile that wrote the default out did
        // not merge with parts of one that left the key out).
        missingMarkers = data.missingMarkers.flatMap { written in
            let markers = Set(written)
            return markers == CSVOptions().missingMarkers ? nil : markers.sorted()
        }
        decisions = profile.decisions.map { decision in
            let rule: String
            switch decision.kind {
            case .threshold(let threshold): rule = "threshold \(threshold)"
            case .topCount(let count): rule = "top_k \(count)"
            case .topFraction(let fraction): rule = "top_k \(fraction)"
            case .predictionColumn(let column): rule = "prediction \(column)"
            }
            return NamedRule(name: decision.name, rule: rule)
        }
        sensitive = profile.sensitive.map {
            Attribute(column: $0.column, bins: $0.bins?.edges, missing: $0.missing.rawValue,
                      oneHot: $0.oneHot?.map { [$0.group, $0.column] })
        }
        intersections = profile.intersections
        scoreGrid = profile.scoreGrid
        consent = data.consent.map { Consent(column: $0.column, purpose: $0.purpose) }
    }

    /// SHA-256 (lowercase hex) of the spec's JSON with sorted keys.
    public var sha256: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and arrays cannot fail.
        let bytes = (try? encoder.encode(self)) ?? Data()
        return ContentDigest.sha256(bytes)
    }

    /// The first difference from `other`, in words, for an error that says why two
    /// parts do not merge — "FIELD is A in `mine` and B in `theirs`", the two names saying
    /// what this spec and `other` belong to; `nil` when they are equal.
    public func difference(from other: StatisticsSpec, mine: String = "one", theirs: String = "the other") -> String? {
        func text<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }
        let fields: [(String, String, String)] = [
            ("data.score", text(score), text(other.score)),
            ("data.label", text(label), text(other.label)),
            ("data.label.positive", text(labelPositive), text(other.labelPositive)),
            ("data.weight", text(weight), text(other.weight)),
            ("data.score_range", text(scoreRange), text(other.scoreRange)),
            // The default is shown as its markers ("null" read as if the profile said null).
            ("data.missing_markers", text(missingMarkers ?? CSVOptions().missingMarkers.sorted()),
             text(other.missingMarkers ?? CSVOptions().missingMarkers.sorted())),
            ("decisions", text(decisions), text(other.decisions)),
            ("sensitive", text(sensitive), text(other.sensitive)),
            ("intersections", text(intersections), text(other.intersections)),
            ("statistics.score_grid", text(scoreGrid), text(other.scoreGrid)),
            ("data.consent", text(consent), text(other.consent)),
        ]
        // A part's spec is untrusted text: each side is quoted clipped, as every message quotes values.
        return fields.first { $0.1 != $0.2 }.map {
            "\($0.0) is \(MessageQuote.clipped($0.1, limit: 120)) in \(mine) and \(MessageQuote.clipped($0.2, limit: 120)) in \(theirs)"
        }
    }
}
