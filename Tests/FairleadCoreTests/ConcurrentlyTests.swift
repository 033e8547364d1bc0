import Dispatch
import Foundation
import Testing
@testable import FairleadCore

/// Two steps at once give what one after the other gives: both results, and the error a
/// serial run would meet first.
@Suite struct ConcurrentlyTests {
    private struct Failure: Error, Equatable {
        let name: String
    }

    @Test(arguments: [1, 2])
    func bothResultsComeBackInTheirPlaces(threads: Int) throws {
        let (sum, text) = try Concurrently.both(threads: threads, { (1...1_000).reduce(0, +) }, { String(repeating: "ab", count: 3) })
        #expect(sum == 500_500)
        #expect(text == "ababab")
    }

    @Test(arguments: [1, 2])
    func theFirstStepsErrorWinsAsInASerialRun(threads: Int) {
        #expect(throws: Failure(name: "first")) {
            _ = try Concurrently.both(threads: threads, { () throws -> Int in throw Failure(name: "first") },
                                      { () throws -> Int in throw Failure(name: "second") })
        }
        #expect(throws: Failure(name: "second")) {
            _ = try Concurrently.both(threads: threads, { 1 }, { () throws -> Int in throw Failure(name: "second") })
        }
    }

    @Test(arguments: [1, 2, 3])
    func aMapKeepsTheOrderOfItsIndices(threads: Int) throws {
        let squares = try Concurrently.map(count: 1_000, threads: threads) { $0 * $0 }
        #expect(squares == (0..<1_000).map { $0 * $0 })
        #expect(try Concurrently.map(count: 0, threads: threads) { $0 }.isEmpty)
    }

    @Test(arguments: [1, 2, 3])
    func aMapThrowsTheErrorOfTheLowestIndex(threads: Int) {
        #expect(throws: Failure(name: "7")) {
            _ = try Concurrently.map(count: 100, threads: threads) { index -> Int in
                if index == 7 || index == 50 || index == 99 { throw Failure(name: "\(index)") }
                return index
            }
        }
    }

    /// How many bodies are running at once, and the most there ever were.
    private final class Gauge: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var peak = 0
        private(set) var calls = 0

        /// Counts a body that keeps its thread for `seconds`.
        func busy(for seconds: Double = 0.002) {
            lock.lock()
            running += 1
            calls += 1
            peak = max(peak, running)
            lock.unlock()
            Thread.sleep(forTimeInterval: seconds)
            lock.lock()
            running -= 1
            lock.unlock()
        }
    }

    /// `--threads` is a ceiling for everything an audit runs, however its steps nest: two
    /// steps at once, each mapping over items that fan out over rows, each call asking
    /// for more threads than the limit.
    @Test(arguments: [1, 2, 3])
    func nestedWorkNeverKeepsMoreThreadsBusyThanTheLimit(threads: Int) throws {
        let gauge = Gauge()
        try Concurrently.limited(threads: threads) {
            _ = try Concurrently.both(threads: 8, {
                RowParallelism.forEachChunk(rowCount: 48, threads: 8, minimumChunk: 1) { rows in
                    for _ in rows { gauge.busy() }
                }
            }, {
                _ = try Concurrently.map(count: 12, threads: 8) { _ in
                    RowParallelism.forEachChunk(rowCount: 4, threads: 8, minimumChunk: 1) { rows in
                        for _ in rows { gauge.busy() }
                    }
                }
            })
        }
        #expect(gauge.calls == 48 + 12 * 4)
        #expect(gauge.peak <= threads)
        #expect(gauge.peak >= 1)
    }

    /// A limit inside another cannot raise it; a call's own `threads` can lower it.
    @Test func anInnerLimitDoesNotRaiseTheOuterOne() {
        let gauge = Gauge()
        Concurrently.limited(threads: 2) {
            Concurrently.limited(threads: 8) {
                RowParallelism.forEachChunk(rowCount: 40, threads: 8, minimumChunk: 1) { rows in
                    for _ in rows { gauge.busy() }
                }
            }
        }
        #expect(gauge.calls == 40)
        #expect(gauge.peak <= 2)
        let serial = Gauge()
        Concurrently.limited(threads: 4) {
            RowParallelism.forEachChunk(rowCount: 20, threads: 1, minimumChunk: 1) { rows in
                for _ in rows { serial.busy() }
            }
        }
        #expect(serial.calls == 20)
        #expect(serial.peak == 1)
    }

    /// Within the limit the work does run at once: two chunks that each wait for the
    /// other finish only when both run together (a serial run would wait the whole
    /// timeout and fail).
    @Test(arguments: [2, 3])
    func withinTheLimitChunksRunAtOnce(threads: Int) throws {
        let arrived = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let met = UncheckedSendable(NSLock())
        var meetings = 0
        try Concurrently.limited(threads: threads) {
            _ = try Concurrently.both(threads: threads, {
                arrived.0.signal()
                let other = arrived.1.wait(timeout: .now() + 60)
                met.value.lock(); meetings += other == .success ? 1 : 0; met.value.unlock()
            }, {
                arrived.1.signal()
                let other = arrived.0.wait(timeout: .now() + 60)
                met.value.lock(); meetings += other == .success ? 1 : 0; met.value.unlock()
            })
        }
        #expect(meetings == 2)
    }
}
