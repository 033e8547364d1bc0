import Foundation

/// A ``ScoreRanking`` seen through one ``Grouping``: each position's group, and each
/// group's totals over the rows the metrics count.
///
/// A ranked row is *counted* when it has a label (in an audit with labels) and a group
/// (its sensitive value is present, or missing under ``MissingSensitivePolicy/ownGroup``)
/// — the rows the group metrics engine counts. Rows not counted keep their position in
/// the queue: a top-k takes k positions, whoever holds them.
///
/// Building it is one pass over the rows (their groups, gathered into rank order); every
/// metric family then reads these arrays in rank order:
///
///     let byGender = ranking.grouped(by: try Grouping(columns: columns, attributes: ["gender"]))
///     let topK = try TopKMetrics.compute(byGender, cutoffs: [.count(100), .fraction(0.1)])
///     let separation = try ScoreSeparation(byGender, reference: .named(["male"]))
///     let calibration = try GroupCalibration(byGender, binCount: 10)
///     let sweep = try ThresholdSweep(byGender, grid: .uniform(count: 101))
public struct GroupedRanking: Sendable {
    /// The queue.
    public let ranking: ScoreRanking
    /// The groups.
    public let grouping: Grouping
    /// Per position: the group index, or -1 when the row is not counted; a byte per
    /// position when the groups number at most 255 (at 10M rows 10 MB against 38 MiB,
    /// for each of the audit's dimensions held at once).
    let codes: AttributeCodes
    /// Per group: counted rows.
    public let counts: [Int]
    /// Per group: Σw over counted rows.
    public let weights: [Double]
    /// Per group: Σw over counted rows with y = 1 (0 without labels).
    public let positiveWeights: [Double]
    /// Per group: Σw over counted rows with y = 0 (every row without labels).
    public let negativeWeights: [Double]
    /// Per group: Σw·score over counted rows.
    public let scoreSums: [Double]
    /// Per group: Σw² over counted rows, for the group's effective number of rows
    /// (``evidence(_:)``).
    public let squaredWeights: [Double]
    /// Per group: counted rows with y = 1 (0 without labels).
    public let positiveCounts: [Int]
    /// Per group: Σw² over counted rows with y = 1.
    public let positiveSquaredWeights: [Double]
    /// Rows left out, by reason: missing score, missing label, missing sensitive value.
    public let exclusions: ExclusionCounts

    /// Groups `ranking`'s rows by `grouping`, which must be built on the ranking's columns.
    /// The groups are gathered on up to `threads` threads (by default, one per core); the
    /// totals are summed on one, in rank order, so they are the same on any number.
    public init(ranking: ScoreRanking, grouping: Grouping, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.init(ranking: ranking, grouping: grouping, threads: threads, narrowCodes: nil)
    }

