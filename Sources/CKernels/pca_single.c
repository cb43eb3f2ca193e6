// The single-precision block product of the principal axes, one path per instruction set (see
// ckernels_pca.h for the arithmetic every path follows). Rows are widened to float minus the centre
// into `scratch`, a batch at a time (four rows; sixteen on AVX2 and AVX-512, in column tiles), so that
// each load of B and of the float sums serves several rows.
#include "pca_internal.h"

_Static_assert(SINGLE_BATCH + TS_PCA_LANES == TS_PCA_SINGLE_SCRATCH_ROWS, "the scratch holds a batch of rows and the float sums");

// The scalar path must not fuse: its order and roundings are the documented ones.
#pragma STDC FP_CONTRACT OFF

/// (x_j, x_{j+1}) as one 64-bit value, for the broadcasts that meet a pair of columns.
static inline double column_pair(const float *x) { double v; memcpy(&v, x, 8); return v; }

/// Widens columns [from, d) one at a time, minus the centre when there is one; 1 when all are finite.
static int widen_single_tail(const void *row, ts_pca_format format, size_t from, size_t d, const float *centre, float *out) {
    int finite = 1;
    for (size_t j = from; j < d; j++) {
        float v = stored_value(row, format, j);
        finite &= (float_bits(v) & 0x7F800000u) != 0x7F800000u;
        out[j] = centre ? v - centre[j] : v;
    }
    return finite;
}

typedef int (*widen_single_fn)(const void *row, ts_pca_format format, size_t d, const float *centre, float *out);
/// Σ w of a finite row widened uncentred into x (added into `column_sum` column by column), then x
/// centred: the first pass's mean needs the rows before centring.
typedef void (*sum_and_centre_fn)(float *x, const float *centre, double *column_sum, size_t d);
/// Rows x[0..<g] (g = the path's batch, or 1), centred: p, Σ p, and Σ x pᵀ into the float sums `partial`.
typedef void (*group_single_fn)(const float *const *x, int g, size_t padded, const float *block, float *partial, double *sum,
                                ts_rows_ahead *ahead);

/// p from the two accumulated halves of each lane (a: columns 0, 1 mod 4; b: 2, 3 mod 4), as
/// (c0 + c2) + (c1 + c3); Σ p in double; and p with each lane repeated, for the product.
static inline void finish_p(const float a_plus_b[16], double *sum, float duplicated[16]) {
    for (int m = 0; m < TS_PCA_LANES; m++) {
        float p = a_plus_b[2 * m] + a_plus_b[2 * m + 1];
        sum[m] = sum[m] + (double)p;
        duplicated[2 * m] = p;
        duplicated[2 * m + 1] = p;
    }
}

// ---- scalar ----

static int widen_single_scalar(const void *row, ts_pca_format format, size_t d, const float *centre, float *out) {
    return widen_single_tail(row, format, 0, d, centre, out);
}

/// Columns [from, d) of `sum_and_centre_fn`, one at a time.
static void sum_and_centre_tail(float *x, const float *centre, double *column_sum, size_t from, size_t d) {
    for (size_t j = from; j < d; j++) {
        column_sum[j] = column_sum[j] + (double)x[j];
        x[j] = x[j] - centre[j];
    }
}

static void sum_and_centre_scalar(float *x, const float *centre, double *column_sum, size_t d) {
    sum_and_centre_tail(x, centre, column_sum, 0, d);
}

static void group_single_scalar(const float *const *x, int g, size_t padded, const float *block, float *partial, double *sum,
                                ts_rows_ahead *ahead) {
    float duplicated[GROUP][16];
    for (int r = 0; r < g; r++) {
        float a[16] = {0}, b[16] = {0}, lanes[16];
        for (size_t j = 0; j < padded; j += 4) {
            fetch_line_ahead(ahead);
            for (int e = 0; e < 16; e++) {
                a[e] = x[r][j + (e & 1)] * block[8 * j + e] + a[e];
                b[e] = x[r][j + 2 + (e & 1)] * block[8 * j + 16 + e] + b[e];
            }
        }
        for (int e = 0; e < 16; e++) lanes[e] = a[e] + b[e];
        finish_p(lanes, sum, duplicated[r]);
    }
    for (size_t k = 0; k < padded / 2; k++) {
        for (int e = 0; e < 16; e++) {
            float y = partial[16 * k + e];
            for (int r = 0; r < g; r++) y = x[r][2 * k + (e & 1)] * duplicated[r][e] + y;
            partial[16 * k + e] = y;
        }
    }
}

