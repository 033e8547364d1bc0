import FairleadCore
import Foundation

/// The one function that judges a check: a measured value against `value OP bound`.
///
/// In order:
/// 1. a value that cannot decide (``MeasuredValue/shortfall``) is insufficient evidence;
/// 2. a between-groups value with small groups set aside fails when it fails among the
///    groups large enough, and is otherwise insufficient evidence;
/// 3. an undefined value is insufficient evidence, with its reason;
/// 4. `point` mode: pass when the value meets the bound, fail otherwise — unless the
///    failure may be noise (drift: insufficient evidence) or the profile allows it
///    (proxies: pass). A value of a top-k decision whose cut splits tied scores is judged
///    on its ``MeasuredValue/tieRange`` instead (``TieBounds``): pass when all of it meets
///    the bound, fail when none does, else insufficient evidence (also in step 2);
/// 5. `interval` mode: pass when the whole simultaneous interval meets the bound, fail when
///    none of it does, insufficient evidence when it straddles the bound.
///
/// Insufficient-evidence reasons end with what would decide them, when that is known; each
/// undecided verdict carries its cause (``AuditReport/UndecidedCause``), set here.
enum FindingJudge {
    struct Check: Sendable {
        var comparison: AuditProfile.RuleSpec.Comparison
        var bound: Double
    }

    static func judge(_ measured: MeasuredValue, _ check: Check, mode: AuditProfile.VerdictMode = .point)
        -> (verdict: AuditReport.Verdict, reason: String, cause: AuditReport.UndecidedCause?) {
        func undecided(_ cause: AuditReport.UndecidedCause, _ reason: String)
            -> (AuditReport.Verdict, String, AuditReport.UndecidedCause?) {
            (.insufficientEvidence, measured.wouldDecide.map { "\(reason); \($0)" } ?? reason, cause)
        }
        let op = check.comparison.rawValue
        let bound = format(check.bound)
        if let shortfall = measured.shortfall { return undecided(shortfall.cause, shortfall.reason) }
        if let among = measured.amongSufficient {
            if mode == .interval {
                // Only the simultaneous interval over the groups large enough can fail it.
                guard let interval = among.interval, interval.count == 2 else {
                    // The lead-queue metrics carry none: saying the interval "does not settle it"
                    // would send the reader looking for one.
                    let point = check.comparison.holds(among.value, check.bound)
                        ? "settings.verdict: point would not either, as the rule holds among the others"
                        : "settings.verdict: point would fail it"
                    // More rows in the small groups would not give it one: no "would decide it".
                    return (.insufficientEvidence, "groups \(among.setAside) are too small to judge, and \(format(among.value)) among the "
                            + "others has no interval to judge: this metric carries none (`fairlead metrics --format markdown`, "
                            + "column intervals); \(point)", .noInterval)
                }
                if !check.comparison.holds(interval[0], check.bound), !check.comparison.holds(interval[1], check.bound) {
                    return (.fail, "\(format(among.value)) among the groups with at least \(among.minimum) rows for the rates compared, interval "
                                   + "[\(format(interval[0])), \(format(interval[1]))] wholly not \(op) \(bound) (set aside as too small: \(among.setAside))", nil)
                }
                return undecided(.smallGroupsSetAside, "groups \(among.setAside) are too small to judge, and the interval over the others does not settle it")
            }
            if let tied = measured.tieRange {
                // Fails only when every split of the tied rows fails it among the others.
                if !check.comparison.holds(tied.range.lowerBound, check.bound), !check.comparison.holds(tied.range.upperBound, check.bound) {
                    return (.fail, "\(format(among.value)) among the groups with at least \(among.minimum) rows for the rates compared is not \(op) \(bound) "
                                   + "however the top k splits \(tieWords(tied)): from \(rangeText(tied.range)) (set aside as too small: \(among.setAside))", nil)
                }
                if check.comparison.holds(among.value, check.bound) {
                    return undecided(.smallGroupsSetAside, "groups \(among.setAside) are under the minimum of \(among.minimum) rows for this metric; the rule holds among the others")
                }
                return undecided(.tiedAtCutoff, "\(format(among.value)) among the groups with at least \(among.minimum) rows for the rates compared, "
                                 + "but the top k's splits of \(tieWords(tied)) give from \(rangeText(tied.range)), on both sides of \(bound) (set aside as too small: \(among.setAside))")
            }
            if !check.comparison.holds(among.value, check.bound) {
                return (.fail, "\(format(among.value)) among the groups with at least \(among.minimum) rows for the rates compared is not \(op) \(bound) "
                               + "(set aside as too small: \(among.setAside))", nil)
            }
            return undecided(.smallGroupsSetAside, "groups \(among.setAside) are under the minimum of \(among.minimum) rows for this metric; the rule holds among the others")
        }
        guard let value = measured.value else {
            let reason = "undefined: \(measured.undefinedDetail ?? measured.undefinedReason ?? "no value")"
            guard measured.wouldDecide == nil, let remedy = remedy(forUndefined: measured.undefinedReason, group: measured.group) else {
                return undecided(.valueUndefined, reason)
            }
            return (.insufficientEvidence, "\(reason); \(remedy)", .valueUndefined)
        }
        let holds = check.comparison.holds(value, check.bound)
        switch mode {
        case .point:
            if let tied = measured.tieRange {
                // The value in row order is one split of many: the whole range decides, or nothing does.
                let lowHolds = check.comparison.holds(tied.range.lowerBound, check.bound)
                let highHolds = check.comparison.holds(tied.range.upperBound, check.bound)
                if lowHolds && highHolds {
                    return (.pass, "\(format(value)) \(op) \(bound) however the top k splits \(tieWords(tied)): from \(rangeText(tied.range))", nil)
                }
                if !lowHolds && !highHolds {
                    return (.fail, "\(format(value)) is not \(op) \(bound) however the top k splits \(tieWords(tied)): from \(rangeText(tied.range))", nil)
                }
                return undecided(.tiedAtCutoff, "\(format(value)) in row order, but the top k's splits of \(tieWords(tied)) give from "
                                 + "\(rangeText(tied.range)), on both sides of \(bound)")
            }
            if holds { return (.pass, "\(format(value)) \(op) \(bound)", nil) }
            if let waiver = measured.waiver { return (.pass, "\(format(value)) is not \(op) \(bound); \(waiver)", nil) }
            if let noise = measured.noise { return undecided(.noise, noise) }
            return (.fail, "\(format(value)) is not \(op) \(bound)", nil)
        case .interval:
            guard let interval = measured.verdictInterval ?? measured.interval, interval.count == 2 else {
                if let absence = measured.intervalAbsence {
                    // The metric has one, but not here: the reason names what took it away.
                    return (.insufficientEvidence, "\(format(value)) has no interval to judge: \(absence.reason), so settings.verdict: "
                            + "interval cannot decide it; \(absence.remedy)", .noInterval)
                }
                return (.insufficientEvidence, "\(format(value)) has no interval to judge: this metric carries none "
                        + "(`fairlead metrics --format markdown`, column intervals), so settings.verdict: interval cannot decide it; "
                        + "settings.verdict: point would", .noInterval)
            }
            let text = "[\(format(interval[0])), \(format(interval[1]))]"
            let lowHolds = check.comparison.holds(interval[0], check.bound)
            let highHolds = check.comparison.holds(interval[1], check.bound)
            if lowHolds && highHolds { return (.pass, "\(format(value)), interval \(text) \(op) \(bound)", nil) }
            if !lowHolds && !highHolds {
                if let waiver = measured.waiver { return (.pass, "interval \(text) is not \(op) \(bound); \(waiver)", nil) }
                return (.fail, "\(format(value)), interval \(text) wholly not \(op) \(bound)", nil)
            }
            return undecided(.intervalStraddles, "\(format(value)), but its interval \(text) straddles \(bound)")
        }
    }

