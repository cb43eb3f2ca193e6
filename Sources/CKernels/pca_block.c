// The block product of the principal axes, one path per instruction set (see ckernels_pca.h for
// the arithmetic every path follows). Rows are widened to double into `scratch`, a batch at a time
// (four rows; sixteen on AVX2 and AVX-512, in column tiles), so that each load of B and of Σ w pᵀ
// serves several rows.
#include "pca_internal.h"

_Static_assert(BLOCK_BATCH <= TS_PCA_BLOCK_SCRATCH_ROWS && GROUP <= BLOCK_BATCH, "the scratch holds a batch of rows");

// The scalar path must not fuse: its order and roundings are the documented ones.
#pragma STDC FP_CONTRACT OFF

/// Widens columns [from, d) one at a time; 1 when all are finite.
static int widen_tail(const void *row, ts_pca_format format, size_t from, size_t d, double *out) {
    int finite = 1;
    for (size_t j = from; j < d; j++) {
        float v = stored_value(row, format, j);
        finite &= (float_bits(v) & 0x7F800000u) != 0x7F800000u;
        out[j] = (double)v;
    }
    return finite;
}

typedef int (*widen_fn)(const void *row, ts_pca_format format, size_t d, double *out);
/// Rows w[0..<g] (g = GROUP, or 1): p, then Σ w pᵀ (when `product`), Σ p, Σ w, projections.
typedef void (*group_fn)(const double *const *w, int g, size_t d, const double *block, const double *offset,
                         double *product, double *sum, double *column_sum, double *const *projections, ts_rows_ahead *ahead);

// ---- scalar ----

static int widen_scalar(const void *row, ts_pca_format format, size_t d, double *out) {
    return widen_tail(row, format, 0, d, out);
}

static void group_scalar(const double *const *w, int g, size_t d, const double *block, const double *offset,
                         double *product, double *sum, double *column_sum, double *const *projections, ts_rows_ahead *ahead) {
    double p[GROUP][TS_PCA_LANES];
    for (int r = 0; r < g; r++) {
        double even[TS_PCA_LANES] = {0}, odd[TS_PCA_LANES] = {0};
        size_t j = 0;
        for (; j + 2 <= d; j += 2) {
            fetch_line_ahead(ahead);
            for (int m = 0; m < TS_PCA_LANES; m++) {
                even[m] = w[r][j] * block[8 * j + m] + even[m];
                odd[m] = w[r][j + 1] * block[8 * j + 8 + m] + odd[m];
            }
        }
        if (j < d) for (int m = 0; m < TS_PCA_LANES; m++) even[m] = w[r][j] * block[8 * j + m] + even[m];
        for (int m = 0; m < TS_PCA_LANES; m++) {
            double raw = even[m] + odd[m];
            if (projections && projections[r]) projections[r][m] = raw;
            p[r][m] = raw - offset[m];
            sum[m] = sum[m] + p[r][m];
        }
    }
    if (product) {
        for (size_t j = 0; j < d; j++) {
            for (int m = 0; m < TS_PCA_LANES; m++) {
                double y = product[8 * j + m];
                for (int r = 0; r < g; r++) y = w[r][j] * p[r][m] + y;
                product[8 * j + m] = y;
            }
        }
    }
    if (column_sum) for (int r = 0; r < g; r++) for (size_t j = 0; j < d; j++) column_sum[j] = column_sum[j] + w[r][j];
}

#if TS_PCA_X86
// ---- AVX2 + FMA + F16C: eight lanes as two halves of four ----

__attribute__((target("avx2,fma,f16c")))
static int widen_avx2(const void *row, ts_pca_format format, size_t d, double *out) {
    const __m256i exponent = _mm256_set1_epi32(0x7F800000);
    __m256i bad = _mm256_setzero_si256();
    size_t j = 0;
    for (; j + 8 <= d; j += 8) {
        __m256 x = stored8_avx2(row, format, j);
        bad = _mm256_or_si256(bad, _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_castps_si256(x), exponent), exponent));
        _mm256_storeu_pd(out + j, _mm256_cvtps_pd(_mm256_castps256_ps128(x)));
        _mm256_storeu_pd(out + j + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)));
    }
    int finite = _mm256_testz_si256(bad, bad);
    return widen_tail(row, format, j, d, out) & finite;
}

