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
/// **JSON**: `{"format":"fairlead-explanations","top":3,"base_value":-1.3,"base_score":0.21,"leads":[…]}`;
/// each lead `{"id","score","margin","raising":[reason…],"lowering":[reason…],"withheld":[…]}`,
/// each reason `{"feature","reason","value","typical","contribution"}` (a value is a
/// number, a string for a category, or null when missing). Numbers round-trip.
///
/// **CSV**: `id,score,margin`, then for k = 1…N `raising_k`, `raising_k_feature`,
/// `raising_k_value`, `raising_k_typical`, `raising_k_contribution`, the same for
/// `lowering_k`, and `withheld` (names joined by `;`): one row per lead, empty cells where
/// a lead has fewer reasons. Every cell goes through ``SpreadsheetSafeCSV/field(_:)``.
///
/// **Text**: a block per lead — its id and score, the reasons raising it (`+`), the
/// reasons lowering it (`-`), each with its contribution, and a line naming what was
/// withheld from reps when anything was.
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
    public func header() -> String {
        let baseScore = link.prediction(fromMargin: baseValue)
        switch format {
        case .json:
            return "{\"format\":\"fairlead-explanations\",\"top\":\(top),\"base_value\":\(Self.jsonNumber(baseValue)),"
                + "\"base_score\":\(Self.jsonNumber(baseScore)),\"leads\":["
        case .csv:
            var columns = ["id", "score", "margin"]
            for direction in ["raising", "lowering"] {
                for k in 1...top {
                    let stem = "\(direction)_\(k)"
                    columns += [stem, "\(stem)_feature", "\(stem)_value", "\(stem)_typical", "\(stem)_contribution"]
                }
            }
            columns.append("withheld")
            return columns.joined(separator: ",") + "\n"
        case .text:
            let units = link == .logit ? "log-odds" : "score units"
            return "Up to \(top) reasons raising and \(top) lowering each lead's score; contributions in \(units). "
                + "The typical lead scores \(Self.fixed(baseScore, digits: 3)).\n"
        }
    }

    /// The leads, in order; `leadsBefore` is how many were written before them.
    public func leads(_ explanations: [LeadExplanation], leadsBefore: Int, threads: Int = 1) -> String {
        var parts = [String](repeating: "", count: (explanations.count + 1023) / 1024)
        parts.withUnsafeMutableBufferPointer { parts in
            let output = UncheckedSendable(parts.baseAddress)
            RowParallelism.forEachChunk(rowCount: parts.count, threads: threads, minimumChunk: 1) { chunks in
                guard let base = output.value else { return }
                for chunk in chunks {
                    var text = ""
                    for index in (chunk * 1024)..<min(explanations.count, (chunk + 1) * 1024) {
                        write(explanations[index], first: leadsBefore + index == 0, to: &text)
                    }
                    base[chunk] = text
                }
            }
        }
        return parts.joined()
    }

    /// What comes after the last lead.
    public func footer() -> String {
        format == .json ? "\n]}\n" : ""
    }

    private func write(_ lead: LeadExplanation, first: Bool, to text: inout String) {
        switch format {
        case .json: writeJSON(lead, first: first, to: &text)
        case .csv: writeCSV(lead, to: &text)
        case .text: writeText(lead, to: &text)
        }
    }

    private func writeJSON(_ lead: LeadExplanation, first: Bool, to text: inout String) {
        func value(_ value: LeadExplanation.Value) -> String {
            switch value {
            case .number(let number): return Self.jsonNumber(number)
            case .category(let name): return Self.jsonString(name)
            case .missing: return "null"
            }
        }
        func reasons(_ list: [LeadExplanation.Reason]) -> String {
            "[" + list.map { reason in
                "{\"feature\":\(Self.jsonString(reason.feature)),\"reason\":\(Self.jsonString(reason.text)),"
                    + "\"value\":\(value(reason.value)),\"typical\":\(value(reason.typical)),"
                    + "\"contribution\":\(Self.jsonNumber(reason.contribution))}"
            }.joined(separator: ",") + "]"
        }
        text += first ? "\n" : ",\n"
        text += "{\"id\":\(Self.jsonString(lead.id)),\"score\":\(Self.jsonNumber(lead.score)),\"margin\":\(Self.jsonNumber(lead.margin)),"
        text += "\"raising\":\(reasons(lead.raising)),\"lowering\":\(reasons(lead.lowering)),"
        text += "\"withheld\":[" + lead.withheld.map(Self.jsonString).joined(separator: ",") + "]}"
    }

    private func writeCSV(_ lead: LeadExplanation, to text: inout String) {
        var cells = [SpreadsheetSafeCSV.field(lead.id), Self.plainNumber(lead.score), Self.plainNumber(lead.margin)]
        for list in [lead.raising, lead.lowering] {
            for k in 0..<top {
                guard k < list.count else {
                    cells += ["", "", "", "", ""]
                    continue
                }
                let reason = list[k]
                cells.append(SpreadsheetSafeCSV.field(reason.text))
                cells.append(SpreadsheetSafeCSV.field(reason.feature))
                cells.append(SpreadsheetSafeCSV.field(Self.csvValue(reason.value)))
                cells.append(SpreadsheetSafeCSV.field(Self.csvValue(reason.typical)))
                cells.append(Self.plainNumber(reason.contribution))
            }
        }
        cells.append(SpreadsheetSafeCSV.field(lead.withheld.joined(separator: ";")))
        text += cells.joined(separator: ",")
        text += "\n"
    }

    private func writeText(_ lead: LeadExplanation, to text: inout String) {
        text += "\nLead \(lead.id): score \(Self.fixed(lead.score, digits: 3))\n"
        for (title, list, bullet) in [("Raising the score", lead.raising, "+"), ("Lowering the score", lead.lowering, "-")] {
            guard !list.isEmpty else {
                text += "  \(title): none\n"
                continue
            }
            text += "  \(title):\n"
            for reason in list {
                let sign = reason.contribution < 0 ? "-" : "+"
                text += "    \(bullet) \(reason.text) (\(sign)\(Self.fixed(abs(reason.contribution), digits: 2)))\n"
            }
        }
        if !lead.withheld.isEmpty {
            text += "  Withheld from reps (sensitive or proxy): \(lead.withheld.joined(separator: ", "))\n"
        }
    }

    // MARK: - Numbers and strings

    /// A CSV value cell: numbers in full, categories by name, empty when missing.
    static func csvValue(_ value: LeadExplanation.Value) -> String {
        switch value {
        case .number(let number): return plainNumber(number)
        case .category(let name): return name
        case .missing: return ""
        }
    }

    /// The shortest text that reads back as `value`, integers without a decimal point
    /// (empty for NaN).
    static func plainNumber(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "" : (value > 0 ? "inf" : "-inf") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A JSON number that reads back as `value`; `null` when not finite.
    static func jsonNumber(_ value: Double) -> String {
        value.isFinite ? plainNumber(value) : "null"
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

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
