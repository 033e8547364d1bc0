import Foundation

/// Runs the built `fairlead` executable as a process, as a user would.
struct CLIProcess {
    /// A test's precondition that does not hold, with what to do about it.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Result {
        var exitCode: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `fairlead` binary beside the test bundle in the build products folder.
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("fairlead").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("fairlead")
    }

    /// Terminal output with its wrapped lines joined again: a line indented four or more
    /// columns deeper than the one before continues it (the rendering wraps so; tables,
    /// legends and lists step in by two).
    static func unwrapped(_ text: String) -> String {
        var lines: [String] = []
        var indentation = 0
        for line in text.components(separatedBy: "\n") {
            let depth = line.prefix { $0 == " " }.count
            if let last = lines.last, !last.isEmpty, !line.isEmpty, depth >= indentation + 4 {
                lines[lines.count - 1] = last + " " + line.dropFirst(depth)
            } else {
                lines.append(line)
                indentation = depth
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Makes a write to a pipe whose reader is gone fail with EPIPE in this process instead
    /// of ending it by SIGPIPE: a child that refuses its input before reading it all (a
    /// profile refused before `--data -` is read) closes the pipe the writer thread is still
    /// writing, and the whole test run died by signal 13 unless something earlier in the
    /// process (a NIO socket, the PostgreSQL source) had ignored SIGPIPE already. Children
    /// are unaffected: fairlead sets its own disposition (ProcessSignals).
    static func ignoreBrokenPipes() {
        _ = brokenPipesIgnored
    }

    private static let brokenPipesIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()

    /// Runs `fairlead` with `arguments` from the package root and waits for it; with
    /// `standardInput`, those bytes are written to its standard input through a pipe.
    /// `environment` adds to (or overrides) the test process's environment. `program` runs
    /// another program the same way (`psql`, through `/usr/bin/env`); `directory` runs it
    /// from another folder than the package root.
    static func run(_ arguments: [String], standardInput: Data? = nil, environment: [String: String] = [:],
                    program: URL? = nil, directory: URL? = nil) throws -> Result {
        ignoreBrokenPipes()
        let process = Process()
        process.executableURL = program ?? executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let input = standardInput.map { _ in Pipe() }
        if let input { process.standardInput = input }
        try process.run()
        if let input, let standardInput {
            // Written from another thread, so that a child blocked on a full output pipe
            // cannot deadlock with us blocked on its full input pipe.
            let writer = input.fileHandleForWriting
            let sendable = SendableHandle(handle: writer)
            Thread.detachNewThread {
                try? sendable.handle.write(contentsOf: standardInput)
                try? sendable.handle.close()
            }
        }
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(exitCode: process.terminationStatus,
                      standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}

extension CLIProcess {
    /// The environment that allows the fixture profiles as bases of profiles written into
    /// temporary folders (`extends:` is confined to a profile's folder tree otherwise).
    static let fixtureProfilesAllowed = ["FAIRLEAD_PROFILE_DIRS": packageRoot.appendingPathComponent("fixtures/profiles").path]
}

/// A file handle handed to the thread that writes a child's standard input.
private struct SendableHandle: @unchecked Sendable {
    let handle: FileHandle
}