#if TS_PCA_X86
// ---- AVX2 + FMA + F16C: sixteen lanes as two halves of eight ----

__attribute__((target("avx2,fma,f16c")))
static int widen_single_avx2(const void *row, ts_pca_format format, size_t d, const float *centre, float *out) {
    const __m256i exponent = _mm256_set1_epi32(0x7F800000);
    __m256i bad = _mm256_setzero_si256();
    size_t j = 0;
    for (; j + 8 <= d; j += 8) {
        __m256 v = stored8_avx2(row, format, j);
        bad = _mm256_or_si256(bad, _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_castps_si256(v), exponent), exponent));
        _mm256_storeu_ps(out + j, centre ? _mm256_sub_ps(v, _mm256_loadu_ps(centre + j)) : v);
    }
    int finite = _mm256_testz_si256(bad, bad);
    return widen_single_tail(row, format, j, d, centre, out) & finite;
}

__attribute__((target("avx2,fma,f16c")))
static void sum_and_centre_avx2(float *x, const float *centre, double *column_sum, size_t d) {
    size_t j = 0;
    for (; j + 8 <= d; j += 8) {
        __m256 v = _mm256_loadu_ps(x + j);
        _mm256_storeu_pd(column_sum + j, _mm256_add_pd(_mm256_loadu_pd(column_sum + j), _mm256_cvtps_pd(_mm256_castps256_ps128(v))));
        _mm256_storeu_pd(column_sum + j + 4, _mm256_add_pd(_mm256_loadu_pd(column_sum + j + 4), _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))));
        _mm256_storeu_ps(x + j, _mm256_sub_ps(v, _mm256_loadu_ps(centre + j)));
    }
    sum_and_centre_tail(x, centre, column_sum, j, d);
}

/// Product 1 of `group_single_avx2` for rows u and v (v NULL: u alone) over columns [from, to), into
/// their accumulators: 2 rows × 2 halves × 2 chains = 8 registers, within the 16.
__attribute__((target("avx2,fma,f16c")))
static inline void rows_times_block_avx2(const float *u, const float *v, size_t from, size_t to, const float *block,
                                         __m256 acc[2][4], ts_rows_ahead *ahead) {
    __m256 a00 = acc[0][0], a01 = acc[0][1], b00 = acc[0][2], b01 = acc[0][3];
    if (v) {
        __m256 a10 = acc[1][0], a11 = acc[1][1], b10 = acc[1][2], b11 = acc[1][3];
        for (size_t j = from; j < to; j += 4) {
            fetch_line_ahead(ahead);
            __m256 q0 = _mm256_loadu_ps(block + 8 * j), q1 = _mm256_loadu_ps(block + 8 * j + 8);
            __m256 s0 = _mm256_loadu_ps(block + 8 * j + 16), s1 = _mm256_loadu_ps(block + 8 * j + 24);
            __m256 u0 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(u + j))), u2 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(u + j + 2)));
            __m256 v0 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(v + j))), v2 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(v + j + 2)));
            a00 = _mm256_fmadd_ps(u0, q0, a00); a01 = _mm256_fmadd_ps(u0, q1, a01);
            b00 = _mm256_fmadd_ps(u2, s0, b00); b01 = _mm256_fmadd_ps(u2, s1, b01);
            a10 = _mm256_fmadd_ps(v0, q0, a10); a11 = _mm256_fmadd_ps(v0, q1, a11);
            b10 = _mm256_fmadd_ps(v2, s0, b10); b11 = _mm256_fmadd_ps(v2, s1, b11);
        }
        acc[1][0] = a10; acc[1][1] = a11; acc[1][2] = b10; acc[1][3] = b11;
    } else {
        for (size_t j = from; j < to; j += 4) {
            __m256 u0 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(u + j))), u2 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(u + j + 2)));
            a00 = _mm256_fmadd_ps(u0, _mm256_loadu_ps(block + 8 * j), a00);
            a01 = _mm256_fmadd_ps(u0, _mm256_loadu_ps(block + 8 * j + 8), a01);
            b00 = _mm256_fmadd_ps(u2, _mm256_loadu_ps(block + 8 * j + 16), b00);
            b01 = _mm256_fmadd_ps(u2, _mm256_loadu_ps(block + 8 * j + 24), b01);
        }
    }
    acc[0][0] = a00; acc[0][1] = a01; acc[0][2] = b00; acc[0][3] = b01;
}

