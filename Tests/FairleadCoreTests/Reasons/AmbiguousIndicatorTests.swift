import Testing
@testable import FairleadCore

/// A column that is a model feature and whose name also spells an indicator of another
/// column (`sex_Female` beside `sex`, `email_opens` beside `email`): the values decide.
@Suite("Feature sources: a column named as another column's indicator")
struct AmbiguousIndicatorTests {
    typealias Match = SourceColumnMatcher.Match

    /// The sources `LeadReader` gives the file `csv` for `features`, and its first batch.
    static func read(_ csv: String, features: [String], knownColumns: [String] = []) throws -> (FeatureSources, LeadBatch) {
        let reader = try LeadReader(path: try ExplanationFixtures.temporaryFile(csv), featureNames: features, idColumn: "id",
                                    knownColumns: knownColumns)
        return (reader.sources, try #require(try reader.next(maxRows: 100)))
    }

    @Test func aCountBesideATextColumnOfItsPrefixIsItsOwnColumn() throws {
        // Two addresses (a categorical column) or all distinct (kept as text): neither is a
        // category `email_opens` marks.
        for emails in [["a@x.com", "b@x.com", "a@x.com"], ["a@x.com", "b@x.com", "c@x.com"]] {
            let csv = "id,email,email_opens,web_visits\n1,\(emails[0]),3,5\n2,\(emails[1]),0,5\n3,\(emails[2]),7,5\n"
            let (sources, batch) = try Self.read(csv, features: ["email_opens", "web_visits"])
            #expect(sources.sources.map(\.name) == ["email_opens", "web_visits"])
            #expect(sources.sources.map(\.kind) == [.numeric, .numeric])
            #expect(sources.readings == [.column("email_opens"), .column("web_visits")])
            #expect(sources.decided == ["email_opens": Match(column: "email_opens", level: nil)])
            #expect(sources.sourceName(for: "email_opens") == "email_opens")
            #expect(batch.features.values == [3, 5, 0, 5, 7, 5])
        }
    }

    @Test func zerosAndOnesThatDisagreeWithTheLevelAreTheirOwnColumn() throws {
        // `email_opens` only 0/1 here, but 1 where `email` is no "opens": not its indicator;
        // `region_priority` likewise, its suffix no level of `region`.
        let csv = "id,email,email_opens,region,region_priority\n1,a@x.com,1,north,1\n2,b@x.com,0,south,0\n"
        let (sources, _) = try Self.read(csv, features: ["email_opens", "region_priority"])
        #expect(sources.sources.map(\.name) == ["email_opens", "region_priority"])
        #expect(sources.sources.map(\.kind) == [.numeric, .numeric])
    }

    @Test func pandasIndicatorsBesideTheirColumnStayItsIndicators() throws {
        // A get_dummies export keeps `sex` and adds `sex_Female`, `sex_Male`: they are `sex`
        // (so `--sensitive sex` withholds them), read as its levels; a missing `sex` is
        // not compared.
        let csv = "id,age,sex,sex_Female,sex_Male\n1,30,Female,1,0\n2,40,Male,0,1\n3,50,,0,0\n"
        let (sources, batch) = try Self.read(csv, features: ["age", "sex_Female", "sex_Male"])
        #expect(sources.sources.map(\.name) == ["age", "sex"])
        #expect(sources.sources[1].kind == .categorical)
        #expect(sources.sources[1].isColumn)
        #expect(sources.sources[1].levels == ["Female", "Male"])
        #expect(sources.membership == [0, 1, 1])
        #expect(sources.decided == ["sex_Female": Match(column: "sex", level: "Female"), "sex_Male": Match(column: "sex", level: "Male")])
        #expect(sources.sourceName(for: "sex_Female") == "sex")
        #expect(batch.levels[1] == ["Female", "Male"])
        #expect(batch.categories[1] == [0, 1, -1])
    }

    @Test func anIndicatorNeverOnStaysAnIndicatorOfALevelTheFileLacks() throws {
        // A file of men: "Female" is no level of `sex` here, yet `sex_Female` is its indicator.
        let csv = "id,sex,sex_Female,sex_Male\n1,Male,0,1\n2,Male,0,1\n"
        let (sources, _) = try Self.read(csv, features: ["sex_Female", "sex_Male"])
        #expect(sources.sources.map(\.name) == ["sex"])
        #expect(sources.sources[0].levels == ["Female", "Male"])
    }

    @Test func aNumericPrefixColumnIsComparedByItsSpelling() throws {
        // `visits` is a column, not a feature: `visits_30` counting visits in 30 days is a
        // feature of its own; a 0/1 `visits_30` that is 1 exactly where `visits` is 30 is
        // its indicator.
        let counts = "id,visits,visits_30\n1,30,4\n2,12,2\n"
        let (own, _) = try Self.read(counts, features: ["visits_30"])
        #expect(own.sources.map(\.name) == ["visits_30"])
        #expect(own.sources[0].kind == .numeric)
        let indicator = "id,visits,visits_30\n1,30,1\n2,12,0\n"
        let (grouped, batch) = try Self.read(indicator, features: ["visits_30"])
        #expect(grouped.sources.map(\.name) == ["visits"])
        #expect(grouped.sources[0].kind == .categorical)
        #expect(batch.features.values == [1, 0])
    }

    @Test func underscoresInsideColumnNamesAreTriedLongestFirst() throws {
        let matcher = SourceColumnMatcher(knownColumns: ["company", "company_size"])
        #expect(matcher.indicatorMatches("company_size_51-200") == [Match(column: "company_size", level: "51-200"),
                                                                    Match(column: "company", level: "size_51-200")])
        // Indicator of `company_size`, which holds the bands.
        let bands = "id,company,company_size,company_size_51-200\n1,Acme,51-200,1\n2,Initech,1-10,0\n"
        let (byBand, _) = try Self.read(bands, features: ["company_size_51-200"])
        #expect(byBand.sources.map(\.name) == ["company_size"])
        #expect(byBand.sources[0].levels == ["51-200"])
        // `company_size` a head count and `company` a name: the band is neither's level.
        let counts = "id,company,company_size,company_size_51-200\n1,Acme,120,1\n2,Initech,4,0\n"
        let (own, _) = try Self.read(counts, features: ["company_size_51-200"])
        #expect(own.sources.map(\.name) == ["company_size_51-200"])
        #expect(own.sources[0].kind == .numeric)
        // Without `company_size`, `company` alone is the candidate, and does not fit.
        let names = "id,company,company_size_51-200\n1,Acme,1\n2,Initech,0\n"
        let (alone, _) = try Self.read(names, features: ["company_size_51-200"])
        #expect(alone.sources.map(\.name) == ["company_size_51-200"])
    }

    @Test func aKnownColumnTheFileLacksGroupsOnlyZerosAndOnes() throws {
        // `sex` sensitive but absent: its 0/1 indicator columns are still `sex`; a count
        // named after a known column the file lacks is not.
        let indicators = "id,sex_Female,sex_Male\n1,1,0\n2,0,1\n"
        let (sex, _) = try Self.read(indicators, features: ["sex_Female", "sex_Male"], knownColumns: ["sex"])
        #expect(sex.sources.map(\.name) == ["sex"])
        #expect(sex.sources[0].isColumn == false)
        let counts = "id,email_opens\n1,3\n2,0\n"
        let (email, _) = try Self.read(counts, features: ["email_opens"], knownColumns: ["email"])
        #expect(email.sources.map(\.name) == ["email_opens"])
        #expect(email.sources[0].kind == .numeric)
    }

    @Test func aDerivedFeatureOfAFeatureColumnStillJoinsIt() throws {
        let csv = "id,age,age_squared\n1,30,900\n2,40,1600\n"
        let (sources, _) = try Self.read(csv, features: ["age_squared", "age"])
        #expect(sources.ambiguousFeatures.isEmpty)
        #expect(sources.sources.map(\.name) == ["age"])
        #expect(sources.sources[0].kind == .numeric)
        #expect(sources.sources[0].valueFeature == 1)
    }

    @Test func aTableReadOnceDecidesAsTheReaderDoes() throws {
        // The audit reads its file once and decides from the table it holds.
        let path = try ExplanationFixtures.temporaryFile("id,email,email_opens,sex,sex_Female\n1,a@x.com,3,Female,1\n2,b@x.com,0,Male,0\n")
        let header = try CSVReader.headerNames(path: path)
        let byName = try FeatureSources(featureNames: ["email_opens", "sex_Female"], header: header)
        let table = try CSVReader.read(path: path, columns: byName.columnRequests)
        #expect(byName.sources.map(\.name) == ["email", "sex"])
        #expect(byName.ambiguousFeatures.map(\.name) == ["email_opens", "sex_Female"])
        let decided = try byName.deciding(FeatureSources.decisions(for: byName.ambiguousFeatures, in: table))
        #expect(decided.sources.map(\.name) == ["email_opens", "sex"])
        #expect(decided.sources.map(\.kind) == [.numeric, .categorical])
        // `email` was read to decide, though no source is read from it now.
        #expect(decided.comparedColumns == ["email", "sex"])
        #expect(decided.columnRequests.map(\.name) == ["sex", "email_opens", "sex_Female"])
    }

    /// The feature's values, its candidate column's (nil: the file lacks it), and the
    /// column decided.
    static let evidenceCases: [([Double], [String?]?, String)] = [
        ([0, 1, 0], ["x", "v", "y"], "c"),
        ([0, 1, .nan], ["x", "v", "v"], "c"),
        ([0, 1, 0], ["x", "v", nil], "c"),
        ([0, 0, 0], ["x", "y", "z"], "c"),
        ([1, 1, 0], ["x", "v", "y"], "c_v"),
        ([0, 0, 0], ["x", "v", "y"], "c_v"),
        ([0, 2, 0], ["x", "v", "y"], "c_v"),
        ([0, 1, 0], nil, "c"),
        ([0, 3, 0], nil, "c_v"),
    ]

    @Test(arguments: evidenceCases)
    func evidence(values: [Double], column: [String?]?, decided: String) {
        var evidence = IndicatorEvidence(.init(name: "c_v", candidates: [Match(column: "c", level: "v")]))
        let numbers = NumericColumn(values: values, isMissing: values.map(\.isNaN))
        let categories = column.map { spelt in
            let levels = Array(Set(spelt.compactMap { $0 })).sorted()
            return Column(name: "c", storage: .categorical(CategoricalColumn(
                codes: spelt.map { $0.flatMap { levels.firstIndex(of: $0) }.map(Int32.init) ?? -1 }, levels: levels)))
        }
        evidence.add(values: numbers, columns: [categories])
        #expect(evidence.decision.column == decided)
        // The same values kept as text (an all-distinct column) decide alike.
        var asText = IndicatorEvidence(.init(name: "c_v", candidates: [Match(column: "c", level: "v")]))
        asText.add(values: numbers, columns: [column.map { Column(name: "c", text: TextColumn($0)) }])
        #expect(asText.decision == evidence.decision)
    }
}
