#ifndef FAIRLEAD_DISTANCE_KERNELS_H
#define FAIRLEAD_DISTANCE_KERNELS_H

#include <stdint.h>

/// An exact k-d tree built by FairleadCore's `_KDTree`, as pointers into its arrays (valid
/// for the duration of one search). The tree is complete and implicit: node i has children
/// 2i + 1 and 2i + 2, the leaves are the last `first_leaf + 1` nodes.
typedef struct {
    long row_count;
    long feature_count;
    /// The first leaf's node index.
    long first_leaf;
    /// The largest leaf's row count rounded up to a multiple of 8.
    long leaf_stride;
    /// The largest ‖x‖² of a row, which scales the margins.
    double largest_squared_norm;
    /// Position in the k-d order → original row index.
    const int32_t *order;
    /// The rows in the k-d order, row_count × feature_count row-major.
    const double *rows;
    /// Each node's first position and one past its last.
    const long *node_start;
    const long *node_end;
    /// Each internal node's cutting coordinate.
    const long *split_dimension;
    /// Each node's lowest and highest coordinate along its parent's cutting coordinate.
    const double *split_low;
    const double *split_high;
    /// Each leaf's bounding box, leaves × feature_count.
    const double *leaf_lower;
    const double *leaf_upper;
    /// Coordinate c of leaf l's rows as float at (l · feature_count + c) · leaf_stride, the
    /// padding NaN.
    const float *leaf_columns;
    /// Each leaf row's ‖x‖² (summed in double) as float at l · leaf_stride + i, the padding NaN.
    const float *leaf_norms;
} fairlead_kd_tree;

/// The `k` nearest rows of the rows at positions `start` ..< `end` of the tree's k-d order,
/// nearest first, ties to the lower original row: written to `indices[order[position] · k
/// + slot]`. Returns 0; -1 when memory ran out, -2 when a query found fewer than k rows.
///
/// Each query descends the tree depth first, the nearer child first; the rows of a leaf
/// in reach are screened by single-precision distances (eight at a time with AVX2 and FMA
/// where the CPU has them, checked once at the first call; plain C elsewhere), and only
/// the rows the screen cannot rule out get their exact double-precision distance, summed
/// over the coordinates in order as a brute-force search does.
long fairlead_kd_search(const fairlead_kd_tree *tree, long k, long start, long end, int32_t *indices);

#endif
