/// The bytes of a file between reads: a fixed-size block that the unparsed tail of the
/// last read is moved to the front of, grown only for a record longer than it.
final class _BlockBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// The bytes held, from `base`.
    private(set) var count = 0

    /// Checks a record before the block grows to hold it.
    var fieldGuard: _FieldLengthGuard?
    /// The capacity from which a record that fills the block is checked before it
    /// grows; below it the block grows unchecked, up to this size first. A read's blocks
    /// of several threads start smaller than ``CSVOptions/blockSize`` but check records
    /// where one thread's block of `blockSize` does, so both throw the same errors.
    let guardedCapacity: Int

    init(capacity: Int, fieldGuard: _FieldLengthGuard? = nil, guardedCapacity: Int? = nil) {
        self.capacity = capacity
        self.fieldGuard = fieldGuard
        self.guardedCapacity = guardedCapacity ?? capacity
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
    }

    private var isFull: Bool { count == capacity }

    /// The bytes held from `offset` on.
    func bytes(from offset: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + offset, count: count - offset)
    }

    /// Drops the first `offset` bytes, moving the rest to the front.
    private func discard(upTo offset: Int) {
        guard offset > 0 else { return }
        let remaining = count - offset
        if remaining > 0 {
            (base).update(from: base + offset, count: remaining)
        }
        count = remaining
    }

    /// Doubles the capacity (up to `guardedCapacity` first), keeping the bytes held.
    private func grow() {
        let larger = capacity < guardedCapacity ? min(capacity * 2, guardedCapacity) : capacity * 2
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        storage.initialize(from: base, count: count)
        base.deallocate()
        base = storage
        capacity = larger
    }

    /// Keeps the bytes from `offset` on (moved to the front), doubles the block when they
    /// fill it (a record longer than the block, starting on physical line `line`, whose
    /// fields ``fieldGuard`` checks first), and reads on from `source`; returns `true`
    /// when the source has ended.
    func refill(keepingFrom offset: Int, line: Int, from source: _ByteSource) throws -> Bool {
        discard(upTo: offset)
        if isFull {
            if capacity >= guardedCapacity { try fieldGuard?.checkRecord(bytes(from: 0), firstLine: line) }
            grow()
        }
        return try fill(from: source)
    }

    /// Starts over with the bytes of `other` from `offset` on (a record it cut, starting
    /// on physical line `line`), then reads on from `source` as ``refill(keepingFrom:line:from:)``
    /// does; `other` is left as it was. Returns `true` when the source has ended.
    func refill(from other: _BlockBuffer, keepingFrom offset: Int, line: Int, from source: _ByteSource) throws -> Bool {
        let remaining = other.count - offset
        count = 0
        while capacity < remaining { grow() }
        if remaining > 0 { base.update(from: other.base + offset, count: remaining) }
        count = remaining
        return try refill(keepingFrom: 0, line: line, from: source)
    }

    /// Reads from `source` until full; returns `true` when the source has ended.
    func fill(from source: _ByteSource) throws -> Bool {
        while count < capacity {
            let read = try source.read(into: UnsafeMutableRawBufferPointer(start: base + count, count: capacity - count))
            if read == 0 { return true }
            count += read
        }
        return false
    }
}
