import Testing
import Foundation
@testable import Fairlead
@testable import fairlead
import ArgumentParser

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
        #expect(result.standardOutput.contains("serve"))
        #expect(result.standardOutput.contains("Exit codes"))
    }

    @Test(arguments: [["no-such-command"], ["inspect"], ["inspect", "a.csv", "--no-such-flag"], ["serve"], ["serve", "--profile", "p.yaml", "--port", "70000"]])
    func usageErrorsExitTwoWithAMessage(arguments: [String]) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.exitCode == 2)
        #expect(!result.standardError.isEmpty)
        #expect(result.standardOutput.isEmpty)
    }
}

/// Exit code 3 is for bugs, which no input should trigger, so the mapping is checked
/// directly on the entry point's error handler.
@Suite struct CLIInternalErrorExitCodeTests {
    struct UnexpectedFailure: Error {}

    @Test func internalFailuresExitThree() {
        #expect(FairleadCommand.report(FairleadError(.internalFailure, "a bug")) == 3)
        #expect(FairleadCommand.report(UnexpectedFailure()) == 3)
    }

    @Test func inputErrorsExitTwoAndRuleFailuresOne() {
        #expect(FairleadCommand.report(FairleadError(.invalidData, "bad row")) == 2)
        #expect(FairleadCommand.report(FairleadError(.invalidProfile, "bad key")) == 2)
        #expect(FairleadCommand.report(FairleadError(.invalidModel, "bad tree")) == 2)
        #expect(FairleadCommand.report(ExitCode(1)) == 1)
    }
}
