import FairleadCore

/// The counts a report publishes about its decisions, as one system of linear relations:
/// what complementary suppression must keep consistent (docs/privacy.md).
///
/// Quantities are, per decision, attribute (or intersection) and group — the overall
/// row included — the group's `count` and its confusion cells; and per decision the rows
/// used and the rows selected, which are never withheld. Relations say that
///
/// - a group's cells add up to its count (rows of the table);
/// - the groups' cells add up to the overall row's (columns), their counts to its count;
/// - an attribute with no excluded rows has the decision's rows as its total, and the
///   same overall cells as every other such attribute; the selected cells add up to the
///   decision's selected rows;
/// - an intersection's groups add up to each of its columns' groups (its margins);
/// - decisions over the same rows have the same group counts, and the same actual
///   positives per group (TP + FN).
///
/// A withheld quantity is safe when no combination of relations and shown quantities
/// gives it back (``CellSuppression``).
struct DisclosureTable {
    enum Key: Hashable {
        case cell(decision: String, attribute: String, group: String?, DisclosureCell)
        case rows(decision: String)
        case selected(decision: String)
    }

    /// Every quantity, by index.
    private(set) var keys: [Key] = []
    private(set) var values: [Double] = []
    /// Quantities that are never withheld (rows used, rows selected).
    private(set) var pinned: Set<Int> = []
    /// Each relation: Σ coefficient × quantity = 0.
    private(set) var relations: [[(index: Int, coefficient: Int)]] = []
    private var indexOf: [Key: Int] = [:]

    /// Per decision and attribute: whether it has labels.
    private(set) var labeled: [String: Bool] = [:]

    func index(_ key: Key) -> Int? { indexOf[key] }

    /// The decision a quantity belongs to.
    func decision(of index: Int) -> String {
        switch keys[index] {
        case .cell(let decision, _, _, _), .rows(let decision), .selected(let decision): decision
        }
    }

    private mutating func add(_ key: Key, _ value: Double, pinned isPinned: Bool = false) -> Int {
        if let existing = indexOf[key] { return existing }
        keys.append(key)
        values.append(value)
        indexOf[key] = keys.count - 1
        if isPinned { pinned.insert(keys.count - 1) }
        return keys.count - 1
    }

    /// `total = Σ parts`.
    private mutating func relate(_ total: Int, _ parts: [Int]) {
        guard !parts.isEmpty else { return }
        relations.append([(index: total, coefficient: -1)] + parts.map { (index: $0, coefficient: 1) })
    }

    /// The system of `report`'s decisions.
    ///
    /// - Throws: `FairleadError(.usage)` when a group's cells cannot be read from the
    ///   report (its profile's `metrics:` leaves out the rates that carry them).
    init(report: AuditReport) throws {
        let decisionNames = report.decisions.keys.sorted()
        for decisionName in decisionNames {
            guard let decision = report.decisions[decisionName] else { continue }
            let rows = add(.rows(decision: decisionName), Double(decision.rows.used), pinned: true)
            let selected = add(.selected(decision: decisionName), Double(decision.selected), pinned: true)
            var sharedTotals: [Int]?
            for attributeName in decision.attributes.keys.sorted() {
                guard let attribute = decision.attributes[attributeName] else { continue }
                let isLabeled = DisclosureCell.isLabeled(attribute)
                labeled[decisionName + "\u{0}" + attributeName] = isLabeled
                let outcomes = DisclosureCell.outcomes(labeled: isLabeled)
                let kinds = [DisclosureCell.count] + outcomes
                // Per row of the table: its quantities, in the order of `kinds`.
                func cellIndices(_ group: String?, _ report: AuditReport.GroupReport) throws -> [Int] {
                    guard let values = DisclosureCell.values(of: report, labeled: isLabeled) else {
                        throw DisclosureCell.missingCellsError(attribute: attributeName, decision: decisionName)
                    }
                    return kinds.map { add(.cell(decision: decisionName, attribute: attributeName, group: group, $0), values[$0] ?? 0) }
                }
                let overall = try cellIndices(nil, attribute.overall)
                var groupIndices: [[Int]] = []
                for name in attribute.groups.keys.sorted() {
                    guard let group = attribute.groups[name] else { continue }
                    let indices = try cellIndices(name, group)
                    groupIndices.append(indices)
                    relate(indices[0], Array(indices.dropFirst()))
                }
                relate(overall[0], Array(overall.dropFirst()))
                for position in kinds.indices {
                    relate(overall[position], groupIndices.map { $0[position] })
                }
                if attribute.excludedMissing == 0 {
                    relations.append([(index: overall[0], coefficient: 1), (index: rows, coefficient: -1)])
                    if let shared = sharedTotals {
                        for position in kinds.indices.dropFirst() where shared.count == overall.count {
                            relations.append([(index: overall[position], coefficient: 1), (index: shared[position], coefficient: -1)])
                        }
                    } else {
                        sharedTotals = overall
                        relate(selected, kinds.indices.filter { kinds[$0].isSelected }.map { overall[$0] })
                    }
                }
            }
            addMargins(decisionName, decision)
        }
        addAcrossDecisions(report, decisionNames)
    }

