import Foundation

/// The memory that decoding a JSON text whole with `JSONDecoder` is planned to take,
/// counted from its bytes before the decoder runs and checked against
/// ``Limits/memoryBudgetBytes``.
///
/// `JSONDecoder` first lays out a map of every value of the text and then builds the
/// decoded value beside it, so what a decode costs follows the values the text holds, not
/// its bytes: a 100 MB report padded with `0,` (two bytes a value) peaked at 1.3 GB, and a
/// report of 10,000 groups of the same size at 0.4 GB (docs/security-limits.md, "Memory
/// planned for JSON files"). The plan is ``bytesPerValue`` for every value (keys
/// included), ``bytesPerTextByte`` for every byte of the strings, and the text itself,
/// which is held while it is decoded:
///
///     let plan = JSONMemoryPlan(counting: data)          // one pass, nothing built
///     try plan.check(limits, file: "report.json", what: "the report", kind: .invalidData)
public struct JSONMemoryPlan: Sendable, Equatable {
    /// Bytes planned for each JSON value: the decoder's map entry of it (up to six words,
    /// with the map's growth) and what it decodes into.
    public static let bytesPerValue = 64
    /// Bytes planned for each byte of a string (keys and quotes included): the decoder's
    /// copy, the decoded `String` and a rendering of it.
    public static let bytesPerTextByte = 4

    /// The JSON values: objects, arrays, strings (keys too), numbers and literals.
    public var values: Int
    /// The bytes of the strings, their quotes included.
    public var textBytes: Int
    /// The bytes of the text, held while it is decoded.
    public var heldBytes: Int

    public init(values: Int, textBytes: Int, heldBytes: Int = 0) {
        self.values = values
        self.textBytes = textBytes
        self.heldBytes = heldBytes
    }

    /// The plan of decoding `data`, counted in one pass that builds nothing. The grammar
    /// is not checked (the decoder does that); a broken text is counted up to its end,
    /// every run of number or literal characters outside strings as one value.
    public init(counting data: Data) {
        let (values, textBytes) = data.withUnsafeBytes { Self.count(UnsafeRawBufferPointer($0)) }
        self.init(values: values, textBytes: textBytes, heldBytes: data.count)
    }

    /// The bytes planned: the text, ``bytesPerValue`` a value and ``bytesPerTextByte`` a
    /// byte of its strings.
    public var plannedBytes: Double {
        Double(heldBytes) + Double(values) * Double(Self.bytesPerValue) + Double(textBytes) * Double(Self.bytesPerTextByte)
    }

    /// Throws, at `file`, when the plan is above `limits.memoryBudgetBytes`: `what` says
    /// what would be decoded ("the report"), `kind` what kind of input it is.
    public func check(_ limits: Limits, file: String, what: String, kind: FairleadError.Kind) throws {
        let budget = Double(limits.memoryBudgetBytes)
        guard plannedBytes > budget else { return }
        throw FairleadError(kind,
                            "\(what) holds \(values) JSON values and \(textBytes) bytes of text in \(heldBytes) bytes, planned at \(Self.bytesPerValue) bytes a value, \(Self.bytesPerTextByte) a byte of text and the file's own bytes to decode: about \(Limits.byteCount(plannedBytes)), above the memory budget of \(Limits.byteCount(budget))",
                            at: SourceLocation(file: file), limit: .memoryBudgetBytes)
    }

    private static func count(_ bytes: UnsafeRawBufferPointer) -> (values: Int, textBytes: Int) {
        var values = 0, textBytes = 0
        var index = 0
        var inScalar = false
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                values += 1
                inScalar = false
                let opening = index
                index += 1
                while index < count {
                    let inner = bytes[index]
                    if inner == UInt8(ascii: "\"") { break }
                    index += inner == UInt8(ascii: "\\") ? 2 : 1
                }
                index = min(index + 1, count)
                textBytes += index - opening
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                values += 1
                inScalar = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x09, 0x0A, 0x0D:
                inScalar = false
            default:
                // A number, `true`, `false`, `null`, or a stray byte: one value per run.
                if !inScalar { values += 1 }
                inScalar = true
            }
            index += 1
        }
        return (values, textBytes)
    }
}
