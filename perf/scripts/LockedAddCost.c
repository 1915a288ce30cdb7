/* What one atomic read-modify-write costs this VM's CPU on a line it already owns: a loop of eight plain stores (as a
 * commit's encoding leaves pending in the store buffer) plus one `lock xadd`, against the same loop with a plain
 * increment. A locked instruction waits for the stores before it to drain; a one-object commit made ~16 of them
 * (pool takes and returns, a shared arena's session acquired and released per downcall argument, an adder's
 * increment, locks), perf/PROFILES.md "Session 56".
 *
 *   cc -O2 -o /tmp/locked-add-cost perf/scripts/LockedAddCost.c && /tmp/locked-add-cost
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static volatile long counter;
static volatile long stores[512];

int main(void)
{
    const long n = 20000000;
    for (int round = 0; round < 3; round++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) {
            for (int k = 0; k < 8; k++)
                stores[(i * 8 + k) & 511] = i;
            __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
        }
        double t1 = now_ns();
        for (long i = 0; i < n; i++) {
            for (int k = 0; k < 8; k++)
                stores[(i * 8 + k) & 511] = i;
            counter = counter + 1;
        }
        double t2 = now_ns();
        printf("with lock xadd %.2f ns an iteration, plain %.2f: %.2f ns for the locked add\n", (t1 - t0) / n,
               (t2 - t1) / n, (t1 - t0 - (t2 - t1)) / n);
    }
    return 0;
}
