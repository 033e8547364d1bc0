import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 over a plain loopback socket, for what a client library would not send (a
/// half-sent body, an oversized header block, two Content-Length fields, bare line
/// feeds) and for what it would hide (whether the peer closed the connection).
///
///     let answer = try RawHTTP.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
///     #expect(answer.hasPrefix("HTTP/1.1 200"))
///
/// Every wait is bounded: a socket's receive gives up after 30 s without a byte.
public enum RawHTTP {
    /// A socket call that failed, with its errno.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// How a read of everything the peer sends ended.
    public enum Ending: Equatable, Sendable {
        /// The peer closed the connection (the read met the end of the stream).
        case closed
        /// The connection was still open when the wait ran out: a hang, not an answer.
        case stillOpen
        /// The connection failed (reset) with this errno.
        case failed(errno: Int32)
    }

    /// What the peer sent, and how the read ended.
    public struct Received: Sendable {
        /// The bytes, as UTF-8 text.
        public var text: String
        /// Whether the peer closed the connection, or the wait ran out first.
        public var ending: Ending
    }

    /// A connected socket to 127.0.0.1:`port`, each receive bounded to 30 s.
    public static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure("socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw Failure("connect to 127.0.0.1:\(port): errno \(errno)")
        }
        return socket
    }

    /// The local port of `socket`: the port the peer logs as the remote address's.
    public static func localPort(of socket: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return result == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    public static func send(_ socket: Int32, _ data: Data) throws {
        var sent = 0
        while sent < data.count {
            let n = data.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, data.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure("send: errno \(errno)") }
            sent += n
        }
    }

    /// What the peer sends until it closes the connection, and whether it did close it
    /// before `seconds` passed (or before 30 s passed without a byte).
    public static func read(_ socket: Int32, seconds: Double) -> Received {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(seconds)
        var ending = Ending.stillOpen
        while Date() < deadline {
            let n = recv(socket, &buffer, buffer.count, 0)
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
                continue
            }
            if n == 0 {
                ending = .closed
            } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                ending = .failed(errno: errno)
            }
            break
        }
        return Received(text: String(decoding: received, as: UTF8.self), ending: ending)
    }

    /// What the peer sends until it closes the connection (or `seconds` pass).
    public static func receive(_ socket: Int32, seconds: Double) -> String {
        read(socket, seconds: seconds).text
    }

    /// What each of `count` connections was answered to a `POST /v1/explain` whose head is
    /// sent whole and whose `bodyBytes` of body then come a byte every 5 ms, until it was
    /// answered (a client stops sending then), closed, or `seconds` passed.
    public static func dripBodies(port: Int, count: Int, bodyBytes: Int, seconds: Double) throws -> [String] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        let head = "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bodyBytes)\r\n\r\n"
        for _ in 0..<count {
            sockets.append(try connect(port: port))
            try send(sockets[sockets.count - 1], Data(head.utf8))
        }
        var answers = [Data](repeating: Data(), count: count)
        var sent = [Int](repeating: 0, count: count)
        var open = [Bool](repeating: true, count: count)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(seconds)
        while open.contains(true) && Date() < deadline {
            for client in 0..<count where open[client] {
                if answers[client].isEmpty && sent[client] < bodyBytes {
                    var space = UInt8(ascii: " ")
                    if Glibc.send(sockets[client], &space, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) == 1 { sent[client] += 1 }
                }
                let n = recv(sockets[client], &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if n > 0 {
                    answers[client].append(contentsOf: buffer[0..<n])
                    open[client] = !isWholeResponse(answers[client])
                } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                    open[client] = false
                }
            }
            usleep(5_000)
        }
        return answers.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `data` holds a response head and as much body as its Content-Length says.
    private static func isWholeResponse(_ data: Data) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let length = text[..<end.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return text[end.upperBound...].utf8.count >= length
    }

    /// Sends `request` on a new connection and returns everything answered before the close.
    public static func exchange(port: Int, _ request: String) throws -> String {
        try exchange(port: port, Data(request.utf8)).text
    }

    /// Sends `request` on a new connection; what was answered, how the connection ended,
    /// and the connection's local port (the remote port the service saw).
    public static func exchange(port: Int, _ request: Data) throws -> (text: String, ending: Ending, localPort: Int?) {
        let socket = try connect(port: port)
        defer { close(socket) }
        let local = localPort(of: socket)
        // The peer may close before all is sent (a refused header block): what it answered still counts.
        try? send(socket, request)
        let received = read(socket, seconds: 30)
        return (received.text, received.ending, local)
    }
}
