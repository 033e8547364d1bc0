import Testing
@testable import FairleadCore

@Suite("Spreadsheet-safe CSV cells (formula injection)")
struct SpreadsheetSafeCSVTests {
    @Test(arguments: [
        ("=1+2", "'=1+2"),
        ("=HYPERLINK(\"http://evil.example\",\"click\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        // Controls are shown (one line per row, no raw control byte), and a leading tab or
        // carriage return still gets its quote.
        ("\tx", "'\\tx"),
        ("\r=1", "'\\r=1"),
        ("a\nb", "a\\nb"),
        ("a\r\n=b", "a\\r\\n=b"),
        ("\u{1B}[31m=cmd", "\\x1B[31m=cmd"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("id\u{0}x", "id\\x00x"),
        ("\u{202E}gnp.exe", "\\u{202E}gnp.exe"),
        ("\u{1B}=1,2", "\"\\x1B=1,2\""),
        // Leading spaces do not hide a formula from an importer that trims cells.
        (" =1+2", "' =1+2"),
        ("   @SUM(A1)", "'   @SUM(A1)"),
        (" -x, y", "\"' -x, y\""),
        (" \t=1", "' \\t=1"),
        ("   ", "   "),
        (" plain", " plain"),
        ("-0.42", "-0.42"),
        ("+1.5e-3", "+1.5e-3"),
        ("-", "'-"),
        ("-.", "'-."),
        ("web form, paid", "\"web form, paid\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ])
    func escapesFormulasAndQuotes(cell: String, expected: String) {
        #expect(SpreadsheetSafeCSV.field(cell) == expected)
    }

    @Test func leadIdsAndValuesFromTheDataAreEscapedInTheOutput() throws {
        let path = try ExplanationFixtures.temporaryFile("id,kind,x\n=cmd(),@evil,1\n+1,-x-,2\n")
        let reader = try LeadReader(path: path, featureNames: ["kind=@evil", "kind=-x-", "x"], idColumn: "id")
        let batch = try #require(try reader.next(maxRows: 10))
        let codes = ReasonCodes(sources: reader.sources, typical: TypicalValues(values: [.level("-x-"), .number(1)]), top: 1, link: .identity)
        let attributions = Attributions(featureNames: ["kind", "x"], baseValue: 0, values: Matrix(rowArrays: [[-1, 0.5], [2, -0.25]]))
        let writer = ExplanationWriter(format: .csv, top: 1, baseValue: 0, link: .identity)
        let output = try writer.leads(batch, selection: codes.select(attributions), reasons: codes, leadsBefore: 0)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines == [
            // The id and the values from the data are escaped; the plain numbers -0.5 and -1 are
            // not. An identity link has no probability points: their cells stay empty.
            "'=cmd(),-0.5,-0.5,X is 1 — the strongest reason for this score,x,1,1,0.5,,Kind is @evil — the strongest reason against it,kind,'@evil,'-x-,-1,",
            // "+1" is a plain number, which a spreadsheet reads as 1: left as it is.
            "+1,1.75,1.75,Kind is -x- — the strongest reason for this score,kind,'-x-,'-x-,2,,\"X is 2, above the typical 1 — the strongest reason against it\",x,2,1,-0.25,",
        ])
    }
}
