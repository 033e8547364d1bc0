#include "DistanceKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static long screen_avx2(const float *query, const float *columns, long stride, long p, long length, float limit,
                        float *out) {
    long count = 0;
    const __m256 bound = _mm256_set1_ps(limit);
    for (long i = 0; i < length; i += 8) {
        __m256 sum = _mm256_setzero_ps();
        const float *column = columns + i;
        for (long c = 0; c < p; c++) {
            const __m256 d = _mm256_sub_ps(_mm256_set1_ps(query[c]), _mm256_loadu_ps(column));
            sum = _mm256_fmadd_ps(d, d, sum);
            column += stride;
        }
        _mm256_storeu_ps(out + i, sum);
        count += __builtin_popcount((unsigned)_mm256_movemask_ps(_mm256_cmp_ps(sum, bound, _CMP_LE_OQ)));
    }
    return count;
}
#endif

static long screen_portable(const float *query, const float *columns, long stride, long p, long length, float limit,
                            float *out) {
    long count = 0;
    for (long i = 0; i < length; i += 8) {
        float sum[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (long c = 0; c < p; c++) {
            for (int lane = 0; lane < 8; lane++) {
                const float d = query[c] - columns[c * stride + i + lane];
                sum[lane] += d * d;
            }
        }
        for (int lane = 0; lane < 8; lane++) {
            out[i + lane] = sum[lane];
            count += sum[lane] <= limit;
        }
    }
    return count;
}

long fairlead_screen_distances(const float *query, const float *columns, long stride, long p, long length,
                               float limit, float *out) {
#if defined(__x86_64__)
    // 1 with AVX2 and FMA, 0 without, -1 before the first call; two threads racing to the
    // first call both check and store the same value.
    static int vector = -1;
    int known = __atomic_load_n(&vector, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&vector, known, __ATOMIC_RELAXED);
    }
    if (known) return screen_avx2(query, columns, stride, p, length, limit, out);
#endif
    return screen_portable(query, columns, stride, p, length, limit, out);
}
