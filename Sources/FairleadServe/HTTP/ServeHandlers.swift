import Fairlead
import FairleadCore
import Foundation
import Hummingbird

/// The answers of each route, from the profile loaded when the request started.
struct ServeHandlers: Sendable {
    let service: ExplanationService

    /// The answer of `route`, or a `timeout` problem past `--request-timeout` (reading
    /// the body and waiting for an explanation thread included).
    ///
    /// The work carries the deadline (a ``Cancellation``, cancelled too when the timer
    /// answers 503): it stops at its next check — between leads, and between KernelSHAP's
    /// batches of coalitions — rather than running on with its answer dropped.
    ///
    /// The body is read here, in the request's own task, before the work that may be left
    /// running past the timeout starts: that work sees the body's bytes, never its stream.
    func respond(_ route: ServeRoute, _ request: Request, _ context: ServeRequestContext) async throws -> Response {
        let limits = service.configuration.limits
        let deadline = ContinuousClock.now + .milliseconds(Int64(limits.requestTimeout * 1000))
        var body: [UInt8] = []
        switch route {
        case .explain, .card:
            // Two Content-Type fields say two things about one body: neither is believed.
            let fields = request.headers[fields: .contentType]
            let type = fields.count == 1 ? fields[0].value.lowercased() : ""
            guard Self.isJSON(mediaType: type) else {
                throw Problem(.unsupportedMediaType, "send Content-Type: application/json")
            }
            if let charset = Self.charset(ofContentType: type), charset != "utf-8" {
                throw Problem(.unsupportedMediaType,
                              "the body's charset is \(MessageQuote.clipped(charset)); send JSON in UTF-8 (Content-Type: application/json, with charset=utf-8 or none)")
            }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes {
                throw Problem.bodyTooLarge(limit: limits.maxBodyBytes)
            }
            body = try await ServeMiddleware.body(of: request, upTo: limits.maxBodyBytes, before: deadline,
                                                  seconds: limits.requestTimeout)
        default:
            break
        }
        let id = context.parameters.get("id")
        let cancellation = Cancellation(deadline: deadline)
        return try await ServeMiddleware.within(deadline, seconds: limits.requestTimeout) { [body] in
            try await answer(route, body: body, id: id, cancellation: cancellation)
        }
    }

    /// Whether the essence of a Content-Type (its type/subtype, before any `;`, without
    /// the spaces around, in any case) is `application/json` or `application/<name>+json`
    /// (RFC 6839), `<name>` being an RFC 9110 token: `application/json; charset=utf-8` and
    /// `application/problem+json` are JSON; `application/jsonx`, `application/json,
    /// text/plain` (two Content-Type fields) and `text/plain; x=+json` are not. A type a
    /// page may send across origins without a preflight (`text/plain`) is never JSON here.
    static func isJSON(mediaType: String) -> Bool {
        let essence = mediaType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
        guard essence.hasPrefix("application/") else { return false }
        let subtype = essence.dropFirst("application/".count)
        if subtype == "json" { return true }
        guard subtype.hasSuffix("+json") else { return false }
        let name = subtype.dropLast("+json".count)
        return !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
        }
    }

    /// The `charset` parameter of a Content-Type, lowercased and unquoted
    /// (`application/json; Charset="UTF-16"` gives `utf-16`), or `nil` when it has none.
    /// JSON has no charset of its own (RFC 8259: UTF-8), so one other than `utf-8` says
    /// the body is not what the service reads. Given twice (`charset=utf-8; charset=latin1`),
    /// the parameter says two things about one body: the first that is not `utf-8` is
    /// returned, as two Content-Type fields are refused.
    static func charset(ofContentType type: String) -> String? {
        var found: String?
        for parameter in type.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            let charset = value.lowercased()
            if charset != "utf-8" { return charset }
            found = charset
        }
        return found
    }

    private func answer(_ route: ServeRoute, body: [UInt8], id: String?, cancellation: Cancellation) async throws -> Response {
        switch route {
        case .explain: return try await explain(body, format: .json, cancellation: cancellation)
        case .card: return try await explain(body, format: nil, cancellation: cancellation)
        case .leadExplanation: return try await lead(id, card: false, cancellation: cancellation)
        case .leadCard: return try await lead(id, card: true, cancellation: cancellation)
        case .health: return Self.json(["status": "ok"])
        case .ready:
            let loaded = service.current
            return Self.json(["status": "ready", "profile": loaded.profile.name, "reloads": service.reloads,
                              "loaded_at": ISO8601DateFormatter().string(from: loaded.loadedAt)])
        case .metrics:
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: service.metrics.text())))
        case .openAPI:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }

    /// `POST /v1/explain` (format JSON) and `POST /v1/card` (format nil: the HTML card
    /// fragment), from the body already read.
    ///
    /// One lead is explained inline (on the request's task) only in closed form: a
    /// KernelSHAP lead takes milliseconds to seconds, which would hold a thread the timers need.
    private func explain(_ body: [UInt8], format: ExplanationFormat?, cancellation: Cancellation) async throws -> Response {
        let limits = service.configuration.limits
        let loaded = service.current
        let records = try LeadRequest.records(body, keys: loaded.recordKeys,
                                              idColumn: loaded.explanations.idColumn, maxBatch: limits.maxBatch)
        let inline = records.count == 1 && loaded.explanations.method != .kernel
        do {
            if let format {
                return Self.jsonBytes(try await service.compute(inline: inline, cancellation: cancellation) {
                    try loaded.explanations.output(records: records, format: format, cancellation: cancellation)
                })
            }
            return card(try await service.compute(inline: inline, cancellation: cancellation) {
                try loaded.explanations.explain(records: records, cancellation: cancellation)
            }, loaded)
        } catch let error as FairleadError where error.kind == .invalidData {
            // The message names the request's field and quotes the caller's own value.
            throw Problem(.invalidLead, error.description)
        }
    }

    /// `GET /v1/leads/{id}/explanation` and `…/card`.
    private func lead(_ rawID: String?, card wantsCard: Bool, cancellation: Cancellation) async throws -> Response {
        let loaded = service.current
        guard loaded.hasDataFile else {
            throw Problem(.notFound, "the profile names no data file (data.path); POST the lead's values to /v1/explain")
        }
        guard let raw = rawID, let id = raw.removingPercentEncoding, !id.isEmpty else {
            throw Problem(.notFound, "no lead id")
        }
        do {
            if wantsCard {
                return card(try await service.compute(cancellation: cancellation) {
                    try loaded.explanations.explain(ids: [id], cancellation: cancellation)
                }, loaded)
            }
            return Self.jsonBytes(try await service.compute(cancellation: cancellation) {
                try loaded.explanations.output(ids: [id], format: .json, cancellation: cancellation)
            })
        } catch let error as FairleadError where error.kind == .invalidData {
            // Not the message: it suggests the closest ids, which are other leads'.
            throw Problem(.notFound, "no lead with this id in the profile's data file")
        }
    }

    private func card(_ leads: [LeadExplanation], _ loaded: LoadedProfile) -> Response {
        let cards = HTMLExplainCards(layout: .fragment, baseValue: loaded.explanations.baseValue,
                                     link: loaded.explanations.model.link, top: loaded.explanations.reasonsPerDirection)
        let html = cards.header + cards.cards(leads) + cards.footer
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func json(_ object: [String: Any]) -> Response {
        let data = JSONEscaping.escapingHidden((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
        return jsonBytes(Array(data))
    }

    static func jsonBytes(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
