import FairleadCore

/// AIF360's reweighing weights (``Reweighing``) as a column for retraining, one row per
/// lead: its id, group, label and new weight (docs/mitigation.md, "Reweighing").
public struct ReweighingExport: Sendable, Equatable {
    /// The grouping the weights equalize, e.g. `ethnicity` or `ethnicity*gender`.
    public var attribute: String
    /// The id column's name (`id` when the profile names none and row numbers are used).
    public var idColumn: String
    public var ids: [String]
    /// Per lead: its group, or `nil` when its sensitive value is excluded.
    public var groups: [String?]
    /// Per lead: 0, 1, or `nil` when missing.
    public var labels: [Double?]
    /// Per lead: weight × w(g, y), or `nil` (no label, no group).
    public var weights: [Double?]
    /// Per group and label: w(g, y) (`"1"`, `"0"`).
    public var factors: [String: [String: Double]]

    /// The CSV: a header `id,group,label,weight`, then one line per lead, every cell
    /// through ``SpreadsheetSafeCSV`` (no cell runs as a spreadsheet formula).
    public func csv() -> String {
        var lines = [SpreadsheetSafeCSV.line([idColumn, "group", "label", "weight"])]
        lines.reserveCapacity(ids.count + 1)
        for row in ids.indices {
            lines.append(SpreadsheetSafeCSV.line([
                ids[row], groups[row] ?? "", labels[row].map { $0 == 1 ? "1" : "0" } ?? "",
                weights[row].map { "\($0)" } ?? "",
            ]))
        }
        // Each line ends with its own line feed (SpreadsheetSafeCSV.line): joined with
        // another, every row was followed by an empty line.
        return lines.joined()
    }
}

extension Mitigation {
    /// Checks, before any row is read, that `attribute` is one of the profile's attributes
    /// or intersections.
    static func checkReweighing(_ attribute: String, profile: AuditProfile) throws {
        let known = profile.sensitive.map(\.column) + profile.intersections.map { $0.joined(separator: "*") }
        guard known.contains(attribute) else {
            let hint = typoNames(of: attribute, in: known, limit: 1).first.map { " (did you mean '\($0)'?)" } ?? ""
            throw FairleadError(.usage, "the attribute to reweigh by, '\(attribute)', is not an attribute or intersection of the profile\(hint); expected one of: \(known.joined(separator: ", "))")
        }
    }

    /// The reweighing export of `attribute` (`a` or `a*b`, of the profile's attributes and
    /// intersections) over the rows read. Ids are written as ``LeadIDs`` shows them (their
    /// pseudonyms under `pseudonymizer`); without an id column, row numbers.
    ///
    /// - Throws: `FairleadError(.usage)` naming the attributes when `attribute` is not one;
    ///   `FairleadError(.invalidData)` located at the second row when an id is on two rows
    ///   of `dataPath` (two rows of weights would name one lead).
    static func reweighing(_ attribute: String, data: AuditData, ids: CategoricalColumn?, idName: String?,
                           profile: AuditProfile, dataPath: String, pseudonymizer: LeadPseudonymizer?) throws -> ReweighingExport {
        try checkReweighing(attribute, profile: profile)
        if let ids, let idName {
            try LeadIDs.requireDistinct(ids, column: idName,
                                        source: RecordLocator(path: dataPath, options: profile.csvOptions(), sourceRecords: data.sourceRecords),
                                        pseudonymizer: pseudonymizer,
                                        why: "the weights are written one row per lead, named by its id")
        }
        let attributes = attribute.split(separator: "*").map(String.init)
        let columns = AuditColumns(scores: data.scores, labelColumn: data.labels, weights: data.weights, attributes: data.attributes)
        let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicies: profile.missingPolicies(for: attributes),
                                    maxGroups: profile.limits.maxGroups)
        let reweighing = Reweighing(columns, grouping: grouping)
        let names = reweighing.groups.map(\.description)
        var factors: [String: [String: Double]] = [:]
        for (group, name) in names.enumerated() {
            var entry: [String: Double] = [:]
            for label in 0...1 { if let factor = reweighing.factor(group: group, label: label) { entry["\(label)"] = factor } }
            factors[name] = entry
        }
        let labels = data.labels ?? []
        return ReweighingExport(
            attribute: attribute, idColumn: idName ?? "id",
            ids: (0..<data.rowCount).map { row in
                // Without ids, the row's number among the file's data rows (rows without consent count).
                ids.flatMap { $0[row] }.map { LeadIDs.shown($0, pseudonymizer: pseudonymizer) }
                    ?? "\(Table.record(of: row, in: data.sourceRecords) + 1)"
            },
            groups: (0..<data.rowCount).map { row in
                let group = reweighing.group(ofRow: row)
                return group >= 0 ? names[group] : nil
            },
            labels: (0..<data.rowCount).map { row in labels.indices.contains(row) && !labels[row].isNaN ? labels[row] : nil },
            weights: reweighing.rowWeights(), factors: factors)
    }
}
