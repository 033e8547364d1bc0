/// Explains a file of leads batch by batch — read, attribute, choose reasons, write — so
/// that memory stays bounded by the batch size whatever the file's length: the engine of
/// `fairlead explain`.
///
/// Every lead's explanation depends on that lead alone (and on the fixed reference:
/// typical values, background), so streaming a whole file, explaining a list of ids and
/// explaining one id give the same explanation of a lead.
///
///     let stream = ExplanationStream(explainer: try CachedTreeSHAP(model: ensemble), reasons: codes,
///                                    writer: ExplanationWriter(format: .csv, top: 3, baseValue: base, link: .logit),
///                                    threads: 2)
///     let summary = try stream.run(reader) { FileHandle.standardOutput.write(Data($0)) }
public struct ExplanationStream: Sendable {
    /// Attributes a batch's margins to the model's features.
    public let explainer: any Explainer
    /// Chooses and words the reasons.
    public let reasons: ReasonCodes
    /// Formats the output.
    public let writer: ExplanationWriter
    /// Threads for attributions, reasons and formatting.
    public var threads: Int
    /// Leads read and explained at a time.
    public var batchSize: Int
    /// Stops the work with `CancellationError` once cancelled or past its deadline: checked
    /// before each batch read and inside the attributions (``Explainer/explain(_:threads:cancellation:)``,
    /// between leads for KernelSHAP). Nil: never stopped.
    public var cancellation: Cancellation?

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        /// Leads explained.
        public var leads: Int
        /// Leads with a sensitive or proxy feature among their top reasons (marked for auditors).
        public var leadsWithWithheldReasons: Int
        /// Leads skipped unexplained: they gave no consent to the audit's purpose.
        public var leadsWithoutConsent = 0
        /// The values of the explained leads that the model has no feature for, per
        /// column (``UnseenLevels``): given as no reason for those leads.
        public var unseenLevels = UnseenLevels()
        /// How the model's scores agree with the file's score column (when read,
        /// ``LeadReader/scoreColumn``).
        public var scoreAgreement = ScoreAgreement()
        /// Ids on more than one row (a whole file explained, with an id column).
        public var repeatedIDs = RepeatedIDs()

