import Fairlead
import Foundation
import FuzzSupport

/// The XGBoost JSON loader over arbitrary bytes; a model that loads must score a row of
/// zeros to a finite margin.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXGBoost(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let model = try? XGBoostModelLoader.load(jsonData: Data(bytes: data, count: size), path: "fuzz.json") {
        FuzzModel.score(model)
    }
    return 0
}

@_cdecl("FuzzXGBoost_main")
public func fuzzXGBoostMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzXGBoost(data, size) }
}
