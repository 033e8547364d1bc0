import Foundation
import Testing

/// Every `fairlead explain` format is for reps: none lists the sensitive or proxy features
/// withheld from them (the audit report keeps that list for auditors).
@Suite("fairlead explain: what reps read names nothing withheld")
struct ExplainForRepsTests {
    @Test(arguments: ["text", "json", "csv"])
    func noFormatListsTheWithheldFeatures(format: String) throws {
        let result = try CLIProcess.run(["explain", "--profile", ExplainCommandTests.profile, "--format", format,
                                         "--ids", "L0000001,L0000002,L0000003,L0000004,L0000005,L0000006,L0000007,L0000008"])
        #expect(result.exitCode == 0)
        // Several of these leads had a withheld feature among their top reasons ...
        #expect(!result.standardError.contains("; 0 with a withheld feature"))
        // ... and nothing a rep reads says which.
        for word in ["withheld", "Withheld", "postal_area", "Postal area", "age_band", "Age band"] {
            #expect(!result.standardOutput.contains(word), "\(format): \(word)")
        }
    }
}
