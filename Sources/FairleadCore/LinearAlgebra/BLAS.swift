import COpenBLAS

/// The BLAS routines Fairlead calls, over OpenBLAS' CBLAS interface, and the control of
/// OpenBLAS' thread pool.
///
/// Every wrapper takes row-major `Matrix` values and accepts empty shapes: when an output
/// dimension is 0 there is nothing to compute, and when the inner dimension is 0 the
/// product is the zero matrix, so the result is `β·C` — BLAS is never called with a
/// leading dimension below 1. Shapes that do not conform are programmer mistakes and stop
/// on a precondition.
///
///     BLAS.setThreadCount(1)
///     var c = Matrix(rows: a.rows, columns: b.columns)
///     BLAS.gemm(a, b, into: &c)            // C = A·B
public enum BLAS {
    /// The number of threads OpenBLAS uses for one call (`openblas_get_num_threads`).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses for one call (`openblas_set_num_threads`).
    ///
    /// A process-wide setting; the CLI sets it from `--threads`. `count` must be at least 1.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1")
        openblas_set_num_threads(Int32(clamping: count))
    }

    /// Stops OpenBLAS' idle worker threads; a later call on more than one thread starts
    /// them again.
    ///
    /// The pthreads build of OpenBLAS (Debian's default) starts its workers when the
    /// library loads, and after loading and after every threaded call each worker spins
    /// on `sched_yield` for 2²⁸ cycles (about 0.1 s) before it sleeps. On two cores that
    /// spin takes one core from Fairlead's own threads at the start of every process,
    /// whether it calls BLAS or not: `fairlead-bench consistency` on 20,000 rows took
    /// 0.12 s (0.14 s user, 0.10 s system, 10,264 `sched_yield` calls) and takes 0.067 s
    /// with the workers stopped first. The CLI and the benchmark call this first thing;
    /// the environment variable `OPENBLAS_THREAD_TIMEOUT` would act too late, since
    /// OpenBLAS reads it while loading. A single-threaded OpenBLAS has no workers, and
    /// then this does nothing.
    public static func stopIdleThreads() {
        fairlead_stop_blas_threads()
    }

    /// Which product of a matrix with its own transpose `syrk` forms.
    public enum SymmetricProduct: Sendable {
        /// Aᵀ·A, a `columns` × `columns` matrix (a Gram matrix of the columns).
        case transposeTimesSelf
        /// A·Aᵀ, a `rows` × `rows` matrix (a Gram matrix of the rows).
        case selfTimesTranspose
    }

    /// A dimension as the 32-bit integer CBLAS takes.
    static func blasInt(_ value: Int) -> Int32 {
        precondition(value <= Int(Int32.max), "dimension \(value) exceeds the BLAS integer range")
        return Int32(value)
    }

    /// `values ← β·values`, with β = 0 meaning "overwrite with zeros" as BLAS does (so a
    /// NaN in an output that BLAS would not read does not survive).
    static func scaleInPlace(_ values: inout [Double], by beta: Double) {
        if beta == 0 {
            for index in values.indices { values[index] = 0 }
        } else if beta != 1 {
            for index in values.indices { values[index] *= beta }
        }
    }
}
