import Fairlead
@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// Shared fixtures of the service tests: the bundled explanations profile loaded once,
/// and applications answering from it with the keys and limits a test asks for.
enum ServeFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let profilePath = packageRoot.appendingPathComponent("fixtures/profiles/leads-explanations.yaml").path
    static let dataPath = packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path

    /// The keys of the tests: `explainer` may explain posted leads, `reader` may read
    /// leads by id, `scraper` may read metrics.
    static let keysText = """
        # name  scopes  hash
        explainer  explain  \(APIKeys.hashText(of: "explain-key-0123456789"))
        reader     leads,explain  \(APIKeys.hashText(of: "reader-key-0123456789"))
        scraper    metrics  \(APIKeys.hashText(of: "scraper-key-0123456789"))
        """

    /// A client that waits as long as a loaded machine may take to answer: the test
    /// client's own read timeout (15 seconds) failed a test of the service's deadlines
    /// while the shared machine stalled. A service that never answers still fails, later.
    static let patientClient = TestClient.Configuration(timeout: .seconds(600))

    /// The profile, model and reference rows, loaded once for every test.
    static let loaded: LoadedProfile = {
        do {
            return try LoadedProfile(ServeConfiguration(profilePath: profilePath))
        } catch {
            fatalError("the bundled profile does not load: \(error)")
        }
    }()

    /// A service answering from the bundled profile with `keys` (nil: none) and `limits`.
    static func service(keys: String? = keysText, limits: ServeLimits = ServeLimits(),
                        clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds,
                        configure: (inout ServeConfiguration) -> Void = { _ in }) throws -> ExplanationService {
        var configuration = ServeConfiguration(profilePath: profilePath)
        configuration.limits = limits
        configure(&configuration)
        var profile = loaded
        profile.keys = try keys.map { try APIKeys(text: $0) }
        return ExplanationService(configuration: configuration, loaded: profile, clock: clock)
    }

    static func application(_ service: ExplanationService) -> some ApplicationProtocol {
        var logger = Logger(label: "fairlead.serve.tests")
        logger.logLevel = .critical
        return FairleadServer.application(service, logger: logger)
    }

    /// The result of `body`, run on a thread of its own: raw sockets block, and the
    /// service answers on the tasks' few threads (as many as there are cores), which a
    /// blocked test would hold.
    static func onAThreadOfItsOwn<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Row `id` of the data file as a lead's JSON values: every cell as the text it is.
    static func leadValues(_ id: String) throws -> [String: String] {
        let lines = try String(contentsOfFile: dataPath, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let row = lines.first(where: { $0.hasPrefix(id + ",") }) else { throw CocoaError(.fileReadCorruptFile) }
        let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return Dictionary(uniqueKeysWithValues: zip(header, cells))
    }

    static func bearer(_ key: String) -> HTTPFields {
        [.authorization: "Bearer \(key)"]
    }

    static func jsonHeaders(_ key: String) -> HTTPFields {
        [.authorization: "Bearer \(key)", .contentType: "application/json"]
    }

    static func body(_ object: Any) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// The JSON object a response carries (empty when it carries none).
    static func object(_ response: TestResponse) -> [String: Any] {
        let data = Data(Array(buffer: response.body))
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }
}
