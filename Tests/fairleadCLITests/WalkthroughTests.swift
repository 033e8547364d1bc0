import Foundation
import Testing

/// The walkthroughs in notebooks-exported/ show real commands with their real output.
/// This test runs every `$ fairlead …` block and fails when the output shown is stale.
/// `scripts/update-walkthroughs` (FAIRLEAD_UPDATE_WALKTHROUGHS=1) rewrites the outputs.
///
/// A command block is a ```sh fence holding one line `$ fairlead ARGS`; the ```text
/// fence right after it holds standard output, and a last line `[exit N]` when the
/// command exits with N ≠ 0.
@Suite struct WalkthroughTests {
    static let folder = CLIProcess.packageRoot.appendingPathComponent("notebooks-exported")

    static var walkthroughs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
    }

    struct Step {
        var arguments: [String]
        /// Line range of the output fence's body in the file.
        var outputLines: Range<Int>
    }

    static func steps(in lines: [String]) -> [Step] {
        var steps: [Step] = []
        var index = 0
        while index + 4 < lines.count {
            if lines[index] == "```sh", lines[index + 1].hasPrefix("$ fairlead "), lines[index + 2] == "```",
               lines[index + 3] == "```text" {
                let start = index + 4
                var end = start
                while end < lines.count && lines[end] != "```" { end += 1 }
                steps.append(Step(arguments: words(String(lines[index + 1].dropFirst("$ fairlead ".count))),
                                  outputLines: start..<end))
                index = end
            }
            index += 1
        }
        return steps
    }

    /// Shell-like words: spaces separate, double quotes group.
    static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, any = false
        for character in line {
            if character == "\"" { quoted.toggle(); any = true }
            else if character == " " && !quoted { if any || !current.isEmpty { words.append(current) }; current = ""; any = false }
            else { current.append(character) }
        }
        if any || !current.isEmpty { words.append(current) }
        return words
    }

    /// The step's profile (`--profile P`) reads its rows from PostgreSQL: the fixture
    /// profiles name the database only, the server comes from PGHOST. (`validate` does
    /// not connect.)
    static func readsPostgres(_ step: Step) -> Bool {
        guard let profile = step.arguments.firstIndex(of: "--profile").map({ step.arguments.index(after: $0) }),
              profile < step.arguments.count,
              let text = try? String(contentsOf: CLIProcess.packageRoot.appendingPathComponent(step.arguments[profile]), encoding: .utf8)
        else { return false }
        return text.components(separatedBy: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("postgres:") }
    }

    static func output(of step: Step) throws -> [String] {
        // A walkthrough starts a fresh history with `history init --force`; its page shows
        // what a first run prints ("created …"), not what replacing an earlier run's says.
        if Array(step.arguments.prefix(2)) == ["history", "init"], step.arguments.contains("--force"),
           let flag = step.arguments.firstIndex(of: "--history"), flag + 1 < step.arguments.count {
            let history = CLIProcess.packageRoot.appendingPathComponent(step.arguments[flag + 1]).path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: history + suffix) }
        }
        let result = try CLIProcess.run(step.arguments)
        var lines = result.standardOutput.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        if result.exitCode != 0 { lines.append("[exit \(result.exitCode)]") }
        return lines
    }

    @Test func thereAreWalkthroughs() {
        #expect(Self.walkthroughs.contains("01-pre-deployment-audit.md"))
    }

    @Test(arguments: walkthroughs)
    func walkthroughOutputsAreCurrent(_ name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let steps = Self.steps(in: lines)
        #expect(!steps.isEmpty, "\(name) has no `$ fairlead` steps")
        let update = ProcessInfo.processInfo.environment["FAIRLEAD_UPDATE_WALKTHROUGHS"] == "1"
        // Without the test server such a step prints a connection error: said so, not
        // shown as a stale output.
        if let step = steps.first(where: Self.readsPostgres), ProcessInfo.processInfo.environment["FAIRLEAD_TEST_PG"] == nil {
            throw CLIProcess.Failure("\(name): `fairlead \(step.arguments.joined(separator: " "))` reads PostgreSQL, and FAIRLEAD_TEST_PG is not set: "
                                     + "run the tests as README.md says, after eval \"$(scripts/postgres-test-server start)\"")
        }
        // Steps run in order (a later one may read what an earlier one wrote); their
        // outputs are put back from the last up, so that line ranges stay valid.
        let outputs = try steps.map { try Self.output(of: $0) }
        for (step, actual) in zip(steps, outputs).reversed() {
            if update {
                lines.replaceSubrange(step.outputLines, with: actual)
            } else {
                #expect(Array(lines[step.outputLines]) == actual,
                        "\(name): the output of `fairlead \(step.arguments.joined(separator: " "))` changed; run scripts/update-walkthroughs")
            }
        }
        if update {
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
