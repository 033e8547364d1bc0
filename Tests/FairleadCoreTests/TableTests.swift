import Testing
@testable import FairleadCore

/// Looking columns up in a ``Table`` and the column value types.
@Suite struct TableTests {
    static let table = Table(rowCount: 3, columns: [
        Column(name: "score", storage: .numeric(NumericColumn(values: [0.5, .nan, 0.25], isMissing: [false, true, false]))),
        Column(name: "region", storage: .categorical(CategoricalColumn(codes: [0, 1, 0], levels: ["north", "south"]))),
        Column(name: "converted", storage: .boolean(BooleanColumn(values: [true, false, false],
                                                                  isMissing: [false, false, true]))),
    ])

    @Test func columnsAreFoundByName() throws {
        #expect(Self.table.columnNames == ["score", "region", "converted"])
        #expect(Self.table["score"]?.numeric?[1] == nil)
        #expect(Self.table.column(named: "region")?.categorical?[1] == "south")
        #expect(try Self.table.requireColumn(named: "converted").boolean?[0] == true)
        #expect(Self.table["nope"] == nil)
    }

    @Test func aMissingColumnNamesTheClosest() {
        #expect(throws: FairleadError(.invalidData, "no column \"regoin\"; closest: \"region\", \"score\", \"converted\"",
                                      at: SourceLocation(field: "regoin"))) {
            try Self.table.requireColumn(named: "regoin")
        }
    }

    /// A column held only as its one-hot indicators is named by them, not by the closest
    /// unrelated names ("grp", "id", "score" for a missing "sex").
    @Test func aColumnHeldAsOneHotIndicatorsIsNamedByThem() {
        #expect(missingColumnMessage("sex", among: ["id", "score", "grp", "sex_Female", "sex_Male"])
                == "no column \"sex\", but the columns \"sex_Female\", \"sex_Male\" look like its one-hot encoding: give sex as one column of its values (each row's level) to group by it, or build it from them in a profile (sensitive: name: and one_hot:)")
        #expect(missingColumnMessage("sex", among: [(name: "sex=F", type: .numeric), (name: "sex=M", type: .numeric), (name: "x", type: .categorical)],
                                     wanted: .categorical).contains("\"sex=F\", \"sex=M\" look like its one-hot encoding"))
        // One column with the prefix is not an encoding: the closest names, as before.
        #expect(missingColumnMessage("score", among: ["score_v2", "label"]).hasPrefix("no column \"score\"; closest: \"score_v2\""))
    }

    @Test func missingCountsAndTypes() {
        #expect(Self.table.columns.map(\.missingCount) == [1, 0, 1])
        #expect(Self.table.columns.map(\.type) == [.numeric, .categorical, .boolean])
        #expect(Self.table["region"]?.categorical?.levelCounts() == [2, 1])
        #expect(Self.table["score"]?.memoryFootprint == 27)
        #expect(Self.table["region"]?.memoryFootprint == 12 + 2 * 16)
        let long = Column(name: "l", storage: .categorical(
            CategoricalColumn(codes: [0], levels: [String(repeating: "x", count: 20)])))
        #expect(long.memoryFootprint == 4 + 16 + 20 + 32)
    }

    @Test func numericEqualityIgnoresTheNaNOfMissingRows() {
        let a = NumericColumn(values: [1, .nan], isMissing: [false, true])
        let b = NumericColumn(values: [1, 7], isMissing: [false, true])
        #expect(a == b)
        #expect(a != NumericColumn(values: [2, .nan], isMissing: [false, true]))
        #expect(a != NumericColumn(values: [1, .nan], isMissing: [false, false]))
    }

    @Test(arguments: [
        ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("flaw", "lawn", 2), ("same", "same", 0),
    ] as [(String, String, Int)])
    func editDistances(_ a: String, _ b: String, _ distance: Int) {
        #expect(editDistance(Array(a), Array(b)) == distance)
    }
}
