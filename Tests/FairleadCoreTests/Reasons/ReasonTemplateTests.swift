import Testing
@testable import FairleadCore

@Suite("Reason templates: placeholders, braces and errors")
struct ReasonTemplateTests {
    @Test func fillsEveryPlaceholder() throws {
        let template = try ReasonTemplate("{Label}: {value} ({comparison} the typical {typical}) — {label} {{sic}}")
        #expect(template.render(label: "pricing page views", value: "6", typical: "1", comparison: "above")
                == "Pricing page views: 6 (above the typical 1) — pricing page views {sic}")
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var text: String
        var message: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        BadCase(text: "Visited {vlaue} times",
                message: "unknown placeholder {vlaue} in the template \"Visited {vlaue} times\" (did you mean {value}?); expected one of: {label}, {Label}, {value}, {typical}, {comparison}"),
        BadCase(text: "Seen {value times",
                message: "a '{' in the template \"Seen {value times\" is never closed; write {{ for a brace"),
        BadCase(text: "Seen value} times",
                message: "a '}' in the template \"Seen value} times\" closes nothing; write }} for a brace"),
        BadCase(text: "{score}",
                message: "unknown placeholder {score} in the template \"{score}\"; expected one of: {label}, {Label}, {value}, {typical}, {comparison}"),
    ])
    func rejectsMalformedTemplates(_ bad: BadCase) {
        #expect(throws: FairleadError(.invalidProfile, bad.message)) { try ReasonTemplate(bad.text) }
    }

    @Test(arguments: [(6.0, "6"), (48.25, "48.25"), (0.3333, "0.33"), (-2.0, "-2"), (1.005e3, "1005"), (2.5, "2.5"), (0.004, "0")])
    func displaysNumbersCompactly(value: Double, expected: String) {
        #expect(ReasonCodes.displayNumber(value) == expected)
    }
}
