import FairleadCore
import Hummingbird

/// The names a request may address the service by, in its `Host` header: `localhost`,
/// `127.0.0.1` and `[::1]`, the address bound (`--host`) unless it is a wildcard, and the
/// names the operator allows (`--allowed-host`), each with any port or none.
///
///     let hosts = HostAllowList(ServeConfiguration(profilePath: "leads.yaml"))
///     hosts.problem(forAuthority: "127.0.0.1:8080", repeated: false)            // nil: answered
///     hosts.problem(forAuthority: "rebind.attacker.example", repeated: false)   // 421 misdirected-request
///
/// Loopback is no boundary against a web page: a page whose name the attacker re-points
/// at 127.0.0.1 (DNS rebinding) is same-origin with the service for the browser, which
/// then sends the page's name as `Host`. Refusing every name but the service's own closes
/// that, with or without keys. A request with no `Host` (HTTP/1.0), or with two, names
/// no one host and is refused too: no browser sends either.
public struct HostAllowList: Sendable {
    /// The names answered, lowercased, IPv6 addresses in brackets, without ports.
    public let names: Set<String>

    /// Names every service answers for: the loopback addresses and `localhost`.
    public static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[::1]"]

    /// The names `configuration` answers for.
    public init(_ configuration: ServeConfiguration) {
        var names = Self.loopbackNames
        // A wildcard address names no host: `Host: 0.0.0.0` reaches loopback in some
        // browsers, and is answered only when an operator allows it by name.
        if let bound = Self.name(address: configuration.host), !["0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]"].contains(bound) {
            names.insert(bound)
        }
        for allowed in configuration.allowedHosts {
            if let name = Self.name(address: allowed) { names.insert(name) }
        }
        self.names = names
    }

    /// What is wrong with `name` as an `--allowed-host`, or nil: a host name (letters,
    /// digits, `-`, `.`, `_`) or an IP address (IPv6 with or without brackets), without a
    /// port, since any port is answered.
    public static func problem(allowedHost name: String) -> String? {
        guard let normalized = Self.name(address: name), !normalized.isEmpty else {
            return "--allowed-host expects a host name or an IP address without a port, found '\(MessageQuote.clipped(name))'"
        }
        return nil
    }

    /// The problem a request whose `Host` is `authority` (nil: none) is answered with, or
    /// nil when it names this service; `repeated` says a second `Host` field came too.
    func problem(forAuthority authority: String?, repeated: Bool) -> Problem? {
        guard let authority else {
            return Problem(.misdirectedRequest, "the request has no Host header; send the name this service is addressed by")
        }
        guard !repeated else {
            return Problem(.misdirectedRequest, "the request has more than one Host header")
        }
        guard let host = Self.host(ofAuthority: authority), names.contains(host) else {
            return Problem(.misdirectedRequest,
                           "this service does not answer for the host '\(MessageQuote.clipped(authority))' (--allowed-host names more)")
        }
        return nil
    }

    /// ``problem(forAuthority:repeated:)`` of `request`. Its first `Host` header is the
    /// request's authority; any further one stays among its fields.
    func problem(for request: Request) -> Problem? {
        problem(forAuthority: request.head.authority, repeated: !request.headers[fields: .init("Host")!].isEmpty)
    }

    /// The host of an authority (`name`, `name:port`, `[v6]`, `[v6]:port`), lowercased
    /// and without its port; nil when it is not one (a port that is not 0–65535, a
    /// character no host name or address holds).
    static func host(ofAuthority authority: String) -> String? {
        let text = authority.lowercased()
        let host: Substring
        let port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[...close]
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            port = rest.isEmpty ? nil : rest.dropFirst()
            guard host.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            port = parts.count == 2 ? parts[1] : nil
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }) else {
                return nil
            }
        }
        if let port {
            guard port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), Int(port).map({ $0 <= 65_535 }) ?? true else {
                return nil
            }
        }
        guard !host.isEmpty, host != "[]" else { return nil }
        return String(host)
    }

    /// An address or name as ``names`` holds it (`::1` → `[::1]`), or nil when it is not
    /// one or carries a port.
    static func name(address: String) -> String? {
        let text = address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
        guard let host = host(ofAuthority: text), host == text.lowercased() else { return nil }
        return host
    }
}
