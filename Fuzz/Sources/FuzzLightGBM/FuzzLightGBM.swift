import Fairlead
import Foundation
import FuzzSupport

/// The LightGBM text loader over arbitrary bytes; a model that loads must score a row
/// of zeros to a finite margin.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLightGBM(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let model = try? LightGBMModelLoader.load(textData: Data(bytes: data, count: size), path: "fuzz.txt") {
        FuzzModel.score(model)
    }
    return 0
}

@_cdecl("FuzzLightGBM_main")
public func fuzzLightGBMMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzLightGBM(data, size) }
}
