import Foundation
import Testing

/// An output is never written over a file the command reads, nor through a link to
/// somewhere else: every file a profile names is an input, and a history writer takes a
/// history's own path.
@Suite struct CLIOutputOverInputTests {
    static func run(_ script: String) throws -> (status: Int32, standardError: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-over-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try CLIOutputSafetyTests.bash("D=\(folder.path)\ncp -r fixtures/profiles fixtures/leads fixtures/explanations \"$D\"/\n" + script)
        return (result.status, result.standardError, folder)
    }

    static let sample = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv")

    @Test func explainWithOtherDataDoesNotWriteOverTheProfilesDataFile() throws {
        let result = try Self.run("""
            cd "$D" && "$F" explain --profile profiles/leads-explanations.yaml --data leads/leads-week2.csv --out leads/leads-sample.csv
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("leads/leads-sample.csv: the output is also an input"), "\(result.standardError)")
        #expect(try Data(contentsOf: result.folder.appendingPathComponent("leads/leads-sample.csv")) == Data(contentsOf: Self.sample))
    }

    @Test func explainDoesNotWriteOverTheExplanationsReference() throws {
        let result = try Self.run("""
            cd "$D" && cp leads/leads-sample.csv leads/ref.csv
            sed 's#^explanations:#explanations:\\n  reference: ../leads/ref.csv#' profiles/leads-explanations.yaml > profiles/ref.yaml
            "$F" explain --profile profiles/ref.yaml --ids L0000042 --out leads/ref.csv
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("leads/ref.csv: the output is also an input"), "\(result.standardError)")
        #expect(try Data(contentsOf: result.folder.appendingPathComponent("leads/ref.csv")) == Data(contentsOf: Self.sample))
    }

    @Test(arguments: ["dangling", "to a history"])
    func auditDoesNotWriteAHistoryThroughASymbolicLink(_ kind: String) throws {
        let target = kind == "dangling" ? ""
            : "\"$F\" history init --history \"$D\"/elsewhere/planted.sqlite > /dev/null && cp \"$D\"/elsewhere/planted.sqlite \"$D\"/before.sqlite\n"
        let result = try Self.run("""
            mkdir "$D"/elsewhere
            \(target)ln -s "$D"/elsewhere/planted.sqlite "$D"/h.sqlite
            cd "$D"/profiles && "$F" audit --profile leads-predeployment.yaml --history ../h.sqlite > /dev/null
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("../h.sqlite: not a regular file (a symbolic link); an audit history is a regular SQLite file"),
                "\(result.standardError)")
        let planted = result.folder.appendingPathComponent("elsewhere/planted.sqlite").path
        if kind == "dangling" {
            #expect(!FileManager.default.fileExists(atPath: planted))
        } else {
            // The history behind the link is not changed by a byte.
            #expect(try Data(contentsOf: URL(fileURLWithPath: planted)) == Data(contentsOf: result.folder.appendingPathComponent("before.sqlite")))
        }
    }

    /// SQLite writes `-wal`, `-shm` and `-journal` beside a history: a link in the place of
    /// one would let a writer change a file elsewhere, so it is refused as a link to the
    /// history is, and the file behind it keeps every byte.
    @Test(arguments: ["-wal", "-shm", "-journal"])
    func auditDoesNotWriteAHistorysSideFileThroughASymbolicLink(_ suffix: String) throws {
        let result = try Self.run("""
            mkdir "$D"/elsewhere && printf 'keep' > "$D"/elsewhere/victim
            "$F" history init --history "$D"/h.sqlite > /dev/null
            ln -s "$D"/elsewhere/victim "$D"/h.sqlite\(suffix)
            cd "$D"/profiles && "$F" audit --profile leads-predeployment.yaml --history ../h.sqlite > /dev/null
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("../h.sqlite: its SQLite side file \"h.sqlite\(suffix)\" is a symbolic link"),
                "\(result.standardError)")
        #expect(try String(contentsOfFile: result.folder.appendingPathComponent("elsewhere/victim").path, encoding: .utf8) == "keep")
    }
}
