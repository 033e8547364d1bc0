import ArgumentParser
import Fairlead
import Foundation

/// `--threads N` for commands that do heavy work: how many cores Fairlead's own parallel
/// loops and OpenBLAS may use. Defaults to every core.
struct ThreadsOption: ParsableArguments {
    @Option(name: .long, help: "Threads for parsing, metrics and BLAS (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1, found \(threads)")
        }
    }

    /// The thread count to use, after applying it to OpenBLAS.
    func apply() -> Int {
        let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
        BLAS.setThreadCount(count)
        return count
    }
}
