import FairleadCore

/// The scale the score column is on: the profile's `data.score_range` when it declares
/// one, else the range the scores were observed to take (reported either way).
///
/// It governs the audit: a threshold outside a declared range is an error (found before
/// any row is read, by `validate` too); the threshold sweep runs over the range; and
/// calibration metrics (ECE, Brier score, calibration in the large) are computed only
/// for probability scores — a range inside [0, 1] — and are otherwise reported as not
/// applicable, with the reason.
struct ScoreScale: Sendable, Equatable {
    var range: ClosedRange<Double>?
    var isDeclared: Bool

    static func resolve(declared: ClosedRange<Double>?, scores: [Double]) -> ScoreScale {
        resolve(declared: declared, observed: observedRange(scores))
    }

    static func resolve(declared: ClosedRange<Double>?, observed: ClosedRange<Double>?) -> ScoreScale {
        if let declared { return ScoreScale(range: declared, isDeclared: true) }
        return ScoreScale(range: observed, isDeclared: false)
    }

    /// Whether the scores are probabilities: every one in [0, 1].
    var isProbability: Bool {
        guard let range else { return true }
        return range.lowerBound >= 0 && range.upperBound <= 1
    }

    /// Why calibration does not apply, or `nil` when it does.
    var notProbabilities: String? {
        guard !isProbability, let range else { return nil }
        return "scores \(isDeclared ? "are declared on" : "run") \(Self.text(range)), not probabilities in [0, 1]"
    }

    /// 101 evenly spaced thresholds over the range (0, 0.01, …, 1 for probabilities).
    var sweepGrid: ThresholdGrid {
        guard let range, !isProbability, range.upperBound > range.lowerBound else { return .standard }
        let step = (range.upperBound - range.lowerBound) / 100
        return .values((0...100).map { index in
            if index == 100 { return range.upperBound }
            // The width of scores from -1e308 to 1e308 overflows, and every threshold of
            // an infinite step was NaN: weighted there instead.
            let t = Double(index) / 100
            return step.isFinite ? range.lowerBound + Double(index) * step : range.lowerBound * (1 - t) + range.upperBound * t
        })
    }

    /// The grid thresholds of `range` (a run of the sweep) that select some scored rows but
    /// not all — above the lowest observed score, at most the highest — or `nil` when none
    /// does: a rule "holds" at a threshold that selects everyone or no one only because
    /// it compares nothing.
    func decisiveRange(_ range: ClosedRange<Double>, observed: ClosedRange<Double>?) -> ClosedRange<Double>? {
        guard let observed else { return nil }
        let points: [Double]
        switch sweepGrid {
        case .values(let values): points = values
        default: points = (0...100).map { $0 == 100 ? 1 : Double($0) * 0.01 }
        }
        let kept = points.filter { range.contains($0) && $0 > observed.lowerBound && $0 <= observed.upperBound }
        guard let low = kept.first, let high = kept.last else { return nil }
        return low...high
    }

    /// The report's account of the scale.
    var info: AuditReport.ScoreScaleInfo? {
        range.map { AuditReport.ScoreScaleInfo(range: [$0.lowerBound, $0.upperBound], source: isDeclared ? "declared" : "observed",
                                               probabilities: isProbability) }
    }

    /// A threshold outside the observed range selects every row or none: without a
    /// declared `score_range` it is an error, as one outside a declared range is (that
    /// one is found before any row is read, by ``AuditPreflight``).
    func checkThresholds(_ decisions: [AuditProfile.DecisionSpec], dataPath: String) throws {
        guard !isDeclared, let range else { return }
        for decision in decisions {
            guard case .threshold(let threshold) = decision.kind, !range.contains(threshold) else { continue }
            throw FairleadError(.invalidData,
                                "the threshold \(FindingJudge.format(threshold)) of decision '\(decision.name)' lies outside the scores' observed range \(Self.text(range)): it selects \(threshold > range.upperBound ? "no lead" : "every lead"); give a threshold inside it, or declare data.score_range",
                                at: SourceLocation(file: dataPath))
        }
    }

