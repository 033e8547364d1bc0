import ArgumentParser
import Fairlead

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an audit profile and print what an audit with it will do.",
        discussion: "Exits 0 when the profile is valid, 2 with a message naming the file, line, column and key when not."
    )

    @Argument(help: "The profile (YAML or JSON).")
    var profile: String

    func run() throws {
        let loaded = try AuditProfile.load(path: profile)
        print(loaded.summary)
        print("\nThe profile is valid.")
    }
}
