import Foundation

/// KernelSHAP (Lundberg and Lee 2017) for any `Model`: interventional SHAP values of the
/// margin against a background data set, estimated by a weighted linear regression over
/// coalitions of features.
///
/// The value of a coalition S is the background's mean margin with the features in S
/// taken from the explained row: v(S) = (1/R) Σ_b f(x_S, b_{∖S}). Attributions solve the
/// Shapley-kernel weighted least squares subject to additivity (base + Σφ = f(x), exact):
/// - when 2^p − 2 ≤ `sampleCount`, all coalitions are enumerated and the values are the
///   exact Shapley values of this game (standard errors 0);
/// - otherwise `sampleCount` coalitions are drawn as complementary pairs from the kernel
///   distribution (paired sampling, Covert and Lee 2021), seeded per row from `seed`, and
///   each attribution gets a delta-method standard error.
/// The regression runs through BLAS (SYRK, GEMV, GEMM) and a Cholesky solve. The base
/// value is the background's mean margin. For a `TreeEnsemble` the coalition values come
/// from the trees in closed form (`TreeCoalitionGame`, exact double sums), and for a
/// `LinearModel` from the background mean, instead of from coalitions × background model
/// evaluations; the game is the same.
///
///     let kernel = try KernelSHAP(model: model, background: sample, sampleCount: 2048, seed: 7)
///     let attributions = try kernel.explain(x)
///     attributions.standardErrors?[0, 3]
public struct KernelSHAP: Explainer {
    /// The explained model.
    public let model: any Model
    /// The background rows (R × p) that stand in for unknown features.
    public let background: Matrix
    /// Coalitions evaluated per row (rounded down to an even number when sampling).
    public let sampleCount: Int
    /// The seed of the coalition sampler; row i uses stream i of it.
    public let seed: UInt64
    /// The background's mean margin, v(∅).
    public let baseValue: Double
    /// How coalitions are valued: in closed form, or by evaluating the model.
    let valuation: Valuation
    /// The background as a tree ensemble reads it (float32-rounded for XGBoost), when
    /// coalitions are valued by `TreeCoalitionGame`.
    private let treeBackground: Matrix?

    /// How KernelSHAP values the coalitions of a model. The game is the same; the closed
    /// forms only replace coalitions × background model evaluations.
    enum Valuation: Equatable {
        /// A linear model without missing values: from the background mean.
        case linear
        /// A tree ensemble of at most ``treeGameMaxFeatures`` features: `TreeCoalitionGame`,
        /// exact double sums.
        case treeGame
        /// Any other model (or closed forms not allowed): evaluated on batches of synthetic rows.
        case modelEvaluations

        /// The most features the tree game values (its coalitions are 64-bit masks).
        static let treeGameMaxFeatures = 64

        init(_ model: any Model, allowClosedForm: Bool = true) {
            if allowClosedForm, let linear = model as? LinearModel, linear.missingValues == nil {
                self = .linear
            } else if allowClosedForm, let ensemble = model as? TreeEnsemble,
                      ensemble.featureNames.count <= Self.treeGameMaxFeatures {
                self = .treeGame
            } else {
                self = .modelEvaluations
            }
        }
    }

    /// An explainer of `model` against `background`.
    ///
    /// - Throws: `FairleadError(.invalidData)` when the background has no rows.
    public init(model: any Model, background: Matrix, sampleCount: Int = 2048, seed: UInt64 = 0) throws {
        try self.init(model: model, background: background, sampleCount: sampleCount, seed: seed, allowClosedForm: true)
    }

