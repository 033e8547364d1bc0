import Testing
@testable import FairleadCore

/// ``Limits``: values as written, the thread and memory checks, and the error's row.
@Suite struct LimitsTests {
    @Test(arguments: [
        ("1048576", Limits.Name.maxFieldBytes, 1_048_576 as Int?),
        ("64MiB", .maxFieldBytes, 64 << 20),
        ("8G", .maxDecompressedBytes, 8 << 30),
        ("8gb", .maxDecompressedBytes, 8 << 30),
        ("512k", .memoryBudgetBytes, 512 << 10),
        ("12b", .maxFieldBytes, 12),
        ("500", .maxCompressionRatio, 500),
        ("5MiB", .maxCompressionRatio, nil),
        ("0", .maxFieldBytes, nil),
        ("-3", .maxThreads, nil),
        ("lots", .maxFieldBytes, nil),
        ("8X", .maxFieldBytes, nil),
        ("99999999999T", .maxFieldBytes, nil),
        ("3600", .maxQuerySeconds, 3_600),
        ("1h", .maxQuerySeconds, nil),
        ("1MiB", .maxQuerySeconds, nil),
        ("20000", .maxColumns, 20_000),
        ("20k", .maxColumns, nil),
    ])
    func valuesParseAsWritten(text: String, name: Limits.Name, value: Int?) {
        #expect(Limits.parse(text, as: name) == value)
    }

    @Test func threadsAboveTheLimitNameIt() throws {
        var limits = Limits()
        limits.maxThreads = 2
        #expect(try limits.checkThreads(2) == 2)
        #expect(throws: FairleadError(.usage, "3 threads is above the limit of 2", limit: .maxThreads)) {
            try limits.checkThreads(3)
        }
        #expect(Limits().effectiveMaxThreads >= Limits.threadsPerCore)
    }

    @Test func memoryAboveTheBudgetNamesIt() throws {
        var limits = Limits()
        limits.memoryBudgetBytes = 1 << 20
        try limits.checkMemory(Double(1 << 20), for: "x")
        let error = #expect(throws: FairleadError.self) { try limits.checkMemory(Double(3 << 20), for: "KernelSHAP") }
        #expect(error?.limit == .memoryBudgetBytes)
        #expect(error?.message == "KernelSHAP needs about 3 MiB of working memory, above the limit of 1 MiB")
    }

    @Test func kernelSHAPWorkingMemoryGrowsWithSamplesAndThreads() {
        let one = KernelSHAP.workingMemory(sampleCount: 2_000_000_000, features: 32, threads: 1)
        #expect(one == 2_000_000_000.0 * 66 * 8)
        #expect(KernelSHAP.workingMemory(sampleCount: 2_000_000_000, features: 32, threads: 4) == 4 * one)
        // Few features: every coalition is enumerated, whatever the sample count.
        #expect(KernelSHAP.workingMemory(sampleCount: 2_000_000_000, features: 3, threads: 1) == 6 * 8 * 8)
    }

    @Test func byteCountsReadAsUnits() {
        #expect(Limits.byteCount(512) == "512 bytes")
        #expect(Limits.byteCount(1) == "1 byte")
        #expect(Limits.byteCount(Double(1 << 20)) == "1 MiB")
        #expect(Limits.byteCount(Double(16 << 30)) == "16 GiB")
        #expect(Limits.byteCount(1.5 * 1024) == "1.5 KiB")
    }

    @Test func anErrorWithARowButNoLineSaysTheRowIndex() {
        #expect(FairleadError(.invalidData, "label is 2.0", row: 4).description == "row index 4: label is 2.0")
        #expect(FairleadError(.invalidData, "label is 2.0", at: SourceLocation(file: "d.csv", line: 6), row: 4).description
                == "d.csv:6: label is 2.0")
    }
}