/// Product 1 of `group_avx2` for rows u and v (v NULL: u alone) over the column pairs of [from, to),
/// into their accumulators (even columns' halves, then odd columns'): 2 rows × 2 halves × 2 chains
/// = 8 registers, within the 16.
__attribute__((target("avx2,fma,f16c")))
static inline void rows_times_block_avx2(const double *u, const double *v, size_t from, size_t to, const double *block,
                                         __m256d acc[2][4], ts_rows_ahead *ahead) {
    __m256d ue0 = acc[0][0], ue1 = acc[0][1], uo0 = acc[0][2], uo1 = acc[0][3];
    if (v) {
        __m256d ve0 = acc[1][0], ve1 = acc[1][1], vo0 = acc[1][2], vo1 = acc[1][3];
        for (size_t j = from; j < to; j += 2) {
            fetch_line_ahead(ahead);
            __m256d b0 = _mm256_loadu_pd(block + 8 * j), b1 = _mm256_loadu_pd(block + 8 * j + 4);
            __m256d c0 = _mm256_loadu_pd(block + 8 * j + 8), c1 = _mm256_loadu_pd(block + 8 * j + 12);
            __m256d a0 = _mm256_broadcast_sd(u + j), a1 = _mm256_broadcast_sd(u + j + 1);
            __m256d q0 = _mm256_broadcast_sd(v + j), q1 = _mm256_broadcast_sd(v + j + 1);
            ue0 = _mm256_fmadd_pd(a0, b0, ue0); ue1 = _mm256_fmadd_pd(a0, b1, ue1);
            uo0 = _mm256_fmadd_pd(a1, c0, uo0); uo1 = _mm256_fmadd_pd(a1, c1, uo1);
            ve0 = _mm256_fmadd_pd(q0, b0, ve0); ve1 = _mm256_fmadd_pd(q0, b1, ve1);
            vo0 = _mm256_fmadd_pd(q1, c0, vo0); vo1 = _mm256_fmadd_pd(q1, c1, vo1);
        }
        acc[1][0] = ve0; acc[1][1] = ve1; acc[1][2] = vo0; acc[1][3] = vo1;
    } else {
        for (size_t j = from; j < to; j += 2) {
            __m256d a0 = _mm256_broadcast_sd(u + j), a1 = _mm256_broadcast_sd(u + j + 1);
            ue0 = _mm256_fmadd_pd(a0, _mm256_loadu_pd(block + 8 * j), ue0);
            ue1 = _mm256_fmadd_pd(a0, _mm256_loadu_pd(block + 8 * j + 4), ue1);
            uo0 = _mm256_fmadd_pd(a1, _mm256_loadu_pd(block + 8 * j + 8), uo0);
            uo1 = _mm256_fmadd_pd(a1, _mm256_loadu_pd(block + 8 * j + 12), uo1);
        }
    }
    acc[0][0] = ue0; acc[0][1] = ue1; acc[0][2] = uo0; acc[0][3] = uo1;
}

/// Product 2 of `group_avx2` for up to four rows over columns [from, to): Σ w pᵀ in row order.
__attribute__((target("avx2,fma,f16c")))
static inline void rows_into_product_avx2(const double *const *w, int g, __m256d (*p)[2], size_t from, size_t to, double *product) {
    if (g == 4) {
        const double *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
        for (size_t k = from; k < to; k++) {
            for (int h = 0; h < 2; h++) {
                __m256d y = _mm256_loadu_pd(product + 8 * k + 4 * h);
                y = _mm256_fmadd_pd(_mm256_broadcast_sd(w0 + k), p[0][h], y);
                y = _mm256_fmadd_pd(_mm256_broadcast_sd(w1 + k), p[1][h], y);
                y = _mm256_fmadd_pd(_mm256_broadcast_sd(w2 + k), p[2][h], y);
                y = _mm256_fmadd_pd(_mm256_broadcast_sd(w3 + k), p[3][h], y);
                _mm256_storeu_pd(product + 8 * k + 4 * h, y);
            }
        }
        return;
    }
    for (size_t k = from; k < to; k++) {
        for (int h = 0; h < 2; h++) {
            __m256d y = _mm256_loadu_pd(product + 8 * k + 4 * h);
            for (int r = 0; r < g; r++) y = _mm256_fmadd_pd(_mm256_broadcast_sd(w[r] + k), p[r][h], y);
            _mm256_storeu_pd(product + 8 * k + 4 * h, y);
        }
    }
}

