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
            throw FairleadError(.invalidData, "not a Fairlead report: \(error)", at: SourceLocation(file: source))
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
            throw FairleadError(.invalidData, "not a valid Fairlead report: \(error)", at: SourceLocation(file: source))
        }
    }
}
