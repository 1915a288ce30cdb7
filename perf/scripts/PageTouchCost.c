/* What this machine charges for the first touch of a file's pages through a fresh mapping: the cost a store that
 * reads through mmap (LMDB, objstate's log) pays on its first reads after an open, whatever the store does.
 *
 *   cc -O2 -o /tmp/page-touch-cost perf/scripts/PageTouchCost.c && /tmp/page-touch-cost FILE [ROUNDS]
 *
 * Per round, on FILE's pages (already in the page cache: run it on a store that was just written or read), ns per
 * 4 KiB page: (1) map, read one byte of every page (the page faults, with the kernel's fault-around), unmap; (2) map,
 * madvise(MADV_POPULATE_READ) (the kernel fills the page table without faults), then the same reads; (3) mmap with
 * MAP_POPULATE, then munmap, no reads. On a machine where (2)'s reads cost as much as (1)'s, the cost is not the
 * guest's page fault but the first access itself (a hypervisor filling its own tables per page), and no populate
 * call made ahead by another thread of the process saves it: only reading the page once on that other thread does.
 * perf/PROFILES.md, "Session 49". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static long minor_faults(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt;
}

/* one byte of every page, summed so that the compiler keeps the reads */
static unsigned touch(const volatile unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i += 4096)
        s += p[i];
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [ROUNDS]\n", argv[0]);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 4096) {
        fprintf(stderr, "%s: cannot open, or smaller than a page\n", argv[1]);
        return 1;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    size_t n = (size_t)st.st_size & ~(size_t)4095;
    double pages = (double)(n / 4096);
    unsigned sum = 0;
    for (int r = 0; r < rounds; r++) {
        unsigned char *p = mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        long f0 = minor_faults();
        double t0 = now_ns();
        sum += touch(p, n);
        double t1 = now_ns();
        long faults = minor_faults() - f0;
        munmap(p, n);

        p = mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);
        double t2 = now_ns();
        int rc = madvise(p, n, MADV_POPULATE_READ);
        double t3 = now_ns();
        sum += touch(p, n);
        double t4 = now_ns();
        munmap(p, n);

        double t5 = now_ns();
        p = mmap(NULL, n, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
        munmap(p, n);
        double t6 = now_ns();
        printf("%.0f pages: first reads %.0f ns/page (%ld faults); MADV_POPULATE_READ %s %.0f ns/page, then reads %.0f "
               "ns/page; MAP_POPULATE + munmap %.0f ns/page\n",
               pages, (t1 - t0) / pages, faults, rc == 0 ? "" : "(failed)", (t3 - t2) / pages, (t4 - t3) / pages,
               (t6 - t5) / pages);
    }
    printf("(checksum %u)\n", sum);
    close(fd);
    return 0;
}