    /// An intersection's groups add up to each column's groups, when the other columns
    /// exclude no row (then every row of a margin group is in some intersection group).
    private mutating func addMargins(_ decisionName: String, _ decision: AuditReport.DecisionReport) {
        for (name, intersection) in decision.attributes where intersection.columns.count > 1 {
            let margins = intersection.columns.compactMap { decision.attributes[$0] }
            guard margins.count == intersection.columns.count, intersection.excludedMissing == 0 else { continue }
            let marginGroups = margins.map { Set($0.groups.keys) }
            var members: [[String]: [String]] = [:]  // intersection group -> its values
            for group in intersection.groups.keys {
                if let values = Self.split(group, over: marginGroups) { members[values] = [group] }
            }
            let outcomes = DisclosureCell.outcomes(labeled: labeled[decisionName + "\u{0}" + name] ?? false)
            for (position, column) in intersection.columns.enumerated() {
                let margin = margins[position]
                for marginGroup in margin.groups.keys {
                    let parts = members.filter { $0.key[position] == marginGroup }.values.flatMap { $0 }
                    for cell in [DisclosureCell.count] + outcomes {
                        guard let total = index(.cell(decision: decisionName, attribute: column, group: marginGroup, cell)) else { continue }
                        let partIndices = parts.compactMap { index(.cell(decision: decisionName, attribute: name, group: $0, cell)) }
                        if partIndices.count == parts.count { relate(total, partIndices) }
                    }
                }
            }
        }
    }

    /// Decisions over the same rows share group counts and actual positives.
    private mutating func addAcrossDecisions(_ report: AuditReport, _ names: [String]) {
        guard let first = names.first, let base = report.decisions[first] else { return }
        for other in names.dropFirst() {
            guard let decision = report.decisions[other], decision.rows == base.rows else { continue }
            for (attributeName, attribute) in decision.attributes {
                for group in [nil] + attribute.groups.keys.map(Optional.some) {
                    func at(_ decision: String, _ cell: DisclosureCell) -> Int? {
                        index(.cell(decision: decision, attribute: attributeName, group: group, cell))
                    }
                    if let a = at(first, .count), let b = at(other, .count) { relations.append([(index: a, coefficient: 1), (index: b, coefficient: -1)]) }
                    if let a = at(first, .truePositives), let b = at(first, .falseNegatives),
                       let c = at(other, .truePositives), let d = at(other, .falseNegatives) {
                        relations.append([(index: a, coefficient: 1), (index: b, coefficient: 1), (index: c, coefficient: -1), (index: d, coefficient: -1)])
                    }
                }
            }
        }
    }

    /// The values of an intersection group's name `a & b & …`, one from each margin's
    /// groups (a value may itself contain " & ").
    static func split(_ name: String, over margins: [Set<String>]) -> [String]? {
        guard let first = margins.first else { return name.isEmpty ? [] : nil }
        if margins.count == 1 { return first.contains(name) ? [name] : nil }
        for value in first where name.hasPrefix(value + " & ") {
            if let rest = split(String(name.dropFirst(value.count + 3)), over: Array(margins.dropFirst())) {
                return [value] + rest
            }
        }
        return nil
    }
}
