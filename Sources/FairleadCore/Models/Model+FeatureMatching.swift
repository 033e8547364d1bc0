extension Model {
    /// The model's feature matrix taken from `data`, whose columns are named `columnNames`:
    /// column j of the result is the column of `data` named `featureNames[j]`.
    ///
    /// Columns the model does not read are ignored; order does not matter.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the first feature that `data` lacks
    ///   (with the closest column names), or a feature name given twice in `columnNames`.
    public func featureMatrix(from data: Matrix, columnNames: [String], source: String? = nil) throws -> Matrix {
        precondition(columnNames.count == data.columns, "columnNames must name every column of data")
        var columnIndex: [String: Int] = [:]
        for (index, name) in columnNames.enumerated() {
            if columnIndex.updateValue(index, forKey: name) != nil {
                throw FairleadError(.invalidData, "column \"\(MessageQuote.clipped(name))\" appears twice; the model cannot tell which to use",
                                    at: SourceLocation(file: source))
            }
        }
        var sourceColumns: [Int] = []
        sourceColumns.reserveCapacity(featureNames.count)
        for name in featureNames {
            guard let index = columnIndex[name] else {
                let closest = typoNames(of: name, in: columnNames)
                let hint = closest.isEmpty ? "" : " (closest: \(closest.map { "\"\(MessageQuote.clipped($0))\"" }.joined(separator: ", ")))"
                throw FairleadError(.invalidData, "the model needs feature \"\(name)\", which is not among the columns\(hint)",
                                    at: SourceLocation(file: source))
            }
            sourceColumns.append(index)
        }
        var result = Matrix(rows: data.rows, columns: featureNames.count)
        let (inputWidth, outputWidth) = (data.columns, featureNames.count)
        data.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                for row in 0..<data.rows {
                    for (column, sourceColumn) in sourceColumns.enumerated() {
                        output[row * outputWidth + column] = input[row * inputWidth + sourceColumn]
                    }
                }
            }
        }
        return result
    }
}
