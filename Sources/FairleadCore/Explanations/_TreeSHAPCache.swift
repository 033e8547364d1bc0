import Foundation

/// One tree part's cache of ``CachedTreeSHAP``: decision signature → the part's
/// attributions over its features. Keys of at most `directKeyBits` bits index their slot
/// directly; longer keys use open addressing (linear probing, load ≤ ½). The buffers are
/// managed by hand, so the hot loop pays no bounds or exclusivity checks.
struct _SignatureMemo {
    /// The largest number of signatures kept; later ones are computed every time.
    static let maximumEntries = 2048
    /// Lookups before the hit rate is first judged.
    static let trialLookups = 1024
    /// Keys this short get a slot per possible key (at most 2^12 two-byte slots).
    static let directKeyBits = 12

    /// Whether lookups are still worth their cost.
    private(set) var isEnabled = true
    /// Attributions per entry: the part's features.
    let width: Int
    /// Whether keys index their slots directly.
    private let isDirect: Bool
    private var count = 0
    private var slotCapacity = 0
    private var entryCapacity = 0
    private var slots: UnsafeMutablePointer<Int16>?
    private var keys: UnsafeMutablePointer<UInt64>?
    private var entries: UnsafeMutablePointer<Double>?
    private var lookups = 0
    private var hits = 0

    /// A cache for entries of `width` values and keys of `keyBits` bits.
    init(width: Int, keyBits: Int) {
        self.width = width
        isDirect = keyBits <= Self.directKeyBits
        if isDirect { slotCapacity = 1 << keyBits }
    }

    @inline(__always)
    private func position(_ key: UInt64, mask: Int) -> Int {
        isDirect ? Int(truncatingIfNeeded: key) : Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The entry of `key`, or −1. Entries stay put until ``judge()`` or ``release()``, so
    /// a block's entries can be looked up first and read after.
    @inline(__always)
    mutating func find(_ key: UInt64) -> Int {
        lookups += 1
        guard let slots, let keys else { return -1 }
        let mask = slotCapacity - 1
        var position = position(key, mask: mask)
        while true {
            let entry = Int(slots[position])
            if entry < 0 { return -1 }
            // A direct slot belongs to its key alone: no key to compare, one load less.
            if isDirect || keys[entry] == key {
                hits += 1
                return entry
            }
            position = (position + 1) & mask
        }
    }

    /// The attributions of entry `entry`.
    @inline(__always)
    func values(_ entry: Int) -> UnsafePointer<Double> {
        // `find` and `insert` only return entries of allocated buffers.
        UnsafePointer(entries.unsafelyUnwrapped + entry * width)
    }

    /// Stores `key` with the attributions `fill` writes and returns its entry, or −1 when
    /// the cache is off or full.
    mutating func insert(_ key: UInt64, _ fill: (UnsafeMutablePointer<Double>) -> Void) -> Int {
        guard isEnabled, count < Self.maximumEntries else { return -1 }
        if slots == nil || (!isDirect && count * 2 >= slotCapacity) { growSlots() }
        if count == entryCapacity { growEntries() }
        guard let slots, let keys, let entries else { return -1 }
        let mask = slotCapacity - 1
        var position = position(key, mask: mask)
        while slots[position] >= 0 { position = (position + 1) & mask }
        slots[position] = Int16(count)
        keys[count] = key
        fill(entries + count * width)
        count += 1
        return count - 1
    }

    /// Turns the cache off when, after its trial, under one lookup in four has hit; called
    /// between blocks, when no entry is in use.
    mutating func judge() {
        guard isEnabled, lookups >= Self.trialLookups else { return }
        if hits * 4 < lookups { disable() }
        // Judge again every 16,384 lookups, by the hits since the last verdict.
        if lookups >= 16_384 {
            lookups = 0
            hits = 0
        }
    }

    private mutating func growSlots() {
        if isDirect {
            slots = .allocate(capacity: slotCapacity)
            slots?.initialize(repeating: -1, count: slotCapacity)
            return
        }
        let capacity = max(256, slotCapacity * 2)
        let grown = UnsafeMutablePointer<Int16>.allocate(capacity: capacity)
        grown.initialize(repeating: -1, count: capacity)
        if let keys {
            for entry in 0..<count {
                var position = Int(truncatingIfNeeded: (keys[entry] &* 0x9E37_79B9_7F4A_7C15) >> 32) & (capacity - 1)
                while grown[position] >= 0 { position = (position + 1) & (capacity - 1) }
                grown[position] = Int16(entry)
            }
        }
        slots?.deallocate()
        slots = grown
        slotCapacity = capacity
    }

    private mutating func growEntries() {
        let capacity = min(Self.maximumEntries, max(64, entryCapacity * 2))
        let grownKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        let grownEntries = UnsafeMutablePointer<Double>.allocate(capacity: capacity * width)
        if let keys, let entries {
            grownKeys.update(from: keys, count: count)
            grownEntries.update(from: entries, count: count * width)
        }
        keys?.deallocate()
        entries?.deallocate()
        keys = grownKeys
        entries = grownEntries
        entryCapacity = capacity
    }

    /// Frees the cache and stops using it.
    mutating func disable() {
        isEnabled = false
        release()
    }

    /// Frees the buffers.
    mutating func release() {
        slots?.deallocate()
        keys?.deallocate()
        entries?.deallocate()
        slots = nil
        keys = nil
        entries = nil
        count = 0
        if !isDirect { slotCapacity = 0 }
        entryCapacity = 0
    }
}

/// The per-thread state of ``CachedTreeSHAP``: one memo per tree part, a block of prepared
/// rows, a zero scratch row and the path buffers of the recursive algorithm.
final class _TreeSHAPCache: @unchecked Sendable {
    let memos: UnsafeMutablePointer<_SignatureMemo>
    let memoCount: Int
    let block: UnsafeMutablePointer<Double>
    /// The block transposed: feature j's values of the block's rows at j · blockRows.
    let columns: UnsafeMutablePointer<Double>
    /// The block's attributions, feature-major like `columns`.
    let phiColumns: UnsafeMutablePointer<Double>
    /// The block's keys for the part at hand.
    let keys: UnsafeMutablePointer<UInt64>
    /// The block's memo entries for the part at hand (−1: added already).
    let entries: UnsafeMutablePointer<Int32>
    let scratch: UnsafeMutablePointer<Double>
    let path: PathDependentTreeSHAPKernel.Workspace
    let stackNodes: UnsafeMutablePointer<Int32>
    let stackMasks: UnsafeMutablePointer<UInt32>

