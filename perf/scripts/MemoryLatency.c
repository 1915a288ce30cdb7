/* The machine's latency of one dependent memory load, now: a pointer chase through a random cyclic permutation of
 * 64-byte lines in SIZE MiB of huge-page memory (every load's address comes from the previous load, so nothing
 * overlaps). What a lookup that must follow two pointers (a hash slot, then the object it names) cannot go below:
 * issue 14's random point get at 1 M keys is two such loads at least (perf/PROFILES.md, "Session 49").
 *
 *   cc -O2 -o /tmp/memory-latency perf/scripts/MemoryLatency.c && /tmp/memory-latency [SIZE_MIB (256)] [ROUNDS (3)]
 *
 * Run it right before and after the benchmark it explains: on this shared VM the figure moves with the hour. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 256;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    size_t lines = mib * 1024 * 1024 / 64;
    if (lines < 2) {
        fprintf(stderr, "SIZE_MIB must be at least 1\n");
        return 2;
    }
    uint64_t *mem = mmap(NULL, lines * 64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    size_t *order = malloc(lines * sizeof *order);
    if (mem == MAP_FAILED || order == NULL) {
        fprintf(stderr, "no memory for %zu MiB\n", mib);
        return 1;
    }
    madvise(mem, lines * 64, MADV_HUGEPAGE); /* page walks out of the way: the figure is the memory's */
    for (size_t i = 0; i < lines; i++)
        order[i] = i;
    uint64_t x = 88172645463325252ull; /* xorshift64: a fixed permutation, the same every run */
    for (size_t i = lines - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t j = (size_t)(x % (i + 1));
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < lines; i++) /* one cycle through every line, each line's first word the next's index */
        mem[order[i] * 8] = order[(i + 1) % lines] * 8;
    free(order);
    const long loads = 2000000;
    size_t p = 0;
    for (long i = 0; i < loads; i++) /* once around part of the cycle untimed: the pages are touched */
        p = mem[p];
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (long i = 0; i < loads; i++)
            p = mem[p];
        double t1 = now_ns();
        printf("%zu MiB: %.1f ns a dependent load (%zu)\n", mib, (t1 - t0) / (double)loads, p);
    }
    return 0;
}
