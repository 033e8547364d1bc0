/// A sensitive attribute's code per row: an index into its levels, or -1 for a missing
/// value; read as a collection of `Int32`.
///
/// Held as a byte per row when every code fits (levels 0...254, ``narrowMissing`` for a
/// missing value), as an `Int32` per row otherwise: at 10M rows, 10 MB instead of 38 MiB
/// for an attribute such as gender or ethnicity. The passes over rows read the bytes
/// as they are (``withCodeBuffer(narrow:wide:)``).
///
///     let codes: AttributeCodes = [0, 1, -1]
///     codes.isNarrow    // true
///     codes[2]          // -1
public struct AttributeCodes: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The byte of a missing value when the codes are held as bytes.
    public static let narrowMissing: UInt8 = .max

    enum Storage: Sendable {
        case narrow([UInt8])
        case wide([Int32])
    }

    let storage: Storage

    /// The codes as given; held as bytes when every one is -1 or within 0...254.
    public init(_ codes: [Int32]) {
        let fits = codes.withUnsafeBufferPointer { codes in
            var low: Int32 = 0
            var high: Int32 = -1
            for code in codes {
                low = Swift.min(low, code)
                high = Swift.max(high, code)
            }
            return low >= -1 && high < Int32(Self.narrowMissing)
        }
        guard fits else {
            storage = .wide(codes)
            return
        }
        storage = .narrow([UInt8](unsafeUninitializedCapacity: codes.count) { buffer, initialized in
            codes.withUnsafeBufferPointer { codes in
                for row in codes.indices {
                    let code = codes[row]
                    buffer[row] = code < 0 ? Self.narrowMissing : UInt8(truncatingIfNeeded: code)
                }
            }
            initialized = codes.count
        })
    }

    /// Codes already a byte per row: a level's index, or ``narrowMissing``.
    public init(narrow codes: [UInt8]) {
        storage = .narrow(codes)
    }

    /// Codes held as `Int32`s whatever they are (tests compare both storages).
    init(wide codes: [Int32]) {
        storage = .wide(codes)
    }

    public init(arrayLiteral elements: Int32...) {
        self.init(elements)
    }

    /// Whether the codes are held as a byte per row.
    public var isNarrow: Bool {
        if case .narrow = storage { return true }
        return false
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .narrow(let codes): return codes.count
        case .wide(let codes): return codes.count
        }
    }

    /// The code of `row`: a level's index, or -1 when missing.
    public subscript(row: Int) -> Int32 {
        switch storage {
        case .narrow(let codes): return Int32(narrow: codes[row])
        case .wide(let codes): return codes[row]
        }
    }

    /// The codes as `Int32`s, for the paths that need an array of them.
    public var wide: [Int32] {
        switch storage {
        case .narrow: return Array(self)
        case .wide(let codes): return codes
        }
    }

    /// Calls `narrow` with the codes' bytes (``narrowMissing`` for a missing value) or
    /// `wide` with their `Int32`s, as they are held: what a pass over the rows reads,
    /// through a generic body over ``AttributeCodeUnit``.
    public func withCodeBuffer<Result>(narrow: (UnsafeBufferPointer<UInt8>) throws -> Result,
                                       wide: (UnsafeBufferPointer<Int32>) throws -> Result) rethrows -> Result {
        switch storage {
        case .narrow(let codes): return try codes.withUnsafeBufferPointer(narrow)
        case .wide(let codes): return try codes.withUnsafeBufferPointer(wide)
        }
    }

    public static func == (lhs: AttributeCodes, rhs: AttributeCodes) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.narrow(let left), .narrow(let right)): return left == right
        case (.wide(let left), .wide(let right)): return left == right
        default: return lhs.elementsEqual(rhs)
        }
    }
}

/// An element of ``AttributeCodes``' storage, as a pass over rows reads it: a byte
/// (``AttributeCodes/narrowMissing`` for a missing value) or an `Int32` (-1).
public protocol AttributeCodeUnit: Sendable {
    /// The code: a level's index, or -1 for a missing value.
    var attributeCode: Int32 { get }
}

extension UInt8: AttributeCodeUnit {
    @inline(__always)
    public var attributeCode: Int32 { Int32(narrow: self) }
}

extension Int32: AttributeCodeUnit {
    @inline(__always)
    public var attributeCode: Int32 { self }
}

extension Int32 {
    /// The code of a narrow code byte: the byte, or -1 for ``AttributeCodes/narrowMissing``.
    @inline(__always)
    init(narrow byte: UInt8) {
        self = byte == AttributeCodes.narrowMissing ? -1 : Int32(byte)
    }
}
