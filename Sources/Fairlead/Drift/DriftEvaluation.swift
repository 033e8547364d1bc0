import FairleadCore
import Foundation

/// Compares an audit with its baseline: the drift section of the report.
///
/// A value has drifted (`fail`) when its change exceeds the profile's tolerance **and**
/// sampling noise cannot explain it; a change beyond the tolerance that noise could
/// explain, and a group under the minimum group size, give `insufficient_evidence`;
/// anything else passes.
///
/// The noise tests share one error budget: with α = 1 − `confidence` (0.99 unless the
/// profile says otherwise) and m the values tested, each test runs at α/m (Bonferroni),
/// so that re-auditing data that did not change reports drift anywhere with
/// probability at most α.
///
/// - fairness values and group differences: the interval of the change excludes 0. It
///   is the MOVER interval (Zou & Donner 2008) from the two estimates' own intervals,
///   widened from the audit's interval level to 1 − α/m by the ratio of normal
///   quantiles. A value
///   without an interval (no bootstrap) cannot be tested.
/// - score PSI: the χ² p-value (``PopulationStability``) is below α/m.
/// - group shares: Newcombe's interval of the difference (MOVER on two Wilson
///   intervals), widened in the same way, excludes 0.
struct DriftEvaluation {
    let spec: AuditProfile.DriftSpec
    /// The interval level of the reports' intervals.
    let level: Double
    let minimumGroupSize: Int

    typealias Finding = AuditReport.DriftFinding

    /// A finding waiting for its verdict, which depends on how many values are tested.
    private struct Pending {
        enum Test {
            /// Judged by its interval at the audit's level (`nil`: none to judge by).
            case interval([Double]?)
            /// Judged by the PSI's p-value.
            case psi(pValue: Double)
            /// Insufficient evidence whatever the change, for this reason.
            case undecided(String)
        }
        var finding: Finding
        var test: Test

        /// Whether the finding spends part of the error budget.
        var isTested: Bool {
            switch test {
            case .interval(let interval): return interval != nil
            case .psi: return true
            case .undecided: return false
            }
        }
    }

    /// The drift section when there is no baseline to compare with.
    func unavailable(_ reason: String) -> AuditReport.DriftReport {
        AuditReport.DriftReport(status: .insufficientEvidence, baseline: nil, settings: settings(bins: ScoreSummary.bins, tests: 0),
                                findings: [], notes: [reason])
    }

    /// The drift section of `current` against `baseline`; `countsInBaselineBins` are
    /// today's scores counted in the baseline's bins (``ScoreSummary``).
    func report(current: AuditReport, baseline: DriftBaseline,
                countsInBaselineBins: [String: [String: [Int]]]) -> AuditReport.DriftReport {
        var notes: [String] = []
        var pending = disparityComparisons(current: current, baseline: baseline.report, notes: &notes)
        if let then = baseline.report.scoreDistribution, let now = current.scoreDistribution {
            pending += psiComparisons(baseline: then, current: now, counts: countsInBaselineBins)
            pending += shareComparisons(baseline: then, current: now)
        } else {
            notes.append("the baseline report has no score distribution (written before Fairlead kept one): score PSI and group shares were not compared")
        }
        notes += unmeasuredMetricNotes(current: current, baseline: baseline.report, compared: Set(pending.map(\.finding.metric)))
        notes += Self.groupChangeNotes(current: current, baseline: baseline.report)
        let tests = pending.filter(\.isTested).count
        let findings = pending.map { judge($0, tests: tests) }
        if baseline.report.profile.name != current.profile.name {
            notes.append("the baseline is an audit of profile \(MessageQuote.clipped(baseline.report.profile.name)), this one of \(MessageQuote.clipped(current.profile.name))")
        }
        if let then = baseline.report.data.scoreScale?.range, let now = current.data.scoreScale?.range, then != now {
            let shown = { (range: [Double]) in "[" + range.map(AuditProfile.compactNumber).joined(separator: ", ") + "]" }
            notes.append("the baseline's scores are on \(shown(then)), these on \(shown(now)): the score comparisons compare them as they are")
        }
        // Nothing compared is nothing checked: no pass.
        if findings.isEmpty {
            notes.append("nothing could be compared: the baseline has no decision, attribute or group in common with this audit, and no score distribution to compare")
        }
        let status: AuditReport.Verdict = findings.contains { $0.verdict == .fail } ? .fail
            : findings.isEmpty || findings.contains { $0.verdict == .insufficientEvidence } ? .insufficientEvidence : .pass
        return AuditReport.DriftReport(status: status, baseline: baseline.info,
                                       settings: settings(bins: baseline.report.scoreDistribution?.bins ?? ScoreSummary.bins, tests: tests),
                                       findings: findings, notes: notes)
    }

