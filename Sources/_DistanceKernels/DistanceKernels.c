// The k-d tree search of FairleadCore's NearestNeighbours (`_KDTree`), one query at a time.
//
// Exactness. Neighbours are ranked by the exact distance Σ (q_c − r_c)², computed in double
// over the coordinates in order, without fused multiply-adds (the pragma below), as the
// brute-force and GEMM-tile searches compute it; ties go to the lower original row. Only
// bounds are approximate, and each is conservative:
//
// - The screen. A leaf's rows get single-precision values f = ‖r‖² + ‖q‖² + Σ r_c · (−2 q_c)
//   (‖r‖² and ‖q‖² summed in double, then rounded). For coordinates within ±10¹⁵ (so that
//   nothing overflows a float), |f − d| ≤ (3p + 5) · 2⁻²⁴ · S + (underflow, below 10⁻³⁷),
//   with d the exact distance and S = ‖q‖² + ‖r‖²: the rounded inputs contribute at most
//   3 · 2⁻²⁴ · S (2|q_c r_c| ≤ q_c² + r_c²), each of the p + 1 additions (or fused
//   multiply-adds; separate products add p more) at most 2⁻²⁴ times a partial sum below
//   2S. Call that bound e. The screen margin m = (p + 16) · 5 · 10⁻⁷ · (‖q‖² + max ‖r‖²)
//   + 10⁻²⁷ is more than 2e — 2.5 times it or more up to 16 features, 1.4 times beyond —
//   which leaves room for the double rounding of the exact distances (p · 2⁻⁵³ · S).
// - The k-th best. A query keeps the k smallest screen values seen so far; their k-th,
//   f_k, bounds the k-th smallest exact distance: d_k ≤ f_k + e. A row whose screen value
//   exceeds f_k + m therefore has d ≥ f − e > f_k + m − e > d_k: k rows are strictly
//   nearer, so it cannot be a neighbour, whatever the ties. Such rows are dropped; the
//   others are kept as candidates, and when the tree is done the candidates within the
//   final f_k + m get their exact distances.
// - The boxes. A leaf is skipped when the squared distance from the query to its box,
//   Σ max(0, lo − q, q − hi)², exceeds f_k + m: that sum is never above the computed
//   distance of a row inside the box (subtraction, squaring and addition round
//   monotonically), so every row of the leaf is farther than f_k + m. An internal node is
//   skipped when its incrementally kept cell distance exceeds f_k + m plus a rounding margin
//   of 10⁻¹² · (‖q‖² + max ‖r‖²), about a thousand times the rounding of the few additions
//   that keep it.
#pragma STDC FP_CONTRACT OFF

#include "DistanceKernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

// The screen of `length` rows (rounded up to a multiple of 8) against `limit`: values to
// `out`, one mask byte of rows ≤ limit per 8 rows to `masks`; returns the masks' union.
// `scaled` is −2q as float, `qnorm` ‖q‖². The feature count is a constant in each copy
// below, so the coordinate loop unrolls and the query stays in registers.
__attribute__((target("avx2,fma"), always_inline)) static inline unsigned
screen_avx2_body(const float *scaled, float qnorm, const float *columns, const float *norms, long stride, const long p,
                 long length, float limit, float *out, unsigned char *masks) {
    unsigned any = 0;
    const __m256 bound = _mm256_set1_ps(limit), qn = _mm256_set1_ps(qnorm);
    __m256 w[16];
    for (long c = 0; c < p; c++) w[c] = _mm256_broadcast_ss(scaled + c);
    const long rounded = (length + 7) / 8 * 8;
    long i = 0;
    for (; i + 16 <= rounded; i += 16) {
        __m256 a = _mm256_add_ps(_mm256_loadu_ps(norms + i), qn);
        __m256 b = _mm256_add_ps(_mm256_loadu_ps(norms + i + 8), qn);
        for (long c = 0; c < p; c++) {
            a = _mm256_fmadd_ps(_mm256_loadu_ps(columns + c * stride + i), w[c], a);
            b = _mm256_fmadd_ps(_mm256_loadu_ps(columns + c * stride + i + 8), w[c], b);
        }
        _mm256_storeu_ps(out + i, a);
        _mm256_storeu_ps(out + i + 8, b);
        const unsigned ma = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(a, bound, _CMP_LE_OQ));
        const unsigned mb = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(b, bound, _CMP_LE_OQ));
        masks[i / 8] = (unsigned char)ma;
        masks[i / 8 + 1] = (unsigned char)mb;
        any |= ma | mb;
    }
    if (i < rounded) {
        __m256 a = _mm256_add_ps(_mm256_loadu_ps(norms + i), qn);
        for (long c = 0; c < p; c++) a = _mm256_fmadd_ps(_mm256_loadu_ps(columns + c * stride + i), w[c], a);
        _mm256_storeu_ps(out + i, a);
        const unsigned ma = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(a, bound, _CMP_LE_OQ));
        masks[i / 8] = (unsigned char)ma;
        any |= ma;
    }
    return any;
}

