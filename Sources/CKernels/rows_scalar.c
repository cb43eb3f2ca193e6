#pragma STDC FP_CONTRACT OFF
#include "rows_internal.h"

// The portable path: the same sixteen lanes as the vector paths, filled one element at a time.

double ts_row_squared_distance_scalar(ts_row_format format, const void *a, const void *b, size_t columns, double stop_at) {
    double lanes[TS_ROW_LANES] = {0};
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1), i = 0;
    while (i < end) {
        for (int k = 0; k < TS_ROW_LANES; k++) {
            double d = (double)ts_rows_element(format, a, i + k) - (double)ts_rows_element(format, b, i + k);
            double square = d * d;
            lanes[k] += square;
        }
        i += TS_ROW_LANES;
        if (i % TS_ROW_CHECK_EVERY == 0) {
            double sum = ts_rows_fixed_sum(lanes);
            if (sum >= stop_at) return sum;
        }
    }
    return ts_rows_distance_tail(format, a, b, end, columns, ts_rows_fixed_sum(lanes));
}

double ts_row_squared_norm_scalar(ts_row_format format, const void *a, size_t columns) {
    double lanes[TS_ROW_LANES] = {0};
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        for (int k = 0; k < TS_ROW_LANES; k++) {
            double x = (double)ts_rows_element(format, a, i + k);
            double square = x * x;
            lanes[k] += square;
        }
    }
    return ts_rows_norm_tail(format, a, end, columns, ts_rows_fixed_sum(lanes));
}

int ts_row_equal_scalar(ts_row_format format, const void *a, const void *b, size_t columns) {
    for (size_t i = 0; i < columns; i++) {
        if (!(ts_rows_element(format, a, i) == ts_rows_element(format, b, i))) return 0;
    }
    return 1;
}

int ts_row_finite_hash_scalar(ts_row_format format, const void *a, size_t columns, uint64_t *hash) {
    uint32_t lanes[TS_ROW_LANES];
    memcpy(lanes, ts_rows_hash_seed, sizeof lanes);
    size_t end = columns & ~(size_t)(TS_ROW_LANES - 1);
    uint32_t exponentsAllOnes = 0;
    for (size_t i = 0; i < end; i += TS_ROW_LANES) {
        for (int k = 0; k < TS_ROW_LANES; k++) {
            uint32_t bits = ts_rows_element_bits(format, a, i + k);
            exponentsAllOnes |= (bits & 0x7F800000) == 0x7F800000;
            uint32_t h = lanes[k];
            h = ((h << 5) | (h >> 27)) ^ ts_rows_unsigned_zero(bits);
            h += (h >> 11) ^ TS_ROWS_HASH_ADD;
            lanes[k] = h;
        }
    }
    if (exponentsAllOnes) return 0;
    return ts_rows_hash_finish(format, a, end, columns, lanes, hash);
}

void ts_row_widen_scalar(ts_row_format format, const void *source, float *destination, size_t count) {
    for (size_t i = 0; i < count; i++) destination[i] = ts_rows_element(format, source, i);
}
