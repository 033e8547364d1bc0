extension Grouping {
    /// Per row of `rows`: its group index in ``groups``, or -1 when a missing sensitive
    /// value excludes it (``MissingSensitivePolicy/exclude``). `columns` must be the ones
    /// the grouping was built on.
    ///
    /// Built one attribute at a time, so each inner loop reads one code column.
    public func groupIndices(of columns: AuditColumns, rows: Range<Int>) -> [Int32] {
        var groupOf = [Int32](repeating: 0, count: rows.count)
        groupOf.withUnsafeMutableBufferPointer { groups in
            for (position, attributeIndex) in attributeIndices.enumerated() {
                let radix = Int32(radices[position])
                let missingSlot = Int32(missingSlots[position])
                columns.attributes[attributeIndex].codes.withUnsafeBufferPointer { codes in
                    for offset in 0..<rows.count {
                        let code = codes[rows.lowerBound + offset]
                        let slot = code < 0 ? missingSlot : code
                        let current = groups[offset]
                        groups[offset] = (current < 0 || slot < 0) ? -1 : current * radix + slot
                    }
                }
            }
        }
        return groupOf
    }
}
