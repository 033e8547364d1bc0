/// How far a "did you mean" looks, so that a suggestion costs little whatever the input:
/// a model may name a million features and a file hold millions of ids, and an edit
/// distance costs the product of the two lengths.
///
/// A name longer than ``longestName`` gets no suggestion (a 300-character id is no
/// typo of an 8-character one); a name is compared with at most ``candidates`` others, and
/// each comparison fills only the band of the table within the distance that still counts.
enum NameSuggestions {
    /// The longest name (in Unicode scalars) that is offered suggestions: 64.
    static let longestName = 64
    /// The most candidates one name is compared with: 4,096 (the first ones, or for a
    /// typo the first ones whose length is near enough).
    static let candidates = 4_096
}

/// Suggestions for a misspelt name: the candidates nearest to it by edit distance.
///
///     closestNames(to: "socre", in: ["score", "converted", "region"])  // ["score", …]
///
/// Used by every "no such column / key / metric" error, so that the message can say
/// what the user probably meant. Bounded by ``NameSuggestions``: no suggestion for a name
/// over 64 characters, the first 4,096 candidates compared, and a candidate beyond the
/// `limit`-th nearest so far is left as soon as its distance passes it.
public func closestNames(to name: String, in candidates: [String], limit: Int = 3) -> [String] {
    let target = Array(name.lowercased().unicodeScalars)
    guard target.count <= NameSuggestions.longestName, limit > 0 else { return [] }
    // Distances past the longest name are not told apart: such a candidate is no typo.
    let far = NameSuggestions.longestName + 1
    var nearest: [(distance: Int, index: Int, candidate: String)] = []
    for (index, candidate) in candidates.prefix(NameSuggestions.candidates).enumerated() {
        let scalars = Array(candidate.lowercased().unicodeScalars)
        let distance: Int
        if nearest.count < limit {
            distance = editDistance(target, scalars, limit: far - 1) ?? far
        } else {
            // Ties keep the earlier candidate, so a later one must come strictly nearer.
            let cutoff = min(nearest[nearest.count - 1].distance - 1, far - 1)
            guard cutoff >= 0, let near = editDistance(target, scalars, limit: cutoff) else { continue }
            distance = near
        }
        nearest.append((distance, index, candidate))
        nearest.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
        if nearest.count > limit { nearest.removeLast() }
    }
    return nearest.map(\.candidate)
}

/// Whether `candidate` is a typo away from `name`: an edit distance (ignoring case) of at
/// most a third of the name's length, and at least 2. The one rule of every "did you
/// mean" offered for a name that is not known; never for a name over 64 characters.
public func isTypo(_ candidate: String, of name: String) -> Bool {
    let target = Array(name.lowercased().unicodeScalars)
    guard target.count <= NameSuggestions.longestName else { return false }
    return editDistance(Array(candidate.lowercased().unicodeScalars), target, limit: typoDistance(target.count)) != nil
}

/// The candidates a typo away from `name` (`isTypo`), nearest first, at most `limit`.
/// Only candidates whose length is within the typo distance are compared, at most 4,096
/// of them (``NameSuggestions``).
public func typoNames(of name: String, in candidates: [String], limit: Int = 3) -> [String] {
    let target = Array(name.lowercased().unicodeScalars)
    guard target.count <= NameSuggestions.longestName else { return [] }
    let near = typoDistance(target.count)
    var found: [(distance: Int, index: Int, candidate: String)] = []
    var compared = 0
    for (index, candidate) in candidates.enumerated() {
        let scalars = Array(candidate.lowercased().unicodeScalars)
        guard abs(scalars.count - target.count) <= near else { continue }
        compared += 1
        guard compared <= NameSuggestions.candidates else { break }
        if let distance = editDistance(target, scalars, limit: near) { found.append((distance, index, candidate)) }
    }
    return found.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }.prefix(limit).map(\.candidate)
}

/// The largest edit distance that is still a typo of a name of `length` characters.
func typoDistance(_ length: Int) -> Int { max(2, length / 3) }

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
    guard target.count <= NameSuggestions.longestName else { return [] }
    let near = typoDistance(target.count)
    // Distances past the longest name are not told apart: such a candidate is no typo.
    let far = NameSuggestions.longestName + 1
    let ranked = candidates.prefix(NameSuggestions.candidates).enumerated().map { index, candidate in
        let distance = editDistance(target, Array(candidate.name.lowercased().unicodeScalars), limit: far - 1) ?? far
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

/// The Levenshtein distance when it is at most `limit`, else nil. Only the cells within
/// `limit` of the diagonal are filled, and the scan stops at the first row whose cells all
/// pass it (a row's minimum never decreases further down): O(min(m, n) · limit), whatever
/// the lengths.
///
///     editDistance(Array("kitten"), Array("sitting"), limit: 3)  // 3
///     editDistance(Array("kitten"), Array("sitting"), limit: 2)  // nil
func editDistance<Element: Equatable>(_ source: [Element], _ target: [Element], limit: Int) -> Int? {
    guard limit >= 0, abs(source.count - target.count) <= limit else { return nil }
    let limit = min(limit, max(source.count, target.count))  // no distance is larger
    if source.isEmpty || target.isEmpty { return max(source.count, target.count) }
    let outside = limit + 1  // any value past the limit: cells off the band
    var previous = [Int](repeating: outside, count: target.count + 1)
    var current = previous
    for j in 0...min(target.count, limit) { previous[j] = j }
    for i in 1...source.count {
        let low = max(1, i - limit), high = min(target.count, i + limit)
        current[low - 1] = low == 1 && i <= limit ? i : outside
        var rowMinimum = current[low - 1]
        for j in low...high {
            let substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1, outside)
            rowMinimum = min(rowMinimum, current[j])
        }
        if high < target.count { current[high + 1] = outside }  // the next row reads it
        guard rowMinimum <= limit else { return nil }
        swap(&previous, &current)
    }
    return previous[target.count] <= limit ? previous[target.count] : nil
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