/// Product 2 of `group_single_avx2` for up to four rows over column pairs [from, to): Σ x pᵀ in row order.
__attribute__((target("avx2,fma,f16c")))
static inline void rows_into_sums_avx2(const float *const *x, int g, const float (*duplicated)[16], size_t from, size_t to,
                                       float *partial) {
    __m256 p[4][2];
    for (int r = 0; r < g; r++) for (int h = 0; h < 2; h++) p[r][h] = _mm256_loadu_ps(duplicated[r] + 8 * h);
    if (g == 4) {
        const float *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
        for (size_t k = from; k < to; k++) {
            __m256 w0 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(x0 + 2 * k))), w1 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(x1 + 2 * k)));
            __m256 w2 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(x2 + 2 * k))), w3 = _mm256_castpd_ps(_mm256_set1_pd(column_pair(x3 + 2 * k)));
            for (int h = 0; h < 2; h++) {
                __m256 y = _mm256_loadu_ps(partial + 16 * k + 8 * h);
                y = _mm256_fmadd_ps(w0, p[0][h], y);
                y = _mm256_fmadd_ps(w1, p[1][h], y);
                y = _mm256_fmadd_ps(w2, p[2][h], y);
                y = _mm256_fmadd_ps(w3, p[3][h], y);
                _mm256_storeu_ps(partial + 16 * k + 8 * h, y);
            }
        }
    } else {
        for (size_t k = from; k < to; k++) {
            for (int h = 0; h < 2; h++) {
                __m256 y = _mm256_loadu_ps(partial + 16 * k + 8 * h);
                for (int r = 0; r < g; r++) y = _mm256_fmadd_ps(_mm256_castpd_ps(_mm256_set1_pd(column_pair(x[r] + 2 * k))), p[r][h], y);
                _mm256_storeu_ps(partial + 16 * k + 8 * h, y);
            }
        }
    }
}

/// Up to SINGLE_BATCH rows, column tile by column tile: each tile of B and of the float sums (8 KB
/// each) is read from L1 by every row of the batch instead of from L2 by every pair or four. Each
/// accumulator still meets its columns in column order and each sum its rows in row order, so the
/// bits are those of one row at a time.
__attribute__((target("avx2,fma,f16c")))
static void group_single_avx2(const float *const *x, int g, size_t padded, const float *block, float *partial, double *sum,
                              ts_rows_ahead *ahead) {
    __m256 acc[SINGLE_BATCH / 2][2][4];
    memset(acc, 0, sizeof acc);
    for (size_t t = 0; t < padded; t += SINGLE_TILE) {
        const size_t end = tile_end(t, SINGLE_TILE, padded);
        for (int r = 0; r < g; r += 2) rows_times_block_avx2(x[r], r + 1 < g ? x[r + 1] : NULL, t, end, block, acc[r / 2], ahead);
    }
    float duplicated[SINGLE_BATCH][16];
    for (int r = 0; r < g; r++) {
        const __m256 *a = acc[r / 2][r % 2];
        float lanes[16];
        _mm256_storeu_ps(lanes, _mm256_add_ps(a[0], a[2]));
        _mm256_storeu_ps(lanes + 8, _mm256_add_ps(a[1], a[3]));
        finish_p(lanes, sum, duplicated[r]);
    }
    for (size_t t = 0; t < padded / 2; t += SINGLE_TILE / 2) {
        const size_t end = tile_end(t, SINGLE_TILE / 2, padded / 2);
        for (int r = 0; r < g; r += 4) rows_into_sums_avx2(x + r, g - r < 4 ? g - r : 4, duplicated + r, t, end, partial);
    }
}

// ---- AVX-512: sixteen lanes in one register ----

