@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ServeLimitsTests {
    private let key = "explain-key-0123456789"

    @Test func aBodyAboveTheLimitIs413() async throws {
        var limits = ServeLimits()
        limits.maxBodyBytes = 200
        let app = ServeFixture.application(try ServeFixture.service(limits: limits))
        let values = try ServeFixture.leadValues("L0000042")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: try ServeFixture.body(values)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(ServeFixture.object(response)["type"] as? String == "urn:fairlead:problem:body-too-large")
            }
        }
    }

    @Test func aBatchAboveTheLimitIs413() async throws {
        var limits = ServeLimits()
        limits.maxBatch = 2
        let app = ServeFixture.application(try ServeFixture.service(limits: limits))
        let values = try ServeFixture.leadValues("L0000042")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: try ServeFixture.body(["leads": [values, values, values]])) { response in
                #expect(response.status == .contentTooLarge)
                #expect(ServeFixture.object(response)["type"] as? String == "urn:fairlead:problem:batch-too-large")
            }
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: try ServeFixture.body(["leads": [values, values]])) { response in
                #expect(response.status == .ok)
                #expect((ServeFixture.object(response)["leads"] as? [Any])?.count == 2)
            }
        }
    }

    @Test func theRateLimitAnswers429WithRetryAfter() async throws {
        var limits = ServeLimits()
        limits.ratePerSecond = 0.4
        limits.burst = 2
        // The limiter's clock stands still: however long a loaded machine takes between
        // the requests, no token comes back, and the wait is exactly 1 / 0.4 s rounded up.
        let app = ServeFixture.application(try ServeFixture.service(limits: limits, clock: { 1_000 }))
        try await app.test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("scraper-key-0123456789")) { response in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("scraper-key-0123456789")) { response in
                #expect(response.status == .tooManyRequests)
                let retryAfter = response.headers[.retryAfter].flatMap(Int.init)
                #expect(retryAfter == 3)
                #expect(ServeFixture.object(response)["retry_after"] as? Int == retryAfter)
            }
            // Another key has its own bucket.
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get,
                                     headers: ServeFixture.bearer("reader-key-0123456789")) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// `/metrics` draws on a bucket of its own, for each caller: a scrape is answered while
    /// the API's bucket is spent, and scrapes never spend the API's. Without keys all
    /// callers are one caller, "anonymous"; a key with both scopes is one caller too.
    @Test(arguments: [nil, "both explain,leads,metrics \(APIKeys.hashText(of: "both-key-0123456789"))"])
    func metricsHaveABucketOfTheirOwn(keys: String?) async throws {
        var limits = ServeLimits()
        limits.ratePerSecond = 1.0 / 86_400
        limits.burst = 2
        let headers: HTTPFields = keys == nil ? [:] : ServeFixture.bearer("both-key-0123456789")
        let lead = "/v1/leads/L0000042/explanation"
        // The statuses of `uris` asked in turn of a fresh service whose clock stands still.
        func statuses(_ uris: [String]) async throws -> [Int] {
            let app = ServeFixture.application(try ServeFixture.service(keys: keys, limits: limits, clock: { 1_000 }))
            return try await app.test(.router) { client in
                var statuses: [Int] = []
                for uri in uris {
                    statuses.append(Int(try await client.execute(uri: uri, method: .get, headers: headers).status.code))
                }
                return statuses
            }
        }
        // The API's bucket spent first: scrapes are still answered, until their own is spent.
        let apiFirst = try await statuses([lead, lead, lead, "/metrics", "/metrics", "/metrics", lead])
        #expect(apiFirst == [200, 200, 429, 200, 200, 429, 429])
        // Scrapes first: the API's bucket is whole.
        let scrapesFirst = try await statuses(["/metrics", "/metrics", "/metrics", lead, lead, lead])
        #expect(scrapesFirst == [200, 200, 429, 200, 200, 429])
    }

    @Test func theTokenBucketRefillsAtItsRate() {
        let now = _Clock()
        let limiter = RateLimiter(ratePerSecond: 2, burst: 3, clock: { now.seconds })
        #expect((0..<3).map { _ in limiter.take(for: "a") } == [.allowed, .allowed, .allowed])
        #expect(limiter.take(for: "a") == .limited(retryAfter: 1))
        now.seconds += 0.5
        #expect(limiter.take(for: "a") == .allowed)
        #expect(limiter.take(for: "a") == .limited(retryAfter: 1))
        #expect(RateLimiter(ratePerSecond: 0, burst: 1).take(for: "a") == .allowed)
    }

    @Test func aRequestPastItsTimeIsAnswered503() async throws {
        // Work that ends only when it is cancelled (or after an hour, reported as a hang):
        // only the limit can answer, however long other tests hold the machine's threads.
        do {
            let response = try await ServeMiddleware.within(.now + .milliseconds(50), seconds: 0.05) {
                let hour = ContinuousClock.now + .seconds(3_600)
                while !Task.isCancelled && ContinuousClock.now < hour { try? await Task.sleep(for: .seconds(1)) }
                return Response(status: .ok)
            }
            Issue.record("answered \(response.status) past the time limit")
        } catch let problem as Problem {
            #expect(problem.kind == .timeout)
            #expect(problem.response(requestID: "r").status == .serviceUnavailable)
        }
        // Work that is done at once, under a limit no stall of the machine reaches (a day).
        let quick = try await ServeMiddleware.within(.now + .seconds(86_400), seconds: 86_400) { Response(status: .accepted) }
        #expect(quick.status == .accepted)
    }

    @Test func badBodiesAreProblemsNamingTheField() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        var values: [String: Any] = try ServeFixture.leadValues("L0000042")
        let good = try ServeFixture.body(values)
        values["web_visit"] = 3
        let misspelt = try ServeFixture.body(values)
        values["web_visit"] = nil
        values["web_visits"] = "many"
        let notANumber = try ServeFixture.body(values)
        values["web_visits"] = true
        let boolean = try ServeFixture.body(values)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: ByteBuffer(string: "{\"web_visits\": ")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.bearer(key), body: good) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key), body: misspelt) { response in
                #expect(response.status == .badRequest)
                let detail = ServeFixture.object(response)["detail"] as? String ?? ""
                #expect(detail.contains("web_visit is not a column"))
                #expect(detail.contains("\"web_visits\""))
            }
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key), body: notANumber) { response in
                #expect(response.status == .unprocessableContent)
                #expect((ServeFixture.object(response)["detail"] as? String ?? "").contains("web_visits"))
            }
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key), body: boolean) { response in
                #expect(response.status == .badRequest)
            }
            for empty in ["{}", "{\"leads\": [{}]}", "{\"leads\": []}"] {
                try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                         body: ByteBuffer(string: empty)) { response in
                    #expect(response.status == .badRequest, "\(empty)")
                }
            }
            try await client.execute(uri: "/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/v1/explain", method: .get, headers: ServeFixture.bearer(key)) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
    }
}

private final class _Clock: @unchecked Sendable {
    var seconds = 100.0
}
