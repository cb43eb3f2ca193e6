#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "ckernels_file.h"
#include <errno.h>
#include <string.h>
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

int ts_open_direct(const char *path) {
#if defined(__linux__)
    int fd;
    do { fd = open(path, O_WRONLY | O_DIRECT); } while (fd < 0 && errno == EINTR);
    return fd;
#else
    (void)path;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

int64_t ts_write_direct(int fd, const void *bytes, int64_t count, int64_t offset, void *bounce, int64_t bounce_size) {
    const char *from = bytes;
    int64_t done = 0;
    while (count - done >= TS_DIRECT_ALIGNMENT) {
        int64_t piece = count - done < bounce_size ? count - done : bounce_size;
        piece -= piece % TS_DIRECT_ALIGNMENT;
        // The source (a mapping, any alignment) is copied into the aligned buffer that direct I/O needs.
        memcpy(bounce, from + done, (size_t)piece);
        int64_t written = 0;
        while (written < piece) {
            ssize_t n = pwrite(fd, (char *)bounce + written, (size_t)(piece - written), (off_t)(offset + done + written));
            if (n < 0) {
                if (errno == EINTR) continue;
                return done + written > 0 ? done + written - (done + written) % TS_DIRECT_ALIGNMENT : -1;
            }
            written += n;
        }
        done += piece;
    }
    return done;
}
