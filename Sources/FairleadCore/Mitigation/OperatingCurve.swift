/// One group's achievable trade-offs between a constrained rate and an objective: the
/// upper convex hull of the points "select every counted row of the group whose score is
/// at least t", for t at each of the group's distinct scores, plus "select none".
///
/// This is Fairlearn's `_tradeoff_curve` (ThresholdOptimizer, `flip=False`): points
/// (x, y) sorted by x then y, Andrew's monotone chain keeping the upper hull and dropping
/// collinear points. Fairlearn names each point by the threshold halfway between the
/// last selected score and the next lower one, applied as `score > θ`; the same rows are
/// selected here by `score ≥ t` with t the lowest selected score (`nil`: select none).
/// Any point between two hull vertices is reached by selecting with one vertex's rule with
/// probability p0 and the other's with p1 = 1 − p0.
///
///     let curve = OperatingCurve(cells, rate: .selectionRate, objective: .accuracy)
///     curve.interpolate(at: 0.25)     // (p0, vertex0, p1, vertex1, y)
public struct OperatingCurve: Sendable {
    /// A threshold rule of one group and its expected confusion weights.
    public struct Vertex: Sendable, Hashable {
        /// The lowest selected score (`score ≥ threshold`), or `nil` to select none.
        public var threshold: Double?
        /// Σw over selected rows with y = 1 and with y = 0.
        public var truePositives: Double
        public var falsePositives: Double
        /// The constrained rate (x) and the objective (y) at this vertex.
        public var x: Double
        public var y: Double
    }

    /// A point of the hull between two vertices: select by `lower` with probability `p0`
    /// and by `upper` with probability `p1` (Fairlearn's p0/operation0, p1/operation1).
    public struct Mixture: Sendable, Hashable {
        public var p0: Double
        public var vertex0: Vertex
        public var p1: Double
        public var vertex1: Vertex
        public var x: Double
        public var y: Double

        /// Expected Σw over selected rows with y = 1.
        public var truePositives: Double { p0 * vertex0.truePositives + p1 * vertex1.truePositives }
        /// Expected Σw over selected rows with y = 0.
        public var falsePositives: Double { p0 * vertex0.falsePositives + p1 * vertex1.falsePositives }
    }

    /// The hull's vertices, by ascending x.
    public let vertices: [Vertex]
    /// Σw over the group's counted rows with y = 1 and y = 0.
    public let positives: Double
    public let negatives: Double

    /// The curve of one group over (rate, objective) from its cumulative selections,
    /// highest threshold first: `steps[i]` holds a threshold and the Σw of positives and
    /// negatives selected at it (Fairlearn's simple constraints).
    public init(steps: [(threshold: Double, truePositives: Double, falsePositives: Double)],
                positives: Double, negatives: Double,
                rate: ThresholdOptimizer.Constraint.Rate, objective: ThresholdOptimizer.Objective) {
        self.init(steps: steps, positives: positives, negatives: negatives) { counts in
            (counts.rate(rate), counts.objective(objective))
        }
    }

    /// The group's ROC hull, (FPR, TPR), for equalized odds.
    public init(rocSteps steps: [(threshold: Double, truePositives: Double, falsePositives: Double)],
                positives: Double, negatives: Double) {
        self.init(steps: steps, positives: positives, negatives: negatives) { counts in
            (counts.rate(.falsePositiveRate), counts.rate(.truePositiveRate))
        }
    }

    private init(steps: [(threshold: Double, truePositives: Double, falsePositives: Double)],
                 positives: Double, negatives: Double, coordinates: (_Confusion) -> (Double, Double)) {
        self.positives = positives
        self.negatives = negatives
        func vertex(_ threshold: Double?, _ tp: Double, _ fp: Double) -> Vertex {
            let (x, y) = coordinates(_Confusion(truePositives: tp, falsePositives: fp,
                                                trueNegatives: negatives - fp, falseNegatives: positives - tp))
            return Vertex(threshold: threshold, truePositives: tp, falsePositives: fp, x: x, y: y)
        }
        var points = [vertex(nil, 0, 0)]
        for step in steps { points.append(vertex(step.threshold, step.truePositives, step.falsePositives)) }
        points.sort { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        var hull: [Vertex] = []
        for r2 in points {
            while hull.count >= 2 {
                let r1 = hull[hull.count - 1], r0 = hull[hull.count - 2]
                if (r1.y - r0.y) * (r2.x - r0.x) <= (r2.y - r0.y) * (r1.x - r0.x) { hull.removeLast() } else { break }
            }
            hull.append(r2)
        }
        vertices = hull
    }

    /// The hull at each x of `grid` (ascending, within [first x, last x]), as Fairlearn's
    /// `_interpolate_curve`: leading vertices that share the first x are skipped, then
    /// each x lies between vertex i and i + 1 with p0 = (x_{i+1} − x) / (x_{i+1} − x_i).
    public func interpolate(_ grid: [Double]) -> [Mixture] {
        guard vertices.count >= 2 else {
            return grid.map { Mixture(p0: 1, vertex0: vertices[0], p1: 0, vertex1: vertices[0], x: $0, y: vertices[0].y) }
        }
        var i = 0
        let x0 = vertices[0].x
        while i + 1 < vertices.count - 1 && vertices[i + 1].x == x0 { i += 1 }
        var result: [Mixture] = []
        result.reserveCapacity(grid.count)
        for x in grid {
            while i + 2 < vertices.count && x > vertices[i + 1].x { i += 1 }
            let a = vertices[i], b = vertices[i + 1]
            let p0 = (b.x - x) / (b.x - a.x)
            let p1 = 1 - p0
            result.append(Mixture(p0: p0, vertex0: a, p1: p1, vertex1: b, x: x, y: p0 * a.y + p1 * b.y))
        }
        return result
    }
}

/// Weighted confusion counts and Fairlearn's `METRIC_DICT` over them.
struct _Confusion {
    var truePositives: Double
    var falsePositives: Double
    var trueNegatives: Double
    var falseNegatives: Double

    var n: Double { truePositives + falsePositives + trueNegatives + falseNegatives }

    func rate(_ rate: ThresholdOptimizer.Constraint.Rate) -> Double {
        switch rate {
        case .selectionRate: return (truePositives + falsePositives) / n
        case .truePositiveRate: return truePositives / (truePositives + falseNegatives)
        case .falsePositiveRate: return falsePositives / (falsePositives + trueNegatives)
        }
    }

    func objective(_ objective: ThresholdOptimizer.Objective) -> Double {
        // Every objective keeps the accuracy hull: at a fixed rate it ranks a group's
        // operating points as conversions at a capacity do (see ThresholdOptimizer.Objective).
        (truePositives + trueNegatives) / n
    }
}
