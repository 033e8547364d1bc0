@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A reload swaps the profile, model and keys as a whole; one that fails keeps the old.
@Suite struct ServeReloadTests {
    @Test func aFailedReloadKeepsTheOldKeysAndAGoodOneSwapsThem() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-serve-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keysFile = folder.appendingPathComponent("keys.txt")
        try "old metrics \(APIKeys.hashText(of: "old-key-0123456789"))\n".write(to: keysFile, atomically: true, encoding: .utf8)
        var configuration = ServeConfiguration(profilePath: ServeFixture.profilePath)
        configuration.apiKeysPath = keysFile.path
        let service = ExplanationService(configuration: configuration, loaded: try LoadedProfile(configuration))
        let app = ServeFixture.application(service)
        try await app.test(.router) { client in
            func status(_ key: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer(key)) { $0.status }
            }
            #expect(try await status("old-key-0123456789") == .ok)

            try "old metrics sha256:not-a-hash\n".write(to: keysFile, atomically: true, encoding: .utf8)
            #expect(throws: (any Error).self) { try service.reload() }
            #expect(try await status("old-key-0123456789") == .ok)
            #expect(service.reloads == 0)

            try "new metrics \(APIKeys.hashText(of: "new-key-0123456789"))\n".write(to: keysFile, atomically: true, encoding: .utf8)
            try service.reload()
            #expect(service.reloads == 1)
            #expect(try await status("new-key-0123456789") == .ok)
            #expect(try await status("old-key-0123456789") == .unauthorized)
            let text = try await client.execute(uri: "/metrics", method: .get,
                                                headers: ServeFixture.bearer("new-key-0123456789")) { String(buffer: $0.body) }
            #expect(text.contains(#"fairlead_reloads_total{outcome="failed"} 1"#))
            #expect(text.contains(#"fairlead_reloads_total{outcome="succeeded"} 1"#))
        }
    }

    @Test func aProfileThatDoesNotLoadIsRefused() {
        #expect(throws: (any Error).self) {
            try LoadedProfile(ServeConfiguration(profilePath: ServeFixture.packageRoot.appendingPathComponent("fixtures/profiles/missing.yaml").path))
        }
    }
}
