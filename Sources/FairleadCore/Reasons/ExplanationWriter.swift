/// The output formats of `fairlead explain`.
public enum ExplanationFormat: String, Sendable, CaseIterable {
    /// Sentences for people, one block per lead.
    case text
    /// One JSON object: `{"format": "fairlead-explanations", "top", "base_value", "base_score", "leads": [...]}`.
    case json
    /// One row per lead, spreadsheet-safe (``SpreadsheetSafeCSV``).
    case csv
}

/// Writes lead explanations piece by piece — a header, the leads batch after batch, a
/// footer — so that a stream of any length is written with bounded memory.
///
/// Every format is for reps: none names what was withheld from them (a sensitive
/// attribute or a proxy; auditors read that in the audit report's explanations section
/// and in ``LeadExplanation/withheld``).
///
/// **JSON**: `{"format":"fairlead-explanations","top":3,"base_value":-1.3,"base_score":0.21,"leads":[…]}`;
/// each lead `{"id","score","margin","raising":[reason…],"lowering":[reason…]}`,
/// each reason `{"feature","reason","value","typical","contribution","points"}` (a value
/// is a number, a string for a category, or null when missing; `contribution` in margin
/// units — log-odds for a logit link —, `points` its probability points by
/// ``Link/pointsPerMarginUnit(margin:baseValue:)``, null for an identity link). Numbers
/// round-trip.
///
/// **CSV**: `id,score,margin`, then for k = 1…N `raising_k`, `raising_k_feature`,
/// `raising_k_value`, `raising_k_typical`, `raising_k_contribution`, `raising_k_points`,
/// and the same for `lowering_k`: one row per lead, empty cells where a lead has fewer
/// reasons. Every cell goes through ``SpreadsheetSafeCSV/field(_:)``.
///
/// **Text**: a block per lead — its id and score, the reasons raising it (`+`) and
/// lowering it (`-`), each with its effect: probability points for a logit link
/// ("+13 pts"), else the contribution in score units.
public struct ExplanationWriter: Sendable {
    /// The format written.
    public let format: ExplanationFormat
    /// Reasons per direction (the CSV's column count depends on it).
    public let top: Int
    /// The margin of the typical lead (the attributions' base value).
    public let baseValue: Double
    /// How a margin becomes a score.
    public let link: Link

    /// A writer of `format` for explanations with `top` reasons per direction.
    public init(format: ExplanationFormat, top: Int, baseValue: Double, link: Link) {
        self.format = format
        self.top = top
        self.baseValue = baseValue
        self.link = link
    }

    /// What comes before the first lead.
    ///
    /// - Throws: `FairleadError(.internalFailure)` for JSON when the base value or score
    ///   is not finite (JSON has no such number; a model whose base value overflows is
    ///   refused before).
    public func header() throws -> String {
        let baseScore = link.prediction(fromMargin: baseValue)
        switch format {
        case .json:
            return "{\"format\":\"fairlead-explanations\",\"top\":\(top),\"base_value\":\(try Self.jsonNumber(baseValue)),"
                + "\"base_score\":\(try Self.jsonNumber(baseScore)),\"leads\":["
        case .csv:
            var columns = ["id", "score", "margin"]
            for direction in ["raising", "lowering"] {
                for k in 1...top {
                    let stem = "\(direction)_\(k)"
                    columns += [stem, "\(stem)_feature", "\(stem)_value", "\(stem)_typical", "\(stem)_contribution",
                                "\(stem)_points"]
                }
            }
            return columns.joined(separator: ",") + "\n"
        case .text:
            let units = link == .logit ? "probability points (pts)" : "score units"
            return "Up to \(top) reason\(top == 1 ? "" : "s") raising and \(top) lowering each lead's score; effects in \(units). "
                + "The typical lead scores \(Self.fixed(baseScore, digits: 3)).\n"
        }
    }

