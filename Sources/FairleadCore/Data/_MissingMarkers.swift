/// The missing markers of ``CSVOptions``, matched against field bytes without making a `String`.
///
/// A bit per marker length lets most fields (whose length no marker has) be rejected
/// with one test.
struct _MissingMarkers: Sendable {
    private let markers: [[UInt8]]
    private let lengthBits: UInt64
    private let hasLongMarker: Bool

    init(_ markers: Set<String>) {
        self.markers = markers.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        var bits: UInt64 = 0
        var long = false
        for marker in self.markers {
            if marker.count < 64 { bits |= 1 << UInt64(marker.count) } else { long = true }
        }
        self.lengthBits = bits
        self.hasLongMarker = long
    }

    /// Whether the `count` bytes at `start` equal a marker.
    @inline(__always)
    func matches(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        if count < 64 {
            if lengthBits & (1 << UInt64(count)) == 0 { return false }
        } else if !hasLongMarker {
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