// More than 16 features (the tree is chosen for at most 16, but may be asked for more).
__attribute__((target("avx2,fma"))) static unsigned screen_avx2_wide(const float *scaled, float qnorm,
                                                                     const float *columns, const float *norms,
                                                                     long stride, long p, long length, float limit,
                                                                     float *out, unsigned char *masks) {
    unsigned any = 0;
    const __m256 bound = _mm256_set1_ps(limit), qn = _mm256_set1_ps(qnorm);
    for (long i = 0; i < length; i += 8) {
        __m256 a = _mm256_add_ps(_mm256_loadu_ps(norms + i), qn);
        for (long c = 0; c < p; c++)
            a = _mm256_fmadd_ps(_mm256_loadu_ps(columns + c * stride + i), _mm256_broadcast_ss(scaled + c), a);
        _mm256_storeu_ps(out + i, a);
        const unsigned ma = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(a, bound, _CMP_LE_OQ));
        masks[i / 8] = (unsigned char)ma;
        any |= ma;
    }
    return any;
}

__attribute__((target("avx2,fma"))) static unsigned screen_avx2(const float *scaled, float qnorm, const float *columns,
                                                                const float *norms, long stride, long p, long length,
                                                                float limit, float *out, unsigned char *masks) {
    switch (p) {
#define FAIRLEAD_SCREEN_CASE(P)                                                                                      \
    case P:                                                                                                          \
        return screen_avx2_body(scaled, qnorm, columns, norms, stride, P, length, limit, out, masks);
        FAIRLEAD_SCREEN_CASE(1) FAIRLEAD_SCREEN_CASE(2) FAIRLEAD_SCREEN_CASE(3) FAIRLEAD_SCREEN_CASE(4)
        FAIRLEAD_SCREEN_CASE(5) FAIRLEAD_SCREEN_CASE(6) FAIRLEAD_SCREEN_CASE(7) FAIRLEAD_SCREEN_CASE(8)
        FAIRLEAD_SCREEN_CASE(9) FAIRLEAD_SCREEN_CASE(10) FAIRLEAD_SCREEN_CASE(11) FAIRLEAD_SCREEN_CASE(12)
        FAIRLEAD_SCREEN_CASE(13) FAIRLEAD_SCREEN_CASE(14) FAIRLEAD_SCREEN_CASE(15) FAIRLEAD_SCREEN_CASE(16)
#undef FAIRLEAD_SCREEN_CASE
    default:
        return screen_avx2_wide(scaled, qnorm, columns, norms, stride, p, length, limit, out, masks);
    }
}
#endif

// The same screen in plain C (products rounded separately, which the margin covers).
static unsigned screen_portable(const float *scaled, float qnorm, const float *columns, const float *norms, long stride,
                                long p, long length, float limit, float *out, unsigned char *masks) {
    unsigned any = 0;
    for (long i = 0; i < length; i += 8) {
        float sum[8];
        for (int lane = 0; lane < 8; lane++) sum[lane] = norms[i + lane] + qnorm;
        for (long c = 0; c < p; c++)
            for (int lane = 0; lane < 8; lane++) sum[lane] += columns[c * stride + i + lane] * scaled[c];
        unsigned mask = 0;
        for (int lane = 0; lane < 8; lane++) {
            out[i + lane] = sum[lane];
            mask |= (unsigned)(sum[lane] <= limit) << lane;
        }
        masks[i / 8] = (unsigned char)mask;
        any |= mask;
    }
    return any;
}

// 1 with AVX2 and FMA, 0 without, -1 before the first search; two threads racing to the
// first call both check and store the same value.
static int vector_support = -1;

static int has_vector_support(void) {
#if defined(__x86_64__)
    int known = __atomic_load_n(&vector_support, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&vector_support, known, __ATOMIC_RELAXED);
    }
    return known;
#else
    return 0;
#endif
}

// The least float above a non-negative finite one; +∞ stays.
static inline float next_up(float value) {
    if (!(value < INFINITY)) return value;
    if (!(value > 0)) return nextafterf(value, INFINITY);
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    bits += 1;
    memcpy(&value, &bits, sizeof value);
    return value;
}

