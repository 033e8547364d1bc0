extension ThresholdSweep {
    /// A group's weighted confusion cells at the threshold with index `index`: Σw over
    /// selected rows with y = 1 (TP) and y = 0 (FP), and over the group's counted rows with
    /// y = 1 and y = 0. Without labels every row counts as y = 0.
    public func cells(group: Int, at index: Int)
        -> (truePositives: Double, falsePositives: Double, positives: Double, negatives: Double) {
        let cell = index * groups.count + group
        return (selectedPositives[cell], selectedNegatives[cell], positives[group], negatives[group])
    }

    /// A group's counted rows.
    public func rowCount(group: Int) -> Int { counts[group] }
}
