// fairlead-bench WORKLOAD [options]: runs one workload in Fairlead and prints one JSON
// object on stdout (`{"workload":…,"seconds":…,"peak_rss_bytes":…,…}`).
// scripts/bench-vs-peers runs it beside the Python peer on the same input.
import FairleadCore
import Foundation

/// Every workload, by the name given on the command line.
let workloads: [String: ([String]) throws -> BenchResult] = [
    EchoWorkload.name: EchoWorkload.run,
    CSVWorkload.name: CSVWorkload.run,
    CSVBatchesWorkload.name: CSVBatchesWorkload.run,
    MetricsWorkload.name: MetricsWorkload.run,
    TreeSHAPWorkload.name: TreeSHAPWorkload.run,
    TreeSHAPOneLeadWorkload.name: TreeSHAPOneLeadWorkload.run,
    LinearSHAPWorkload.name: LinearSHAPWorkload.run,
    KernelSHAPWorkload.name: KernelSHAPWorkload.run,
    RankingWorkload.name: RankingWorkload.run,
    ExplainWorkload.name: ExplainWorkload.run,
    ConsistencyWorkload.name: ConsistencyWorkload.run,
]

@MainActor func runBench(_ arguments: [String]) -> Int32 {
    guard let name = arguments.first, let run = workloads[name] else {
        let names = workloads.keys.sorted().joined(separator: ", ")
        FileHandle.standardError.write(Data("usage: fairlead-bench WORKLOAD [--key value …]; workloads: \(names)\n".utf8))
        return 2
    }
    do {
        let result = try run(Array(arguments.dropFirst()))
        print(result.json(workload: name))
        return 0
    } catch {
        FileHandle.standardError.write(Data("fairlead-bench \(name): \(error)\n".utf8))
        return 2
    }
}

// OpenBLAS' workers would spin through the first 0.1 s of every workload (BLAS.stopIdleThreads).
BLAS.stopIdleThreads()
exit(runBench(Array(CommandLine.arguments.dropFirst())))
