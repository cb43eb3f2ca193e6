#ifndef CKERNELS_FILE_H
#define CKERNELS_FILE_H
#include <stdint.h>

// File-system calls that Swift's Glibc module does not expose (they need _GNU_SOURCE).

/// Reserves `length` bytes of disk for the file open as `fd`, so a large write finds its blocks
/// allocated and a full disk is found before writing. Returns 0, or an errno value: ENOSPC for a
/// full disk; EOPNOTSUPP (or another) where the file system cannot reserve, which callers ignore.
int ts_preallocate(int fd, int64_t length);

/// Starts writing back `length` bytes at `offset` without waiting, so that the fsync before a
/// rename finds most of the file already on its way to the disk. A no-op where unsupported.
void ts_start_writeback(int fd, int64_t offset, int64_t length);

#endif