    /// The leads of `batch` with their chosen reasons (``ReasonCodes/select(_:threads:)``),
    /// as UTF-8; `leadsBefore` is how many were written before them. Chunks of leads are
    /// formatted on `threads` threads and joined in order.
    ///
    /// - Throws: `FairleadError(.internalFailure)` when a JSON number would not be finite
    ///   (margins and contributions are checked before: ``Attributions/requireFinite(locate:)``).
    public func leads(_ batch: LeadBatch, selection: ReasonSelection, reasons: ReasonCodes, leadsBefore: Int,
                      threads: Int = 1) throws -> [UInt8] {
        precondition(selection.rows == batch.count && selection.top == top, "a selection of this batch with \(top) reasons each way")
        let renderer = reasons.renderer
        let codes = _ReasonScope.flatCodes(batch)
        let displays = renderer.levelDisplays(batch)
        let chunkSize = 1024
        var parts = [[UInt8]](repeating: [], count: (batch.count + chunkSize - 1) / chunkSize)
        // Per chunk, the first lead (batch row) whose JSON held a number that is not finite.
        var nonFinite = [Int](repeating: -1, count: parts.count)
        nonFinite.withUnsafeMutableBufferPointer { nonFinite in
        parts.withUnsafeMutableBufferPointer { parts in
            let output = UncheckedSendable((parts.baseAddress, nonFinite.baseAddress))
            RowParallelism.forEachChunk(rowCount: parts.count, threads: threads, minimumChunk: 1) { chunks in
                guard let base = output.value.0, let nonFinite = output.value.1 else { return }
                _ReasonScope.with(renderer, batch: batch, codes: codes, displays: displays) { scope in
                    batch.ids.withUnsafeBufferPointer { ids in
                    selection.raisingSources.withUnsafeBufferPointer { raisingSources in
                    selection.raisingContributions.withUnsafeBufferPointer { raisingContributions in
                    selection.loweringSources.withUnsafeBufferPointer { loweringSources in
                    selection.loweringContributions.withUnsafeBufferPointer { loweringContributions in
                    selection.margins.withUnsafeBufferPointer { margins in
                        let lead = _LeadView(scope: scope, ids: ids, sentWithoutID: batch.sentWithoutID, raisingSources: raisingSources,
                                             raisingContributions: raisingContributions, loweringSources: loweringSources,
                                             loweringContributions: loweringContributions, margins: margins,
                                             top: top, link: link, baseValue: baseValue)
                        for chunk in chunks {
                            var bytes: [UInt8] = []
                            bytes.reserveCapacity(chunkSize * 600)
                            for row in (chunk * chunkSize)..<min(batch.count, (chunk + 1) * chunkSize) {
                                switch format {
                                case .json:
                                    if !lead.writeJSON(row, first: leadsBefore + row == 0, to: &bytes), nonFinite[chunk] < 0 {
                                        nonFinite[chunk] = row
                                    }
                                case .csv: lead.writeCSV(row, to: &bytes)
                                case .text: lead.writeText(row, to: &bytes)
                                }
                            }
                            base[chunk] = bytes
                        }
                    }}}}}}
                }
            }
        }
        }
        if let row = nonFinite.first(where: { $0 >= 0 }) {
            throw Self.nonFiniteJSON("lead \"\(MessageQuote.clipped(batch.ids[row], limit: 60))\"")
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined += part }
        return joined
    }

    /// What comes after the last lead.
    public func footer() -> String {
        footer(unseen: UnseenLevels())
    }

    /// What comes after the last lead, for JSON with what the leads held that the model
    /// has no feature for, when they held any: `"unseen_levels":[{"column","rows",
    /// "examples"}]` (the first three values as the data spells them, each cut at 80
    /// characters as a sentence's value is) and `"warnings"`, the sentences
    /// `explain` writes on standard error. CSV and text carry no such field: the command
    /// says it on standard error.
    ///
    /// The columns in `withheld` (sensitive attributes, proxies) are not listed — an output
    /// a rep may read names nothing withheld and carries none of its values — but not
    /// passed over either: one warning says how many of their values the model had no
    /// feature for, without naming column or value (``UnseenLevels/withheldWarning(_:)``).
    ///
    /// `warnings` are more sentences for `"warnings"` (a service's answer says there what
    /// the command would say on standard error): with them, `"warnings"` is written even
    /// when nothing was unseen (`"unseen_levels"` only when a column is listed).
    public func footer(unseen: UnseenLevels, withheld: Set<String> = [], warnings: [String] = []) -> String {
        guard format == .json else { return "" }
        let shown = unseen.excluding(withheld)
        let more = (unseen.withheldWarning(withheld).map { [$0] } ?? []) + warnings
        guard !shown.isEmpty || !more.isEmpty else { return "\n]}\n" }
        func string(_ text: String) -> String {
            var bytes: [UInt8] = []
            _ReasonBytes.withBytes(of: text) { _ReasonBytes.appendJSONString($0, to: &bytes) }
            return String(decoding: bytes, as: UTF8.self)
        }
        return "\n],\(shown.jsonFields(reasonsWithheld: true, more: more, string: string))}\n"
    }

    // MARK: - Numbers and strings

    /// A JSON number for `value` (six decimals, trailing zeros dropped).
    ///
    /// - Throws: `FairleadError(.internalFailure)` when `value` is not finite.
    static func jsonNumber(_ value: Double) throws -> String {
        guard value.isFinite else { throw nonFiniteJSON("the base value \(value)") }
        var bytes: [UInt8] = []
        _ReasonBytes.appendDecimal(value, decimals: 6, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The error for a number JSON cannot hold: margins and contributions are checked
    /// where they are computed, so one reaching a writer is a bug, not bad input.
    static func nonFiniteJSON(_ what: String) -> FairleadError {
        FairleadError(.internalFailure, "the JSON output of \(what) would hold a number that is not finite; nothing was written for it")
    }

    /// `value` with exactly `digits` decimals (rounded half away from zero).
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = Int(scaled)
        let divisor = Int(scale)
        let fraction = String(units % divisor)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(units) }
        return sign + String(units / divisor) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