    private func settings(bins: Int, tests: Int) -> AuditReport.DriftSettings {
        AuditReport.DriftSettings(tolerance: spec.tolerance, psi: spec.psi, shareShift: spec.shareShift, bins: bins,
                                  confidence: spec.confidence, tests: tests, fairness: spec.comparedFairness, groupMetrics: spec.comparedGroupMetrics)
    }

    // MARK: - Verdicts

    private func judge(_ pending: Pending, tests: Int) -> Finding {
        var finding = pending.finding
        let alpha = (1 - spec.confidence) / Double(max(1, tests))
        let tolerance = Self.plain(finding.tolerance)
        func set(_ verdict: AuditReport.Verdict, _ reason: String) -> Finding {
            finding.verdict = verdict
            finding.reason = reason
            return finding
        }
        // The verdict is FindingJudge's, over |change| (or the PSI) against the tolerance;
        // a change beyond it that noise could give is undecided, not drift.
        func judged(_ value: Double, noise: String?) -> AuditReport.Verdict {
            var measured = MeasuredValue(decision: finding.decision ?? "", attribute: finding.attribute, value: value)
            measured.noise = noise
            return FindingJudge.judge(measured, FindingJudge.Check(comparison: .atMost, bound: finding.tolerance)).verdict
        }
        switch pending.test {
        case .undecided(let reason):
            return set(.insufficientEvidence, reason)
        case .psi(let pValue):
            let psi = finding.change ?? 0
            let value = "PSI " + String(format: "%.3f", psi)
            let chance = Self.pValueText(pValue)
            let noise = pValue < alpha ? nil : "\(value), beyond \(tolerance), but noise could give it (\(chance), not below \(Self.small(alpha)))"
            switch judged(psi, noise: noise) {
            case .pass: return set(.pass, "\(value), within \(tolerance)")
            case .fail: return set(.fail, "\(value) (\(chance)), beyond \(tolerance)")
            default: return set(.insufficientEvidence, noise ?? value)
            }
        case .interval(let interval):
            let change = finding.change ?? 0
            finding.interval = interval.map { Self.widened($0, change: change, alpha: alpha, level: level) }
            let changed = "changed by \(Self.signed(change))"
            let noise: String?
            if let shown = finding.interval {
                let text = "[\(Self.signed(shown[0])), \(Self.signed(shown[1]))]"
                noise = shown[0] > 0 || shown[1] < 0 ? nil : "\(changed), beyond ±\(tolerance), but its interval \(text) includes no change"
            } else {
                noise = "\(changed), beyond ±\(tolerance), but without intervals noise cannot be ruled out"
            }
            switch judged(abs(change), noise: noise) {
            case .pass: return set(.pass, "\(changed), within ±\(tolerance)")
            case .fail:
                let shown = finding.interval ?? []
                return set(.fail, "\(changed) [\(Self.signed(shown.first ?? change)), \(Self.signed(shown.last ?? change))], beyond ±\(tolerance)")
            default: return set(.insufficientEvidence, noise ?? changed)
            }
        }
    }

