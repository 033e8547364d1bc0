import Foundation

/// The memory that reading a LightGBM text model takes, counted from its bytes before the
/// text is split into lines, and checked against ``Limits/memoryBudgetBytes``.
///
/// The reader holds the file's bytes and their `String` copy, a slice for each line (and,
/// within a block, its key, value and line number and the key's entry in the tree's key
/// table), and for each number of a value line the parsed number and the node arrays built
/// from it. What that costs follows the lines and the numbers, not the bytes: a file of
/// blank lines costs a slice of 32 bytes for each of its bytes (twice while they are cut), and `0 0 0 …` in a value
/// line an 8-byte number for every 2 bytes before the nodes are built from it. The plan is
/// twice the file's bytes, ``bytesPerLine`` a line and ``bytesPerValue`` a field (a run of
/// bytes between spaces or line ends, `key=value` included):
///
///     let plan = LightGBMMemoryPlan(counting: data)     // one pass, nothing built
///     try plan.check(limits, file: "model.txt")
struct LightGBMMemoryPlan: Sendable, Equatable {
    /// Bytes planned for each line: its slice in the reader's lines (and the slice it was
    /// cut from), a block's key, value and line number, and the key's table entry.
    static let bytesPerLine = 192
    /// Bytes planned for each field: the parsed number, the node arrays built from it
    /// (a tree node's six arrays hold the fields of its four value lines, on average) and
    /// the concatenations that build them.
    static let bytesPerValue = 64

    /// The lines of the text: its line ends, and one more.
    var lines: Int
    /// The fields of the text: runs of bytes other than spaces, tabs and line ends.
    var values: Int
    /// The bytes of the text, held twice while it is read (the data and its `String`).
    var heldBytes: Int

    /// The plan of reading `data`, counted in one pass that builds nothing.
    init(counting data: Data) {
        var lines = 1, values = 0
        data.withUnsafeBytes { bytes in
            var inField = false
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\n"):
                    lines += 1
                    inField = false
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    inField = false
                default:
                    if !inField { values += 1 }
                    inField = true
                }
            }
        }
        self.lines = lines
        self.values = values
        self.heldBytes = data.count
    }

    /// The bytes planned: the text twice, ``bytesPerLine`` a line and ``bytesPerValue`` a field.
    var plannedBytes: Double {
        2 * Double(heldBytes) + Double(lines) * Double(Self.bytesPerLine) + Double(values) * Double(Self.bytesPerValue)
    }

    /// Throws, at `file`, when the plan is above `limits.memoryBudgetBytes` and the grace of
    /// ``Limits/modelPlanGraceBytes``.
    func check(_ limits: Limits, file: String) throws {
        guard limits.refusesModelPlan(plannedBytes) else { return }
        let budget = Double(limits.memoryBudgetBytes)
        throw FairleadError(.invalidModel,
                            "the LightGBM model holds \(lines) lines and \(values) fields in \(heldBytes) bytes, planned at \(Self.bytesPerLine) bytes a line, \(Self.bytesPerValue) a field and twice the file's own bytes to read: about \(Limits.byteCount(plannedBytes)), above the memory budget of \(Limits.byteCount(budget))",
                            at: SourceLocation(file: file), limit: .memoryBudgetBytes)
    }
}
