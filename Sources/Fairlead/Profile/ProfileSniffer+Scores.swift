import FairleadCore
import Foundation

extension ProfileSniffer {
    /// A numeric column that may hold the model's score.
    struct ScoreCandidate {
        var name: String
        var values: [Double]
        var isNamedLikeScore: Bool
        var isWithinUnitInterval: Bool
        var distinct: Int
    }

    /// The columns that may hold the score, best first: named like a score, then values
    /// within [0, 1], then more distinct values (up to 100: beyond, a column's count of
    /// distinct values says nothing more), then file order. A candidate is numeric
    /// with at least three distinct values, not an id or a row number, and either named
    /// like a score or holding at least ten distinct values within [0, 1].
    static func rankedScoreCandidates(_ columns: [Column], rowCount: Int) -> [ScoreCandidate] {
        var candidates: [ScoreCandidate] = []
        for column in columns {
            guard case .numeric(let numbers) = column.storage, !isIdentifierName(column.name) else { continue }
            let finite = numbers.values.filter(\.isFinite)
            let distinctValues = Set(finite)
            guard distinctValues.count >= 3, !isRowNumber(distinctValues, count: finite.count, rowCount: rowCount) else { continue }
            let name = column.name.lowercased()
            let named = scoreNames.contains { Self.name(name, hasWordStarting: $0) }
            let unit = finite.allSatisfy { $0 >= 0 && $0 <= 1 }
            guard named || (unit && distinctValues.count >= 10) else { continue }
            candidates.append(ScoreCandidate(name: column.name, values: numbers.values, isNamedLikeScore: named,
                                             isWithinUnitInterval: unit, distinct: distinctValues.count))
        }
        return candidates.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.isNamedLikeScore ? 0 : 1, lhs.element.isWithinUnitInterval ? 0 : 1, -min(lhs.element.distinct, 100), lhs.offset)
            let right = (rhs.element.isNamedLikeScore ? 0 : 1, rhs.element.isWithinUnitInterval ? 0 : 1, -min(rhs.element.distinct, 100), rhs.offset)
            return left < right
        }.map(\.element)
    }

    /// Whether the values are 0, 1, 2, … or 1, 2, 3, …: one per row, consecutive.
    static func isRowNumber(_ distinct: Set<Double>, count: Int, rowCount: Int) -> Bool {
        guard distinct.count == rowCount, count == rowCount, let low = distinct.min(), let high = distinct.max() else { return false }
        return (low == 0 || low == 1) && high - low == Double(rowCount - 1) && distinct.allSatisfy { $0 == $0.rounded() }
    }

    /// The range scores lie in: [0, 1] when every score does, else the observed lowest
    /// and highest rounded outward to a multiple of the power of ten below their spread:
    /// deciles 1–10 → [1, 10]; 3–97 → [0, 100]; log-odds −2.3–4.1 → [−3, 5].
    static func scoreRange(low: Double, high: Double) -> ClosedRange<Double> {
        if low >= 0 && high <= 1 { return 0...1 }
        let spread = high - low
        let exponent = spread > 0 ? Int(log10(spread).rounded(.down)) : (high == 0 ? 0 : Int(log10(abs(high)).rounded(.down)))
        let unit = pow(10, Double(exponent))
        guard abs(low / unit) < 1e12, abs(high / unit) < 1e12 else { return low...high }
        // Decimal text, so that 0.1 steps give 0.9 rather than 0.9000000000000001.
        func multiple(_ count: Double) -> Double { Double("\(Int(count))e\(exponent)") ?? count * unit }
        let lower = multiple((low / unit).rounded(.down))
        let upper = multiple((high / unit).rounded(.up))
        return lower...max(upper, lower)
    }

    /// A threshold selecting about `share` of the finite `scores` (score ≥ threshold),
    /// written with as few significant digits (2 to 6) as keep the share within one
    /// percentage point of the unrounded one; `nil` when no threshold selects some rows
    /// but not all (fewer than two distinct scores).
    ///
    /// Of the two thresholds around the target — the score of the row at the target's
    /// rank, and the next higher score — the one whose share is closer wins; ties in the
    /// scores (deciles) make the share a step function, so it is stated, not assumed.
    static func threshold(selecting share: Double, of scores: [Double]) -> Draft.Threshold? {
        let ascending = scores.filter(\.isFinite).sorted()
        let count = ascending.count
        guard count > 0 else { return nil }
        func selected(_ threshold: Double) -> Int { count - countBelow(threshold, inAscending: ascending) }
        let rank = min(count, max(1, Int((share * Double(count)).rounded())))
        let atRank = ascending[count - rank]
        var options = [atRank]
        let above = countBelow(atRank.nextUp, inAscending: ascending)
        if above < count { options.append(ascending[above]) }
        let usable = options.filter { selected($0) > 0 && selected($0) < count }
        guard let exact = usable.min(by: {
            abs(Double(selected($0)) / Double(count) - share) < abs(Double(selected($1)) / Double(count) - share)
        }) else { return nil }
        let exactShare = Double(selected(exact)) / Double(count)
        for digits in 2...6 {
            let text = roundedText(exact, significantDigits: digits)
            guard let value = Double(text) else { continue }
            let rows = selected(value)
            if rows > 0, rows < count, abs(Double(rows) / Double(count) - exactShare) <= 0.01 {
                return Draft.Threshold(value: value, text: text, selectedRows: rows, scoredRows: count)
            }
        }
        return Draft.Threshold(value: exact, text: "\(exact)", selectedRows: selected(exact), scoredRows: count)
    }

    /// `value` rounded to `significantDigits` as decimal text without trailing zeros:
    /// 0.23456 → "0.235", 9 → "9", 1234.5 → "1235" (whole digits are kept).
    static func roundedText(_ value: Double, significantDigits: Int) -> String {
        let magnitude = value == 0 ? 0 : Int(log10(abs(value)).rounded(.down))
        let decimals = max(0, significantDigits - 1 - magnitude)
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
