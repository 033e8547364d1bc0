#ifndef FAIRLEAD_COPENBLAS_SHIM_H
#define FAIRLEAD_COPENBLAS_SHIM_H

// OpenBLAS' CBLAS header; it also declares openblas_set_num_threads and
// openblas_get_num_threads.
#include <cblas.h>

// OpenBLAS ships LAPACK in the same library. We declare the Fortran-ABI
// routines we call instead of depending on LAPACKE.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a,
             const int *lda, double *b, const int *ldb, int *info);

// OpenBLAS' own (exported, undocumented) routine that stops its worker threads, as it
// does before fork(); the next threaded call starts them again. See BLAS.stopIdleThreads.
// Declared weak: a single-threaded OpenBLAS build (libopenblas0-serial) has no thread
// server and no such routine, and the program must still load against it.
int blas_thread_shutdown_(void) __attribute__((weak));

static inline void fairlead_stop_blas_threads(void) {
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}

#endif