    /// `allowClosedForm: false` values coalitions by model evaluations even for tree
    /// ensembles and linear models.
    init(model: any Model, background: Matrix, sampleCount: Int, seed: UInt64, allowClosedForm: Bool) throws {
        precondition(background.columns == model.featureNames.count,
                     "the background has \(background.columns) columns, the model reads \(model.featureNames.count)")
        precondition(sampleCount >= 2, "KernelSHAP needs at least 2 coalitions")
        guard background.rows > 0 else {
            throw FairleadError(.invalidData, "the background data set for KernelSHAP has no rows")
        }
        self.model = model
        self.background = background
        self.sampleCount = sampleCount
        self.seed = seed
        valuation = Valuation(model, allowClosedForm: allowClosedForm)
        if valuation == .treeGame, let ensemble = model as? TreeEnsemble {
            var prepared = background
            if ensemble.roundsInputsToFloat32 {
                prepared.withUnsafeMutableBufferPointer { values in
                    for index in values.indices { values[index] = Double(Float(values[index])) }
                }
            }
            treeBackground = prepared
        } else {
            treeBackground = nil
        }
        let margins = treeBackground != nil ? (model as? TreeEnsemble)?.exactMargins(background) ?? [] : model.margins(background)
        baseValue = margins.reduce(0, +) / Double(margins.count)
    }

    /// Whether coalitions are valued in closed form from the trees (`TreeCoalitionGame`):
    /// tree ensembles of at most ``Valuation/treeGameMaxFeatures`` features. Their values are then exact double sums, so
    /// base + Σφ equals `TreeEnsemble.exactMargins` (not XGBoost's float32 `margins`).
    public var usesTreeGame: Bool { valuation == .treeGame }

    /// The model's features.
    public var featureNames: [String] { model.featureNames }

    /// The working memory, in bytes, of explaining rows with `sampleCount` coalitions over
    /// `features` features on `threads` threads: per thread, the coalition masks and the
    /// regression's weighted design (each coalitions × p doubles) and the coalition values;
    /// with 2^p − 2 ≤ `sampleCount`, the 2^p − 2 coalitions enumerated instead. Check it
    /// against ``Limits/checkMemory(_:for:)`` before explaining with a sample count a
    /// user chose.
    public static func workingMemory(sampleCount: Int, features: Int, threads: Int) -> Double {
        let coalitions = features <= 30 && (1 << features) - 2 <= sampleCount ? Double((1 << features) - 2) : Double(sampleCount)
        return Double(max(threads, 1)) * coalitions * Double(2 * features + 2) * 8
    }

    /// The synthetic rows of one batch: every background row for each coalition of the
    /// batch, about 65,536 rows and never fewer than the background's.
    public static func batchRows(sampleCount: Int, features: Int, backgroundRows: Int) -> Int {
        let rows = max(backgroundRows, 1)
        let coalitions = features <= 30 && (1 << features) - 2 <= sampleCount ? (1 << features) - 2 : 2 * max(2, sampleCount / 2)
        return min(coalitions, max(1, 65_536 / rows)) * rows
    }

    /// Bytes planned for each synthetic row of a batch: its p doubles, the model's working
    /// copy of them (XGBoost and ONNX trees round the batch to float32 in a copy, a linear
    /// model with missing values imputes one) and its margin, in double and float32.
    static func batchRowBytes(features: Int) -> Double {
        Double(2 * features + 2) * 8
    }

    /// The working memory, in bytes, of explaining rows of `model` against `backgroundRows`
    /// background rows on `threads` threads: ``workingMemory(sampleCount:features:threads:)``
    /// and, when coalitions are valued by evaluating the model (neither a linear model nor
    /// a tree ensemble of at most ``Valuation/treeGameMaxFeatures`` features), each thread's batch of
    /// ``batchRows(sampleCount:features:backgroundRows:)`` synthetic rows at
    /// ``batchRowBytes(features:)``. It needs only counts, so it is checked before the
    /// explainer is built: a batch of 65,536 rows of 100 features is 100 MiB a thread.
    public static func workingMemory(model: any Model, sampleCount: Int, backgroundRows: Int, threads: Int) -> Double {
        let p = model.featureNames.count
        return workingMemory(sampleCount: sampleCount, features: p, threads: threads)
            + batchMemory(Valuation(model), features: p, sampleCount: sampleCount, backgroundRows: backgroundRows,
                          threads: threads)
    }

    private static func batchMemory(_ valuation: Valuation, features p: Int, sampleCount: Int, backgroundRows: Int,
                                    threads: Int) -> Double {
        guard valuation == .modelEvaluations else { return 0 }
        return Double(max(threads, 1)) * Double(batchRows(sampleCount: sampleCount, features: p, backgroundRows: backgroundRows))
            * batchRowBytes(features: p)
    }

