#include <math.h>
#include "rows_internal.h"

// The Gram kernel of PairwiseDistances: 16 × 16 dot products of two row panels. Every output is
// the chain acc = fma(a[k], b[k], acc) over k = 0, 1, …, so the paths differ only in how many
// chains they run at once (fmaf is the same single rounding as the vector instructions).

void ts_gram_panels_scalar(const float *a, const float *b, size_t depth, float *out) {
    float acc[TS_GRAM_PANEL * TS_GRAM_PANEL] = {0};
    for (size_t k = 0; k < depth; k++) {
        const float *ak = a + k * TS_GRAM_PANEL, *bk = b + k * TS_GRAM_PANEL;
        for (int r = 0; r < TS_GRAM_PANEL; r++) {
            for (int c = 0; c < TS_GRAM_PANEL; c++) acc[r * TS_GRAM_PANEL + c] = fmaf(ak[r], bk[c], acc[r * TS_GRAM_PANEL + c]);
        }
    }
    memcpy(out, acc, sizeof acc);
}

#if defined(__x86_64__)
#include <immintrin.h>

// Four rows at a time: 4 × 2 accumulators of 8 columns each, the B panel row loaded once per k.
__attribute__((target("avx2,fma"))) void ts_gram_panels_avx2(const float *a, const float *b, size_t depth, float *out) {
    for (int r0 = 0; r0 < TS_GRAM_PANEL; r0 += 4) {
        __m256 acc[4][2];
        for (int r = 0; r < 4; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
        for (size_t k = 0; k < depth; k++) {
            const float *ak = a + k * TS_GRAM_PANEL + r0, *bk = b + k * TS_GRAM_PANEL;
            __m256 b0 = _mm256_loadu_ps(bk), b1 = _mm256_loadu_ps(bk + 8);
            for (int r = 0; r < 4; r++) {
                __m256 x = _mm256_broadcast_ss(ak + r);
                acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
            }
        }
        for (int r = 0; r < 4; r++) {
            _mm256_storeu_ps(out + (r0 + r) * TS_GRAM_PANEL, acc[r][0]);
            _mm256_storeu_ps(out + (r0 + r) * TS_GRAM_PANEL + 8, acc[r][1]);
        }
    }
}

// All sixteen rows at once: sixteen accumulators of one B panel row each.
__attribute__((target("avx512f"))) void ts_gram_panels_avx512(const float *a, const float *b, size_t depth, float *out) {
    __m512 acc[TS_GRAM_PANEL];
    for (int r = 0; r < TS_GRAM_PANEL; r++) acc[r] = _mm512_setzero_ps();
    for (size_t k = 0; k < depth; k++) {
        const float *ak = a + k * TS_GRAM_PANEL;
        __m512 bk = _mm512_loadu_ps(b + k * TS_GRAM_PANEL);
        for (int r = 0; r < TS_GRAM_PANEL; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(ak[r]), bk, acc[r]);
    }
    for (int r = 0; r < TS_GRAM_PANEL; r++) _mm512_storeu_ps(out + r * TS_GRAM_PANEL, acc[r]);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// Four rows at a time: 4 × 4 accumulators of 4 columns each.
void ts_gram_panels_neon(const float *a, const float *b, size_t depth, float *out) {
    for (int r0 = 0; r0 < TS_GRAM_PANEL; r0 += 4) {
        float32x4_t acc[4][4];
        for (int r = 0; r < 4; r++) for (int q = 0; q < 4; q++) acc[r][q] = vdupq_n_f32(0);
        for (size_t k = 0; k < depth; k++) {
            const float *ak = a + k * TS_GRAM_PANEL + r0, *bk = b + k * TS_GRAM_PANEL;
            float32x4_t bq[4] = {vld1q_f32(bk), vld1q_f32(bk + 4), vld1q_f32(bk + 8), vld1q_f32(bk + 12)};
            for (int r = 0; r < 4; r++) {
                for (int q = 0; q < 4; q++) acc[r][q] = vfmaq_n_f32(acc[r][q], bq[q], ak[r]);
            }
        }
        for (int r = 0; r < 4; r++) for (int q = 0; q < 4; q++) vst1q_f32(out + (r0 + r) * TS_GRAM_PANEL + 4 * q, acc[r][q]);
    }
}
#endif
