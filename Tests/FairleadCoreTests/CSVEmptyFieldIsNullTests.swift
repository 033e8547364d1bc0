import Foundation
import Testing
@testable import FairleadCore

/// ``CSVOptions/emptyFieldIsNull``: a database's CSV writes NULL as an empty field and
/// the empty text as `""`; the reader keeps them apart in every column type, on one
/// thread and on several, on the fast path and the slow one (doubled quotes).
@Suite struct CSVEmptyFieldIsNullTests {
    /// NULL, '', 'NA' (a marker here), "x", and the text `"` (doubled quotes: the slow path).
    static let text = "kind,n,flag,note\n,,,\n\"\",\"\",\"\",\"\"\nNA,NA,NA,NA\nx,2,1,\"\"\"\"\n"

    static func options(threads: Int) -> CSVOptions {
        var options = CSVOptions()
        options.missingMarkers = ["NA"]
        options.emptyFieldIsNull = true
        options.threads = threads
        options.blockSize = threads == 1 ? 1 << 20 : 16
        return options
    }

    @Test(arguments: [1, 2])
    func anUnquotedEmptyFieldIsMissingAndAQuotedOneIsTheEmptyText(threads: Int) throws {
        let table = try CSVTestFiles.read(Self.text, columns: [ColumnRequest("kind"), ColumnRequest("note")],
                                          options: Self.options(threads: threads))
        #expect(table.strings("kind") == [nil, "", nil, "x"])
        #expect(table["kind"]?.missingCount == 2)
        #expect(table.strings("note") == [nil, "", nil, "\""])
    }

    /// A number cannot be the empty text: `""` in a numeric column is missing, as a
    /// program that quotes every field on saving writes NULL (a query result's
    /// `grid_cell` outside the grid was refused: "expected a number, found \"\""). Any
    /// other text there is still refused.
    @Test(arguments: [1, 2])
    func aQuotedEmptyFieldInANumericColumnIsMissing(threads: Int) throws {
        let numbers = try CSVTestFiles.read("n,k\n,a\nNA,b\n2,c\n\"\",d\n\"3\",e\n", columns: [ColumnRequest("n", type: .numeric)],
                                            options: Self.options(threads: threads))
        #expect(numbers.numbers("n") == [nil, nil, 2, nil, 3])
        let error = CSVTestFiles.error(reading: "n,k\n\"\",a\n\" \",b\n", columns: [ColumnRequest("n", type: .numeric)],
                                       options: Self.options(threads: threads))
        #expect(error?.location?.line == 3 && error?.message == "expected a number, found \" \"", "\(String(describing: error))")
    }

    /// Without the option (a data file), `""` and the empty field are one value, missing
    /// when "" is a marker and the empty text when it is not.
    @Test func withoutTheOptionBothAreTheSameValue() throws {
        var options = CSVOptions()
        options.missingMarkers = ["NA"]
        let kept = try CSVTestFiles.read(Self.text, columns: [ColumnRequest("kind")], options: options)
        #expect(kept.strings("kind") == ["", "", nil, "x"])
        options.missingMarkers = ["", "NA"]
        let missing = try CSVTestFiles.read(Self.text, columns: [ColumnRequest("kind")], options: options)
        #expect(missing.strings("kind") == [nil, nil, nil, "x"])
    }

    /// With "" among the markers too, both are missing: the option adds NULL, it takes no marker away.
    @Test func anEmptyMarkerStillMatchesTheQuotedEmptyText() throws {
        var options = Self.options(threads: 1)
        options.missingMarkers = ["", "NA"]
        let table = try CSVTestFiles.read(Self.text, columns: [ColumnRequest("kind")], options: options)
        #expect(table.strings("kind") == [nil, nil, nil, "x"])
    }
}
