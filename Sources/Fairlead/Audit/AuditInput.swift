import FairleadCore

/// An audit's one read of its data: every column the audit needs — the metrics' (see
/// ``AuditData``), the id column to join late labels on, the model's feature columns for
/// the explanations section — parsed in one pass over the input, while the bytes are
/// fingerprinted (SHA-256 and size) as they stream by.
///
/// So the data is opened once: `--data -` (standard input) and a named pipe can be
/// audited, and the report's `data.sha256` is of exactly the bytes the numbers come
/// from. The digest is of the bytes as stored — a `.csv.gz` file's compressed bytes —
/// and equals what `sha256sum` prints for the file.
struct AuditInput {
    /// The data path as given; `-` is standard input.
    var path: String
    /// Every column read.
    var table: Table
    /// The metrics' columns.
    var data: AuditData
    /// The SHA-256 (lowercase hex) and size of the bytes read.
    var fingerprint: (hex: String, bytes: Int)
    /// With a model: its features matched to the data's header.
    var explained: Explained?
    /// Rows left out for lack of consent (`data.consent`) before anything was computed;
    /// `table` and `data` hold only the others.
    var withoutConsent = 0
    /// For a gzip input, the SHA-256 of the CSV it inflated to (``StreamingDigest/contentSHA256``).
    var contentSHA256: String?
    /// The largest weight as read and the power of two every weight was multiplied by,
    /// when the weights' sums would otherwise leave a double's range
    /// (``AuditColumns/weightScale(weights:scores:)``); `nil` when they were not.
    var weightScale: (largest: Double, exponent: Int)?
    /// With `data.id` declared: the rows whose id an earlier row has, as the report's note
    /// says them (``RepeatedLeadIDs``); `nil` when every id is on one row or no id is read.
    var repeatedIDsNote: String?
    /// The `data.id` column when it was read (as text): for late labels, or to count repeats.
    var idRead: String?

    /// The model of the profile's `model:` and how the data's columns give its features.
    struct Explained {
        var model: any Model
        var sources: FeatureSources
    }

    /// What a path of `-` means: standard input.
    static let standardInputPath = "-"

