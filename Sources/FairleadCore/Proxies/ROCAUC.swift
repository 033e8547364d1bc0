/// The area under the ROC curve of scores against a 0/1 label: the chance that a random
/// positive scores above a random negative, ties counting half (Mann–Whitney U / (n₊n₋);
/// scikit-learn's `roc_auc_score`, which interpolates linearly through ties).
///
///     ROCAUC.area(scores: [0.9, 0.4, 0.4, 0.1], labels: [true, true, false, false])   // 0.875
public enum ROCAUC {
    /// The AUC of `scores` for `labels`; nil when either class is empty.
    public static func area(scores: [Double], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count, "one label per score")
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        return area(sortedOrder: order, scores: scores, labels: labels)
    }

    /// The AUC with the rows already ordered by ascending score (`sortedOrder`), so that
    /// several labelings of the same scores share one sort.
    public static func area(sortedOrder order: [Int], scores: [Double], labels: [Bool]) -> Double? {
        var positives = 0.0, negatives = 0.0, rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
            // Ranks start..<end (1-based start+1 ... end) share their average.
            let averageRank = Double(start + 1 + end) / 2
            for index in start..<end {
                if labels[order[index]] {
                    positives += 1
                    rankSum += averageRank
                } else {
                    negatives += 1
                }
            }
            start = end
        }
        guard positives > 0, negatives > 0 else { return nil }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }
}
