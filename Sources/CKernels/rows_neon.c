#pragma STDC FP_CONTRACT OFF
#include "rows_internal.h"

// NEON (arm64): sixteen elements per step in four 4-float vectors; lanes 2j, 2j + 1 in Double
// accumulator j (the scalar path's lanes, in the same order). Multiplies and adds stay separate.
#if defined(__aarch64__)
#include <arm_neon.h>

static inline void load16(ts_row_format format, const void *row, size_t i, float32x4_t x[4]) {
    switch (format) {
    case TS_ROW_BF16: {
        const uint16_t *p = (const uint16_t *)((const char *)row + 2 * i);
        for (int q = 0; q < 2; q++) {
            uint16x8_t v = vld1q_u16(p + 8 * q);
            x[2 * q] = vreinterpretq_f32_u32(vshll_n_u16(vget_low_u16(v), 16));
            x[2 * q + 1] = vreinterpretq_f32_u32(vshll_n_u16(vget_high_u16(v), 16));
        }
        break;
    }
    case TS_ROW_F16: {
        const uint16_t *p = (const uint16_t *)((const char *)row + 2 * i);
        for (int q = 0; q < 4; q++) x[q] = vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p + 4 * q)));
        break;
    }
    default:
        for (int q = 0; q < 4; q++) x[q] = vld1q_f32((const float *)row + i + 4 * q);
    }
}

static inline void store(double lanes[TS_ROW_LANES], const float64x2_t acc[8]) {
    for (int j = 0; j < 8; j++) vst1q_f64(lanes + 2 * j, acc[j]);
}

static inline float64x2_t addSquare(float64x2_t sum, float64x2_t d) { return vaddq_f64(sum, vmulq_f64(d, d)); }

double ts_row_squared_distance_neon(ts_row_format format, const void *a, const void *b, size_t columns, double stop_at) {
    float64x2_t acc[8];
    for (int j = 0; j < 8; j++) acc[j] = vdupq_n_f64(0);
    double lanes[TS_ROW_LANES];
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1), i = 0;
    while (i < end) {
        float32x4_t x[4], y[4];
        load16(format, a, i, x);
        load16(format, b, i, y);
        for (int q = 0; q < 4; q++) {
            acc[2 * q] = addSquare(acc[2 * q], vsubq_f64(vcvt_f64_f32(vget_low_f32(x[q])), vcvt_f64_f32(vget_low_f32(y[q]))));
            acc[2 * q + 1] = addSquare(acc[2 * q + 1], vsubq_f64(vcvt_high_f64_f32(x[q]), vcvt_high_f64_f32(y[q])));
        }
        i += TS_ROW_LANES;
        if (i % TS_ROW_CHECK_EVERY == 0) {
            store(lanes, acc);
            double sum = ts_rows_fixed_sum(lanes);
            if (sum >= stop_at) return sum;
        }
    }
    store(lanes, acc);
    return ts_rows_distance_tail(format, a, b, end, columns, ts_rows_fixed_sum(lanes));
}

double ts_row_squared_norm_neon(ts_row_format format, const void *a, size_t columns) {
    float64x2_t acc[8];
    for (int j = 0; j < 8; j++) acc[j] = vdupq_n_f64(0);
    double lanes[TS_ROW_LANES];
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        float32x4_t x[4];
        load16(format, a, i, x);
        for (int q = 0; q < 4; q++) {
            acc[2 * q] = addSquare(acc[2 * q], vcvt_f64_f32(vget_low_f32(x[q])));
            acc[2 * q + 1] = addSquare(acc[2 * q + 1], vcvt_high_f64_f32(x[q]));
        }
    }
    store(lanes, acc);
    return ts_rows_norm_tail(format, a, end, columns, ts_rows_fixed_sum(lanes));
}

int ts_row_equal_neon(ts_row_format format, const void *a, const void *b, size_t columns) {
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        float32x4_t x[4], y[4];
        load16(format, a, i, x);
        load16(format, b, i, y);
        uint32x4_t same = vandq_u32(vandq_u32(vceqq_f32(x[0], y[0]), vceqq_f32(x[1], y[1])),
                                    vandq_u32(vceqq_f32(x[2], y[2]), vceqq_f32(x[3], y[3])));
        if (vminvq_u32(same) != 0xFFFFFFFFu) return 0;
    }
    for (size_t i = end; i < columns; i++) {
        if (!(ts_rows_element(format, a, i) == ts_rows_element(format, b, i))) return 0;
    }
    return 1;
}

int ts_row_finite_hash_neon(ts_row_format format, const void *a, size_t columns, uint64_t *hash) {
    uint32x4_t h[4], allOnes = vdupq_n_u32(0);
    for (int q = 0; q < 4; q++) h[q] = vld1q_u32(ts_rows_hash_seed + 4 * q);
    const uint32x4_t exponent = vdupq_n_u32(0x7F800000), magnitude = vdupq_n_u32(0x7FFFFFFF);
    const uint32x4_t add = vdupq_n_u32(TS_ROWS_HASH_ADD);
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        float32x4_t x[4];
        load16(format, a, i, x);
        for (int q = 0; q < 4; q++) {
            uint32x4_t bits = vreinterpretq_u32_f32(x[q]);
            allOnes = vorrq_u32(allOnes, vceqq_u32(vandq_u32(bits, exponent), exponent));
            bits = vandq_u32(bits, vtstq_u32(bits, magnitude));
            uint32x4_t v = veorq_u32(vorrq_u32(vshlq_n_u32(h[q], 5), vshrq_n_u32(h[q], 27)), bits);
            h[q] = vaddq_u32(v, veorq_u32(vshrq_n_u32(v, 11), add));
        }
    }
    if (vmaxvq_u32(allOnes) != 0) return 0;
    uint32_t lanes[TS_ROW_LANES];
    for (int q = 0; q < 4; q++) vst1q_u32(lanes + 4 * q, h[q]);
    return ts_rows_hash_finish(format, a, end, columns, lanes, hash);
}

void ts_row_widen_neon(ts_row_format format, const void *source, float *destination, size_t count) {
    size_t end = count & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        float32x4_t x[4];
        load16(format, source, i, x);
        for (int q = 0; q < 4; q++) vst1q_f32(destination + i + 4 * q, x[q]);
    }
    for (size_t i = end; i < count; i++) destination[i] = ts_rows_element(format, source, i);
}
#endif
