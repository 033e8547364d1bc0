extension MetricFrame {
    /// The index of the reference group for `metric`.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` when a named group is not in the grouping.
    /// - Returns: `nil` for ``ReferenceGroup/bestValued`` when no group has a defined value.
    public func referenceIndex(_ reference: ReferenceGroup, for metric: GroupMetric) throws -> Int? {
        switch reference {
        case .named(let key):
            guard let index = grouping.index(of: key) else {
                let names = MessageQuote.list(groups.map(\.description))
                throw FairleadError(.invalidProfile, "reference group \"\(MessageQuote.clipped(key.description))\" is not a group of \(grouping.attributeNames.joined(separator: " & ")); groups: \(names)")
            }
            return index
        case .largest:
            return largestIndex
        case .bestValued:
            return bestValuedIndices.isEmpty ? Self.bestValued(metric, byGroup(metric)) : bestValuedIndices[metric.ordinal]
        }
    }

    /// Per group: its value minus the reference group's, signed (AIF360's
    /// unprivileged − privileged; `statistical_parity_difference` for selection rate).
    public func differences(_ metric: GroupMetric, from reference: ReferenceGroup) throws -> [MetricValue] {
        let referenceValue = try referenceIndex(reference, for: metric).map { value(metric, group: $0) }
        return byGroup(metric).map { Self.signedDifference($0, referenceValue) }
    }

    /// Per group: its value divided by the reference group's (Aequitas' disparity; AIF360's
    /// `disparate_impact` for selection rate); undefined when the reference value is 0.
    public func ratios(_ metric: GroupMetric, to reference: ReferenceGroup) throws -> [MetricValue] {
        let referenceValue = try referenceIndex(reference, for: metric).map { value(metric, group: $0) }
        return byGroup(metric).map { Self.signedRatio($0, referenceValue) }
    }

    /// One group's value minus the reference group's.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` when a named group is not in the grouping.
    public func difference(_ metric: GroupMetric, group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        let index = try groupIndex(group)
        return Self.signedDifference(value(metric, group: index), try referenceIndex(reference, for: metric).map { value(metric, group: $0) })
    }

    /// One group's value divided by the reference group's.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` when a named group is not in the grouping.
    public func ratio(_ metric: GroupMetric, group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        let index = try groupIndex(group)
        return Self.signedRatio(value(metric, group: index), try referenceIndex(reference, for: metric).map { value(metric, group: $0) })
    }

    /// The index of a named group, or an `.invalidProfile` error.
    func groupIndex(_ key: GroupKey) throws -> Int {
        guard let index = grouping.index(of: key) else {
            throw FairleadError(.invalidProfile, "\"\(key)\" is not a group of \(grouping.attributeNames.joined(separator: " & "))")
        }
        return index
    }

    static func signedDifference(_ value: MetricValue, _ reference: MetricValue?) -> MetricValue {
        guard let number = value.number, let base = reference?.number else { return .undefined(.undefinedOperand) }
        return .value(number - base)
    }

    static func signedRatio(_ value: MetricValue, _ reference: MetricValue?) -> MetricValue {
        guard let number = value.number, let base = reference?.number else { return .undefined(.undefinedOperand) }
        return MetricValue.quotient(number, base, else: .zeroDivisor)
    }
}