        /// A summary of `leads` leads, `leadsWithWithheldReasons` of them marked.
        public init(leads: Int, leadsWithWithheldReasons: Int) {
            self.leads = leads
            self.leadsWithWithheldReasons = leadsWithWithheldReasons
        }
    }

    /// A stream; `batchSize` leads are held at a time.
    public init(explainer: any Explainer, reasons: ReasonCodes, writer: ExplanationWriter, threads: Int = 1,
                batchSize: Int = 16_384) {
        precondition(threads >= 1 && batchSize >= 1, "at least one thread and one lead per batch")
        self.explainer = explainer
        self.reasons = reasons
        self.writer = writer
        self.threads = threads
        self.batchSize = batchSize
    }

    /// Explains every lead of `reader`, in file order, handing the UTF-8 output to
    /// `write` piece by piece (header, each batch, footer).
    ///
    /// With more than one thread, the next batch is read while the current one is explained
    /// and written (two batches are held then).
    public func run(_ reader: LeadReader, write: ([UInt8]) throws -> Void) throws -> Summary {
        var summary = Summary(leads: 0, leadsWithWithheldReasons: 0)
        try write(Array(writer.header().utf8))
        let groups = reader.sources.groups
        let readAhead = _BatchReadAhead(reader: reader, batchSize: batchSize, enabled: threads > 1)
        while let batch = try readAhead.next() {
            try cancellation?.check()
            let attributions = try attribute(batch, groups: groups, path: reader.path)
            let selection = reasons.select(attributions, unseen: batch.unseenLevelMask(reader.sources), threads: threads)
            try write(writer.leads(batch, selection: selection, reasons: reasons, leadsBefore: summary.leads, threads: threads))
            summary.observe(batch, margins: selection.margins, link: reasons.link, ids: reader.idColumn != nil)
            summary.leads += batch.count
            summary.leadsWithWithheldReasons += (0..<batch.count).filter(selection.isMarked).count
            summary.unseenLevels.merge(batch.unseenLevels(reader.sources))
        }
        try write(Array(writer.footer(unseen: summary.unseenLevels, withheld: Set(reasons.withheld.keys)).utf8))
        return summary
    }

    /// Explains the leads whose id is in `ids`, in the order of `ids` (a lead whose id
    /// appears on several rows is explained once per row, in file order), and writes them.
    ///
    /// - Throws: `FairleadError(.invalidData)` before writing anything when an id is not
    ///   in the file, naming it and the closest ids in the file.
    public func run(_ reader: LeadReader, ids: [String], write: ([UInt8]) throws -> Void) throws -> Summary {
        let (batch, attributions) = try found(reader, ids: ids)
        let selection = reasons.select(attributions, unseen: batch.unseenLevelMask(reader.sources), threads: threads)
        let unseen = batch.unseenLevels(reader.sources)
        try write(Array(writer.header().utf8))
        try write(writer.leads(batch, selection: selection, reasons: reasons, leadsBefore: 0, threads: threads))
        try write(Array(writer.footer(unseen: unseen, withheld: Set(reasons.withheld.keys)).utf8))
        var summary = Summary(leads: batch.count, leadsWithWithheldReasons: (0..<batch.count).filter(selection.isMarked).count)
        summary.unseenLevels = unseen
        // The leads asked for: an id on several rows is explained once per row, as documented,
        // and said (two cards of one id, unremarked, would be joined to one lead).
        summary.observe(batch, margins: selection.margins, link: reasons.link, ids: reader.idColumn != nil)
        return summary
    }

    /// The explanations of the leads whose id is in `ids`, in the order of `ids`; only
    /// those leads are attributed.
    ///
    /// - Throws: `FairleadError(.invalidData)` when an id is not in the file, naming it
    ///   and the closest ids in the file.
    public func explanations(_ reader: LeadReader, ids: [String]) throws -> [LeadExplanation] {
        try explanationsAndUnseenLevels(reader, ids: ids).leads
    }

    /// ``explanations(_:ids:)``, with the values of those leads that the model has no
    /// feature for (``UnseenLevels``).
    public func explanationsAndUnseenLevels(_ reader: LeadReader, ids: [String]) throws
        -> (leads: [LeadExplanation], unseenLevels: UnseenLevels) {
        let (leads, summary) = try explanationsAndSummary(reader, ids: ids)
        return (leads, summary.unseenLevels)
    }

    /// ``explanations(_:ids:)``, with what a run over them would sum up: the unseen
    /// values, the leads marked, and the scores' agreement with the file's.
    public func explanationsAndSummary(_ reader: LeadReader, ids: [String]) throws
        -> (leads: [LeadExplanation], summary: Summary) {
        let (batch, attributions) = try found(reader, ids: ids)
        let leads = reasons.explain(batch, attributions: attributions, threads: threads)
        var summary = Summary(leads: leads.count, leadsWithWithheldReasons: leads.filter { !$0.withheld.isEmpty }.count)
        summary.unseenLevels = batch.unseenLevels(reasons.sources)
        summary.scoreAgreement.observe(ids: batch.ids, lines: batch.lines, model: { leads[$0].score }, recorded: batch.recordedScores)
        if reader.idColumn != nil { summary.repeatedIDs.observe(ids: batch.ids, lines: batch.lines) }
        return (leads, summary)
    }

    /// The leads of `ids` in that order, with their grouped attributions.
    private func found(_ reader: LeadReader, ids: [String]) throws -> (LeadBatch, Attributions) {
        let wanted = Set(ids)
        var batches: [LeadBatch] = []
        var values: [Double] = []
        var baseValue = 0.0
        var suggestions = ClosestIDs(missing: ids)
        let groups = reader.sources.groups
        while let batch = try reader.next(maxRows: batchSize) {
            try cancellation?.check()
            let rows = batch.ids.indices.filter { wanted.contains(batch.ids[$0]) }
            suggestions.observe(batch.ids, found: rows.map { batch.ids[$0] })
            guard !rows.isEmpty else { continue }
            let subset = batch.subset(rows)
            let attributions = try attribute(subset, groups: groups, path: reader.path)
            baseValue = attributions.baseValue
            batches.append(subset)
            values += attributions.values.values
        }
        let joined = LeadBatch.joined(batches)
        var rowsOf: [String: [Int]] = [:]
        for (row, id) in (joined?.ids ?? []).enumerated() { rowsOf[id, default: []].append(row) }
        if let missing = ids.first(where: { rowsOf[$0] == nil }) {
            let closest = suggestions.closest(to: missing)
            let hint = closest.isEmpty ? "" : " (closest: \(closest.joined(separator: ", ")))"
            let column = reader.idColumn.map { "column \"\($0)\"" } ?? "row numbers"
            throw FairleadError(.invalidData, "no lead with id \"\(missing)\" (ids are the \(column))\(hint)",
                                at: SourceLocation(file: reader.path))
        }
        guard let joined else { preconditionFailure("ids were found, so rows were") }
        var seen = Set<String>()
        let order = ids.filter { seen.insert($0).inserted }.flatMap { rowsOf[$0] ?? [] }
        let width = reader.sources.sources.count
        let all = Matrix(rows: joined.count, columns: width, values: values)
        var ordered: [Double] = []
        for row in order { ordered += all.row(row) }
        let attributions = Attributions(featureNames: reader.sources.sources.map(\.name), baseValue: baseValue,
                                        values: Matrix(rows: order.count, columns: width, values: ordered))
        return (joined.subset(order), attributions)
    }

    /// The whole output for the leads of one batch, in their order: header, leads,
    /// footer (what ``run(_:ids:write:)`` writes once it has found its leads).
    /// `warnings` go to the JSON's `"warnings"` (``ExplanationWriter/footer(unseen:withheld:warnings:)``).
    public func output(_ batch: LeadBatch, groups: FeatureGroups, warnings: [String] = []) throws -> [UInt8] {
        let attributions = try attribute(batch, groups: groups, path: nil)
        let selection = reasons.select(attributions, unseen: batch.unseenLevelMask(reasons.sources), threads: threads)
        return try Array(writer.header().utf8)
            + writer.leads(batch, selection: selection, reasons: reasons, leadsBefore: 0, threads: threads)
            + Array(writer.footer(unseen: batch.unseenLevels(reasons.sources), withheld: Set(reasons.withheld.keys),
                                  warnings: warnings).utf8)
    }

    /// The explanations of one batch, read from `path` (nil: leads sent, not read from a file).
    public func explain(_ batch: LeadBatch, groups: FeatureGroups, path: String? = nil) throws -> [LeadExplanation] {
        let attributions = try attribute(batch, groups: groups, path: path)
        return reasons.explain(batch, attributions: attributions, threads: threads)
    }

    /// The batch's attributions grouped by source — every margin and contribution any
    /// output of the stream carries comes from here, so that none is written unless it is
    /// finite (``Attributions/requireFinite(locate:)``).
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the lead's line in `path` and the
    ///   source column (a lead sent without a file: its field, `leads[2].web_visits`).
    private func attribute(_ batch: LeadBatch, groups: FeatureGroups, path: String?) throws -> Attributions {
        let attributions = try explainer.explain(batch.features, threads: threads, cancellation: cancellation)
            .grouped(by: groups)
        try attributions.requireFinite { row, feature in
            if row < batch.lines.count {
                return SourceLocation(file: path, line: batch.lines[row], field: feature)
            }
            let field = feature.map { batch.count == 1 ? $0 : "leads[\(row)].\($0)" } ?? "leads[\(row)]"
            return SourceLocation(file: path, field: field)
        }
        return attributions
    }
}

