/// Reads a CSV file of leads batch by batch for explaining: the model's features (with
/// one-hot columns derived from their source columns, see ``FeatureSources``), the id
/// column, and optionally extra categorical columns. Memory is bounded by the batch size.
///
/// The file is read by ``CSVReader/batches(path:columns:options:)``: ``CSVReader``'s
/// format, values and located errors. Numeric features are read as numeric columns,
/// categorical sources, extra columns and the id column as categorical (a missing id is
/// the empty string). The levels of categorical sources and extra columns only grow
/// from batch to batch, so their codes stay valid in later batches (see
/// ``LeadBatch/joined(_:)``).
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
    /// The column of recorded scores read into every batch's `recordedScores`: the one
    /// asked for, when the file has it; `nil` otherwise.
    public let scoreColumn: String?
    /// What each id read from the id column becomes before anything sees it (keyed
    /// pseudonyms, `privacy.pseudonymize_ids`); row numbers are left as they are.
    public var idTransform: (@Sendable (String) -> String)?
    /// The rows of each batch to keep (0-based within the batch); the others are skipped
    /// and counted in ``skippedRows`` (leads without consent). `nil` keeps every row.
    public var rowFilter: ((LeadBatch) throws -> [Int])?
    /// Rows ``rowFilter`` skipped so far.
    public private(set) var skippedRows = 0

    private let reader: CSVReader.Batches
    /// Per feature: the request holding its number (a column) or its source's codes.
    private let featureRequest: [Int]
    /// Per source: the request holding its codes, −1 when it has no column.
    private let sourceRequest: [Int]
    private let idRequest: Int?
    private let attributeRequests: [Int]
    private let scoreRequest: Int?
    /// Per request read as categorical codes for sources or extra columns: its levels over
    /// all batches so far.
    private var levelsSoFar: [Int: _LevelsSoFar] = [:]

    /// The rows that decide whether a column that is a model feature and is named as
    /// another column's indicator (``FeatureSources/ambiguousFeatures``) is that
    /// indicator: the file's first ones, read before the first batch.
    public static let evidenceRows = 100_000

    /// Opens `path` and matches its header to `featureNames`; one-hot features are
    /// matched to their source columns among the header and `knownColumns`
    /// (``FeatureSources``), and a feature that is a column of the file as well as a
    /// name of another column's indicator by up to ``evidenceRows`` rows of its values
    /// (``IndicatorEvidence``).
    ///
    /// - Throws: `FairleadError(.invalidData)` for an unreadable file, a malformed header,
    ///   or a feature, id or extra column the header lacks (with the closest names);
    ///   `FairleadError(.usage)` for a column needed both as a number and as categories
    ///   (a numeric feature that is also the id or an extra column).
    ///
    /// `baselineLevels` declares the levels one-hot encodings dropped
    /// (``FeatureSources/declaringBaselineLevels(_:field:)``), written at `baselineField`.
    /// `scoreColumn`, when the file has it, is read as numbers into each batch's
    /// `recordedScores` (a file of leads for reps may have no score: then nothing is read).
    public init(path: String, featureNames: [String], idColumn: String?, attributeColumns: [String] = [],
                knownColumns: [String] = [], missingMarkers: Set<String> = CSVOptions().missingMarkers, blockSize: Int = 1 << 20,
                limits: Limits = Limits(), baselineLevels: [String: String] = [:],
                baselineField: String = "baseline_levels", scoreColumn: String? = nil) throws {
        var options = CSVOptions()
        options.missingMarkers = missingMarkers
        options.limits = limits
        options.blockSize = blockSize
        options.refusesInfinity = true
        let header = try CSVReader.headerNames(path: path, options: options)
        var sources = try FeatureSources(featureNames: featureNames, header: header, knownColumns: knownColumns, file: path)
        let ambiguous = sources.ambiguousFeatures
        if !ambiguous.isEmpty {
            let decided = try FeatureSources.decisions(for: ambiguous, path: path, header: header, options: options,
                                                       rows: Self.evidenceRows)
            sources = try sources.deciding(decided)
        }
        sources = try sources.declaringBaselineLevels(baselineLevels, field: baselineField)
        var requests = sources.columnRequests
        // Found by name and type in a dictionary: a model may name 100,000 features.
        var requestIndex: [ColumnRequest: Int] = [:]
        for (index, request) in requests.enumerated() where requestIndex[request] == nil { requestIndex[request] = index }
        func request(_ name: String, _ type: ColumnType) -> Int {
            let wanted = ColumnRequest(name, type: type)
            if let index = requestIndex[wanted] { return index }
            requests.append(wanted)
            requestIndex[wanted] = requests.count - 1
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
        idRequest = idColumn.map { request($0, .categorical) }
        attributeRequests = attributeColumns.map { request($0, .categorical) }
        // A score column read as categories too (an id or extra column) is not compared.
        let readScore = scoreColumn.flatMap { name in
            header.contains(name) && !requests.contains { $0.name == name && $0.type != .numeric } ? name : nil
        }
        scoreRequest = readScore.map { request($0, .numeric) }
        self.scoreColumn = readScore
        self.reader = try CSVReader.batches(path: path, columns: requests, options: options)
        self.path = path
        self.sources = sources
        self.idColumn = idColumn
        self.attributeColumns = attributeColumns
    }

    /// The next at most `maxRows` leads (those ``rowFilter`` keeps; never an empty
    /// batch), or nil at the end of the file.
    public func next(maxRows: Int) throws -> LeadBatch? {
        while let batch = try nextRead(maxRows: maxRows) {
            guard let rowFilter else { return batch }
            let kept = try rowFilter(batch)
            skippedRows += batch.count - kept.count
            if kept.count == batch.count { return batch }
            if !kept.isEmpty { return batch.subset(kept) }
        }
        return nil
    }

    /// The next at most `maxRows` rows of the file as leads, or nil at its end.
    private func nextRead(maxRows: Int) throws -> LeadBatch? {
        guard let batch = try reader.next(maxRows: maxRows) else { return nil }
        let rows = batch.rowCount
        let width = sources.featureNames.count
        var features = Matrix(rows: rows, columns: width)
        features.withUnsafeMutableBufferPointer { output in
            for (feature, reading) in sources.readings.enumerated() {
                switch reading {
                case .column:
                    batch.numeric(featureRequest[feature]).values.withUnsafeBufferPointer { values in
                        for row in 0..<rows { output[row * width + feature] = values[row] }
                    }
                case .indicator(_, let level):
                    let column = batch.categorical(featureRequest[feature])
                    let wanted = column.levels.firstIndex(of: level).map(Int32.init) ?? -2
                    column.codes.withUnsafeBufferPointer { codes in
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
                let (codes, sourceLevels) = stableCodes(of: batch, request: sourceRequest[index])
                categories.append(codes)
                levels.append(sourceLevels)
            } else {
                categories.append(Self.activeIndicator(of: source, in: features))
                levels.append(source.levels + [source.otherLevel])
            }
        }
        let ids: [String]
        if let idRequest {
            let column = batch.categorical(idRequest)
            ids = (0..<rows).map { row in
                let id = column[row] ?? ""
                return idTransform.map { $0(id) } ?? id
            }
        } else {
            ids = (0..<rows).map { String(batch.firstRow + $0 + 1) }
        }
        let attributes = zip(attributeColumns, attributeRequests).map { name, request in
            let (codes, levels) = stableCodes(of: batch, request: request)
            return SensitiveAttribute(name: name, codes: codes, levels: levels)
        }
        return LeadBatch(ids: ids, features: features, categories: categories, levels: levels,
                         attributes: attributes, lines: batch.lines,
                         recordedScores: scoreRequest.map { batch.numeric($0).values } ?? [])
    }

    /// The codes of categorical request `request` in `batch`, recoded into the levels it
    /// has had over all batches so far, and those levels.
    private func stableCodes(of batch: CSVBatch, request: Int) -> (codes: [Int32], levels: [String]) {
        let codes = levelsSoFar[request, default: _LevelsSoFar()].recode(batch.categorical(request))
        return (codes, levelsSoFar[request]?.levels ?? [])
    }

    /// Per row: the index (among the source's members) of the first indicator that is 1;
    /// the member count (the source's ``FeatureSources/Source/otherLevel``) when every
    /// indicator is 0; −1 (missing) when none is 1 and one is missing.
    static func activeIndicator(of source: FeatureSources.Source, in features: Matrix) -> [Int32] {
        (0..<features.rows).map { row in
            var missing = false
            for (member, feature) in source.features.enumerated() {
                let value = features[row, feature]
                if value == 1 { return Int32(member) }
                if value.isNaN { missing = true }
            }
            return missing ? -1 : Int32(source.features.count)
        }
    }
}

/// A categorical column's levels over the batches of a file, in order of first appearance.
private struct _LevelsSoFar {
    private(set) var levels: [String] = []
    private var codeOfLevel: [String: Int32] = [:]

    /// The codes of `column` (codes into its own levels) as codes into these levels,
    /// adding the levels not seen before; −1 stays −1.
    mutating func recode(_ column: CategoricalColumn) -> [Int32] {
        let recoded = column.levels.map { level -> Int32 in
            if let code = codeOfLevel[level] { return code }
            let code = Int32(levels.count)
            levels.append(level)
            codeOfLevel[level] = code
            return code
        }
        return column.codes.map { $0 < 0 ? -1 : recoded[Int($0)] }
    }
}
