#ifndef CKERNELS_ROWS_H
#define CKERNELS_ROWS_H
#include "ckernels.h"

// Kernels over rows of W (2,560 stored values each in Qwen3-4B). Every path adds in the same fixed
// order, so a result is the same bits on every path: sums of squares use sixteen Double lanes
// (lane k takes elements i ≡ k mod 16), multiplied and added separately (never fused: a fused
// square rounds differently on a path without FMA), reduced by the one tree of
// ts_rows_fixed_sum; the elements past the last multiple of 16 are added one by one afterwards.

/// How the values of a row are stored.
typedef enum {
    TS_ROW_BF16 = 0,
    TS_ROW_F16 = 1,
    TS_ROW_F32 = 2,
} ts_row_format;

/// Σ (aᵢ − bᵢ)² in Double, or a partial sum ≥ stop_at once one is (checked every 256 elements, at
/// the same points on every path: partial sums of non-negative terms only grow, so that is exact).
double ts_row_squared_distance(ts_simd_path path, ts_row_format format, const void *a, const void *b,
                               size_t columns, double stop_at);

/// Σ aᵢ² in Double.
double ts_row_squared_norm(ts_simd_path path, ts_row_format format, const void *a, size_t columns);

/// 1 when the rows hold equal values element by element (+0 equals −0, NaN equals nothing).
int ts_row_equal(ts_simd_path path, ts_row_format format, const void *a, const void *b, size_t columns);

/// A 64-bit hash of a row's values in which +0 and −0 agree, written to *hash; returns 0 (hash
/// untouched) when the row holds NaN or an infinity.
int ts_row_finite_hash(ts_simd_path path, ts_row_format format, const void *a, size_t columns, uint64_t *hash);

/// Widens `count` stored values to Float: exact, BF16 bit for bit; an F16 NaN comes out quiet with
/// its payload kept, as the F16C and NEON instructions convert it.
void ts_row_widen(ts_simd_path path, ts_row_format format, const void *source, float *destination, size_t count);

/// Rows per panel of the Gram kernel.
#define TS_GRAM_PANEL 16

/// The 16 × 16 dot products of two panels of rows: a panel holds TS_GRAM_PANEL rows of `depth`
/// Floats interleaved (element k of row r at k·16 + r). out[r·16 + c] = Σₖ a[k·16 + r]·b[k·16 + c],
/// each a chain of fused multiply-adds in k order on every path, so the same bits on each.
void ts_gram_panels(ts_simd_path path, const float *a, const float *b, size_t depth, float *out);

#endif