// One thread's search: the current query, its k smallest screen values, its candidates.
typedef struct {
    const fairlead_kd_tree *tree;
    long k;
    int vector;
    int failed;
    const double *point;
    // −2q as float, and ‖q‖².
    float *scaled;
    float qnorm;
    // Per coordinate, the query's distance to the current cell along it.
    double *offsets;
    // One leaf's screen values and mask bytes.
    float *screened;
    unsigned char *masks;
    // The k smallest screen values so far, ascending (+∞ until there are k).
    float *best;
    double screen_margin;
    double margin;
    // best[k − 1] + screen_margin, in double and rounded up to float.
    double bound;
    float limit;
    // Candidates: k-d position and screen value.
    long *candidate_positions;
    float *candidate_values;
    long candidate_count;
    long candidate_capacity;
} query_state;

static inline void update_bound(query_state *s) {
    s->bound = (double)s->best[s->k - 1] + s->screen_margin;
    s->limit = next_up((float)s->bound);
}

// Room for one more candidate: drops those the bound now excludes, grows when that frees
// less than half. Returns 0 when memory ran out.
static int reserve_candidate(query_state *s) {
    if (s->candidate_count < s->candidate_capacity) return 1;
    long kept = 0;
    for (long j = 0; j < s->candidate_count; j++) {
        if (s->candidate_values[j] <= s->limit) {
            s->candidate_positions[kept] = s->candidate_positions[j];
            s->candidate_values[kept] = s->candidate_values[j];
            kept++;
        }
    }
    s->candidate_count = kept;
    if (kept * 2 <= s->candidate_capacity) return 1;
    const long capacity = s->candidate_capacity * 2;
    long *positions = realloc(s->candidate_positions, (size_t)capacity * sizeof(long));
    if (!positions) return 0;
    s->candidate_positions = positions;
    float *values = realloc(s->candidate_values, (size_t)capacity * sizeof(float));
    if (!values) return 0;
    s->candidate_values = values;
    s->candidate_capacity = capacity;
    return 1;
}

// One leaf in reach of the cell bound: skipped when its box is out of reach; else its rows
// screened, the k smallest values updated and the rows within the bound kept.
static void scan_leaf(query_state *s, long leaf) {
    const fairlead_kd_tree *t = s->tree;
    const long p = t->feature_count;
    const double *low = t->leaf_lower + leaf * p, *high = t->leaf_upper + leaf * p;
    double box = 0;
    for (long c = 0; c < p; c++) {
        const double value = s->point[c];
        double gap = low[c] - value;
        const double above = value - high[c];
        if (above > gap) gap = above;
        if (gap < 0) gap = 0;
        box += gap * gap;
    }
    if (box > s->bound) return;
    const long node = t->first_leaf + leaf;
    const long start = t->node_start[node], length = t->node_end[node] - start;
    const float *columns = t->leaf_columns + leaf * p * t->leaf_stride;
    const float *norms = t->leaf_norms + leaf * t->leaf_stride;
    unsigned any;
#if defined(__x86_64__)
    if (s->vector)
        any = screen_avx2(s->scaled, s->qnorm, columns, norms, t->leaf_stride, p, length, s->limit, s->screened,
                          s->masks);
    else
#endif
        any = screen_portable(s->scaled, s->qnorm, columns, norms, t->leaf_stride, p, length, s->limit, s->screened,
                              s->masks);
    if (!any) return;
    const long k = s->k;
    float *best = s->best;
    for (long group = 0; group * 8 < length; group++) {
        unsigned mask = s->masks[group];
        while (mask) {
            const long index = group * 8 + __builtin_ctz(mask);
            mask &= mask - 1;
            const float value = s->screened[index];
            if (!(value <= s->limit)) continue;
            if (value < best[k - 1]) {
                long slot = k - 1;
                while (slot > 0 && best[slot - 1] > value) {
                    best[slot] = best[slot - 1];
                    slot--;
                }
                best[slot] = value;
                update_bound(s);
            }
            if (!reserve_candidate(s)) {
                s->failed = 1;
                return;
            }
            s->candidate_positions[s->candidate_count] = start + index;
            s->candidate_values[s->candidate_count] = value;
            s->candidate_count++;
        }
    }
}

