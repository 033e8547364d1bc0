import FairleadCore
import Foundation

/// The lead-queue metrics of one attribute or intersection computed from its scores on a
/// ``ScoreGrid`` (a merged ``StatisticsPart/ScoreHistogram``), each with the bound within
/// which the row-level value lies (docs/metrics.md, "From a score grid").
///
/// What the grid loses is the order of the rows within a cell. So: calibration (ECE from
/// per-reliability-bin sums, calibration in the large, Brier from Σw·s, Σw·s², Σw·y·s)
/// is exact; AUC and xAUC count a positive–negative pair within one cell as half, and
/// the bound is ± half of those pairs; KS is read at the cells' edges, and the row-level
/// value is at most one cell's mass above it; Wasserstein puts each cell's mass at its
/// upper edge, off by at most the cell width times the larger mass per cell; top-k
/// splits the cutoff cell in proportion, and the bound takes each group's fewest and most
/// possible leads among its selected rows. NDKL and exposure depend on positions within
/// the top k, which the grid does not hold: they are not computed.
struct GridQueue {
    /// The undefined reason of values the grid cannot give.
    static let needsRows = "needs_rows"
    /// The undefined reason of a value whose bound is unbounded (a skew whose share may be 0).
    static let unboundedOnGrid = "unbounded_on_grid"

    struct GroupCells {
        /// Sorted by cell: (cell, rows, Σw, Σw·y).
        var cells: [(cell: Int, rows: Double, weight: Double, positive: Double)] = []
        /// For each of `cells`, its position in ``GridQueue/presentCells``.
        var slots: [Int] = []
        var rows = 0.0, weight = 0.0, positive = 0.0, scoreSum = 0.0, squaredSum = 0.0, positiveScoreSum = 0.0
        /// Per reliability bin: rows, Σw, Σw·y, Σw·s.
        var bins = [[Double]](repeating: [0, 0, 0, 0], count: 10)
        var negative: Double { weight - positive }
    }

    let grid: ScoreGrid
    let groupNames: [String]
    /// Per group, whether its every value is known (``ReferenceGroup/isKnown(_:)``).
    let knownGroups: [Bool]
    let groups: [GroupCells]
    /// The cells some group holds, ascending: where the separation's sums step. Sums over
    /// them run in this order and over groups in the grouping's order, so that the same
    /// statistics give the same report to the last bit (sums over a dictionary's values
    /// ran in its per-process hash order: weighted sums differed from run to run).
    let presentCells: [Int]
    /// Ranked rows that no metric counts, per cell.
    let uncounted: [Int: Double]
    let isLabeled: Bool
    let isWeighted: Bool

    init(histogram: StatisticsPart.ScoreHistogram, grouping: Grouping, grid: ScoreGrid, isLabeled: Bool, isWeighted: Bool) throws {
        self.grid = grid
        self.isLabeled = isLabeled
        self.isWeighted = isWeighted
        groupNames = grouping.groups.map(\.description)
        knownGroups = grouping.groups.map(ReferenceGroup.isKnown)
        var groups = [GroupCells](repeating: GroupCells(), count: grouping.groupCount)
        for group in histogram.groups {
            guard let index = grouping.index(of: GroupKey(group.group)) else {
                throw FairleadError(.invalidData, "score histogram group \(group.group) is not a combination of the listed levels")
            }
            var cells = GroupCells()
            var byCell: [Int: (Double, Double, Double)] = [:]
            for entry in group.cells {
                let cell = Int(entry[0]), bin = Int(entry[1])
                let (rows, weight, positive) = (entry[2], entry[3], entry[4])
                let current = byCell[cell] ?? (0, 0, 0)
                byCell[cell] = (current.0 + rows, current.1 + weight, current.2 + positive)
                cells.rows += rows
                cells.weight += weight
                cells.positive += positive
                cells.scoreSum += entry[5]
                cells.squaredSum += entry[6]
                cells.positiveScoreSum += entry[7]
                cells.bins[bin][0] += rows
                cells.bins[bin][1] += weight
                cells.bins[bin][2] += positive
                cells.bins[bin][3] += entry[5]
            }
            cells.cells = byCell.keys.sorted().map { (cell: $0, rows: byCell[$0]!.0, weight: byCell[$0]!.1, positive: byCell[$0]!.2) }
            groups[index] = cells
        }
        var present = Set<Int>()
        for group in groups { for cell in group.cells { present.insert(cell.cell) } }
        presentCells = present.sorted()
        let slotOfCell = Dictionary(uniqueKeysWithValues: presentCells.enumerated().map { ($1, $0) })
        for index in groups.indices { groups[index].slots = groups[index].cells.map { slotOfCell[$0.cell]! } }
        self.groups = groups
        var uncounted: [Int: Double] = [:]
        for entry in histogram.uncounted { uncounted[Int(entry[0]), default: 0] += entry[1] }
        self.uncounted = uncounted
    }

