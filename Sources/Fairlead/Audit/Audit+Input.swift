import FairleadCore

extension Audit {
    /// The audit's one read of its data (``AuditInput``), with the late labels, if any,
    /// joined in: the columns of the metrics, the id column the labels are joined on and
    /// the model's feature columns are read in the same pass, which also fingerprints
    /// the bytes. A completed audit (``completing(entry:in:labels:profilePath:dataPath:threads:clock:)``)
    /// checks that fingerprint before anything is computed from the data.
    func readInput() throws -> (input: AuditInput, lateLabels: AuditReport.LateLabelsInfo?) {
        let idColumn = try lateLabels.map { _ in try LateLabels.dataIDColumn(of: profile) }
        // The key is checked before any row is read: a join that may quote an id needs it.
        let pseudonymizer = lateLabels == nil ? nil : try idPseudonymizer ?? profile.privacy?.pseudonymizer()
        let model = try loadedModel ?? profile.model.map { try ModelLoader.load(contentsOf: $0.path, limits: profile.limits) }
        var input = try AuditInput.read(profile: profile, path: dataPath, threads: threads, idColumn: idColumn, model: model,
                                        streamed: streamedInput)
        try requiredData?.check(input.fingerprint.hex, source: dataPath)
        var joined: AuditReport.LateLabelsInfo?
        if let lateLabels, let idColumn {
            joined = try lateLabels.join(into: &input.data, dataIDs: try input.idColumn(idColumn), profile: profile,
                                         dataPath: dataPath, threads: threads, pseudonymizer: pseudonymizer)
        }
        return (input, joined)
    }

    /// The columns of `header` this audit reads, in the header's order: what a source that
    /// can select columns (a database) needs to send. An error names what the header
    /// lacks, as reading the data would.
    ///
    /// The model, when the profile has one, is loaded here to learn its feature columns,
    /// and kept for the audit's read: a model file is read once per audit.
    public mutating func columnsToRead(header: [String]) throws -> [String] {
        // A query's result may name two columns alike (`SELECT a, a`, `"eth"` and `"eth "`).
        if let problem = MessageQuote.columnNameProblem(header) {
            throw FairleadError(.invalidData, problem.message, at: SourceLocation(file: dataPath, field: header[problem.field]))
        }
        let idColumn = try lateLabels.map { _ in try LateLabels.dataIDColumn(of: profile) }
        let model = try loadedModel ?? profile.model.map { try ModelLoader.load(contentsOf: $0.path, limits: profile.limits) }
        loadedModel = model
        let requests = try AuditInput.columnRequests(header: header, profile: profile, path: dataPath,
                                                     idColumn: idColumn, model: model).requests
        for request in requests where !header.contains(request.name) {
            throw FairleadError(.invalidData, missingColumnMessage(request.name, among: header),
                                at: SourceLocation(file: dataPath, line: 1, field: request.name))
        }
        let wanted = Set(requests.map(\.name))
        return header.filter { wanted.contains($0) }
    }
}