    /// Reads `path` once for `profile`; with `idColumn`, that column too (as text); with
    /// `model`, the columns its features come from.
    ///
    /// - Throws: `FairleadError` for unreadable or malformed data, a column the profile,
    ///   the id or the model names that the header lacks, or a column needed both as
    ///   numbers and as categories.
    /// - Parameter shard: the rows are a shard of the audit's (`fairlead stats`): none of
    ///   them consenting is not an error, and neither is a label column without one of
    ///   `data.label.positive`'s values (the completed audit checks the sum).
    static func read(profile: AuditProfile, path: String, threads: Int, idColumn: String?,
                     model: (any Model)?, streamed: CSVInput? = nil, shard: Bool = false) throws -> AuditInput {
        var options = profile.csvOptions(threads: threads)
        // Scores, weights, binned attributes and model features are measurements.
        options.refusesInfinity = true
        // A database's NULL arrives as an empty field, always missing; its empty text as
        // `""`, missing only when "" is a marker, as a file's empty field is.
        if streamed != nil { options.emptyFieldIsNull = true }
        let input: CSVInput = streamed ?? (path == standardInputPath ? .standardInput : .file(path))
        let digest = StreamingDigest()
        var sources: FeatureSources?
        let table = try CSVReader.read(input, columns: { header in
            // A streamed source sends only the columns read; its full header was checked
            // (``Audit/columnsToRead(header:)``), the id column's presence included.
            let (requests, matched) = try columnRequests(header: header, profile: profile, path: path,
                                                         idColumn: idColumn, model: model, checkingID: streamed == nil,
                                                         readingID: !shard)
            sources = matched
            return requests
        }, options: options, observer: digest)
        var kept = table
        var withoutConsent = 0
        if let consent = profile.data.consent {
            (kept, withoutConsent) = try consent.filter(table, path: path, options: options, allowingNone: shard)
        }
        let explained = try model.map { model -> Explained in
            guard let sources else {
                throw FairleadError(.internalFailure, "the model's features were not matched to the header", at: SourceLocation(file: path))
            }
            // A column named as another's indicator (`sex_Female` beside `sex`, `email_opens`
            // beside `email`) is grouped as its values say, as `explain` groups it.
            let decided = FeatureSources.decisions(for: sources.ambiguousFeatures, in: kept)
            return Explained(model: model, sources: try sources.deciding(decided))
        }
        var data = try AuditData(table: kept, profile: profile, path: path, shard: shard)
        try checkGroupCounts(data, profile: profile, path: path)
        // A shard's sums are added to other shards' as they are: its weights stay as read
        // (a part refuses sums out of range, StatisticsPart.checkFiniteSums).
        var weightScale: (largest: Double, exponent: Int)?
        if let weights = data.weights, let weightColumn = profile.data.weight {
            // A row of the rows kept, at its record of the file (rows without consent left out).
            let source = RecordLocator(kept, path: path, options: streamed == nil ? options : nil)
            func location(_ row: Int) -> SourceLocation {
                source.locate(row, column: weightColumn) ?? SourceLocation(file: path, field: weightColumn)
            }
            // A weight outside 0…1e50 is refused before any rescaling: scaled, 1e300 passed as
            // 2^-996 · 1e300, and the other rows' weights fell towards underflow.
            if let row = weights.firstIndex(where: { !$0.isNaN && !AuditColumns.isValidWeight($0) }) {
                throw FairleadError(.invalidData, "weight is \(weights[row]), expected a number from 0 to \(AuditColumns.largestWeight)",
                                    at: location(row))
            }
            if let row = AuditColumns.firstUnderflowingWeight(weights) {
                // Every weight is NaN or in range by now.
                let largest = weights.lazy.filter { !$0.isNaN }.max() ?? 0
                throw FairleadError(.invalidData,
                                    "weight is \(weights[row]), more than 2^511 (about 6.7e153) times smaller than the largest weight (\(largest)): its square underflows, so the effective rows of its group cannot be counted; weights this far apart have no exact audit: set such weights to 0, or audit the groups apart",
                                    at: location(row))
            }
        }
        if !shard, let weights = data.weights,
           let scale = AuditColumns.weightScale(weights: weights, scores: data.scores) {
            weightScale = scale
            data.weights = AuditColumns.scaled(weights, byPowerOfTwo: scale.exponent)
        }
        var read = AuditInput(path: path, table: kept, data: data, fingerprint: digest.fingerprint, explained: explained)
        read.weightScale = weightScale
        read.withoutConsent = withoutConsent
        read.contentSHA256 = digest.contentSHA256
        if let id = profile.data.id, let ids = try? read.idColumn(id) {
            read.idRead = id
            if !shard, let repeats = RepeatedLeadIDs.find(in: ids) {
                // Rows of the rows kept, at their records of the file (rows without consent
                // left out); both rows the note names are found in one read of the file.
                let source = RecordLocator(kept, path: path, options: streamed == nil ? options : nil)
                let lines = source.locate(rows: [repeats.first.earlier, repeats.first.row])
                read.repeatedIDsNote = repeats.note(column: id) { row in
                    if let line = lines[row]?.line { return "line \(line)" }
                    return "row \(source.record(row) + 1)"
                }
            }
        }
        return read
    }

    /// Refuses, before any metric, an attribute or intersection with more groups than
    /// `limits.max_groups`, naming the data file and the column.
    static func checkGroupCounts(_ data: AuditData, profile: AuditProfile, path: String) throws {
        let columns = AuditColumns(scores: data.scores, labelColumn: data.labels, weights: data.weights,
                                   attributes: data.attributes)
        for attributes in profile.groupings {
            do {
                try Grouping.checkGroupCount(columns: columns, attributes: attributes,
                                             missingPolicies: profile.missingPolicies(for: attributes),
                                             maxGroups: profile.limits.maxGroups)
            } catch var error as FairleadError where error.limit == .maxGroups {
                error.location = SourceLocation(file: path, field: attributes.count == 1 ? attributes[0] : nil)
                throw error
            }
        }
    }

