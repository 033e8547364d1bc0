import Crypto
import FairleadCore
import Foundation

/// The API keys `fairlead serve` accepts, read from a file that holds only their SHA-256
/// hashes, one key a line: a name (for logs and rate limits), its scopes and its hash.
///
///     # name      scopes          sha256 of the key
///     crm-prod    explain,leads   sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
///     prometheus  metrics         sha256:fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9
///
/// The hash of a key is `printf %s "$KEY" | sha256sum`. A presented key is hashed and
/// compared with every entry in constant time (docs/service.md#keys).
public struct APIKeys: Sendable {
    /// One key's entry.
    public struct Entry: Sendable, Equatable {
        /// The key's name: logged and rate-limited by, never the key.
        public let name: String
        /// What the key may do.
        public let scopes: Set<APIScope>
        /// SHA-256 of the key.
        public let hash: [UInt8]
    }

    /// The entries, in file order.
    public let entries: [Entry]

    /// The keys of the file at `path`.
    ///
    /// - Throws: `FairleadError(.usage)` naming the file and line for a malformed line, a
    ///   name with a character ``nameProblem(_:)`` refuses, an unknown scope, a repeated
    ///   name or hash, or a file with no key; naming the file when it is missing, not a
    ///   regular file (a FIFO, a device, a directory) or larger than 1 MiB.
    public init(path: String) throws {
        // A regular file only (``RegularFile``): a FIFO would hang the server's start, and
        // a device such as /dev/zero was read whole before its size was checked. The read
        // stops one byte past 1 MiB.
        let descriptor = try RegularFile.open(path, kind: .usage, what: "API keys file")
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data: Data
        do {
            data = try handle.read(upToCount: (1 << 20) + 1) ?? Data()
        } catch {
            throw FairleadError(.usage, "cannot read the API keys file", at: SourceLocation(file: path))
        }
        guard data.count <= 1 << 20 else {
            throw FairleadError(.usage, "the API keys file is larger than 1 MiB", at: SourceLocation(file: path))
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: path)
    }

    /// The keys of `text`, in the file's format; `file` names it in errors.
    public init(text: String, file: String? = nil) throws {
        var entries: [Entry] = []
        // "\r\n" is one Character, never equal to "\n": a file with CRLF line ends splits on it too.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let location = SourceLocation(file: file, line: index + 1)
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 3 else {
                throw FairleadError(.usage, "expected three fields: a name, scopes separated by commas, and sha256:<64 hex digits>", at: location)
            }
            if let problem = Self.nameProblem(fields[0]) { throw FairleadError(.usage, problem, at: location) }
            var scopes = Set<APIScope>()
            for word in fields[1].split(separator: ",") {
                guard let scope = APIScope(rawValue: String(word)) else {
                    throw FairleadError(.usage, "unknown scope '\(MessageQuote.clipped(word))': expected \(APIScope.allCases.map(\.rawValue).joined(separator: ", "))", at: location)
                }
                scopes.insert(scope)
            }
            guard !scopes.isEmpty else { throw FairleadError(.usage, "a key needs at least one scope", at: location) }
            let hex = fields[2].hasPrefix("sha256:") ? String(fields[2].dropFirst(7)) : ""
            guard let hash = Self.bytes(hex: hex), hash.count == 32 else {
                throw FairleadError(.usage, "expected sha256:<64 hex digits> (the key's hash, not the key)", at: location)
            }
            guard !entries.contains(where: { $0.name == fields[0] }) else {
                throw FairleadError(.usage, "the name '\(MessageQuote.clipped(fields[0]))' is used twice", at: location)
            }
            guard !entries.contains(where: { $0.hash == hash }) else {
                throw FairleadError(.usage, "the same key is listed twice", at: location)
            }
            entries.append(Entry(name: fields[0], scopes: scopes, hash: hash))
        }
        guard !entries.isEmpty else {
            throw FairleadError(.usage, "the API keys file lists no key", at: SourceLocation(file: file))
        }
        self.entries = entries
    }

    /// The longest name, in characters.
    public static let longestName = 64

    /// What is wrong with `name` as a key's name, or nil. A name is written into every log
    /// line of its requests and keys the rate limits, so it is plain: ASCII letters, digits
    /// and `- _ . @ : + /`, at most ``longestName`` of them. A control character (ESC would
    /// recolour the terminal reading the log), a format character, `=` or `"` (which would
    /// blur the log's `key=value` fields) or any other character is refused.
    static func nameProblem(_ name: String) -> String? {
        guard name.unicodeScalars.count <= longestName else {
            return "the name '\(MessageQuote.clipped(name))' is longer than \(longestName) characters"
        }
        guard let odd = name.unicodeScalars.first(where: { !isNameCharacter($0) }) else { return nil }
        return "the name '\(MessageQuote.clipped(name))' holds \(MessageQuote.codePoint(odd.value)); "
            + "a key's name is ASCII letters, digits and - _ . @ : + /"
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "@", ":", "+", "/": return true
        default: return false
        }
    }

    /// The entry of `presented`, or nil. Every entry's hash is compared in full, whichever
    /// matches, so the time taken says nothing about the keys.
    public func entry(for presented: String) -> Entry? {
        let digest = Array(SHA256.hash(data: Array(presented.utf8)))
        var found: Entry?
        for entry in entries {
            var difference: UInt8 = 0
            for index in 0..<32 { difference |= entry.hash[index] ^ digest[index] }
            if difference == 0 { found = entry }
        }
        return found
    }

    /// The hash line of a key, as the keys file holds it.
    public static func hashText(of key: String) -> String {
        "sha256:" + SHA256.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
