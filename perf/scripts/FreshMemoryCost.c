/* What this machine charges for fresh anonymous memory: the first write to each page of a new mapping, in 2 MiB
 * (transparent huge) pages and in 4 KiB pages, then a second pass over memory already faulted in. Everything a store
 * or a JVM makes anew pays the first figure: an index built at open, a heap growing into new regions, off-heap
 * buffers. On a virtual machine that maps guest memory lazily, or one whose hypervisor keeps its own page tables,
 * the first figures can be a hundred times the last.
 *
 *   cc -O2 -o /tmp/fresh-memory-cost perf/scripts/FreshMemoryCost.c && /tmp/fresh-memory-cost [MIB (512)] [ROUNDS (3)]
 *
 * Each round maps new memory (the kernel may hand back pages an earlier round freed: compare the first round with
 * the later ones). perf/PROFILES.md, "Session 49". */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define HUGE_PAGE (2ul << 20)

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 512;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    size_t n = (mib << 20) & ~(HUGE_PAGE - 1);
    if (n == 0) {
        fprintf(stderr, "MIB must be at least 2\n");
        return 2;
    }
    for (int r = 0; r < rounds; r++) {
        char *raw = mmap(NULL, n + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        char *small = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED || small == MAP_FAILED) {
            fprintf(stderr, "no memory for %zu MiB\n", mib);
            return 1;
        }
        char *huge = (char *)(((unsigned long)raw + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
        madvise(huge, n, MADV_HUGEPAGE);
        madvise(small, n, MADV_NOHUGEPAGE);
        double t0 = now_ns();
        for (size_t i = 0; i < n; i += HUGE_PAGE)
            huge[i] = 1;
        double t1 = now_ns();
        for (size_t i = 0; i < n; i += 4096)
            small[i] = 1;
        double t2 = now_ns();
        for (size_t i = 0; i < n; i += 64) /* every line again: memory already faulted in */
            huge[i] += 1;
        double t3 = now_ns();
        printf("%zu MiB: first write %.0f us a 2 MiB page (%.2f GB/s), %.0f ns a 4 KiB page (%.2f GB/s); "
               "written again %.2f GB/s (%d)\n",
               mib, (t1 - t0) / 1e3 / (double)(n / HUGE_PAGE), (double)n / (t1 - t0), (t2 - t1) / (double)(n / 4096),
               (double)n / (t2 - t1), (double)n / (t3 - t2), huge[n / 2] + small[n / 2]);
        munmap(raw, n + HUGE_PAGE);
        munmap(small, n);
    }
    return 0;
}