    /// Counted rows per group, in the grouping's order.
    var counts: [Int] { groups.map { Int($0.rows) } }

    // MARK: - Separation

    /// A value with its bound: the row-level value lies in [low, high].
    struct Bounded {
        var value: MetricValue
        var low: Double
        var high: Double

        static func undefined(_ reason: UndefinedReason) -> Bounded { Bounded(value: .undefined(reason), low: .nan, high: .nan) }
        static func exact(_ value: Double) -> Bounded { Bounded(value: .value(value), low: value, high: value) }

        /// The bound cut to `metric`'s range (``MetricDefinition/lowest``,
        /// ``MetricDefinition/highest``). An infinite end is kept: it says the rows may give
        /// no value at all (a precision whose group may have none of its leads selected), which
        /// no range bounds, so a rule on it stays insufficient evidence.
        func clamped(to metric: Metric) -> Bounded {
            guard value.isDefined else { return self }
            let definition = metric.definition
            return Bounded(value: value, low: low.isFinite ? definition.lowest.map { Swift.max(low, $0) } ?? low : low,
                           high: high.isFinite ? definition.highest.map { Swift.min(high, $0) } ?? high : high)
        }

        var estimate: AuditReport.Estimate {
            var estimate = AuditReport.Estimate(value: value.number, undefinedReason: value.undefinedReason?.rawValue)
            if value.isDefined {
                if low.isFinite, high.isFinite {
                    estimate.gridBound = [low, high]
                } else {
                    // The value is the grid's, but no finite bound holds the rows' value.
                    estimate.undefinedReason = GridQueue.unboundedOnGrid
                }
            }
            return estimate
        }
    }

    /// P(s⁺ > s⁻) + ½ P(=) over positives with weights `positive` per cell and negatives
    /// with `negative` per cell (both by position in ascending cells); within a cell pairs
    /// count ½, ± ½ (the bound).
    static func crossAUC(positive: [Double], negative: [Double]) -> Bounded {
        let positives = positive.reduce(0, +), negatives = negative.reduce(0, +)
        guard positives > 0 else { return .undefined(.noActualPositives) }
        guard negatives > 0 else { return .undefined(.noActualNegatives) }
        var below = 0.0, sum = 0.0, tied = 0.0
        for position in positive.indices {
            let p = positive[position], n = negative[position]
            sum += p * (below + n / 2)
            tied += p * n
            below += n
        }
        let total = positives * negatives
        let value = min(1, max(0, sum / total)), half = tied / total / 2
        return Bounded(value: .value(value), low: max(0, value - half), high: min(1, value + half))
    }

    /// Σw·y, Σw·(1 − y) and Σw per present cell (``presentCells``) of group `index`, or of
    /// every group but `excluding`.
    private func side(_ index: Int?, excluding: Int? = nil) -> (positive: [Double], negative: [Double], weight: [Double]) {
        var positive = [Double](repeating: 0, count: presentCells.count)
        var negative = positive, weight = positive
        for (position, group) in groups.enumerated() where index.map({ $0 == position }) ?? (position != excluding) {
            for (cell, slot) in zip(group.cells, group.slots) {
                positive[slot] += cell.positive
                negative[slot] += cell.weight - cell.positive
                weight[slot] += cell.weight
            }
        }
        return (positive, negative, weight)
    }

