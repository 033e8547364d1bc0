import FairleadCore

/// Leads given as named values (``LeadRecord``), one request at a time: the library side
/// of `fairlead serve`'s `POST /v1/explain`.
///
/// Records are read against the reference file's columns (``reference``), so a record
/// carries the values a row of that file would, keyed by its header; the explanation is
/// the one `fairlead explain` gives the same row, with the same reasons withheld.
///
///     let explanations = try LeadExplanations(profile: profile, threads: 1)
///     let json = try explanations.output(records: [LeadRecord(values: ["web_visits": .number(12)])], format: .json)
extension LeadExplanations {
    /// The keys a record may carry: the reference file's and the explained file's
    /// columns, the model's features and their source columns, and the id column.
    ///
    /// - Throws: the files' errors when a header cannot be read.
    public func recordKeys() throws -> Set<String> {
        var keys = Set(context.model.featureNames)
        keys.formUnion(context.referenceSources.sources.map(\.name))
        keys.formUnion(context.knownColumns)
        var options = CSVOptions()
        options.limits = limits
        keys.formUnion(try CSVReader.headerNames(path: context.referencePath, options: options))
        keys.formUnion(try CSVReader.headerNames(path: dataPath, options: options))
        if let idColumn { keys.insert(idColumn) }
        if let consent { keys.insert(consent.column) }
        return keys
    }

    /// The explanations of `records`, in their order; `cancellation` stops the work between
    /// leads (``ExplanationStream/cancellation``).
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the record's field for a value that
    ///   is not a number where the model needs one, and, when the profile asks for consent
    ///   (`data.consent`), for a record without it; `CancellationError` once `cancellation`
    ///   is cancelled or past its deadline.
    public func explain(records: [LeadRecord], cancellation: Cancellation? = nil) throws -> [LeadExplanation] {
        let (batch, stream) = try recordBatch(records, format: .json, cancellation: cancellation)
        return try stream.explain(batch, groups: recordGroups)
    }

    /// The output of `fairlead explain --format format` for `records`, as UTF-8.
    ///
    /// - Throws: as ``explain(records:)``.
    public func output(records: [LeadRecord], format: ExplanationFormat, cancellation: Cancellation? = nil) throws -> [UInt8] {
        let (batch, stream) = try recordBatch(records, format: format, cancellation: cancellation)
        return try stream.output(batch, groups: recordGroups, warnings: omittedColumnWarnings(records).map { [$0] } ?? [])
    }

    /// What `records` leave out of the columns the model reads, or `nil`: a key left out
    /// is read as a missing value, as `null` is, so a caller that drops a field (a CRM
    /// export that lost a column) got confident reasons from what it never sent. Said
    /// in the answer's `"warnings"`, with how many leads left out each column. A column
    /// withheld from reps (``withheld``) is counted without its name: the answer is an
    /// output reps may read, which names nothing withheld.
    ///
    ///     2 leads leave out columns the model reads, read as missing: email_opens (2 leads), web_visits (1 lead), 1 column withheld from reps (2 leads); send null where a value is unknown
    func omittedColumnWarnings(_ records: [LeadRecord]) -> String? {
        let columns = context.referenceSources.sources.filter(\.isColumn).map(\.name)
        var omitted: [String: Int] = [:]
        var leads = 0
        var leadsOmittingWithheld = 0
        for record in records {
            let missing = columns.filter { record.values[$0] == nil }
            if !missing.isEmpty { leads += 1 }
            if missing.contains(where: { context.withheld[$0] != nil }) { leadsOmittingWithheld += 1 }
            for column in missing { omitted[column, default: 0] += 1 }
        }
        guard leads > 0 else { return nil }
        func count(_ leads: Int) -> String { "\(leads) lead\(leads == 1 ? "" : "s")" }
        let listed = columns.filter { omitted[$0] != nil && context.withheld[$0] == nil }
        var shown = listed.prefix(10).map { "\(MessageQuote.clipped($0)) (\(count(omitted[$0]!)))" }
        if listed.count > 10 { shown.append("and \(listed.count - 10) more") }
        let hidden = columns.filter { omitted[$0] != nil && context.withheld[$0] != nil }.count
        if hidden > 0 {
            shown.append("\(hidden) column\(hidden == 1 ? "" : "s") withheld from reps (\(count(leadsOmittingWithheld)))")
        }
        return "\(leads) lead\(leads == 1 ? " leaves" : "s leave") out columns the model reads, read as missing: "
            + shown.joined(separator: ", ") + "; send null where a value is unknown"
    }

    /// The output of `fairlead explain --format format --ids …` for `ids`, as UTF-8.
    ///
    /// - Throws: `FairleadError(.invalidData)` for an id not in the file; as
    ///   ``explain(records:cancellation:)`` for `cancellation`.
    public func output(ids: [String], format: ExplanationFormat, cancellation: Cancellation? = nil) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try run(format: format, ids: ids, cancellation: cancellation) { bytes += $0 }
        return bytes
    }

    private func recordBatch(_ records: [LeadRecord], format: ExplanationFormat,
                             cancellation: Cancellation?) throws -> (LeadBatch, ExplanationStream) {
        if let consent {
            for (row, record) in records.enumerated() {
                let field = records.count == 1 ? consent.column : "leads[\(row)].\(consent.column)"
                let value: String
                switch record.values[consent.column] {
                case .text(let text): value = text
                case .number(let number): value = number == 1 ? "1" : number == 0 ? "0" : String(number)
                case .missing, nil: value = ""
                }
                guard let consents = consent.consents(value) else {
                    throw FairleadError(.invalidData, "invalid consent value '\(MessageQuote.clipped(value, limit: 60))': expected true/false, yes/no, 1/0, blank, or purposes separated by ';' or '|'",
                                        at: SourceLocation(field: field))
                }
                guard consents else {
                    throw FairleadError(.invalidData, "the lead gave no consent to '\(consent.purpose)'; it is not explained",
                                        at: SourceLocation(field: field))
                }
            }
        }
        var named = records
        if let pseudonymizer {
            for index in named.indices { named[index].id = named[index].id.map { pseudonymizer.pseudonym($0) } }
        }
        let batch = try LeadBatch(records: named, sources: context.referenceSources, missingMarkers: missingMarkers,
                                  withheld: Set(context.withheld.keys))
        let reasons = recordReasons
        let writer = ExplanationWriter(format: format, top: reasons.top, baseValue: context.baseValue, link: context.model.link)
        var stream = ExplanationStream(explainer: context.explainer, reasons: reasons, writer: writer,
                                       threads: threads, batchSize: max(1, records.count))
        stream.cancellation = cancellation
        return (batch, stream)
    }
}
