#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// A stream of a file's bytes: the file itself, or what a gzip file inflates to.
protocol _ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; returns how many, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// The size of the file on disk, for a first estimate of the row count.
    var fileSize: Int? { get }
    /// Whether the bytes are inflated from gzip.
    var isCompressed: Bool { get }
    /// Whether the input is a regular file, which can be opened and read again (a pipe
    /// or standard input cannot).
    var isRegularFile: Bool { get }
}

/// Opens `input`, choosing gzip decoding when it starts with the gzip magic bytes. The
/// magic is peeked by reading (not `pread`), so pipes and standard input work too; the
/// bytes peeked are handed out again by the first reads. `observer` sees every byte read
/// from the input, as stored, and a gzip input's inflated bytes too (``CSVByteObserver/observeInflated(_:)``).
/// Gzip input is held to `limits`' inflated bytes and ratio.
func openByteSource(_ input: CSVInput, limits: Limits = Limits(),
                    observer: (any CSVByteObserver)? = nil) throws -> _ByteSource {
    let file = try _FileSource(input, observer: observer)
    let magic = try file.peek(2)
    if magic == [0x1F, 0x8B] {
        return try _GzipSource(file: file, path: input.name, limits: limits, observer: observer)
    }
    return file
}

/// `read(2)`, named apart from the sources' own `read(into:)`.
private func readFile(_ descriptor: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, base, count)
}

private func systemMessage() -> String {
    String(cString: strerror(errno))
}

/// A file, a named pipe or standard input, read with `read(2)`.
final class _FileSource: _ByteSource {
    let descriptor: Int32
    let path: String
    let fileSize: Int?
    /// Whether the input is a regular file (which can be opened and read again).
    let isRegularFile: Bool
    var isCompressed: Bool { false }
    private let observer: (any CSVByteObserver)?
    /// While set, bytes read are not shown to the observer as they are read: the reader
    /// shows them later, from its buffer (``deferObserving()``).
    private var observingDeferred = false
    private let closesDescriptor: Bool
    /// Bytes read ahead by ``peek(_:)``, handed out before reading on.
    private var peeked: [UInt8] = []

    init(_ input: CSVInput, observer: (any CSVByteObserver)?) throws {
        let descriptor: Int32
        let owned: Bool
        switch input {
        case .file(let path):
            // The system would read the path only up to a NUL: another file.
            if let problem = RegularFile.nulProblem(in: path) {
                throw FairleadError(.invalidData, problem, at: SourceLocation(file: path))
            }
            descriptor = open(path, O_RDONLY)
            owned = true
        case .standardInput:
            descriptor = STDIN_FILENO
            owned = false
        case .descriptor(let given, _):
            descriptor = given
            owned = true
        }
        let path = input.name
        guard descriptor >= 0 else {
            throw FairleadError(.invalidData, "cannot read the file: \(systemMessage())", at: SourceLocation(file: path))
        }
        var status = stat()
        let known = fstat(descriptor, &status) == 0
        if known, (status.st_mode & S_IFMT) == S_IFDIR {
            if owned { close(descriptor) }
            throw FairleadError(.invalidData, "cannot read the file: it is a directory", at: SourceLocation(file: path))
        }
        let isRegularFile = known && (status.st_mode & S_IFMT) == S_IFREG
        self.descriptor = descriptor
        self.closesDescriptor = owned
        self.path = path
        self.isRegularFile = isRegularFile
        self.fileSize = isRegularFile && status.st_size > 0 ? Int(status.st_size) : nil
        self.observer = observer
    }

    deinit {
        if closesDescriptor { close(descriptor) }
    }