    /// Refuses to explain `model` against `backgroundRows` background rows on `threads`
    /// threads when ``workingMemory(model:sampleCount:backgroundRows:threads:)`` is above
    /// `limits.memoryBudgetBytes`, with an error naming ``Limits/Name/memoryBudgetBytes``
    /// that says how much of it is the synthetic batch and what needs less.
    public static func checkWorkingMemory(model: any Model, sampleCount: Int, backgroundRows: Int, threads: Int,
                                          limits: Limits, allowClosedForm: Bool = true) throws {
        try checkWorkingMemory(Valuation(model, allowClosedForm: allowClosedForm), features: model.featureNames.count,
                               sampleCount: sampleCount, backgroundRows: backgroundRows, threads: threads, limits: limits)
    }

    private static func checkWorkingMemory(_ valuation: Valuation, features p: Int, sampleCount: Int, backgroundRows: Int,
                                           threads: Int, limits: Limits) throws {
        let batch = batchMemory(valuation, features: p, sampleCount: sampleCount, backgroundRows: backgroundRows,
                                threads: threads)
        let bytes = workingMemory(sampleCount: sampleCount, features: p, threads: threads) + batch
        let budget = Double(limits.memoryBudgetBytes)
        guard bytes > budget else { return }
        var message = "KernelSHAP with \(sampleCount) samples per row over \(p) features and \(backgroundRows) background rows needs about \(Limits.byteCount(bytes)) of working memory, above the limit of \(Limits.byteCount(budget))"
        if batch > 0 {
            let rows = batchRows(sampleCount: sampleCount, features: p, backgroundRows: backgroundRows)
            message += ", \(Limits.byteCount(batch)) of it for \(threads == 1 ? "the" : "each thread's") batch of \(rows) synthetic rows the model evaluates; fewer background rows or samples per row need less"
        } else {
            message += "; fewer samples per row need less"
        }
        throw FairleadError(.usage, message, limit: .memoryBudgetBytes)
    }

    /// The working memory, in bytes, of explaining rows on `threads` threads with this
    /// explainer: ``workingMemory(model:sampleCount:backgroundRows:threads:)`` of its model,
    /// sample count and background.
    public func workingMemory(threads: Int) -> Double {
        Self.workingMemory(sampleCount: sampleCount, features: featureNames.count, threads: threads)
            + Self.batchMemory(valuation, features: featureNames.count, sampleCount: sampleCount,
                               backgroundRows: background.rows, threads: threads)
    }

    /// ``checkWorkingMemory(model:sampleCount:backgroundRows:threads:limits:allowClosedForm:)``
    /// of this explainer's model, sample count and background.
    public func checkWorkingMemory(threads: Int, limits: Limits) throws {
        try Self.checkWorkingMemory(valuation, features: featureNames.count, sampleCount: sampleCount,
                                    backgroundRows: background.rows, threads: threads, limits: limits)
    }

    /// Whether rows are explained by enumerating every coalition (2^p − 2 ≤ sampleCount).
    public var isExact: Bool {
        let p = featureNames.count
        return p <= 30 && (1 << p) - 2 <= sampleCount
    }

    /// Attributions and standard errors for every row of `features`, on one thread.
    public func explain(_ features: Matrix) throws -> Attributions {
        try explain(features, threads: 1)
    }

    /// Attributions and standard errors for every row, rows split across `threads` threads.
    public func explain(_ features: Matrix, threads: Int) throws -> Attributions {
        try explain(features, threads: threads, cancellation: nil)
    }