    /// "the 25 rows tied at score 52 (16 of them taken)".
    static func tieWords(_ tied: (range: ClosedRange<Double>, tie: TieAtCutoff)) -> String {
        "the \(tied.tie.tied) rows tied at score \(format(tied.tie.score)) (\(tied.tie.taken) of them taken)"
    }

    /// "0.12 to 0.28".
    static func rangeText(_ range: ClosedRange<Double>) -> String {
        "\(format(range.lowerBound)) to \(format(range.upperBound))"
    }

    /// What would make an undefined value defined, by the reason it is undefined.
    static func remedy(forUndefined reason: String?, group: String?) -> String? {
        let place = group.map { "in '\($0)'" } ?? "in every group compared"
        switch reason.flatMap(UndefinedReason.init(rawValue:)) {
        case .emptyGroup?: return "rows \(place) would decide it"
        case .noActualPositives?: return "labelled leads that converted (label 1) \(place) would decide it"
        case .noActualNegatives?: return "labelled leads that did not convert (label 0) \(place) would decide it"
        case .noPredictedPositives?, .absentFromTopK?: return "a decision that selects some leads \(place) would decide it"
        case .noPredictedNegatives?: return "a decision that leaves some leads \(place) unselected would decide it"
        case .labelsAbsent?: return "a label column (or `fairlead history label` once outcomes arrive) would decide it"
        case .zeroDivisor?: return "a reference group with a rate above 0 would decide it"
        case .noScores?: return "scored rows \(place) would decide it"
        default: return nil
        }
    }

    /// A rule's finding from a measured value.
    static func finding(_ rule: AuditProfile.RuleSpec, _ measured: MeasuredValue,
                        mode: AuditProfile.VerdictMode) -> AuditReport.Finding {
        let (verdict, reason, cause) = judge(measured, Check(comparison: rule.comparison, bound: rule.bound), mode: mode)
        var finding = AuditReport.Finding(rule: rule.expression, metric: rule.metric.rawValue, decision: measured.decision,
                                          attribute: measured.attribute, group: measured.group, value: measured.value,
                                          interval: measured.interval, verdict: verdict, reason: reason, undecidedCause: cause)
        if mode == .interval, let simultaneous = measured.verdictInterval { finding.verdictInterval = simultaneous }
        if let among = measured.amongSufficient { finding.judgedValue = among.value }
        if let tied = measured.tieRange { finding.tieRange = [tied.range.lowerBound, tied.range.upperBound] }
        // Only an undecided reason, or one over the groups large enough, holds those words.
        let named = Set(measured.namedGroups).subtracting(measured.group.map { [$0] } ?? [])
        if !named.isEmpty, verdict == .insufficientEvidence || measured.amongSufficient != nil {
            finding.namedGroups = named.sorted()
        }
        return finding
    }

    /// Up to four decimals, trailing zeros dropped (``MessageQuote/number(_:)``).
    static func format(_ value: Double) -> String {
        MessageQuote.number(value)
    }
}
