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

/// A second descriptor on the file at `path` that bypasses the page cache (O_DIRECT), or -1 where
/// that is unsupported (not Linux; a file system without direct I/O, such as tmpfs).
int ts_open_direct(const char *path);

/// Writes `count` bytes of `bytes` at `offset` (a multiple of TS_DIRECT_ALIGNMENT) through the
/// direct descriptor `fd`, staged through `bounce`, an aligned buffer of `bounce_size` bytes (a
/// multiple of the alignment); only whole aligned blocks are written. Returns the bytes written
/// (the rest, under one block, is the caller's to write), or -1 with errno set.
int64_t ts_write_direct(int fd, const void *bytes, int64_t count, int64_t offset, void *bounce, int64_t bounce_size);

/// Offsets, lengths and buffers of direct I/O are multiples of this (the largest logical block
/// size in common use, so that any device accepts them).
#define TS_DIRECT_ALIGNMENT 4096

#endif