/// As `group_avx512`: up to BLOCK_BATCH rows, column tile by column tile, two rows at a time for
/// the first product and four for the second.
__attribute__((target("avx2,fma,f16c")))
static void group_avx2(const double *const *w, int g, size_t d, const double *block, const double *offset,
                       double *product, double *sum, double *column_sum, double *const *projections, ts_rows_ahead *ahead) {
    __m256d acc[BLOCK_BATCH / 2][2][4];
    memset(acc, 0, sizeof acc);
    const size_t pairs = d & ~(size_t)1;
    for (size_t t = 0; t < pairs; t += BLOCK_TILE) {
        const size_t end = tile_end(t, BLOCK_TILE, pairs);
        for (int r = 0; r < g; r += 2) rows_times_block_avx2(w[r], r + 1 < g ? w[r + 1] : NULL, t, end, block, acc[r / 2], ahead);
    }
    __m256d p[BLOCK_BATCH][2];
    for (int r = 0; r < g; r++) {
        __m256d *a = acc[r / 2][r % 2];
        if (pairs < d) {
            __m256d x = _mm256_broadcast_sd(w[r] + pairs);
            a[0] = _mm256_fmadd_pd(x, _mm256_loadu_pd(block + 8 * pairs), a[0]);
            a[1] = _mm256_fmadd_pd(x, _mm256_loadu_pd(block + 8 * pairs + 4), a[1]);
        }
        for (int h = 0; h < 2; h++) {
            __m256d raw = _mm256_add_pd(a[h], a[2 + h]);
            if (projections && projections[r]) _mm256_storeu_pd(projections[r] + 4 * h, raw);
            p[r][h] = _mm256_sub_pd(raw, _mm256_loadu_pd(offset + 4 * h));
        }
    }
    for (int h = 0; h < 2; h++) {
        __m256d s = _mm256_loadu_pd(sum + 4 * h);
        for (int r = 0; r < g; r++) s = _mm256_add_pd(s, p[r][h]);
        _mm256_storeu_pd(sum + 4 * h, s);
    }
    if (product) {
        for (size_t t = 0; t < d; t += BLOCK_TILE) {
            const size_t end = tile_end(t, BLOCK_TILE, d);
            for (int r = 0; r < g; r += 4) rows_into_product_avx2(w + r, g - r < 4 ? g - r : 4, p + r, t, end, product);
        }
    }
    if (column_sum) {
        for (int r = 0; r < g; r++) {
            size_t j = 0;
            for (; j + 4 <= d; j += 4) _mm256_storeu_pd(column_sum + j, _mm256_add_pd(_mm256_loadu_pd(column_sum + j), _mm256_loadu_pd(w[r] + j)));
            for (; j < d; j++) column_sum[j] = column_sum[j] + w[r][j];
        }
    }
}

// ---- AVX-512: eight lanes in one register ----

__attribute__((target(TS_AVX512)))
static int widen_avx512(const void *row, ts_pca_format format, size_t d, double *out) {
    const __m512i exponent = _mm512_set1_epi32(0x7F800000);
    __mmask16 bad = 0;
    size_t j = 0;
    for (; j + 16 <= d; j += 16) {
        __m512 x = stored16_avx512(row, format, j);
        bad |= _mm512_cmpeq_epi32_mask(_mm512_and_si512(_mm512_castps_si512(x), exponent), exponent);
        _mm512_storeu_pd(out + j, _mm512_cvtps_pd(_mm512_castps512_ps256(x)));
        _mm512_storeu_pd(out + j + 8, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1))));
    }
    return widen_tail(row, format, j, d, out) & (bad == 0);
}