__attribute__((target(TS_AVX512)))
static int widen_single_avx512(const void *row, ts_pca_format format, size_t d, const float *centre, float *out) {
    const __m512i exponent = _mm512_set1_epi32(0x7F800000);
    __mmask16 bad = 0;
    size_t j = 0;
    for (; j + 16 <= d; j += 16) {
        __m512 v = stored16_avx512(row, format, j);
        bad |= _mm512_cmpeq_epi32_mask(_mm512_and_si512(_mm512_castps_si512(v), exponent), exponent);
        _mm512_storeu_ps(out + j, centre ? _mm512_sub_ps(v, _mm512_loadu_ps(centre + j)) : v);
    }
    return widen_single_tail(row, format, j, d, centre, out) & (bad == 0);
}

__attribute__((target(TS_AVX512)))
static void sum_and_centre_avx512(float *x, const float *centre, double *column_sum, size_t d) {
    size_t j = 0;
    for (; j + 16 <= d; j += 16) {
        __m512 v = _mm512_loadu_ps(x + j);
        _mm512_storeu_pd(column_sum + j, _mm512_add_pd(_mm512_loadu_pd(column_sum + j), _mm512_cvtps_pd(_mm512_castps512_ps256(v))));
        _mm512_storeu_pd(column_sum + j + 8, _mm512_add_pd(_mm512_loadu_pd(column_sum + j + 8),
                                                           _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)))));
        _mm512_storeu_ps(x + j, _mm512_sub_ps(v, _mm512_loadu_ps(centre + j)));
    }
    sum_and_centre_tail(x, centre, column_sum, j, d);
}

__attribute__((target(TS_AVX512)))
static inline __m512 pair_avx512(const float *x) { return _mm512_castpd_ps(_mm512_set1_pd(column_pair(x))); }

