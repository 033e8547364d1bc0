import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `fairlead serve` as a process on a free loopback port, called over real HTTP: it
/// answers what `fairlead explain` prints, reloads on SIGHUP and stops on SIGTERM.
///
/// The child writes to a file and /dev/null, never to a pipe this process reads, and is
/// killed on the way out whatever happens; every wait is bounded.
@Suite(.serialized) struct ServeEndToEndTests {
    static let profile = "fixtures/profiles/leads-explanations.yaml"
    static let key = "end-to-end-key-0123456789"

    @Test func servesExplainsReloadsAndStops() async throws {
        let folder = try Server.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = folder.appendingPathComponent("keys.txt")
        let hash = try CLIProcess.sha256Hex(Self.key)
        try "e2e explain,leads,metrics sha256:\(hash)\n".write(to: keys, atomically: true, encoding: .utf8)
        let server = try await Server.start(["--api-keys", keys.path], folder: folder)
        defer { server.stop() }
        let (process, log, base) = (server.process, server.log, server.base)
        let health = try await Self.request("\(base)/healthz")
        #expect(health.status == 200)

        // Without a key: a problem.
        let refused = try await Self.request("\(base)/v1/leads/L0000042/explanation")
        #expect(refused.status == 401)
        #expect(refused.contentType == "application/problem+json")

        // The same bytes as `fairlead explain` prints for the same lead.
        let explained = try CLIProcess.run(["explain", "--profile", Self.profile, "--format", "json", "--ids", "L0000042"])
        #expect(explained.exitCode == 0)
        let byID = try await Self.request("\(base)/v1/leads/L0000042/explanation", key: Self.key)
        #expect(byID.status == 200)
        #expect(byID.body == explained.standardOutput)
        let values = try Self.row("L0000042")
        let posted = try await Self.request("\(base)/v1/explain", key: Self.key,
                                            body: try JSONSerialization.data(withJSONObject: values))
        #expect(posted.status == 200)
        #expect(posted.body == explained.standardOutput)

        // SIGHUP: the profile is loaded again, and the service says so.
        kill(process.processIdentifier, SIGHUP)
        var reloads = 0
        let deadline = Date().addingTimeInterval(120)
        while reloads == 0 && Date() < deadline && process.isRunning {
            try await Task.sleep(for: .milliseconds(200))
            let ready = try await Self.request("\(base)/readyz")
            let object = try JSONSerialization.jsonObject(with: Data(ready.body.utf8)) as? [String: Any]
            reloads = object?["reloads"] as? Int ?? 0
        }
        #expect(reloads == 1)

        // SIGTERM: a graceful stop, exit 0.
        kill(process.processIdentifier, SIGTERM)
        Self.wait(for: process, seconds: 30)
        #expect(!process.isRunning)
        if !process.isRunning { #expect(process.terminationStatus == 0) }
        let logged = try String(contentsOf: log, encoding: .utf8)
        #expect(logged.contains("request_id="))
        #expect(!logged.contains("L0000042"))
    }

    @Test func aProfileThatDoesNotLoadStopsTheStart() throws {
        let result = try CLIProcess.run(["serve", "--profile", "fixtures/profiles/no-such-profile.yaml", "--port", "0"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("no-such-profile.yaml"))
        let beyond = try CLIProcess.run(["serve", "--profile", Self.profile, "--host", "0.0.0.0", "--port", "0"])
        #expect(beyond.exitCode == 2)
        #expect(beyond.standardError.contains("--api-keys"))
    }

    // MARK: - Helpers

    static func wait(for process: Process, seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
    }

    /// The port the service logged it listens on, or nil when it stopped or took longer than `seconds`.
    /// Start-up loads the model and measures proxies on the reference rows: under a
    /// loaded machine and a parallel test run, a debug build has taken minutes.
    static func listeningPort(log: URL, process: Process, seconds: Double) async throws -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        let marker = "listening on http://127.0.0.1:"
        // The log is read once more after the deadline or the exit: a test task starved of
        // the cooperative pool by a parallel run can wake past the deadline, and a port
        // logged meanwhile still counts.
        while true {
            let running = process.isRunning
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker) {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            guard running && Date() < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        Issue.record("the service did not log its port within \(Int(seconds)) s (running: \(process.isRunning)): \(logged)")
        return nil
    }

    struct Answer {
        var status: Int
        var contentType: String?
        var body: String
    }

    static func request(_ url: String, key: String? = nil, body: Data? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 30
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return Answer(status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type"),
                      body: String(decoding: data, as: UTF8.self))
    }

    /// Row `id` of the profile's data file, every cell as its text.
    static func row(_ id: String) throws -> [String: String] {
        let path = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.first { $0.hasPrefix(id + ",") })
        return Dictionary(uniqueKeysWithValues: zip(header, row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
    }
}

extension CLIProcess {
    /// SHA-256 of `text` in hex, by the system's sha256sum (the keys file's hash).
    static func sha256Hex(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        CLIProcess.ignoreBrokenPipes()
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
