import Foundation
import Testing
@testable import FairleadCore
import FairleadTestSupport

/// Several threads and any block size give the table one thread gives.
@Suite struct CSVParallelTests {
    /// A file with every shape the parser handles, from a seeded generator: quoted fields
    /// with delimiters, quotes and line breaks, CRLF and LF, missing values, blank lines
    /// at the end, and a numeric column that turns categorical late.
    static func messyFile(rows: Int, seed: UInt64) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let words = ["alpha", "beta", "gamma, delta", "say \"hi\"", "two\nlines", "crlf\r\ninside", "ünï", ""]
        var text = "id,word,score,flag,late,skipped\n"
        for row in 0..<rows {
            let word = words[next(words.count)]
            let quoted = word.contains(",") || word.contains("\"") || word.contains("\n") || next(4) == 0
            let wordField = quoted ? "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : word
            let score = next(10) == 0 ? "NA" : "\(Double(next(100_000)) / 1000)"
            let flag = next(12) == 0 ? "" : (next(2) == 0 ? "0" : "1")
            let late = row == rows - 3 ? "late text" : "\(next(50))"
            let ending = next(3) == 0 ? "\r\n" : "\n"
            text += "\(row),\(wordField),\(score),\(flag),\(late),junk\(next(9))\(ending)"
        }
        return text + "\n\n"
    }

    @Test(arguments: [2, 3], [7, 64, 1000, 1 << 20])
    func threadsAndBlockSizesGiveTheSameTable(threads: Int, blockSize: Int) throws {
        let path = try CSVTestFiles.write(Self.messyFile(rows: 3000, seed: 42))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reference = try CSVReader.read(path: path)
        var options = CSVOptions()
        options.threads = threads
        options.blockSize = blockSize
        let table = try CSVReader.read(path: path, options: options)
        #expect(table == reference)
        #expect(reference.rowCount == 3000)
        #expect(reference["late"]?.type == .categorical)
        #expect(reference["flag"]?.type == .boolean)
        #expect(reference["score"]?.type == .numeric)
        #expect(reference.strings("word").contains("crlf\r\ninside"))
    }

    @Test(arguments: [1, 2])
    func oneThreadWithTinyBlocksMatchesOneBigBlock(threads: Int) throws {
        let path = try CSVTestFiles.write(Self.messyFile(rows: 500, seed: 7))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var small = CSVOptions()
        small.blockSize = 5
        small.threads = threads
        let columns = [ColumnRequest("word"), ColumnRequest("score")]
        #expect(try CSVReader.read(path: path, columns: columns, options: small)
                == CSVReader.read(path: path, columns: columns))
    }

    @Test func theEarliestErrorWinsAcrossParts() {
        var text = "a,b\n"
        for row in 0..<400 { text += "\(row),\(row)\n" }
        text += "1,x\n"
        for row in 0..<400 { text += "\(row),\(row)\n" }
        text += "1,2,3\n"
        var options = CSVOptions()
        options.threads = 2
        options.blockSize = 512
        let error = CSVTestFiles.error(reading: text, columns: [ColumnRequest("b", type: .numeric)], options: options)
        #expect(error?.message == "expected a number, found \"x\"")
        #expect(error?.location?.line == 402)
    }

    /// A field over the length limit in a column nobody asked for is refused on any
    /// thread count with the same error, whether its record fits the read block (70,000
    /// bytes: the threaded read's steps of 64 KiB hold it whole only after growing) or
    /// outgrows it (1.2 MB, caught before the block grows); a field within it reads.
    @Test(arguments: [900, 70_000, 1_200_000])
    func theLengthGuardDoesNotDependOnThreads(length: Int) throws {
        let text = "a,b\n1,\(String(repeating: "y", count: length))\n2,z\n"
        let path = try CSVTestFiles.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        func read(threads: Int) -> Result<Table, FairleadError> {
            var options = CSVOptions()
            options.threads = threads
            options.limits.maxFieldBytes = 1000
            do {
                return .success(try CSVReader.read(path: path, columns: [ColumnRequest("a", type: .numeric)],
                                                   options: options))
            } catch {
                return .failure(error as? FairleadError ?? FairleadError(.internalFailure, "\(error)"))
            }
        }
        let serial = read(threads: 1)
        #expect(read(threads: 2) == serial)
        switch serial {
        case .success(let table):
            #expect(length <= 1000)
            #expect(table.rowCount == 2)
        case .failure(let error):
            #expect(length > 1000)
            #expect(error.location?.line == 2)
            #expect(error.location?.field == "b")
        }
    }

    /// A step of the threaded read holds thousands of short records (its span store grows
    /// several times over) and commits its columns at once: the table, and the error of a
    /// file with defects in several columns and a malformed record after them, are one
    /// thread's.
    @Test(arguments: [nil, 9_000, 12_345])
    func aStepOfManyRecordsReadsAsOneThreadDoes(defectAt: Int?) throws {
        var text = "n,code,word\n"
        for row in 0..<20_000 {
            switch defectAt.map({ row - $0 }) {
            case 0: text += "\(row),7,w\(row % 5)\n"
            case 1: text += "x\(row),\(row % 3),\n"  // a non-number in the first column,
            case 2: text += "\(row),y,w1\n"          // in the second a record later,
            case 3: text += "\(row),1\n"             // and a ragged row after them
            default: text += "\(row),\(row % 3),w\(row % 5)\n"
            }
        }
        let columns = [ColumnRequest("n", type: .numeric), ColumnRequest("code", type: .numeric),
                       ColumnRequest("word")]
        let path = try CSVTestFiles.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        func read(threads: Int) -> Result<Table, FairleadError> {
            var options = CSVOptions()
            options.threads = threads
            do { return .success(try CSVReader.read(path: path, columns: columns, options: options)) } catch {
                return .failure(error as? FairleadError ?? FairleadError(.internalFailure, "\(error)"))
            }
        }
        let serial = read(threads: 1)
        #expect(read(threads: 2) == serial)
        #expect(read(threads: 3) == serial)
        switch (serial, defectAt) {
        case (.failure(let error), let defectAt?):
            #expect(error.message == "expected a number, found \"x\(defectAt + 1)\"")
            #expect(error.location?.line == defectAt + 3)
        case (.success(let table), nil):
            #expect(table.rowCount == 20_000)
            #expect(table.strings("word").prefix(6) == ["w0", "w1", "w2", "w3", "w4", "w0"])
        default:
            Issue.record("unexpected outcome \(serial)")
        }
    }
}