/// Product 1 of `group_avx512` for up to eight rows over the column pairs of [from, to), into their
/// even- and odd-column accumulators: 16 of the 32 registers.
__attribute__((target(TS_AVX512)))
static inline void rows_times_block_avx512(const double *const *w, int g, size_t from, size_t to, const double *block,
                                           __m512d (*acc)[2], ts_rows_ahead *ahead) {
    if (g == 8) {
        const double *rows[8];
        __m512d even[8], odd[8];
        for (int r = 0; r < 8; r++) { rows[r] = w[r]; even[r] = acc[r][0]; odd[r] = acc[r][1]; }
        for (size_t j = from; j < to; j += 2) {
            fetch_line_ahead(ahead);
            __m512d b = _mm512_loadu_pd(block + 8 * j), c = _mm512_loadu_pd(block + 8 * j + 8);
            for (int r = 0; r < 8; r++) {
                even[r] = _mm512_fmadd_pd(_mm512_set1_pd(rows[r][j]), b, even[r]);
                odd[r] = _mm512_fmadd_pd(_mm512_set1_pd(rows[r][j + 1]), c, odd[r]);
            }
        }
        for (int r = 0; r < 8; r++) { acc[r][0] = even[r]; acc[r][1] = odd[r]; }
        return;
    }
    for (size_t j = from; j < to; j += 2) {
        __m512d b = _mm512_loadu_pd(block + 8 * j), c = _mm512_loadu_pd(block + 8 * j + 8);
        for (int r = 0; r < g; r++) {
            acc[r][0] = _mm512_fmadd_pd(_mm512_set1_pd(w[r][j]), b, acc[r][0]);
            acc[r][1] = _mm512_fmadd_pd(_mm512_set1_pd(w[r][j + 1]), c, acc[r][1]);
        }
    }
}

/// Product 2 of `group_avx512` for up to eight rows over columns [from, to): Σ w pᵀ in row order.
__attribute__((target(TS_AVX512)))
static inline void rows_into_product_avx512(const double *const *w, int g, const __m512d *p, size_t from, size_t to, double *product) {
    if (g == 8) {
        // Local copies: the stores into `product` could otherwise alias the row pointers.
        const double *rows[8];
        __m512d q[8];
        for (int r = 0; r < 8; r++) { rows[r] = w[r]; q[r] = p[r]; }
        size_t k = from;
        // Four columns at a time: four independent chains of multiply-adds instead of one.
        for (; k + 4 <= to; k += 4) {
            __m512d y0 = _mm512_loadu_pd(product + 8 * k), y1 = _mm512_loadu_pd(product + 8 * k + 8);
            __m512d y2 = _mm512_loadu_pd(product + 8 * k + 16), y3 = _mm512_loadu_pd(product + 8 * k + 24);
            for (int r = 0; r < 8; r++) {
                y0 = _mm512_fmadd_pd(_mm512_set1_pd(rows[r][k]), q[r], y0);
                y1 = _mm512_fmadd_pd(_mm512_set1_pd(rows[r][k + 1]), q[r], y1);
                y2 = _mm512_fmadd_pd(_mm512_set1_pd(rows[r][k + 2]), q[r], y2);
                y3 = _mm512_fmadd_pd(_mm512_set1_pd(rows[r][k + 3]), q[r], y3);
            }
            _mm512_storeu_pd(product + 8 * k, y0); _mm512_storeu_pd(product + 8 * k + 8, y1);
            _mm512_storeu_pd(product + 8 * k + 16, y2); _mm512_storeu_pd(product + 8 * k + 24, y3);
        }
        from = k;
    }
    // The rest (and batches of fewer than eight rows) one column at a time, in the same row order.
    for (size_t k = from; k < to; k++) {
        __m512d y = _mm512_loadu_pd(product + 8 * k);
        for (int r = 0; r < g; r++) y = _mm512_fmadd_pd(_mm512_set1_pd(w[r][k]), p[r], y);
        _mm512_storeu_pd(product + 8 * k, y);
    }
}

