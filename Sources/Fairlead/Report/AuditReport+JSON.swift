import FairleadCore
import Foundation

extension AuditReport {
    /// The report as canonical JSON: snake_case keys, sorted, pretty-printed, so that two
    /// equal reports give byte-identical files. DEL, C1 controls and bidirectional
    /// characters in names are written `\uXXXX` (``JSONEscaping``), like C0 controls.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return JSONEscaping.escapingHidden(try encoder.encode(self))
    }

    /// Reads a report written by ``jsonData()``.
    ///
    /// - Throws: `FairleadError(.invalidData)` when the JSON is not a report or has a
    ///   schema version this Fairlead does not know.
    public static func decode(json data: Data, source: String = "report") throws -> AuditReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        struct Versioned: Decodable { var schemaVersion: Int }
        let version: Int
        do {
            version = try decoder.decode(Versioned.self, from: data).schemaVersion
        } catch {
            throw FairleadError(.invalidData, "not a Fairlead report: \(Self.describe(error)); expected the JSON that `fairlead audit --format json` writes, with a schema_version",
                                at: SourceLocation(file: source))
        }
        // Version 1 reports (before the typed catalog) read as they are: version 2 only
        // added fields and the `no_rules` status.
        guard (1...currentSchemaVersion).contains(version) else {
            throw FairleadError(.invalidData, "report schema version \(version) is not supported (this Fairlead reads versions 1 to \(currentSchemaVersion))",
                                at: SourceLocation(file: source))
        }
        do {
            return try decoder.decode(AuditReport.self, from: data)
        } catch {
            throw FairleadError(.invalidData, "not a valid Fairlead report of schema version \(version): \(Self.describe(error))",
                                at: SourceLocation(file: source))
        }
    }

    /// A decoding error in words, with the path to the key it is about (`decisions.x.rule`).
    static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the file is not valid JSON" : "bad value at \(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "no key \"\(key.stringValue)\"\(place)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not \(type == Int.self || type == Double.self ? "a number" : "a \(type)")"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        @unknown default:
            return "\(error)"
        }
    }
}
