import ArgumentParser
import Fairlead
import Foundation

/// How commands that read a profile read it: where `extends:` may reach, and the YAML
/// limits (docs/profiles.md, "Reading profiles safely").
///
///     fairlead audit --profile team/lead.yaml --allow-profile-dir /srv/policies
///     FAIRLEAD_PROFILE_DIRS=/srv/policies:/opt/shared fairlead validate team/lead.yaml
struct ProfileReadingOptions: ParsableArguments {
    /// The environment variable that allows folders for base profiles, `:`-separated.
    static let allowedFoldersVariable = "FAIRLEAD_PROFILE_DIRS"

    @Option(name: .customLong("allow-profile-dir"),
            help: ArgumentHelp("Also allow base profiles (extends:) in this folder's tree; repeatable. FAIRLEAD_PROFILE_DIRS adds more, :-separated.",
                               valueName: "dir"))
    var allowedFolders: [String] = []

    @Option(name: .customLong("profile-max-bytes"),
            help: ArgumentHelp("The most bytes of a profile and its bases together, and of their text once YAML aliases are expanded (default 1048576).",
                               valueName: "n"))
    var maximumBytes: Int?

    @Option(name: .customLong("profile-max-depth"), help: ArgumentHelp("The deepest nesting of a profile's YAML (default 64).", valueName: "n"))
    var maximumDepth: Int?

    @Option(name: .customLong("profile-max-nodes"),
            help: ArgumentHelp("The most values a profile and its bases hold together, YAML aliases expanded (default 100000).", valueName: "n"))
    var maximumNodes: Int?

    @Option(name: .customLong("profile-max-bases"),
            help: ArgumentHelp("The most base profiles one extends: chain may reach (default 32).", valueName: "n"))
    var maximumBases: Int?

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        for (flag, value) in [("--profile-max-bytes", maximumBytes), ("--profile-max-depth", maximumDepth),
                              ("--profile-max-nodes", maximumNodes), ("--profile-max-bases", maximumBases)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1, found \(value)") }
        }
    }

    /// The ``ProfileReading`` these flags and the environment describe.
    var reading: ProfileReading {
        var reading = ProfileReading()
        let fromEnvironment = ProcessInfo.processInfo.environment[Self.allowedFoldersVariable]
            .map { $0.split(separator: ":").map(String.init) } ?? []
        reading.allowedFolders = allowedFolders + fromEnvironment
        if let maximumBytes { reading.maximumBytes = maximumBytes }
        if let maximumDepth { reading.maximumDepth = maximumDepth }
        if let maximumNodes { reading.maximumNodes = maximumNodes }
        if let maximumBases { reading.maximumBases = maximumBases }
        reading.raiseHints = [.bytes: "--profile-max-bytes N", .depth: "--profile-max-depth N", .nodes: "--profile-max-nodes N",
                              .bases: "--profile-max-bases N"]
        reading.allowHint = "allow its folder with --allow-profile-dir DIR (or \(Self.allowedFoldersVariable)=DIR)"
        return reading
    }
}
