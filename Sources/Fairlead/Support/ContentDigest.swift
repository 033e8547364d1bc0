import Crypto
import FairleadCore
import Foundation

/// SHA-256 fingerprints that make a report verifiable: of the profile, of the data bytes
/// read, and (in the history) of each report.
public enum ContentDigest {
    /// The lowercase hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// The SHA-256 of a file's bytes and its size, read in 1 MiB blocks so that large
    /// files are not held in memory. Only a regular file is read (``RegularFile/open(_:kind:what:)``):
    /// a FIFO put where a fingerprinted file was would wait for a writer forever.
    public static func sha256(ofFile path: String) throws -> (hex: String, bytes: Int) {
        let handle = FileHandle(fileDescriptor: try RegularFile.open(path, kind: .invalidData, what: "file to fingerprint"),
                                closeOnDealloc: true)
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while true {
            let block: Data
            do {
                block = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw FairleadError(.invalidData, "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: path))
            }
            if block.isEmpty { break }
            total += block.count
            hasher.update(data: block)
        }
        return (hex(hasher.finalize()), total)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
