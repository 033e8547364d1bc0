import Foundation
import Testing

/// Runs every case of fixtures/bad-inputs (its README says how a case is written): the
/// exit code and the message fragments a hostile or broken input must give.
@Suite struct BadInputCorpusTests {
    static let root = CLIProcess.packageRoot.appendingPathComponent("fixtures/bad-inputs")

    /// Every case folder, as `category/name`.
    static var cases: [String] {
        let manager = FileManager.default
        let categories = ((try? manager.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        return categories.flatMap { category -> [String] in
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root.appendingPathComponent(category).path, isDirectory: &isDirectory),
                  isDirectory.boolValue else { return [] }
            let names = (try? manager.contentsOfDirectory(atPath: root.appendingPathComponent(category).path)) ?? []
            return names.sorted().map { "\(category)/\($0)" }
        }
    }

    /// `text` with each `{U+XXXX}` replaced by that character, so that an expected file
    /// can name a control character (`!{U+001B}`: no raw ESC in the output).
    static func fillingScalars(_ text: String) -> String {
        var result = "", rest = Substring(text)
        while let start = rest.range(of: "{U+") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            if let end = after.firstIndex(of: "}"), let value = UInt32(after[..<end], radix: 16), let scalar = Unicode.Scalar(value) {
                result.unicodeScalars.append(scalar)
                rest = after[after.index(after: end)...]
            } else {
                result += "{U+"
                rest = after
            }
        }
        return result + rest
    }

    @Test func theCorpusIsNotEmpty() {
        #expect(!Self.cases.isEmpty)
    }

    @Test(arguments: cases)
    func caseGivesItsExpectedOutcome(_ name: String) throws {
        let folder = Self.root.appendingPathComponent(name)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bad-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        func fill(_ text: String) -> String {
            Self.fillingScalars(text.replacingOccurrences(of: "{case}", with: folder.path)
                .replacingOccurrences(of: "{tmp}", with: scratch.path)
                .replacingOccurrences(of: "{root}", with: CLIProcess.packageRoot.path))
        }
        let setup = folder.appendingPathComponent("setup")
        if FileManager.default.fileExists(atPath: setup.path) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [setup.path, folder.path, scratch.path]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "setup of \(name) failed")
        }
        let arguments = try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map { fill(String($0)) }
            .reversed().drop(while: \.isEmpty).reversed()
        let expected = try String(contentsOf: folder.appendingPathComponent("expected"), encoding: .utf8)
            .split(separator: "\n").map { fill(String($0)) }
        let code = try #require(Int32(expected.first ?? ""), "\(name): the first line of expected is the exit code")
        let stdinURL = folder.appendingPathComponent("stdin")
        let input = FileManager.default.fileExists(atPath: stdinURL.path) ? try Data(contentsOf: stdinURL) : nil
        let result = try CLIProcess.run(Array(arguments), standardInput: input)
        #expect(result.exitCode == code, "\(name): exit \(result.exitCode), stderr: \(result.standardError.prefix(500))")
        for fragment in expected.dropFirst() where !fragment.isEmpty {
            if fragment.hasPrefix("stdout: ") {
                #expect(result.standardOutput.contains(fragment.dropFirst("stdout: ".count)), "\(name): stdout lacks \(fragment)")
            } else if fragment.hasPrefix("!") {
                let absent = fragment.dropFirst()
                #expect(!result.standardError.contains(absent) && !result.standardOutput.contains(absent), "\(name): shows \(absent)")
            } else {
                #expect(result.standardError.contains(fragment), "\(name): stderr lacks \(fragment): \(result.standardError.prefix(500))")
            }
        }
    }
}