/// Up to BLOCK_BATCH rows, column tile by column tile, eight rows at a time: each tile of B and of
/// Σ w pᵀ (8 KB each) is read from L1 by every row of the batch. Each accumulator still meets its
/// columns in column order and each sum its rows in row order, so the bits are those of one row at a time.
__attribute__((target(TS_AVX512)))
static void group_avx512(const double *const *w, int g, size_t d, const double *block, const double *offset,
                         double *product, double *sum, double *column_sum, double *const *projections, ts_rows_ahead *ahead) {
    __m512d acc[BLOCK_BATCH][2];
    for (int r = 0; r < BLOCK_BATCH; r++) { acc[r][0] = _mm512_setzero_pd(); acc[r][1] = _mm512_setzero_pd(); }
    const size_t pairs = d & ~(size_t)1;
    for (size_t t = 0; t < pairs; t += BLOCK_TILE) {
        const size_t end = tile_end(t, BLOCK_TILE, pairs);
        for (int r = 0; r < g; r += 8) rows_times_block_avx512(w + r, g - r < 8 ? g - r : 8, t, end, block, acc + r, ahead);
    }
    if (pairs < d) for (int r = 0; r < g; r++) acc[r][0] = _mm512_fmadd_pd(_mm512_set1_pd(w[r][pairs]), _mm512_loadu_pd(block + 8 * pairs), acc[r][0]);
    const __m512d c = _mm512_loadu_pd(offset);
    __m512d s = _mm512_loadu_pd(sum);
    __m512d p[BLOCK_BATCH];
    for (int r = 0; r < g; r++) {
        __m512d raw = _mm512_add_pd(acc[r][0], acc[r][1]);
        if (projections && projections[r]) _mm512_storeu_pd(projections[r], raw);
        p[r] = _mm512_sub_pd(raw, c);
        s = _mm512_add_pd(s, p[r]);
    }
    _mm512_storeu_pd(sum, s);
    if (product) {
        for (size_t t = 0; t < d; t += BLOCK_TILE) {
            const size_t end = tile_end(t, BLOCK_TILE, d);
            for (int r = 0; r < g; r += 8) rows_into_product_avx512(w + r, g - r < 8 ? g - r : 8, p + r, t, end, product);
        }
    }
    if (column_sum) {
        for (int r = 0; r < g; r++) {
            size_t k = 0;
            for (; k + 8 <= d; k += 8) _mm512_storeu_pd(column_sum + k, _mm512_add_pd(_mm512_loadu_pd(column_sum + k), _mm512_loadu_pd(w[r] + k)));
            for (; k < d; k++) column_sum[k] = column_sum[k] + w[r][k];
        }
    }
}
#endif

#if TS_PCA_NEON
// ---- NEON: eight lanes as four pairs, one row at a time ----

static int widen_neon(const void *row, ts_pca_format format, size_t d, double *out) {
    uint32x4_t bad = vdupq_n_u32(0);
    const uint32x4_t exponent = vdupq_n_u32(0x7F800000u);
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        float32x4_t x = stored4_neon(row, format, j);
        bad = vorrq_u32(bad, vceqq_u32(vandq_u32(vreinterpretq_u32_f32(x), exponent), exponent));
        vst1q_f64(out + j, vcvt_f64_f32(vget_low_f32(x)));
        vst1q_f64(out + j + 2, vcvt_high_f64_f32(x));
    }
    return widen_tail(row, format, j, d, out) & (vmaxvq_u32(bad) == 0);
}

