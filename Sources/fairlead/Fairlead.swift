import ArgumentParser
import Fairlead

@main
struct FairleadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairlead",
        abstract: "Audit lead-scoring models for fairness and explain their scores.",
        discussion: """
            Exit codes: 0 all rules pass; 1 a rule failed or drift was found; \
            2 bad input or usage; 3 internal error.
            """,
        version: FairleadVersion.current,
        subcommands: [Inspect.self]
    )
}
