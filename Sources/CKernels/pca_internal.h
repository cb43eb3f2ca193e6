#ifndef CKERNELS_PCA_INTERNAL_H
#define CKERNELS_PCA_INTERNAL_H
#include <string.h>
#include "ckernels_pca.h"
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TS_PCA_X86 1
#elif defined(__aarch64__)
#include <arm_neon.h>
#define TS_PCA_NEON 1
#endif

// Shared by the double and the single-precision passes: the element conversions (exact), scalar and
// per instruction set, and the rows handed to a group kernel at a time.

#define GROUP 4
/// Rows per call of the AVX2 and AVX-512 single-precision group kernels, and their column tile (see pca_single.c).
#define SINGLE_BATCH 16
#define SINGLE_TILE 256
/// Rows per call of the AVX2 and AVX-512 double group kernels, and their column tile (see pca_block.c).
#define BLOCK_BATCH 16
#define BLOCK_TILE 128
/// The end of the column tile that starts at `t`, for tiles of `tile` columns over [0, n).
static inline size_t tile_end(size_t t, size_t tile, size_t n) { return t + tile < n ? t + tile : n; }
#define TS_AVX512 "avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c"

static inline uint32_t float_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float bits_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static inline float bf16_value(uint16_t b) { return bits_float((uint32_t)b << 16); }

static inline float f16_value(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    if (exponent == 0x1F) return bits_float(sign | 0x7F800000 | (mantissa << 13));
    if (exponent != 0) return bits_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
    // Zero or subnormal: mantissa × 2⁻²⁴, exact in float.
    return bits_float(sign | float_bits((float)mantissa * 5.9604644775390625e-8f));
}

static inline float stored_value(const void *row, ts_pca_format format, size_t j) {
    switch (format) {
    case TS_PCA_BF16: return bf16_value(((const uint16_t *)row)[j]);
    case TS_PCA_F16: return f16_value(((const uint16_t *)row)[j]);
    default: return ((const float *)row)[j];
    }
}

#if TS_PCA_X86
/// Eight stored values from column j, widened exactly to float.
__attribute__((target("avx2,fma,f16c")))
static inline __m256 stored8_avx2(const void *row, ts_pca_format format, size_t j) {
    const __m128i *at = (const __m128i *)((const uint16_t *)row + j);
    if (format == TS_PCA_BF16) return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128(at)), 16));
    if (format == TS_PCA_F16) return _mm256_cvtph_ps(_mm_loadu_si128(at));
    return _mm256_loadu_ps((const float *)row + j);
}

/// Sixteen stored values from column j, widened exactly to float.
__attribute__((target(TS_AVX512)))
static inline __m512 stored16_avx512(const void *row, ts_pca_format format, size_t j) {
    const __m256i *at = (const __m256i *)((const uint16_t *)row + j);
    if (format == TS_PCA_BF16) return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256(at)), 16));
    if (format == TS_PCA_F16) return _mm512_cvtph_ps(_mm256_loadu_si256(at));
    return _mm512_loadu_ps((const float *)row + j);
}
#endif

#if TS_PCA_NEON
/// Four stored values from column j, widened exactly to float.
static inline float32x4_t stored4_neon(const void *row, ts_pca_format format, size_t j) {
    if (format == TS_PCA_BF16) return vreinterpretq_f32_u32(vshll_n_u16(vld1_u16((const uint16_t *)row + j), 16));
    if (format == TS_PCA_F16) return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16((const uint16_t *)row + j)));
    return vld1q_f32((const float *)row + j);
}
#endif

/// The stored rows the next group will widen, fetched a cache line at a time from inside the current
/// group's arithmetic: the widening otherwise waits on memory with no arithmetic to overlap.
typedef struct { const char *next, *end; } ts_rows_ahead;

/// The group after the next one, for the group that ends at row `r`: a whole group's arithmetic for
/// its lines to arrive. Rows apart (the sample's, `row_step` > 1) are left to the hardware.
static inline ts_rows_ahead rows_ahead(const void *base, size_t row_bytes, size_t row_step, size_t r, size_t row_end, size_t group) {
    const size_t first = r + 1 + group < row_end ? r + 1 + group : row_end;
    const size_t last = r + 1 + 2 * group < row_end ? r + 1 + 2 * group : row_end;
    const char *at = (const char *)base + first * row_bytes;
    ts_rows_ahead ahead = {at, row_step == 1 ? (const char *)base + last * row_bytes : at};
    return ahead;
}

static inline void fetch_line_ahead(ts_rows_ahead *ahead) {
    if (ahead->next < ahead->end) {
        __builtin_prefetch(ahead->next);
        ahead->next += 64;
    }
}

#endif
