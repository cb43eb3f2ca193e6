#pragma STDC FP_CONTRACT OFF
#include "rows_internal.h"

// AVX2 + F16C: sixteen elements per step in two 8-float vectors; lanes 0–3, 4–7, 8–11, 12–15 in
// four Double accumulators (the scalar path's lanes, in the same order).
#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma,f16c")))

TARGET static inline void load16(ts_row_format format, const void *row, size_t i, __m256 *low, __m256 *high) {
    switch (format) {
    case TS_ROW_BF16: {
        const char *p = (const char *)row + 2 * i;
        *low = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
        *high = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(p + 16))), 16));
        break;
    }
    case TS_ROW_F16: {
        const char *p = (const char *)row + 2 * i;
        *low = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
        *high = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 16)));
        break;
    }
    default:
        *low = _mm256_loadu_ps((const float *)row + i);
        *high = _mm256_loadu_ps((const float *)row + i + 8);
    }
}

TARGET static inline __m256d lowDoubles(__m256 x) { return _mm256_cvtps_pd(_mm256_castps256_ps128(x)); }
TARGET static inline __m256d highDoubles(__m256 x) { return _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)); }

TARGET static inline void store(double lanes[TS_ROW_LANES], __m256d a0, __m256d a1, __m256d a2, __m256d a3) {
    _mm256_storeu_pd(lanes, a0);
    _mm256_storeu_pd(lanes + 4, a1);
    _mm256_storeu_pd(lanes + 8, a2);
    _mm256_storeu_pd(lanes + 12, a3);
}

TARGET static inline __m256d addSquare(__m256d sum, __m256d d) { return _mm256_add_pd(sum, _mm256_mul_pd(d, d)); }

TARGET double ts_row_squared_distance_avx2(ts_row_format format, const void *a, const void *b, size_t columns, double stop_at) {
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    double lanes[TS_ROW_LANES];
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1), i = 0;
    while (i < end) {
        __m256 xl, xh, yl, yh;
        load16(format, a, i, &xl, &xh);
        load16(format, b, i, &yl, &yh);
        a0 = addSquare(a0, _mm256_sub_pd(lowDoubles(xl), lowDoubles(yl)));
        a1 = addSquare(a1, _mm256_sub_pd(highDoubles(xl), highDoubles(yl)));
        a2 = addSquare(a2, _mm256_sub_pd(lowDoubles(xh), lowDoubles(yh)));
        a3 = addSquare(a3, _mm256_sub_pd(highDoubles(xh), highDoubles(yh)));
        i += TS_ROW_LANES;
        if (i % TS_ROW_CHECK_EVERY == 0) {
            store(lanes, a0, a1, a2, a3);
            double sum = ts_rows_fixed_sum(lanes);
            if (sum >= stop_at) return sum;
        }
    }
    store(lanes, a0, a1, a2, a3);
    return ts_rows_distance_tail(format, a, b, end, columns, ts_rows_fixed_sum(lanes));
}

TARGET double ts_row_squared_norm_avx2(ts_row_format format, const void *a, size_t columns) {
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    double lanes[TS_ROW_LANES];
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        __m256 xl, xh;
        load16(format, a, i, &xl, &xh);
        a0 = addSquare(a0, lowDoubles(xl));
        a1 = addSquare(a1, highDoubles(xl));
        a2 = addSquare(a2, lowDoubles(xh));
        a3 = addSquare(a3, highDoubles(xh));
    }
    store(lanes, a0, a1, a2, a3);
    return ts_rows_norm_tail(format, a, end, columns, ts_rows_fixed_sum(lanes));
}

TARGET int ts_row_equal_avx2(ts_row_format format, const void *a, const void *b, size_t columns) {
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        __m256 xl, xh, yl, yh;
        load16(format, a, i, &xl, &xh);
        load16(format, b, i, &yl, &yh);
        __m256 same = _mm256_and_ps(_mm256_cmp_ps(xl, yl, _CMP_EQ_OQ), _mm256_cmp_ps(xh, yh, _CMP_EQ_OQ));
        if (_mm256_movemask_ps(same) != 0xFF) return 0;
    }
    for (size_t i = end; i < columns; i++) {
        if (!(ts_rows_element(format, a, i) == ts_rows_element(format, b, i))) return 0;
    }
    return 1;
}

TARGET static inline __m256i hashStep(__m256i h, __m256i bits, __m256i *allOnes) {
    const __m256i exponent = _mm256_set1_epi32(0x7F800000), magnitude = _mm256_set1_epi32(0x7FFFFFFF);
    *allOnes = _mm256_or_si256(*allOnes, _mm256_cmpeq_epi32(_mm256_and_si256(bits, exponent), exponent));
    __m256i zero = _mm256_cmpeq_epi32(_mm256_and_si256(bits, magnitude), _mm256_setzero_si256());
    bits = _mm256_andnot_si256(zero, bits);
    h = _mm256_xor_si256(_mm256_or_si256(_mm256_slli_epi32(h, 5), _mm256_srli_epi32(h, 27)), bits);
    return _mm256_add_epi32(h, _mm256_xor_si256(_mm256_srli_epi32(h, 11), _mm256_set1_epi32((int)TS_ROWS_HASH_ADD)));
}

TARGET int ts_row_finite_hash_avx2(ts_row_format format, const void *a, size_t columns, uint64_t *hash) {
    __m256i h0 = _mm256_loadu_si256((const __m256i *)ts_rows_hash_seed);
    __m256i h1 = _mm256_loadu_si256((const __m256i *)(ts_rows_hash_seed + 8));
    __m256i allOnes = _mm256_setzero_si256();
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        __m256 xl, xh;
        load16(format, a, i, &xl, &xh);
        h0 = hashStep(h0, _mm256_castps_si256(xl), &allOnes);
        h1 = hashStep(h1, _mm256_castps_si256(xh), &allOnes);
    }
    if (!_mm256_testz_si256(allOnes, allOnes)) return 0;
    uint32_t lanes[TS_ROW_LANES];
    _mm256_storeu_si256((__m256i *)lanes, h0);
    _mm256_storeu_si256((__m256i *)(lanes + 8), h1);
    return ts_rows_hash_finish(format, a, end, columns, lanes, hash);
}

TARGET void ts_row_widen_avx2(ts_row_format format, const void *source, float *destination, size_t count) {
    size_t end = count & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        __m256 low, high;
        load16(format, source, i, &low, &high);
        _mm256_storeu_ps(destination + i, low);
        _mm256_storeu_ps(destination + i + 8, high);
    }
    for (size_t i = end; i < count; i++) destination[i] = ts_rows_element(format, source, i);
}
#endif
