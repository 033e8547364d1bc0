import Testing
@testable import FairleadCore

/// The comparison of the model's scores with a file's (``ScoreAgreement``) and the count
/// of repeated ids (``RepeatedIDs``), on their own.
@Suite struct ScoreAgreementTests {
    @Test func missingRecordedScoresAreNotComparedAndTheLargestDifferenceIsKept() {
        var agreement = ScoreAgreement()
        let model = [0.50, 0.30, 0.9, .nan, 0.2]
        agreement.observe(ids: ["a", "b", "c", "d", "e"], lines: [2, 3, 4, 5, 6], model: { model[$0] },
                          recorded: [0.5004, .nan, 0.6, 0.1, 0.2011])
        // "b" has no recorded score; "a" is within 0.001; "d"'s model score is NaN: disagrees.
        #expect(agreement.compared == 4)
        #expect(agreement.disagreeing == 3)
        #expect(agreement.largest?.id == "c" && agreement.largest?.line == 4)
        #expect(agreement.warning(column: "score")?.contains("for 3 of 4 leads compared (by up to 0.3: lead 'c', line 4 scores 0.9 by the model, 0.6 in the column)") == true,
                "\(agreement.warning(column: "score") ?? "")")
        var other = ScoreAgreement()
        other.observe(ids: ["f"], lines: [], model: { _ in 0.0 }, recorded: [0.95])
        agreement.merge(other)
        #expect(agreement.compared == 5 && agreement.disagreeing == 4 && agreement.largest?.id == "f" && agreement.largest?.line == nil)
        // No column read: nothing compared, nothing said.
        var none = ScoreAgreement()
        none.observe(ids: ["a"], lines: [2], model: { _ in 1 }, recorded: [])
        #expect(none.compared == 0 && none.warning(column: "score") == nil)
    }

    @Test func repeatedIDsAreCountedOncePerLaterRowAndMissingIDsAreNot() {
        var repeated = RepeatedIDs()
        repeated.observe(ids: ["L1", "L2", "", ""], lines: [2, 3, 4, 5])
        #expect(repeated.rows == 0 && repeated.warning(column: "id") == nil)
        // Across batches, and one text in two Unicode spellings is one id.
        repeated.observe(ids: ["L3", "L2", "caf\u{E9}", "cafe\u{301}", "L2"], lines: [6, 7, 8, 9, 10])
        #expect(repeated.rows == 3)
        #expect(repeated.firstID == "L2" && repeated.firstLine == 7)
        #expect(repeated.warning(column: "id")?.hasPrefix("3 rows have ids of the id column 'id' that an earlier row has (the first: 'L2' (line 7))") == true)
    }
}
