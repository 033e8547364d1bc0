import Testing
@testable import FairleadCore

@Test func errorDescriptionNamesTheLocation() {
    let error = FairleadError(.invalidData, "expected a number, found \"n/a\"",
                              at: SourceLocation(file: "leads.csv", line: 12, column: 3, field: "column \"score\""))
    #expect(error.description == "leads.csv:12:3 (column \"score\"): expected a number, found \"n/a\"")
}
