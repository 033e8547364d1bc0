import HeapModule
extension ThresholdOptimizer {
    /// Group-specific thresholds whose selection rates need not be equal but lie, for some
    /// x, within [x, `upperRate(x)`] — the band a profile's limits allow (a
    /// `demographic_parity_difference <= 0.05` allows x + 0.05; `disparate_impact >= 0.8`
    /// allows x / 0.8) — keeping the most expected conversions (Σw·y over selected rows)
    /// with Σw over selected rows at most `capacity`. Exact parity (``optimize(_:constraint:objective:gridSize:)``
    /// with `.demographicParity`) is the band's special case upperRate(x) = x, so this
    /// never keeps fewer conversions on the same grid, and it keeps more where the slack
    /// lets a group whose next leads convert better take more of the capacity.
    ///
    /// Each group's rates are points of its ``OperatingCurve`` (the same hull Fairlearn's
    /// demographic parity uses) on the grid 0, 1/g, …, 1 plus the capacity's own rate. On
    /// that hull a group's conversions are concave in its selection rate, so for each
    /// lower rate x every group starts at x and the capacity left goes, grid step by grid
    /// step, to the group whose next step gains the most conversions per lead selected
    /// (a greedy allocation, optimal for concave gains up to the last, partial step, which
    /// is not taken), never past upperRate(x). The x with the most conversions wins (a tie
    /// goes to fewer selections). ``Solution/x`` is that lower rate.
    ///
    /// - Throws: as ``optimize(_:constraint:objective:gridSize:)``.
    public static func optimizeSelectionRates(_ ranking: GroupedRanking, capacity: Double, gridSize: Int = 1000,
                                              upperRate: (Double) -> Double) throws -> Solution? {
        precondition(gridSize >= 1, "a grid needs at least one step")
        guard ranking.isLabeled else {
            throw FairleadError(.invalidData, "threshold options need labels: every objective counts conversions")
        }
        let active = (0..<ranking.groupCount).filter { ranking.weights[$0] > 0 }
        if let degenerate = degenerateLabels(ranking) { throw FairleadError(.invalidData, degenerate) }
        let total = active.reduce(0.0) { $0 + ranking.weights[$1] }
        guard total > 0 else { return nil }
        var grid = (0...gridSize).map { Double($0) / Double(gridSize) }
        let exact = min(1, max(0, capacity / total))
        if !grid.contains(exact) { grid.append(exact); grid.sort() }
        let steps = _CumulativeSelections(ranking)
        let objective = Objective.conversions(capacity: capacity)
        var curves: [[OperatingCurve.Mixture]] = []
        for group in active {
            let curve = OperatingCurve(steps: steps.steps(group: group), positives: ranking.positiveWeights[group],
                                       negatives: ranking.negativeWeights[group], rate: .selectionRate, objective: objective)
            curves.append(curve.interpolate(grid))
        }
        func selected(_ point: OperatingCurve.Mixture) -> Double { point.truePositives + point.falsePositives }
        let slack = capacity * 1e-12
        var best: (low: Int, indices: [Int], conversions: Double, selected: Double)?
        for low in grid.indices {
            let top = upperRate(grid[low]) + 1e-12
            var indices = [Int](repeating: low, count: curves.count)
            var chosen = curves.indices.reduce(0.0) { $0 + selected(curves[$1][low]) }
            guard chosen <= capacity + slack else { break }  // rates only grow with x
            var conversions = curves.indices.reduce(0.0) { $0 + curves[$1][low].truePositives }
            // The group whose next grid step gains the most conversions per lead, from a
            // heap: a scan of every group per step was O(groups²) per rate, and 200 groups
            // took minutes (the same choice, ties to the group listed first).
            func nextStep(_ group: Int) -> _GreedyStep? {
                let next = indices[group] + 1
                guard next < grid.count, grid[next] <= top else { return nil }
                let cost = selected(curves[group][next]) - selected(curves[group][indices[group]])
                let gain = curves[group][next].truePositives - curves[group][indices[group]].truePositives
                return gain > 0 ? _GreedyStep(group: group, gain: gain, cost: cost) : nil
            }
            var steps = Heap(curves.indices.compactMap(nextStep))
            while let step = steps.max, chosen + step.cost <= capacity + slack {
                _ = steps.popMax()
                indices[step.group] += 1
                chosen += step.cost
                conversions += step.gain
                if let following = nextStep(step.group) { steps.insert(following) }
            }
            if let current = best, conversions < current.conversions || (conversions == current.conversions && chosen >= current.selected) {
                continue
            }
            best = (low, indices, conversions, chosen)
        }
        guard let best else { return nil }
        var rules: [GroupRule] = []
        var position = 0
        for group in 0..<ranking.groupCount {
            let positives = ranking.positiveWeights[group], negatives = ranking.negativeWeights[group]
            guard active.contains(group) else {
                let none = OperatingCurve.Vertex(threshold: nil, truePositives: 0, falsePositives: 0, x: 0, y: 0)
                rules.append(GroupRule(mixture: .init(p0: 1, vertex0: none, p1: 0, vertex1: none, x: 0, y: 0),
                                       ignoreProbability: 0, constantPrediction: 0, positives: positives, negatives: negatives))
                continue
            }
            rules.append(GroupRule(mixture: curves[position][best.indices[position]], ignoreProbability: 0, constantPrediction: 0,
                                   positives: positives, negatives: negatives))
            position += 1
        }
        return Solution(constraint: .demographicParity, x: grid[best.low], commonTruePositiveRate: nil,
                        objectiveValue: best.conversions, groups: rules)
    }
}

/// One group's next grid step in the greedy allocation: conversions gained for the leads
/// it costs. The heap's maximum is the best ratio (compared crosswise, so a step of no
/// cost and some gain ranks first), ties to the group listed first.
struct _GreedyStep: Comparable {
    let group: Int
    let gain: Double
    let cost: Double

    static func < (a: _GreedyStep, b: _GreedyStep) -> Bool {
        let (left, right) = (a.gain * b.cost, b.gain * a.cost)
        return left != right ? left < right : a.group > b.group
    }

    static func == (a: _GreedyStep, b: _GreedyStep) -> Bool {
        a.group == b.group && a.gain * b.cost == b.gain * a.cost
    }
}