/// Product 1 of `group_single_avx512` for up to eight rows over columns [from, to), into their
/// accumulators (a: columns 0, 1 mod 4; b: 2, 3 mod 4): 16 of the 32 registers.
__attribute__((target(TS_AVX512)))
static inline void rows_times_block_avx512(const float *const *x, int g, size_t from, size_t to, const float *block,
                                           __m512 (*acc)[2], ts_rows_ahead *ahead) {
    if (g == 8) {
        __m512 a[8], b[8];
        for (int r = 0; r < 8; r++) { a[r] = acc[r][0]; b[r] = acc[r][1]; }
        for (size_t j = from; j < to; j += 4) {
            fetch_line_ahead(ahead);
            __m512 q = _mm512_loadu_ps(block + 8 * j), s = _mm512_loadu_ps(block + 8 * j + 16);
            for (int r = 0; r < 8; r++) {
                a[r] = _mm512_fmadd_ps(pair_avx512(x[r] + j), q, a[r]);
                b[r] = _mm512_fmadd_ps(pair_avx512(x[r] + j + 2), s, b[r]);
            }
        }
        for (int r = 0; r < 8; r++) { acc[r][0] = a[r]; acc[r][1] = b[r]; }
        return;
    }
    for (size_t j = from; j < to; j += 4) {
        __m512 q = _mm512_loadu_ps(block + 8 * j), s = _mm512_loadu_ps(block + 8 * j + 16);
        for (int r = 0; r < g; r++) {
            acc[r][0] = _mm512_fmadd_ps(pair_avx512(x[r] + j), q, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(pair_avx512(x[r] + j + 2), s, acc[r][1]);
        }
    }
}

/// Product 2 of `group_single_avx512` for up to eight rows over column pairs [from, to): Σ x pᵀ in row order.
__attribute__((target(TS_AVX512)))
static inline void rows_into_sums_avx512(const float *const *x, int g, const __m512 *p, size_t from, size_t to, float *partial) {
    if (g == 8) {
        // Local copies: the stores into `partial` could otherwise alias the row pointers, reloaded each column.
        const float *rows[8];
        __m512 q[8];
        for (int r = 0; r < 8; r++) { rows[r] = x[r]; q[r] = p[r]; }
        size_t k = from;
        // Four column pairs at a time: four independent chains of multiply-adds instead of one.
        for (; k + 4 <= to; k += 4) {
            __m512 y0 = _mm512_loadu_ps(partial + 16 * k), y1 = _mm512_loadu_ps(partial + 16 * k + 16);
            __m512 y2 = _mm512_loadu_ps(partial + 16 * k + 32), y3 = _mm512_loadu_ps(partial + 16 * k + 48);
            for (int r = 0; r < 8; r++) {
                y0 = _mm512_fmadd_ps(pair_avx512(rows[r] + 2 * k), q[r], y0);
                y1 = _mm512_fmadd_ps(pair_avx512(rows[r] + 2 * k + 2), q[r], y1);
                y2 = _mm512_fmadd_ps(pair_avx512(rows[r] + 2 * k + 4), q[r], y2);
                y3 = _mm512_fmadd_ps(pair_avx512(rows[r] + 2 * k + 6), q[r], y3);
            }
            _mm512_storeu_ps(partial + 16 * k, y0); _mm512_storeu_ps(partial + 16 * k + 16, y1);
            _mm512_storeu_ps(partial + 16 * k + 32, y2); _mm512_storeu_ps(partial + 16 * k + 48, y3);
        }
        from = k;
    }
    // The rest (and batches of fewer than eight rows) one column pair at a time, in the same row order.
    for (size_t k = from; k < to; k++) {
        __m512 y = _mm512_loadu_ps(partial + 16 * k);
        for (int r = 0; r < g; r++) y = _mm512_fmadd_ps(pair_avx512(x[r] + 2 * k), p[r], y);
        _mm512_storeu_ps(partial + 16 * k, y);
    }
}

/// As `group_single_avx2`: up to SINGLE_BATCH rows, column tile by column tile, eight rows at a time.
__attribute__((target(TS_AVX512)))
static void group_single_avx512(const float *const *x, int g, size_t padded, const float *block, float *partial, double *sum,
                                ts_rows_ahead *ahead) {
    __m512 acc[SINGLE_BATCH][2];
    for (int r = 0; r < SINGLE_BATCH; r++) { acc[r][0] = _mm512_setzero_ps(); acc[r][1] = _mm512_setzero_ps(); }
    for (size_t t = 0; t < padded; t += SINGLE_TILE) {
        const size_t end = tile_end(t, SINGLE_TILE, padded);
        for (int r = 0; r < g; r += 8) rows_times_block_avx512(x + r, g - r < 8 ? g - r : 8, t, end, block, acc + r, ahead);
    }
    __m512 p[SINGLE_BATCH];
    for (int r = 0; r < g; r++) {
        float lanes[16], duplicated[16];
        _mm512_storeu_ps(lanes, _mm512_add_ps(acc[r][0], acc[r][1]));
        finish_p(lanes, sum, duplicated);
        p[r] = _mm512_loadu_ps(duplicated);
    }
    for (size_t t = 0; t < padded / 2; t += SINGLE_TILE / 2) {
        const size_t end = tile_end(t, SINGLE_TILE / 2, padded / 2);
        for (int r = 0; r < g; r += 8) rows_into_sums_avx512(x + r, g - r < 8 ? g - r : 8, p + r, t, end, partial);
    }
}
#endif

#if TS_PCA_NEON
// ---- NEON: sixteen lanes as four quarters, one row at a time ----

static int widen_single_neon(const void *row, ts_pca_format format, size_t d, const float *centre, float *out) {
    uint32x4_t bad = vdupq_n_u32(0);
    const uint32x4_t exponent = vdupq_n_u32(0x7F800000u);
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        float32x4_t v = stored4_neon(row, format, j);
        bad = vorrq_u32(bad, vceqq_u32(vandq_u32(vreinterpretq_u32_f32(v), exponent), exponent));
        vst1q_f32(out + j, centre ? vsubq_f32(v, vld1q_f32(centre + j)) : v);
    }
    return widen_single_tail(row, format, j, d, centre, out) & (vmaxvq_u32(bad) == 0);
}

static inline float32x4_t pair_neon(const float *x) { return vreinterpretq_f32_f64(vdupq_n_f64(column_pair(x))); }

