import Testing
@testable import FairleadCore

@Suite("BLAS thread control", .serialized)
struct BLASThreadTests {
    @Test func setThenReadThreadCount() {
        let original = BLAS.threadCount
        #expect(original >= 1)
        BLAS.setThreadCount(1)
        #expect(BLAS.threadCount == 1)
        BLAS.setThreadCount(original)
        #expect(BLAS.threadCount == original)
    }
}
