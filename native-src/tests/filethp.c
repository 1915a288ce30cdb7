/* Whether 2 MiB pages can back the log's mapping (a point get's value read is a TLB miss on 4 KiB pages), and
 * what they cost a synced small write. A 2 MiB-aligned MAP_SHARED mapping of an 8 MiB fallocated file, with or
 * without MADV_HUGEPAGE, filled through the mapping; then 50 times: 100 bytes stored, msync + fdatasync. Prints
 * the mapping's FilePmdMapped (from /proc/self/smaps) and the bytes those 50 syncs wrote (/proc/self/io).
 * Usage: filethp FILE 0|1 (1: MADV_HUGEPAGE). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long field(const char *path, const char *name, unsigned long start)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[256];
    long v = -1;
    int in = start == 0; /* smaps: only the block of the mapping that starts at `start` */
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long a, b;
        if (start != 0 && sscanf(line, "%lx-%lx ", &a, &b) == 2) {
            in = a == start;
            continue;
        }
        size_t nl = strlen(name);
        if (in && strncmp(line, name, nl) == 0) {
            v = atol(line + nl);
            break;
        }
    }
    fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: filethp FILE 0|1\n");
        return 2;
    }
    size_t len = 8u << 20, huge = 2u << 20;
    int advise = atoi(argv[2]);
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || posix_fallocate(fd, 0, (off_t)len) != 0) {
        perror("file");
        return 1;
    }
    uint8_t *m = mmap(NULL, len + huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    uint8_t *p = (uint8_t *)(((uintptr_t)m + huge - 1) & ~(uintptr_t)(huge - 1));
    if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
        perror("mmap file");
        return 1;
    }
    if (advise)
        (void)madvise(p, len, MADV_HUGEPAGE);
    memset(p, 1, len);
    if (msync(p, len, MS_SYNC) != 0 || fdatasync(fd) != 0) {
        perror("sync");
        return 1;
    }
    long w0 = field("/proc/self/io", "write_bytes:", 0);
    for (int i = 0; i < 50; i++) {
        memset(p + 4096 * i + 100, 2, 100);
        if (msync(p, len, MS_SYNC) != 0 || fdatasync(fd) != 0) {
            perror("sync");
            return 1;
        }
    }
    long w1 = field("/proc/self/io", "write_bytes:", 0);
    printf("MADV_HUGEPAGE %d: FilePmdMapped %ld kB of %zu; 50 x (100-byte store + msync + fdatasync) wrote %ld KiB\n",
           advise, field("/proc/self/smaps", "FilePmdMapped:", (unsigned long)p), len >> 10, (w1 - w0) / 1024);
    unlink(argv[1]);
    return 0;
}