    /// `narrowCodes`: hold each position's group as a byte (`true`; the groups must number
    /// at most 255) or as an `Int32` (`false`); `nil` chooses bytes when they fit. Tests
    /// compare the two.
    init(ranking: ScoreRanking, grouping: Grouping, threads: Int, narrowCodes: Bool?) {
        let columns = ranking.columns
        precondition(zip(grouping.attributeIndices, grouping.attributeNames).allSatisfy { index, name in
            index < columns.attributes.count && columns.attributes[index].name == name
        }, "the grouping was built on other columns than the ranking's")
        let ranked = ranking.rankedCount
        let groupCount = grouping.groupCount
        // Gather loops with nothing else in them, so that many of their cache-missing loads
        // are in flight at once; the totals then read `codes` in order.
        // Codes the ranking holds in rank order (``ScoreRanking/keepAttributeCodesInRankOrder(threads:)``)
        // are read in order instead.
        let rankOrdered = grouping.attributeIndices.map { ranking.rankedCodes[$0] }
        let narrow = narrowCodes ?? (groupCount <= Int(AttributeCodes.narrowMissing))
        precondition(!narrow || groupCount <= Int(AttributeCodes.narrowMissing), "more groups than a byte holds")
        // Each position's group, into `fill`'s buffer for the positions asked for.
        func groups(into fill: @Sendable (Range<Int>, (Range<Int>, UnsafeMutableBufferPointer<Int32>) -> Void) -> Void) {
            if rankOrdered.allSatisfy({ $0 != nil }) {
                _withBuffers(rankOrdered.map { $0! }) { buffers in
                    let buffers = UncheckedSendable(buffers)
                    RowParallelism.forEachChunk(rowCount: ranked, threads: threads, minimumChunk: 1 << 16) { positions in
                        fill(positions) { window, groups in
                            grouping.groupIndices(rankOrdered: buffers.value, missingCode: ScoreRanking.missingCode,
                                                  positions: window, into: groups)
                        }
                    }
                }
            } else {
                ranking.rows.withUnsafeBufferPointer { rows in
                    let rows = UncheckedSendable(rows)
                    RowParallelism.forEachChunk(rowCount: ranked, threads: threads, minimumChunk: 1 << 16) { positions in
                        fill(positions) { window, groups in
                            grouping.groupIndices(of: columns, gathering: UnsafeBufferPointer(rebasing: rows.value[window]),
                                                  into: groups)
                        }
                    }
                }
            }
        }
        var wideGroups: [Int32] = []
        var narrowGroups: [UInt8] = []
        if narrow {
            // A window of Int32 groups at a time, written out as bytes: no Int32 array
            // of every position.
            narrowGroups = [UInt8](unsafeUninitializedCapacity: ranked) { target, initialized in
                let target = UncheckedSendable(target)
                groups { positions, compute in
                    let window = 1 << 14
                    let scratch = UnsafeMutableBufferPointer<Int32>.allocate(capacity: min(window, positions.count))
                    defer { scratch.deallocate() }
                    for start in stride(from: positions.lowerBound, to: positions.upperBound, by: window) {
                        let part = start..<min(start + window, positions.upperBound)
                        let groups = UnsafeMutableBufferPointer(rebasing: scratch[0..<part.count])
                        compute(part, groups)
                        for offset in 0..<part.count {
                            let group = groups[offset]
                            target.value[part.lowerBound + offset] = group < 0 ? AttributeCodes.narrowMissing
                                : UInt8(truncatingIfNeeded: group)
                        }
                    }
                }
                initialized = ranked
            }
        } else {
            wideGroups = [Int32](unsafeUninitializedCapacity: ranked) { target, initialized in
                let target = UncheckedSendable(target)
                groups { positions, compute in
                    compute(positions, UnsafeMutableBufferPointer(rebasing: target.value[positions]))
                }
                initialized = ranked
            }
        }
        // Per group: counted rows, then Σw, Σw·y, Σw·(1 − y), Σw·score, Σw², rows with y = 1
        // and their Σw², eight to a group. Rows without a label are marked as not counted.
        let width = 8
        var totals = [Double](repeating: 0, count: groupCount * width)
        var missingSensitive = 0
        func total<Code: AttributeCodeUnit>(_ codes: UnsafeMutableBufferPointer<Code>, notCounted: Code) {
            totals.withUnsafeMutableBufferPointer { totals in
                ranking.scores.withUnsafeBufferPointer { scores in
                    _withOptionalBuffer(ranking.labels) { labels in
                        _withOptionalBuffer(ranking.weights) { rowWeights in
                            for position in 0..<ranked {
                                let label = labels?[position] ?? 0
                                if label == ScoreRanking.missingLabel {
                                    codes[position] = notCounted
                                    continue
                                }
                                let group = codes[position].attributeCode
                                if group < 0 {
                                    missingSensitive += 1
                                    continue
                                }
                                let base = Int(group) * width
                                let weight = rowWeights?[position] ?? 1
                                totals[base] += 1
                                totals[base + 1] += weight
                                totals[base + 2 + Int(1 - label)] += weight
                                totals[base + 4] += weight * scores[position]
                                totals[base + 5] += weight * weight
                                totals[base + 6] += Double(label)
                                totals[base + 7] += Double(label) * weight * weight
                            }
                        }
                    }
                }
            }
        }
        if narrow {
            narrowGroups.withUnsafeMutableBufferPointer { total($0, notCounted: AttributeCodes.narrowMissing) }
        } else {
            wideGroups.withUnsafeMutableBufferPointer { total($0, notCounted: -1) }
        }
        let codes = narrow ? AttributeCodes(narrow: narrowGroups) : AttributeCodes(wide: wideGroups)
        let counts = (0..<groupCount).map { Int(totals[$0 * width]) }
        let weights = (0..<groupCount).map { totals[$0 * width + 1] }
        let positives = (0..<groupCount).map { totals[$0 * width + 2] }
        let negatives = (0..<groupCount).map { totals[$0 * width + 3] }
        let scoreSums = (0..<groupCount).map { totals[$0 * width + 4] }
        let squaredWeights = (0..<groupCount).map { totals[$0 * width + 5] }
        let positiveCounts = (0..<groupCount).map { Int(totals[$0 * width + 6]) }
        let positiveSquaredWeights = (0..<groupCount).map { totals[$0 * width + 7] }
        var exclusions = ranking.exclusions
        exclusions.missingSensitive = missingSensitive
        self.ranking = ranking
        self.grouping = grouping
        self.codes = codes
        self.counts = counts
        self.weights = weights
        self.positiveWeights = positives
        self.negativeWeights = negatives
        self.scoreSums = scoreSums
        self.squaredWeights = squaredWeights
        self.positiveCounts = positiveCounts
        self.positiveSquaredWeights = positiveSquaredWeights
        self.exclusions = exclusions
    }

    /// The groups, in the grouping's order.
    public var groups: [GroupKey] { grouping.groups }

    /// The number of groups.
    public var groupCount: Int { grouping.groupCount }

    /// Whether the audit has labels.
    public var isLabeled: Bool { ranking.isLabeled }