    /// Attributions and standard errors for every row, rows split across `threads` threads,
    /// stopping with `CancellationError` once `cancellation` is cancelled or past its
    /// deadline: it is checked before the rows' margins, before each row, before each
    /// batch of coalitions the model values (about 65,536 synthetic rows) and, for the tree
    /// game, before each tree of its set-up and every 64 coalitions, so the work ends within
    /// one such unit of the signal, on every thread.
    public func explain(_ features: Matrix, threads: Int, cancellation: Cancellation?) throws -> Attributions {
        let p = featureNames.count
        precondition(features.columns == p, "the feature matrix has \(features.columns) columns, the model reads \(p)")
        try cancellation?.check()
        let margins = usesTreeGame ? (model as? TreeEnsemble)?.exactMargins(features) ?? [] : model.margins(features)
        var values = Matrix(rows: features.rows, columns: p)
        var errors = Matrix(rows: features.rows, columns: p)
        let exhaustive = isExact && p >= 2 ? KernelSHAPCoalitions.exhaustive(features: p) : nil
        let failure = FailureBox()
        values.withUnsafeMutableBufferPointer { valueBuffer in
            errors.withUnsafeMutableBufferPointer { errorBuffer in
                let outputs = UncheckedSendable((valueBuffer.baseAddress, errorBuffer.baseAddress))
                RowParallelism.forEachChunk(rowCount: features.rows, threads: threads, minimumChunk: 1) { rows in
                    guard let valueOut = outputs.value.0, let errorOut = outputs.value.1 else { return }
                    for row in rows {
                        do {
                            try cancellation?.check()
                            let (phi, se) = try explainRow(Array(features.row(row)), margin: margins[row], index: row,
                                                           exhaustive: exhaustive, cancellation: cancellation)
                            for j in 0..<p {
                                valueOut[row * p + j] = phi[j]
                                errorOut[row * p + j] = se[j]
                            }
                        } catch {
                            failure.record(error)
                            // The other rows of the chunk would stop at their first check.
                            if error is CancellationError { return }
                        }
                    }
                }
            }
        }
        if let error = failure.first { throw error }
        return Attributions(featureNames: featureNames, baseValue: baseValue, values: values, standardErrors: errors)
    }

    private func explainRow(_ x: [Double], margin: Double, index: Int,
                            exhaustive: KernelSHAPCoalitions?,
                            cancellation: Cancellation?) throws -> (phi: [Double], standardErrors: [Double]) {
        let p = x.count
        let delta = margin - baseValue
        guard p >= 2 else {
            return (p == 1 ? [delta] : [], [Double](repeating: 0, count: p))
        }
        let coalitions: KernelSHAPCoalitions
        if let exhaustive {
            coalitions = exhaustive
        } else {
            var generator = SeededGenerator(seed: seed, stream: UInt64(index))
            coalitions = KernelSHAPCoalitions.sampled(features: p, pairs: max(2, sampleCount / 2), using: &generator)
        }
        let values: [Double]
        // `Valuation.init` chose the closed forms by the model's type (and built treeBackground).
        switch valuation {
        case .linear:
            values = linearCoalitionValues(x, coalitions, model as! LinearModel)
        case .treeGame:
            values = try treeCoalitionValues(x, coalitions, model as! TreeEnsemble, background: treeBackground!,
                                             cancellation: cancellation)
        case .modelEvaluations:
            values = try coalitionValues(x, coalitions, cancellation: cancellation)
        }
        let y = values.map { $0 - baseValue }
        return try KernelSHAPRegression.solve(coalitions, values: y, total: delta, features: p)
    }

    /// v(z) for every coalition of a linear model, in closed form: the mean over the
    /// background of a linear margin is the margin at the background mean, so
    /// v(z) = intercept + Σⱼ βⱼ · (zⱼ ? xⱼ : μⱼ).
    private func linearCoalitionValues(_ x: [Double], _ coalitions: KernelSHAPCoalitions, _ linear: LinearModel) -> [Double] {
        let p = x.count
        var mean = [Double](repeating: 0, count: p)
        BLAS.gemv(background, [Double](repeating: 1 / Double(background.rows), count: background.rows),
                  into: &mean, transposeA: true)
        let fromX = zip(linear.coefficients, x).map { $0 * $1 }
        let fromBackground = zip(linear.coefficients, mean).map { $0 * $1 }
        return coalitions.masks.withUnsafeBufferPointer { masks in
            (0..<coalitions.count).map { c in
                var sum = linear.intercept
                for j in 0..<p { sum += masks[c * p + j] != 0 ? fromX[j] : fromBackground[j] }
                return sum
            }
        }
    }

