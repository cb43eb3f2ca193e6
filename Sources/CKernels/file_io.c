#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "ckernels_file.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int ts_preallocate(int fd, int64_t length) {
    if (length <= 0) return 0;
#if defined(__linux__)
    // fallocate, not posix_fallocate: glibc's posix_fallocate writes zeros where the file system
    // cannot reserve, which would double the cost of the write it is meant to speed up.
    // FALLOC_FL_KEEP_SIZE: the reservation does not change the file's size, so a write that ends
    // short (or is abandoned) never leaves zeros past its end.
    while (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)length) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
#elif defined(__APPLE__)
    fstore_t store = {F_ALLOCATECONTIG, F_PEOFPOSMODE, 0, (off_t)length, 0};
    if (fcntl(fd, F_PREALLOCATE, &store) == 0) return 0;
    store.fst_flags = F_ALLOCATEALL;
    return fcntl(fd, F_PREALLOCATE, &store) == 0 ? 0 : errno;
#else
    (void)fd;
    return EOPNOTSUPP;
#endif
}

void ts_start_writeback(int fd, int64_t offset, int64_t length) {
#if defined(__linux__)
    (void)sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)length;
#endif
}
