// Magikarp's indicator sums, one path per instruction set (see ckernels_indicators.h for the
// arithmetic every path follows). Eight double lanes per sum: a zmm register, two ymm, four NEON
// registers or eight scalars, each lane summing the same columns in the same order.
#include "pca_internal.h"
#include <math.h>

// Every path multiplies and adds separately: the sums are those of the Swift code they replaced.
#pragma STDC FP_CONTRACT OFF

/// The lanes added in the fixed tree.
static inline double lane_tree(const double l[8]) {
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

/// The columns past the last multiple of 16, one at a time, after the lanes' tree; then the second
/// group over those columns. `s` is complete only after the first part, hence two functions.
static void first_tail(const void *row, ts_pca_format format, size_t from, size_t d, const ts_indicator_input *in, double *out) {
    for (size_t i = from; i < d; i++) {
        const double x = (double)stored_value(row, format, i);
        const double m = in->reference_mean[i], mu = in->row_mean[i];
        out[TS_INDICATOR_SQUARES] += x * x;
        out[TS_INDICATOR_DOT_REFERENCE] += x * m;
        out[TS_INDICATOR_ALONG_AXIS] += x * in->axis[i];
        out[TS_INDICATOR_FROM_REFERENCE] += (x - m) * (x - m);
        out[TS_INDICATOR_CENTRED] += (x - mu) * (x - mu);
        out[TS_INDICATOR_CENTRED_DOT] += (x - mu) * in->centred_reference[i];
    }
}

static void second_tail(const void *row, ts_pca_format format, size_t from, size_t d, const ts_indicator_input *in, double *out) {
    const double s = out[TS_INDICATOR_ALONG_AXIS];
    for (size_t i = from; i < d; i++) {
        const double y = (double)stored_value(row, format, i) - s * in->axis[i];
        out[TS_INDICATOR_REDUCED] += y * y;
        out[TS_INDICATOR_REDUCED_DOT] += y * in->reduced_reference[i];
    }
}

typedef void (*row_fn)(const void *row, ts_pca_format format, size_t d, const ts_indicator_input *in, double *out);

// ---- scalar ----

static void row_scalar(const void *row, ts_pca_format format, size_t d, const ts_indicator_input *in, double *out) {
    const size_t end = d & ~(size_t)15;
    double acc[6][8] = {{0}};
    for (size_t i = 0; i < end; i += 8) {
        for (int k = 0; k < 8; k++) {
            const double x = (double)stored_value(row, format, i + k);
            const double m = in->reference_mean[i + k], e = x - m, c = x - in->row_mean[i + k];
            acc[0][k] = acc[0][k] + x * x;
            acc[1][k] = acc[1][k] + x * m;
            acc[2][k] = acc[2][k] + x * in->axis[i + k];
            acc[3][k] = acc[3][k] + e * e;
            acc[4][k] = acc[4][k] + c * c;
            acc[5][k] = acc[5][k] + c * in->centred_reference[i + k];
        }
    }
    for (int t = 0; t < 6; t++) out[t] = lane_tree(acc[t]);
    first_tail(row, format, end, d, in, out);
    if (!isfinite(out[TS_INDICATOR_SQUARES])) return;
    const double s = out[TS_INDICATOR_ALONG_AXIS];
    double reduced[8] = {0}, reduced_dot[8] = {0};
    for (size_t i = 0; i < end; i += 8) {
        for (int k = 0; k < 8; k++) {
            const double y = (double)stored_value(row, format, i + k) - s * in->axis[i + k];
            reduced[k] = reduced[k] + y * y;
            reduced_dot[k] = reduced_dot[k] + y * in->reduced_reference[i + k];
        }
    }
    out[TS_INDICATOR_REDUCED] = lane_tree(reduced);
    out[TS_INDICATOR_REDUCED_DOT] = lane_tree(reduced_dot);
    second_tail(row, format, end, d, in, out);
}

#if TS_PCA_X86
// ---- AVX2: eight lanes as two halves of four ----

#define AVX2 __attribute__((target("avx2,fma,f16c")))

AVX2 static inline void store_tree_avx2(__m256d low, __m256d high, double *out) {
    double l[8];
    _mm256_storeu_pd(l, low);
    _mm256_storeu_pd(l + 4, high);
    *out = lane_tree(l);
}

AVX2 static void row_avx2(const void *row, ts_pca_format format, size_t d, const ts_indicator_input *in, double *out) {
    const size_t end = d & ~(size_t)15;
    __m256d acc[6][2];
    for (int t = 0; t < 6; t++) acc[t][0] = acc[t][1] = _mm256_setzero_pd();
    for (size_t i = 0; i < end; i += 8) {
        const __m256 x8 = stored8_avx2(row, format, i);
        for (int h = 0; h < 2; h++) {
            const size_t j = i + 4 * (size_t)h;
            const __m256d x = _mm256_cvtps_pd(h ? _mm256_extractf128_ps(x8, 1) : _mm256_castps256_ps128(x8));
            const __m256d m = _mm256_loadu_pd(in->reference_mean + j);
            const __m256d e = _mm256_sub_pd(x, m), c = _mm256_sub_pd(x, _mm256_loadu_pd(in->row_mean + j));
            acc[0][h] = _mm256_add_pd(acc[0][h], _mm256_mul_pd(x, x));
            acc[1][h] = _mm256_add_pd(acc[1][h], _mm256_mul_pd(x, m));
            acc[2][h] = _mm256_add_pd(acc[2][h], _mm256_mul_pd(x, _mm256_loadu_pd(in->axis + j)));
            acc[3][h] = _mm256_add_pd(acc[3][h], _mm256_mul_pd(e, e));
            acc[4][h] = _mm256_add_pd(acc[4][h], _mm256_mul_pd(c, c));
            acc[5][h] = _mm256_add_pd(acc[5][h], _mm256_mul_pd(c, _mm256_loadu_pd(in->centred_reference + j)));
        }
    }
    for (int t = 0; t < 6; t++) store_tree_avx2(acc[t][0], acc[t][1], out + t);
    first_tail(row, format, end, d, in, out);
    if (!isfinite(out[TS_INDICATOR_SQUARES])) return;
    const __m256d s = _mm256_set1_pd(out[TS_INDICATOR_ALONG_AXIS]);
    __m256d reduced[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()}, reduced_dot[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()};
    for (size_t i = 0; i < end; i += 8) {
        const __m256 x8 = stored8_avx2(row, format, i);
        for (int h = 0; h < 2; h++) {
            const size_t j = i + 4 * (size_t)h;
            const __m256d x = _mm256_cvtps_pd(h ? _mm256_extractf128_ps(x8, 1) : _mm256_castps256_ps128(x8));
            const __m256d y = _mm256_sub_pd(x, _mm256_mul_pd(s, _mm256_loadu_pd(in->axis + j)));
            reduced[h] = _mm256_add_pd(reduced[h], _mm256_mul_pd(y, y));
            reduced_dot[h] = _mm256_add_pd(reduced_dot[h], _mm256_mul_pd(y, _mm256_loadu_pd(in->reduced_reference + j)));
        }
    }
    store_tree_avx2(reduced[0], reduced[1], out + TS_INDICATOR_REDUCED);
    store_tree_avx2(reduced_dot[0], reduced_dot[1], out + TS_INDICATOR_REDUCED_DOT);
    second_tail(row, format, end, d, in, out);
}

// ---- AVX-512: eight lanes in one register ----

#define AVX512 __attribute__((target(TS_AVX512)))

AVX512 static inline double tree_avx512(__m512d v) {
    double l[8];
    _mm512_storeu_pd(l, v);
    return lane_tree(l);
}

AVX512 static void row_avx512(const void *row, ts_pca_format format, size_t d, const ts_indicator_input *in, double *out) {
    const size_t end = d & ~(size_t)15;
    __m512d acc[6];
    for (int t = 0; t < 6; t++) acc[t] = _mm512_setzero_pd();
    for (size_t i = 0; i < end; i += 16) {
        const __m512 x16 = stored16_avx512(row, format, i);
        for (int h = 0; h < 2; h++) {
            const size_t j = i + 8 * (size_t)h;
            const __m512d x = _mm512_cvtps_pd(h ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x16), 1)) : _mm512_castps512_ps256(x16));
            const __m512d m = _mm512_loadu_pd(in->reference_mean + j);
            const __m512d e = _mm512_sub_pd(x, m), c = _mm512_sub_pd(x, _mm512_loadu_pd(in->row_mean + j));
            acc[0] = _mm512_add_pd(acc[0], _mm512_mul_pd(x, x));
            acc[1] = _mm512_add_pd(acc[1], _mm512_mul_pd(x, m));
            acc[2] = _mm512_add_pd(acc[2], _mm512_mul_pd(x, _mm512_loadu_pd(in->axis + j)));
            acc[3] = _mm512_add_pd(acc[3], _mm512_mul_pd(e, e));
            acc[4] = _mm512_add_pd(acc[4], _mm512_mul_pd(c, c));
            acc[5] = _mm512_add_pd(acc[5], _mm512_mul_pd(c, _mm512_loadu_pd(in->centred_reference + j)));
        }
    }
    for (int t = 0; t < 6; t++) out[t] = tree_avx512(acc[t]);
    first_tail(row, format, end, d, in, out);
    if (!isfinite(out[TS_INDICATOR_SQUARES])) return;
    const __m512d s = _mm512_set1_pd(out[TS_INDICATOR_ALONG_AXIS]);
    __m512d reduced = _mm512_setzero_pd(), reduced_dot = _mm512_setzero_pd();
    for (size_t i = 0; i < end; i += 16) {
        const __m512 x16 = stored16_avx512(row, format, i);
        for (int h = 0; h < 2; h++) {
            const size_t j = i + 8 * (size_t)h;
            const __m512d x = _mm512_cvtps_pd(h ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x16), 1)) : _mm512_castps512_ps256(x16));
            const __m512d y = _mm512_sub_pd(x, _mm512_mul_pd(s, _mm512_loadu_pd(in->axis + j)));
            reduced = _mm512_add_pd(reduced, _mm512_mul_pd(y, y));
            reduced_dot = _mm512_add_pd(reduced_dot, _mm512_mul_pd(y, _mm512_loadu_pd(in->reduced_reference + j)));
        }
    }
    out[TS_INDICATOR_REDUCED] = tree_avx512(reduced);
    out[TS_INDICATOR_REDUCED_DOT] = tree_avx512(reduced_dot);
    second_tail(row, format, end, d, in, out);
}
#endif

