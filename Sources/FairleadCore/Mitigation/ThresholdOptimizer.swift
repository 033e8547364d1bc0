/// Group-specific (randomized) score thresholds that equalize a rate across groups,
/// chosen to keep the most of an objective: Fairlearn's `ThresholdOptimizer`
/// (Hardt, Price & Srebro 2016, *Equality of Opportunity in Supervised Learning*),
/// computed from each group's cumulative selections down the score queue — never by
/// re-scanning rows per candidate.
///
/// - **Demographic parity** / **true positive rate parity** (Fairlearn's "simple
///   constraints"): each group's ``OperatingCurve`` over (rate, accuracy) is interpolated
///   on the grid x = 0, 1/g, …, 1 (g = `gridSize`, Fairlearn's default 1000); at each x every
///   group has rate x, and the x with the best objective wins (the first on a tie).
/// - **Equalized odds**: each group's ROC hull (FPR, TPR) is interpolated on the grid;
///   at each FPR x the common TPR is the lowest group's, y_min(x); a group above it mixes
///   in the constant prediction x with probability p_ignore = (y_g − y_min) / (y_g − x) —
///   the randomization exact equalized odds needs.
///
/// Weights: every count is Σw (Fairlearn ignores sample weights; unweighted the two agree).
///
///     let options = try ThresholdOptimizer.optimize(ranking, constraint: .demographicParity,
///                                                   objective: .accuracy)
///     options.groups[0].mixture.p0          // probability of the first threshold rule
public enum ThresholdOptimizer {
    /// The parity the thresholds enforce exactly (in expectation).
    public enum Constraint: String, Sendable, CaseIterable, Codable {
        /// Equal selection rates (Fairlearn `"demographic_parity"`).
        case demographicParity = "demographic_parity"
        /// Equal true positive rates (Fairlearn `"true_positive_rate_parity"`; equal opportunity).
        case truePositiveRateParity = "true_positive_rate_parity"
        /// Equal true and false positive rates (Fairlearn `"equalized_odds"`).
        case equalizedOdds = "equalized_odds"

        /// The rate on the curve's x axis.
        public enum Rate: Sendable { case selectionRate, truePositiveRate, falsePositiveRate }
    }

    /// What the chosen point maximizes.
    public enum Objective: Sendable, Hashable {
        /// (TP + TN) / W overall — Fairlearn's default `"accuracy_score"`; the goldens' case.
        case accuracy
        /// Σw·y over selected rows (expected conversions reached) with Σw over selected
        /// rows at most `capacity` — the leads a team can work; a tie goes to fewer
        /// selections. For a top-k decision this is precision at capacity k.
        case conversions(capacity: Double)
    }

    /// One group's rule: select by `mixture` (two threshold rules mixed), and with
    /// probability `ignoreProbability` instead select at random with probability
    /// `constantPrediction` (equalized odds only; 0 otherwise).
    public struct GroupRule: Sendable, Hashable {
        public var mixture: OperatingCurve.Mixture
        public var ignoreProbability: Double
        public var constantPrediction: Double
        /// Σw over the group's counted rows with y = 1 and y = 0.
        public var positives: Double
        public var negatives: Double

        /// Expected Σw over selected rows with y = 1.
        public var truePositives: Double {
            (1 - ignoreProbability) * mixture.truePositives + ignoreProbability * constantPrediction * positives
        }
        /// Expected Σw over selected rows with y = 0.
        public var falsePositives: Double {
            (1 - ignoreProbability) * mixture.falsePositives + ignoreProbability * constantPrediction * negatives
        }

        /// The probability that a row with this score is selected.
        public func selectionProbability(score: Double) -> Double {
            func selects(_ vertex: OperatingCurve.Vertex) -> Double {
                guard let threshold = vertex.threshold else { return 0 }
                return score >= threshold ? 1 : 0
            }
            let mixed = mixture.p0 * selects(mixture.vertex0) + mixture.p1 * selects(mixture.vertex1)
            return (1 - ignoreProbability) * mixed + ignoreProbability * constantPrediction
        }
    }

