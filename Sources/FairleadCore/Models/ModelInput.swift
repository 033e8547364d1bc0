/// The rows a model scores or an explainer explains, read from a CSV file: an id per row
/// and the model's feature matrix, its columns matched to the file's header by name.
///
/// The file is read by ``CSVReader``, so only the columns the model names (and the id
/// column) are parsed, with the reader's RFC 4180 handling, missing markers and located
/// errors. A feature named `column=value` that is not itself a header but whose `column`
/// is, is derived as the one-hot indicator of `value` (1 or 0; a missing value gives 0,
/// as pandas' get_dummies). A value of such a column that no feature names (`WEB_FORM`
/// where the model has `lead_source=web_form`) gives 0 in every one of the column's
/// indicators — none of the levels the model knows — and is counted in ``unseenLevels``.
///
///     let input = try ModelInput(csvAt: "leads.csv", model: model, idColumn: "lead_id")
///     let attributions = try TreeSHAP(model: ensemble).explain(input.features)
public struct ModelInput: Sendable {
    /// One id per row: the id column's value, or the 1-based row number without one.
    public let ids: [String]
    /// n × model.featureNames.count, columns in the model's order.
    public let features: Matrix
    /// The values of one-hot source columns that the model has no feature for, per column:
    /// every indicator of such a row is 0.
    public let unseenLevels: UnseenLevels

    /// Reads `path` for `model`.
    public init(csvAt path: String, model: any Model, idColumn: String? = nil, threads: Int = 1,
                limits: Limits = Limits(), baselineLevels: [String: String] = [:]) throws {
        try self.init(csvAt: path, featureNames: model.featureNames, idColumn: idColumn, threads: threads, limits: limits,
                      baselineLevels: baselineLevels)
    }

    /// Reads the columns behind `featureNames` (and `idColumn`) of the CSV file at `path`.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the file, line and column: unreadable
    ///   or empty file, invalid UTF-8, a ragged row, a feature (or the id column) the header
    ///   lacks (with the closest names), a value that is not a number;
    ///   `FairleadError(.usage)` for a `baselineLevels` column no indicator is derived from,
    ///   or a level one is (a baseline level is the one a `drop_first` encoding left out:
    ///   it is then not counted in ``unseenLevels``).
    public init(csvAt path: String, featureNames: [String], idColumn: String? = nil, threads: Int = 1,
                limits: Limits = Limits(), baselineLevels: [String: String] = [:]) throws {
        var options = CSVOptions()
        options.threads = threads
        options.limits = limits
        options.missingMarkers = ["", "NA", "NaN", "nan", "null", "NULL", "N/A"]
        options.refusesInfinity = true
        let header = Set(try CSVReader.headerNames(path: path, options: options))
        enum Source { case number(String), indicator(String, String) }
        var requests: [ColumnRequest] = []
        var requested: Set<String> = []  // a model may name 100,000 features: no search of `requests`
        func request(_ name: String, _ type: ColumnType) {
            if requested.insert(name).inserted { requests.append(ColumnRequest(name, type: type)) }
        }
        let sources: [Source] = featureNames.map { name in
            if header.contains(name) {
                request(name, .numeric)
                return .number(name)
            }
            if let equals = name.firstIndex(of: "="), header.contains(String(name[..<equals])) {
                let column = String(name[..<equals])
                request(column, .categorical)
                return .indicator(column, String(name[name.index(after: equals)...]))
            }
            request(name, .numeric)  // not in the header: the reader names it and the closest
            return .number(name)
        }
        if let idColumn { request(idColumn, .categorical) }
        let table = try CSVReader.read(path: path, columns: requests, options: options)

        let rows = table.rowCount, width = featureNames.count
        var values = [Double](repeating: 0, count: rows * width)
        for (position, source) in sources.enumerated() {
            switch source {
            case .number(let name):
                guard let column = try table.requireColumn(named: name).numeric else { continue }
                for row in 0..<rows { values[row * width + position] = column.values[row] }
            case .indicator(let name, let level):
                guard let column = try table.requireColumn(named: name).categorical,
                      let code = column.levels.firstIndex(of: level).map(Int32.init) else { continue }
                for row in 0..<rows where column.codes[row] == code { values[row * width + position] = 1 }
            }
        }
        var knownLevels: [String: Set<String>] = [:]
        var indicatorColumns: [String] = []
        var features: [String: [String: String]] = [:]
        for (position, source) in sources.enumerated() {
            guard case .indicator(let name, let level) = source else { continue }
            if knownLevels[name] == nil { indicatorColumns.append(name) }
            knownLevels[name, default: []].insert(level)
            features[name, default: [:]][level] = featureNames[position]
        }
        try FeatureSources.checkBaselineLevels(baselineLevels.map { ($0.key, $0.value) }, field: "--baseline-level",
                                               columns: indicatorColumns, features: features)
        for (column, level) in baselineLevels { knownLevels[column, default: []].insert(level) }
        var unseen = UnseenLevels()
        for name in indicatorColumns {
            guard let column = try table.requireColumn(named: name).categorical, let known = knownLevels[name] else { continue }
            var rowsOfCode = [Int](repeating: 0, count: column.levels.count)
            for code in column.codes where code >= 0 { rowsOfCode[Int(code)] += 1 }
            for (code, level) in column.levels.enumerated() where rowsOfCode[code] > 0 && !known.contains(level) {
                unseen.count(column: name, value: level, rows: rowsOfCode[code])
            }
        }
        self.unseenLevels = unseen
        if let idColumn, let ids = try table.requireColumn(named: idColumn).categorical {
            self.ids = (0..<rows).map { ids[$0] ?? "" }
        } else {
            self.ids = (1...max(rows, 1)).prefix(rows).map(String.init)
        }
        self.features = Matrix(rows: rows, columns: width, values: values)
    }
}
