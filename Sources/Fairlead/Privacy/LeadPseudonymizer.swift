import Crypto
import FairleadCore
import Foundation

/// Keyed pseudonyms of lead ids (`privacy.pseudonymize_ids`, docs/privacy.md): the id's
/// UTF-8 bytes through HMAC-SHA-256 (RFC 2104, FIPS 198-1) under a secret key, written as
/// 64 lowercase hexadecimal digits — the whole tag, not truncated, so that two ids never
/// share a pseudonym in practice and the pseudonym is a join key as good as the id.
///
///     let pseudonyms = try LeadPseudonymizer(key: Array("a key of at least 16 bytes".utf8))
///     pseudonyms.pseudonym("L0000042")   // 64 hex digits; the same for the same key and id
///
/// Without the key nobody can compute an id's pseudonym, so a reader of the output cannot
/// look a known id up in it; whoever holds the key can. The key is never written anywhere.
public struct LeadPseudonymizer: Sendable {
    /// The algorithm, as reports name it.
    public static let algorithm = "HMAC-SHA-256"
    /// The shortest key accepted, in bytes (128 bits).
    public static let minimumKeyBytes = 16

    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per call).
    private let key: [UInt8]

    /// A pseudonymizer under `key`.
    ///
    /// - Throws: `FairleadError(.usage)` when the key is shorter than ``minimumKeyBytes``.
    public init(key: [UInt8]) throws {
        guard key.count >= Self.minimumKeyBytes else {
            throw FairleadError(.usage, "the pseudonym key is \(key.count) byte\(key.count == 1 ? "" : "s") long; it must have at least \(Self.minimumKeyBytes)")
        }
        self.key = key
    }

    /// The tag of `bytes` as 64 lowercase hexadecimal digits.
    public func pseudonym(bytes: some DataProtocol) -> String {
        let tag = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: key))
        return tag.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
        }.joined()
    }

    /// The pseudonym of the lead id `id` (its UTF-8 bytes, as read from the file).
    public func pseudonym(_ id: String) -> String {
        pseudonym(bytes: Array(id.utf8))
    }
}

/// Where the pseudonym key comes from (`privacy.pseudonym_key`): a file, or an
/// environment variable. Neither the key nor the variable's value is ever printed.
public enum PseudonymKeySource: Sendable, Equatable {
    /// A file, resolved relative to the profile that names it (`location`'s file) and
    /// confined to that profile's folder tree and the allowed folders.
    case file(path: String, location: SourceLocation)
    /// An environment variable's value.
    case environment(name: String, location: SourceLocation)

    /// The longest key file read, in bytes.
    public static let maximumFileBytes = 4096

    /// The key's bytes: the file's (one trailing line feed, or CR LF, removed) or the
    /// variable's value.
    ///
    /// - Throws: `FairleadError(.invalidProfile)` naming the profile key for a file
    ///   outside the allowed folders, missing, not a regular file (a directory, a FIFO or
    ///   a device is refused before it is opened), longer than ``maximumFileBytes``, or
    ///   empty; for a variable that is unset or empty; and for a key shorter than
    ///   ``LeadPseudonymizer/minimumKeyBytes``.
    public func load(reading: ProfileReading = ProfileReading(),
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LeadPseudonymizer {
        var bytes: [UInt8]
        let field = "privacy.pseudonym_key"
        switch self {
        case .environment(let name, let location):
            guard let value = environment[name], !value.isEmpty else {
                throw FairleadError(.invalidProfile, "the environment variable \(MessageQuote.clipped(name)) holding the pseudonym key is \(environment[name] == nil ? "not set" : "empty")",
                                    at: SourceLocation(file: location.file, line: location.line, column: location.column, field: field + ".env"))
            }
            bytes = Array(value.utf8)
        case .file(let path, let location):
            let at = SourceLocation(file: location.file, line: location.line, column: location.column, field: field + ".file")
            let folder = location.file.map { ($0 as NSString).deletingLastPathComponent } ?? "."
            let folders = ([folder.isEmpty ? "." : folder] + reading.allowedFolders).map(AuditProfile.Confinement.realPath)
            let real = AuditProfile.Confinement.realPath(path)
            let inside = folders.contains { folder in
                folder == "/" || real == folder || real.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
            }
            guard inside else {
                throw FairleadError(.invalidProfile, "the pseudonym key file '\(MessageQuote.clipped(path, limit: 200))' lies outside the profile's folder or an allowed one, so it was not read", at: at)
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw FairleadError(.invalidProfile, "the pseudonym key file '\(MessageQuote.clipped(path, limit: 200))' does not exist", at: at)
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                let kind = info.st_mode & S_IFMT == S_IFDIR ? "a directory" : info.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : "not a regular file"
                throw FairleadError(.invalidProfile, "the pseudonym key file '\(MessageQuote.clipped(path, limit: 200))' is \(kind); it must be a regular file", at: at)
            }
            var limits = Limits()
            limits.maxFileBytes = Self.maximumFileBytes
            do {
                bytes = [UInt8](try BoundedFile.read(path, limits: limits, kind: .invalidProfile, what: "pseudonym key file"))
            } catch let error as FairleadError {
                throw FairleadError(.invalidProfile, error.message, at: at)
            }
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        guard bytes.count >= LeadPseudonymizer.minimumKeyBytes else {
            let at: SourceLocation
            switch self {
            case .file(_, let location), .environment(_, let location): at = SourceLocation(file: location.file, line: location.line, column: location.column, field: field)
            }
            throw FairleadError(.invalidProfile, "the pseudonym key is \(bytes.isEmpty ? "empty" : "\(bytes.count) byte\(bytes.count == 1 ? "" : "s") long"); it must have at least \(LeadPseudonymizer.minimumKeyBytes)", at: at)
        }
        return try LeadPseudonymizer(key: bytes)
    }
}
