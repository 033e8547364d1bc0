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

/// Whether `candidate` is a typo away from `name`: an edit distance (ignoring case) of at
/// most a third of the name's length, and at least 2. The one rule of every "did you
/// mean" offered for a name that is not known.
public func isTypo(_ candidate: String, of name: String) -> Bool {
    editDistance(candidate, name) <= typoDistance(name.lowercased().unicodeScalars.count)
}

/// The candidates a typo away from `name` (`isTypo`), nearest first, at most `limit`.
public func typoNames(of name: String, in candidates: [String], limit: Int = 3) -> [String] {
    closestNames(to: name, in: candidates, limit: limit).filter { isTypo($0, of: name) }
}

/// The largest edit distance that is still a typo of a name of `length` characters.
private func typoDistance(_ length: Int) -> Int { max(2, length / 3) }

/// Suggestions for a missing column that must hold values of type `wanted`: a near
/// name first (a typo: edit distance at most a third of the name's length, and at least
/// 2), then the candidates of that type, then those that could be read as it, then the
/// rest; within each tier the nearest names by edit distance first.
///
///     closestNames(to: "SCORE_COLUMN", in: [("row_label", .categorical), ("p_xgb", .numeric)],
///                  wanted: .numeric)  // ["p_xgb", "row_label"]
///     closestNames(to: "scroe", in: [("p_xgb", .numeric), ("score", .categorical)],
///                  wanted: .numeric)  // ["score", "p_xgb"]: a typo outranks the type
///
/// The type tiers: a column of the wanted type; a `boolean` column when a number is
/// wanted (0/1 values are numbers) or a `numeric` one when a boolean is wanted, and a
/// column of unknown type (`nil`); every other column. A score column that is missing is
/// thus answered with the numeric columns, not with the names that happen to be short.
public func closestNames(to name: String, in candidates: [(name: String, type: ColumnType?)],
                         wanted: ColumnType, limit: Int = 3) -> [String] {
    let target = Array(name.lowercased().unicodeScalars)
    let near = typoDistance(target.count)
    let ranked = candidates.enumerated().map { index, candidate in
        let distance = editDistance(target, Array(candidate.name.lowercased().unicodeScalars))
        let tier = typeTier(candidate.type, wanted: wanted)
        return distance <= near ? (group: 0, first: distance, second: tier, index: index, candidate: candidate.name)
                                : (group: 1, first: tier, second: distance, index: index, candidate: candidate.name)
    }
    return ranked
        .sorted { ($0.group, $0.first, $0.second, $0.index) < ($1.group, $1.first, $1.second, $1.index) }
        .prefix(limit)
        .map(\.candidate)
}

/// 0 for the wanted type, 1 for a type that can stand in for it (or an unknown one), 2 otherwise.
private func typeTier(_ type: ColumnType?, wanted: ColumnType) -> Int {
    guard let type else { return 1 }
    if type == wanted { return 0 }
    switch (wanted, type) {
    case (.numeric, .boolean), (.boolean, .numeric): return 1
    default: return 2
    }
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
