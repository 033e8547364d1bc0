import Fairlead
import Foundation
import FuzzSupport

/// The profile loader over arbitrary text: a profile or a located FairleadError, and for
/// a profile, the preflight checks (which read no rows) must not crash either.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let profile = try? AuditProfile.parse(text, file: "fuzz.yaml") {
        _ = profile.summary
        _ = try? AuditPreflight.check(profile, dataPath: "/nonexistent/fuzz.csv")
    }
    return 0
}

@_cdecl("FuzzProfile_main")
public func fuzzProfileMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzProfile(data, size) }
}