    /// An interval at `level` around `change`, widened to 1 − `alpha` (two-sided): each
    /// side scaled by z(α/2) ÷ z((1 − level)/2).
    static func widened(_ interval: [Double], change: Double, alpha: Double, level: Double) -> [Double] {
        let factor = StandardNormal.upperQuantile(alpha / 2) / StandardNormal.upperQuantile((1 - level) / 2)
        return [change - factor * (change - interval[0]), change + factor * (interval[1] - change)]
    }

    /// MOVER (method of variance estimates recovery) for current − baseline from the two
    /// estimates' own intervals (l, u):
    ///
    ///     L = Δ − √((c − l_c)² + (u_b − b)²),   U = Δ + √((u_c − c)² + (b − l_b)²)
    ///
    /// `nil` when either has no interval.
    static func differenceInterval(current: (value: Double, interval: [Double]?),
                                   baseline: (value: Double, interval: [Double]?)) -> [Double]? {
        guard let now = current.interval, now.count == 2, let then = baseline.interval, then.count == 2 else { return nil }
        let change = current.value - baseline.value
        let lower = change - ((current.value - now[0]) * (current.value - now[0]) + (then[1] - baseline.value) * (then[1] - baseline.value)).squareRoot()
        let upper = change + ((now[1] - current.value) * (now[1] - current.value) + (baseline.value - then[0]) * (baseline.value - then[0])).squareRoot()
        return [lower, upper]
    }

    // MARK: - Fairness values and group differences

    private func disparityComparisons(current: AuditReport, baseline: AuditReport, notes: inout [String]) -> [Pending] {
        var pending: [Pending] = []
        for decisionName in current.decisions.keys.sorted() {
            guard let now = current.decisions[decisionName] else { continue }
            guard let then = baseline.decisions[decisionName] else {
                notes.append("decision \(decisionName) is not in the baseline")
                continue
            }
            for attributeName in now.attributes.keys.sorted() {
                guard let attribute = now.attributes[attributeName] else { continue }
                guard let before = then.attributes[attributeName] else {
                    notes.append("attribute \(attributeName) of decision \(decisionName) is not in the baseline")
                    continue
                }
                for name in spec.comparedFairness {
                    guard let estimate = attribute.fairness[name], let previous = before.fairness[name] else { continue }
                    pending.append(compare(kind: .fairness, metric: name, decision: decisionName, attribute: attributeName,
                                           group: nil, baseline: previous, current: estimate, smallGroup: nil))
                }
                pending += groupDifferenceComparisons(decision: decisionName, attributeName: attributeName,
                                                      baseline: before, current: attribute, notes: &notes)
            }
        }
        return pending
    }

    /// A note per metric `drift.metrics` names that no finding compares: one audit or
    /// both has no value of it (a label metric without a label column, most often). It
    /// was left out without a word: "1 drifted, 17 within tolerance" and no mention of
    /// the `true_positive_rate` asked for.
    private func unmeasuredMetricNotes(current: AuditReport, baseline: AuditReport, compared: Set<String>) -> [String] {
        guard let named = spec.metrics else { return [] }
        if named.isEmpty {
            return ["drift.metrics is an empty list: no fairness value or group difference was compared, only the score distributions (PSI) and group shares"]
        }
        func holds(_ report: AuditReport, _ name: String) -> Bool {
            report.decisions.values.contains { decision in
                decision.attributes.values.contains { $0.fairness[name] != nil || $0.disparities[name] != nil }
            }
        }
        return named.filter { !compared.contains($0) }.map { name in
            let (now, then) = (holds(current, name), holds(baseline, name))
            let which = !now && !then ? "neither this audit nor its baseline has a value of it"
                : !now ? "this audit has no value of it" : !then ? "the baseline has no value of it"
                : "no decision, attribute or group holds it in both"
            let labels = Metric(rawValue: name)?.definition.needs.contains(.labels) == true && (!now || !then)
                ? " (it needs labels: an audit without a label column has none)" : ""
            return "\(name), named in drift.metrics, was not compared: \(which)\(labels)"
        }
    }

