import Fairlead
import Foundation
import FuzzSupport

/// The history verifier over arbitrary bytes as a history file: a verdict or a
/// FairleadError, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHistory(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzFile.withFile(Data(bytes: data, count: size), suffix: ".sqlite") { path in
        if let store = try? HistoryStore(path: path, create: false) {
            _ = try? store.verify()
            _ = try? store.entries()
        }
    }
    return 0
}

@_cdecl("FuzzHistory_main")
public func fuzzHistoryMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzHistory(data, size) }
}
