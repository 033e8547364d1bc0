import Foundation

/// One tree's cache of ``CachedTreeSHAP``: decision signature → the tree's attributions
/// over its distinct features. Open addressing (linear probing, load ≤ ½) over manually
/// managed buffers, so the hot loop pays no bounds or exclusivity checks.
struct _SignatureMemo {
    /// The largest number of signatures kept; later ones are computed every time.
    static let maximumEntries = 2048
    /// Lookups before the hit rate is first judged.
    static let trialLookups = 1024

    /// Whether lookups are still worth their cost.
    private(set) var isEnabled = true
    /// Attributions per entry: the tree's distinct features.
    let width: Int
    private var count = 0
    private var slotCapacity = 0
    private var entryCapacity = 0
    private var slots: UnsafeMutablePointer<Int32>?
    private var keys: UnsafeMutablePointer<UInt64>?
    private var entries: UnsafeMutablePointer<Double>?
    private var lookups = 0
    private var hits = 0

    init(width: Int) {
        self.width = width
    }

    /// The stored attributions of `key`, or nil (and, now and then, a verdict on whether
    /// the cache pays: under one hit in four lookups it turns itself off).
    @inline(__always)
    mutating func find(_ key: UInt64) -> UnsafePointer<Double>? {
        lookups += 1
        if let slots, let keys, let entries {
            let mask = slotCapacity - 1
            var position = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while true {
                let entry = Int(slots[position])
                if entry < 0 { break }
                if keys[entry] == key {
                    hits += 1
                    return UnsafePointer(entries + entry * width)
                }
                position = (position + 1) & mask
            }
        }
        if lookups == Self.trialLookups || lookups & 0x3FFF == 0 {
            if hits * 4 < lookups { disable() }
        }
        return nil
    }

    /// Stores `key` with the attributions `fill` writes, unless the cache is off or full.
    mutating func insert(_ key: UInt64, _ fill: (UnsafeMutablePointer<Double>) -> Void) {
        guard isEnabled, count < Self.maximumEntries else { return }
        if count * 2 >= slotCapacity { growSlots() }
        if count == entryCapacity { growEntries() }
        guard let slots, let keys, let entries else { return }
        let mask = slotCapacity - 1
        var position = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while slots[position] >= 0 { position = (position + 1) & mask }
        slots[position] = Int32(count)
        keys[count] = key
        fill(entries + count * width)
        count += 1
    }

    private mutating func growSlots() {
        let capacity = max(256, slotCapacity * 2)
        let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        grown.initialize(repeating: -1, count: capacity)
        if let keys {
            for entry in 0..<count {
                var position = Int(truncatingIfNeeded: (keys[entry] &* 0x9E37_79B9_7F4A_7C15) >> 32) & (capacity - 1)
                while grown[position] >= 0 { position = (position + 1) & (capacity - 1) }
                grown[position] = Int32(entry)
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
        slotCapacity = 0
        entryCapacity = 0
    }
}

/// The per-thread state of ``CachedTreeSHAP``: one memo per tree, a block of prepared
/// rows, a zero scratch row and the path buffers of the recursive algorithm.
final class _TreeSHAPCache: @unchecked Sendable {
    let memos: UnsafeMutablePointer<_SignatureMemo>
    let treeCount: Int
    let block: UnsafeMutablePointer<Double>
    /// The block transposed: feature j's values of the block's rows at j · blockRows.
    let columns: UnsafeMutablePointer<Double>
    /// The block's keys for the tree at hand.
    let keys: UnsafeMutablePointer<UInt64>
    let scratch: UnsafeMutablePointer<Double>
    let pathFeature: UnsafeMutablePointer<Int32>
    let pathZero: UnsafeMutablePointer<Double>
    let pathOne: UnsafeMutablePointer<Double>
    let pathWeight: UnsafeMutablePointer<Double>
    let stackNodes: UnsafeMutablePointer<Int32>
    let stackMasks: UnsafeMutablePointer<UInt32>

    init(model: TreeEnsemble, layouts: [Int]) {
        let width = model.featureNames.count
        treeCount = layouts.count
        memos = .allocate(capacity: max(1, layouts.count))
        for (index, features) in layouts.enumerated() { (memos + index).initialize(to: _SignatureMemo(width: features)) }
        block = .allocate(capacity: max(1, CachedTreeSHAP.blockRows * width))
        columns = .allocate(capacity: max(1, CachedTreeSHAP.blockRows * width))
        keys = .allocate(capacity: CachedTreeSHAP.blockRows)
        scratch = .allocate(capacity: max(1, width))
        scratch.initialize(repeating: 0, count: max(1, width))
        let pathSize = PathDependentTreeSHAPKernel.bufferSize(depth: model.maximumDepth)
        pathFeature = .allocate(capacity: pathSize)
        pathZero = .allocate(capacity: pathSize)
        pathOne = .allocate(capacity: pathSize)
        pathWeight = .allocate(capacity: pathSize)
        stackNodes = .allocate(capacity: model.maximumDepth + 2)
        stackMasks = .allocate(capacity: model.maximumDepth + 2)
    }

    deinit {
        for index in 0..<treeCount { memos[index].release() }
        memos.deinitialize(count: treeCount)
        memos.deallocate()
        block.deallocate()
        columns.deallocate()
        keys.deallocate()
        scratch.deallocate()
        pathFeature.deallocate()
        pathZero.deallocate()
        pathOne.deallocate()
        pathWeight.deallocate()
        stackNodes.deallocate()
        stackMasks.deallocate()
    }
}

/// The caches of one ``CachedTreeSHAP``: a worker checks one out for a call and returns
/// it, so caches persist across calls and no two threads share one.
final class _TreeSHAPCachePool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [_TreeSHAPCache] = []

    func checkOut(model: TreeEnsemble, layouts: [_CachedTreeLayout]) -> _TreeSHAPCache {
        lock.lock()
        let cache = free.popLast()
        lock.unlock()
        return cache ?? _TreeSHAPCache(model: model, layouts: layouts.map(\.features.count))
    }

    func checkIn(_ cache: _TreeSHAPCache) {
        lock.lock()
        free.append(cache)
        lock.unlock()
    }
}
