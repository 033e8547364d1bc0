import FairleadCore

/// The groups of a sensitive attribute that the profile declares: the names a
/// differentially private release publishes, in order, whatever the data holds
/// (docs/privacy.md, "Which groups a release names").
///
///     sensitive:
///       - column: region
///         values: [north, south, east, west]   # the groups, in this order
///         other: other                         # optional: any other value is released as "other"
///
/// A release names exactly these groups — one with no row too, with its noisy cells — so
/// that the names it shows say nothing about who is in the data. The groups are
///
/// - `values:` in the order written, or the groups of `bins:` in the bins' order;
/// - then `other:` when `values:` does not list it;
/// - then `unknown` (rows missing the value) under `missing: unknown`, the default, when
///   not listed already.
///
/// An intersection's groups are the product of its columns' groups, the first column's
/// varying slowest (`north & gold`, `north & silver`, `south & gold`, …).
public struct DeclaredGroups: Sendable, Equatable {
    /// The groups, in the order a release lists them.
    public var names: [String]
    /// The group a value outside ``names`` is released as (`other:`); `nil` refuses the
    /// release when the data holds such a value.
    public var other: String?
    /// Display names (the attribute's `labels:`), for groups no row shows.
    public var labels: [String: String]
    /// Where the profile declares them (`sensitive[0]`), for messages.
    public var key: String?

    public init(names: [String], other: String? = nil, labels: [String: String] = [:]) {
        self.names = names
        self.other = other
        self.labels = labels
    }

    /// The declared groups of `spec`: its `values:` (with `other:`), its bins or its one-hot groups, and
    /// `unknown` when missing values are a group; `nil` when it declares neither.
    public init?(_ spec: AuditProfile.SensitiveSpec) {
        guard let declared = spec.bins?.groupNames ?? spec.oneHot?.map(\.group) ?? spec.values else { return nil }
        var names = declared
        if let other = spec.other, !names.contains(other) { names.append(other) }
        let unknown = MissingSensitivePolicy.unknownLabel
        if spec.missing == .unknownGroup, !names.contains(unknown) { names.append(unknown) }
        self.init(names: names, other: spec.other, labels: spec.labels)
    }

    /// The group a release counts `value`'s rows in: `value` itself when declared, else
    /// ``other``; `nil` when it is neither.
    public func publishedName(of value: String) -> String? {
        names.contains(value) ? value : other
    }
}

extension AuditProfile {
    /// Per sensitive column, its declared groups (``DeclaredGroups``); columns that declare
    /// none are absent.
    public var declaredGroups: [String: DeclaredGroups] {
        var groups: [String: DeclaredGroups] = [:]
        for (index, spec) in sensitive.enumerated() {
            guard var declared = DeclaredGroups(spec) else { continue }
            declared.key = "sensitive[\(index)]"
            groups[spec.column] = declared
        }
        return groups
    }

    /// Checks, before any data is read, that a differentially private release of this
    /// profile can name its groups: every sensitive column declares them, or
    /// `privacy.group_names: from_data` accepts the data's; and no intersection of
    /// declared columns makes more groups than `limits.max_groups`.
    ///
    /// - Throws: `FairleadError(.invalidProfile)` located at the first sensitive column
    ///   without declared groups, saying how to declare them; or naming the intersection
    ///   with too many groups.
    public func checkGroupsOfRelease() throws {
        let declared = declaredGroups
        if privacy?.groupNames != .fromData {
            let undeclared = sensitive.enumerated().filter { declared[$0.element.column] == nil }
            if let (index, first) = undeclared.first {
                var location = first.location
                location?.field = "sensitive[\(index)]"
                throw DeclaredGroups.undeclaredError(columns: undeclared.map(\.element.column), at: location)
            }
        }
        for columns in intersections {
            let sizes = columns.compactMap { declared[$0]?.names.count }
            guard sizes.count == columns.count else { continue }
            let count = sizes.reduce(1.0) { $0 * Double($1) }
            guard count <= Double(limits.maxGroups) else {
                throw FairleadError(.invalidProfile,
                                    "the declared groups of \(columns.joined(separator: "*")) make \(Int(count)) groups, above limits.max_groups (\(limits.maxGroups)): a release names every one",
                                    limit: .maxGroups)
            }
        }
    }
}

extension DeclaredGroups {
    /// A differentially private release of attributes whose groups are not declared.
    static func undeclaredError(columns: [String], at location: SourceLocation? = nil) -> FairleadError {
        let names = columns.map { MessageQuote.clipped($0) }
        let listed = ListWording.and(names)
        let example = names.first ?? "region"
        return FairleadError(.invalidProfile,
                             "a differentially private release names only declared groups, and \(listed) \(columns.count == 1 ? "declares" : "declare") none: "
                             + "a group named from the data (a value one lead holds) would show that the lead is in the data, whatever ε is. "
                             + "Declare the groups under the sensitive column (- column: \(example), values: [VALUE, VALUE, …], and other: NAME for every other value), "
                             + "or set privacy.group_names: from_data to publish the groups the data holds, which ε does not cover",
                             at: location)
    }

    /// Rows of `column` whose values lie outside these groups, with no `other:` to take
    /// them: how many, and which (`values`, with their rows, most rows first). The message
    /// goes to whoever runs the audit, who holds the data; only the release must not
    /// name them.
    func outsideError(column: String, rows: Int, values: [(value: String, rows: Int)]) -> FairleadError {
        let key = self.key.map { "\($0).values" } ?? "the declared values"
        func rowsText(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }
        let shown = values.prefix(12).map { "\"\(MessageQuote.clipped($0.value))\" (\(rowsText($0.rows)))" }.joined(separator: ", ")
            + (values.count > 12 ? ", and \(values.count - 12) more values" : "")
        return FairleadError(.invalidData,
                             "sensitive column '\(MessageQuote.clipped(column))': \(rowsText(rows)) \(rows == 1 ? "holds a value" : "hold values") outside \(key), "
                             + "which a differentially private release would have to name: \(shown). "
                             + "Add \(values.count == 1 ? "it" : "them") to values, or release every other value as one declared group with other: NAME (such as other: other)")
    }
}

/// Lists in words: `a`, `a and b`, `a, b and c`.
enum ListWording {
    static func and(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
    }
}