    /// The chosen thresholds.
    public struct Solution: Sendable {
        public var constraint: Constraint
        /// The common rate: the selection rate, the TPR, or (equalized odds) the FPR.
        public var x: Double
        /// Equalized odds: the common TPR; otherwise `nil`.
        public var commonTruePositiveRate: Double?
        /// The objective's value at the chosen point (accuracy, or expected conversions).
        public var objectiveValue: Double
        /// Per group, in the ranking's group order.
        public var groups: [GroupRule]
    }

    /// Why no threshold of `ranking` trades conversions off against the rest: a group
    /// with rows has only positives or only negatives (Fairlearn's "degenerate labels");
    /// `nil` when every group has both. ``optimize(_:constraint:objective:gridSize:)``
    /// refuses such a ranking; a caller with other attributes to try asks first.
    public static func degenerateLabels(_ ranking: GroupedRanking) -> String? {
        for group in 0..<ranking.groupCount where ranking.weights[group] > 0
            && (ranking.positiveWeights[group] <= 0 || ranking.negativeWeights[group] <= 0) {
            return "group '\(ranking.groups[group])' has only \(ranking.positiveWeights[group] > 0 ? "converted" : "unconverted") leads: no threshold trades one off against the other (Fairlearn: degenerate labels)"
        }
        return nil
    }

    /// The thresholds on `ranking` that satisfy `constraint`, or `nil` when no grid point
    /// meets the objective's capacity.
    ///
    /// - Throws: ``FairleadError`` `.invalidData` when the ranking has no labels, or a
    ///   group with rows has only positives or only negatives (Fairlearn's "degenerate
    ///   labels").
    public static func optimize(_ ranking: GroupedRanking, constraint: Constraint, objective: Objective,
                                gridSize: Int = 1000) throws -> Solution? {
        precondition(gridSize >= 1, "a grid needs at least one step")
        guard ranking.isLabeled else {
            throw FairleadError(.invalidData, "threshold options need labels: every constraint but demographic parity compares outcomes, and every objective counts conversions")
        }
        let steps = _CumulativeSelections(ranking)
        let groupCount = ranking.groupCount
        let active = (0..<groupCount).filter { ranking.weights[$0] > 0 }
        if let degenerate = degenerateLabels(ranking) { throw FairleadError(.invalidData, degenerate) }
        var grid = (0...gridSize).map { Double($0) / Double(gridSize) }
        let total = active.reduce(0.0) { $0 + ranking.weights[$1] }
        if case .conversions(let capacity) = objective, constraint == .demographicParity, total > 0 {
            // The capacity's own selection rate, so that the best point is not lost between ticks.
            let exact = min(1, max(0, capacity / total))
            if !grid.contains(exact) { grid.append(exact); grid.sort() }
        }
        let rate: Constraint.Rate
        switch constraint {
        case .demographicParity: rate = .selectionRate
        case .truePositiveRateParity: rate = .truePositiveRate
        case .equalizedOdds: rate = .falsePositiveRate
        }
        var curves: [Int: [OperatingCurve.Mixture]] = [:]
        for group in active {
            let curve: OperatingCurve
            if constraint == .equalizedOdds {
                curve = OperatingCurve(rocSteps: steps.steps(group: group), positives: ranking.positiveWeights[group],
                                       negatives: ranking.negativeWeights[group])
            } else {
                curve = OperatingCurve(steps: steps.steps(group: group), positives: ranking.positiveWeights[group],
                                       negatives: ranking.negativeWeights[group], rate: rate, objective: objective)
            }
            curves[group] = curve.interpolate(grid)
        }
        let positives = active.reduce(0.0) { $0 + ranking.positiveWeights[$1] }
        let negatives = active.reduce(0.0) { $0 + ranking.negativeWeights[$1] }
        var best: (index: Int, value: Double, selected: Double)?
        for index in grid.indices {
            var tp = 0.0, fp = 0.0, weighted = 0.0
            var yMin = Double.infinity
            for group in active {
                guard let point = curves[group]?[index] else { continue }
                tp += point.truePositives
                fp += point.falsePositives
                weighted += ranking.weights[group] / total * point.y
                yMin = min(yMin, point.y)
            }
            if constraint == .equalizedOdds {
                tp = positives * yMin
                fp = negatives * grid[index]
                let accuracy = (tp + negatives - fp) / (positives + negatives)
                weighted = (accuracy * 1e15).rounded() / 1e15  // numpy.around(…, 15)
            }
            let value: Double
            switch objective {
            case .accuracy: value = weighted
            case .conversions(let capacity):
                guard tp + fp <= capacity * (1 + 1e-12) else { continue }
                value = tp
            }
            if let current = best {
                let tieBreaksToFewer: Bool
                if case .conversions = objective { tieBreaksToFewer = value == current.value && tp + fp < current.selected }
                else { tieBreaksToFewer = false }
                if value > current.value || tieBreaksToFewer { best = (index, value, tp + fp) }
            } else {
                best = (index, value, tp + fp)
            }
        }
        guard let chosen = best else { return nil }
        let x = grid[chosen.index]
        var yBest: Double?
        if constraint == .equalizedOdds {
            yBest = active.compactMap { curves[$0]?[chosen.index].y }.min()
        }
        var rules: [GroupRule] = []
        for group in 0..<groupCount {
            let positives = ranking.positiveWeights[group], negatives = ranking.negativeWeights[group]
            guard let point = curves[group]?[chosen.index] else {
                let none = OperatingCurve.Vertex(threshold: nil, truePositives: 0, falsePositives: 0, x: 0, y: 0)
                rules.append(GroupRule(mixture: .init(p0: 1, vertex0: none, p1: 0, vertex1: none, x: x, y: 0),
                                       ignoreProbability: 0, constantPrediction: 0, positives: positives, negatives: negatives))
                continue
            }
            var ignore = 0.0
            if let yBest, point.y != point.x {
                ignore = (point.y - yBest) / (point.y - point.x)
            }
            rules.append(GroupRule(mixture: point, ignoreProbability: ignore, constantPrediction: yBest == nil ? 0 : x,
                                   positives: positives, negatives: negatives))
        }
        return Solution(constraint: constraint, x: x, commonTruePositiveRate: yBest, objectiveValue: chosen.value, groups: rules)
    }
}