    /// A fraction as threshold that reads the scores on another scale (``readsAnotherScale(_:)``)
    /// and selects more than ``nearlyEveryLead`` of the rows used is an error too: 0.5 on
    /// scores of 0–100, where the rules judged would pass on a decision no one makes. The
    /// share, not the lowest score, tells that scale from log-odds: one score of -0.01
    /// among scores of 0–100 made them "log-odds", and the audit passed with a note. The
    /// rows used are those the decision's groups count, the same from the rows and from
    /// statistics parts (``DecisionEvaluation``) and in `mitigate`.
    func checkSelection(_ decision: AuditProfile.DecisionSpec, selected: Int, used: Int, dataPath: String?) throws {
        guard case .threshold(let threshold) = decision.kind, readsAnotherScale(threshold), let range, used > 0 else { return }
        let share = Double(selected) / Double(used)
        guard share > Self.nearlyEveryLead else { return }
        let example = threshold * 100 <= range.upperBound && range.upperBound <= 100 ? " (\(FindingJudge.format(threshold * 100)) on a 0–100 scale)" : ""
        throw FairleadError(.invalidData,
                            "the threshold \(FindingJudge.format(threshold)) of decision '\(decision.name)' looks like a probability, but the scores run \(Self.text(range)) and it selects \(Self.percent(share)) of the \(used) rows used (\(selected)): give a threshold on their scale\(example), or declare data.score_range (--score-range) if \(FindingJudge.format(threshold)) is meant on it",
                            at: SourceLocation(file: dataPath))
    }

    /// The share of rows used above which a fraction as threshold on another scale is
    /// refused: a decision that selects more than nine leads in ten at a threshold that
    /// reads like a probability is a scale mistake far more often than a policy.
    static let nearlyEveryLead = 0.9

    /// `99.7%`; rounded away from 90% and 100%, which it is not: `90.02%`, `> 99.9%`.
    static func percent(_ share: Double) -> String {
        if share < 1 && share > 0.999 { return "> 99.9%" }
        let tenths = (share * 1000).rounded() / 10
        return tenths <= nearlyEveryLead * 100 ? "\(FindingJudge.format((share * 10000).rounded() / 100))%" : "\(FindingJudge.format(tenths))%"
    }

    /// Whether `threshold`, a fraction strictly between 0 and 1, may read scores observed
    /// on another scale: scores that run beyond 1.5, where no probability lies. Not with a
    /// declared range, which says the scale is meant; not for 0 or 1, whole numbers on any
    /// scale. Refused when it selects nearly every lead (``checkSelection(_:selected:used:dataPath:)``),
    /// noted otherwise (``notes(decisions:)``).
    func readsAnotherScale(_ threshold: Double) -> Bool {
        guard let range, !isDeclared else { return false }
        return range.upperBound > 1.5 && threshold > 0 && threshold < 1
    }

    /// Notes for the report: a threshold that may read the scores on another scale, of
    /// ``checkSelection(_:selected:used:dataPath:)`` may let through.
    func notes(decisions: [AuditProfile.DecisionSpec]) -> [String] {
        guard let range, !isDeclared, range.upperBound > 1.5 else { return [] }
        return decisions.compactMap { decision in
            guard case .threshold(let threshold) = decision.kind, threshold >= 0, threshold <= 1 else { return nil }
            return "decision \(decision.name): the threshold \(FindingJudge.format(threshold)) looks like a probability, "
                + "but the scores run \(Self.text(range)); declare data.score_range if this is the intended scale"
        }
    }

    static func text(_ range: ClosedRange<Double>) -> String {
        "\(FindingJudge.format(range.lowerBound))–\(FindingJudge.format(range.upperBound))"
    }
}
