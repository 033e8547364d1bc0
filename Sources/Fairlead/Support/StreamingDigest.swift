import Crypto
import FairleadCore

/// The SHA-256 and size of a data input, computed from its bytes as ``CSVReader`` streams
/// them: the audit reads its data once and fingerprints what it read, with no second
/// open (so standard input and named pipes work).
///
///     let digest = StreamingDigest()
///     let table = try CSVReader.read(.file("leads.csv.gz"), columns: { _ in nil }, observer: digest)
///     digest.fingerprint.hex        // = `sha256sum leads.csv.gz`: the bytes as stored
///
/// A gzip file is fingerprinted as stored (compressed), as ``ContentDigest/sha256(ofFile:)``
/// does, so both give what `sha256sum` prints for the file; ``contentSHA256`` is the
/// SHA-256 of what it inflates to, the CSV read (`gunzip -c leads.csv.gz | sha256sum`),
/// so that a shard and its gzip copy are known for the same rows.
///
/// The bytes are hashed in the call, on the thread that makes it: on one thread, as the
/// reader reads; on several, as a task of the read's steps beside the columns' commits
/// (``CSVReader``), so the hash takes none of the threads `--threads` does not give.
/// For the 10M-lead file (961 MB) it is about 0.7 s of CPU.
final class StreamingDigest: CSVByteObserver, @unchecked Sendable {
    // The reader calls `observe` one call at a time; call `fingerprint` after the read.
    private var hasher = SHA256()
    private var count = 0
    /// Of the inflated bytes; `nil` until a gzip input shows some (or its end).
    private var inflated: SHA256?

    func observe(_ bytes: UnsafeRawBufferPointer) {
        count += bytes.count
        hasher.update(bufferPointer: bytes)
    }

    func observeInflated(_ bytes: UnsafeRawBufferPointer) {
        if inflated == nil { inflated = SHA256() }
        inflated?.update(bufferPointer: bytes)
    }

    /// The lowercase hex SHA-256 of the bytes seen so far, and how many.
    var fingerprint: (hex: String, bytes: Int) {
        (ContentDigest.hex(hasher.finalize()), count)
    }

    /// The lowercase hex SHA-256 of the CSV bytes read: those a gzip input inflated to,
    /// `nil` for an input read as stored (its ``fingerprint`` is the same digest).
    var contentSHA256: String? {
        inflated.map { ContentDigest.hex($0.finalize()) }
    }
}
