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
                throw FairleadError(.invalidData, "column \"\(name)\" appears twice; the model cannot tell which to use",
                                    at: SourceLocation(file: source))
            }
        }
        var sourceColumns: [Int] = []
        sourceColumns.reserveCapacity(featureNames.count)
        for name in featureNames {
            guard let index = columnIndex[name] else {
                let closest = FeatureNameMatching.closest(to: name, among: columnNames)
                let hint = closest.isEmpty ? "" : " (closest: \(closest.map { "\"\($0)\"" }.joined(separator: ", ")))"
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

/// Suggestions for a feature name that is not found: the names at the smallest edit distance.
enum FeatureNameMatching {
    /// Up to three names from `candidates` closest to `name` by Levenshtein distance,
    /// among those within half the name's length.
    static func closest(to name: String, among candidates: [String]) -> [String] {
        let target = Array(name.lowercased())
        let limit = max(2, target.count / 2)
        let scored = candidates.map { ($0, distance(target, Array($0.lowercased()))) }
            .filter { $0.1 <= limit }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return scored.prefix(3).map(\.0)
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
