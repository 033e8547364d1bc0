import FairleadCore

extension StatisticsPart {
    /// Refuses statistics with a sum that overflowed: finite scores and weights whose sum
    /// is not a finite double (two scores of 1e308, or 1e300 weighed 1e50). A part holds
    /// finite numbers only (JSON has no infinity, and ``validate(file:maxGroups:)`` refuses
    /// one), so `fairlead stats` says so here, naming the data file, the decision, grouping
    /// and group, and the sum, rather than failing to write the part. Likewise a cell
    /// whose weights are too small for their squares (Σw > 0 with Σw² under the normal
    /// doubles): the merged audit would count no effective rows, or too few.
    ///
    /// - Throws: `FairleadError(.invalidData)` at `dataPath` for the first such sum.
    func checkFiniteSums(dataPath: String) throws {
        let location = SourceLocation(file: dataPath)
        let magnitude = scores.map { Swift.max(abs($0.min), abs($0.max)) }
        let advice = "the data's scores and weights are finite, but summing them leaves a double's range (±1.8e308)"
            + (magnitude.map { " (scores reach \($0))" } ?? "")
            + ": a part cannot hold the sum; rescale the score (and its thresholds) or the weights to smaller numbers, or audit the rows (fairlead audit --data)"
        let cellSums = ["rows", "Σw (weight)", "Σw² (squared weight)", "Σw of scored rows", "Σw·score (score sum)"]
        for decision in decisions {
            for grouping in decision.groupings {
                for group in grouping.groups {
                    for (cell, row) in group.rows {
                        if row.count > 2, row[1] > 0, row[2] < Double.leastNormalMagnitude {
                            // Weights so small that their squares underflow: the merged
                            // audit would count no effective rows where there are some.
                            throw FairleadError(.invalidData,
                                                "decision \(decision.name), \(grouping.attributes.joined(separator: "*")), group \(HistogramGroup.shown(group.group)): Σw² (squared weight) of its \(cell) rows is \(row[2]) while Σw is \(row[1]): the weights are too small for a part to hold their squares (below about 1e-154); multiply the weight column by a constant, which changes no rate, or audit the rows (fairlead audit --data)",
                                                at: location)
                        }
                        guard let position = row.firstIndex(where: { !$0.isFinite }) else { continue }
                        throw FairleadError(.invalidData,
                                            "decision \(decision.name), \(grouping.attributes.joined(separator: "*")), group \(HistogramGroup.shown(group.group)): \(cellSums[position]) of its \(cell) rows is \(row[position]); " + advice,
                                            at: location)
                    }
                }
            }
        }
        let entrySums = ["cell", "bin", "rows", "Σw (weight)", "Σw·y", "Σw·s (score sum)", "Σw·s² (squared score sum)", "Σw·y·s"]
        for histogram in histograms ?? [] {
            for group in histogram.groups {
                for entry in group.cells {
                    guard let position = entry.firstIndex(where: { !$0.isFinite }) else { continue }
                    throw FairleadError(.invalidData,
                                        "score histogram \(histogram.attributes.joined(separator: "*")), group \(HistogramGroup.shown(group.group)), grid cell \(Int(entry[0])): \(entrySums[position]) is \(entry[position]); " + advice,
                                        at: location)
                }
            }
        }
    }
}
