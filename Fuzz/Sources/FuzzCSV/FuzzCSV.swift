import Fairlead
import Foundation
import FuzzSupport

/// The CSV reader over arbitrary bytes, as a file (plain, or gzip when the bytes start
/// with gzip's magic): it must return a table or throw a FairleadError, never crash,
/// hang or exhaust memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzFile.withFile(Data(bytes: data, count: size), suffix: size > 1 && data[0] == 0x1F && data[1] == 0x8B ? ".csv.gz" : ".csv") { path in
        var options = CSVOptions()
        options.threads = 1
        if let table = try? CSVReader.read(path: path, options: options) {
            precondition(table.columns.allSatisfy { $0.count == table.rowCount }, "ragged table")
        }
        _ = try? CSVReader.headerNames(path: path, options: options)
    }
    return 0
}

@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzCSV(data, size) }
}