    /// AUC, xAUC against the rest both ways, KS and Wasserstein against the rest.
    func separation(_ index: Int) -> (auc: Bounded, versusRest: Bounded, restVersus: Bounded, ks: Bounded, wasserstein: Bounded) {
        let own = side(index), rest = side(nil, excluding: index)
        let ownWeight = groups[index].weight, restWeight = rest.weight.reduce(0, +)
        func labelled(_ value: @autoclosure () -> Bounded, sides: [Double]) -> Bounded {
            guard isLabeled else { return .undefined(.labelsAbsent) }
            guard !sides.contains(0) else { return .undefined(.emptyGroup) }
            return value()
        }
        let auc = labelled(Self.crossAUC(positive: own.positive, negative: own.negative), sides: [ownWeight])
        let versusRest = labelled(Self.crossAUC(positive: own.positive, negative: rest.negative), sides: [ownWeight, restWeight])
        let restVersus = labelled(Self.crossAUC(positive: rest.positive, negative: own.negative), sides: [ownWeight, restWeight])
        guard ownWeight > 0, restWeight > 0 else {
            return (auc, versusRest, restVersus, .undefined(.emptyGroup), .undefined(.emptyGroup))
        }
        var ownBelow = 0.0, restBelow = 0.0, ks = 0.0, largestMass = 0.0, area = 0.0, massSum = 0.0
        // KS: at every cell's upper edge the CDFs are exact; within a cell they move by at most its mass.
        for position in presentCells.indices {
            let a = own.weight[position] / ownWeight, b = rest.weight[position] / restWeight
            largestMass = max(largestMass, a, b)
            massSum += max(a, b)
            ownBelow += a
            restBelow += b
            ks = max(ks, abs(ownBelow - restBelow))
        }
        // Wasserstein: the CDFs with each cell's mass at its upper edge are constant between
        // upper edges, so the area is Σ over cells c < last of |F_g(c) − F_rest(c)| × width.
        var cumulativeOwn = 0.0, cumulativeRest = 0.0, previous: Int? = nil
        for (position, cell) in presentCells.enumerated() {
            if let previous { area += abs(cumulativeOwn - cumulativeRest) * Double(cell - previous) * grid.cellWidth }
            cumulativeOwn += own.weight[position] / ownWeight
            cumulativeRest += rest.weight[position] / restWeight
            previous = cell
        }
        ks = min(1, ks)
        let distance = Bounded(value: .value(ks), low: ks, high: min(1, ks + largestMass))
        let slack = grid.cellWidth * massSum
        let wasserstein = Bounded(value: .value(area), low: max(0, area - slack), high: area + slack)
        return (auc, versusRest, restVersus, distance, wasserstein)
    }

    // MARK: - Calibration (exact)

    func calibration(_ index: Int) -> (ece: MetricValue, citl: MetricValue, brier: MetricValue, bins: [AuditReport.ReliabilityBinReport]) {
        let group = groups[index]
        let edges = ScoreGrid.calibrationEdges
        let bins = (0..<10).map { bin in
            let sums = group.bins[bin]
            return AuditReport.ReliabilityBinReport(lower: edges[bin], upper: edges[bin + 1], count: Int(sums[0]),
                                                    meanScore: sums[1] > 0 ? sums[3] / sums[1] : nil,
                                                    observedRate: sums[1] > 0 ? sums[2] / sums[1] : nil)
        }
        guard isLabeled else { return (.undefined(.labelsAbsent), .undefined(.labelsAbsent), .undefined(.labelsAbsent), bins) }
        guard group.weight > 0 else { return (.undefined(.emptyGroup), .undefined(.emptyGroup), .undefined(.emptyGroup), bins) }
        let ece = group.bins.reduce(0) { $0 + abs($1[3] - $1[2]) } / group.weight
        let citl = (group.scoreSum - group.positive) / group.weight
        let brier = max(0, group.squaredSum - 2 * group.positiveScoreSum + group.positive) / group.weight
        return (.value(ece), .value(citl), .value(brier), bins)
    }

    // MARK: - Top k

    struct TopK {
        var k: Int
        var shareOfTopK: [Bounded]
        var shareOfPopulation: [Bounded]
        var selectionRate: [Bounded]
        var precision: [Bounded]
        var recall: [Bounded]
        var skew: [Bounded]
        var minSkew: Bounded
        var maxSkew: Bounded
        var overallPrecision: Bounded
        var overallRecall: Bounded
        /// Per group: its rows certainly among the first k (above the cutoff cell, and the
        /// fewest the cutoff cell's split can give it), precision@k's evidence.
        var selectedRowsAtLeast: [Int]
    }

