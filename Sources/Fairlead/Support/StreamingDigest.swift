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
/// does, so both give what `sha256sum` prints for the file.
final class StreamingDigest: CSVByteObserver {
    private var hasher = SHA256()
    private var count = 0

    func observe(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
        count += bytes.count
    }

    /// The lowercase hex SHA-256 of the bytes seen so far, and how many.
    var fingerprint: (hex: String, bytes: Int) {
        (ContentDigest.hex(hasher.finalize()), count)
    }
}
