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
}
