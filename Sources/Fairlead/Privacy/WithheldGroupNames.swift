import FairleadCore

/// The names a suppressed view publishes in place of group names that would tell a
/// reader who is in the data (docs/privacy.md, "Suppression").
///
/// A value of a sensitive column that fewer than `min_cell` rows hold (its count is
/// withheld, "below min_cell") and that the profile does not declare is published as
/// `withheld group 1`, `withheld group 2`, … — numbered per column in the code-point
/// order of the names they replace — and every intersection group one of whose parts it
/// is has that part replaced the same way:
///
///     // region holds north (40 rows), south (35) and "Svalbard" (2); nothing declared:
///     //   region:        "Svalbard"        → "withheld group 1"
///     //   region*tier:   "Svalbard & gold" → "withheld group 1 & gold"
///
/// A group that only a drift check's baseline held (its count now is 0) is a candidate
/// too, by its count in the baseline (``baselineOnly(_:minimumCell:)``): its name would say
/// that its few leads were in the baseline's data.
///
/// Declared names (``DeclaredGroups``: `values:`, the groups of `bins:`, `other:`) are
/// public before any data is read and stay, as does `unknown`, Fairlead's own name for a
/// missing value. A group of `min_cell` rows or more keeps its name. When a column holds
/// a group whose own name has the placeholders' form, the placeholders take a `*` more
/// (`withheld group* 1`) until no shown name equals one.
struct WithheldGroupNames {
    /// Why a column's group names are replaced, for `privacy.withheld_group_names`.
    static func reason(minimumCell: Int) -> String {
        "fewer than min_cell (\(minimumCell)) rows and not declared by the profile: the name of a value that few leads hold would show that they are in the data"
    }

    /// Why an intersection's group names are replaced.
    static func intersectionReason(columns: [String]) -> String {
        "a part of the name is a withheld group name of \(ListWording.and(columns))"
    }

    /// Per attribute (or intersection): each replaced name and its placeholder.
    private(set) var placeholders: [String: [String: String]] = [:]

    /// The replacements for `report` (the full report), whose groups listed in `small`
    /// (attribute and group of a count withheld below `min_cell`, or of a group only the
    /// baseline held that had fewer rows there) are candidates.
    init(report: AuditReport, small: Set<SmallGroup>, declared: [String: DeclaredGroups]) {
        // Every group name each attribute's tables hold, under any decision, and the
        // names of groups only the drift check's baseline held.
        var named = Self.groupsNow(report)
        var columnsOf: [String: [String]] = [:]
        for decision in report.decisions.values {
            for (name, attribute) in decision.attributes { columnsOf[name] = attribute.columns }
        }
        for finding in report.drift?.findings ?? [] {
            if let group = finding.group { named[finding.attribute, default: []].insert(group) }
        }
        var values: [String: Set<String>] = [:]
        for (name, groups) in named where (columnsOf[name] ?? [name]) == [name] { values[name] = groups }
        for (column, names) in values {
            let known = Set(declared[column]?.names ?? []).union([MissingSensitivePolicy.unknownLabel])
            let replaced = names.filter { small.contains(SmallGroup(attribute: column, group: $0)) && !known.contains($0) }.sorted()
            guard !replaced.isEmpty else { continue }
            let shown = names.subtracting(replaced).union(known)
            let names = Self.placeholders(count: replaced.count, avoiding: shown)
            placeholders[column] = Dictionary(uniqueKeysWithValues: zip(replaced, names))
        }
        guard !placeholders.isEmpty else { return }
        for (name, columns) in columnsOf where columns.count > 1 {
            guard columns.contains(where: { placeholders[$0] != nil }) else { continue }
            let margins = columns.map { values[$0] ?? [] }
            for group in named[name] ?? [] {
                guard let parts = DisclosureTable.split(group, over: margins) else { continue }
                let mapped = zip(columns, parts).map { column, part in placeholders[column]?[part] ?? part }
                if mapped != parts { placeholders[name, default: [:]][group] = GroupKey(mapped).description }
            }
        }
    }

