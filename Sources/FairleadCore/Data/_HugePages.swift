#if canImport(Glibc)
import Glibc
#endif

/// Arrays whose pages the kernel is asked to back with transparent huge pages (2 MiB)
/// where it allows them on request (`madvise` mode, Debian's default): a column of a
/// large file and an id column's level table are filled front to back or at random,
/// and with 4 KiB pages a quarter of reading the 1M-lead file was page faults, page
/// clearing and TLB misses (perf: 0.42–0.43 s with huge pages for every allocation,
/// 0.45–0.47 s without). Small arrays, and systems without transparent huge pages, get
/// ordinary pages.
enum _HugePages {
    /// Below this many bytes an array is left alone.
    static let threshold = 4 << 20

    /// `array`'s elements in an array with room for `capacity`, its pages advised huge.
    static func reserved<Element>(_ array: [Element], capacity: Int) -> [Element] {
        let capacity = max(capacity, array.count)
        guard capacity * MemoryLayout<Element>.stride >= threshold else {
            var array = array
            array.reserveCapacity(capacity)
            return array
        }
        return [Element](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            if let base = buffer.baseAddress {
                advise(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<Element>.stride)
                array.withUnsafeBufferPointer { old in
                    if let source = old.baseAddress { base.initialize(from: source, count: old.count) }
                }
            }
            initialized = array.count
        }
    }

    /// `count` copies of `value`, the pages advised huge before they are written.
    static func filled<Element>(_ value: Element, count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                if count * MemoryLayout<Element>.stride >= threshold {
                    advise(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<Element>.stride)
                }
                base.initialize(repeating: value, count: count)
            }
            initialized = count
        }
    }

    /// Advises the whole 2 MiB pages inside `bytes` bytes at `start`; a refusal is ignored.
    private static func advise(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let huge = 2 << 20
        let begin = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(huge - 1)
        guard end > begin, let aligned = UnsafeMutableRawPointer(bitPattern: begin) else { return }
        _ = madvise(aligned, end - begin, MADV_HUGEPAGE)
        #endif
    }
}
