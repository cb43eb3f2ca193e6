#include "ckernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
static int supports(ts_simd_path path) {
    __builtin_cpu_init();
    switch (path) {
    case TS_SIMD_SCALAR: return 1;
    case TS_SIMD_NEON: return 0;
    case TS_SIMD_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    case TS_SIMD_AVX512:
        return supports(TS_SIMD_AVX2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    }
    return 0;
}
#elif defined(__aarch64__)
static int supports(ts_simd_path path) { return path == TS_SIMD_SCALAR || path == TS_SIMD_NEON; }
#else
static int supports(ts_simd_path path) { return path == TS_SIMD_SCALAR; }
#endif

ts_simd_path ts_simd_usable(ts_simd_path requested) {
    for (int path = (int)requested; path > TS_SIMD_SCALAR; path--) {
        if (supports((ts_simd_path)path)) return (ts_simd_path)path;
    }
    return TS_SIMD_SCALAR;
}

ts_simd_path ts_simd_best(void) {
    static volatile int cached = -1;  // benign race: every thread computes the same value
    if (cached < 0) cached = (int)ts_simd_usable(TS_SIMD_AVX512);
    return (ts_simd_path)cached;
}
