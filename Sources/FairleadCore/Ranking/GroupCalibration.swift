/// Calibration within each group: does a score of 0.3 mean a 30% conversion rate for
/// every group alike?
///
/// Scores fall into `binCount` uniform bins over [0, 1] with edges e_i = i · (1/binCount)
/// (numpy's `linspace`), a score s going to the bin numbered by how many inner edges lie
/// strictly below it — so bins are [0, e₁], (e₁, e₂], …, (e_{B−1}, 1], and a score below 0
/// or above 1 (possible with a wider score range) goes to the first or last bin. This is
/// scikit-learn's `calibration_curve(strategy="uniform")` binning; its `prob_true` and
/// `prob_pred` are the non-empty bins' ``ReliabilityBin/observedRate`` and
/// ``ReliabilityBin/meanScore`` (unweighted).
///
/// Per group (and overall), with weights w (1 when unweighted) and W = Σw:
///
/// | value | formula | undefined (reason) when |
/// |---|---|---|
/// | `expectedCalibrationError` | Σ_bins (W_bin / W) · \|mean score_bin − observed rate_bin\| | W = 0 (`empty_group`) |
/// | `calibrationInTheLarge` | Σw·s / W − Σw·y / W (mean score − base rate; > 0: over-predicts) | W = 0 |
/// | `brierScore` | Σw·(s − y)² / W (scikit-learn `brier_score_loss`) | W = 0 |
///
/// All need labels (`labels_absent` without). Empty bins are listed with their count 0
/// and undefined means; they add nothing to the ECE.
public struct GroupCalibration: Sendable, Hashable {
    /// One group's (or all rows') calibration.
    public struct Calibration: Sendable, Hashable {
        /// The reliability bins, lowest scores first.
        public var bins: [ReliabilityBin]
        /// Expected calibration error.
        public var expectedCalibrationError: MetricValue
        /// Mean score − base rate.
        public var calibrationInTheLarge: MetricValue
        /// Mean squared difference between score and label.
        public var brierScore: MetricValue
    }

    /// The groups, in the grouping's order.
    public let groups: [GroupKey]
    /// The number of bins.
    public let binCount: Int
    /// Per group, in ``groups`` order.
    public let byGroup: [Calibration]
    /// Over all counted rows.
    public let overall: Calibration

