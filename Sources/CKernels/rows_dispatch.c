#include "rows_internal.h"

// The public row kernels: each resolves the requested path to one this processor has (a table
// filled once; a race only writes the same values) and calls that path's implementation.

static ts_simd_path resolved[4];
static volatile int resolvedReady = 0;

static ts_simd_path resolve(ts_simd_path path) {
    if (!resolvedReady) {
        for (int p = 0; p < 4; p++) resolved[p] = ts_simd_usable((ts_simd_path)p);
        resolvedReady = 1;
    }
    return (unsigned)path < 4 ? resolved[path] : TS_SIMD_SCALAR;
}

#if defined(__x86_64__)
#define TS_ROWS_DISPATCH(name, ...)                                      \
    switch (resolve(path)) {                                             \
    case TS_SIMD_AVX512: return name##_avx512(__VA_ARGS__);              \
    case TS_SIMD_AVX2: return name##_avx2(__VA_ARGS__);                  \
    default: return name##_scalar(__VA_ARGS__);                          \
    }
#elif defined(__aarch64__)
#define TS_ROWS_DISPATCH(name, ...)                                      \
    switch (resolve(path)) {                                             \
    case TS_SIMD_NEON: return name##_neon(__VA_ARGS__);                  \
    default: return name##_scalar(__VA_ARGS__);                          \
    }
#else
#define TS_ROWS_DISPATCH(name, ...) (void)path; return name##_scalar(__VA_ARGS__);
#endif

double ts_row_squared_distance(ts_simd_path path, ts_row_format format, const void *a, const void *b, size_t columns,
                               double stop_at) {
    TS_ROWS_DISPATCH(ts_row_squared_distance, format, a, b, columns, stop_at)
}

double ts_row_squared_norm(ts_simd_path path, ts_row_format format, const void *a, size_t columns) {
    TS_ROWS_DISPATCH(ts_row_squared_norm, format, a, columns)
}

int ts_row_equal(ts_simd_path path, ts_row_format format, const void *a, const void *b, size_t columns) {
    TS_ROWS_DISPATCH(ts_row_equal, format, a, b, columns)
}

int ts_row_finite_hash(ts_simd_path path, ts_row_format format, const void *a, size_t columns, uint64_t *hash) {
    TS_ROWS_DISPATCH(ts_row_finite_hash, format, a, columns, hash)
}

// The same for kernels that return nothing.
#if defined(__x86_64__)
#define TS_ROWS_DISPATCH_VOID(name, ...)                                 \
    switch (resolve(path)) {                                             \
    case TS_SIMD_AVX512: name##_avx512(__VA_ARGS__); return;             \
    case TS_SIMD_AVX2: name##_avx2(__VA_ARGS__); return;                 \
    default: name##_scalar(__VA_ARGS__); return;                         \
    }
#elif defined(__aarch64__)
#define TS_ROWS_DISPATCH_VOID(name, ...)                                 \
    switch (resolve(path)) {                                             \
    case TS_SIMD_NEON: name##_neon(__VA_ARGS__); return;                 \
    default: name##_scalar(__VA_ARGS__); return;                         \
    }
#else
#define TS_ROWS_DISPATCH_VOID(name, ...) (void)path; name##_scalar(__VA_ARGS__);
#endif

void ts_row_widen(ts_simd_path path, ts_row_format format, const void *source, float *destination, size_t count) {
    TS_ROWS_DISPATCH_VOID(ts_row_widen, format, source, destination, count)
}

void ts_gram_panels(ts_simd_path path, const float *a, const float *b, size_t depth, float *out) {
    TS_ROWS_DISPATCH_VOID(ts_gram_panels, a, b, depth, out)
}