    /// State for `model` with one memo per part of `parts` (in the explainer's memo order).
    init(model: TreeEnsemble, parts: [_CachedTreePart]) {
        let width = model.featureNames.count
        memoCount = parts.count
        memos = .allocate(capacity: max(1, parts.count))
        for (index, part) in parts.enumerated() {
            (memos + index).initialize(to: _SignatureMemo(width: part.features.count, keyBits: part.splits.count))
        }
        block = .allocate(capacity: max(1, CachedTreeSHAP.blockRows * width))
        columns = .allocate(capacity: max(1, CachedTreeSHAP.blockRows * width))
        phiColumns = .allocate(capacity: max(1, CachedTreeSHAP.blockRows * width))
        keys = .allocate(capacity: CachedTreeSHAP.blockRows)
        entries = .allocate(capacity: CachedTreeSHAP.blockRows)
        scratch = .allocate(capacity: max(1, width))
        scratch.initialize(repeating: 0, count: max(1, width))
        path = PathDependentTreeSHAPKernel.Workspace(depth: model.maximumDepth)
        stackNodes = .allocate(capacity: model.maximumDepth + 2)
        stackMasks = .allocate(capacity: model.maximumDepth + 2)
    }

    deinit {
        for index in 0..<memoCount { memos[index].release() }
        memos.deinitialize(count: memoCount)
        memos.deallocate()
        block.deallocate()
        columns.deallocate()
        phiColumns.deallocate()
        keys.deallocate()
        entries.deallocate()
        scratch.deallocate()
        path.deallocate()
        stackNodes.deallocate()
        stackMasks.deallocate()
    }
}

/// The caches of one ``CachedTreeSHAP``: a worker checks one out for a call and returns
/// it, so caches persist across calls and no two threads share one.
final class _TreeSHAPCachePool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [_TreeSHAPCache] = []

    func checkOut(model: TreeEnsemble, parts: [_CachedTreePart]) -> _TreeSHAPCache {
        lock.lock()
        let cache = free.popLast()
        lock.unlock()
        return cache ?? _TreeSHAPCache(model: model, parts: parts)
    }

    func checkIn(_ cache: _TreeSHAPCache) {
        lock.lock()
        free.append(cache)
        lock.unlock()
    }
}