    /// Per group: the effective rows of its counted rows of `side` (all, y = 1 or y = 0),
    /// and of every other group's together — the rest that xAUC, KS and Wasserstein
    /// compare a group with (``effectiveRows(ownAndRest:)``).
    public func evidence(_ side: EvidenceSide) -> (own: [Int], rest: [Int]) {
        Self.effectiveRows(ownAndRest: counts.indices.map { group in
            switch side {
            case .all: return CellStats(count: counts[group], weight: weights[group], squaredWeight: squaredWeights[group],
                                        scoredWeight: 0, scoreSum: 0)
            case .positives: return CellStats(count: positiveCounts[group], weight: positiveWeights[group],
                                              squaredWeight: positiveSquaredWeights[group], scoredWeight: 0, scoreSum: 0)
            case .negatives: return CellStats(count: counts[group] - positiveCounts[group], weight: negativeWeights[group],
                                              squaredWeight: max(0, squaredWeights[group] - positiveSquaredWeights[group]),
                                              scoredWeight: 0, scoreSum: 0)
            }
        })
    }

    /// Each part's effective rows (``GroupMetric/effectiveRows(weight:squaredWeight:count:)``:
    /// every row when unweighted, fewer the more the weight sits on a few rows), and the
    /// effective rows of all the other parts together.
    public static func effectiveRows(ownAndRest parts: [CellStats]) -> (own: [Int], rest: [Int]) {
        let total = parts.reduce(CellStats(), +)
        let own = parts.map { GroupMetric.effectiveRows(weight: $0.weight, squaredWeight: $0.squaredWeight, count: $0.count) }
        let rest = parts.map {
            GroupMetric.effectiveRows(weight: max(0, total.weight - $0.weight), squaredWeight: max(0, total.squaredWeight - $0.squaredWeight),
                                      count: total.count - $0.count)
        }
        return (own, rest)
    }

    /// Which of a group's counted rows ``evidence(_:)`` counts.
    public enum EvidenceSide: Sendable {
        case all, positives, negatives
    }

    /// Σw over all counted rows, summed in group order.
    var totalWeight: Double { weights.reduce(0, +) }

    /// Σw over all counted rows with y = 1, summed in group order.
    var totalPositiveWeight: Double { positiveWeights.reduce(0, +) }

    /// The index of a fixed reference group: a named group, or the one with the most
    /// counted rows (the first on a tie, as ``MetricFrame/referenceIndex(_:for:)``).
    /// `nil` for ``ReferenceGroup/bestValued``, which depends on the value compared.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` when a named group is not in the grouping.
    func fixedReferenceIndex(_ reference: ReferenceGroup) throws -> Int? {
        switch reference {
        case .named(let key):
            guard let index = grouping.index(of: key) else {
                let names = MessageQuote.list(groups.map(\.description))
                throw FairleadError(.invalidProfile, "reference group \"\(MessageQuote.clipped(key.description))\" is not a group of \(grouping.attributeNames.joined(separator: " & ")); groups: \(names)")
            }
            return index
        case .largest:
            return ReferenceGroup.largestIndex(counts: counts) { ReferenceGroup.isKnown(grouping.groups[$0]) }
        case .bestValued:
            return nil
        }
    }
}

extension GroupedRanking {
    /// Calls `body` with each position's group (``codes``), read as an `Int32` (-1 when the
    /// row is not counted) however the codes are held.
    func withGroupCodes<Result>(_ body: (_GroupCodes) throws -> Result) rethrows -> Result {
        try codes.withCodeBuffer(narrow: { try body(_GroupCodes(narrow: $0.baseAddress, wide: nil, count: $0.count)) },
                                 wide: { try body(_GroupCodes(narrow: nil, wide: $0.baseAddress, count: $0.count)) })
    }
}

/// A grouped ranking's group per position, held as bytes or as `Int32`s: the metric
/// families read it through one subscript. Which storage is set does not change within
/// a pass, so its branch is always predicted.
struct _GroupCodes {
    let narrow: UnsafePointer<UInt8>?
    let wide: UnsafePointer<Int32>?
    let count: Int

    var indices: Range<Int> { 0..<count }

    /// The group at `position`, or -1 when its row is not counted.
    @inline(__always)
    subscript(position: Int) -> Int32 {
        if let narrow { return narrow[position].attributeCode }
        return wide.unsafelyUnwrapped[position]
    }
}

/// Calls `body` with the buffers of all `arrays`, valid for the call.
func _withBuffers<Element, Result>(_ arrays: [[Element]],
                                   _ body: ([UnsafeBufferPointer<Element>]) -> Result) -> Result {
    func nest(_ index: Int, _ buffers: [UnsafeBufferPointer<Element>]) -> Result {
        guard index < arrays.count else { return body(buffers) }
        return arrays[index].withUnsafeBufferPointer { nest(index + 1, buffers + [$0]) }
    }
    return nest(0, [])
}

/// Calls `body` with the array's buffer, or with `nil` when there is no array.
@inline(__always)
func _withOptionalBuffer<Element, Result>(_ array: [Element]?,
                                          _ body: (UnsafeBufferPointer<Element>?) -> Result) -> Result {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0) }
}
