import Fairlead
import Foundation

/// Inputs written to a file under /dev/shm (or the temporary folder), removed after.
public enum FuzzFile {
    public static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("fairlead-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    public static func withFile(_ data: Data, suffix: String, _ body: (String) -> Void) {
        let path = (folder as NSString).appendingPathComponent("input\(suffix)")
        for extra in ["", "-wal", "-shm", "-journal"] { unlink(path + extra) }
        guard FileManager.default.createFile(atPath: path, contents: data) else { return }
        body(path)
        for extra in ["", "-wal", "-shm", "-journal"] { unlink(path + extra) }
    }
}

/// What a model that loaded must do.
public enum FuzzModel {
    public static func score(_ model: any Model) {
        let row = Matrix(rows: 1, columns: model.featureNames.count)
        let margins = model.margins(row)
        precondition(margins.allSatisfy(\.isFinite), "a loaded model gave a non-finite margin")
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// Runs libFuzzer over `callback`. SwiftPM names an executable's entry point
/// `<Module>_main`; each harness defines it and calls this, so libFuzzer's own driver
/// runs the loop.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}
