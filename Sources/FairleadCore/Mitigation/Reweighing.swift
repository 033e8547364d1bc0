/// Instance weights that make the label independent of the group in the weighted data:
/// AIF360's `Reweighing` (Kamiran & Calders 2012, *Data preprocessing techniques for
/// classification without discrimination*), for any number of groups.
///
/// For group g and label y, with W the weight sums over the counted rows:
///
///     w(g, y) = P(g) · P(y) / P(g, y) = (W_g · W_y) / (W · W_{g,y})
///
/// and a row's new weight is its weight × w(g, y). AIF360 splits the rows into one
/// privileged and one unprivileged group; its privileged group's weights are exactly
/// w(g, y) above with g the privileged group, so the goldens run AIF360 once per group
/// with that group privileged. A cell with no rows (W_{g,y} = 0) has no weight (`nil`).
/// Rows with a missing label, or a missing sensitive value under ``MissingSensitivePolicy/exclude``,
/// get none either.
///
///     let reweighing = Reweighing(columns, grouping: try Grouping(columns: columns, attributes: ["ethnicity"]))
///     reweighing.factor(group: 0, label: 1)       // w(g, 1)
///     reweighing.rowWeights()                     // per row: weight × w(g, y), or nil
public struct Reweighing: Sendable {
    /// The groups, in the grouping's order.
    public let groups: [GroupKey]
    /// Per group: Σw over counted rows with y = 0 and y = 1.
    public let cellWeights: [[Double]]
    /// Per group and label: w(g, y), `nil` for an empty cell.
    public let factors: [[Double?]]
    private let rowGroups: [Int32]
    private let columns: AuditColumns

    /// The weights of `columns` grouped by `grouping`; the columns need labels.
    public init(_ columns: AuditColumns, grouping: Grouping) {
        precondition(columns.labels != nil, "reweighing needs labels")
        let rowGroups = grouping.groupIndices(of: columns, rows: 0..<columns.rowCount)
        var cells = [[Double]](repeating: [0, 0], count: grouping.groupCount)
        let labels = columns.labels?.codes ?? []
        for row in 0..<columns.rowCount {
            let group = rowGroups[row]
            let label = labels[row]
            guard group >= 0, label <= 1 else { continue }
            cells[Int(group)][Int(label)] += columns.weights?[row] ?? 1
        }
        let total = cells.reduce(0) { $0 + $1[0] + $1[1] }
        let byLabel = [cells.reduce(0) { $0 + $1[0] }, cells.reduce(0) { $0 + $1[1] }]
        factors = cells.map { cell in
            let groupWeight = cell[0] + cell[1]
            return (0...1).map { label in
                cell[label] > 0 ? byLabel[label] * groupWeight / (total * cell[label]) : nil
            }
        }
        self.groups = grouping.groups
        self.cellWeights = cells
        self.rowGroups = rowGroups
        self.columns = columns
    }

    /// w(g, y) of a group and label (0 or 1).
    public func factor(group: Int, label: Int) -> Double? { factors[group][label] }

    /// A row's group index, or -1 when its sensitive value is excluded.
    public func group(ofRow row: Int) -> Int { Int(rowGroups[row]) }

    /// Per row: its weight (1 when unweighted) × w(g, y), or `nil` when the row has no
    /// label or no group.
    public func rowWeights() -> [Double?] {
        let labels = columns.labels?.codes ?? []
        return (0..<columns.rowCount).map { row in
            let group = rowGroups[row]
            let label = labels[row]
            guard group >= 0, label <= 1, let factor = factors[Int(group)][Int(label)] else { return nil }
            return (columns.weights?[row] ?? 1) * factor
        }
    }
}
