import ArgumentParser
import Fairlead
import Foundation

/// `--threads N` for commands that do heavy work: how many cores Fairlead's own parallel
/// loops and OpenBLAS may use. Defaults to every core; at most ``Limits/maxThreads``
/// (4 per core unless raised), since threads beyond the cores only add memory.
struct ThreadsOption: ParsableArguments {
    @Option(name: .long, help: "Threads for parsing, metrics and BLAS (default: all cores; at most --max-threads).")
    var threads: Int?

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1, found \(threads)")
        }
    }

    /// The thread count to use, after applying it to OpenBLAS; a count above
    /// `limits.maxThreads` throws, naming the limit.
    func apply(limits: Limits = Limits()) throws -> Int {
        let count = try limits.checkThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
        BLAS.setThreadCount(count)
        return count
    }
}
