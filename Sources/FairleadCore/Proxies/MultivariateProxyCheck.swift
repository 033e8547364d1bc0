/// How well all features together predict a sensitive attribute: per group, the
/// cross-validated AUC of an L2-regularized logistic regression
/// (``RegularizedLogisticRegression``) of the group indicator on the features. A model
/// whose features predict ethnicity with AUC 0.95 can discriminate by ethnicity without
/// ever reading it, even when no single feature looks like a proxy.
///
/// Rows whose sensitive value is missing are left out. Row i belongs to fold i mod k;
/// each fold's rows are predicted by a model fitted on the others, with features
/// standardized by the training rows' mean and population standard deviation (missing
/// values set to the training mean; a constant column is only centred), and the AUC is
/// taken over all out-of-fold predictions — scikit-learn's `LogisticRegression(C = 1/λ)`
/// and `roc_auc_score` on the same folds give the same numbers.
///
///     let check = try MultivariateProxyCheck(features: x, attribute: ethnicity, folds: 5, l2: 1)
///     check.groups.first { $0.group == "black" }?.crossValidatedAUC   // 0.95 on the leads sample
public struct MultivariateProxyCheck: Sendable, Equatable {
    /// One group's result.
    public struct GroupResult: Sendable, Equatable {
        /// The group (a value of the attribute).
        public let group: String
        /// Rows in the group.
        public let positives: Int
        /// The cross-validated AUC of predicting the group from all features.
        public let crossValidatedAUC: Double
    }

    /// The attribute.
    public let attribute: String
    /// Rows used (sensitive value known).
    public let rows: Int
    /// Feature columns used.
    public let featureCount: Int
    /// Folds of the cross-validation.
    public let folds: Int
    /// The L2 penalty λ.
    public let l2: Double
    /// Per group, ordered by name (groups with fewer than `folds` rows on either side are left out).
    public let groups: [GroupResult]

    /// The group predicted best.
    public var best: GroupResult? {
        groups.max { ($0.crossValidatedAUC, $1.group) < ($1.crossValidatedAUC, $0.group) }
    }

    /// Runs the check of `attribute` on `features` (one row per row of the attribute).
    ///
    /// - Throws: `FairleadError(.invalidData)` when a fit fails (see ``RegularizedLogisticRegression``).
    public init(features: Matrix, attribute: SensitiveAttribute, folds: Int = 5, l2: Double = 1) throws {
        precondition(features.rows == attribute.codes.count, "one feature row per row of the attribute")
        precondition(folds >= 2, "cross-validation needs two folds or more")
        let known = attribute.codes.indices.filter { attribute.codes[$0] >= 0 }
        let p = features.columns
        var data = [Double]()
        data.reserveCapacity(known.count * p)
        for row in known { data += features.row(row) }
        let x = Matrix(rows: known.count, columns: p, values: data)
        let fold = known.indices.map { $0 % folds }
        // Standardized copies of the data per fold (training statistics), shared by the groups.
        let standardized = (0..<folds).map { k in Self.standardize(x, isTraining: fold.map { $0 != k }) }
        var results: [GroupResult] = []
        let names = Set(known.map { attribute.levels[Int(attribute.codes[$0])] }).sorted()
        for name in names {
            let labels = known.map { attribute.levels[Int(attribute.codes[$0])] == name ? 1.0 : 0.0 }
            let positives = Int(labels.reduce(0, +))
            guard positives >= folds, known.count - positives >= folds else { continue }
            var predicted = [Double](repeating: 0, count: known.count)
            for k in 0..<folds {
                let train = fold.indices.filter { fold[$0] != k }
                let test = fold.indices.filter { fold[$0] == k }
                let z = standardized[k]
                let model = try RegularizedLogisticRegression(features: Self.rows(train, of: z), labels: train.map { labels[$0] }, l2: l2)
                for (row, value) in zip(test, model.linearPredictor(Self.rows(test, of: z))) { predicted[row] = value }
            }
            if let auc = ROCAUC.area(scores: predicted, labels: labels.map { $0 == 1 }) {
                results.append(GroupResult(group: name, positives: positives, crossValidatedAUC: auc))
            }
        }
        self.attribute = attribute.name
        self.rows = known.count
        self.featureCount = p
        self.folds = folds
        self.l2 = l2
        self.groups = results
    }

    /// `x` centred and scaled by the mean and population standard deviation of the
    /// training rows, missing values set to that mean (so they land on 0).
    private static func standardize(_ x: Matrix, isTraining: [Bool]) -> Matrix {
        let (n, p) = (x.rows, x.columns)
        var mean = [Double](repeating: 0, count: p)
        var count = [Double](repeating: 0, count: p)
        var scale = [Double](repeating: 0, count: p)
        let trainingRows = Double(isTraining.filter { $0 }.count)
        x.withUnsafeBufferPointer { values in
            for row in 0..<n where isTraining[row] {
                for column in 0..<p where !values[row * p + column].isNaN {
                    mean[column] += values[row * p + column]
                    count[column] += 1
                }
            }
            for column in 0..<p { mean[column] = count[column] > 0 ? mean[column] / count[column] : 0 }
            for row in 0..<n where isTraining[row] {
                for column in 0..<p {
                    let value = values[row * p + column]
                    let deviation = value.isNaN ? 0 : value - mean[column]
                    scale[column] += deviation * deviation
                }
            }
        }
        for column in 0..<p {
            let deviation = (scale[column] / max(1, trainingRows)).squareRoot()
            scale[column] = deviation > 0 ? deviation : 1
        }
        return Matrix(rows: n, columns: p) { output in
            x.withUnsafeBufferPointer { values in
                for row in 0..<n {
                    for column in 0..<p {
                        let value = values[row * p + column]
                        output[row * p + column] = value.isNaN ? 0 : (value - mean[column]) / scale[column]
                    }
                }
            }
        }
    }

    private static func rows(_ indices: [Int], of x: Matrix) -> Matrix {
        var values = [Double]()
        values.reserveCapacity(indices.count * x.columns)
        for row in indices { values += x.row(row) }
        return Matrix(rows: indices.count, columns: x.columns, values: values)
    }
}
