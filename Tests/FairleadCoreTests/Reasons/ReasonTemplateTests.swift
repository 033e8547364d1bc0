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

    /// A template multiplies what it is filled with by its placeholders, once per reason of
    /// every lead: more than ten placeholders, or more than 500 characters, is refused.
    @Test func refusesTemplatesBeyondTheirBounds() throws {
        let ten = String(repeating: "{value}", count: 10)
        #expect(try ReasonTemplate(ten).text == ten)
        #expect(throws: FairleadError(.invalidProfile, "the template \"{value}{value}{value}{value}{value}{valu…\" holds 11 placeholders, "
                                      + "more than the 10 a reason's sentence may hold")) {
            try ReasonTemplate(String(repeating: "{value}", count: 11))
        }
        #expect(throws: FairleadError(.invalidProfile, "the template \"{value}{value}{value}{value}{value}{valu…\" is longer than 500 characters, "
                                      + "the most a reason's sentence may be")) {
            try ReasonTemplate(String(repeating: "{value}", count: 2000))
        }
        #expect(try ReasonTemplate(String(repeating: "a", count: 500)).text.count == 500)
        #expect(throws: FairleadError(.invalidProfile, "the template \"\(String(repeating: "a", count: 40))…\" is longer than 500 characters, "
                                      + "the most a reason's sentence may be")) {
            try ReasonTemplate(String(repeating: "a", count: 501))
        }
    }

    /// A filled-in text is cut at 80 characters: a 100,000-character value costs a sentence
    /// 81 characters a placeholder, not its length.
    @Test func cutsWhatItFillsIn() throws {
        let template = try ReasonTemplate("{Label}: {value}, not {typical}")
        let long = String(repeating: "w", count: 100_000)
        let cut = String(repeating: "w", count: 80) + "…"
        #expect(template.render(label: long, value: long, typical: long, comparison: "above") == "W\(cut.dropFirst()): \(cut), not \(cut)")
        #expect(template.render(label: "source", value: String(repeating: "w", count: 80), typical: "x", comparison: "")
                == "Source: \(String(repeating: "w", count: 80)), not x")
    }

    @Test(arguments: [(6.0, "6"), (48.25, "48.25"), (0.3333, "0.33"), (-2.0, "-2"), (1.005e3, "1005"), (2.5, "2.5"), (0.004, "0")])
    func displaysNumbersCompactly(value: Double, expected: String) {
        #expect(ReasonCodes.displayNumber(value) == expected)
    }
}
