import Foundation
import Testing

/// Processes and files for the `fairlead … --history` tests.
enum CLIHistory {
    static let reaudit = "fixtures/profiles/leads-reaudit.yaml"
    static let weekly = "fixtures/profiles/leads-weekly.yaml"
    static let week2 = "fixtures/leads/leads-week2.csv"
    static let outcomes = "fixtures/leads/leads-week2-outcomes.csv"

    /// A fresh folder; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `fairlead` as ``CLIProcess/run(_:standardInput:environment:program:directory:)`` does, with the
    /// fixture profiles allowed as bases (the quick profiles extend them from `folder`).
    static func run(_ arguments: [String], standardInput: Data? = nil, directory: URL? = nil) throws -> CLIProcess.Result {
        try CLIProcess.run(arguments, standardInput: standardInput, environment: CLIProcess.fixtureProfilesAllowed, directory: directory)
    }

    /// `profile` with 100 bootstrap replicates, written into `folder`: the same audit, faster.
    static func quick(_ profile: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("quick-" + (profile as NSString).lastPathComponent).path
        let base = CLIProcess.packageRoot.appendingPathComponent(profile).path
        try "extends: \(base)\nsettings:\n  bootstrap: 100\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the `sqlite3` shell on `path`, as someone editing the history by hand would.
    static func sqlite3(_ path: String, _ sql: String) throws {
        let result = try CLIProcess.run(["sqlite3", path, sql], program: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(result.exitCode == 0, "sqlite3 is needed to edit the history: \(result.standardError)")
    }

    /// A started `fairlead` process with extra environment variables; read its result
    /// with ``finish(_:)``.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = CLIProcess.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(CLIProcess.fixtureProfilesAllowed.merging(environment) { _, new in new }) { _, new in new }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return (process, output, error)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> (status: Int32, signalled: Bool, output: String, error: String) {
        let (process, output, error) = started
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal,
                String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
