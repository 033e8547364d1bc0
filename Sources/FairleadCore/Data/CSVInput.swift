/// Where ``CSVReader/read(_:columns:options:observer:)`` reads a CSV from: a file (plain
/// or gzip, a regular file or a named pipe) or the process's standard input.
///
///     let table = try CSVReader.read(.standardInput, columns: { header in
///         header.filter { $0.hasPrefix("score") }.map { ColumnRequest($0, type: .numeric) }
///     })
///
/// The input is read once, from start to end. A regular file can also be read a second
/// time (for a column whose type changes from numbers to text, see ``CSVReader``); a
/// pipe or standard input cannot.
public enum CSVInput: Sendable, Hashable {
    /// The file at a path.
    case file(String)
    /// The process's standard input (file descriptor 0), read from where it stands.
    case standardInput
    /// The read end of a pipe that another part of the process writes CSV into (a
    /// database's rows, streamed), named in messages by `name`. The reader owns the
    /// descriptor and closes it when done, so a writer still writing then fails (`EPIPE`)
    /// instead of waiting.
    case descriptor(Int32, name: String)

    /// How messages name the input: the path, or `standard input`.
    public var name: String {
        switch self {
        case .file(let path): path
        case .standardInput: "standard input"
        case .descriptor(_, let name): name
        }
    }
}

/// Sees every byte of a ``CSVInput`` as it is read, once, in order, before any gzip
/// decoding: the bytes as stored, so that a digest of them equals that of the file
/// (`sha256sum leads.csv.gz`).
///
/// The reader calls ``observe(_:)`` one call at a time, never concurrently; reading on
/// several threads, successive calls may come from different threads (each one after
/// the last has returned, with its writes visible). A second pass over a regular file
/// (``CSVReader``'s re-read of a column) is not observed.
///
/// A gzip input's inflated bytes — what is read as CSV — are shown too, to
/// ``observeInflated(_:)``: two shards of the same rows, one plain and one gzip, differ
/// as stored and agree as read.
public protocol CSVByteObserver: AnyObject {
    /// The next bytes of the input; the buffer is valid during the call only.
    func observe(_ bytes: UnsafeRawBufferPointer)
    /// The next bytes a gzip input inflates to, in order, one call per read of the
    /// inflated stream (so at least one, with no bytes when it inflates to none): for
    /// gzip input only, one call at a time. The buffer is valid during the call only.
    /// Default: nothing.
    func observeInflated(_ bytes: UnsafeRawBufferPointer)
}

extension CSVByteObserver {
    public func observeInflated(_ bytes: UnsafeRawBufferPointer) {}
}