/// The ids nearest (by edit distance) to each id not found yet, kept while a file streams by.
///
/// Bounded as every "did you mean" is (``NameSuggestions``): an id over 64 characters gets
/// no suggestion, only ids a typo away count (``typoDistance(_:)``, found by a banded edit
/// distance that stops past it), and all the missing ids together fill at most
/// ``cellBudget`` cells of edit-distance tables — so a long or unknown id costs a request
/// the same few milliseconds whatever the file holds. (A 300-character id searched every
/// id of the file by a full edit distance: 6 s for `explain --ids`.)
struct ClosestIDs {
    /// The most edit-distance cells spent on suggestions, over the whole file: 2²⁵.
    static let cellBudget = 1 << 25

    private struct Wanted {
        var scalars: [Unicode.Scalar]
        var distance: Int
        var found = false
        var best: [(distance: Int, id: String)] = []
    }
    private var wanted: [Wanted] = []
    private var index: [String: Int] = [:]
    private var cellsLeft = ClosestIDs.cellBudget

    init(missing: [String]) {
        for id in missing where index[id] == nil {
            let scalars = Array(id.unicodeScalars)
            guard scalars.count <= NameSuggestions.longestName else { continue }
            index[id] = wanted.count
            wanted.append(Wanted(scalars: scalars, distance: typoDistance(scalars.count)))
        }
    }

    mutating func observe(_ ids: [String], found: [String]) {
        for id in found { if let slot = index[id] { wanted[slot].found = true } }
        let pending = wanted.indices.filter { !wanted[$0].found }
        guard cellsLeft > 0, !pending.isEmpty else { return }
        for id in ids {
            let candidate = Array(id.unicodeScalars)
            for slot in pending {
                let entry = wanted[slot]
                let worst = entry.best.count < 3 ? entry.distance : entry.best[entry.best.count - 1].distance - 1
                guard worst >= 0, abs(candidate.count - entry.scalars.count) <= worst else { continue }
                cellsLeft -= entry.scalars.count * (2 * worst + 1)
                guard cellsLeft > 0 else { return }
                guard let distance = editDistance(entry.scalars, candidate, limit: worst),
                      !entry.best.contains(where: { $0.id == id }) else { continue }
                wanted[slot].best.append((distance, id))
                wanted[slot].best.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
                if wanted[slot].best.count > 3 { wanted[slot].best.removeLast() }
            }
        }
    }

    func closest(to id: String) -> [String] {
        index[id].map { wanted[$0].best.map(\.id) } ?? []
    }
}

extension ExplanationStream.Summary {
    /// Counts one batch's scores against the file's and, with `ids`, its repeated ids.
    public mutating func observe(_ batch: LeadBatch, margins: [Double], link: Link, ids: Bool) {
        observe(batch, scores: { link.prediction(fromMargin: margins[$0]) }, ids: ids)
    }

    /// Counts one batch's scores (the model's, by row of the batch) against the file's
    /// and, with `ids`, its repeated ids.
    public mutating func observe(_ batch: LeadBatch, scores: (Int) -> Double, ids: Bool) {
        scoreAgreement.observe(ids: batch.ids, lines: batch.lines, model: scores, recorded: batch.recordedScores)
        if ids { repeatedIDs.observe(ids: batch.ids, lines: batch.lines) }
    }
}