    /// The top `fraction` of the ranked rows: the cells above the cutoff cell are taken
    /// whole, the cutoff cell's `r` of `n` rows split in proportion (the value) or any way
    /// (the bound).
    func topK(fraction: Double) -> TopK {
        var rowsPerCell: [Int: Double] = uncounted
        for group in groups { for cell in group.cells { rowsPerCell[cell.cell, default: 0] += cell.rows } }
        let ranked = rowsPerCell.values.reduce(0, +)
        let k = min(Int(ranked), Int((fraction * ranked).rounded(.toNearestOrAwayFromZero)))
        var above = 0.0, cutoffCell = Int.max, taken = 0.0, cutoffRows = 0.0
        for cell in rowsPerCell.keys.sorted(by: >) {
            let rows = rowsPerCell[cell]!
            if above + rows >= Double(k) { cutoffCell = cell; taken = Double(k) - above; cutoffRows = rows; break }
            above += rows
        }
        if k == 0 { cutoffCell = Int.max; taken = 0 }
        // Per group: Σw and Σw·y above the cutoff cell, and its rows, Σw, Σw·y in it.
        struct Split { var weightAbove = 0.0, positiveAbove = 0.0, rowsAbove = 0.0, rows = 0.0, weight = 0.0, positive = 0.0 }
        let splits = groups.map { group -> Split in
            var split = Split()
            for cell in group.cells {
                if cell.cell > cutoffCell {
                    split.weightAbove += cell.weight; split.positiveAbove += cell.positive; split.rowsAbove += cell.rows
                }
                if cell.cell == cutoffCell { split.rows = cell.rows; split.weight = cell.weight; split.positive = cell.positive }
            }
            return split
        }
        let fractionTaken = cutoffRows > 0 ? taken / cutoffRows : 0
        /// The selected Σw of rows that make `rows` of the cutoff cell's rows, weighing `weight`: fewest and most.
        func selectedWeight(rows: Double, weight: Double) -> (low: Double, high: Double) {
            let fewest = max(0, taken - (cutoffRows - rows)), most = min(rows, taken)
            if !isWeighted { return (fewest, most) }
            return (fewest >= rows && rows > 0 ? weight : 0, most > 0 ? weight : 0)
        }
        let totalWeight = groups.reduce(0) { $0 + $1.weight }
        var shareTop: [Bounded] = [], sharePopulation: [Bounded] = [], selection: [Bounded] = [], precision: [Bounded] = [],
            recall: [Bounded] = [], skew: [Bounded] = []
        let allAbove = splits.reduce(0) { $0 + $1.weightAbove }
        let allCellRows = splits.reduce(0) { $0 + $1.rows }, allCellWeight = splits.reduce(0) { $0 + $1.weight }
        let allSelected = allAbove + allCellWeight * fractionTaken
        for (index, split) in splits.enumerated() {
            let group = groups[index]
            let selected = split.weightAbove + split.weight * fractionTaken
            let own = selectedWeight(rows: split.rows, weight: split.weight)
            let (ownLow, ownHigh) = (split.weightAbove + own.low, split.weightAbove + own.high)
            let others = selectedWeight(rows: allCellRows - split.rows, weight: allCellWeight - split.weight)
            let othersAbove = allAbove - split.weightAbove
            let (othersLow, othersHigh) = (othersAbove + others.low, othersAbove + others.high)
            // share of top k
            let population = totalWeight > 0 ? Bounded.exact(group.weight / totalWeight) : .undefined(.emptyGroup)
            sharePopulation.append(population)
            let share: Bounded
            if allSelected <= 0 {
                share = .undefined(.noPredictedPositives)
            } else {
                let low = ownLow + othersHigh > 0 ? ownLow / (ownLow + othersHigh) : 0
                let high = ownHigh + othersLow > 0 ? ownHigh / (ownHigh + othersLow) : 1
                share = Bounded(value: .value(selected / allSelected), low: low, high: high)
            }
            shareTop.append(share)
            selection.append(group.weight > 0 ? Bounded(value: .value(selected / group.weight), low: ownLow / group.weight,
                                                        high: ownHigh / group.weight) : .undefined(.emptyGroup))
            // precision and recall: the positives among the selected of the cutoff cell
            let negativeInCell = split.weight - split.positive
            func positives(_ t: Double) -> (low: Double, high: Double) { (max(0, t - negativeInCell), min(split.positive, t)) }
            let candidates = [own.low, own.high, min(max(split.positive, own.low), own.high), min(max(negativeInCell, own.low), own.high)]
            if !isLabeled {
                precision.append(.undefined(.labelsAbsent)); recall.append(.undefined(.labelsAbsent))
            } else {
                if selected <= 0 {
                    precision.append(.undefined(.noPredictedPositives))
                } else {
                    let value = (split.positiveAbove + split.positive * fractionTaken) / selected
                    var low = 1.0, high = 0.0
                    for t in candidates where split.weightAbove + t > 0 {
                        low = min(low, (split.positiveAbove + positives(t).low) / (split.weightAbove + t))
                        high = max(high, (split.positiveAbove + positives(t).high) / (split.weightAbove + t))
                    }
                    // With none of g's leads certainly selected, the rows' precision may be undefined.
                    let certain = split.weightAbove + own.low > 0
                    precision.append(Bounded(value: .value(value), low: certain ? min(low, value) : -.infinity, high: max(high, value)))
                }
                if group.positive <= 0 {
                    recall.append(.undefined(.noActualPositives))
                } else {
                    let value = (split.positiveAbove + split.positive * fractionTaken) / group.positive
                    recall.append(Bounded(value: .value(value), low: (split.positiveAbove + positives(own.low).low) / group.positive,
                                          high: (split.positiveAbove + positives(own.high).high) / group.positive))
                }
            }
            // skew = ln(share of top k ÷ share of population)
            if let populationShare = population.value.number, let shareValue = share.value.number {
                if shareValue <= 0 {
                    skew.append(.undefined(.absentFromTopK))
                } else if share.low <= 0 {
                    skew.append(Bounded(value: .value(log(shareValue / populationShare)), low: -.infinity,
                                        high: log(share.high / populationShare)))
                } else {
                    skew.append(Bounded(value: .value(log(shareValue / populationShare)), low: log(share.low / populationShare),
                                        high: log(share.high / populationShare)))
                }
            } else {
                skew.append(.undefined(population.value.isDefined ? (share.value.undefinedReason ?? .emptyGroup) : .emptyGroup))
            }
        }
        let definedSkews = skew.filter { $0.value.isDefined }
        func extreme(_ pick: ([Double]) -> Double?) -> Bounded {
            guard let value = pick(definedSkews.compactMap(\.value.number)) else { return .undefined(.noDefinedGroups) }
            return Bounded(value: .value(value), low: pick(definedSkews.map(\.low)) ?? value, high: pick(definedSkews.map(\.high)) ?? value)
        }
        // Overall precision and recall over all counted rows.
        let positiveAbove = splits.reduce(0) { $0 + $1.positiveAbove }, cellPositive = splits.reduce(0) { $0 + $1.positive }
        let allPositive = groups.reduce(0) { $0 + $1.positive }
        let all = selectedWeight(rows: allCellRows, weight: allCellWeight)
        let cellNegative = allCellWeight - cellPositive
        func overall(_ t: Double) -> (low: Double, high: Double) { (max(0, t - cellNegative), min(cellPositive, t)) }
        var overallPrecision = Bounded.undefined(isLabeled ? .noPredictedPositives : .labelsAbsent)
        var overallRecall = Bounded.undefined(isLabeled ? .noActualPositives : .labelsAbsent)
        if isLabeled, allSelected > 0 {
            let value = (positiveAbove + cellPositive * fractionTaken) / allSelected
            var low = 1.0, high = 0.0
            for t in [all.low, all.high, min(max(cellPositive, all.low), all.high), min(max(cellNegative, all.low), all.high)]
            where allAbove + t > 0 {
                low = min(low, (positiveAbove + overall(t).low) / (allAbove + t))
                high = max(high, (positiveAbove + overall(t).high) / (allAbove + t))
            }
            overallPrecision = Bounded(value: .value(value), low: allAbove + all.low > 0 ? min(low, value) : -.infinity,
                                       high: max(high, value))
        }
        if isLabeled, allPositive > 0 {
            overallRecall = Bounded(value: .value((positiveAbove + cellPositive * fractionTaken) / allPositive),
                                    low: (positiveAbove + overall(all.low).low) / allPositive,
                                    high: (positiveAbove + overall(all.high).high) / allPositive)
        }
        let selectedRowsAtLeast = splits.map { Int($0.rowsAbove + max(0, taken - (cutoffRows - $0.rows))) }
        return TopK(k: k, shareOfTopK: shareTop, shareOfPopulation: sharePopulation, selectionRate: selection,
                    precision: precision, recall: recall, skew: skew, minSkew: extreme { $0.min() }, maxSkew: extreme { $0.max() },
                    overallPrecision: overallPrecision, overallRecall: overallRecall, selectedRowsAtLeast: selectedRowsAtLeast)
    }
}
