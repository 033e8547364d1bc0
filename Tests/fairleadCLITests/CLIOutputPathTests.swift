import Foundation
import Testing

/// What an output path means beyond a plain file: `-`, standard input and output by
/// their device paths, a history's SQLite side files, several temporary files at once
/// under any terminating signal, and a report that fails before the history records it.
@Suite struct CLIOutputPathTests {
    /// Runs `script` in bash with `$D` a fresh folder holding `d.csv` (the leads sample)
    /// and its copy `d.bak`, `$P` the sharded leads profile and `$M` the mitigation one.
    static func run(_ script: String) throws -> (status: Int32, standardError: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try CLIOutputSafetyTests.bash("""
            D=\(folder.path); P=fixtures/profiles/leads-sharded.yaml; M=fixtures/profiles/leads-mitigation.yaml
            cp fixtures/leads/leads-sample.csv "$D"/d.csv && cp "$D"/d.csv "$D"/d.bak
            \(script)
            """)
        return (result.status, result.standardError, folder)
    }

    static func contents(_ folder: URL, _ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static let quasi = "--quasi age_band,postal_area"

    @Test(arguments: [
        "audit --profile $P --data - --out \"$D\"/d.csv",
        "stats --profile $P --data - --out \"$D\"/d.csv",
        "mitigate --profile $M --data - --out \"$D\"/d.csv",
        "mitigate --profile $M --data - --out \"$D\"/m.txt --reweigh-out \"$D\"/d.csv",
        "privacy --data - \(quasi) --out \"$D\"/d.csv",
        "privacy --data - \(quasi) --out /dev/stdin",
        "privacy --data - \(quasi) --out /proc/self/fd/0",
    ])
    func standardInputReadFromAFileIsAnInput(_ command: String) throws {
        let result = try Self.run("\"$F\" \(command) < \"$D\"/d.csv")
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(command): \(result.standardError)")
        #expect(result.standardError.contains("the output is also an input (standard input)"), "\(result.standardError)")
        #expect(try Self.contents(result.folder, "d.csv") == Self.contents(result.folder, "d.bak"))
        #expect(CLIOutputSafetyTests.temporaryFiles(in: result.folder).isEmpty)
    }

    /// Two outputs of one command that land in one place: the later would replace the
    /// earlier. Whether the file exists yet or not, through a link, a `./`, or standard output.
    @Test(arguments: [
        ("--out \"$D\"/m.txt --reweigh-out \"$D\"/./m.txt", "file"),
        ("--out \"$D\"/m.txt --reweigh-out \"$D\"/sub/../m.txt", "file"),
        ("--out \"$D\"/d.bak --reweigh-out \"$D\"/link", "file"),
        ("--out \"$D\"/m.txt --reweigh-out \"$D\"/m.txt", "file"),
        ("--reweigh-out -", "output (standard output)"),
        ("--out - --reweigh-out /dev/stdout", "output (standard output)"),
    ])
    func mitigatesTwoOutputsMayNotBeOneFile(_ outputs: String, _ what: String) throws {
        let result = try Self.run("mkdir \"$D\"/sub && ln -s d.bak \"$D\"/link && \"$F\" mitigate --profile $M --data \"$D\"/d.csv \(outputs) > \"$D\"/out.txt")
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(outputs): \(result.standardError)")
        #expect(result.standardError.contains("--reweigh-out and --out name the same \(what)"), "\(result.standardError)")
        #expect(try Self.contents(result.folder, "d.bak") == Self.contents(result.folder, "d.csv"))
        #expect(!FileManager.default.fileExists(atPath: result.folder.appendingPathComponent("m.txt").path))
    }

    @Test(arguments: ["/dev/stdin", "/proc/self/fd/0"])
    func standardInputReadFromAPipeIsAnInput(_ output: String) throws {
        let result = try Self.run("cat \"$D\"/d.csv | \"$F\" privacy --data - \(Self.quasi) --out \(output)")
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("the output is also an input (standard input)"), "\(result.standardError)")
    }