    /// Per attribute, the groups `report` holds now: its tables' and its score
    /// distribution's.
    private static func groupsNow(_ report: AuditReport) -> [String: Set<String>] {
        var groups: [String: Set<String>] = [:]
        for decision in report.decisions.values {
            for (name, attribute) in decision.attributes { groups[name, default: []].formUnion(attribute.groups.keys) }
        }
        for (name, histograms) in report.scoreDistribution?.attributes ?? [:] { groups[name, default: []].formUnion(histograms.keys) }
        return groups
    }

    /// The groups `report`'s drift findings name that it does not hold now, and that had
    /// fewer than `minimumCell` rows in the baseline (``AuditReport/DriftFinding/baselineCount``;
    /// any such group of a report written before it).
    static func baselineOnly(_ report: AuditReport, minimumCell: Int) -> Set<SmallGroup> {
        guard let drift = report.drift else { return [] }
        let now = groupsNow(report)
        var small = Set<SmallGroup>()
        for finding in drift.findings {
            guard let group = finding.group, now[finding.attribute]?.contains(group) != true,
                  (finding.baselineCount ?? 0) < minimumCell else { continue }
            small.insert(SmallGroup(attribute: finding.attribute, group: group))
        }
        return small
    }

    /// A group whose own count a suppressed view withholds below `min_cell`.
    struct SmallGroup: Hashable {
        var attribute: String
        var group: String
    }

    /// `count` placeholders, none equal to a name in `shown`.
    static func placeholders(count: Int, avoiding shown: Set<String>) -> [String] {
        var wording = "withheld group"
        while true {
            let names = (0..<count).map { "\(wording) \($0 + 1)" }
            if !names.contains(where: shown.contains) { return names }
            wording += "*"
        }
    }

    /// The entries of `privacy.withheld_group_names`, by attribute name.
    func entries(report: AuditReport, minimumCell: Int) -> [PrivacyReport.WithheldGroupNames] {
        var columnsOf: [String: [String]] = [:]
        for decision in report.decisions.values {
            for (name, attribute) in decision.attributes { columnsOf[name] = attribute.columns }
        }
        return placeholders.keys.sorted().map { attribute in
            let names = placeholders[attribute] ?? [:]
            let columns = columnsOf[attribute] ?? [attribute]
            let reason = columns.count > 1
                ? Self.intersectionReason(columns: columns.filter { placeholders[$0] != nil })
                : Self.reason(minimumCell: minimumCell)
            return .init(attribute: attribute, count: names.count, placeholders: names.values.sorted(), reason: reason)
        }
    }

    /// The name `group` of `attribute` is published under.
    func published(_ group: String, of attribute: String) -> String {
        placeholders[attribute]?[group] ?? group
    }

    private func published(_ group: String?, of attribute: String) -> String? {
        group.map { published($0, of: attribute) }
    }

