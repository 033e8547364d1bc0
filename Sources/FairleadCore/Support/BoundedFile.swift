import Foundation

/// Reads a file that must be held whole (a model, a saved report) without letting the file
/// decide how much memory that takes: the bytes are read in chunks and the read stops as
/// soon as they pass ``Limits/maxFileBytes``. A 40 GB file named by mistake, or one that
/// grows as it is read, stops with an error naming the limit, after reading at most one
/// chunk past it. Only a regular file is read (``RegularFile``): a named pipe, which
/// would wait for a writer, a device that never ends (`/dev/zero`), a socket or a
/// directory is refused by what it is, before it is read.
///
///     let data = try BoundedFile.read("model.json", limits: limits, kind: .invalidModel, what: "model file")
public enum BoundedFile {
    /// Bytes read per call: large enough that a 100 MB model takes a hundred reads.
    static let chunkBytes = 1 << 20

    /// The bytes of `path`, at most `limits.maxFileBytes` of them.
    ///
    /// - Parameters:
    ///   - kind: the error kind for a file that is missing, unreadable, a directory or empty.
    ///   - what: what the file is, for messages ("model file", "baseline report").
    /// - Throws: `FairleadError(kind)` naming the file when it does not exist, is not a
    ///   regular file (a directory, a FIFO, a device, a socket), cannot be read or is empty; `FairleadError(.usage, limit: .maxFileBytes)`
    ///   when it holds more than the limit.
    ///   - text: what text the file holds ("JSON or CSV text"), or `nil` for a file that
    ///     may be binary (an ONNX model, a key): a file of text whose first bytes show binary
    ///     data (``BinaryContent``: `/dev/urandom`, a database) is refused then, not after
    ///     reading it up to the limit. Gzip and UTF-16 or UTF-32 text are left to the caller.
    public static func read(_ path: String, limits: Limits = Limits(), kind: FairleadError.Kind, what: String,
                            text expected: String? = nil) throws -> Data {
        // A FIFO, a device, a socket or a directory is refused before it is read (a FIFO
        // before it is opened, which would wait for a writer): ``RegularFile``.
        let descriptor = try RegularFile.open(path, kind: kind, what: what)
        defer { close(descriptor) }
        return try read(descriptor: descriptor, name: path, limits: limits, kind: kind, what: what, text: expected)
    }

    /// ``read(_:limits:kind:what:text:)`` of standard input, which the user chose to give
    /// (`render -`): a pipe is what it usually is, and is read as it comes, within the same
    /// limit; messages name it `name`.
    public static func readStandardInput(name: String = "standard input", limits: Limits = Limits(), kind: FairleadError.Kind,
                                         what: String, text expected: String? = nil) throws -> Data {
        try read(descriptor: STDIN_FILENO, name: name, limits: limits, kind: kind, what: what, text: expected)
    }

    /// The bytes of `descriptor` (not closed here), within `limits.maxFileBytes`.
    private static func read(descriptor: Int32, name path: String, limits: Limits, kind: FairleadError.Kind, what: String,
                             text expected: String?) throws -> Data {
        let location = SourceLocation(file: path)
        let limit = max(0, limits.maxFileBytes)
        var data = Data()
        // A regular file's size is known: holding it from the start spares the copies of a
        // growing buffer (each doubling held the old bytes and twice them at once).
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_size > 0 {
            data.reserveCapacity(Int(min(Int64(status.st_size), Int64(limit))))
        }
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FairleadError(kind, "cannot read the \(what): \(String(cString: strerror(errno)))", at: location)
            }
            if count == 0 { break }
            guard data.count + count <= limit else {
                throw FairleadError(.usage, "the \(what) holds more than the limit of \(Limits.byteCount(Double(limit)))",
                                    at: location, limit: .maxFileBytes)
            }
            let first = data.isEmpty
            data.append(contentsOf: chunk[0..<count])
            if first, let expected, !data.starts(with: [0x1F, 0x8B]), ForeignTextEncoding.detect(data) == nil {
                if let content = BinaryContent.detect(data.prefix(4096)) {
                    throw content.refusal(of: path, expected: expected, kind: kind)
                }
                // Random bytes (`/dev/urandom`) may hold no NUL early: they are not UTF-8.
                if !isUTF8(data.prefix(4096)) {
                    throw FairleadError(kind, "the file looks like binary data (its first bytes are not UTF-8 text), not \(expected)",
                                        at: location)
                }
            }
        }
        guard !data.isEmpty else {
            throw FairleadError(kind, "the \(what) is empty", at: location)
        }
        return data
    }

    /// What the gzip file `path` inflates to, at most `limits.maxFileBytes` of it, held to
    /// the limits of a gzip input (its inflated bytes and compression ratio).
    ///
    /// - Throws: `FairleadError(.usage, limit: .maxFileBytes)` past the limit; the gzip
    ///   reader's errors for a truncated or corrupt stream or a bomb.
    public static func inflated(_ path: String, limits: Limits = Limits(), kind: FairleadError.Kind, what: String) throws -> Data {
        let descriptor = try RegularFile.open(path, kind: kind, what: what)
        // The source owns the descriptor and closes it.
        let source = try openByteSource(.descriptor(descriptor, name: path), limits: limits)
        let limit = max(0, limits.maxFileBytes)
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            guard data.count + count <= limit else {
                throw FairleadError(.usage, "the \(what) inflates to more than the limit of \(Limits.byteCount(Double(limit)))",
                                    at: SourceLocation(file: path), limit: .maxFileBytes)
            }
            data.append(contentsOf: chunk[0..<count])
        }
        guard !data.isEmpty else { throw FairleadError(kind, "the \(what) inflates to nothing", at: SourceLocation(file: path)) }
        return data
    }

    /// Whether `bytes`, the start of a text, are UTF-8: a character cut at their end (up to
    /// three bytes, where a read stopped) does not count; the whole text's reader judges it.
    static func isUTF8(_ bytes: Data) -> Bool {
        for cut in 0...min(3, bytes.count) where String(bytes: bytes.dropLast(cut), encoding: .utf8) != nil {
            return true
        }
        return false
    }
}
