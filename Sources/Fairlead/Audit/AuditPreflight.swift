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
/// 5. the model file, when the profile names one, exists (and, reading the header, is a model).
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
    ///
    /// An audit passes `readingHeader: false`: its one read of the data checks the header
    /// itself, with the same messages, so the file is opened once.
    public static func check(_ profile: AuditProfile, dataPath: String? = nil, readingHeader: Bool = true) throws -> Outcome {
        let profileFile = profile.sourceFiles.first
        let options = profile.csvOptions()
        let dataFile = (dataPath ?? profile.data.path).flatMap { $0 != "-" && isRegularFile($0) ? $0 : nil }
        for (key, column, wanted) in namedColumns(profile) where isPlaceholder(column) {
            var hint = ""
            if let dataFile, let wanted, let sampled = try? CSVReader.sampledHeader(path: dataFile, options: options),
               isRecognised(header: sampled.names, by: profile) {
                let candidates = closestNames(to: column, in: sampled.names.map { ($0, sampled.types[$0]) }, wanted: wanted)
                hint = candidates.isEmpty ? "" : " (candidates: \(candidates.map { "\"\(MessageQuote.clipped($0))\"" }.joined(separator: ", ")))"
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
            if readingHeader, isRegularFile(path) {
                let header = try CSVReader.headerNames(path: path, options: options)
                let named = namedColumns(profile)
                if let error = unrecognisedHeader(header, profile: profile, path: path) { throw error }
                for (_, column, wanted) in named where !header.contains(column) {
                    // The reader's own message: ranked by name and by type (a missing score
                    // suggests numeric columns first), from the types of the first block.
                    let message: String
                    if let wanted, let sampled = try? CSVReader.sampledHeader(path: path, options: options) {
                        message = missingColumnMessage(column, among: sampled.names.map { ($0, sampled.types[$0]) }, wanted: wanted)
                    } else {
                        message = missingColumnMessage(column, among: header)
                    }
                    throw FairleadError(.invalidData, message, at: SourceLocation(file: path, line: 1, field: column))
                }
                outcome.header = header
            }
        }
        if let model = profile.model {
            guard FileManager.default.fileExists(atPath: model.path) else {
                throw FairleadError(.invalidProfile, "the model file \(model.path) does not exist",
                                    at: SourceLocation(file: profileFile, field: "model.path"))
            }
            // `validate` (reading the header) reads the model as the audit will: a file that
            // is no model (`/etc/passwd`, a FIFO) was called valid, whatever the data.
            let loaded = readingHeader ? try ModelLoader.load(contentsOf: model.path, limits: profile.limits) : nil
            // The names `explanations:` uses must be the model's features or their columns:
            // the same resolution the audit makes, on the model and the header alone.
            if let header = outcome.header, let explanations = profile.explanations, let loaded {
                let known = profile.sensitive.map(\.column) + explanations.names.map(\.name)
                let sources = try FeatureSources(featureNames: loaded.featureNames, header: header, knownColumns: known,
                                                 file: outcome.dataPath)
                _ = try explanations.resolved(by: sources, sensitive: profile.sensitive.map(\.column))
            }
        }
        return outcome
    }

    /// The error for a first row that holds none of the columns the profile names (a key
    /// file, a binary, another table): it is not the CSV asked for, so nothing of it is
    /// quoted back as "closest" names (``CSVHeaderRecognition``, the rule every CSV read
    /// keeps). The audit's one read asks the same of the header it reads.
    static func unrecognisedHeader(_ header: [String], profile: AuditProfile, path: String) -> FairleadError? {
        let named = namedColumns(profile)
        guard named.contains(where: { !header.contains($0.column) }), !isRecognised(header: header, by: profile) else { return nil }
        return CSVHeaderRecognition.error(header: header, asked: named.map(\.column).filter { !isPlaceholder($0) }, path: path,
                                          askedBy: "the profile names", expected: "the data this profile describes")
    }

    /// Every column the profile names, with the key that names it and the type it must have.
    static func namedColumns(_ profile: AuditProfile) -> [(key: String, column: String, wanted: ColumnType?)] {
        // In the order the audit's read asks for them, each with the type it asks for
        // (AuditData.columnRequests), so both report the same first one, ranked alike.
        var wanted: [String: ColumnType?] = [:]
        for request in AuditData.columnRequests(profile: profile) where wanted[request.name] == nil {
            wanted[request.name] = request.type
        }
        func type(_ column: String) -> ColumnType? { wanted[column] ?? nil }
        var named: [(String, String, ColumnType?)] = []
        named.append(("data.score", profile.data.score, type(profile.data.score)))
        if let label = profile.data.label { named.append(("data.label", label, type(label))) }
        if let weight = profile.data.weight { named.append(("data.weight", weight, type(weight))) }
        for (index, decision) in profile.decisions.enumerated() {
            if case .predictionColumn(let column) = decision.kind { named.append(("decisions[\(index)].prediction", column, type(column))) }
        }
        for (index, attribute) in profile.sensitive.enumerated() {
            guard let indicators = attribute.oneHot else {
                named.append(("sensitive[\(index)]", attribute.column, type(attribute.column)))
                continue
            }
            for indicator in indicators {
                named.append(("sensitive[\(index)].one_hot.\(indicator.group)", indicator.column, type(indicator.column)))
            }
        }
        if let id = profile.data.id { named.append(("data.id", id, nil)) }
        return named
    }

    /// Whether a file's first row reads as the header of the data `profile` describes: it
    /// holds at least one column the profile names (a placeholder does not count). Only
    /// then are its names quoted in messages ("closest: …"); the first line of a file that
    /// is something else — `/etc/shadow` given as data — is never echoed.
    static func isRecognised(header: [String], by profile: AuditProfile) -> Bool {
        namedColumns(profile).contains { !isPlaceholder($0.column) && header.contains($0.column) }
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
