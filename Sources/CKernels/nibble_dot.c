#include "ckernels.h"

// The dot product of a query's 8-bit codes with a plane of 4-bit codes (NearestRowIndex's bound
// pass). Integer sums are exact, so every path returns the same value.

static int32_t nibble_dot_scalar(const int8_t *query, const uint8_t *plane, size_t groups) {
    int32_t sum = 0;
    for (size_t g = 0; g < groups; g++) {
        const int8_t *q = query + g * TS_NIBBLE_GROUP;
        const uint8_t *p = plane + g * (TS_NIBBLE_GROUP / 2);
        for (int j = 0; j < TS_NIBBLE_GROUP / 2; j++) sum += q[j] * (p[j] & 15) + q[j + 32] * (p[j] >> 4);
    }
    return sum;
}

#if defined(__x86_64__)
#include <immintrin.h>

// maddubs multiplies unsigned nibbles by signed codes and adds pairs into int16: at most
// 2 · 15 · 127 = 3,810, so it never saturates.
__attribute__((target("avx2"))) static int32_t nibble_dot_avx2(const int8_t *query, const uint8_t *plane, size_t groups) {
    const __m256i mask = _mm256_set1_epi8(15), ones = _mm256_set1_epi16(1);
    __m256i acc = _mm256_setzero_si256();
    for (size_t g = 0; g < groups; g++) {
        __m256i bytes = _mm256_loadu_si256((const __m256i *)(plane + g * 32));
        __m256i low = _mm256_and_si256(bytes, mask);
        __m256i high = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), mask);
        __m256i qLow = _mm256_loadu_si256((const __m256i *)(query + g * 64));
        __m256i qHigh = _mm256_loadu_si256((const __m256i *)(query + g * 64 + 32));
        __m256i pairs = _mm256_add_epi16(_mm256_maddubs_epi16(low, qLow), _mm256_maddubs_epi16(high, qHigh));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}
#endif

int32_t ts_nibble_dot(ts_simd_path path, const int8_t *query, const uint8_t *plane, size_t groups) {
#if defined(__x86_64__)
    if (path == TS_SIMD_AVX2 || path == TS_SIMD_AVX512) return nibble_dot_avx2(query, plane, groups);
#endif
    (void)path;
    return nibble_dot_scalar(query, plane, groups);
}
