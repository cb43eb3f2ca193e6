#ifndef CKERNELS_NIBBLE_H
#define CKERNELS_NIBBLE_H
#include "ckernels.h"

/// Dimensions per group of a nibble plane: 32 bytes, byte j holding dimension j in its low nibble
/// and dimension 32 + j in its high nibble, so one vector's low and high halves are 32 dimensions
/// each in order.
#define TS_NIBBLE_GROUP 64

/// `path` must be one this processor has (`SIMDPath.usable`).
/// Σᵢ query[i] · nibbleᵢ over `groups` groups of a plane (nibbles read as 0…15), exactly in int32:
/// integers, so the same value on every path. |query[i]| ≤ 127 and groups · 64 ≤ 2²⁰ keep it in range.
int32_t ts_nibble_dot(ts_simd_path path, const int8_t *query, const uint8_t *plane, size_t groups);

#endif