/// Each group's cumulative selections at each of its distinct scores, highest first.
struct _CumulativeSelections {
    private var perGroup: [[(threshold: Double, truePositives: Double, falsePositives: Double)]]

    init(_ ranking: GroupedRanking) {
        var perGroup = [[(threshold: Double, truePositives: Double, falsePositives: Double)]](repeating: [], count: ranking.groupCount)
        var running = [(Double, Double)](repeating: (0, 0), count: ranking.groupCount)
        ranking.withGroupCodes { codes in
            ranking.ranking.scores.withUnsafeBufferPointer { scores in
                _withOptionalBuffer(ranking.ranking.labels) { labels in
                    _withOptionalBuffer(ranking.ranking.weights) { weights in
                        for position in 0..<codes.count {
                            let code = codes[position]
                            guard code >= 0 else { continue }
                            let group = Int(code)
                            let weight = weights?[position] ?? 1
                            if labels?[position] == 1 { running[group].0 += weight } else { running[group].1 += weight }
                            let score = scores[position]
                            if let last = perGroup[group].last, last.threshold == score {
                                perGroup[group][perGroup[group].count - 1] = (score, running[group].0, running[group].1)
                            } else {
                                perGroup[group].append((score, running[group].0, running[group].1))
                            }
                        }
                    }
                }
            }
        }
        self.perGroup = perGroup
    }

    func steps(group: Int) -> [(threshold: Double, truePositives: Double, falsePositives: Double)] { perGroup[group] }
}
