import FairleadCore

extension AuditInput {
    /// Rows `rows` of the table as leads to explain, as ``LeadReader`` hands over the
    /// same rows of the file: the model's features (one-hot columns derived from their
    /// source columns), per source its categories, and `attributeColumns` as
    /// ``SensitiveAttribute``s; ids are 1-based row numbers.
    ///
    /// A categorical column's levels are those of rows up to the last of `rows`, in order
    /// of first appearance (the table's levels are in that order, so they are a prefix of
    /// them): the levels a ``LeadReader`` has seen by then, so codes and levels are the
    /// same as when the file is read batch by batch.
    func leads(_ rows: Range<Int>, sources: FeatureSources, attributeColumns: [String]) throws -> LeadBatch {
        let count = rows.count
        let width = sources.featureNames.count
        func numeric(_ name: String) throws -> [Double] {
            guard let column = try table.requireColumn(named: name).numeric else {
                throw FairleadError(.invalidData, "column \"\(name)\" must be numeric", at: SourceLocation(file: path, field: name))
            }
            return column.values
        }
        func categorical(_ name: String) throws -> (codes: [Int32], levels: [String]) {
            guard let column = try table.requireColumn(named: name).categorical else {
                throw FairleadError(.invalidData, "column \"\(name)\" must be categorical", at: SourceLocation(file: path, field: name))
            }
            let codes = Array(column.codes[rows])
            let seen = column.codes[..<rows.upperBound].reduce(Int32(-1), max)
            return (codes, Array(column.levels.prefix(Int(seen) + 1)))
        }

        var features = Matrix(rows: count, columns: width)
        for (feature, reading) in sources.readings.enumerated() {
            switch reading {
            case .column(let name):
                let values = try numeric(name)
                features.withUnsafeMutableBufferPointer { output in
                    for row in 0..<count { output[row * width + feature] = values[rows.lowerBound + row] }
                }
            case .indicator(let source, let level):
                let (codes, levels) = try categorical(sources.sources[source].name)
                let wanted = levels.firstIndex(of: level).map(Int32.init) ?? -2
                features.withUnsafeMutableBufferPointer { output in
                    for row in 0..<count { output[row * width + feature] = codes[row] == wanted ? 1 : 0 }
                }
            }
        }
        var categories: [[Int32]] = []
        var levels: [[String]] = []
        for source in sources.sources {
            if source.kind == .numeric {
                categories.append([])
                levels.append([])
            } else if source.isColumn {
                let (codes, sourceLevels) = try categorical(source.name)
                categories.append(codes)
                levels.append(sourceLevels)
            } else {
                categories.append((0..<count).map { row in
                    for (member, feature) in source.features.enumerated() where features[row, feature] == 1 {
                        return Int32(member)
                    }
                    return -1
                })
                levels.append(source.levels)
            }
        }
        let attributes = try attributeColumns.map { name in
            let (codes, levels) = try categorical(name)
            return SensitiveAttribute(name: name, codes: codes, levels: levels)
        }
        return LeadBatch(ids: rows.map { String($0 + 1) }, features: features, categories: categories, levels: levels,
                         attributes: attributes)
    }
}
