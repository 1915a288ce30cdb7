/* Random dependent 8-byte reads over a region: a file mapping (4 KiB pages), anonymous memory with 4 KiB pages
 * (MADV_NOHUGEPAGE) and anonymous memory with 2 MiB pages (MADV_HUGEPAGE). A chase (each address from the last
 * read) so every read is one full miss, as a point get's steps are. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile uint64_t sink; /* keeps each chase's result, so the reads are not optimized away */

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }

static void fill(uint64_t *a, size_t n, uint64_t seed)
{
    /* a random cyclic permutation over lines 64 B apart (Sattolo) */
    size_t lines = n / 8;
    uint32_t *perm = malloc(lines * sizeof *perm);
    if (perm == NULL) {
        perror("malloc");
        exit(1);
    }
    for (size_t i = 0; i < lines; i++) perm[i] = (uint32_t)i;
    for (size_t i = lines - 1; i > 0; i--) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t j = (seed >> 33) % i;
        uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    for (size_t i = 0; i < lines; i++) a[(size_t)perm[i] * 8] = (uint64_t)perm[(i + 1) % lines] * 8;
    free(perm);
}

static double chase(const uint64_t *a, size_t steps)
{
    uint64_t p = 0;
    double t0 = now();
    for (size_t i = 0; i < steps; i++) p = a[p];
    double t = (now() - t0) / steps;
    sink = p;
    return t;
}

int main(int argc, char **argv)
{
    size_t bytes = (size_t)(argc > 1 ? atol(argv[1]) : 128) << 20, n = bytes / 8, steps = 4000000;
    const char *path = argc > 2 ? argv[2] : "/tmp/pagewalk.bin";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)bytes) != 0) { perror("file"); return 1; }
    uint64_t *f = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint64_t *a4 = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t *a2 = aligned_alloc(2u << 20, bytes);
    if (f == MAP_FAILED || a4 == MAP_FAILED || a2 == NULL) { perror("map"); return 1; }
    madvise(a4, bytes, MADV_NOHUGEPAGE);
    madvise(a2, bytes, MADV_HUGEPAGE);
    fill(f, n, 42); fill(a4, n, 42); fill(a2, n, 42);
    for (int r = 0; r < 3; r++)
        printf("round %d: %zu MiB, ns per dependent read: file mapping %.1f, anon 4 KiB pages %.1f, anon 2 MiB pages %.1f\n",
               r, bytes >> 20, chase(f, steps), chase(a4, steps), chase(a2, steps));
    munmap(f, bytes);
    munmap(a4, bytes);
    free(a2);
    close(fd);
    unlink(path);
    return 0;
}
