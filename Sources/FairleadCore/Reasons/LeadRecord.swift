/// One lead given as named values rather than as a row of a file — what a CRM sends to
/// `fairlead serve` — keyed by the columns a data file of leads would have.
///
///     let record = LeadRecord(id: "L0000042", values: ["pricing_page_views": .number(6), "lead_source": .text("web_form")])
///     let batch = try LeadBatch(records: [record], sources: reader.sources)
///
/// A key the model does not read is ignored here (the service decides which keys it
/// accepts); a column the model reads and the record lacks is missing, as an empty cell is.
public struct LeadRecord: Sendable, Equatable {
    /// A value as a cell would hold it.
    public enum Value: Sendable, Equatable {
        /// A number.
        case number(Double)
        /// Text: a category, or a number written as text (`"6"`).
        case text(String)
        /// Missing (JSON `null`).
        case missing
    }

    /// The lead's id (nil: none; the answer then gives its 0-based position among the
    /// records as `"index"`, see ``LeadBatch/sentWithoutID``).
    public var id: String?
    /// The values by column name.
    public var values: [String: Value]

    /// A record from its parts.
    public init(id: String? = nil, values: [String: Value]) {
        self.id = id
        self.values = values
    }
}

extension LeadBatch {
    /// The leads of `records` as ``LeadReader`` would read the same values from a file
    /// whose header gave `sources`: numbers for numeric features (text that parses as a
    /// number, too; a missing marker or `.missing` is NaN), one-hot indicators from their
    /// source column's value (1 for its level, else 0; 0 when missing), and each
    /// categorical source's value as a rep reads it.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the record (`leads[2].web_visits`)
    ///   for a numeric feature whose value is text that is not a number by the file
    ///   reader's grammar (``CSVReader/number(_:)``), or a number that is not finite
    ///   (`"inf"`, `"1e999"`), as a data file's numeric column refuses them. For a column
    ///   of `withheld` (withheld from reps) the error names the record only, and neither
    ///   the column nor the value: the answer is one reps may read.
    public init(records: [LeadRecord], sources: FeatureSources,
                missingMarkers: Set<String> = CSVOptions().missingMarkers, withheld: Set<String> = []) throws {
        let rows = records.count
        let width = sources.featureNames.count
        func field(_ row: Int, _ name: String) -> String? {
            withheld.contains(name) ? (rows == 1 ? nil : "leads[\(row)]") : rows == 1 ? name : "leads[\(row)].\(name)"
        }
        // The value as a message quotes it: not at all in a withheld column.
        func quoted(_ cell: String, _ name: String) -> String {
            withheld.contains(name) ? "text in a column withheld from reps (not shown)" : "\"\(MessageQuote.clipped(cell, limit: 60))\""
        }
        func text(_ value: LeadRecord.Value?) -> String? {
            switch value {
            case .text(let text): return missingMarkers.contains(text) ? nil : text
            case .number(let number): return number.isFinite ? Self.cellText(number) : nil
            case .missing, nil: return nil
            }
        }
        var values = [Double](repeating: 0, count: rows * width)
        for (row, record) in records.enumerated() {
            for (feature, reading) in sources.readings.enumerated() {
                switch reading {
                case .column(let name):
                    switch record.values[name] {
                    case .number(let number):
                        guard number.isFinite else {
                            throw FairleadError(.invalidData, "expected a finite number, found \(number)",
                                                at: SourceLocation(field: field(row, name)))
                        }
                        values[row * width + feature] = number
                    case .text(let cell):
                        if missingMarkers.contains(cell) {
                            values[row * width + feature] = .nan
                        } else if let number = CSVReader.number(cell) {
                            // The file's grammar (not `Double(_:)`, which reads hex, `nan` and
                            // `1e999` as ±inf): a lead sent is read as the same lead in a file.
                            guard number.isFinite else {
                                throw FairleadError(.invalidData, "expected a finite number, found \(quoted(cell, name))",
                                                    at: SourceLocation(field: field(row, name)))
                            }
                            values[row * width + feature] = number
                        } else {
                            throw FairleadError(.invalidData, "expected a number, found \(quoted(cell, name))",
                                                at: SourceLocation(field: field(row, name)))
                        }
                    case .missing, nil:
                        values[row * width + feature] = .nan
                    }
                case .indicator(let source, let level):
                    values[row * width + feature] = text(record.values[sources.sources[source].name]) == level ? 1 : 0
                }
            }
        }
        let features = Matrix(rows: rows, columns: width, values: values)
        var categories: [[Int32]] = []
        var levels: [[String]] = []
        for source in sources.sources {
            if source.kind == .numeric {
                categories.append([])
                levels.append([])
            } else if source.isColumn {
                var sourceLevels: [String] = []
                var codeOf: [String: Int32] = [:]
                categories.append(records.map { record in
                    guard let value = text(record.values[source.name]) else { return -1 }
                    if let code = codeOf[value] { return code }
                    let code = Int32(sourceLevels.count)
                    sourceLevels.append(value)
                    codeOf[value] = code
                    return code
                })
                levels.append(sourceLevels)
            } else {
                categories.append(LeadReader.activeIndicator(of: source, in: features))
                levels.append(source.levels + [source.otherLevel])
            }
        }
        // A lead sent without an id gets none: a made-up one ("1", "2") could be a real
        // lead's, and a caller matching answers to leads by id would take one for the other.
        let withoutID = records.map { $0.id == nil }
        self.init(ids: records.enumerated().map { row, record in record.id ?? String(row) },
                  features: features, categories: categories, levels: levels,
                  sentWithoutID: withoutID.contains(true) ? withoutID : [])
    }

    /// A number as a CSV cell would hold it: integers without a decimal point.
    static func cellText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}