static void group_neon(const double *const *w, int g, size_t d, const double *block, const double *offset,
                       double *product, double *sum, double *column_sum, double *const *projections, ts_rows_ahead *ahead) {
    float64x2_t p[GROUP][4];
    for (int r = 0; r < g; r++) {
        float64x2_t even[4], odd[4];
        for (int h = 0; h < 4; h++) { even[h] = vdupq_n_f64(0); odd[h] = vdupq_n_f64(0); }
        size_t j = 0;
        for (; j + 2 <= d; j += 2) {
            fetch_line_ahead(ahead);
            for (int h = 0; h < 4; h++) {
                even[h] = vfmaq_n_f64(even[h], vld1q_f64(block + 8 * j + 2 * h), w[r][j]);
                odd[h] = vfmaq_n_f64(odd[h], vld1q_f64(block + 8 * j + 8 + 2 * h), w[r][j + 1]);
            }
        }
        if (j < d) for (int h = 0; h < 4; h++) even[h] = vfmaq_n_f64(even[h], vld1q_f64(block + 8 * j + 2 * h), w[r][j]);
        for (int h = 0; h < 4; h++) {
            float64x2_t raw = vaddq_f64(even[h], odd[h]);
            if (projections && projections[r]) vst1q_f64(projections[r] + 2 * h, raw);
            p[r][h] = vsubq_f64(raw, vld1q_f64(offset + 2 * h));
            vst1q_f64(sum + 2 * h, vaddq_f64(vld1q_f64(sum + 2 * h), p[r][h]));
        }
    }
    if (product) {
        for (size_t j = 0; j < d; j++) {
            for (int h = 0; h < 4; h++) {
                float64x2_t y = vld1q_f64(product + 8 * j + 2 * h);
                for (int r = 0; r < g; r++) y = vfmaq_n_f64(y, p[r][h], w[r][j]);
                vst1q_f64(product + 8 * j + 2 * h, y);
            }
        }
    }
    if (column_sum) for (int r = 0; r < g; r++) for (size_t j = 0; j < d; j++) column_sum[j] = column_sum[j] + w[r][j];
}
#endif

ts_simd_path ts_pca_block_pass(ts_simd_path path, const ts_pca_input *input, size_t row_begin, size_t row_end,
                               const ts_pca_output *output) {
    ts_simd_path used = ts_simd_usable(path);
    widen_fn widen = widen_scalar;
    group_fn group = group_scalar;
#if TS_PCA_X86
    // Rows per call of `group`: any batch gives the same sums (see group_avx512).
    int batch = GROUP;
    if (used == TS_SIMD_AVX512) { widen = widen_avx512; group = group_avx512; batch = BLOCK_BATCH; }
    else if (used == TS_SIMD_AVX2) { widen = widen_avx2; group = group_avx2; batch = BLOCK_BATCH; }
#elif TS_PCA_NEON
    if (used == TS_SIMD_NEON) { widen = widen_neon; group = group_neon; }
#endif
    const size_t d = input->columns;
    const double *rows[BLOCK_BATCH];
    double *projections[BLOCK_BATCH];
    int pending = 0;
    for (size_t r = row_begin; r < row_end; r++) {
        double *slot = output->scratch + (size_t)pending * d;
        double *projection = output->projections ? output->projections + (r - row_begin) * TS_PCA_LANES : NULL;
        const size_t row = r * input->row_step;
        if (!input->find_finite && !input->finite[row]) {
            if (projection) for (int m = 0; m < TS_PCA_LANES; m++) projection[m] = __builtin_nan("");
            continue;
        }
        int finite = widen((const char *)input->base + row * input->row_bytes, input->format, d, slot);
        if (input->find_finite) input->finite[row] = (uint8_t)finite;
        if (!finite) {
            if (projection) for (int m = 0; m < TS_PCA_LANES; m++) projection[m] = __builtin_nan("");
            continue;
        }
        rows[pending] = slot;
        projections[pending] = projection;
        if (++pending == batch) {
            ts_rows_ahead ahead = rows_ahead(input->base, input->row_bytes, input->row_step, r, row_end, batch);
            group(rows, batch, d, input->block, input->offset, output->product, output->sum, output->column_sum, projections, &ahead);
            pending = 0;
        }
    }
    // The last rows one at a time, in order: the same sums as a group would give.
    ts_rows_ahead none = {NULL, NULL};
    for (int r = 0; r < pending; r++) {
        group(&rows[r], 1, d, input->block, input->offset, output->product, output->sum, output->column_sum, &projections[r], &none);
    }
    return used;
}