// Visits `node`, whose cell is at squared distance `cell` from the query (the sum of the
// offsets' squares, to rounding): the nearer child first, the farther one if still in reach.
static void visit(query_state *s, long node, double cell) {
    const fairlead_kd_tree *t = s->tree;
    if (node >= t->first_leaf) {
        scan_leaf(s, node - t->first_leaf);
        return;
    }
    const long c = t->split_dimension[node];
    const double value = s->point[c];
    const long left = 2 * node + 1, right = left + 1;
    double below = t->split_low[left] - value, above = value - t->split_high[left];
    double left_offset = below > above ? below : above;
    if (left_offset < 0) left_offset = 0;
    below = t->split_low[right] - value;
    above = value - t->split_high[right];
    double right_offset = below > above ? below : above;
    if (right_offset < 0) right_offset = 0;
    const double old = s->offsets[c];
    const double base = cell - old * old;
    long near = left, far = right;
    double near_offset = left_offset, far_offset = right_offset;
    if (!(left_offset <= right_offset)) {
        near = right;
        far = left;
        near_offset = right_offset;
        far_offset = left_offset;
    }
    const double near_cell = base + near_offset * near_offset;
    if (near_cell <= s->bound + s->margin) {
        s->offsets[c] = near_offset;
        visit(s, near, near_cell);
    }
    const double far_cell = base + far_offset * far_offset;
    if (far_cell <= s->bound + s->margin) {
        s->offsets[c] = far_offset;
        visit(s, far, far_cell);
    }
    s->offsets[c] = old;
}

// The candidates within the final bound, by exact distance: the k nearest, ties to the
// lower row, written to the output. Returns 0, or -2 when there are fewer than k.
static long finish_query(query_state *s, long position, double *values, int32_t *rows, int32_t *indices) {
    const fairlead_kd_tree *t = s->tree;
    const long p = t->feature_count, k = s->k;
    const double *point = s->point;
    for (long slot = 0; slot < k; slot++) {
        values[slot] = INFINITY;
        rows[slot] = INT32_MAX;
    }
    for (long j = 0; j < s->candidate_count; j++) {
        if (!(s->candidate_values[j] <= s->limit)) continue;
        const long candidate = s->candidate_positions[j];
        const double *reference = t->rows + candidate * p;
        double distance = 0;
        for (long c = 0; c < p; c++) {
            const double d = point[c] - reference[c];
            distance += d * d;
        }
        const int32_t row = t->order[candidate];
        if (!(distance < values[k - 1] || (distance == values[k - 1] && row < rows[k - 1]))) continue;
        long slot = k - 1;
        while (slot > 0 && (values[slot - 1] > distance || (values[slot - 1] == distance && rows[slot - 1] > row))) {
            values[slot] = values[slot - 1];
            rows[slot] = rows[slot - 1];
            slot--;
        }
        values[slot] = distance;
        rows[slot] = row;
    }
    if (rows[k - 1] == INT32_MAX) return -2;
    const long out = (long)t->order[position] * k;
    for (long slot = 0; slot < k; slot++) indices[out + slot] = rows[slot];
    return 0;
}

long fairlead_kd_search(const fairlead_kd_tree *tree, long k, long start, long end, int32_t *indices) {
    const long p = tree->feature_count;
    query_state s;
    memset(&s, 0, sizeof s);
    s.tree = tree;
    s.k = k;
    s.vector = has_vector_support();
    s.scaled = malloc((size_t)(p + 1) * sizeof(float));
    s.offsets = malloc((size_t)(p + 1) * sizeof(double));
    s.screened = malloc((size_t)tree->leaf_stride * sizeof(float));
    s.masks = malloc((size_t)tree->leaf_stride / 8 + 1);
    s.best = malloc((size_t)k * sizeof(float));
    s.candidate_capacity = 256 + 2 * k;
    s.candidate_positions = malloc((size_t)s.candidate_capacity * sizeof(long));
    s.candidate_values = malloc((size_t)s.candidate_capacity * sizeof(float));
    double *values = malloc((size_t)k * sizeof(double));
    int32_t *rows = malloc((size_t)k * sizeof(int32_t));
    long result = 0;
    if (!s.scaled || !s.offsets || !s.screened || !s.masks || !s.best || !s.candidate_positions ||
        !s.candidate_values || !values || !rows) {
        result = -1;
        goto done;
    }
    for (long position = start; position < end; position++) {
        const double *point = tree->rows + position * p;
        double norm = 0;
        for (long c = 0; c < p; c++) {
            norm += point[c] * point[c];
            s.scaled[c] = -2 * (float)point[c];
            s.offsets[c] = 0;
        }
        s.point = point;
        s.qnorm = (float)norm;
        s.margin = 1e-12 * (norm + tree->largest_squared_norm);
        s.screen_margin = (double)(p + 16) * 5e-7 * (norm + tree->largest_squared_norm) + 1e-27;
        for (long slot = 0; slot < k; slot++) s.best[slot] = INFINITY;
        update_bound(&s);
        s.candidate_count = 0;
        visit(&s, 0, 0);
        if (s.failed) {
            result = -1;
            goto done;
        }
        result = finish_query(&s, position, values, rows, indices);
        if (result != 0) goto done;
    }
done:
    free(s.scaled);
    free(s.offsets);
    free(s.screened);
    free(s.masks);
    free(s.best);
    free(s.candidate_positions);
    free(s.candidate_values);
    free(values);
    free(rows);
    return result;
}
