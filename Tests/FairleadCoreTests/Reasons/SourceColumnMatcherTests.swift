import Testing
@testable import FairleadCore

@Suite("Source column matcher: one-hot spellings back to their column")
struct SourceColumnMatcherTests {
    typealias Match = SourceColumnMatcher.Match

    static let matcher = SourceColumnMatcher(knownColumns: ["sex", "occupation", "lead_source", "web_visits", "age"])

    @Test(arguments: [
        ("sex_Female", Match(column: "sex", level: "Female")),
        ("sex=Female", Match(column: "sex", level: "Female")),
        ("sex:Female", Match(column: "sex", level: "Female")),
        ("sex.Female", Match(column: "sex", level: "Female")),
        // The category keeps its spelling: hyphens, spaces, separators of its own.
        ("occupation_Prof-specialty", Match(column: "occupation", level: "Prof-specialty")),
        ("occupation=Prof specialty", Match(column: "occupation", level: "Prof specialty")),
        ("occupation.Tech_support", Match(column: "occupation", level: "Tech_support")),
    ])
    func everySpellingMatchesItsColumn(name: String, expected: Match) {
        #expect(Self.matcher.match(name) == expected)
    }

    @Test func underscoresInsideColumnNamesResolveToTheLongestKnownColumn() {
        // `lead_source_referral` could be lead + source_referral or lead_source + referral.
        #expect(Self.matcher.match("lead_source_referral") == Match(column: "lead_source", level: "referral"))
        #expect(Self.matcher.match("lead_source_web_form") == Match(column: "lead_source", level: "web_form"))
        let both = SourceColumnMatcher(knownColumns: ["lead", "lead_source"])
        #expect(both.match("lead_source_web_form") == Match(column: "lead_source", level: "web_form"))
        #expect(both.match("lead_owner_anna") == Match(column: "lead", level: "owner_anna"))
        // A known column is no one-hot feature of a shorter column it does not start with.
        #expect(Self.matcher.match("web_visits") == Match(column: "web_visits", level: nil))
    }

    @Test func aFeatureThatIsItselfAColumnStillMatchesItsSource() {
        let withIndicatorColumns = SourceColumnMatcher(knownColumns: ["sex", "sex_Female", "sex_Male"])
        #expect(withIndicatorColumns.match("sex_Female") == Match(column: "sex", level: "Female"))
    }

    @Test func withoutAKnownColumnOnlyEqualsAndColonsSplit() {
        let none = SourceColumnMatcher(knownColumns: [String]())
        #expect(none.match("industry=retail") == Match(column: "industry", level: "retail"))
        #expect(none.match("region:north") == Match(column: "region", level: "north"))
        #expect(none.match("a_b=c") == Match(column: "a_b", level: "c"))
        #expect(none.match("days_since_touch") == Match(column: "days_since_touch", level: nil))
        #expect(none.match("sex.Female") == Match(column: "sex.Female", level: nil))
    }

    @Test func emptyColumnsOrValuesAreNoMatch() {
        #expect(Self.matcher.match("sex_") == Match(column: "sex_", level: nil))
        #expect(Self.matcher.match("=x") == Match(column: "=x", level: nil))
        #expect(Self.matcher.match("age") == Match(column: "age", level: nil))
    }

    @Test func groupsForAttributionsUseTheSameMatching() {
        let groups = FeatureGroups.bySource(["age", "sex_Female", "sex_Male", "lead_source_web_form", "region=north"],
                                            knownColumns: ["age", "sex", "lead_source"])
        #expect(groups.names == ["age", "sex", "lead_source", "region"])
        #expect(groups.membership == [0, 1, 1, 2, 3])
    }
}
