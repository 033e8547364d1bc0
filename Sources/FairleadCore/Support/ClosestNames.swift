/// Suggestions for a misspelt name: the candidates nearest to it by edit distance.
///
///     closestNames(to: "socre", in: ["score", "converted", "region"])  // ["score", …]
///
/// Used by every "no such column / key / metric" error, so that the message can say
/// what the user probably meant.
public func closestNames(to name: String, in candidates: [String], limit: Int = 3) -> [String] {
    let target = Array(name.lowercased().unicodeScalars)
    let ranked = candidates.enumerated().map { index, candidate in
        (distance: editDistance(target, Array(candidate.lowercased().unicodeScalars)), index: index, candidate: candidate)
    }
    return ranked
        .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
        .prefix(limit)
        .map(\.candidate)
}

/// The Levenshtein distance between two names, ignoring case.
public func editDistance(_ source: String, _ target: String) -> Int {
    editDistance(Array(source.lowercased().unicodeScalars), Array(target.lowercased().unicodeScalars))
}

/// Levenshtein distance (insertions, deletions, substitutions each cost 1), two rows of memory.
func editDistance<Element: Equatable>(_ source: [Element], _ target: [Element]) -> Int {
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }
    var previous = Array(0...target.count)
    var current = [Int](repeating: 0, count: target.count + 1)
    for i in 1...source.count {
        current[0] = i
        for j in 1...target.count {
            let substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[target.count]
}
