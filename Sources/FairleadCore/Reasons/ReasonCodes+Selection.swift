extension ReasonCodes {
    /// Chooses every lead's reasons from its grouped attributions (columns in the order of
    /// `sources.sources`): the `top` largest positive and the `top` most negative among the
    /// sources not withheld, ties to the source listed first; a withheld source whose
    /// rank among all sources of its sign is under `top` is recorded as withheld.
    ///
    /// A factor whose effect is zero as a rep reads it is no reason, withheld or not
    /// (``isShown(_:scale:)``): under 0.05 probability points for a logit link (shown as
    /// "0.0 pts"), under 0.005 score units for the identity link (shown as "0.00"). A
    /// coefficient of 1e-12 is not "the strongest reason against it".
    ///
    /// `unseen` (rows × sources, from ``LeadBatch/unseenLevelMask(_:)``) marks the leads
    /// whose value of a source is one the model has no feature for: that source is no
    /// reason of that lead (the list takes the next factor), and is not recorded as
    /// withheld either — it is no sensitive attribute or proxy.
    public func select(_ attributions: Attributions, unseen: [Bool]? = nil, threads: Int = 1) -> ReasonSelection {
        let width = sources.sources.count
        precondition(attributions.values.columns == width, "attributions grouped by source")
        let (rows, top) = (attributions.rowCount, self.top)
        var selection = ReasonSelection(rows: rows, top: top)
        let isWithheld = sources.sources.map { withheld[$0.name] != nil }
        precondition(unseen.map { $0.count == rows * width } ?? true, "one flag per lead and source")
        // Per lead, the sources it gets no reason from: the withheld ones, and its unseen
        // values' (a stride of 0 shares one row of flags when no lead has one).
        let excluded = unseen.map { mask in mask.indices.map { mask[$0] || isWithheld[$0 % width] } } ?? isWithheld
        let stride = unseen == nil ? 0 : width
        let base = attributions.baseValue
        let link = self.link
        attributions.values.withUnsafeBufferPointer { values in
        isWithheld.withUnsafeBufferPointer { isWithheld in
        excluded.withUnsafeBufferPointer { excluded in
        selection.raisingSources.withUnsafeMutableBufferPointer { raisingSources in
        selection.raisingContributions.withUnsafeMutableBufferPointer { raisingContributions in
        selection.loweringSources.withUnsafeMutableBufferPointer { loweringSources in
        selection.loweringContributions.withUnsafeMutableBufferPointer { loweringContributions in
        selection.withheld.withUnsafeMutableBufferPointer { withheldOut in
        selection.margins.withUnsafeMutableBufferPointer { margins in
            let pointers = UncheckedSendable((values.baseAddress, isWithheld.baseAddress, raisingSources.baseAddress,
                                              raisingContributions.baseAddress, loweringSources.baseAddress,
                                              loweringContributions.baseAddress, withheldOut.baseAddress, margins.baseAddress,
                                              excluded.baseAddress))
            RowParallelism.forEachChunk(rowCount: rows, threads: threads, minimumChunk: 1024) { range in
                guard let values = pointers.value.0, let isWithheld = pointers.value.1, let raisingSources = pointers.value.2,
                      let raisingContributions = pointers.value.3, let loweringSources = pointers.value.4,
                      let loweringContributions = pointers.value.5, let withheldOut = pointers.value.6,
                      let margins = pointers.value.7, let excluded = pointers.value.8 else { return }
                for row in range {
                    let phi = values + row * width
                    var margin = base
                    for source in 0..<width { margin += phi[source] }
                    margins[row] = margin
                    let scale = Self.displayScale(link: link, margin: margin, baseValue: base)
                    Self.choose(phi: phi, width: width, top: top, isWithheld: excluded + row * stride, positive: true, scale: scale,
                                sources: raisingSources + row * top, contributions: raisingContributions + row * top)
                    Self.choose(phi: phi, width: width, top: top, isWithheld: excluded + row * stride, positive: false, scale: scale,
                                sources: loweringSources + row * top, contributions: loweringContributions + row * top)
                    Self.markWithheld(phi: phi, width: width, top: top, isWithheld: isWithheld, scale: scale,
                                      into: withheldOut + row * 2 * top)
                }
            }
        }}}}}}}}}
        return selection
    }

    /// What one margin unit of a lead's attributions is in the last digit its effect is
    /// shown with: tenths of a probability point for a logit link (``Link/pointsPerMarginUnit(margin:baseValue:)``,
    /// shown to one decimal below 9.5 pts), hundredths of a score unit for the identity link.
    static func displayScale(link: Link, margin: Double, baseValue: Double) -> Double {
        link.pointsPerMarginUnit(margin: margin, baseValue: baseValue).map { 10 * $0 } ?? 100
    }

    /// Whether a contribution's effect is shown as more than zero: it rounds (half away
    /// from zero, as the writer rounds) to at least one unit of the last digit shown.
    @inline(__always)
    static func isShown(_ contribution: Double, scale: Double) -> Bool {
        (abs(contribution) * scale).rounded() >= 1
    }

    /// Whether source a (value x) ranks before source b (value y) of the same sign.
    @inline(__always)
    private static func ranksBefore(_ a: Int, _ x: Double, _ b: Int, _ y: Double) -> Bool {
        abs(x) != abs(y) ? abs(x) > abs(y) : a < b
    }

    /// The `top` strongest allowed sources of one sign, by insertion.
    @inline(__always)
    private static func choose(phi: UnsafePointer<Double>, width: Int, top: Int, isWithheld: UnsafePointer<Bool>,
                               positive: Bool, scale: Double, sources: UnsafeMutablePointer<Int32>, contributions: UnsafeMutablePointer<Double>) {
        var count = 0
        for source in 0..<width where !isWithheld[source] {
            let value = phi[source]
            guard positive ? value > 0 : value < 0, isShown(value, scale: scale) else { continue }
            var position = count
            while position > 0 && !ranksBefore(Int(sources[position - 1]), contributions[position - 1], source, value) {
                position -= 1
            }
            guard position < top else { continue }
            var move = min(count, top - 1)
            while move > position {
                sources[move] = sources[move - 1]
                contributions[move] = contributions[move - 1]
                move -= 1
            }
            sources[position] = Int32(source)
            contributions[position] = value
            count = min(top, count + 1)
        }
    }

    /// The withheld sources ranking under `top` among all sources of their sign.
    @inline(__always)
    private static func markWithheld(phi: UnsafePointer<Double>, width: Int, top: Int, isWithheld: UnsafePointer<Bool>,
                                     scale: Double, into output: UnsafeMutablePointer<Int32>) {
        var count = 0
        for source in 0..<width where isWithheld[source] {
            let value = phi[source]
            guard isShown(value, scale: scale) else { continue }
            var rank = 0
            for other in 0..<width where other != source {
                let competitor = phi[other]
                if (value > 0 ? competitor > 0 : competitor < 0) && ranksBefore(other, competitor, source, value) { rank += 1 }
            }
            guard rank < top else { continue }
            var position = count
            while position > 0 && !ranksBefore(Int(output[position - 1]), phi[Int(output[position - 1])], source, value) {
                output[position] = output[position - 1]
                position -= 1
            }
            output[position] = Int32(source)
            count += 1
        }
    }
}
