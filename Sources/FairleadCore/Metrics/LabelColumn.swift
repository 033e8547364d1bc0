/// Observed 0/1 outcomes, one byte per row: 0, 1, or ``missingCode`` for a missing label.
///
/// The metrics read labels as a byte per row instead of an 8-byte Double: at 10M rows,
/// 10 MB instead of 76 MiB, for every pass that reads them (group statistics, the lead
/// queue's sort). Read as a collection, a row's label is a Double again: 0, 1, or NaN.
///
/// Values that are neither 0, 1 nor missing are kept, so that the pass that reads the
/// row names it and its value (``GroupStats/accumulate(_:rule:grouping:scoreRange:rows:threads:)``
/// throws for the lowest such row, as for a bad score or weight): such a column holds its
/// values as given beside the codes.
///
///     let labels: LabelColumn = [1, 0, .nan]
///     labels.codes        // [1, 0, 2]
///     labels[2].isNaN     // true
public struct LabelColumn: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The code of a missing label.
    public static let missingCode: UInt8 = 2
    /// The code of a value other than 0, 1 or missing; its value is in ``givenValues``.
    static let invalidCode: UInt8 = 3

    /// Per row: 0, 1, ``missingCode``, or 3 for a value other than those (read it by subscript).
    public let codes: [UInt8]
    /// The values as given, kept only when one of them is not 0, 1 or NaN.
    let givenValues: [Double]?

    /// Labels from their codes; each must be 0, 1 or ``missingCode``.
    public init(codes: [UInt8]) {
        precondition(codes.allSatisfy { $0 <= Self.missingCode }, "a label code is 0, 1 or LabelColumn.missingCode")
        self.codes = codes
        self.givenValues = nil
    }

    /// Labels from Doubles: 0, 1, NaN for missing. Any other value is kept as given and
    /// refused, naming its row, by the pass that reads it.
    public init(_ values: [Double]) {
        var valid = true
        let codes = [UInt8](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            values.withUnsafeBufferPointer { values in
                for row in values.indices {
                    let value = values[row]
                    let code: UInt8 = value == 0 ? 0 : value == 1 ? 1 : value.isNaN ? Self.missingCode : Self.invalidCode
                    valid = valid && code != Self.invalidCode
                    buffer[row] = code
                }
            }
            initialized = values.count
        }
        self.codes = codes
        self.givenValues = valid ? nil : values
    }

    public init(arrayLiteral elements: Double...) {
        self.init(elements)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { codes.count }

    /// The label of `row`: 0, 1, NaN when missing, or the value as given (what an error
    /// message shows).
    public subscript(row: Int) -> Double {
        switch codes[row] {
        case 0: return 0
        case 1: return 1
        case Self.missingCode: return .nan
        default: return givenValues![row]
        }
    }

    /// The labels as Doubles (0, 1, NaN), for the few paths that need them so.
    public var values: [Double] { givenValues ?? map { $0 } }

    public static func == (lhs: LabelColumn, rhs: LabelColumn) -> Bool {
        guard lhs.codes == rhs.codes else { return false }
        guard let left = lhs.givenValues, let right = rhs.givenValues else { return true }
        return zip(left, right).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
}
