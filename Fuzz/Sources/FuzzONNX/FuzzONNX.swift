import Fairlead
import Foundation
import FuzzSupport

/// The ONNX loader (protobuf decoding, graph tracing, tree and linear builders) over
/// arbitrary bytes; a model that loads must score a row of zeros to a finite margin.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let model = try? ONNXModelLoader.load(data: Data(bytes: data, count: size), path: "fuzz.onnx") {
        FuzzModel.score(model)
    }
    return 0
}

@_cdecl("FuzzONNX_main")
public func fuzzONNXMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzONNX(data, size) }
}
