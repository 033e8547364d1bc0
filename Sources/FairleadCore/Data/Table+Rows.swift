extension Table {
    /// The table of the rows `rows` (0-based, in that order), every column kept: how rows
    /// left out before anything is computed (no consent) leave no trace in the numbers.
    public func keepingRows(_ rows: [Int]) -> Table {
        let columns = self.columns.map { column -> Column in
            switch column.storage {
            case .numeric(let numbers):
                return Column(name: column.name, storage: .numeric(NumericColumn(values: rows.map { numbers.values[$0] },
                                                                                 isMissing: rows.map { numbers.isMissing[$0] })))
            case .categorical(let categories):
                return Column(name: column.name, storage: .categorical(CategoricalColumn(codes: rows.map { categories.codes[$0] },
                                                                                         levels: categories.levels)))
            case .boolean(let booleans):
                return Column(name: column.name, storage: .boolean(BooleanColumn(values: rows.map { booleans.values[$0] },
                                                                                 isMissing: rows.map { booleans.isMissing[$0] })))
            }
        }
        var kept = Table(rowCount: rows.count, columns: columns)
        kept.sourceRecords = rows.map(sourceRecord)
        return kept
    }
}
