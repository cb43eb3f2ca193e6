#ifndef CKERNELS_ROWS_INTERNAL_H
#define CKERNELS_ROWS_INTERNAL_H
#include <string.h>
#include "ckernels_rows.h"

// Shared by the row kernels of every path: the scalar element conversions, the fixed reduction
// tree and the tail loops, so the paths differ only in how they fill the sixteen lanes.

#define TS_ROW_LANES 16
#define TS_ROW_CHECK_EVERY 256

static inline uint32_t ts_rows_bits_of(float value) { uint32_t b; memcpy(&b, &value, 4); return b; }
static inline float ts_rows_float_of(uint32_t bits) { float v; memcpy(&v, &bits, 4); return v; }

/// F16 bits → Float bits, as the F16C and NEON instructions convert (a NaN comes out quiet).
static inline uint32_t ts_rows_half_bits(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    if (exponent == 0x1F) return sign | 0x7F800000 | (mantissa << 13) | (mantissa ? 0x400000 : 0);
    if (exponent == 0) {
        if (mantissa == 0) return sign;
        // Subnormal: normalise the mantissa (value = mantissa × 2⁻²⁴, exact in Float).
        int shift = 0;
        while (!(mantissa & 0x400)) { mantissa <<= 1; shift++; }
        return sign | ((uint32_t)(113 - shift) << 23) | ((mantissa & 0x3FF) << 13);
    }
    return sign | ((exponent + 112) << 23) | (mantissa << 13);
}

static inline uint32_t ts_rows_element_bits(ts_row_format format, const void *row, size_t i) {
    switch (format) {
    case TS_ROW_BF16: { uint16_t h; memcpy(&h, (const char *)row + 2 * i, 2); return (uint32_t)h << 16; }
    case TS_ROW_F16: { uint16_t h; memcpy(&h, (const char *)row + 2 * i, 2); return ts_rows_half_bits(h); }
    default: { uint32_t b; memcpy(&b, (const char *)row + 4 * i, 4); return b; }
    }
}

static inline float ts_rows_element(ts_row_format format, const void *row, size_t i) {
    return ts_rows_float_of(ts_rows_element_bits(format, row, i));
}

static inline size_t ts_rows_element_size(ts_row_format format) { return format == TS_ROW_F32 ? 4 : 2; }

/// The one reduction of the sixteen lanes: lane k with lane k + 8, then a balanced tree.
static inline double ts_rows_fixed_sum(const double lanes[TS_ROW_LANES]) {
    double s[8];
    for (int k = 0; k < 8; k++) s[k] = lanes[k] + lanes[k + 8];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static inline double ts_rows_distance_tail(ts_row_format format, const void *a, const void *b, size_t from,
                                           size_t columns, double total) {
    for (size_t i = from; i < columns; i++) {
        double d = (double)ts_rows_element(format, a, i) - (double)ts_rows_element(format, b, i);
        double square = d * d;
        total += square;
    }
    return total;
}

static inline double ts_rows_norm_tail(ts_row_format format, const void *a, size_t from, size_t columns, double total) {
    for (size_t i = from; i < columns; i++) {
        double x = (double)ts_rows_element(format, a, i);
        double square = x * x;
        total += square;
    }
    return total;
}

/// −0 → +0, so that equal values hash alike.
static inline uint32_t ts_rows_unsigned_zero(uint32_t bits) { return (bits & 0x7FFFFFFF) ? bits : 0; }

#define TS_ROWS_FNV_OFFSET 0xCBF29CE484222325ull
#define TS_ROWS_FNV_PRIME 0x100000001B3ull
#define TS_ROWS_HASH_ADD 0x9E3779B9u

static const uint32_t ts_rows_hash_seed[TS_ROW_LANES] = {
    0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344, 0xA4093822, 0x299F31D0, 0x082EFA98, 0xEC4E6C89,
    0x452821E6, 0x38D01377, 0xBE5466CF, 0x34E90C6C, 0xC0AC29B7, 0xC97C50DD, 0x3F84D5B5, 0xB5470917,
};

/// Folds the sixteen lanes and the tail (one by one) into the final hash; 0 for a non-finite tail.
static inline int ts_rows_hash_finish(ts_row_format format, const void *a, size_t from, size_t columns,
                                      const uint32_t lanes[TS_ROW_LANES], uint64_t *hash) {
    uint64_t result = TS_ROWS_FNV_OFFSET;
    for (int k = 0; k < TS_ROW_LANES; k++) result = (result ^ lanes[k]) * TS_ROWS_FNV_PRIME;
    for (size_t i = from; i < columns; i++) {
        uint32_t bits = ts_rows_element_bits(format, a, i);
        if ((bits & 0x7F800000) == 0x7F800000) return 0;
        result = (result ^ ts_rows_unsigned_zero(bits)) * TS_ROWS_FNV_PRIME;
    }
    *hash = result ^ (result >> 29);
    return 1;
}

// One implementation per path; each file defines the functions of its path only.
#define TS_ROWS_DECLARE(suffix)                                                                                 \
    double ts_row_squared_distance_##suffix(ts_row_format, const void *, const void *, size_t, double);        \
    double ts_row_squared_norm_##suffix(ts_row_format, const void *, size_t);                                  \
    int ts_row_equal_##suffix(ts_row_format, const void *, const void *, size_t);                              \
    int ts_row_finite_hash_##suffix(ts_row_format, const void *, size_t, uint64_t *);                          \
    void ts_row_widen_##suffix(ts_row_format, const void *, float *, size_t);                                \
    void ts_gram_panels_##suffix(const float *, const float *, size_t, float *);

TS_ROWS_DECLARE(scalar)
#if defined(__x86_64__)
TS_ROWS_DECLARE(avx2)
TS_ROWS_DECLARE(avx512)
#endif
#if defined(__aarch64__)
TS_ROWS_DECLARE(neon)
#endif

#endif
