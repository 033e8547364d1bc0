/// Small-cell suppression with complementary suppression over a ``DisclosureTable``.
///
/// 1. **Primary**: every quantity from 1 to `minimumCell − 1` is withheld ("below
///    min_cell"). Zero is shown: it describes nobody.
/// 2. **Complementary**: while some withheld quantity can be worked out from what is
///    shown, one more is withheld ("complementary"), the smallest positive one of a
///    relation that gives it away. First every relation with a single withheld member
///    (a subtraction: total − shown parts) gets a second one; then the whole system is
///    checked: a withheld quantity x_j is derivable exactly when the unit vector e_j lies
///    in the row space of the relations restricted to the withheld quantities (the shown
///    ones are constants), which Gaussian elimination decides — in its reduced row
///    echelon form, x_j is a pivot whose row has no entry in a free column.
///
/// The result withholds no quantity that the relations and the shown quantities
/// determine. It is not minimal (finding the least total withheld is NP-hard in
/// general); the greedy choice of the smallest complement keeps the loss small.
struct CellSuppression {
    /// Withheld for being below the threshold.
    private(set) var primary: Set<Int> = []
    /// Withheld to protect the primary ones.
    private(set) var complementary: Set<Int> = []

    var all: Set<Int> { primary.union(complementary) }

    init(_ table: DisclosureTable, minimumCell: Int) {
        let threshold = Double(minimumCell)
        for (index, value) in table.values.enumerated() where value > 0 && value < threshold && !table.pinned.contains(index) {
            primary.insert(index)
        }
        var hidden = primary
        while true {
            if let relation = table.relations.first(where: { relation in relation.filter { hidden.contains($0.index) }.count == 1 }),
               let complement = Self.complement(in: relation, hidden: hidden, table: table) {
                hidden.insert(complement)
                complementary.insert(complement)
                continue
            }
            guard let derivable = Self.derivable(hidden: hidden, relations: table.relations).min() else { break }
            // The relations through the derivable quantity, fewest withheld members first.
            let candidates = table.relations.filter { $0.contains { $0.index == derivable } }
                .sorted { $0.filter { hidden.contains($0.index) }.count < $1.filter { hidden.contains($0.index) }.count }
            guard let complement = candidates.lazy.compactMap({ Self.complement(in: $0, hidden: hidden, table: table) }).first else {
                break
            }
            hidden.insert(complement)
            complementary.insert(complement)
        }
    }

    /// The member of `relation` to withhold next: shown and not pinned; one of the same
    /// decision as a withheld member before another decision's; a part before the total
    /// (an intersection's cell before its margin's, a group's before the overall row's, so
    /// that withholding stays where it started, at the finest level); a positive value
    /// before a zero (a withheld zero protects little); the smallest value; the smallest index.
    private static func complement(in relation: [(index: Int, coefficient: Int)], hidden: Set<Int>,
                                   table: DisclosureTable) -> Int? {
        let decisions = Set(relation.filter { hidden.contains($0.index) }.map { table.decision(of: $0.index) })
        func rank(_ member: (index: Int, coefficient: Int)) -> (Int, Int, Int, Double, Int) {
            let value = table.values[member.index]
            return (decisions.contains(table.decision(of: member.index)) ? 0 : 1, member.coefficient > 0 ? 0 : 1,
                    value > 0 ? 0 : 1, value, member.index)
        }
        return relation
            .filter { !hidden.contains($0.index) && !table.pinned.contains($0.index) }
            .min { rank($0) < rank($1) }?.index
    }

    /// The withheld quantities that the relations determine from the shown ones.
    static func derivable(hidden: Set<Int>, relations: [[(index: Int, coefficient: Int)]]) -> Set<Int> {
        let columns = hidden.sorted()
        guard !columns.isEmpty else { return [] }
        var position: [Int: Int] = [:]
        for (column, index) in columns.enumerated() { position[index] = column }
        var matrix: [[Double]] = relations.compactMap { relation in
            var row = [Double](repeating: 0, count: columns.count)
            var touches = false
            for member in relation {
                if let column = position[member.index] {
                    row[column] += Double(member.coefficient)
                    touches = true
                }
            }
            return touches ? row : nil
        }
        // Reduced row echelon form with partial pivoting; entries are small integers
        // combined a few times, so a tolerance of 1e-9 tells zero from non-zero.
        let tolerance = 1e-9
        var pivotRowOfColumn: [Int: Int] = [:]
        var rank = 0
        for column in columns.indices where rank < matrix.count {
            var best = rank
            for row in rank..<matrix.count where abs(matrix[row][column]) > abs(matrix[best][column]) { best = row }
            guard abs(matrix[best][column]) > tolerance else { continue }
            matrix.swapAt(rank, best)
            let pivot = matrix[rank][column]
            for k in column..<columns.count { matrix[rank][k] /= pivot }
            for row in matrix.indices where row != rank && abs(matrix[row][column]) > tolerance {
                let factor = matrix[row][column]
                for k in column..<columns.count { matrix[row][k] -= factor * matrix[rank][k] }
            }
            pivotRowOfColumn[column] = rank
            rank += 1
        }
        var result: Set<Int> = []
        for (column, row) in pivotRowOfColumn {
            let free = columns.indices.filter { pivotRowOfColumn[$0] == nil && abs(matrix[row][$0]) > tolerance }
            if free.isEmpty { result.insert(columns[column]) }
        }
        return result
    }
}