    /// A note per group with rows on one side only — gone since the baseline, or new —
    /// from the score distributions (every row with a score, whatever the decision; an
    /// intersection's groups from the first decision both audits have): the
    /// first screen says it, where the comparisons it leaves undecided were only counted.
    /// A group that vanished moves every share a little, often within `share_shift`.
    static func groupChangeNotes(current: AuditReport, baseline: AuditReport) -> [String] {
        // Each attribute's groups' rows on both sides: from the score distributions, and for
        // an attribute they do not hold (an intersection), from the first decision both audits
        // have — its rows used, scored.
        var counts: [String: (then: [String: Int], now: [String: Int])] = [:]
        if let then = baseline.scoreDistribution?.attributes, let now = current.scoreDistribution?.attributes {
            for (attribute, after) in now {
                guard let before = then[attribute] else { continue }
                counts[attribute] = (before.mapValues(\.count), after.mapValues(\.count))
            }
        }
        if let decision = current.decisions.keys.sorted().first(where: { baseline.decisions[$0] != nil }),
           let now = current.decisions[decision], let then = baseline.decisions[decision] {
            for (attribute, after) in now.attributes where counts[attribute] == nil {
                guard let before = then.attributes[attribute] else { continue }
                counts[attribute] = (before.groups.mapValues(\.count), after.groups.mapValues(\.count))
            }
        }
        var notes: [String] = []
        for attribute in counts.keys.sorted() {
            guard case let (before, after)? = counts[attribute] else { continue }
            let rowsBefore = before.filter { $0.value > 0 }, rowsAfter = after.filter { $0.value > 0 }
            for group in Set(rowsBefore.keys).union(rowsAfter.keys).sorted() {
                let (was, now) = (rowsBefore[group] ?? 0, rowsAfter[group] ?? 0)
                // No count: a published view withholds a small group's, and renames the
                // group (``groupChangeNoteAttribute(_:among:)``).
                if (was > 0) != (now > 0) {
                    notes.append("\(groupNotePrefix)\(group)' of \(attribute) " + (now == 0 ? goneGroupText : newGroupText))
                }
            }
        }
        return notes
    }

    /// How a note of ``groupChangeNotes(current:baseline:)`` begins, the group's name next.
    static let groupNotePrefix = "group '"
    /// How a note of ``groupChangeNotes(current:baseline:)`` on a group gone ends, after its
    /// attribute.
    static let goneGroupText = "has no scored rows now, and had some in the baseline: its comparisons are insufficient evidence"
    /// How a note of ``groupChangeNotes(current:baseline:)`` on a new group ends.
    static let newGroupText = "is new: it has scored rows now, and had none in the baseline"

    /// The attribute a note of ``groupChangeNotes(current:baseline:)`` is about, among
    /// `attributes`, or `nil` for any other note: a published view renames the group it
    /// quotes (``WithheldGroupNames``).
    static func groupChangeNoteAttribute(_ note: String, among attributes: [String]) -> String? {
        guard note.hasPrefix(groupNotePrefix) else { return nil }
        // The longest name first: `ethnicity*gender` before `gender`.
        return attributes.sorted { $0.count > $1.count }.first { attribute in
            note.hasSuffix("' of \(attribute) \(goneGroupText)") || note.hasSuffix("' of \(attribute) \(newGroupText)")
        }
    }

    /// The note that `attribute`'s reference group under `decision` changed since the
    /// baseline, its groups quoted as findings' reasons quote them, so that a published view
    /// replaces a withheld name with its placeholder (``WithheldGroupNames``).
    static func referenceChangedNote(attribute: String, decision: String, from: String?, to: String?) -> String {
        func quoted(_ group: String?) -> String { group.map { "'\($0)'" } ?? "none" }
        return referenceChangedPrefix(attribute: attribute, decision: decision)
            + "\(quoted(from)) to \(quoted(to)): its group differences were not compared"
    }

    /// How ``referenceChangedNote(attribute:decision:from:to:)`` begins.
    static func referenceChangedPrefix(attribute: String, decision: String) -> String {
        "the reference group of \(attribute) under \(decision) changed from "
    }

