#pragma STDC FP_CONTRACT OFF
#include "rows_internal.h"

// AVX-512: sixteen elements per step in one vector; lanes 0–7 and 8–15 in two Double
// accumulators (the scalar path's lanes, in the same order).
#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c")))

TARGET static inline __m512 load16(ts_row_format format, const void *row, size_t i) {
    switch (format) {
    case TS_ROW_BF16:
        return _mm512_castsi512_ps(_mm512_slli_epi32(
            _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)((const char *)row + 2 * i))), 16));
    case TS_ROW_F16:
        return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const char *)row + 2 * i)));
    default:
        return _mm512_loadu_ps((const float *)row + i);
    }
}

TARGET static inline __m512d lowDoubles(__m512 x) { return _mm512_cvtps_pd(_mm512_castps512_ps256(x)); }
TARGET static inline __m512d highDoubles(__m512 x) {
    return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
}
TARGET static inline __m512d addSquare(__m512d sum, __m512d d) { return _mm512_add_pd(sum, _mm512_mul_pd(d, d)); }

TARGET static inline void store(double lanes[TS_ROW_LANES], __m512d low, __m512d high) {
    _mm512_storeu_pd(lanes, low);
    _mm512_storeu_pd(lanes + 8, high);
}

TARGET double ts_row_squared_distance_avx512(ts_row_format format, const void *a, const void *b, size_t columns,
                                             double stop_at) {
    __m512d low = _mm512_setzero_pd(), high = low;
    double lanes[TS_ROW_LANES];
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1), i = 0;
    while (i < end) {
        __m512 x = load16(format, a, i), y = load16(format, b, i);
        low = addSquare(low, _mm512_sub_pd(lowDoubles(x), lowDoubles(y)));
        high = addSquare(high, _mm512_sub_pd(highDoubles(x), highDoubles(y)));
        i += TS_ROW_LANES;
        if (i % TS_ROW_CHECK_EVERY == 0) {
            store(lanes, low, high);
            double sum = ts_rows_fixed_sum(lanes);
            if (sum >= stop_at) return sum;
        }
    }
    store(lanes, low, high);
    return ts_rows_distance_tail(format, a, b, end, columns, ts_rows_fixed_sum(lanes));
}

TARGET double ts_row_squared_norm_avx512(ts_row_format format, const void *a, size_t columns) {
    __m512d low = _mm512_setzero_pd(), high = low;
    double lanes[TS_ROW_LANES];
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        __m512 x = load16(format, a, i);
        low = addSquare(low, lowDoubles(x));
        high = addSquare(high, highDoubles(x));
    }
    store(lanes, low, high);
    return ts_rows_norm_tail(format, a, end, columns, ts_rows_fixed_sum(lanes));
}

TARGET int ts_row_equal_avx512(ts_row_format format, const void *a, const void *b, size_t columns) {
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        if (_mm512_cmp_ps_mask(load16(format, a, i), load16(format, b, i), _CMP_EQ_OQ) != 0xFFFF) return 0;
    }
    for (size_t i = end; i < columns; i++) {
        if (!(ts_rows_element(format, a, i) == ts_rows_element(format, b, i))) return 0;
    }
    return 1;
}

TARGET int ts_row_finite_hash_avx512(ts_row_format format, const void *a, size_t columns, uint64_t *hash) {
    const __m512i exponent = _mm512_set1_epi32(0x7F800000), magnitude = _mm512_set1_epi32(0x7FFFFFFF);
    const __m512i add = _mm512_set1_epi32((int)TS_ROWS_HASH_ADD);
    __m512i h = _mm512_loadu_si512(ts_rows_hash_seed);
    __mmask16 allOnes = 0;
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        __m512i bits = _mm512_castps_si512(load16(format, a, i));
        allOnes |= _mm512_cmpeq_epi32_mask(_mm512_and_si512(bits, exponent), exponent);
        bits = _mm512_maskz_mov_epi32(_mm512_test_epi32_mask(bits, magnitude), bits);
        h = _mm512_xor_si512(_mm512_rol_epi32(h, 5), bits);
        h = _mm512_add_epi32(h, _mm512_xor_si512(_mm512_srli_epi32(h, 11), add));
    }
    if (allOnes) return 0;
    uint32_t lanes[TS_ROW_LANES];
    _mm512_storeu_si512(lanes, h);
    return ts_rows_hash_finish(format, a, end, columns, lanes, hash);
}

TARGET void ts_row_widen_avx512(ts_row_format format, const void *source, float *destination, size_t count) {
    size_t end = count & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) _mm512_storeu_ps(destination + i, load16(format, source, i));
    for (size_t i = end; i < count; i++) destination[i] = ts_rows_element(format, source, i);
}
#endif
