/// Exact interventional TreeSHAP for a `TreeEnsemble` against a background sample (shap's
/// TreeExplainer with `feature_perturbation="interventional"`, Lundberg et al. 2020).
///
/// For one explained row x and one background row r, the game is v(S) = f(x_S, r_{∖S}).
/// Walking a tree, x and r go the same way at most splits; where they part, the leaf
/// reached depends on whether the split's feature is in S. A leaf of value v reached with
/// a features taken from x (set A) and b from r (set B) is the product game
/// v · 1[A ⊆ S, B ∩ S = ∅], whose Shapley values are v·(a−1)!·b!/(a+b)! for each
/// feature of A and −v·a!·(b−1)!/(a+b)! for each of B. φ is the mean over the background
/// rows; the base value is the background's mean margin, and base + Σφ equals
/// `TreeEnsemble.exactMargins` of x. Cost per row: O(R · T · L) for R background rows.
///
///     let shap = try InterventionalTreeSHAP(model: ensemble, background: sample)
///     let attributions = shap.explain(x, threads: 2)
public struct InterventionalTreeSHAP: TreeExplainer {
    /// The explained model.
    public let model: TreeEnsemble
    /// The background rows, rounded to float32 when the model's library does so.
    let preparedBackground: Matrix
    /// The background's mean margin (double-precision sums).
    public let baseValue: Double

    /// An explainer of `model` against `background` (R × the model's features).
    ///
    /// - Throws: `FairleadError(.invalidData)` when the background has no rows.
    public init(model: TreeEnsemble, background: Matrix) throws {
        precondition(background.columns == model.featureNames.count,
                     "the background has \(background.columns) columns, the model reads \(model.featureNames.count)")
        guard background.rows > 0 else {
            throw FairleadError(.invalidData, "the background data set for interventional TreeSHAP has no rows")
        }
        self.model = model
        var prepared = background
        if model.roundsInputsToFloat32 {
            prepared.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = Double(Float(values[index])) }
            }
        }
        preparedBackground = prepared
        let margins = model.exactMargins(background)
        baseValue = margins.reduce(0, +) / Double(margins.count)
    }

    /// Attributions for every row of `features`, rows split across `threads` threads.
    public func explain(_ features: Matrix, threads: Int) -> Attributions {
        let width = modelWidth(of: features)
        var values = Matrix(rows: features.rows, columns: width)
        let depth = model.maximumDepth
        let weights = Self.shapleyWeights(depth: depth)
        let backgroundRows = preparedBackground.rows
        features.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { output in
                preparedBackground.withUnsafeBufferPointer { background in
                    weights.withUnsafeBufferPointer { weights in
                        let pointers = UncheckedSendable((input.baseAddress, output.baseAddress, background.baseAddress,
                                                          weights.baseAddress))
                        RowParallelism.forEachChunk(rowCount: features.rows, threads: threads, minimumChunk: 1) { rows in
                            guard let input = pointers.value.0, let output = pointers.value.1,
                                  let background = pointers.value.2, let weights = pointers.value.3 else { return }
                            let row = UnsafeMutablePointer<Double>.allocate(capacity: width)
                            let owner = UnsafeMutablePointer<UInt8>.allocate(capacity: width)
                            let assigned = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * (depth + 1))
                            let parted = UnsafeMutablePointer<InterventionalWalk.Parting>.allocate(capacity: 2 * (depth + 1))
                            owner.initialize(repeating: 0, count: width)
                            defer { row.deallocate(); owner.deallocate(); assigned.deallocate(); parted.deallocate() }
                            for r in rows {
                                model.prepare(input + r * width, into: row, count: width)
                                let phi = output + r * width
                                for tree in model.trees {
                                    tree.nodes.withUnsafeBufferPointer { nodes in
                                        guard let nodes = nodes.baseAddress else { return }
                                        for b in 0..<backgroundRows {
                                            var walk = InterventionalWalk(
                                                tree: tree, nodes: nodes, x: row, reference: background + b * width,
                                                phi: phi, owner: owner, assigned: assigned, parted: parted,
                                                weights: weights, weightStride: depth + 1)
                                            walk.run()
                                        }
                                    }
                                }
                                let scale = 1 / Double(backgroundRows)
                                for j in 0..<width { phi[j] *= scale }
                            }
                        }
                    }
                }
            }
        }
        return Attributions(featureNames: model.featureNames, baseValue: baseValue, values: values)
    }

    /// The leaf weights for paths of at most `depth` parting features, (depth + 1)² of them:
    /// entry a · (depth + 1) + b is (a−1)!·b!/(a+b)! = 1 / (a · C(a+b, a)) for a ≥ 1 and
    /// a + b ≤ depth, 0 elsewhere.
    ///
    /// The binomials come from Pascal's triangle, exact while below 2⁵³ (a + b ≤ 56) and
    /// within a few ulps after; the factorials themselves would overflow past 170!, giving
    /// NaN weights for paths that part on more than 170 features. The largest binomial a
    /// depth of ``TreeEnsemble/maximumTreeDepth`` needs, C(512, 256) ≈ 4.7·10¹⁵², is finite.
    static func shapleyWeights(depth: Int) -> [Double] {
        let stride = depth + 1
        var weights = [Double](repeating: 0, count: stride * stride)
        // binomial[k] = C(n, k) for the current n.
        var binomial = [Double](repeating: 0, count: stride)
        binomial[0] = 1
        var n = 1
        while n <= depth {
            var k = n
            while k >= 1 {
                binomial[k] += binomial[k - 1]
                k -= 1
            }
            for a in 1...n {
                weights[a * stride + n - a] = 1 / (Double(a) * binomial[a])
            }
            n += 1
        }
        return weights
    }
}

