import Foundation

/// Attributions of identified rows with their margins, written as CSV or JSON by
/// `fairlead attributions`.
///
/// CSV: a header `id,base_value,<feature…>,margin`, then one line per row; numbers are
/// written with 17 significant digits (they round-trip). JSON:
///
///     {"method": "tree", "base_value": -1.23, "features": ["a", "b"],
///      "rows": [{"id": "L1", "margin": 0.5, "values": [1.2, 0.53]}, …]}
///
/// with `"standard_errors"` per row for KernelSHAP. Margins are base + Σ values. When the
/// rows held values of a one-hot column that the model has no feature for
/// (``ModelInput/unseenLevels``), the object ends with `"unseen_levels":[{"column","rows",
/// "examples"}]` and `"warnings"` (the sentences the command writes on standard error).
public struct AttributionTable: Sendable {
    /// The method that produced the attributions.
    public let method: AttributionMethod
    /// One id per row.
    public let ids: [String]
    /// The attributions (per feature or per feature group).
    public let attributions: Attributions

    /// A table of `attributions` for rows named `ids`.
    public init(method: AttributionMethod, ids: [String], attributions: Attributions) {
        precondition(ids.count == attributions.rowCount, "one id per row")
        self.method = method
        self.ids = ids
        self.attributions = attributions
    }

    /// The CSV text: every cell, ids and feature names included, written by
    /// ``SpreadsheetSafeCSV`` (formulas neutralised, controls visible, RFC 4180 quoting).
    public func csv() -> String {
        var text = SpreadsheetSafeCSV.line(["id", "base_value"] + attributions.featureNames + ["margin"])
        let margins = attributions.margins()
        let base = Self.number(attributions.baseValue)
        for (row, id) in ids.enumerated() {
            var fields = [id, base]
            fields.append(contentsOf: attributions.values.row(row).map(Self.number))
            fields.append(Self.number(margins[row]))
            text += SpreadsheetSafeCSV.line(fields)
        }
        return text
    }

    /// The JSON text (one object; see the type's documentation).
    ///
    /// - Throws: `FairleadError(.internalFailure)` when a number is not finite: JSON has
    ///   none, and ``Attributions/requireFinite(locate:)`` refuses such attributions first.
    public func json(unseen: UnseenLevels = UnseenLevels()) throws -> String {
        let margins = attributions.margins()
        var text = "{\"method\":\(Self.jsonString(method.rawValue)),\"base_value\":\(try Self.jsonNumber(attributions.baseValue)),"
        text += "\"features\":[" + attributions.featureNames.map(Self.jsonString).joined(separator: ",") + "],\"rows\":["
        for (row, id) in ids.enumerated() {
            if row > 0 { text += "," }
            text += "{\"id\":\(Self.jsonString(id)),\"margin\":\(try Self.jsonNumber(margins[row])),\"values\":["
            text += try attributions.values.row(row).map(Self.jsonNumber).joined(separator: ",") + "]"
            if let errors = attributions.standardErrors {
                // A standard error that could not be estimated is unknown: null.
                text += ",\"standard_errors\":[" + errors.row(row).map { $0.isFinite ? String(format: "%.17g", $0) : "null" }
                    .joined(separator: ",") + "]"
            }
            text += "}"
        }
        guard !unseen.isEmpty else { return text + "]}\n" }
        return text + "],\(unseen.jsonFields(reasonsWithheld: false, string: Self.jsonString))}\n"
    }

    static func number(_ value: Double) -> String {
        value.isNaN ? "" : String(format: "%.17g", value)
    }

    static func jsonNumber(_ value: Double) throws -> String {
        guard value.isFinite else {
            throw FairleadError(.internalFailure, "the attributions' JSON would hold \(value), not a finite number; nothing was written")
        }
        return String(format: "%.17g", value)
    }

    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (!scalar.isASCII && _VisibleBytes.isHidden(scalar.value)):
                // C0 and DEL, C1 and bidirectional characters: escaped, as ``JSONEscaping`` does.
                escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
