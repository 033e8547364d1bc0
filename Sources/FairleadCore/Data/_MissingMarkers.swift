/// The missing markers of ``CSVOptions``, matched against field bytes without making a `String`.
///
/// A bit per marker length lets most fields (whose length no marker has) be rejected
/// with one test.
struct _MissingMarkers: Sendable {
    private let markers: [[UInt8]]
    private let lengthBits: UInt64
    private let hasLongMarker: Bool
    /// The markers of at most 8 bytes as (length, ``_ByteText/shortKey(_:count:)``): a
    /// field of such a length is compared as one word per marker, without walking the
    /// marker arrays (categorical values of 4 bytes, such as `male` against `null`, took
    /// that walk on every field).
    private let shortMarkers: [(length: Int, key: UInt64)]
    /// ``CSVOptions/emptyFieldIsNull``: an unquoted empty field is missing whatever the
    /// markers, a quoted one (`""`) only when `""` is a marker.
    private let emptyFieldIsNull: Bool

    init(_ markers: Set<String>, emptyFieldIsNull: Bool = false) {
        self.emptyFieldIsNull = emptyFieldIsNull
        self.markers = markers.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        var bits: UInt64 = 0
        var long = false
        for marker in self.markers {
            if marker.count < 64 { bits |= 1 << UInt64(marker.count) } else { long = true }
        }
        self.lengthBits = bits
        self.hasLongMarker = long
        self.shortMarkers = self.markers.filter { $0.count <= 8 }.map { marker in
            (marker.count, marker.withUnsafeBufferPointer { bytes in
                bytes.baseAddress.map { _ByteText.shortKey($0, count: marker.count) } ?? 0
            })
        }
    }

    /// Whether a field of a numeric column is missing: as ``matches(_:count:quoted:)``, and
    /// where the empty field is NULL, a quoted empty one too — `""` is no number, and a
    /// program that quotes every field on saving (pandas' QUOTE_ALL, a spreadsheet) writes
    /// a query result's NULL so (`grid_cell` of a row outside the grid was refused).
    @inline(__always)
    func matchesNumber(_ start: UnsafePointer<UInt8>, count: Int, quoted: Bool) -> Bool {
        if count == 0, emptyFieldIsNull { return true }
        return matches(start, count: count, quoted: quoted)
    }

    /// Whether the `count` bytes at `start` are missing: they equal a marker, or they are
    /// an empty field that was not `quoted` where the empty field is NULL.
    @inline(__always)
    func matches(_ start: UnsafePointer<UInt8>, count: Int, quoted: Bool) -> Bool {
        if count == 0, emptyFieldIsNull, !quoted { return true }
        if count < 64 {
            if lengthBits & (1 << UInt64(count)) == 0 { return false }
        } else if !hasLongMarker {
            return false
        }
        if count <= 8 {
            let key = _ByteText.shortKey(start, count: count)
            for marker in shortMarkers where marker.length == count && marker.key == key { return true }
            return false
        }
        for marker in markers where marker.count == count {
            var offset = 0
            while offset < count, marker[offset] == start[offset] { offset += 1 }
            if offset == count { return true }
        }
        return false
    }
}
