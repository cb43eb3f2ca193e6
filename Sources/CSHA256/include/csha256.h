#ifndef CSHA256_H
#define CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// Compresses `blocks` 64-byte blocks into `state` (eight words, FIPS 180-4 order). Uses the x86
/// SHA extensions when the processor has them, portable C otherwise.
void csha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// 1 when the SHA extensions are in use on this machine.
int csha256_accelerated(void);

#endif
