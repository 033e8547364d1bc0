import FairleadCore

/// The groups a differentially private release names in each table, and which of the
/// full report's groups each one adds up (docs/privacy.md, "Which groups a release names").
///
/// An attribute whose column declares its groups (``DeclaredGroups``) is released with
/// exactly those, in their order, whatever the data holds: a group without rows gets
/// noisy cells like any other, and a value outside them is counted in the `other:` group
/// — or, without one, the release is refused. An intersection of declared columns is
/// released as the product of their groups. Only under `privacy.group_names: from_data`
/// may a column that declares none be released with the groups of the data, as before.
///
///     // region declares [north, south, east, west] with other: elsewhere, and the data
///     // holds north, south and "Qx": north → [north], south → [south], east → [],
///     // west → [], elsewhere → [Qx], unknown → [] (missing values, none in the data).
struct ReleaseGroups {
    /// One table's published groups.
    struct Table {
        /// The groups released, in order.
        var names: [String]
        /// Per released group, the report's groups whose cells it adds up; none when no
        /// row of the data is in it.
        var members: [String: [String]]
        /// Per group of the report, the released group it is counted in.
        var publishedName: [String: String]
        /// Per released group, its display label.
        var labels: [String: String]
        /// Released groups that gather every value outside the declared ones (`other:`,
        /// and in an intersection each group one of whose values is `other:`). Known from
        /// the profile alone, so that what is said of them does not depend on the data.
        var gathering: Set<String>
        /// Whether every column of the table declares its groups.
        var declared: Bool
        /// Whether some column does: the names are in the declared order (else in
        /// code-point order, the data's).
        var ordered: Bool
    }

    /// Per decision, per attribute (or intersection), its table.
    private(set) var tables: [String: [String: Table]] = [:]
    /// Per attribute, the groups released under any decision, in order, and whether
    /// they are declared: `privacy.release.groups`.
    private(set) var lists: [PrivacyReport.Release.GroupList] = []

    /// The attributes released with the data's group names.
    var fromData: [String] { lists.filter { !$0.declared }.map(\.attribute) }

    /// The groups of `report`'s tables under the profile's declared groups.
    ///
    /// - Throws: `FairleadError(.invalidProfile)` when a column declares no groups and
    ///   `source` is `.declared` (``DeclaredGroups/undeclaredError(columns:at:)``);
    ///   `FairleadError(.invalidData)` when the data holds a value outside a column's
    ///   declared groups and the column has no `other:`, naming the values and their rows
    ///   (``DeclaredGroups/outsideError(column:rows:values:)``).
    init(report: AuditReport, declared: [String: DeclaredGroups], source: GroupNameSource) throws {
        let decisionNames = report.decisions.keys.sorted()
        var columns: [String] = []
        for name in decisionNames {
            for attribute in (report.decisions[name]?.attributes.values).map(Array.init) ?? [] {
                for column in attribute.columns where !columns.contains(column) { columns.append(column) }
            }
        }
        columns.sort()
        let undeclared = columns.filter { declared[$0] == nil }
        if source == .declared, !undeclared.isEmpty {
            throw DeclaredGroups.undeclaredError(columns: undeclared)
        }
        try Self.requireDeclaredValues(report, columns: columns, declared: declared)

        var order: [String: [String]] = [:]
        var isDeclared: [String: Bool] = [:]
        var isOrdered: [String: Bool] = [:]
        for decisionName in decisionNames {
            guard let decision = report.decisions[decisionName] else { continue }
            for (attributeName, attribute) in decision.attributes {
                let table = try Self.table(attribute, name: attributeName, in: decision, declared: declared)
                tables[decisionName, default: [:]][attributeName] = table
                var names = order[attributeName] ?? []
                for name in table.names where !names.contains(name) { names.append(name) }
                order[attributeName] = names
                isDeclared[attributeName] = table.declared
                isOrdered[attributeName] = table.ordered
            }
        }
        lists = order.keys.sorted().map { attribute in
            let names = order[attribute] ?? []
            // The data's groups in code-point order, as the report lists them.
            return .init(attribute: attribute, names: isOrdered[attribute] == true ? names : names.sorted(),
                         declared: isDeclared[attribute] ?? false)
        }
    }

