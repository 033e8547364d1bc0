import FairleadCore
import Foundation

/// What it would take for each decision of a profile to pass, and what it would cost:
/// the canonical value `fairlead mitigate` renders (docs/mitigation.md). It reports
/// options, never a decision; group-specific thresholds are unlawful in some settings
/// (disparate treatment), which the renderings say beside them.
public struct MitigationReport: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion = MitigationReport.currentSchemaVersion
    public var profile: String
    public var dataSource: String
    /// What options maximize: `conversions_at_capacity`.
    public var objective: String
    /// The decisions' statuses summed up (``overallStatus(_:)``): `none_feasible` when one
    /// decision has no feasible option (exit 1); else `options_found` when one fails today
    /// and has options; else `insufficient_evidence` when a rule of one cannot be judged;
    /// else `not_checked` when some rule of one cannot be checked on options (an inequality
    /// index, a queue rule) and every rule checked holds; else `passes` (nothing to
    /// mitigate); `no_rules` for a profile
    /// without rules. `not_asked` in an audit report's section
    /// whose profile asked for no threshold options (`mitigation.thresholds: false`);
    /// `not_computed` in one whose options could not be computed (``notes`` says why: the
    /// audit's verdict and exit code stand).
    public var status: String
    public var decisions: [String: DecisionOptions]
    public var notes: [String]
    /// The profile's rules that options cannot be checked against (they depend on more
    /// than who is selected per group), by expression; `nil` (left out of the JSON) when
    /// every rule can be.
    public var uncheckedRules: [String]?

    /// The report's status from its decisions' (`passes`, `not_checked`,
    /// `insufficient_evidence`, `options_found`, `none_feasible`): the worst of them, in the
    /// order `none_feasible`, `options_found`, `insufficient_evidence`, `not_checked`, else
    /// `passes`. No decision (a profile without one is refused earlier) `passes`. It said
    /// `options_found` when every decision passed, or when one could not be judged, over a
    /// table with no option; and NOTHING TO MITIGATE beside a rule it had not checked.
    public static func overallStatus(_ statuses: [String]) -> String {
        for status in ["none_feasible", "options_found", "insufficient_evidence", "not_checked"] where statuses.contains(status) {
            return status
        }
        return "passes"
    }

    /// AIF360's reweighing factors, when asked for (`--reweigh-out`, or the profile's
    /// `mitigation: {reweighing: true}`).
    public var reweighing: ReweighingFactors?

    /// The reweighing factors w(g, y) of one attribute or intersection (docs/mitigation.md).
    public struct ReweighingFactors: Codable, Sendable, Equatable {
        public var attribute: String
        /// Per group, per label (`"1"`, `"0"`): w(g, y).
        public var factors: [String: [String: Double]]
    }

    /// One decision: its capacity, its cost today, and the options.
    public struct DecisionOptions: Codable, Sendable, Equatable {
        /// How the decision selects today (`score >= 0.3`, `top 500`).
        public var kind: String
        /// Σw the decision selects today: the leads the team can work. Options select at most this.
        public var capacity: Double
        /// `passes`, `insufficient_evidence` (no rule fails today, but one cannot be judged:
        /// a group too small for a rate it compares), `not_checked` (some rule of the
        /// decision cannot be checked on options, ``uncheckedRules``, and every rule checked
        /// holds — or none can be; or a rule fails and no option covers it, but group
        /// thresholds were not computed for an attribute, ``groupThresholdNotes``),
        /// `options_found` or `none_feasible`.
        public var status: String
        public var current: OptionCost
        /// The single score threshold, for every group, at which every checked rule holds,
        /// with the most conversions within capacity; `nil` when none does.
        public var singleThreshold: SingleThresholdOption?
        /// Why there is no single-threshold option, when there is none.
        public var singleThresholdNote: String?
        /// Group-specific thresholds, one per attribute and parity constraint the
        /// profile's failing rules call for.
        public var groupThresholds: [GroupThresholdOption]
        /// The decision's rules that options cannot be checked against, by expression;
        /// `nil` (left out of the JSON) when every rule of it can be.
        public var uncheckedRules: [String]?
        /// Why group thresholds were not computed for an attribute a rule fails on (a
        /// group with only converted or only unconverted leads: no threshold trades one
        /// off against the other); `nil` (left out of the JSON) when none was left out.
        public var groupThresholdNotes: [String]?
    }

    /// What a way of selecting gives: expected when it randomizes.
    public struct OptionCost: Codable, Sendable, Equatable {
        /// Σw over selected leads.
        public var selected: Double
        /// Σw over selected leads that converted.
        public var conversions: Double
        /// conversions ÷ selected.
        public var precision: Double?
        /// Per attribute (or intersection), per group: the selection rate.
        public var selectionRates: [String: [String: Double]]
        /// Each checked rule's worst value and whether it holds.
        public var rules: [RuleCheck]
    }

    /// A rule measured under an option (point value, as `settings.verdict: point`).
    public struct RuleCheck: Codable, Sendable, Equatable {
        public var rule: String
        public var attribute: String
        public var value: Double?
        public var holds: Bool
        /// Why the rule is neither held nor failed (a group too small for a rate it
        /// compares), as an audit's finding would be insufficient evidence; `nil` when decided.
        public var undecided: String?

        public init(rule: String, attribute: String, value: Double?, holds: Bool, undecided: String? = nil) {
            self.rule = rule
            self.attribute = attribute
            self.value = value
            self.holds = holds
            self.undecided = undecided
        }
    }

    /// One score threshold for every lead.
    public struct SingleThresholdOption: Codable, Sendable, Equatable {
        /// Select a lead when its score ≥ this.
        public var threshold: Double
        /// Whether it selects at most today's capacity; when no threshold within capacity
        /// holds, the one that holds with the fewest leads is given, marked `false`.
        public var withinCapacity: Bool
        public var cost: OptionCost
    }

    /// Thresholds per group of one attribute, equalizing one rate exactly (in expectation).
    public struct GroupThresholdOption: Codable, Sendable, Equatable {
        public var attribute: String
        /// `demographic_parity`, `true_positive_rate_parity` or `equalized_odds`.
        public var constraint: String
        /// The common rate: selection rate, TPR, or (equalized odds) FPR.
        public var commonRate: Double
        /// Equalized odds: the common TPR.
        public var commonTruePositiveRate: Double?
        /// Whether any group's rule mixes two thresholds or a random selection.
        public var randomized: Bool
        public var groups: [String: GroupRule]
        /// The cost over the attribute's groups; rules checked are those on this attribute.
        public var cost: OptionCost
    }

    /// One group's selection: a lead with score ≥ `upperThreshold` is selected with
    /// probability `upperProbability`; one with `lowerThreshold` ≤ score < `upperThreshold`
    /// with `lowerProbability`; below both, never — and with probability `ignoreProbability`
    /// the rule is replaced by a random selection at rate `constantRate` (equalized odds).
    /// A `nil` threshold selects nothing.
    public struct GroupRule: Codable, Sendable, Equatable {
        public var upperThreshold: Double?
        public var upperProbability: Double
        public var lowerThreshold: Double?
        public var lowerProbability: Double
        public var ignoreProbability: Double
        public var constantRate: Double
        /// The group's expected selection rate, TPR and FPR under the rule.
        public var selectionRate: Double
        public var truePositiveRate: Double?
        public var falsePositiveRate: Double?
    }
}

extension MitigationReport {
    /// Canonical JSON: snake_case keys, sorted, pretty-printed; hidden characters in names
    /// written `\uXXXX` (``JSONEscaping``), as the audit report is.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return JSONEscaping.escapingHidden(try encoder.encode(self))
    }
}