static void group_single_neon(const float *const *x, int g, size_t padded, const float *block, float *partial, double *sum,
                              ts_rows_ahead *ahead) {
    float32x4_t p[GROUP][4];
    for (int r = 0; r < g; r++) {
        float32x4_t a[4], b[4];
        for (int h = 0; h < 4; h++) { a[h] = vdupq_n_f32(0); b[h] = vdupq_n_f32(0); }
        for (size_t j = 0; j < padded; j += 4) {
            fetch_line_ahead(ahead);
            float32x4_t u0 = pair_neon(x[r] + j), u2 = pair_neon(x[r] + j + 2);
            for (int h = 0; h < 4; h++) {
                a[h] = vfmaq_f32(a[h], u0, vld1q_f32(block + 8 * j + 4 * h));
                b[h] = vfmaq_f32(b[h], u2, vld1q_f32(block + 8 * j + 16 + 4 * h));
            }
        }
        float lanes[16], duplicated[16];
        for (int h = 0; h < 4; h++) vst1q_f32(lanes + 4 * h, vaddq_f32(a[h], b[h]));
        finish_p(lanes, sum, duplicated);
        for (int h = 0; h < 4; h++) p[r][h] = vld1q_f32(duplicated + 4 * h);
    }
    for (size_t k = 0; k < padded / 2; k++) {
        for (int h = 0; h < 4; h++) {
            float32x4_t y = vld1q_f32(partial + 16 * k + 4 * h);
            for (int r = 0; r < g; r++) y = vfmaq_f32(y, pair_neon(x[r] + 2 * k), p[r][h]);
            vst1q_f32(partial + 16 * k + 4 * h, y);
        }
    }
}
#endif

/// The float sums added into the double ones, and cleared.
static void flush(float *partial, double *product, size_t count) {
    for (size_t i = 0; i < count; i++) {
        product[i] = product[i] + (double)partial[i];
        partial[i] = 0;
    }
}

ts_simd_path ts_pca_single_pass(ts_simd_path path, const ts_pca_single_input *input, size_t row_begin, size_t row_end,
                                const ts_pca_single_output *output) {
    ts_simd_path used = ts_simd_usable(path);
    widen_single_fn widen = widen_single_scalar;
    group_single_fn group = group_single_scalar;
    // NEON keeps the scalar form, which arm64's compilers vectorise (NEON is always there).
    sum_and_centre_fn sum_and_centre = sum_and_centre_scalar;
    // Rows per call of `group`: any batch gives the same sums (see group_single_avx2).
    int batch = GROUP;
#if TS_PCA_X86
    if (used == TS_SIMD_AVX512) {
        widen = widen_single_avx512; group = group_single_avx512; sum_and_centre = sum_and_centre_avx512; batch = SINGLE_BATCH;
    }
    else if (used == TS_SIMD_AVX2) {
        widen = widen_single_avx2; group = group_single_avx2; sum_and_centre = sum_and_centre_avx2; batch = SINGLE_BATCH;
    }
#elif TS_PCA_NEON
    if (used == TS_SIMD_NEON) { widen = widen_single_neon; group = group_single_neon; }
#endif
    const size_t d = input->columns, padded = input->padded_columns, entries = padded * TS_PCA_LANES;
    float *partial = output->scratch + SINGLE_BATCH * padded;
    memset(output->scratch, 0, (SINGLE_BATCH * padded + entries) * sizeof(float));
    const float *rows[SINGLE_BATCH];
    int pending = 0, summed = 0;
    // Σ w needs the rows before centring: they are widened uncentred, summed, then centred.
    const int summing = output->column_sum != NULL;
    for (size_t r = row_begin; r < row_end; r++) {
        float *slot = output->scratch + (size_t)pending * padded;
        const size_t row = r * input->row_step;
        if (!input->find_finite && !input->finite[row]) continue;
        const void *stored = (const char *)input->base + row * input->row_bytes;
        int finite = widen(stored, input->format, d, summing ? NULL : input->centre, slot);
        if (input->find_finite) input->finite[row] = (uint8_t)finite;
        if (!finite) continue;
        if (summing) sum_and_centre(slot, input->centre, output->column_sum, d);
        rows[pending] = slot;
        if (++pending == batch) {
            ts_rows_ahead ahead = rows_ahead(input->base, input->row_bytes, input->row_step, r, row_end, batch);
            group(rows, batch, padded, input->block, partial, output->sum, &ahead);
            pending = 0;
            summed += batch;
            if (summed == TS_PCA_SINGLE_FLUSH) { flush(partial, output->product, entries); summed = 0; }
        }
    }
    // The last rows one at a time, in order: the same sums as a group would give.
    ts_rows_ahead none = {NULL, NULL};
    for (int r = 0; r < pending; r++) group(&rows[r], 1, padded, input->block, partial, output->sum, &none);
    flush(partial, output->product, entries);
    return used;
}
