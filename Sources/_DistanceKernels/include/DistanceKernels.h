#ifndef FAIRLEAD_DISTANCE_KERNELS_H
#define FAIRLEAD_DISTANCE_KERNELS_H

/// Squared Euclidean distances in single precision from one query to `length` rows stored
/// transposed: coordinate c of row i at `columns[c * stride + i]`. `length` is rounded up
/// to a multiple of 8, and `stride` must allow it (the padding rows NaN, so that no
/// comparison accepts them). Writes the distances to `out` (as many as the rounded length)
/// and returns how many are at most `limit`.
///
/// On a CPU with AVX2 and FMA (checked once, at the first call) eight rows at a time with
/// fused multiply-adds; elsewhere in plain C. Either way the values only screen: the caller
/// computes exact distances in double precision for the rows within a margin of its bound.
long fairlead_screen_distances(const float *query, const float *columns, long stride, long p, long length,
                               float limit, float *out);

#endif
