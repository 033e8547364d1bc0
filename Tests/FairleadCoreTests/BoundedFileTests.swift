import Foundation
import Testing
@testable import FairleadCore

/// ``BoundedFile``: whole files up to the limit, and every way a file can be too much or
/// not a file.
@Suite struct BoundedFileTests {
    private func file(_ bytes: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("bounded-\(UUID().uuidString).bin").path
        try Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func limits(_ bytes: Int) -> Limits {
        var limits = Limits()
        limits.maxFileBytes = bytes
        return limits
    }

    @Test(arguments: [1, 4096, BoundedFile.chunkBytes, BoundedFile.chunkBytes + 1, 3 * BoundedFile.chunkBytes + 17])
    func aFileAtOrUnderTheLimitIsReadWhole(bytes: Int) throws {
        let path = try file(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = try BoundedFile.read(path, limits: limits(bytes), kind: .invalidModel, what: "model file")
        #expect(data == (try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test(arguments: [1, 4096, BoundedFile.chunkBytes])
    func oneByteOverTheLimitIsRefusedNamingIt(limit: Int) throws {
        let path = try file(limit + 1)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: FairleadError.self) {
            try BoundedFile.read(path, limits: limits(limit), kind: .invalidModel, what: "model file")
        }
        #expect(error?.limit == .maxFileBytes)
        #expect(error?.kind == .usage)
        #expect(error?.message == "the model file holds more than the limit of \(Limits.byteCount(Double(limit)))")
    }

    /// A device that never ends is refused by what it is, before it is read (it was read
    /// to the limit): only a regular file is read (``RegularFile``).
    @Test func aDeviceThatNeverEndsIsRefusedBeforeItIsRead() throws {
        let error = #expect(throws: FairleadError.self) {
            try BoundedFile.read("/dev/zero", limits: limits(3 << 20), kind: .invalidModel, what: "model file")
        }
        #expect(error?.limit == nil)
        #expect(error?.kind == .invalidModel)
        #expect(error?.message == "the model file is a character device; it must be a regular file")
    }

    @Test func missingEmptyAndDirectoryAreSaidWithTheKindGiven() throws {
        let folder = FileManager.default.temporaryDirectory.path
        let empty = try file(0)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let cases = [
            (folder + "/does-not-exist-\(UUID().uuidString)", "baseline report not found"),
            (folder, "the baseline report is a directory; it must be a regular file"),
            (empty, "the baseline report is empty"),
        ]
        for (path, message) in cases {
            let error = #expect(throws: FairleadError.self) {
                try BoundedFile.read(path, kind: .invalidData, what: "baseline report")
            }
            #expect(error?.kind == .invalidData)
            #expect(error?.message == message)
            #expect(error?.location?.file == path)
            #expect(error?.limit == nil)
        }
    }

    @Test func theDefaultLimitIsOneGibibyteAndParsesFromProfilesAndFlags() {
        #expect(Limits().maxFileBytes == 1 << 30)
        #expect(Limits.parse("200MiB", as: .maxFileBytes) == 200 << 20)
        #expect(Limits.Name.maxFileBytes.isByteSize)
        var limits = Limits()
        limits[.maxFileBytes] = 5
        #expect(limits.maxFileBytes == 5)
    }
}
