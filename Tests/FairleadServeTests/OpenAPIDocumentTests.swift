@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The committed OpenAPI document (docs/openapi.json) is what the service serves, names
/// every route the service has and no other, and describes the answers it gives.
@Suite struct OpenAPIDocumentTests {
    static let documentPath = ServeFixture.packageRoot.appendingPathComponent("docs/openapi.json").path

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: documentPath))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func theServedDocumentIsTheCommittedOne() throws {
        let committed = try String(contentsOfFile: Self.documentPath, encoding: .utf8)
        #expect(OpenAPIDocument.json + "\n" == committed, "run scripts/generate-openapi-swift")
    }

    @Test func everyRouteIsInTheDocumentAndNoOther() throws {
        let paths = try Self.document()["paths"] as? [String: [String: Any]] ?? [:]
        var operations = 0
        for (path, methods) in paths {
            for (method, operation) in methods {
                operations += 1
                let operation = operation as? [String: Any] ?? [:]
                let route = ServeRoute.allCases.first { $0.path == path && $0.method.rawValue.lowercased() == method }
                #expect(route != nil, "\(method) \(path) is documented but not served")
                #expect(operation["operationId"] as? String == route?.rawValue)
                let open = (operation["security"] as? [Any])?.isEmpty == true
                #expect(open == (route?.scope == nil), "\(path): security does not match the route's scope")
            }
        }
        #expect(operations == ServeRoute.allCases.count)
        for route in ServeRoute.allCases {
            #expect(paths[route.path]?[route.method.rawValue.lowercased()] != nil, "\(route.path) is served but not documented")
        }
    }

    /// Each answer: its status is documented for its route, its content type too, and the
    /// body matches the schema documented for them.
    @Test func answersMatchTheirDocumentedSchemas() async throws {
        var limits = ServeLimits()
        limits.maxBatch = 2
        let app = ServeFixture.application(try ServeFixture.service(limits: limits))
        let lead = try ServeFixture.leadValues("L0000042")
        let reader = ServeFixture.jsonHeaders("reader-key-0123456789")
        let requests: [(ServeRoute, String, HTTPFields, ByteBuffer?)] = [
            (.explain, "/v1/explain", reader, try ServeFixture.body(lead)),
            (.explain, "/v1/explain", reader, try ServeFixture.body(["leads": [lead, lead]])),
            (.explain, "/v1/explain", reader, try ServeFixture.body(["leads": [lead, lead, lead]])),
            (.explain, "/v1/explain", reader, ByteBuffer(string: "[1]")),
            (.explain, "/v1/explain", reader, try ServeFixture.body(["web_visits": "x"])),
            (.explain, "/v1/explain", [:], try ServeFixture.body(lead)),
            (.explain, "/v1/explain", ServeFixture.jsonHeaders("scraper-key-0123456789"), try ServeFixture.body(lead)),
            (.card, "/v1/card", reader, try ServeFixture.body(lead)),
            (.leadExplanation, "/v1/leads/L0000042/explanation", reader, nil),
            (.leadExplanation, "/v1/leads/nobody/explanation", reader, nil),
            (.leadCard, "/v1/leads/L0000042/card", reader, nil),
            (.health, "/healthz", [:], nil),
            (.ready, "/readyz", [:], nil),
            (.metrics, "/metrics", ServeFixture.bearer("scraper-key-0123456789"), nil),
            (.metrics, "/metrics", [:], nil),
            (.openAPI, "/openapi.json", [:], nil),
        ]
        try await app.test(.router) { client in
            for (route, uri, headers, body) in requests {
                try await client.execute(uri: uri, method: route.method, headers: headers, body: body) { response in
                    try Self.check(response, of: route, in: try Self.document(), request: uri)
                }
            }
        }
    }

    static func check(_ response: TestResponse, of route: ServeRoute, in document: [String: Any], request: String) throws {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        let operation = paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any] ?? [:]
        let responses = operation["responses"] as? [String: Any] ?? [:]
        let status = String(response.status.code)
        guard var documented = responses[status] as? [String: Any] else {
            Issue.record("\(request): status \(status) is not documented")
            return
        }
        if let reference = documented["$ref"] as? String { documented = resolve(reference, in: document) }
        let content = documented["content"] as? [String: Any] ?? [:]
        let type = (response.headers[.contentType] ?? "").split(separator: ";")[0].trimmingCharacters(in: .whitespaces)
        guard let media = content[type] as? [String: Any], let schema = media["schema"] as? [String: Any] else {
            Issue.record("\(request): content type \(type) is not documented for \(status)")
            return
        }
        if let headers = documented["headers"] as? [String: Any] {
            for name in headers.keys { #expect(response.headers[.init(name)!] != nil, "\(request): header \(name) missing") }
        }
        guard type.hasSuffix("json") else { return }
        let value = try JSONSerialization.jsonObject(with: Data(Array(buffer: response.body)), options: [.fragmentsAllowed])
        let errors = validate(value, against: schema, in: document, at: "$")
        #expect(errors.isEmpty, "\(request) (\(status)): \(errors)")
    }

    static func resolve(_ reference: String, in document: [String: Any]) -> [String: Any] {
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)] ?? [:]
        }
        return node as? [String: Any] ?? [:]
    }

    /// The errors of `value` against the JSON Schema subset the document uses: `$ref`,
    /// `oneOf`, `type` (one or several), `const`, `required`, `properties`,
    /// `additionalProperties`, `items`, `minItems`, `maxItems`, `minimum`.
    static func validate(_ value: Any, against schema: [String: Any], in document: [String: Any], at path: String) -> [String] {
        if let reference = schema["$ref"] as? String {
            return validate(value, against: resolve(reference, in: document), in: document, at: path)
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { validate(value, against: $0, in: document, at: path).isEmpty }
            return matching.count == 1 ? [] : ["\(path): matches \(matching.count) of oneOf"]
        }
        var errors: [String] = []
        let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if !types.isEmpty && !types.contains(where: { hasType(value, $0) }) {
            return ["\(path): expected \(types), found \(Swift.type(of: value))"]
        }
        if let constant = schema["const"] as? String, value as? String != constant { errors.append("\(path): expected \(constant)") }
        if let minimum = schema["minimum"] as? Double, let number = value as? Double, number < minimum {
            errors.append("\(path): below \(minimum)")
        }
        if let object = value as? [String: Any], types.contains("object") {
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                errors.append("\(path): missing \(name)")
            }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (name, item) in object {
                if let property = properties[name] {
                    errors += validate(item, against: property, in: document, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(path): unexpected \(name)")
                }
            }
        }
        if let array = value as? [Any], types.contains("array") {
            if let minimum = schema["minItems"] as? Int, array.count < minimum { errors.append("\(path): fewer than \(minimum) items") }
            if let maximum = schema["maxItems"] as? Int, array.count > maximum { errors.append("\(path): more than \(maximum) items") }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { errors += validate(item, against: items, in: document, at: "\(path)[\(index)]") }
            }
        }
        return errors
    }

    /// Whether `value` (as JSONSerialization gives it) is of JSON Schema `type`; the
    /// document has no boolean, so a number is any NSNumber.
    private static func hasType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "integer": return (value as? NSNumber).map { $0.doubleValue.rounded() == $0.doubleValue } ?? false
        case "number": return value is NSNumber
        default: return false
        }
    }
}
