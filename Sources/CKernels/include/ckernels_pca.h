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
    double *scratch;        // 4 × columns doubles of working space
} ts_pca_output;

/// Runs the pass's rows [row_begin, row_end) on `path` (or the widest supported path below it); returns the
/// path used.
ts_simd_path ts_pca_block_pass(ts_simd_path path, const ts_pca_input *input, size_t row_begin, size_t row_end,
                               const ts_pca_output *output);

#endif
