#ifndef CKERNELS_PCA_H
#define CKERNELS_PCA_H
#include "ckernels.h"

// The block product of the principal axes (issue 9): for the rows of one fixed tile, p = w·B − c
// for a block B of up to 8 vectors, and the sums Σ w pᵀ and Σ p, all in double. One call per tile;
// the caller adds tiles in tile order, so results do not depend on the thread count.
//
// Arithmetic, the same on every path: rows widen exactly to double; each lane of p is two chains of
// multiply-adds (even and odd columns, in column order) added, then c subtracted; Σ w pᵀ and Σ p add
// the tile's finite rows in row order. The AVX2, AVX-512 and NEON paths fuse the multiply-adds and
// so give identical bits; the scalar path rounds the product and the sum separately (baseline
// x86-64 has no FMA instruction, and a software fma would be a hundred times slower), which moves
// each sum by at most its own rounding, ~1e-16 relative per term.

/// How the rows are stored.
typedef enum {
    TS_PCA_F32 = 0,
    TS_PCA_F16 = 1,
    TS_PCA_BF16 = 2,
} ts_pca_format;

/// Vectors per block; narrower blocks are padded with zero vectors.
#define TS_PCA_LANES 8

typedef struct {
    const void *base;       // row 0 of the matrix
    size_t row_bytes;
    size_t row_step;        // row r of the pass is row r × row_step of the matrix (1: every row; more: a sample)
    ts_pca_format format;
    size_t columns;
    const double *block;    // columns × 8: lane m of entry j is block[8 j + m]
    const double *offset;   // 8: the c subtracted from every p (μᵀB keeps p small)
    uint8_t *finite;        // per row of the matrix (r × row_step): 1 finite, 0 skipped
    int find_finite;        // 1: test every row and write `finite`; 0: read it
} ts_pca_input;

typedef struct {
    double *product;        // columns × 8, accumulated into: Σ w pᵀ; NULL: projections only
    double *sum;            // 8, accumulated into: Σ p
    double *column_sum;     // columns, accumulated into: Σ w over the finite rows; or NULL
    double *projections;    // (row_end − row_begin) × 8: w·B (uncentred), NaN for skipped rows; or NULL
    double *scratch;        // TS_PCA_BLOCK_SCRATCH_ROWS × columns doubles of working space
} ts_pca_output;
/// Rows of working space the double pass needs, in units of columns doubles.
#define TS_PCA_BLOCK_SCRATCH_ROWS 16

/// Runs the pass's rows [row_begin, row_end) on `path` (or the widest supported path below it); returns the
/// path used.
ts_simd_path ts_pca_block_pass(ts_simd_path path, const ts_pca_input *input, size_t row_begin, size_t row_end,
                               const ts_pca_output *output);

// The single-precision pass (issue 9): the same block product with p = (w − c)·B and Σ (w − c) pᵀ in
// float, twice the lanes of double, for the Krylov passes whose products only steer the iteration
// (the axes and their error bounds always come from double passes). B and the product pair columns:
// entry (j, m) at 16 ⌊j/2⌋ + 2 m + (j mod 2), so one 64-bit broadcast of (x_j, x_{j+1}) meets eight
// vectors at two columns. Arithmetic, the same on every fused path (identical bits): rows widen
// exactly to float and c is subtracted; lane m of p is four chains of multiply-adds (columns j mod 4 =
// 0, 1, 2, 3, in column order) combined as (c0 + c2) + (c1 + c3); Σ (w − c) pᵀ adds rows in row order
// in float, and every TS_PCA_SINGLE_FLUSH finite rows (and at the end) the float sums are added into
// the double ones, which bounds the float rounding to that of a sum of 64 terms; Σ p and Σ w add in
// double. The scalar path rounds its multiply-adds separately.

/// Rows summed in float before their sums are added into double.
#define TS_PCA_SINGLE_FLUSH 64

typedef struct {
    const void *base;       // row 0 of the matrix
    size_t row_bytes;
    size_t row_step;        // row r of the pass is row r × row_step of the matrix
    ts_pca_format format;
    size_t columns;         // d
    size_t padded_columns;  // d rounded up to a multiple of 4
    const float *block;     // padded_columns × 8, paired as above; zero past d and past the block
    const float *centre;    // padded_columns: c, zero past d
    uint8_t *finite;        // per row of the matrix: 1 finite, 0 skipped
    int find_finite;        // 1: test every row and write `finite`; 0: read it
} ts_pca_single_input;

typedef struct {
    double *product;        // padded_columns × 8, paired as above, accumulated into: Σ (w − c) pᵀ
    double *sum;            // 8, accumulated into: Σ p
    double *column_sum;     // columns, accumulated into: Σ w over the finite rows; or NULL
    float *scratch;         // TS_PCA_SINGLE_SCRATCH_ROWS × padded_columns floats of working space
} ts_pca_single_output;

/// Rows of working space the single-precision pass needs, in units of padded_columns floats.
#define TS_PCA_SINGLE_SCRATCH_ROWS 24

/// The single-precision pass over rows [row_begin, row_end) on `path` (or the widest supported path below it);
/// returns the path used.
ts_simd_path ts_pca_single_pass(ts_simd_path path, const ts_pca_single_input *input, size_t row_begin, size_t row_end,
                                const ts_pca_single_output *output);

// Magikarp's indicators (UndertrainedIndicators.swift), here for the row formats they share: for
// each row w, the eight sums its four indicators are made of, in double. Arithmetic, the same on
// every path (identical bits): rows widen exactly to double; each sum is eight lanes, lane k taking
// columns k, k + 8, k + 16, … below the last multiple of 16, in column order, as separate multiplies
// and adds (never fused); the lanes are added as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)),
// then the columns past the last multiple of 16 one at a time. The second group (w − s p, s = w·p)
// is formed once s is known.

/// Per row, in this order.
typedef enum {
    TS_INDICATOR_SQUARES = 0,          // Σ w²
    TS_INDICATOR_DOT_REFERENCE = 1,    // Σ w m
    TS_INDICATOR_ALONG_AXIS = 2,       // s = Σ w p
    TS_INDICATOR_FROM_REFERENCE = 3,   // Σ (w − m)²
    TS_INDICATOR_CENTRED = 4,          // Σ (w − μ)²
    TS_INDICATOR_CENTRED_DOT = 5,      // Σ (w − μ)(m − μ)
    TS_INDICATOR_REDUCED = 6,          // Σ (w − s p)²
    TS_INDICATOR_REDUCED_DOT = 7,      // Σ (w − s p) r
    TS_INDICATOR_SUMS = 8,
} ts_indicator_sum;

typedef struct {
    const void *base;              // row 0 of the matrix
    size_t row_bytes;
    ts_pca_format format;
    size_t columns;
    const double *reference_mean;  // m
    const double *axis;            // p, unit length
    const double *row_mean;        // μ
    const double *centred_reference;  // m − μ
    const double *reduced_reference;  // m − (m·p) p
} ts_indicator_input;

/// Rows [row_begin, row_end): TS_INDICATOR_SUMS sums per row into `sums` (row-major, from row_begin).
/// For a row whose Σ w² is not finite the last two sums are not computed (left as they were). Returns
/// the path used: `path` or the widest supported below it.
ts_simd_path ts_indicator_sums(ts_simd_path path, const ts_indicator_input *input, size_t row_begin, size_t row_end,
                               double *sums);


#endif
