import FairleadCore
import Foundation

/// The body of `POST /v1/explain` and `POST /v1/card`: one lead's values as a JSON
/// object keyed by the data file's columns, or `{"leads": [object, …]}` for a batch.
///
///     {"lead_id": "L0000042", "web_visits": 12, "lead_source": "web_form", "company_size": null}
///
/// A value is a number, a string (a category, or a number written as text) or null
/// (missing); a key that is not a column the profile knows is an error naming the closest
/// columns, so a misspelt column is not read as missing. The id column's value, when
/// present, is the lead's id in the answer.
enum LeadRequest {
    /// The leads of `body`.
    ///
    /// - Throws: ``Problem`` `invalid-json` for a body that is not such JSON (naming the
    ///   field), `batch-too-large` beyond `maxBatch` leads.
    static func records(_ body: [UInt8], keys: Set<String>, idColumn: String?, maxBatch: Int) throws -> [LeadRecord] {
        let value: JSONValue
        do {
            value = try LeadJSONParser.parse(body)
        } catch {
            throw Problem(.invalidJSON, "the body is not valid JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw Problem(.invalidJSON, "expected a JSON object (one lead) or {\"leads\": [...]}, found \(value.kind)")
        }
        // A batch beside a lead's values is neither: "leads is not a column" would hide the batch.
        if object.count > 1, object["leads"] != nil, !keys.contains("leads") {
            let others = object.keys.filter { $0 != "leads" }.sorted()
            throw Problem(.invalidJSON, "a body with \"leads\" (a batch) holds no other key; found \(others.prefix(3).map { "\"\(MessageQuote.clipped($0, limit: 60))\"" }.joined(separator: ", "))"
                          + (others.count > 3 ? " and \(others.count - 3) more" : "") + ": send one lead's columns, or {\"leads\": [...]}")
        }
        if object.count == 1, let leads = object["leads"], !keys.contains("leads") {
            guard case .array(let items) = leads else {
                throw Problem(.invalidJSON, "\"leads\" must be an array of lead objects, found \(leads.kind)")
            }
            guard !items.isEmpty else { throw Problem(.invalidJSON, "\"leads\" is empty") }
            guard items.count <= maxBatch else {
                throw Problem(.batchTooLarge, "\(items.count) leads in one request; at most \(maxBatch) (--max-batch)")
            }
            return try items.enumerated().map { index, item in
                guard case .object(let fields) = item else {
                    throw Problem(.invalidJSON, "leads[\(index)] must be an object, found \(item.kind)")
                }
                return try record(fields, keys: keys, idColumn: idColumn, prefix: "leads[\(index)].")
            }
        }
        return [try record(object, keys: keys, idColumn: idColumn, prefix: "")]
    }

    private static func record(_ fields: [String: JSONValue], keys: Set<String>, idColumn: String?,
                               prefix: String) throws -> LeadRecord {
        guard !fields.isEmpty else {
            throw Problem(.invalidJSON, prefix.isEmpty ? "the lead has no values" : "\(prefix.dropLast()) has no values")
        }
        var values: [String: LeadRecord.Value] = [:]
        var id: String?
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard keys.contains(key) else {
                let near = typoNames(of: key, in: Array(keys))
                let hint = near.isEmpty ? "" : " (did you mean \(near.map { "\"\($0)\"" }.joined(separator: " or "))?)"
                throw Problem(.invalidJSON, "\(prefix)\(MessageQuote.clipped(key, limit: 60)) is not a column this profile knows\(hint)")
            }
            switch value {
            case .null: values[key] = .missing
            case .number(let number): values[key] = .number(number)
            case .string(let text): values[key] = .text(text)
            case .bool, .array, .object:
                throw Problem(.invalidJSON, "\(prefix)\(key) must be a number, a string or null, found \(value.kind)")
            }
            if key == idColumn {
                switch value {
                case .string(let text): id = text
                case .number(let number) where number == number.rounded() && abs(number) < 1e15: id = String(Int64(number))
                default: throw Problem(.invalidJSON, "\(prefix)\(key) (the id) must be a string or an integer")
                }
            }
        }
        return LeadRecord(id: id, values: values)
    }
}
