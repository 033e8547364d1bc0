import FairleadCore
import Foundation
import Hummingbird

/// An error answered as RFC 9457 problem details (`application/problem+json`): a kind
/// (its `type`, `urn:fairlead:problem:<kind>`), the status, a short title and a detail
/// that names what was wrong in the request — never a path, a stack or a feature value
/// of another lead.
public struct Problem: Error, Sendable {
    /// Every kind of problem the service answers; `/metrics` counts errors by it.
    public enum Kind: String, Sendable, CaseIterable {
        case unauthorized = "unauthorized"
        case forbidden = "forbidden"
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case bodyTooLarge = "body-too-large"
        case batchTooLarge = "batch-too-large"
        case invalidJSON = "invalid-json"
        case invalidLead = "invalid-lead"
        case unsupportedMediaType = "unsupported-media-type"
        case misdirectedRequest = "misdirected-request"
        case rateLimited = "rate-limited"
        case timeout = "timeout"
        case internalError = "internal"

        /// The HTTP status answered.
        public var status: HTTPResponse.Status {
            switch self {
            case .unauthorized: return .unauthorized
            case .forbidden: return .forbidden
            case .notFound: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            case .bodyTooLarge, .batchTooLarge: return .contentTooLarge
            case .invalidJSON: return .badRequest
            case .invalidLead: return .unprocessableContent
            case .unsupportedMediaType: return .unsupportedMediaType
            case .misdirectedRequest: return .misdirectedRequest
            case .rateLimited: return .tooManyRequests
            case .timeout: return .serviceUnavailable
            case .internalError: return .internalServerError
            }
        }

        /// The problem's `title`: the same for every problem of the kind.
        public var title: String {
            switch self {
            case .unauthorized: return "An API key is needed"
            case .forbidden: return "The API key lacks the scope for this request"
            case .notFound: return "Not found"
            case .methodNotAllowed: return "Method not allowed"
            case .bodyTooLarge: return "The request body is too large"
            case .batchTooLarge: return "Too many leads in one request"
            case .invalidJSON: return "The request body is not the JSON expected"
            case .invalidLead: return "A lead cannot be explained as given"
            case .unsupportedMediaType: return "The request body must be JSON"
            case .misdirectedRequest: return "This service does not answer for the host named"
            case .rateLimited: return "Too many requests"
            case .timeout: return "The request took too long"
            case .internalError: return "Internal error"
            }
        }

        /// The problem's `type` URI.
        public var type: String { "urn:fairlead:problem:\(rawValue)" }
    }

    /// The kind.
    public let kind: Kind
    /// What was wrong, for the caller.
    public let detail: String
    /// Seconds to wait (429).
    public var retryAfter: Int?
    /// The methods the path takes (405's `Allow`).
    public var allow: [String]?

    /// A problem of `kind`.
    public init(_ kind: Kind, _ detail: String, retryAfter: Int? = nil, allow: [String]? = nil) {
        self.kind = kind
        self.detail = detail
        self.retryAfter = retryAfter
        self.allow = allow
    }

    /// A body above `limit` bytes (`--max-body-bytes`), whether its Content-Length said
    /// so or it grew past the limit while read (a chunked body has no length).
    static func bodyTooLarge(limit: Int) -> Problem {
        Problem(.bodyTooLarge, "the body is larger than \(limit) bytes (--max-body-bytes)")
    }

    /// A request past `seconds` (`--request-timeout`), in reading its body or in its work.
    static func timedOut(after seconds: Double) -> Problem {
        Problem(.timeout, "the request took longer than \(seconds) s (--request-timeout)")
    }

    /// The response: `{"type","title","status","detail","instance"}`, `instance` being the
    /// request id (also in the `X-Request-Id` header and the log).
    public func response(requestID: String) -> Response {
        var object: [String: Any] = ["type": kind.type, "title": kind.title, "status": Int(kind.status.code),
                                     "detail": detail, "instance": "urn:fairlead:request:\(requestID)"]
        if let retryAfter { object["retry_after"] = retryAfter }
        let data = JSONEscaping.escapingHidden((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let allow { headers[.allow] = allow.joined(separator: ", ") }
        return Response(status: kind.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
