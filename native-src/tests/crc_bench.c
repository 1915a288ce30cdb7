/* CRC32C throughput of the engine's paths (CPU instructions, portable slice-by-8) and, when built with
 * -DWITH_ISAL, Intel ISA-L's crc32_iscsi for comparison. Build and run: see native-src/README.md ("CRC32C").
 * Prints MB/s per buffer size; each figure is the best of 5 timed rounds of ~50 MB. */
#include "../src/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef WITH_ISAL
#include <isa-l/crc.h>
static uint32_t isal(uint32_t s, const void *p, size_t n) { return crc32_iscsi((unsigned char *)p, (int)n, s); }
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double mbps(os_crc_fn f, const uint8_t *buf, size_t n, volatile uint32_t *sink)
{
    size_t iters = (50u << 20) / n + 1;
    double best = 0;
    for (int r = 0; r < 5; r++) {
        uint32_t c = 0xFFFFFFFFu;
        double t0 = now();
        for (size_t i = 0; i < iters; i++)
            c = f(c, buf, n);
        double dt = now() - t0;
        *sink ^= c;
        double v = (double)n * iters / dt / 1e6;
        if (v > best)
            best = v;
    }
    return best;
}

int main(void)
{
    static const size_t sizes[] = {64, 256, 1024, 4096, 65536, 1u << 20};
    size_t max = 1u << 20;
    uint8_t *buf = malloc(max);
    for (size_t i = 0; i < max; i++)
        buf[i] = (uint8_t)(i * 131u + 7u);
    volatile uint32_t sink = 0;
    printf("in use: %s\n%-10s %12s %12s", os_crc32c_impl(), "bytes", "hw MB/s", "sw MB/s");
#ifdef WITH_ISAL
    printf(" %12s", "isa-l MB/s");
#endif
    printf("\n");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        os_crc_fn hw = os_crc32c_hw();
        printf("%-10zu %12.0f %12.0f", n, hw ? mbps(hw, buf, n, &sink) : 0.0, mbps(os_crc32c_update_sw, buf, n, &sink));
#ifdef WITH_ISAL
        printf(" %12.0f", mbps(isal, buf, n, &sink));
#endif
        printf("\n");
    }
    free(buf);
    return 0;
}
