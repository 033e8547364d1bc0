import FairleadCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// What every request goes through before its route: a request id, the `Host` it names
/// (421 unless it is this service's, ``HostAllowList``), the route (404 and
/// 405 as problems), the API key and its scope (401, 403), the caller's rate limit
/// (429 with Retry-After), problems as RFC 9457 JSON, one log line
/// and the metrics. The log line has the request id, route, status, latency, outcome and
/// the key's name — never a feature value, a lead id or a key.
struct ServeMiddleware: RouterMiddleware {
    typealias Context = ServeRequestContext
    let service: ExplanationService
    let logger: Logger

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        context.requestID = Self.newRequestID()
        var route = "unmatched"
        var caller = "-"
        var response: Response
        var problem: Problem.Kind?
        var inFlight: String?
        defer { if let inFlight { service.metrics.record(route: inFlight, inFlightChange: -1) } }
        do {
            let match = ServeRoute.match(method: request.method.rawValue, path: request.uri.path)
            if case .route(let matched, _) = match { route = matched.label }
            // Before anything else is answered, a 404 included: a page that re-pointed its
            // own name at this address must learn nothing here (docs/service.md#hosts).
            if let misdirected = service.hosts.problem(for: request) { throw misdirected }
            switch match {
            case .none:
                throw Problem(.notFound, "no route \(request.method.rawValue) \(MessageQuote.clipped(request.uri.path, limit: 80))")
            case .wrongMethod(let allowed):
                throw Problem(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; allowed: \(allowed.joined(separator: ", "))",
                              allow: allowed)
            case .route(let matched, _):
                inFlight = route
                service.metrics.record(route: route, inFlightChange: 1)
                try authorize(request, route: matched, caller: &caller)
            }
            // The route's handler bounds its own time (``ServeHandlers``): the chain's
            // `next` may not outlive this call.
            response = try await next(request, context)
        } catch let refused as HTTPParserError {
            // Bytes of the body the parser refused (a chunk size that is no number, an
            // unknown Transfer-Encoding): no request to answer. Hummingbird answers 400 and
            // closes the connection; ``MalformedRequestHandler`` logs and counts it.
            throw refused
        } catch let answered as Problem {
            problem = answered.kind
            response = answered.response(requestID: context.requestID)
        } catch where Self.isBodyPastLimit(error) {
            problem = .bodyTooLarge
            response = Problem.bodyTooLarge(limit: service.configuration.limits.maxBodyBytes).response(requestID: context.requestID)
        } catch {
            problem = .internalError
            // Details stay in no answer and no log: they may quote a lead's values.
            response = Problem(.internalError, "the request failed; the log has its id").response(requestID: context.requestID)
            logger.error("internal error", metadata: ["request_id": "\(context.requestID)", "error_type": "\(type(of: error))"])
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        let elapsed = ContinuousClock.now - started
        let status = Int(response.status.code)
        if let problem { service.metrics.record(problem: problem) }
        service.metrics.record(route: route, status: status, duration: elapsed)
        logger.info("request", metadata: [
            "request_id": "\(context.requestID)", "route": "\(route)", "status": "\(status)",
            "latency_ms": "\(String(format: "%.3f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))",
            "outcome": "\(problem?.rawValue ?? "ok")", "key": "\(caller)",
        ])
        return response
    }

    /// Checks the key's scope and the caller's rate limit. `caller` becomes the key's name
    /// as soon as the key is known, so that a refusal for its scope (403) or its rate
    /// (429) is logged with the name; it stays `-` for a route open to all and for a
    /// missing or unknown key.
    private func authorize(_ request: Request, route: ServeRoute, caller: inout String) throws {
        guard let scope = route.scope else { return }
        if let keys = service.current.keys {
            guard let presented = Self.presentedKey(request) else {
                throw Problem(.unauthorized, "send an API key: Authorization: Bearer <key>, or X-API-Key: <key>")
            }
            guard let entry = keys.entry(for: presented) else {
                throw Problem(.unauthorized, "the API key is not valid")
            }
            caller = entry.name
            guard entry.scopes.contains(scope) else {
                throw Problem(.forbidden, "this request needs the scope '\(scope.rawValue)'")
            }
        } else {
            caller = "anonymous"
        }
        if case .limited(let retryAfter) = service.rateLimiter(route.rateBucket).take(for: caller) {
            throw Problem(.rateLimited, "the rate limit of this key is spent; retry after \(retryAfter) s", retryAfter: retryAfter)
        }
    }

    /// Whether `error` is a body collection stopped at its limit: Hummingbird's 413, or
    /// NIO's error when a body without a Content-Length (chunked) grows past it.
    private static func isBodyPastLimit(_ error: any Error) -> Bool {
        if let error = error as? HTTPError { return error.status == .contentTooLarge }
        return error is NIOTooManyBytesError
    }

    private static func presentedKey(_ request: Request) -> String? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]).trimmingCharacters(in: .whitespaces) }
            return nil
        }
        return request.headers[.init("X-API-Key")!]
    }

    private static func newRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }

    /// The result of `work`, or a `timeout` problem at `deadline`; the work is then
    /// cancelled (its ``Cancellation`` with it, ``ExplanationService/compute(inline:cancellation:_:)``)
    /// and its answer dropped, so that an explanation running on its thread never holds
    /// back the 503. Work that stops itself at the deadline (`CancellationError`) is
    /// answered the same `timeout` problem.
    ///
    /// `work` runs in a task of its own that may outlive this call: it must not read the
    /// request's body, which Hummingbird reads on (to its end) once the answer is written,
    /// and a second reader of that stream traps. ``ServeHandlers`` reads the body first,
    /// with ``body(of:upTo:before:seconds:)``.
    static func within(_ deadline: ContinuousClock.Instant, seconds: Double,
                       _ work: @escaping @Sendable () async throws -> Response) async throws -> Response {
        let once = _ResumeOnce()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            let task = Task {
                do {
                    once.resume(.success(try await work()))
                } catch is CancellationError {
                    once.resume(.failure(Problem.timedOut(after: seconds)))
                } catch {
                    once.resume(.failure(error))
                }
            }
            let timer = Task {
                try await Task.sleep(until: deadline, clock: .continuous)
                if once.resume(.failure(Problem.timedOut(after: seconds))) {
                    task.cancel()
                }
            }
            once.onResume { timer.cancel() }
        }
    }

    /// The body of `request`, at most `limit` bytes, or a `timeout` problem at `deadline`.
    ///
    /// Read in child tasks that end before this returns: at the deadline the read is
    /// cancelled and awaited, and only then is the 503 answered. The body's stream thus has
    /// one reader at a time and none once the handler has returned, as Hummingbird needs
    /// (it drains what is left of the body afterwards; NIO traps on two readers).
    ///
    /// - Throws: `NIOTooManyBytesError` past `limit` (answered 413 `body-too-large`); at
    ///   the deadline, a `timeout` problem; the rest of the body is never read, so the
    ///   answer closes the connection (``OneAnswerHandler``: its request is not whole).
    static func body(of request: Request, upTo limit: Int, before deadline: ContinuousClock.Instant,
                     seconds: Double) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask { Array(buffer: try await request.body.collect(upTo: limit)) }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard case .some(.some(let body)) = try await group.next() else { throw Problem.timedOut(after: seconds) }
            return body
        }
    }
}

/// Resumes a continuation once, whichever of the work and the timer ends first.
private final class _ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Response, any Error>?
    private var done = false
    private var cleanup: (() -> Void)?

    func set(_ continuation: CheckedContinuation<Response, any Error>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    func onResume(_ body: @escaping () -> Void) {
        lock.lock()
        if done {
            lock.unlock()
            body()
        } else {
            cleanup = body
            lock.unlock()
        }
    }

    @discardableResult
    func resume(_ result: Result<Response, any Error>) -> Bool {
        lock.lock()
        guard !done, let continuation else { lock.unlock(); return false }
        done = true
        let cleanup = self.cleanup
        self.cleanup = nil
        lock.unlock()
        continuation.resume(with: result)
        cleanup?()
        return true
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