#if TS_PCA_NEON
// ---- NEON: eight lanes as four pairs ----

static inline double tree_neon(const float64x2_t v[4]) {
    double l[8];
    for (int q = 0; q < 4; q++) vst1q_f64(l + 2 * q, v[q]);
    return lane_tree(l);
}

static void row_neon(const void *row, ts_pca_format format, size_t d, const ts_indicator_input *in, double *out) {
    const size_t end = d & ~(size_t)15;
    float64x2_t acc[6][4];
    for (int t = 0; t < 6; t++) for (int q = 0; q < 4; q++) acc[t][q] = vdupq_n_f64(0);
    for (size_t i = 0; i < end; i += 8) {
        const float32x4_t lo = stored4_neon(row, format, i), hi = stored4_neon(row, format, i + 4);
        const float64x2_t xs[4] = {vcvt_f64_f32(vget_low_f32(lo)), vcvt_high_f64_f32(lo), vcvt_f64_f32(vget_low_f32(hi)), vcvt_high_f64_f32(hi)};
        for (int q = 0; q < 4; q++) {
            const size_t j = i + 2 * (size_t)q;
            const float64x2_t x = xs[q], m = vld1q_f64(in->reference_mean + j);
            const float64x2_t e = vsubq_f64(x, m), c = vsubq_f64(x, vld1q_f64(in->row_mean + j));
            acc[0][q] = vaddq_f64(acc[0][q], vmulq_f64(x, x));
            acc[1][q] = vaddq_f64(acc[1][q], vmulq_f64(x, m));
            acc[2][q] = vaddq_f64(acc[2][q], vmulq_f64(x, vld1q_f64(in->axis + j)));
            acc[3][q] = vaddq_f64(acc[3][q], vmulq_f64(e, e));
            acc[4][q] = vaddq_f64(acc[4][q], vmulq_f64(c, c));
            acc[5][q] = vaddq_f64(acc[5][q], vmulq_f64(c, vld1q_f64(in->centred_reference + j)));
        }
    }
    for (int t = 0; t < 6; t++) out[t] = tree_neon(acc[t]);
    first_tail(row, format, end, d, in, out);
    if (!isfinite(out[TS_INDICATOR_SQUARES])) return;
    const float64x2_t s = vdupq_n_f64(out[TS_INDICATOR_ALONG_AXIS]);
    float64x2_t reduced[4], reduced_dot[4];
    for (int q = 0; q < 4; q++) { reduced[q] = vdupq_n_f64(0); reduced_dot[q] = vdupq_n_f64(0); }
    for (size_t i = 0; i < end; i += 8) {
        const float32x4_t lo = stored4_neon(row, format, i), hi = stored4_neon(row, format, i + 4);
        const float64x2_t xs[4] = {vcvt_f64_f32(vget_low_f32(lo)), vcvt_high_f64_f32(lo), vcvt_f64_f32(vget_low_f32(hi)), vcvt_high_f64_f32(hi)};
        for (int q = 0; q < 4; q++) {
            const size_t j = i + 2 * (size_t)q;
            const float64x2_t y = vsubq_f64(xs[q], vmulq_f64(s, vld1q_f64(in->axis + j)));
            reduced[q] = vaddq_f64(reduced[q], vmulq_f64(y, y));
            reduced_dot[q] = vaddq_f64(reduced_dot[q], vmulq_f64(y, vld1q_f64(in->reduced_reference + j)));
        }
    }
    out[TS_INDICATOR_REDUCED] = tree_neon(reduced);
    out[TS_INDICATOR_REDUCED_DOT] = tree_neon(reduced_dot);
    second_tail(row, format, end, d, in, out);
}
#endif

ts_simd_path ts_indicator_sums(ts_simd_path path, const ts_indicator_input *input, size_t row_begin, size_t row_end,
                               double *sums) {
    ts_simd_path used = ts_simd_usable(path);
    row_fn row = row_scalar;
#if TS_PCA_X86
    if (used == TS_SIMD_AVX512) row = row_avx512;
    else if (used == TS_SIMD_AVX2) row = row_avx2;
#elif TS_PCA_NEON
    if (used == TS_SIMD_NEON) row = row_neon;
#endif
    for (size_t r = row_begin; r < row_end; r++) {
        row((const char *)input->base + r * input->row_bytes, input->format, input->columns, input,
            sums + (r - row_begin) * TS_INDICATOR_SUMS);
    }
    return used;
}
