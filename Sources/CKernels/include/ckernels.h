#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>

// Hot loops in C so each can carry per-function target attributes: the binary is built for
// baseline x86-64 (or arm64) and picks the widest instruction set at run time. Every kernel takes
// the path to use as an argument, so a caller (a test) can force the scalar path without any
// process-wide switch; a path the processor lacks falls back to the best one it has below it.

/// Instruction-set paths, narrowest first.
typedef enum {
    TS_SIMD_SCALAR = 0,
    TS_SIMD_NEON = 1,      // arm64 (always present there)
    TS_SIMD_AVX2 = 2,      // AVX2 + FMA + F16C
    TS_SIMD_AVX512 = 3,    // AVX-512 F, BW, VL, DQ
} ts_simd_path;

/// The widest path this processor supports.
ts_simd_path ts_simd_best(void);

/// `requested` if this processor supports it, else the widest supported path narrower than it.
ts_simd_path ts_simd_usable(ts_simd_path requested);

// The kernels, one header per family: on a case-insensitive file system SwiftPM takes this header
// as the module's umbrella, so every public header must be reachable from it.
#include "ckernels_rows.h"
#include "ckernels_pca.h"
#include "ckernels_file.h"
#include "ckernels_nibble.h"

#endif
