import Testing
@testable import FairleadCore

/// Suggestions for a missing column that rank by the wanted type first, then by name.
@Suite struct ClosestNamesTypedTests {
    /// A new user's header: the scores are `p_…`, nothing is called "score".
    static let csv = """
        row_label,p_xgb,p_logistic,p_lgbm,y_true,sex,race,age
        a,0.91,0.80,0.75,won,female,white,34
        b,0.12,0.22,0.30,lost,male,black,51
        c,0.55,0.61,0.47,lost,female,asian,28

        """

    @Test func numericColumnsComeFirstThenTheNearestNames() {
        let columns: [(name: String, type: ColumnType?)] = [("row_label", .categorical), ("y_true", .categorical), ("sex", .categorical),
                                                            ("age", .numeric), ("p_xgb", .numeric), ("converted", .boolean)]
        // By edit distance alone a long placeholder is about as far from every name.
        #expect(closestNames(to: "SCORE_COLUMN", in: columns.map(\.name)) == ["row_label", "y_true", "sex"])
        #expect(closestNames(to: "SCORE_COLUMN", in: columns, wanted: .numeric) == ["age", "p_xgb", "converted"])
        #expect(closestNames(to: "SCORE_COLUMN", in: columns, wanted: .numeric, limit: 5)
                == ["age", "p_xgb", "converted", "row_label", "y_true"])
        #expect(closestNames(to: "gendre", in: columns, wanted: .categorical, limit: 2) == ["y_true", "sex"])
        // A typo is answered with the name it misspells, whatever its type.
        #expect(closestNames(to: "p_xbg", in: columns, wanted: .categorical, limit: 2) == ["p_xgb", "sex"])
        #expect(closestNames(to: "convreted", in: columns, wanted: .numeric, limit: 2) == ["converted", "age"])
    }

    /// A typo is at most a third of the name's length away, and at least 2: the rule of every
    /// "did you mean" (profile keys, drift metrics, explanation wording, serve fields, headers).
    @Test func aTypoIsAThirdOfTheNameAwayAndAtLeastTwo() {
        #expect(isTypo("score", of: "scroe"))              // 2 edits, 5 characters: the floor of 2
        #expect(!isTypo("sex", of: "ages"))                // 3 edits
        #expect(isTypo("lead_source", of: "LeadSorce"))    // case ignored: 2 edits
        #expect(isTypo("conversion_rate", of: "convrsion_rte"))  // 2 of 13
        #expect(!isTypo("conversion_rate_xyz", of: "conversionrate"))  // 5 edits of 14 characters: more than 4
        #expect(typoNames(of: "regoin", in: ["segment", "regions", "region", "age"]) == ["region"])  // "regions" is 3 away
        #expect(typoNames(of: "zzz", in: ["segment", "region"]).isEmpty)
        #expect(typoNames(of: "lead_sorce", in: ["lead_source", "lead_sources"], limit: 1) == ["lead_source"])
    }

    @Test func missingScoreColumnInTheHeaderSuggestsNumericColumns() throws {
        let error = try #require(CSVTestFiles.error(reading: Self.csv, columns: [ColumnRequest("sex"), ColumnRequest("SCORE_COLUMN", type: .numeric)]))
        #expect(error.kind == .invalidData)
        #expect(error.message == "no column \"SCORE_COLUMN\"; closest: \"p_lgbm\", \"p_xgb\", \"age\"")
        #expect(error.location?.line == 1 && error.location?.field == "SCORE_COLUMN")
    }

    @Test func untypedRequestKeepsRankingByNameOnly() throws {
        let error = try #require(CSVTestFiles.error(reading: Self.csv, columns: [ColumnRequest("sex"), ColumnRequest("SCORE_COLUMN")]))
        #expect(error.message == "no column \"SCORE_COLUMN\"; closest: \"row_label\", \"p_lgbm\", \"y_true\"")
    }

    /// A first row that holds none of the columns asked for is described, not quoted: it
    /// may be the first line of a key or a password file.
    @Test func aHeaderWithNoneOfTheColumnsAskedForIsNotQuoted() throws {
        let error = try #require(CSVTestFiles.error(reading: Self.csv, columns: [ColumnRequest("SCORE_COLUMN"), ColumnRequest("gendre")]))
        #expect(error.message == "none of the columns asked for (SCORE_COLUMN, gendre) is in this file's first row (8 fields): it is not a CSV file with a header row, or not the data expected")
        #expect(error.location?.line == 1 && error.location?.field == nil)
    }

    @Test func tableRequireColumnWithAWantedType() throws {
        let table = try CSVTestFiles.read(Self.csv)
        #expect(throws: FairleadError(.invalidData, "no column \"scor\"; closest: \"age\", \"p_xgb\", \"p_lgbm\"",
                                      at: SourceLocation(field: "scor"))) {
            try table.requireColumn(named: "scor", wanted: .numeric)
        }
        #expect(try table.requireColumn(named: "p_xgb", wanted: .numeric).numeric?[0] == 0.91)
    }
}