    private func renamed<Value>(_ values: [String: Value], of attribute: String) -> [String: Value] {
        guard let names = placeholders[attribute] else { return values }
        return Dictionary(values.map { (names[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// `text` with every quoted name of `attribute`'s replaced groups (`'Svalbard'`, as
    /// findings' reasons quote them) replaced by its quoted placeholder.
    private func requoted(_ text: String, of attribute: String) -> String {
        guard let names = placeholders[attribute] else { return text }
        var text = text
        // Longest first: no name is replaced inside a longer one.
        for (name, placeholder) in names.sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacingOccurrences(of: "'\(name)'", with: "'\(placeholder)'")
        }
        return text
    }

    /// Replaces the names everywhere `report` (the suppressed view, its privacy section
    /// included) holds a group's name.
    func apply(to report: inout AuditReport) {
        guard !placeholders.isEmpty else { return }
        for (decisionName, decision) in report.decisions {
            for (name, attribute) in decision.attributes where placeholders[name] != nil {
                report.decisions[decisionName]?.attributes[name] = section(attribute, name: name)
            }
        }
        for index in report.findings.indices {
            let attribute = report.findings[index].attribute
            report.findings[index].group = published(report.findings[index].group, of: attribute)
            report.findings[index].namedGroups = report.findings[index].namedGroups?.map { published($0, of: attribute) }
            report.findings[index].reason = requoted(report.findings[index].reason, of: attribute)
        }
        if var drift = report.drift {
            for index in drift.findings.indices {
                let attribute = drift.findings[index].attribute
                drift.findings[index].group = published(drift.findings[index].group, of: attribute)
                drift.findings[index].reason = requoted(drift.findings[index].reason, of: attribute)
            }
            // The notes that name groups: an attribute's reference group changed, a group
            // gone since the baseline or new.
            drift.notes = drift.notes.map { note in
                if let attribute = DriftEvaluation.groupChangeNoteAttribute(note, among: placeholders.keys.sorted()) {
                    return requoted(note, of: attribute)
                }
                for attribute in placeholders.keys.sorted() {
                    for decision in report.decisions.keys
                    where note.hasPrefix(DriftEvaluation.referenceChangedPrefix(attribute: attribute, decision: decision)) {
                        return requoted(note, of: attribute)
                    }
                }
                return note
            }
            report.drift = drift
        }
        if var queue = report.queue {
            for (name, var section) in queue where placeholders[name] != nil {
                section.referenceGroup = published(section.referenceGroup, of: name)
                section.groups = renamed(section.groups, of: name)
                section.calibrationBins = renamed(section.calibrationBins, of: name)
                for (cutoff, topK) in section.topK {
                    section.topK[cutoff]?.groups = renamed(topK.groups, of: name)
                }
                queue[name] = section
            }
            report.queue = queue
        }
        if var explanations = report.explanations {
            apply(to: &explanations)
            report.explanations = explanations
        }
        if var privacy = report.privacy {
            privacy.suppressed = privacy.suppressed?.map { cell in
                var cell = cell
                cell.group = published(cell.group, of: cell.attribute)
                return cell
            }.sorted()
            report.privacy = privacy
        }
    }

    private func section(_ attribute: AuditReport.AttributeReport, name: String) -> AuditReport.AttributeReport {
        var section = attribute
        section.referenceGroup = published(attribute.referenceGroup, of: name)
        var groups = renamed(attribute.groups, of: name)
        // A display label from the profile's labels: would name the group all the same.
        for placeholder in (placeholders[name] ?? [:]).values { groups[placeholder]?.label = nil }
        section.groups = groups
        for (metric, disparity) in attribute.disparities {
            section.disparities[metric]?.differenceToReference = renamed(disparity.differenceToReference, of: name)
            section.disparities[metric]?.ratioToReference = renamed(disparity.ratioToReference, of: name)
        }
        section.toReference = attribute.toReference?.mapValues { renamed($0, of: name) }
        return section
    }

    private func apply(to explanations: inout AuditReport.ExplanationsReport) {
        for (name, decomposition) in explanations.decomposition where placeholders[name] != nil {
            explanations.decomposition[name]?.referenceGroup = published(decomposition.referenceGroup, of: name)
            explanations.decomposition[name]?.groups = renamed(decomposition.groups, of: name)
        }
        for (name, groups) in explanations.importance.byAttribute where placeholders[name] != nil {
            explanations.importance.byAttribute[name] = renamed(groups, of: name)
        }
        for (feature, measures) in explanations.proxies.measures {
            for (name, measure) in measures where placeholders[name] != nil {
                var measure = measure
                measure.auc = renamed(measure.auc, of: name)
                measure.bestGroup = published(measure.bestGroup, of: name)
                explanations.proxies.measures[feature]?[name] = measure
            }
        }
        for (name, multivariate) in explanations.proxies.multivariate where placeholders[name] != nil {
            explanations.proxies.multivariate[name]?.groups = renamed(multivariate.groups, of: name)
            explanations.proxies.multivariate[name]?.bestGroup = published(multivariate.bestGroup, of: name)
        }
        for index in explanations.findings.indices {
            let finding = explanations.findings[index]
            guard let group = finding.group, let placeholder = placeholders[finding.attribute]?[group] else { continue }
            explanations.findings[index].group = placeholder
            // A proxy finding's reason names its best group unquoted ("AUC 0.91 for Svalbard").
            explanations.findings[index].reason = requoted(finding.reason, of: finding.attribute)
                .replacingOccurrences(of: "for \(group);", with: "for \(placeholder);")
                .replacingOccurrences(of: "for \(group),", with: "for \(placeholder),")
            if explanations.findings[index].reason.hasSuffix("for \(group)") {
                explanations.findings[index].reason = String(explanations.findings[index].reason.dropLast(group.count)) + placeholder
            }
        }
    }
}
