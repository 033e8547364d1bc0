import Testing
import Foundation
@testable import Fairlead

@Suite struct CLIExitCodeTests {
    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let result = try CLIProcess.run(["--version"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == FairleadVersion.current)
    }

    @Test func helpListsTheCommandsAndExitCodes() throws {
        let result = try CLIProcess.run(["--help"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("inspect"))
        #expect(result.standardOutput.contains("Exit codes"))
    }

    @Test(arguments: [["no-such-command"], ["inspect"], ["inspect", "a.csv", "--no-such-flag"]])
    func usageErrorsExitTwoWithAMessage(arguments: [String]) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.exitCode == 2)
        #expect(!result.standardError.isEmpty)
        #expect(result.standardOutput.isEmpty)
    }
}