    @Test func standardInputIsNoInputWhenNoInputIsDash() throws {
        let result = try Self.run("\"$F\" privacy --data \"$D\"/d.csv \(Self.quasi) --out /dev/stdin < \"$D\"/d.bak > /dev/null")
        defer { try? FileManager.default.removeItem(at: result.folder) }
        // Standard input is a regular file here: written as the file it is, replaced.
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test(arguments: [
        "render \"$D\"/r.json --out /dev/stdout",
        "render \"$D\"/r.json --out /proc/self/fd/1",
        "privacy --data \"$D\"/d.csv \(quasi) --out /dev/stdout",
        "mitigate --profile $M --data \"$D\"/d.csv --out /dev/stdout",
        "history show --history \"$D\"/h.sqlite --out /dev/stdout",
    ])
    func aClosedStandardOutputNamedByItsPathIsExitTwo(_ command: String) throws {
        let result = try Self.run("""
            "$F" history init --history "$D"/h.sqlite > /dev/null
            "$F" audit --profile $P --data "$D"/d.csv --format json --out "$D"/r.json
            "$F" \(command) >&-
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(command): \(result.standardError)")
        #expect(result.standardError.contains("cannot write to standard output: it is closed"), "\(result.standardError)")
    }

    @Test func devNullIsStillWrittenWhenStandardOutputIsClosed() throws {
        let result = try Self.run("\"$F\" privacy --data \"$D\"/d.csv \(Self.quasi) --out /dev/null >&-")
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test(arguments: ["-wal", "-shm", "-journal"])
    func aHistorysSideFileIsAnInput(_ suffix: String) throws {
        // Once with the side file absent, once present (as a plain file SQLite would take).
        for present in [false, true] {
            let result = try Self.run("""
                "$F" history init --history "$D"/h.sqlite > /dev/null
                \(present ? "printf x > \"$D\"/h.sqlite\(suffix)" : "rm -f \"$D\"/h.sqlite\(suffix)")
                "$F" audit --profile $P --data "$D"/d.csv --history "$D"/h.sqlite --out "$D"/h.sqlite\(suffix)
                """)
            defer { try? FileManager.default.removeItem(at: result.folder) }
            #expect(result.status == 2, "\(suffix) \(present): \(result.standardError)")
            #expect(result.standardError.contains("the output is also an input"), "\(result.standardError)")
            #expect(!result.standardError.contains("appended entry"))
        }
    }

    @Test func historyShowRefusesTheHistorysWriteAheadLog() throws {
        let result = try Self.run("""
            "$F" history init --history "$D"/h.sqlite > /dev/null
            "$F" history show --history "$D"/h.sqlite --out "$D"/h.sqlite-wal
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("the output is also an input"), "\(result.standardError)")
    }

    @Test(arguments: ["> /dev/full", ">&-", "--out /nonexistent-folder/r.txt"])
    func aReportThatCannotBeWrittenAppendsNothing(_ redirection: String) throws {
        let result = try Self.run("""
            "$F" history init --history "$D"/h.sqlite > /dev/null
            "$F" audit --profile $P --data "$D"/d.csv --history "$D"/h.sqlite \(redirection)
            echo "status $?" >&2
            "$F" history verify --history "$D"/h.sqlite >&2
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.standardError.contains("status 2"), "\(result.standardError)")
        #expect(!result.standardError.contains("appended entry"), "\(result.standardError)")
        #expect(result.standardError.contains("0 entries"), "\(result.standardError)")
    }

    @Test(arguments: [
        "audit --profile $P --data \"$D\"/d.csv --format json --out -",
        "stats --profile $P --data \"$D\"/d.csv --out -",
        "privacy --data \"$D\"/d.csv \(quasi) --out -",
        "mitigate --profile $M --data \"$D\"/d.csv --out - --reweigh-out \"$D\"/w.csv",
    ])
    func dashIsStandardOutput(_ command: String) throws {
        let result = try Self.run("cd \"$D\" && \"$F\" \(command.replacingOccurrences(of: "$P", with: "\"$OLDPWD\"/$P").replacingOccurrences(of: "$M", with: "\"$OLDPWD\"/$M")) > out.txt")
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 0 || result.status == 1, "\(command): \(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: result.folder.appendingPathComponent("-").path))
        #expect(try !Self.contents(result.folder, "out.txt").isEmpty)
    }

    /// Starts `command` through bash (`exec`, so the pid is Fairlead's, with core dumps
    /// off for SIGQUIT and SIGXCPU) reading its data from a FIFO nobody writes, waits for
    /// `temporaries` temporary files, calls `running` with its pid, sends `number`, and
    /// returns how it ended.
    static func signalled(_ command: String, prelude: String = "", temporaries: Int, number: Int32,
                          then second: Int32? = nil, running: (Int32) throws -> Void = { _ in }) throws -> (reason: Process.TerminationReason, status: Int32, left: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("data.fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -c 0; \(prelude) D=\(folder.path); exec \"$F\" \(command.replacingOccurrences(of: "$DATA", with: fifo))"]
        process.currentDirectoryURL = CLIProcess.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(["F": CLIProcess.executable.path]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0
        while CLIOutputSafetyTests.temporaryFiles(in: folder).count < temporaries, waited < 3000, process.isRunning {
            usleep(10_000)
            waited += 1
        }
        try #require(CLIOutputSafetyTests.temporaryFiles(in: folder).count == temporaries, "the temporary files never appeared")
        try running(process.processIdentifier)
        kill(process.processIdentifier, number)
        if let second {
            usleep(300_000)
            #expect(process.isRunning, "an ignored signal ended the process")
            kill(process.processIdentifier, second)
        }
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus, CLIOutputSafetyTests.temporaryFiles(in: folder))
    }

    static let auditToFile = "audit --data $DATA --score score --label y --sensitive g --threshold 0.5 --format html --out \"$D\"/r.html"

    @Test(arguments: [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU])
    func everyTerminatingSignalRemovesTheTemporaryFile(_ number: Int32) throws {
        let ended = try Self.signalled(Self.auditToFile, temporaries: 1, number: number)
        #expect(ended.reason == .uncaughtSignal)
        #expect(ended.status == number)
        #expect(ended.left.isEmpty, "\(ended.left)")
    }

    /// The profiling timers' signals are left as the process found them: a sampling
    /// profiler loaded into the process (gperftools, gprof) keeps its SIGPROF handler.
    @Test func theProfilingTimersSignalsAreNotTaken() throws {
        var caught: UInt64 = 0
        let ended = try Self.signalled(Self.auditToFile, temporaries: 1, number: SIGTERM) { pid in
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigCgt:") })
            caught = try #require(UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16))
        }
        func isCaught(_ number: Int32) -> Bool { caught & (1 << UInt64(number - 1)) != 0 }
        #expect(ended.status == SIGTERM)
        #expect([SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU].allSatisfy(isCaught), "SigCgt \(String(caught, radix: 16))")
        #expect(!isCaught(SIGPROF) && !isCaught(SIGVTALRM), "SigCgt \(String(caught, radix: 16))")
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalRemovesBothTemporaryFilesOfMitigate(_ number: Int32) throws {
        let ended = try Self.signalled("mitigate --profile fixtures/profiles/leads-mitigation.yaml --data $DATA "
                                       + "--out \"$D\"/m.txt --reweigh-out \"$D\"/w.csv", temporaries: 2, number: number)
        #expect(ended.reason == .uncaughtSignal)
        #expect(ended.status == number)
        #expect(ended.left.isEmpty, "\(ended.left)")
    }

    @Test func aSignalIgnoredByTheParentStaysIgnored() throws {
        // As under nohup: SIGHUP ignored, so the process goes on until SIGTERM.
        let ended = try Self.signalled(Self.auditToFile, prelude: "trap '' HUP;", temporaries: 1, number: SIGHUP, then: SIGTERM)
        #expect(ended.reason == .uncaughtSignal)
        #expect(ended.status == SIGTERM)
        #expect(ended.left.isEmpty, "\(ended.left)")
    }
}
