import Foundation
import Testing

/// `explain --format html`: a card per lead, as a page or a fragment to embed.
@Suite struct ExplainCardsTests {
    @Test func explainCardsAsPageAndFragment() throws {
        let page = try CLIProcess.run(["explain", "--profile", "fixtures/profiles/leads-explanations.yaml", "--ids", "L0000042,L0000007",
                                       "--format", "html"])
        #expect(page.exitCode == 0, "\(page.standardError)")
        #expect(page.standardOutput.hasPrefix("<!DOCTYPE html>"))
        #expect(page.standardOutput.components(separatedBy: "<article class=\"card\"").count == 3)
        #expect(page.standardOutput.contains("<svg class=\"chart waterfall-chart\""))
        #expect(page.standardOutput.contains("typical lead"))
        #expect(page.standardOutput.hasSuffix("</html>\n"))
        // Never a sensitive attribute or a proxy as a reason or a waterfall step.
        for withheld in ["postal_area", "ethnicity", "age_band", "gender"] {
            #expect(!page.standardOutput.contains(">\(withheld)<"), "\(withheld) shown to reps")
        }
        let fragment = try CLIProcess.run(["explain", "--profile", "fixtures/profiles/leads-explanations.yaml", "--ids", "L0000042",
                                           "--format", "html", "--fragment"])
        #expect(fragment.exitCode == 0)
        #expect(fragment.standardOutput.hasPrefix("<div class=\"fl-cards\"><style>.fl-cards{"))
        #expect(!fragment.standardOutput.contains("<html") && !fragment.standardOutput.contains("<body"))
        #expect(try CLIProcess.run(["explain", "--profile", "fixtures/profiles/leads-explanations.yaml", "--fragment"]).exitCode == 2)
        // An unknown id stops before anything is written.
        let unknown = try CLIProcess.run(["explain", "--profile", "fixtures/profiles/leads-explanations.yaml", "--ids", "NOPE", "--format", "html"])
        #expect(unknown.exitCode == 2 && unknown.standardOutput.isEmpty)
    }
}