    private func groupDifferenceComparisons(decision: String, attributeName: String, baseline: AuditReport.AttributeReport,
                                            current: AuditReport.AttributeReport, notes: inout [String]) -> [Pending] {
        guard baseline.referenceGroup == current.referenceGroup else {
            notes.append(Self.referenceChangedNote(attribute: attributeName, decision: decision,
                                                   from: baseline.referenceGroup, to: current.referenceGroup))
            return []
        }
        var pending: [Pending] = []
        for metric in spec.comparedGroupMetrics {
            guard let now = current.disparities[metric], let then = baseline.disparities[metric] else { continue }
            // A group on one side only is said, not skipped: a group gone since the baseline
            // left its comparisons out without a word ("76 compared" where there were 78).
            let groups = Set(now.differenceToReference.keys).union(then.differenceToReference.keys)
            for group in groups.sorted() where group != current.referenceGroup {
                // Rows on one side only: an intersection lists its groups with no rows too, as
                // undefined, which said "undefined now" for a group that had gone.
                let (rowsThen, rowsNow) = (baseline.groups[group]?.count ?? 0, current.groups[group]?.count ?? 0)
                let oneSided = (rowsThen == 0) != (rowsNow == 0)
                guard !oneSided, let estimate = now.differenceToReference[group], let previous = then.differenceToReference[group] else {
                    var finding = Finding(kind: .groupDifference, metric: metric, decision: decision, attribute: attributeName, group: group,
                                          baseline: then.differenceToReference[group]?.value, current: now.differenceToReference[group]?.value,
                                          change: nil, tolerance: spec.tolerance, verdict: .insufficientEvidence, reason: "")
                    finding.baselineCount = rowsThen
                    let new = then.differenceToReference[group] == nil || (oneSided && rowsThen == 0)
                    pending.append(Pending(finding: finding, test: .undecided(new ? "a new group: not in the baseline" : "no rows of this group now")))
                    continue
                }
                // Effective rows when weighted (`effective_count`), as the audit's own verdicts count.
                let counts = (baseline.groups[group]?.evidenceCount ?? 0, current.groups[group]?.evidenceCount ?? 0)
                let effective = baseline.groups[group]?.effectiveCount != nil || current.groups[group]?.effectiveCount != nil
                let rows = effective ? "effective rows by their weights" : "rows"
                let small = min(counts.0, counts.1) < minimumGroupSize
                    ? "group '\(group)' has \(counts.1) \(rows) (\(counts.0) in the baseline), under the minimum of \(minimumGroupSize)" : nil
                var compared = compare(kind: .groupDifference, metric: metric, decision: decision, attribute: attributeName,
                                       group: group, baseline: previous, current: estimate, smallGroup: small)
                compared.finding.baselineCount = baseline.groups[group]?.count ?? 0
                pending.append(compared)
            }
        }
        return pending
    }

    /// One value against its baseline; its verdict comes later (``judge(_:tests:)``).
    private func compare(kind: AuditReport.DriftKind, metric: String, decision: String, attribute: String, group: String?,
                         baseline: AuditReport.Estimate, current: AuditReport.Estimate, smallGroup: String?) -> Pending {
        var finding = Finding(kind: kind, metric: metric, decision: decision, attribute: attribute, group: group,
                              baseline: baseline.value, current: current.value, change: nil,
                              tolerance: spec.tolerance, verdict: .insufficientEvidence, reason: "")
        guard let then = baseline.value, let now = current.value else {
            let which = baseline.value == nil ? (current.value == nil ? "in both audits" : "in the baseline") : "now"
            let why = (baseline.value == nil ? baseline.undefinedReason : current.undefinedReason).map { " (\($0))" } ?? ""
            return Pending(finding: finding, test: .undecided("undefined \(which)\(why)"))
        }
        finding.change = now - then
        let interval = Self.differenceInterval(current: (now, current.interval), baseline: (then, baseline.interval))
        if let smallGroup {
            finding.interval = interval
            return Pending(finding: finding, test: .undecided(smallGroup))
        }
        return Pending(finding: finding, test: .interval(interval))
    }