    /// Every value the data holds of a declared column is declared, or `other:` takes it.
    private static func requireDeclaredValues(_ report: AuditReport, columns: [String], declared: [String: DeclaredGroups]) throws {
        for column in columns {
            guard let groups = declared[column], groups.other == nil else { continue }
            // A value's rows: the most any decision counts (they may use different rows).
            var outside: [String: Int] = [:]
            for decision in report.decisions.values {
                guard let table = decision.attributes[column], table.columns == [column] else { continue }
                for (value, group) in table.groups where groups.publishedName(of: value) == nil {
                    outside[value] = max(outside[value] ?? 0, group.count)
                }
            }
            guard !outside.isEmpty else { continue }
            let values = outside.map { (value: $0.key, rows: $0.value) }
                .sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.value < $1.value }
            throw groups.outsideError(column: column, rows: values.reduce(0) { $0 + $1.rows }, values: values)
        }
    }

    /// One attribute's (or intersection's) released groups under one decision.
    private static func table(_ attribute: AuditReport.AttributeReport, name: String, in decision: AuditReport.DecisionReport,
                              declared: [String: DeclaredGroups]) throws -> Table {
        let columns = attribute.columns
        let groups = columns.map { declared[$0] }
        guard groups.contains(where: { $0 != nil }) else {
            // The data's groups, as the report has them.
            let names = attribute.groups.keys.sorted()
            return Table(names: names, members: Dictionary(uniqueKeysWithValues: names.map { ($0, [$0]) }),
                         publishedName: Dictionary(uniqueKeysWithValues: names.map { ($0, $0) }),
                         labels: attribute.groups.compactMapValues(\.label), gathering: [], declared: false, ordered: false)
        }
        // Each column's groups: declared, or (a column declaring none, in an intersection
        // under from_data) those of its own table under this decision.
        var margins: [Set<String>] = []
        var lists: [[String]] = []
        for (column, declaredGroups) in zip(columns, groups) {
            let margin = columns.count == 1 ? attribute : decision.attributes[column]
            guard let margin else {
                throw FairleadError(.usage, "a differentially private release of '\(MessageQuote.clipped(name))' needs the table of its column '\(MessageQuote.clipped(column))', which the report lacks")
            }
            margins.append(Set(margin.groups.keys))
            lists.append(declaredGroups?.names ?? margin.groups.keys.sorted())
        }
        let count = lists.reduce(1.0) { $0 * Double($1.count) }
        guard count <= Double(Grouping.maximumGroupCount) else {
            throw FairleadError(.invalidProfile, "the declared groups of \(ListWording.and(columns.map { MessageQuote.clipped($0) })) make \(Int(count)) groups, more than a release can hold (\(Grouping.maximumGroupCount))",
                                limit: .maxGroups)
        }
        // The product, the first column varying slowest (one column: its groups).
        var product: [[String]] = [[]]
        for list in lists { product = product.flatMap { prefix in list.map { prefix + [$0] } } }
        let names = product.map { GroupKey($0).description }
        var gathering = Set<String>()
        for values in product where zip(values, groups).contains(where: { value, declared in declared?.other == value }) {
            gathering.insert(GroupKey(values).description)
        }
        var members: [String: [String]] = [:]
        var publishedName: [String: String] = [:]
        for group in attribute.groups.keys.sorted() {
            let values = columns.count == 1 ? [group] : DisclosureTable.split(group, over: margins)
            let mapped = values.map { values in zip(values, groups).map { value, declared in declared.map { $0.publishedName(of: value) } ?? value } }
            guard let mapped, mapped.allSatisfy({ $0 != nil }) else {
                throw FairleadError(.internalFailure, "a differentially private release could not place the group '\(MessageQuote.clipped(group))' of '\(MessageQuote.clipped(name))' among the declared groups")
            }
            let published = GroupKey(mapped.compactMap { $0 }).description
            members[published, default: []].append(group)
            publishedName[group] = published
        }
        var labels: [String: String] = [:]
        if columns.count == 1, let declaredGroups = groups[0] {
            labels = declaredGroups.labels.filter { names.contains($0.key) }
        }
        return Table(names: names, members: members, publishedName: publishedName, labels: labels, gathering: gathering,
                     declared: groups.allSatisfy { $0 != nil }, ordered: true)
    }

    /// `findings` as a release shows them: a finding on a group is named by the group it
    /// was released in, and the findings of one rule on one gathering group (`other:`)
    /// become one, with the worst verdict among them.
    func findings(_ findings: [AuditReport.Finding]) throws -> [AuditReport.Finding] {
        var released: [AuditReport.Finding] = []
        var position: [String: Int] = [:]
        for var finding in findings {
            guard let group = finding.group else { released.append(finding); continue }
            guard let table = tables[finding.decision]?[finding.attribute] else {
                throw FairleadError(.internalFailure, "a finding of '\(MessageQuote.clipped(finding.attribute))' under '\(MessageQuote.clipped(finding.decision))' has no released table")
            }
            guard let name = table.publishedName[group] ?? (table.names.contains(group) ? group : nil) else {
                throw FairleadError(.internalFailure, "a finding names the group '\(MessageQuote.clipped(group))' of '\(MessageQuote.clipped(finding.attribute))', which the release does not hold")
            }
            finding.group = name
            guard table.gathering.contains(name) else { released.append(finding); continue }
            finding.reason = "verdict on the full data, the worst over the values released as '\(name)'; the released values are noisy (see the decisions)"
            let key = [finding.rule, finding.metric, finding.decision, finding.attribute, name].joined(separator: "\u{0}")
            if let index = position[key] {
                // The verdict and its cause come from the same finding.
                if Self.worse(released[index].verdict, finding.verdict) != released[index].verdict {
                    released[index].verdict = finding.verdict
                    released[index].undecidedCause = finding.undecidedCause
                }
            } else {
                position[key] = released.count
                released.append(finding)
            }
        }
        return released
    }

    /// The verdict that weighs more in a gathered finding: fail, then insufficient evidence, then pass.
    private static func worse(_ a: AuditReport.Verdict, _ b: AuditReport.Verdict) -> AuditReport.Verdict {
        let rank: [AuditReport.Verdict: Int] = [.fail: 3, .insufficientEvidence: 2, .pass: 1, .noRules: 0]
        return (rank[a] ?? 0) >= (rank[b] ?? 0) ? a : b
    }
}