/// One walk of one tree for an (x, reference) pair; see `InterventionalTreeSHAP`.
///
/// Where x and the reference part, the walk follows x's side first, then the reference's.
/// The walk is a loop, not a recursion, so a tree as deep as
/// ``TreeEnsemble/maximumTreeDepth`` needs no more thread stack than a stump: each parting
/// split on the current path keeps, beside its feature in `assigned`, the reference's child
/// and the count of x's features above it (`parted`), and `owner` tells which side is
/// being walked.
private struct InterventionalWalk {
    /// A split where x and the reference part: the reference's child, walked after x's,
    /// and how many of the features assigned above the split came from x.
    struct Parting {
        var referenceChild: Int32
        var fromX: Int32
    }

    let tree: DecisionTree
    let nodes: UnsafePointer<DecisionTree.Node>
    let x: UnsafePointer<Double>
    let reference: UnsafePointer<Double>
    let phi: UnsafeMutablePointer<Double>
    /// Per feature: 0 not yet split on where x and the reference part, 1 taken from x, 2 from the reference.
    let owner: UnsafeMutablePointer<UInt8>
    /// The features taken so far, in order (x's and the reference's interleaved).
    let assigned: UnsafeMutablePointer<Int32>
    /// Per feature taken, its split's `Parting`.
    let parted: UnsafeMutablePointer<Parting>
    let weights: UnsafePointer<Double>
    let weightStride: Int
    var assignedCount = 0

    init(tree: DecisionTree, nodes: UnsafePointer<DecisionTree.Node>, x: UnsafePointer<Double>,
         reference: UnsafePointer<Double>, phi: UnsafeMutablePointer<Double>, owner: UnsafeMutablePointer<UInt8>,
         assigned: UnsafeMutablePointer<Int32>, parted: UnsafeMutablePointer<Parting>, weights: UnsafePointer<Double>,
         weightStride: Int) {
        self.tree = tree
        self.nodes = nodes
        self.x = x
        self.reference = reference
        self.phi = phi
        self.owner = owner
        self.assigned = assigned
        self.parted = parted
        self.weights = weights
        self.weightStride = weightStride
    }

    /// Walks the tree from its root, adding every leaf's Shapley values to `phi`; leaves
    /// `owner` all 0 again.
    mutating func run() {
        var index = 0
        // a: features taken from x on the current path; b: from the reference.
        var a = 0
        var b = 0
        while true {
            let node = nodes[index]
            if !node.isLeaf {
                let feature = Int(node.feature)
                let xLeft = tree.goesLeft(node, x[feature])
                switch owner[feature] {
                case 1:
                    index = Int(xLeft ? node.leftChild : node.rightChild)
                case 2:
                    let referenceLeft = tree.goesLeft(node, reference[feature])
                    index = Int(referenceLeft ? node.leftChild : node.rightChild)
                default:
                    let referenceLeft = tree.goesLeft(node, reference[feature])
                    if xLeft != referenceLeft {
                        assigned[assignedCount] = Int32(feature)
                        parted[assignedCount] = Parting(referenceChild: referenceLeft ? node.leftChild : node.rightChild,
                                                        fromX: Int32(a))
                        assignedCount += 1
                        owner[feature] = 1
                        a += 1
                    }
                    index = Int(xLeft ? node.leftChild : node.rightChild)
                }
                continue
            }
            if a + b > 0 {
                let gain = a > 0 ? node.value * weights[a * weightStride + b] : 0
                let loss = b > 0 ? node.value * weights[b * weightStride + a] : 0
                for k in 0..<assignedCount {
                    let feature = Int(assigned[k])
                    if owner[feature] == 1 { phi[feature] += gain } else { phi[feature] -= loss }
                }
            }
            // Back up to the deepest parting split whose reference side is still to walk.
            while assignedCount > 0 {
                let last = assignedCount - 1
                let feature = Int(assigned[last])
                if owner[feature] == 1 {
                    owner[feature] = 2
                    index = Int(parted[last].referenceChild)
                    a = Int(parted[last].fromX)
                    b = last - a + 1
                    break
                }
                owner[feature] = 0
                assignedCount = last
            }
            if assignedCount == 0 { return }
        }
    }
}
