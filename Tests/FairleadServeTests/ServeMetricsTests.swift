@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What `/metrics` holds before anything happened.
@Suite struct ServeMetricsTests {
    /// Each counter whose labels are known in advance is there at 0 from the start, so that
    /// `increase(…[5m]) > 0` sees its first event (a series that appears with the event has
    /// no earlier sample to increase from).
    @Test func aFreshServiceShowsEveryKnownCounterAtZero() async throws {
        let app = ServeFixture.application(try ServeFixture.service(keys: nil))
        let text = try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
        }
        let expected = Problem.Kind.allCases.map { "fairlead_http_errors_total{kind=\"\($0.rawValue)\"} 0" }
            + MalformedRequestReason.allCases.map { "fairlead_http_malformed_requests_total{reason=\"\($0.rawValue)\"} 0" }
            + ReloadOutcome.allCases.map { "fairlead_reloads_total{outcome=\"\($0.rawValue)\"} 0" }
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(expected.count == 13 + 8 + 2)
        for line in expected {
            #expect(lines.contains(line), "\(line) is not in\n\(text)")
        }
    }
}
