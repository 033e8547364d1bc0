import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// The profile's `label: {column, positive}` form and a sensitive column's `bins:`, from
/// YAML through decoding to the values an audit reads.
@Suite struct AuditDataLabelAndBinsTests {
    /// 10 rows: stage won ×3, lost ×3, open ×2, missing ×2; ages with one missing.
    static let csv = """
        score,stage,flag,age,gender
        0.9,won,1,19,f
        0.8,won,1,25,m
        0.7,won,0,34,f
        0.6,lost,0,34.9,m
        0.5,lost,1,35,f
        0.4,lost,0,64,m
        0.3,open,0,65,f
        0.2,open,0,80,m
        0.1,,,NA,f
        0.05,,0,44,m

        """

    static func profile(label: String, sensitive: String = "- gender", path: String) throws -> AuditProfile {
        try AuditProfile.parse("""
            name: t
            data:
              path: \(path)
              score: score
              label: \(label)
            decisions:
              - threshold: 0.5
            sensitive:
              \(sensitive)
            """)
    }

    @Test func positiveValuesReadAsOneAndEveryOtherValueAsZero() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let profile = try Self.profile(label: "{column: stage, positive: [won]}", path: path)
        #expect(profile.data.label == "stage")
        #expect(profile.data.labelPositive == ["won"])
        let data = try AuditData.read(profile: profile, path: path, threads: 1)
        let labels = try #require(data.labels)
        #expect(labels.filter { $0 == 1 }.count == 3)
        #expect(labels.filter { $0 == 0 }.count == 5)
        #expect(labels.filter(\.isNaN).count == 2)
        #expect(Array(labels.prefix(8)) == [1, 1, 1, 0, 0, 0, 0, 0])