    /// Bins every counted row of `ranking` by group in one pass.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` when `binCount` is below 1.
    public init(_ ranking: GroupedRanking, binCount: Int = 10) throws {
        guard binCount >= 1 else {
            throw FairleadError(.invalidProfile, "calibration needs at least 1 bin, found \(binCount)")
        }
        let groupCount = ranking.groupCount
        let edges = (0...binCount).map { $0 == binCount ? 1.0 : Double($0) * (1 / Double(binCount)) }
        let cellCount = (groupCount + 1) * binCount
        // Per cell (group × bin, then the overall bins): rows, Σw, Σw·s, Σw·y, four to a cell.
        var sums = [Double](repeating: 0, count: cellCount * 4)
        var squaredErrors = [Double](repeating: 0, count: groupCount + 1)
        sums.withUnsafeMutableBufferPointer { sums in
            squaredErrors.withUnsafeMutableBufferPointer { squaredErrors in
                ranking.withGroupCodes { codes in
                    ranking.ranking.scores.withUnsafeBufferPointer { scores in
                        _withOptionalBuffer(ranking.ranking.labels) { labels in
                            _withOptionalBuffer(ranking.ranking.weights) { rowWeights in
                                for position in codes.indices {
                                    let code = codes[position]
                                    if code < 0 { continue }
                                    let score = scores[position]
                                    let bin = Self.bin(of: score, edges: edges)
                                    let weight = rowWeights?[position] ?? 1
                                    let label: Double = labels?[position] == 1 ? 1 : 0
                                    func add(_ cell: Int) {
                                        sums[cell] += 1
                                        sums[cell + 1] += weight
                                        sums[cell + 2] += weight * score
                                        sums[cell + 3] += weight * label
                                    }
                                    // Each row counts in its group's bin and in the overall bin.
                                    add((Int(code) * binCount + bin) * 4)
                                    add((groupCount * binCount + bin) * 4)
                                    let error = weight * (score - label) * (score - label)
                                    squaredErrors[Int(code)] += error
                                    squaredErrors[groupCount] += error
                                }
                            }
                        }
                    }
                }
            }
        }
        let counts = (0..<cellCount).map { Int(sums[$0 * 4]) }
        let weights = (0..<cellCount).map { sums[$0 * 4 + 1] }
        let scoreSums = (0..<cellCount).map { sums[$0 * 4 + 2] }
        let positives = (0..<cellCount).map { sums[$0 * 4 + 3] }
        let labeled = ranking.isLabeled
        let calibrations = (0...groupCount).map { group -> Calibration in
            let range = (group * binCount)..<((group + 1) * binCount)
            let bins = range.map { cell in
                let bin = cell - group * binCount
                return ReliabilityBin(
                    lower: edges[bin], upper: edges[bin + 1], count: counts[cell], weight: weights[cell],
                    meanScore: MetricValue.quotient(scoreSums[cell], weights[cell], else: .emptyGroup),
                    observedRate: labeled ? MetricValue.quotient(positives[cell], weights[cell], else: .emptyGroup)
                        : .undefined(.labelsAbsent))
            }
            let total = range.reduce(0.0) { $0 + weights[$1] }
            guard labeled else {
                return Calibration(bins: bins, expectedCalibrationError: .undefined(.labelsAbsent),
                                   calibrationInTheLarge: .undefined(.labelsAbsent), brierScore: .undefined(.labelsAbsent))
            }
            guard total > 0 else {
                return Calibration(bins: bins, expectedCalibrationError: .undefined(.emptyGroup),
                                   calibrationInTheLarge: .undefined(.emptyGroup), brierScore: .undefined(.emptyGroup))
            }
            var gapSum = 0.0
            for cell in range where weights[cell] > 0 {
                gapSum += weights[cell] * abs(scoreSums[cell] / weights[cell] - positives[cell] / weights[cell])
            }
            let scoreTotal = range.reduce(0.0) { $0 + scoreSums[$1] }
            let positiveTotal = range.reduce(0.0) { $0 + positives[$1] }
            return Calibration(bins: bins, expectedCalibrationError: .value(gapSum / total),
                               calibrationInTheLarge: .value(scoreTotal / total - positiveTotal / total),
                               brierScore: .value(squaredErrors[group] / total))
        }
        self.groups = ranking.groups
        self.binCount = binCount
        self.byGroup = Array(calibrations.prefix(groupCount))
        self.overall = calibrations[groupCount]
    }

    /// The largest defined ECE minus the smallest, over groups.
    public var expectedCalibrationErrorDifference: MetricValue {
        MetricValue.differenceBetweenGroups(byGroup.map(\.expectedCalibrationError))
    }

    /// The largest defined Brier score minus the smallest, over groups.
    public var brierScoreDifference: MetricValue {
        MetricValue.differenceBetweenGroups(byGroup.map(\.brierScore))
    }

    /// The largest defined calibration-in-the-large minus the smallest, over groups.
    public var calibrationInTheLargeDifference: MetricValue {
        MetricValue.differenceBetweenGroups(byGroup.map(\.calibrationInTheLarge))
    }

    /// The number of inner edges strictly below `score` (numpy's `searchsorted`, left).
    @inline(__always)
    static func bin(of score: Double, edges: [Double]) -> Int {
        let last = edges.count - 2
        // Clamped first, so truncation is the floor and never overflows.
        let scaled = score * Double(last + 1)
        var bin = Int(scaled < 0 ? 0 : (scaled > Double(last) ? Double(last) : scaled))
        while bin > 0 && edges[bin] >= score { bin -= 1 }
        while bin < last && edges[bin + 1] < score { bin += 1 }
        return bin
    }
}
