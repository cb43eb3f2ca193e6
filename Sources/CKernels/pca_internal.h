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

// Shared by the double and the single-precision passes: the scalar element conversions (exact) and
// the rows handed to a group kernel at a time.

#define GROUP 4
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

#endif