    /// v(z) for every coalition of a tree ensemble, from its closed-form game; `cancellation`
    /// is checked every ``coalitionsPerCheck`` coalitions.
    private func treeCoalitionValues(_ x: [Double], _ coalitions: KernelSHAPCoalitions, _ ensemble: TreeEnsemble,
                                     background: Matrix, cancellation: Cancellation?) throws -> [Double] {
        let p = x.count
        let prepared = ensemble.roundsInputsToFloat32 ? x.map { Double(Float($0)) } : x
        return try prepared.withUnsafeBufferPointer { row in
            try coalitions.masks.withUnsafeBufferPointer { masks in
                guard let row = row.baseAddress, let masks = masks.baseAddress else { return [] }
                let game = try TreeCoalitionGame(model: ensemble, row: row, background: background,
                                                 cancellation: cancellation)
                let full: UInt64 = p == 64 ? .max : (1 << UInt64(p)) - 1
                var values = [Double](repeating: 0, count: coalitions.count)
                var c = 0
                var nextCheck = 0
                while c < coalitions.count {
                    if c >= nextCheck {
                        try cancellation?.check()
                        nextCheck = c + Self.coalitionsPerCheck
                    }
                    let coalition = TreeCoalitionGame.coalition(masks + c * p, features: p)
                    let (inside, outside) = game.values(of: coalition)
                    values[c] = inside
                    // Sampled coalitions come in complementary pairs: one pass values both.
                    if c + 1 < coalitions.count,
                       TreeCoalitionGame.coalition(masks + (c + 1) * p, features: p) == full & ~coalition {
                        values[c + 1] = outside
                        c += 2
                    } else {
                        c += 1
                    }
                }
                return values
            }
        }
    }

    /// Coalitions the tree game values between two checks of a cancellation: each costs a
    /// pass over the trees' paths against the background, so a check costs nothing beside them.
    static let coalitionsPerCheck = 64

    /// v(z) for every coalition: the mean margin over the background with z's features from x.
    /// Coalitions are evaluated in batches of about 64k synthetic rows; `cancellation` is
    /// checked before each batch.
    private func coalitionValues(_ x: [Double], _ coalitions: KernelSHAPCoalitions,
                                 cancellation: Cancellation?) throws -> [Double] {
        let p = x.count
        let backgroundRows = background.rows
        let perBatch = max(1, 65_536 / backgroundRows)
        var result = [Double](repeating: 0, count: coalitions.count)
        var start = 0
        while start < coalitions.count {
            try cancellation?.check()
            let end = min(coalitions.count, start + perBatch)
            var synthetic = Matrix(rows: (end - start) * backgroundRows, columns: p)
            // Each coalition's block starts as a copy of the background; then the coalition's
            // features are overwritten with x's values.
            synthetic.withUnsafeMutableBufferPointer { output in
                background.withUnsafeBufferPointer { input in
                    coalitions.masks.withUnsafeBufferPointer { masks in
                        x.withUnsafeBufferPointer { x in
                            guard let target = output.baseAddress, let source = input.baseAddress else { return }
                            var members: [Int] = []
                            members.reserveCapacity(p)
                            for c in start..<end {
                                let block = target + (c - start) * backgroundRows * p
                                block.update(from: source, count: backgroundRows * p)
                                members.removeAll(keepingCapacity: true)
                                for j in 0..<p where masks[c * p + j] != 0 { members.append(j) }
                                for b in 0..<backgroundRows {
                                    let row = block + b * p
                                    for j in members { row[j] = x[j] }
                                }
                            }
                        }
                    }
                }
            }
            let margins = model.margins(synthetic)
            for c in start..<end {
                var sum = 0.0
                for b in 0..<backgroundRows { sum += margins[(c - start) * backgroundRows + b] }
                result[c] = sum / Double(backgroundRows)
            }
            start = end
        }
        return result
    }
}

/// The first error thrown by any of several threads.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func record(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }

    var first: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}
