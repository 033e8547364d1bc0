/// Reads a CSV file of leads batch by batch for explaining: the model's features (with
/// one-hot columns derived from their source columns, see ``FeatureSources``), the id
/// column, and optionally extra categorical columns. Memory is bounded by the batch size.
///
///     let reader = try LeadReader(path: "leads.csv", featureNames: model.featureNames, idColumn: "lead_id")
///     while let batch = try reader.next(maxRows: 65_536) {
///         let attributions = explainer.explain(batch.features, threads: 2)
///     }
public final class LeadReader {
    /// The data file as given.
    public let path: String
    /// Where each feature comes from, and the sources reasons are given for.
    public let sources: FeatureSources
    /// The id column, if any; without one, ids are 1-based row numbers.
    public let idColumn: String?
    /// The extra categorical columns, in the order of every batch's `attributes`.
    public let attributeColumns: [String]

    private let reader: CSVBatchReader
    /// Per feature: the request holding its number (a column) or its source's codes.
    private let featureRequest: [Int]
    /// Per source: the request holding its codes, −1 when it has no column.
    private let sourceRequest: [Int]
    private let idRequest: Int?
    private let attributeRequests: [Int]

    /// Opens `path` and matches its header to `featureNames`.
    ///
    /// - Throws: `FairleadError(.invalidData)` for an unreadable file, a malformed header,
    ///   or a feature, id or extra column the header lacks (with the closest names).
    public init(path: String, featureNames: [String], idColumn: String?, attributeColumns: [String] = [],
                missingMarkers: Set<String> = CSVOptions().missingMarkers, blockSize: Int = 1 << 20) throws {
        let header = try CSVBatchReader.header(path: path)
        let sources = try FeatureSources(featureNames: featureNames, header: header, file: path)
        var requests = sources.columnRequests
        func request(_ name: String, _ kind: CSVBatchReader.Kind) -> Int {
            if let index = requests.firstIndex(where: { $0.name == name && $0.kind == kind }) { return index }
            requests.append(.init(name, kind: kind))
            return requests.count - 1
        }
        featureRequest = sources.readings.map { reading in
            switch reading {
            case .column(let name): return request(name, .numeric)
            case .indicator(let source, _): return request(sources.sources[source].name, .categorical)
            }
        }
        sourceRequest = sources.sources.map { source in
            source.kind == .categorical && source.isColumn ? request(source.name, .categorical) : -1
        }
        idRequest = idColumn.map { request($0, .text) }
        attributeRequests = attributeColumns.map { request($0, .categorical) }
        self.reader = try CSVBatchReader(path: path, requests: requests, missingMarkers: missingMarkers, blockSize: blockSize)
        self.path = path
        self.sources = sources
        self.idColumn = idColumn
        self.attributeColumns = attributeColumns
    }

    /// The next at most `maxRows` leads, or nil at the end of the file.
    public func next(maxRows: Int) throws -> LeadBatch? {
        guard let batch = try reader.next(maxRows: maxRows) else { return nil }
        let rows = batch.rowCount
        let width = sources.featureNames.count
        var features = Matrix(rows: rows, columns: width)
        features.withUnsafeMutableBufferPointer { output in
            for (feature, reading) in sources.readings.enumerated() {
                switch reading {
                case .column:
                    batch.numbers(featureRequest[feature]).withUnsafeBufferPointer { values in
                        for row in 0..<rows { output[row * width + feature] = values[row] }
                    }
                case .indicator(_, let level):
                    let (codes, levels) = batch.categories(featureRequest[feature])
                    let wanted = levels.firstIndex(of: level).map(Int32.init) ?? -2
                    codes.withUnsafeBufferPointer { codes in
                        for row in 0..<rows { output[row * width + feature] = codes[row] == wanted ? 1 : 0 }
                    }
                }
            }
        }
        var categories: [[Int32]] = []
        var levels: [[String]] = []
        for (index, source) in sources.sources.enumerated() {
            if source.kind == .numeric {
                categories.append([])
                levels.append([])
            } else if sourceRequest[index] >= 0 {
                let (codes, sourceLevels) = batch.categories(sourceRequest[index])
                categories.append(codes)
                levels.append(sourceLevels)
            } else {
                categories.append(Self.activeIndicator(of: source, in: features))
                levels.append(source.levels)
            }
        }
        let ids = idRequest.map { batch.text($0) } ?? (0..<rows).map { String(batch.firstRow + $0 + 1) }
        let attributes = zip(attributeColumns, attributeRequests).map { name, request in
            let (codes, levels) = batch.categories(request)
            return SensitiveAttribute(name: name, codes: codes, levels: levels)
        }
        return LeadBatch(ids: ids, features: features, categories: categories, levels: levels,
                         attributes: attributes, lines: batch.lines)
    }

    /// Per row: the index (among the source's members) of the first indicator that is 1, or −1.
    private static func activeIndicator(of source: FeatureSources.Source, in features: Matrix) -> [Int32] {
        (0..<features.rows).map { row in
            for (member, feature) in source.features.enumerated() where features[row, feature] == 1 {
                return Int32(member)
            }
            return -1
        }
    }
}
