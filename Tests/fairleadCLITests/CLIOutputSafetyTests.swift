import Foundation
import Testing

/// The output layer end to end: checked writes to standard output, devices and pipes
/// written in place, `ulimit -f`, signals, `history init --force`. The bad-input corpus
/// (fixtures/bad-inputs/outputs) holds the cases a command line alone can state.
@Suite struct CLIOutputSafetyTests {
    static let data = "score,y,g\n0.9,1,a\n0.2,0,b\n0.7,1,a\n0.4,0,b\n"
    static let quick = ["--score", "score", "--label", "y", "--sensitive", "g", "--threshold", "0.5"]

    /// A fresh folder holding `data.csv`.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(data.utf8).write(to: folder.appendingPathComponent("data.csv"))
        return folder
    }

    /// Runs `script` in bash with `$F` the fairlead binary, from the package root.
    static func bash(_ script: String) throws -> (status: Int32, reason: Process.TerminationReason, standardError: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = CLIProcess.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(["F": CLIProcess.executable.path]) { $1 }
        let error = Pipe()
        process.standardError = error
        try process.run()
        let text = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, String(decoding: text, as: UTF8.self))
    }

    /// The names in `folder` that look like Fairlead's temporary files.
    static func temporaryFiles(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    static let commandsWritingToStandardOutput: [String] = [
        "audit --data $D/data.csv --score score --label y --sensitive g --threshold 0.5",
        "audit --data $D/data.csv --score score --label y --sensitive g --threshold 0.5 --format json",
        "inspect $D/data.csv",
        "init --data $D/data.csv",
        "validate fixtures/profiles/leads-predeployment.yaml",
        "metrics",
        "history show --history $D/h.sqlite",
        "history verify --history $D/h.sqlite",
    ]

    @Test(arguments: commandsWritingToStandardOutput)
    func aClosedStandardOutputIsExitTwo(_ command: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.bash("D=\(folder.path); \"$F\" history init --history $D/h.sqlite >/dev/null; \"$F\" \(command) >&-")
        #expect(result.status == 2, "\(command): \(result.standardError)")
        #expect(result.standardError.contains("cannot write to standard output: it is closed"))
    }

    @Test(arguments: commandsWritingToStandardOutput)
    func aFullStandardOutputIsExitTwo(_ command: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.bash("D=\(folder.path); \"$F\" history init --history $D/h.sqlite >/dev/null; \"$F\" \(command) >/dev/full")
        #expect(result.status == 2, "\(command): \(result.standardError)")
        #expect(result.standardError.contains("cannot write to standard output: No space left on device"))
    }

    @Test func aClosedPipeEndsTheProcessQuietlyBySIGPIPE() throws {
        let process = Process()
        process.executableURL = CLIProcess.executable
        process.currentDirectoryURL = CLIProcess.packageRoot
        process.arguments = ["explain", "--profile", "fixtures/profiles/leads-explanations.yaml", "--format", "csv"]
        let output = Pipe(), error = Pipe()
        // The reader is gone before the first write: every write fails with EPIPE.
        try output.fileHandleForReading.close()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        try output.fileHandleForWriting.close()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGPIPE)
        #expect(!message.contains("cannot write"))
        #expect(!message.contains("internal error"))
    }

    @Test func headOneWorksAndTheShellSeesSIGPIPEOrSuccess() throws {
        let result = try Self.bash("""
            "$F" explain --profile fixtures/profiles/leads-explanations.yaml --format csv | head -1 >/dev/null
            echo "status ${PIPESTATUS[0]}" >&2
            """)
        // Output larger than the pipe: the writer meets the closed pipe, and ends as cat does.
        #expect(result.standardError.contains("status 141"), "\(result.standardError)")
        #expect(!result.standardError.contains("fairlead:  cannot"))
        #expect(!result.standardError.contains("cannot write"))
    }

    @Test func aFileSizeLimitIsExitTwoAndLeavesNoTemporaryFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.json")
        // bash's ulimit -f counts KiB: the JSON report is larger than 1 KiB.
        let result = try Self.bash("ulimit -f 1; \"$F\" audit --data \(folder.path)/data.csv \(Self.quick.joined(separator: " ")) "
                                   + "--format json --out \(report.path)")
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("cannot write the output: File too large"))
        #expect(!FileManager.default.fileExists(atPath: report.path))
        #expect(Self.temporaryFiles(in: folder).isEmpty)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalLeavesNoTemporaryFile(_ number: Int32) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The data is a FIFO nobody writes: the audit waits on it with its output open.
        let fifo = folder.appendingPathComponent("data.fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = ["audit", "--data", fifo] + Self.quick + ["--out", folder.appendingPathComponent("report.txt").path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0
        while Self.temporaryFiles(in: folder).isEmpty, waited < 3000, process.isRunning {
            usleep(10_000)
            waited += 1
        }
        try #require(Self.temporaryFiles(in: folder).count == 1, "the output's temporary file never appeared")
        kill(process.processIdentifier, number)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == number)
        #expect(Self.temporaryFiles(in: folder).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.txt").path))
    }

    @Test func aFIFOIsWrittenInPlaceAndStaysAFIFO() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("out.fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let received = ReceivedBytes()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) { received.set(handle.readDataToEndOfFile()) }
        }
        reader.start()
        let result = try CLIProcess.run(["audit", "--data", folder.appendingPathComponent("data.csv").path] + Self.quick + ["--out", fifo])
        #expect(result.exitCode == 0, "\(result.standardError)")
        while !received.isSet { usleep(1000) }
        #expect(String(decoding: received.value, as: UTF8.self).contains("NO RULES"))
        #expect(Self.isFIFO(fifo))
        #expect(Self.temporaryFiles(in: folder).isEmpty)
    }

    static func isFIFO(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO
    }

    @Test func aLinkToDevNullIsWrittenThroughNotReplaced() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("null").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        let result = try CLIProcess.run(["audit", "--data", folder.appendingPathComponent("data.csv").path] + Self.quick
                                        + ["--format", "json", "--out", link])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        #expect(Self.temporaryFiles(in: folder).isEmpty)
    }

    @Test func aLinkToARegularFileKeepsTheLinkAndReplacesTheFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.txt")
        try Data("old".utf8).write(to: target)
        let link = folder.appendingPathComponent("latest.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        let result = try CLIProcess.run(["audit", "--data", folder.appendingPathComponent("data.csv").path] + Self.quick + ["--out", link])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target.path)
        #expect(try String(contentsOf: target, encoding: .utf8).contains("NO RULES"))
    }

    @Test func anOutputThatIsTheDataLeavesTheDataAlone() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data.csv")
        let result = try CLIProcess.run(["audit", "--data", data.path] + Self.quick + ["--out", "\(folder.path)/./data.csv"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("the output is also an input"))
        #expect(try String(contentsOf: data, encoding: .utf8) == Self.data)
    }

    @Test func historyInitForceKeepsADirectoryAndItsContents() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = folder.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: directory.appendingPathComponent("a.txt"))
        let result = try CLIProcess.run(["history", "init", "--history", directory.path, "--force"])
        #expect(result.exitCode == 2)
        #expect(try String(contentsOf: directory.appendingPathComponent("a.txt"), encoding: .utf8) == "keep")
    }

    @Test func historyInitForceReplacesAHistory() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("h.sqlite").path
        #expect(try CLIProcess.run(["history", "init", "--history", history]).exitCode == 0)
        let audit = try CLIProcess.run(["audit", "--data", folder.appendingPathComponent("data.csv").path] + Self.quick + ["--history", history])
        #expect(audit.exitCode == 0, "\(audit.standardError)")
        let forced = try CLIProcess.run(["history", "init", "--history", history, "--force"])
        #expect(forced.exitCode == 0, "\(forced.standardError)")
        let verified = try CLIProcess.run(["history", "verify", "--history", history])
        #expect(verified.standardOutput.contains("0 entries"))
    }

    @Test func initWithAFailedOutputIsExitTwoAndKeepsAnExistingProfile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml")
        try Data("name: earlier\n".utf8).write(to: profile)
        let result = try Self.bash("ulimit -f 0; \"$F\" init --data \(folder.path)/data.csv --out \(profile.path) --force")
        #expect(result.status == 2, "\(result.standardError)")
        #expect(try String(contentsOf: profile, encoding: .utf8) == "name: earlier\n")
        #expect(Self.temporaryFiles(in: folder).isEmpty)
    }
}

/// Bytes a reader thread hands back.
private final class ReceivedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ bytes: Data) {
        lock.lock()
        data = bytes
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return data != nil
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data ?? Data()
    }
}
