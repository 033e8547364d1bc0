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
                func combine<Code: AttributeCodeUnit>(_ codes: UnsafeBufferPointer<Code>) {
                    for offset in 0..<rows.count {
                        let code = codes[rows.lowerBound + offset].attributeCode
                        let slot = code < 0 ? missingSlot : code
                        let current = groups[offset]
                        groups[offset] = (current < 0 || slot < 0) ? -1 : current * radix + slot
                    }
                }
                columns.attributes[attributeIndex].codes.withCodeBuffer(narrow: combine, wide: combine)
            }
        }
        return groupOf
    }

    /// Per position of `rows` (row indices into `columns`, in any order): the row's group
    /// index, as ``groupIndices(of:rows:)`` gives it, gathered straight into `groups` —
    /// the lead queue's groups in rank order, without a row-ordered copy.
    func groupIndices(of columns: AuditColumns, gathering rows: UnsafeBufferPointer<UInt32>,
                      into groups: UnsafeMutableBufferPointer<Int32>) {
        precondition(groups.count == rows.count, "one group per position")
        for (position, attributeIndex) in attributeIndices.enumerated() {
            let radix = Int32(radices[position])
            let missingSlot = Int32(missingSlots[position])
            func combine<Code: AttributeCodeUnit>(_ codes: UnsafeBufferPointer<Code>) {
                for offset in rows.indices {
                    let code = codes[Int(rows[offset])].attributeCode
                    let slot = code < 0 ? missingSlot : code
                    let current = position == 0 ? 0 : groups[offset]
                    groups[offset] = (current < 0 || slot < 0) ? -1 : current * radix + slot
                }
            }
            columns.attributes[attributeIndex].codes.withCodeBuffer(narrow: combine, wide: combine)
        }
    }

    /// Per position of `positions`: the group index, as ``groupIndices(of:rows:)`` gives
    /// it, from each of the grouping's attributes' codes already in rank order
    /// (`rankOrdered[k]` for the k-th attribute, a byte per position, `missingCode` for a
    /// missing value): read in order, nothing gathered. `groups` holds `positions`.
    func groupIndices(rankOrdered: [UnsafeBufferPointer<UInt8>], missingCode: UInt8, positions: Range<Int>,
                      into groups: UnsafeMutableBufferPointer<Int32>) {
        precondition(rankOrdered.count == attributeIndices.count && groups.count == positions.count,
                     "one code column per attribute, one group per position")
        for (position, codes) in rankOrdered.enumerated() {
            let radix = Int32(radices[position])
            let missingSlot = Int32(missingSlots[position])
            for offset in 0..<positions.count {
                let code = codes[positions.lowerBound + offset]
                let slot = code == missingCode ? missingSlot : Int32(code)
                let current = position == 0 ? 0 : groups[offset]
                groups[offset] = (current < 0 || slot < 0) ? -1 : current * radix + slot
            }
        }
    }
}
