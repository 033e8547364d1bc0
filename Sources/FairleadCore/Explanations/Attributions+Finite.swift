extension Attributions {
    /// Where a value the attributions would hand on is not finite: the base value, a
    /// row's contribution or a row's margin (base value + Σ contributions, summed as
    /// ``margins()`` and ``ReasonCodes/select(_:threads:)`` sum it).
    public struct NonFiniteValue: Sendable, Equatable {
        /// The row (0-based among the explained rows); nil for the base value.
        public var row: Int?
        /// The feature whose contribution is not finite, or, for a margin that overflows
        /// while every contribution is finite, the feature contributing most to it;
        /// nil for the base value.
        public var feature: String?
        /// Whether it is the row's margin (not one contribution) that is not finite.
        public var isMargin: Bool
        /// The value found.
        public var value: Double
    }

    /// The first value that is not finite — the base value, then row by row each
    /// contribution and the margin — or nil when all are finite.
    ///
    /// Finite inputs do not make finite outputs: a coefficient of 10 times a value of
    /// 1e308 is +inf, and two contributions of 1e308 make a margin of +inf. Such a number
    /// written would be `inf` in text, a bare `inf` in JSON (not JSON) and a score of
    /// `nan`; every writer of margins and contributions asks this first.
    public func firstNonFiniteValue() -> NonFiniteValue? {
        guard baseValue.isFinite else { return NonFiniteValue(row: nil, feature: nil, isMargin: false, value: baseValue) }
        let width = values.columns
        return values.withUnsafeBufferPointer { buffer -> NonFiniteValue? in
            for row in 0..<values.rows {
                var margin = baseValue
                var strongest = 0
                for column in 0..<width {
                    let value = buffer[row * width + column]
                    guard value.isFinite else {
                        return NonFiniteValue(row: row, feature: featureNames[column], isMargin: false, value: value)
                    }
                    if abs(value) > abs(buffer[row * width + strongest]) { strongest = column }
                    margin += value
                }
                if !margin.isFinite {
                    return NonFiniteValue(row: row, feature: width > 0 ? featureNames[strongest] : nil, isMargin: true, value: margin)
                }
            }
            return nil
        }
    }

    /// Throws unless the base value is finite: what an output's header (`base_value`,
    /// the typical lead's score) is written from, before any lead.
    ///
    /// - Throws: `FairleadError(.invalidData)`: the model's expected margin, or its margin
    ///   at the background's means, overflows.
    public func requireFiniteBaseValue() throws {
        guard !baseValue.isFinite else { return }
        throw FairleadError(.invalidData,
                            "the base value (the typical margin attributions are measured from: the model's expected margin, or its margin "
                            + "at the background's means) is \(baseValue), not a finite number: the model's or the background's values overflow its arithmetic")
    }

    /// Throws unless the base value, every contribution and every margin is finite.
    ///
    /// - Parameter locate: where row `row`'s `feature` was read (a file's line and column,
    ///   a request's field); the error carries it, or the row's index when it is nil.
    /// - Throws: `FairleadError(.invalidData)` for the first value that is not finite
    ///   (``firstNonFiniteValue()``): "the contribution of "a" is inf, not a finite
    ///   number: the row's values overflow the model's arithmetic".
    public func requireFinite(locate: (_ row: Int, _ feature: String?) -> SourceLocation?) throws {
        try requireFiniteBaseValue()
        guard let bad = firstNonFiniteValue(), let row = bad.row else { return }
        let what = bad.isMargin ? "the margin" : "the contribution of \"\(MessageQuote.clipped(bad.feature ?? "", limit: 60))\""
        let largest = bad.isMargin && bad.feature != nil ? " (the largest contribution is this feature's)" : ""
        let location = locate(row, bad.feature)
        throw FairleadError(.invalidData,
                            "\(what) is \(bad.value), not a finite number\(largest): the row's values overflow the model's arithmetic",
                            at: location, row: location == nil ? row : nil)
    }
}
