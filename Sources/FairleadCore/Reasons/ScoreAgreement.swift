import Foundation

/// How the model's scores of the explained leads agree with the scores the data file
/// holds (the profile's `data.score` column): explanations explain the model's score, so a
/// file scored by another model — an older version, another scale — would be explained
/// with numbers the CRM does not show, silently.
///
/// Leads whose recorded score is missing are not compared. Scores differing by more than
/// ``tolerance`` (beyond the rounding of a score written with six decimals, and of a
/// model evaluated in single precision) count as disagreeing.
///
///     var agreement = ScoreAgreement()
///     agreement.observe(ids: batch.ids, lines: batch.lines, model: { scores[$0] }, recorded: batch.recordedScores)
///     if let warning = agreement.warning(column: "score") { print(warning) }
public struct ScoreAgreement: Sendable, Equatable {
    /// The largest absolute difference counted as agreement.
    public static let tolerance = 1e-3

    /// Leads compared (their recorded score present).
    public private(set) var compared = 0
    /// Leads whose scores differ by more than ``tolerance``.
    public private(set) var disagreeing = 0
    /// The lead with the largest difference, the first such in file order.
    public private(set) var largest: Lead?

    /// One lead's two scores.
    public struct Lead: Sendable, Equatable {
        public var id: String
        /// The physical line of the file it starts on, when known.
        public var line: Int?
        public var model: Double
        public var recorded: Double
        public var difference: Double { abs(model - recorded) }
    }

    public init() {}

    /// Compares the leads of one batch: `model(row)` is lead `row`'s score by the model,
    /// `recorded[row]` the file's (NaN when missing). Nothing is compared when `recorded`
    /// is empty (the file has no such column).
    public mutating func observe(ids: [String], lines: [Int], model: (Int) -> Double, recorded: [Double]) {
        guard !recorded.isEmpty else { return }
        for row in recorded.indices where recorded[row].isFinite {
            let score = model(row)
            compared += 1
            let difference = abs(score - recorded[row])
            // A NaN model score disagrees too: `!(difference <= tolerance)`.
            guard !(difference <= Self.tolerance) else { continue }
            disagreeing += 1
            if Self.isLarger(difference, than: largest) {
                largest = Lead(id: ids[row], line: row < lines.count ? lines[row] : nil, model: score, recorded: recorded[row])
            }
        }
    }

    /// Adds another run's comparisons (batches read apart).
    public mutating func merge(_ other: ScoreAgreement) {
        compared += other.compared
        disagreeing += other.disagreeing
        if let theirs = other.largest, Self.isLarger(theirs.difference, than: largest) { largest = theirs }
    }

    /// Whether `difference` is a larger one than `current`'s: a number beats NaN (a
    /// model score that is not a number) and none, and NaN beats only none.
    private static func isLarger(_ difference: Double, than current: Lead?) -> Bool {
        guard let current else { return true }
        if difference.isNaN { return false }
        return current.difference.isNaN || difference > current.difference
    }

    /// The warning to give when some lead disagrees, naming `column` and the lead that
    /// disagrees most; `nil` when every lead compared agrees (or none was compared).
    /// The id is shown as it is (a pseudonym under `privacy.pseudonymize_ids`), clipped.
    public func warning(column: String) -> String? {
        guard disagreeing > 0, let largest else { return nil }
        let number = MessageQuote.number
        let place = largest.line.map { ", line \($0)" } ?? ""
        return "the model's score differs from the data's score column '\(MessageQuote.clipped(column))' by more than "
            + "\(number(Self.tolerance)) for \(disagreeing) of \(compared) lead\(compared == 1 ? "" : "s") compared "
            + "(by up to \(number(largest.difference)): lead '\(MessageQuote.clipped(largest.id, limit: 100))'\(place) scores "
            + "\(number(largest.model)) by the model, \(number(largest.recorded)) in the column); the explanations explain "
            + "the model's score, so check that the model is the one that scored these leads, on the same scale"
    }
}