    /// The first `count` bytes (fewer when the input is shorter), kept to be read again.
    func peek(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try bytes.withUnsafeMutableBytes { buffer in
                try readDescriptor(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            if read == 0 { break }
            filled += read
        }
        peeked = Array(bytes[..<filled])
        return peeked
    }

    /// Stops showing the observer the bytes read, when there is one and every byte read
    /// so far was shown (none peeked and not yet handed out); returns whether it did. The
    /// caller then shows it every byte read from now on, in the order read, from where
    /// they were read into — on whichever thread — and calls ``resumeObserving()`` after.
    func deferObserving() -> Bool {
        guard observer != nil, peeked.isEmpty else { return false }
        observingDeferred = true
        return true
    }

    /// Shows the observer the bytes read from now on, as they are read.
    func resumeObserving() {
        observingDeferred = false
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !buffer.isEmpty else { return 0 }
        if !peeked.isEmpty {
            let count = min(peeked.count, buffer.count)
            peeked.withUnsafeBytes { bytes in buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[..<count])) }
            peeked.removeFirst(count)
            return count
        }
        return try readDescriptor(into: buffer)
    }

    /// `read(2)` into `buffer`, retried on EINTR; the bytes read go to the observer.
    private func readDescriptor(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            let count = readFile(descriptor, base, buffer.count)
            if count > 0, !observingDeferred { observer?.observe(UnsafeRawBufferPointer(start: base, count: count)) }
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw FairleadError(.invalidData, "cannot read the file: \(systemMessage())", at: SourceLocation(file: path))
        }
    }
}

/// A gzip file (one or more members, RFC 1952) inflated as it is read, by zlib.
///
/// A gzip bomb (a few MB that inflate to many GB) stops early: the bytes inflated are held
/// to ``Limits/maxDecompressedBytes``, and once ``Limits/compressionRatioGrace`` bytes
/// are out, to ``Limits/maxCompressionRatio`` times the compressed bytes read. Memory is
/// the caller's buffer either way: nothing is inflated ahead.
final class _GzipSource: _ByteSource {
    private let file: _FileSource
    private let path: String
    private let limits: Limits
    /// Sees the inflated bytes as they are handed out.
    private let observer: (any CSVByteObserver)?
    /// Bytes read from the file, and handed out inflated, over every member.
    private var compressedBytes = 0
    private var inflatedBytes = 0
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var finished = false
    var fileSize: Int? { nil }
    var isCompressed: Bool { true }
    var isRegularFile: Bool { file.isRegularFile }

    init(file: _FileSource, path: String, limits: Limits, observer: (any CSVByteObserver)? = nil) throws {
        self.file = file
        self.path = path
        self.limits = limits
        self.observer = observer
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        guard fairlead_inflate_init_gzip(&stream) == Z_OK else {
            input.deallocate()
            throw FairleadError(.internalFailure, "zlib could not start inflating", at: SourceLocation(file: path))
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty, !finished else { return 0 }
        stream.next_out = base.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0, !inputEnded {
                let count = try file.read(into: input)
                compressedBytes += count
                if count == 0 {
                    inputEnded = true
                } else {
                    stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = uInt(count)
                }
            }
            if stream.avail_in == 0, inputEnded {
                // Input ended: fine between members, truncation inside one.
                if stream.total_in > 0, !atMemberBoundary {
                    throw FairleadError(.invalidData, "the gzip stream is truncated", at: SourceLocation(file: path))
                }
                finished = true
                break
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                atMemberBoundary = false
            case Z_STREAM_END:
                atMemberBoundary = true
                inflateReset(&stream)
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                throw FairleadError(.invalidData, "the gzip data is corrupt: \(detail)", at: SourceLocation(file: path))
            }
        }
        let produced = buffer.count - Int(stream.avail_out)
        inflatedBytes += produced
        try checkLimits()
        observer?.observeInflated(UnsafeRawBufferPointer(start: base, count: produced))
        return produced
    }

    /// Throws once the bytes inflated pass either limit.
    private func checkLimits() throws {
        if inflatedBytes > limits.maxDecompressedBytes {
            throw FairleadError(.invalidData, "the gzip data inflates to more than "
                                + "\(Limits.byteCount(Double(limits.maxDecompressedBytes))) (the max_decompressed_bytes limit)",
                                at: SourceLocation(file: path), limit: .maxDecompressedBytes)
        }
        // The ratio is of the compressed bytes inflated so far, not of those read ahead.
        let consumed = compressedBytes - Int(stream.avail_in)
        if inflatedBytes > Limits.compressionRatioGrace,
           inflatedBytes / max(consumed, 1) > limits.maxCompressionRatio {
            throw FairleadError(.invalidData, "the gzip data inflates more than \(limits.maxCompressionRatio) times its size "
                                + "(\(Limits.byteCount(Double(consumed))) gave \(Limits.byteCount(Double(inflatedBytes)))"
                                + " so far): a gzip bomb, or data far more repetitive than CSV (the max_compression_ratio limit)",
                                at: SourceLocation(file: path), limit: .maxCompressionRatio)
        }
    }

    private var atMemberBoundary = false
}