    // MARK: - Scores and shares

    private func psiComparisons(baseline: AuditReport.ScoreDistribution, current: AuditReport.ScoreDistribution,
                                counts: [String: [String: [Int]]]) -> [Pending] {
        var pending: [Pending] = []
        for attribute in current.attributes.keys.sorted() {
            guard let then = baseline.attributes[attribute], let now = current.attributes[attribute] else { continue }
            for group in Set(then.keys).union(now.keys).sorted() {
                var finding = Finding(kind: .psi, metric: "psi", attribute: attribute, group: group, baseline: nil, current: nil,
                                      change: nil, baselineCount: then[group]?.count ?? 0, tolerance: spec.psi,
                                      verdict: .insufficientEvidence, reason: "")
                guard let before = then[group] else {
                    pending.append(Pending(finding: finding, test: .undecided("a new group: not in the baseline")))
                    continue
                }
                guard let histogram = now[group], let counted = counts[attribute]?[group], counted.count == before.counts.count else {
                    pending.append(Pending(finding: finding, test: .undecided("no scored rows of this group now")))
                    continue
                }
                finding.change = PopulationStability.index(baseline: before.counts, current: counted)
                if min(before.count, histogram.count) < minimumGroupSize {
                    pending.append(Pending(finding: finding, test: .undecided(
                        "group '\(group)' has \(histogram.count) scored rows (\(before.count) in the baseline), under the minimum of \(minimumGroupSize)")))
                    continue
                }
                let pValue = PopulationStability.pValue(psi: finding.change ?? 0, baselineCount: before.count,
                                                        currentCount: histogram.count, bins: before.counts.count)
                finding.pValue = pValue
                pending.append(Pending(finding: finding, test: .psi(pValue: pValue)))
            }
        }
        return pending
    }

    private func shareComparisons(baseline: AuditReport.ScoreDistribution, current: AuditReport.ScoreDistribution) -> [Pending] {
        var pending: [Pending] = []
        for attribute in current.attributes.keys.sorted() {
            guard let then = baseline.attributes[attribute], let now = current.attributes[attribute] else { continue }
            let totalThen = Double(then.values.reduce(0) { $0 + $1.count })
            let totalNow = Double(now.values.reduce(0) { $0 + $1.count })
            guard totalThen > 0, totalNow > 0 else { continue }
            for group in Set(then.keys).union(now.keys).sorted() {
                let before = Double(then[group]?.count ?? 0) / totalThen
                let after = Double(now[group]?.count ?? 0) / totalNow
                let interval = Self.differenceInterval(
                    current: (after, ConfidenceInterval.wilson(proportion: after, sampleSize: totalNow, level: level).map { [$0.lower, $0.upper] }),
                    baseline: (before, ConfidenceInterval.wilson(proportion: before, sampleSize: totalThen, level: level).map { [$0.lower, $0.upper] }))
                pending.append(Pending(finding: Finding(kind: .share, metric: "share", attribute: attribute, group: group,
                                                        baseline: before, current: after, change: after - before,
                                                        baselineCount: then[group]?.count ?? 0,
                                                        tolerance: spec.shareShift, verdict: .insufficientEvidence, reason: ""),
                                       test: .interval(interval)))
            }
        }
        return pending
    }

    // MARK: - Numbers in reasons

    static func signed(_ value: Double) -> String {
        (value >= 0 ? "+" : "-") + String(format: "%.3f", abs(value))
    }

    static func plain(_ value: Double) -> String {
        String(format: "%g", value)
    }

    static func small(_ value: Double) -> String {
        value < 0.0001 ? String(format: "%.1e", value) : String(format: "%.4f", value)
    }

    static func pValueText(_ value: Double) -> String {
        value < 0.0001 ? "p < 0.0001" : "p = " + String(format: "%.4f", value)
    }
}
