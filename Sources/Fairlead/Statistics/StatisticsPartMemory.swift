import FairleadCore

/// The memory that reading statistics parts is planned to take, checked against
/// ``Limits/memoryBudgetBytes`` before each part is decoded.
///
/// A part is read whole and decoded, and every part of an audit is held until they merge,
/// so what a part costs follows the JSON values it holds, not its bytes: a compact part
/// of small numbers (`0,0,0,…`, two bytes a value) took ten times its bytes. Measured
/// with `/usr/bin/time` on parts of a 100,000-cell score grid over the 1M-lead file
/// (docs/scale.md): one part of 5.1 million values (objects, arrays, numbers) peaked 265 MiB
/// above the process's start (54 bytes a value: the decoder's working copy beside the
/// part), four such parts together 657 MiB (34 bytes a value). A long string costs by its
/// bytes: one of 200 MB peaked at 635 MB (3.2 bytes a byte: the file, the decoder's copy
/// and the part's), and is copied again into the report. The plan is ``bytesPerValue``
/// for every value of every part read, an upper bound on both, and
/// ``bytesPerTextByte`` for every byte of their strings.
public struct StatisticsPartMemory: Sendable {
    /// Bytes planned for each JSON value of a part: ``JSONMemoryPlan``'s rate.
    public static var bytesPerValue: Int { JSONMemoryPlan.bytesPerValue }
    /// Bytes planned for each byte of a part's strings (keys included): ``JSONMemoryPlan``'s rate.
    public static var bytesPerTextByte: Int { JSONMemoryPlan.bytesPerTextByte }

    public let limits: Limits
    /// The values of the parts admitted so far.
    public private(set) var values = 0
    /// The bytes of the strings of the parts admitted so far.
    public private(set) var textBytes = 0
    /// The parts admitted so far.
    public private(set) var parts = 0

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Admits a part of `count` values, `text` bytes of them in strings, from `file`, or
    /// throws naming the memory budget when the parts read so far and this one are
    /// planned above it.
    public mutating func admit(values count: Int, textBytes text: Int = 0, file: String) throws {
        let total = values + count, totalText = textBytes + text
        let planned = JSONMemoryPlan(values: total, textBytes: totalText).plannedBytes
        guard planned <= Double(limits.memoryBudgetBytes) else {
            let whose = parts == 0 ? "the statistics part holds" : "with this part, the \(parts + 1) statistics parts hold"
            throw FairleadError(.invalidData,
                                "\(whose) \(total) JSON values and \(totalText) bytes of text, planned at \(Self.bytesPerValue) bytes a value and \(Self.bytesPerTextByte) a byte of text to read and merge: about \(Limits.byteCount(planned)), above the memory budget of \(Limits.byteCount(Double(limits.memoryBudgetBytes)))",
                                at: SourceLocation(file: file), limit: .memoryBudgetBytes)
        }
        values = total
        textBytes = totalText
        parts += 1
    }
}