    /// Lets the table's columns go, keeping its row count, when nothing after the
    /// metrics reads them (no model, no quasi-identifiers): ``data`` keeps the metrics'
    /// columns — sharing the table's storage where they hold the same values — and the
    /// rest of the table (missing-value masks, the label and attribute columns as read)
    /// need not stay in memory through the audit's later passes.
    mutating func releaseTable() {
        table = Table(rowCount: table.rowCount, columns: [])
    }

    /// The columns an audit of `profile` reads from data with `header`: the metrics', the
    /// id column for late labels, the quasi-identifiers, the consent column and the
    /// columns the model's features come from (matched to the header). With `readingID`,
    /// `data.id` too, to count the rows that repeat an id (``RepeatedLeadIDs``).
    static func columnRequests(header: [String], profile: AuditProfile, path: String, idColumn: String?,
                               model: (any Model)?, checkingID: Bool = true,
                               readingID: Bool = true) throws -> (requests: [ColumnRequest], sources: FeatureSources?) {
        if let error = AuditPreflight.unrecognisedHeader(header, profile: profile, path: path) { throw error }
        var requests = AuditData.columnRequests(profile: profile)
        if checkingID, idColumn == nil, let id = profile.data.id, !header.contains(id) {
            // Named but not read: its absence is still an error, as `validate` says.
            throw FairleadError(.invalidData, missingColumnMessage(id, among: header),
                                at: SourceLocation(file: path, line: 1, field: id))
        }
        if let idColumn {
            try add(ColumnRequest(idColumn, type: .categorical), to: &requests, path: path)
        } else if readingID, let id = profile.data.id, header.contains(id), !requests.contains(where: { $0.name == id }) {
            // Read only to count repeats: a column the audit reads as numbers already is not counted.
            requests.append(ColumnRequest(id, type: .categorical))
        }
        // Quasi-identifiers as read (text), unless the audit reads the column already.
        for name in profile.privacy?.quasiIdentifiers ?? [] where !requests.contains(where: { $0.name == name }) {
            requests.append(ColumnRequest(name, type: .categorical))
        }
        if let consent = profile.data.consent {
            try add(ColumnRequest(consent.column, type: .categorical), to: &requests, path: path)
        }
        var sources: FeatureSources?
        if let model {
            // One-hot features map to their column as `explain` maps them (`sex_Female` is `sex`).
            let written = profile.sensitive.map(\.column) + (profile.explanations?.names.map(\.name) ?? [])
            let known = written + SourceColumnMatcher.indicatorColumns(of: written, among: model.featureNames)
            let matched = try FeatureSources(featureNames: model.featureNames, header: header, knownColumns: known, file: path)
            for request in matched.columnRequests { try add(request, to: &requests, path: path) }
            // Every column an ambiguous feature may be the indicator of, to compare it with
            // (``FeatureSources/decisions(for:in:)``); one read as numbers already is not compared.
            for feature in matched.ambiguousFeatures {
                for candidate in feature.candidates where header.contains(candidate.column)
                    && !requests.contains(where: { $0.name == candidate.column }) {
                    requests.append(ColumnRequest(candidate.column, type: .categorical))
                }
            }
            sources = matched
        }
        return (requests, sources)
    }

    /// Adds `request` unless its column is asked for already; a column asked for with
    /// its type takes that type over an inferred one.
    private static func add(_ request: ColumnRequest, to requests: inout [ColumnRequest], path: String) throws {
        guard let index = requests.firstIndex(where: { $0.name == request.name }) else {
            requests.append(request)
            return
        }
        switch (requests[index].type, request.type) {
        case (nil, let type?):
            requests[index].type = type
        case (let first?, let second?) where first != second:
            throw FairleadError(.usage, "column \"\(request.name)\" is needed both as \(first.rawValue) and as \(second.rawValue)",
                                at: SourceLocation(file: path, field: request.name))
        default:
            break
        }
    }

    /// The id column read (for late labels, or to count repeated ids), as text.
    func idColumn(_ name: String) throws -> CategoricalColumn {
        guard let values = try table.requireColumn(named: name).categorical else {
            throw FairleadError(.invalidData, "the id column must be read as text", at: SourceLocation(file: path, field: name))
        }
        return values
    }
}
