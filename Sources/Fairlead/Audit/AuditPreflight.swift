import FairleadCore
import Foundation

/// Everything an audit checks before it reads a data row, in the order it checks it.
/// `fairlead validate` runs exactly this, so it rejects what `audit` would reject for
/// the profile's sake, with the same messages:
///
/// 1. no placeholder left by `fairlead init` (`SCORE_COLUMN`, …) in a column name;
/// 2. every threshold inside the declared `data.score_range`;
/// 3. the data file exists (a regular file; standard input and pipes are not opened);
/// 4. its header has every column the profile names (the header alone is read);
/// 5. the model file, when the profile names one, exists.
///
/// Metric names, keys and values were checked when the profile was loaded.
public enum AuditPreflight {
    /// What the checks found, for `validate` to say.
    public struct Outcome: Sendable, Equatable {
        /// The data file checked, or `nil` when none is named.
        public var dataPath: String?
        /// The header's column names, when the header was read.
        public var header: [String]?
        /// The columns the audit will read.
        public var columnsRead: [String]
    }

    /// Runs the checks; `dataPath` overrides the profile's `data.path`.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a placeholder or a threshold
    ///   outside the score range; `.invalidData` (located at the data file) for a missing
    ///   file or a column its header lacks.
    @discardableResult
    public static func check(_ profile: AuditProfile, dataPath: String? = nil) throws -> Outcome {
        let profileFile = profile.sourceFiles.first
        var options = CSVOptions()
        options.limits = profile.limits
        if let markers = profile.data.missingMarkers { options.missingMarkers = Set(markers) }
        let dataFile = (dataPath ?? profile.data.path).flatMap { $0 != "-" && isRegularFile($0) ? $0 : nil }
        for (key, column, wanted) in namedColumns(profile) where isPlaceholder(column) {
            var hint = ""
            if let dataFile, let wanted, let sampled = try? CSVReader.sampledHeader(path: dataFile, options: options) {
                let candidates = closestNames(to: column, in: sampled.names.map { ($0, sampled.types[$0]) }, wanted: wanted)
                hint = candidates.isEmpty ? "" : " (candidates: \(candidates.map { "\"\($0)\"" }.joined(separator: ", ")))"
            }
            throw FairleadError(.invalidProfile,
                                "'\(column)' is a placeholder left by `fairlead init`; name the data's column here\(hint)",
                                at: SourceLocation(file: profileFile, field: key))
        }
        if let range = profile.data.scoreRange {
            for decision in profile.decisions {
                guard case .threshold(let threshold) = decision.kind, !range.contains(threshold) else { continue }
                var location = decision.location ?? SourceLocation(file: profileFile)
                location.field = location.field ?? "decisions"
                throw FairleadError(.invalidProfile,
                                    "the threshold \(threshold) of decision '\(decision.name)' lies outside data.score_range [\(range.lowerBound), \(range.upperBound)]; a threshold inside the score's scale was expected",
                                    at: location)
            }
        }
        let columns = profile.columnsRead
        var outcome = Outcome(dataPath: dataPath ?? profile.data.path, header: nil, columnsRead: columns)
        if let path = outcome.dataPath, path != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw FairleadError(.invalidData, "the data file does not exist", at: SourceLocation(file: path))
            }
            guard !isDirectory.boolValue else {
                throw FairleadError(.invalidData, "the data path is a folder; a CSV file was expected", at: SourceLocation(file: path))
            }
            if isRegularFile(path) {
                let header = try CSVReader.headerNames(path: path, options: options)
                for (_, column, wanted) in namedColumns(profile) where !header.contains(column) {
                    // Ranked by name and by type (a missing score suggests numeric columns
                    // first), from the types of the first block's records.
                    let near: [String]
                    if let wanted, let sampled = try? CSVReader.sampledHeader(path: path, options: options) {
                        near = closestNames(to: column, in: sampled.names.map { ($0, sampled.types[$0]) }, wanted: wanted)
                    } else {
                        near = closestNames(to: column, in: header, limit: 3)
                    }
                    let hint = near.isEmpty ? "" : "; closest: \(near.map { "\"\($0)\"" }.joined(separator: ", "))"
                    throw FairleadError(.invalidData, "no column \"\(column)\"\(hint)",
                                        at: SourceLocation(file: path, line: 1, field: column))
                }
                outcome.header = header
            }
        }
        if let model = profile.model, !FileManager.default.fileExists(atPath: model.path) {
            throw FairleadError(.invalidProfile, "the model file \(model.path) does not exist",
                                at: SourceLocation(file: profileFile, field: "model.path"))
        }
        return outcome
    }

    /// Every column the profile names, with the key that names it and the type it must have.
    static func namedColumns(_ profile: AuditProfile) -> [(key: String, column: String, wanted: ColumnType?)] {
        var named: [(String, String, ColumnType?)] = []
        if let id = profile.data.id { named.append(("data.id", id, nil)) }
        named.append(("data.score", profile.data.score, .numeric))
        if let label = profile.data.label { named.append(("data.label", label, nil)) }
        if let weight = profile.data.weight { named.append(("data.weight", weight, .numeric)) }
        for (index, decision) in profile.decisions.enumerated() {
            if case .predictionColumn(let column) = decision.kind { named.append(("decisions[\(index)].prediction", column, nil)) }
        }
        for (index, attribute) in profile.sensitive.enumerated() {
            named.append(("sensitive[\(index)]", attribute.column, attribute.bins == nil ? .categorical : .numeric))
        }
        return named
    }

    /// `SCORE_COLUMN`, `OUTCOME_COLUMN`, `SENSITIVE_COLUMN`: the names `init` leaves to fill in.
    static func isPlaceholder(_ column: String) -> Bool {
        column.hasSuffix("_COLUMN") && column.allSatisfy { $0.isUppercase || $0 == "_" }
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