        let two = try Self.profile(label: "{column: stage, positive: [won, open]}", path: path)
        #expect(try AuditData.read(profile: two, path: path, threads: 1).labels?.filter { $0 == 1 }.count == 5)
    }

    /// Words beside numbers other than a bare 0/1 make a text column; each value is still
    /// read as a 0/1 column's — true/false in any case, or a number equal to 1 or 0 — as the
    /// pushdown query reads it, and the first value that is neither is named with its row.
    @Test func labelsMixingWordsAndNumbersAreReadValueByValue() throws {
        let csv = "score,flag,gender\n0.9,true,f\n0.8,1.0,m\n0.7,0e0,f\n0.6, FALSE ,m\n0.5,10e-1,f\n0.4,NA,m\n0.3,-0,f\n"
        let path = try AuditFixtures.temporaryCSV(csv)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = try AuditData.read(profile: try Self.profile(label: "flag", path: path), path: path, threads: 1)
        let labels = try #require(data.labels)
        let read = Array(labels)
        #expect(read.count == 7 && Array(read.prefix(5)) == [1, 1, 0, 0, 1] && read[5].isNaN && read[6] == 0, "\(read)")
        let bad = try AuditFixtures.temporaryCSV("score,flag,gender\n0.9,true,f\n0.8,1.0,m\n0.7,0x1p0,f\n0.6,2,m\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        #expect {
            _ = try AuditData.read(profile: try Self.profile(label: "flag", path: bad), path: bad, threads: 1)
        } throws: { error in
            (error as? FairleadError)?.description == "\(bad):4:2 (flag): expected 0/1 or true/false, found \"0x1p0\""
        }
        // A text column made elsewhere is judged value by value too, and the first bad value
        // named with its line.
        let text = Column(name: "flag", storage: .categorical(CategoricalColumn(codes: [0, 1, 3, -1], levels: ["TRUE", "1.0", "0e0", "yes"])))
        let options = CSVOptions()
        #expect(try AuditData.binary(Column(name: "flag", storage: .categorical(CategoricalColumn(codes: [0, 1, -1, 2], levels: ["TRUE", "1.0", "0e0"]))),
                                     role: "label", source: RecordLocator(path: bad, options: options)).map { $0.isNaN ? -1 : $0 } == [1, 1, -1, 0])
        #expect {
            _ = try AuditData.binary(text, role: "label", source: RecordLocator(path: bad, options: options))
        } throws: { error in
            (error as? FairleadError)?.description == "\(bad):4:2 (flag): label is \"yes\", expected 0/1 or true/false (or missing)"
        }
    }

    @Test func positiveOneOnA01ColumnWorks() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let profile = try Self.profile(label: "{column: flag, positive: [1]}", path: path)
        let labels = try #require(try AuditData.read(profile: profile, path: path, threads: 1).labels)
        #expect(labels.filter { $0 == 1 }.count == 3)
        #expect(labels.filter { $0 == 0 }.count == 6)
        #expect(labels.filter(\.isNaN).count == 1)
    }

    @Test func positiveValueThatNeverOccursIsRefusedWithDidYouMean() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let profile = try Self.profile(label: "{column: stage, positive: [Won]}", path: path)
        #expect {
            _ = try AuditData.read(profile: profile, path: path, threads: 1)
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            #expect(error.kind == .invalidData)
            #expect(error.description == "\(path) (stage): the label column has no value \"Won\" (listed in data.label.positive); "
                    + "did you mean \"won\"?; its values: \"lost\", \"open\", \"won\"")
            return true
        }
    }

    /// `Won` and `won ` beside `won`: read as negatives without a word (the base rate fell
    /// from 0.34 to 0.11); refused at the first one's line, by its rows. Listed in
    /// `positive` too, they are positives.
    @Test func aPositiveValueInAnotherCaseOrWithBlanksIsRefused() throws {
        for other in ["Won", "won ", "\u{00A0}WON"] {
            let csv = "score,stage,g\n0.9,won,a\n0.8,\(other),b\n0.7,\(other),a\n0.1,lost,b\n"
            let path = try AuditFixtures.temporaryCSV(csv)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let profile = try Self.profile(label: "{column: stage, positive: [won]}", sensitive: "- g", path: path)
            let error = #expect(throws: FairleadError.self) { _ = try AuditData.read(profile: profile, path: path, threads: 1) }
            #expect(error?.message == "the label \"\(MessageQuote.spelled(other))\" (2 rows) differs from \"won\" of data.label.positive only in letter case or blanks, "
                    + "and would read as a negative outcome: list it in data.label.positive too if it is one, or clean the column", "\(error?.message ?? "")")
            #expect(error?.location?.line == 3, "\(String(describing: error?.location))")
            let listed = try Self.profile(label: "{column: stage, positive: [won, \"\(other)\"]}", sensitive: "- g", path: path)
            let labels = try #require(try AuditData.read(profile: listed, path: path, threads: 1).labels)
            #expect(labels.map { $0 } == [1, 1, 1, 0])
        }
    }

    /// A positive value in NFC or NFD, whichever the profile used, is positive — and the
    /// pushdown query lists both spellings, as a database compares bytes. A spelling no
    /// byte-wise comparison of those can match (the Kelvin sign for K, combining marks out
    /// of canonical order) is refused with its line: a pushdown audit would count it negative.
    @Test func positiveValuesInEitherNormalizedSpellingAndNoOtherSpelling() throws {
        let nfc = "w\u{00F6}n", nfd = "wo\u{0308}n"
        let path = try AuditFixtures.temporaryCSV("score,stage,gender\n0.9,\(nfc),f\n0.8,\(nfd),m\n0.7,lost,f\n0.6,\(nfc),m\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (written, other) in [(nfc, nfd), (nfd, nfc)] {
            let profile = try Self.profile(label: "{column: stage, positive: [\"\(written)\"]}", path: path)
            #expect(try AuditData.read(profile: profile, path: path, threads: 1).labels.map(Array.init) == [1, 1, 0, 1])
            let query = try PushdownQuery(profile: profile, dialect: .duckdb, source: .table("t")).sql()
            // Byte for byte: `String.contains` would match either spelling.
            let listed = Data("IN ('\(written)', '\(other)')".utf8)
            #expect(Data(query.utf8).range(of: listed) != nil, "\(query)")
        }
        #expect(MessageQuote.normalizedSpellings("won") == ["won"])
        // Marks out of canonical order: as written, NFC and NFD are three byte strings.
        #expect(MessageQuote.normalizedSpellings("a\u{0307}\u{0323}").map { $0.unicodeScalars.map(\.value) }
                == [[0x61, 0x307, 0x323], [0x1EA1, 0x307], [0x61, 0x323, 0x307]])

        let kelvin = try AuditFixtures.temporaryCSV("score,stage,gender\n0.9,K,f\n0.8,\u{212A},m\n0.7,lost,f\n")
        defer { try? FileManager.default.removeItem(atPath: kelvin) }
        #expect {
            _ = try AuditData.read(profile: try Self.profile(label: "{column: stage, positive: [K]}", path: kelvin), path: kelvin, threads: 1)
        } throws: { error in
            (error as? FairleadError)?.description == "\(kelvin):3:2 (stage): the label \"\\u{212A}\" is \"K\" of data.label.positive in a Unicode spelling that is "
                + "neither NFC nor NFD: a database compares bytes, so a pushdown audit would count its rows as negatives; write the column in NFC"
        }
    }

    @Test func binsCutAgeIntoOrderedGroups() throws {
        let path = try AuditFixtures.temporaryCSV(Self.csv)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let profile = try Self.profile(label: "flag", sensitive: "- column: age\n    bins: [25, 35, 45, 55, 65]", path: path)
        #expect(profile.sensitive[0].bins?.edges == [25, 35, 45, 55, 65])
        let attribute = try #require(try AuditData.read(profile: profile, path: path, threads: 1).attributes.first)
        // 45-54 holds no row and is left out; the order is the bins', not alphabetical.
        #expect(attribute.levels == ["<25", "25-34", "35-44", "55-64", "65+"])
        #expect(attribute.codes == [0, 1, 1, 1, 2, 3, 4, 4, -1, 2])
        let counts = attribute.levels.indices.map { level in attribute.codes.filter { $0 == Int32(level) }.count }
        #expect(counts == [1, 3, 2, 1, 2])
    }

    @Test func binNamesAndGroups() throws {
        let bins = try #require(SensitiveBins(edges: [25, 35, 45, 55, 65]))
        #expect(bins.groupNames == ["<25", "25-34", "35-44", "45-54", "55-64", "65+"])
        #expect(bins.group(of: 24.99) == 0 && bins.group(of: 25) == 1 && bins.group(of: 65) == 5 && bins.group(of: .nan) == nil)
        #expect(SensitiveBins(edges: [0.5, 1.5])?.groupNames == ["<0.5", "0.5 to <1.5", "1.5+"])
        #expect(SensitiveBins(edges: [18, 19, 30])?.groupNames == ["<18", "18", "19-29", "30+"])
        #expect(SensitiveBins(edges: [35, 25]) == nil && SensitiveBins(edges: [25, 25]) == nil && SensitiveBins(edges: []) == nil)
    }

    @Test func textValuesOfABinnedColumnRegroupLikeNumbers() throws {
        let bins = try #require(SensitiveBins(edges: [25, 35]))
        let raw = SensitiveAttribute(name: "age", codes: [0, 1, -1, 2, 0], levels: ["40", " 19", "25"])
        let binned = try bins.regrouped(raw, path: "d.csv")
        #expect(binned.levels == ["<25", "25-34", "35+"])
        #expect(binned.codes == [2, 0, -1, 1, 2])
        #expect(throws: FairleadError(.invalidData, "the sensitive column has bins, so its values must be numbers; found \"old\"",
                                      at: SourceLocation(file: "d.csv", field: "age"))) {
            try bins.regrouped(SensitiveAttribute(name: "age", codes: [0], levels: ["old"]), path: "d.csv")
        }
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var label: String
        var sensitive: String
        var expected: String
        var testDescription: String { name }
    }

    static let badCases = [
        BadCase(name: "unsorted bins", label: "y", sensitive: "- column: age\n    bins: [35, 25]",
                expected: "p.yaml:10:11 (sensitive[0].bins): expected one or more edges in strictly increasing order such as [25, 35, 45, 55, 65], found [35, 25]"),
        BadCase(name: "bins not a list", label: "y", sensitive: "- column: age\n    bins: 25",
                expected: "p.yaml:10:11 (sensitive[0].bins): expected a list (increasing edges such as [25, 35, 45, 55, 65]), found a value"),
        BadCase(name: "bin edge not a number", label: "y", sensitive: "- column: age\n    bins: [25, old]",
                expected: "p.yaml:10:16 (sensitive[0].bins[1]): expected a number, found 'old'"),
        BadCase(name: "empty positive", label: "{column: stage, positive: []}", sensitive: "- g",
                expected: "p.yaml:5:10 (data.label.positive): expected one or more values of the positive outcome, such as [won]"),
        BadCase(name: "misspelt positive key", label: "{column: stage, positives: [won]}", sensitive: "- g",
                expected: "p.yaml:5:26 (data.label.positives): unknown key 'positives' (did you mean 'positive'?); expected one of: column, positive"),
        BadCase(name: "label mapping without column", label: "{positive: [won]}", sensitive: "- g",
                expected: "p.yaml:5:10 (data.label.column): missing required key 'column' (the name of the label column)"),
    ]

    @Test(arguments: badCases)
    func badLabelOrBinsGiveTheirMessage(_ testCase: BadCase) {
        let yaml = """
            name: t
            data:
              path: d.csv
              score: s
              label: \(testCase.label)
            decisions:
              - threshold: 0.5
            sensitive:
              \(testCase.sensitive)
            """
        #expect {
            _ = try AuditProfile.parse(yaml, file: "p.yaml")
        } throws: { error in
            guard let error = error as? FairleadError, error.kind == .invalidProfile else { return false }
            #expect(error.description == testCase.expected)
            return true
        }
    }
}

extension AuditData {
    /// The metrics' columns of one read of `path`, as an audit takes them.
    static func read(profile: AuditProfile, path: String, threads: Int) throws -> AuditData {
        try AuditInput.read(profile: profile, path: path, threads: threads, idColumn: nil, model: nil).data
    }
}