/// Reading a few columns gives exactly those columns of a full read.
@Suite struct CSVColumnSelectionTests {
    @Test(arguments: [["score"], ["id", "flag"], ["word", "skipped"], ["late"], ["skipped"]])
    func aSubsetReadsLikeAFullRead(names: [String]) throws {
        let path = try CSVTestFiles.write(CSVParallelTests.messyFile(rows: 1500, seed: 11))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let full = try CSVReader.read(path: path)
        for threads in [1, 2] {
            var options = CSVOptions()
            options.threads = threads
            options.blockSize = 300
            let subset = try CSVReader.read(path: path, columns: names.map { ColumnRequest($0) }, options: options)
            #expect(subset.columnNames == names)
            for name in names {
                #expect(subset[name] == full[name], "\(name)")
            }
        }
    }
}

/// Random byte soup over the characters that matter to the parser: whatever it is, every
/// block size and thread count gives the same table or the same error.
@Suite struct CSVRandomInputTests {
    enum Outcome: Equatable {
        case table(Table)
        case error(FairleadError)
    }

    static func outcome(_ path: String, threads: Int, blockSize: Int) -> Outcome {
        var options = CSVOptions()
        options.threads = threads
        options.blockSize = blockSize
        do {
            return .table(try CSVReader.read(path: path, options: options))
        } catch let error as FairleadError {
            return .error(error)
        } catch {
            return .error(FairleadError(.internalFailure, "\(error)"))
        }
    }

    /// Rows of three fields (plain, empty, numbers, quoted with delimiters, doubled quotes
    /// and line breaks), LF or CRLF, blank lines at the end, and in every other file some
    /// corruption: a row of another length, a blank line, a stray or unclosed quote, a
    /// random byte.
    static func soup(seed: Int) -> [UInt8] {
        var generator = SplitMix64(seed: UInt64(seed) &+ 100)
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
        let corrupt = seed % 2 == 0
        var text = "x,y,z\n"
        for _ in 0..<Int.random(in: 0...120, using: &generator) {
            var fieldCount = 3
            if corrupt, Int.random(in: 0..<60, using: &generator) == 0 { fieldCount = pick([1, 2, 4]) }
            let fields = (0..<fieldCount).map { _ in
                pick(["", "a", "1", "0", "2.5", "NA", "true", "\"q,\"", "\"he said \"\"x\"\"\"", "\"l1\nl2\"",
                      "\"c\r\nd\"", "\"\"", "b\rc"])
            }
            text += fields.joined(separator: ",")
            if corrupt, Int.random(in: 0..<80, using: &generator) == 0 { text += pick(["\"", "x\"", "\u{FF}"]) }
            // A blank line between records is a ragged row unless the file has one column.
            text += corrupt ? pick(["\n", "\r\n", "\n", "\n\n"]) : pick(["\n", "\r\n"])
        }
        text += pick(["", "\n", "\r\n\r\n"])
        var bytes = Array(text.utf8)
        if corrupt, !bytes.isEmpty, Int.random(in: 0..<3, using: &generator) == 0 {
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = pick(Array("\",\n\r".utf8) + [0xFF])
        }
        return bytes
    }

    @Test(arguments: 0..<60)
    func everyWayOfReadingAgrees(seed: Int) throws {
        let path = try CSVTestFiles.write(Self.soup(seed: seed))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reference = Self.outcome(path, threads: 1, blockSize: 1 << 20)
        if seed % 2 == 1 {
            // Without corruption the file is valid CSV.
            guard case .table = reference else {
                Issue.record("a valid file failed: \(reference)")
                return
            }
        }
        for (threads, blockSize) in [(1, 3), (1, 17), (2, 5), (2, 64), (3, 11)] {
            #expect(Self.outcome(path, threads: threads, blockSize: blockSize) == reference,
                    "threads \(threads), block \(blockSize)")
        }
    }

    @Test func theSoupHoldsBothTablesAndErrors() throws {
        var tables = 0
        var errors = 0
        for seed in 0..<60 {
            let path = try CSVTestFiles.write(Self.soup(seed: seed))
            defer { try? FileManager.default.removeItem(atPath: path) }
            if case .table = Self.outcome(path, threads: 1, blockSize: 1 << 20) { tables += 1 } else { errors += 1 }
        }
        #expect(tables >= 30)
        #expect(errors >= 5)
    }
}
