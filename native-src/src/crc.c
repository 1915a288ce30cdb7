/* CRC32C (Castagnoli, reflected polynomial 0x82F63B78) without any library: the CPU's CRC32C
 * instructions when it has them (x86-64 SSE4.2 `crc32`, ARMv8 CRC extension), else a portable
 * slice-by-8 table loop. The choice is made once, when the library is loaded.
 *
 * The state passed around is the raw CRC register: begin = 0xFFFFFFFF, end = state ^ 0xFFFFFFFF
 * (the standard CRC32C, "123456789" -> 0xE3069283, java.util.zip.CRC32C).
 *
 * Why 3-way interleaving on x86-64: one `crc32` instruction has a latency of 3 cycles and a throughput of
 * 1 per cycle, so a single dependent chain runs at a third of the possible speed. Three independent chains
 * over three consecutive blocks are combined by "shifting" a block's CRC over the zero bytes of the
 * following blocks with precomputed tables (the method of Mark Adler's crc32c.c). native-src/README.md
 * ("CRC32C") has the measurements against Intel ISA-L that justified it. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>

#if defined(__aarch64__)
#include <sys/auxv.h>
/* compiler builtins rather than arm_acle.h, whose declarations clang hides unless the whole file is built
 * for +crc (here only hw_arm is) */
#if defined(__clang__)
#define CRC32CB __builtin_arm_crc32cb
#define CRC32CD __builtin_arm_crc32cd
#define TARGET_CRC __attribute__((target("crc")))
#else
#define CRC32CB __builtin_aarch64_crc32cb
#define CRC32CD __builtin_aarch64_crc32cx
#define TARGET_CRC __attribute__((target("+crc")))
#endif
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif
#endif

#define POLY 0x82F63B78u

/* ---- portable: slice-by-8 ---- */

static uint32_t sw_table[8][256];

static void sw_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ POLY : c >> 1;
        sw_table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = sw_table[0][n];
        for (int k = 1; k < 8; k++) {
            c = sw_table[0][c & 0xFFu] ^ (c >> 8);
            sw_table[k][n] = c;
        }
    }
}

uint32_t os_crc32c_update_sw(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0 && ((uintptr_t)p & 7u) != 0) {
        crc = sw_table[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
        len--;
    }
    while (len >= 8) {
        uint32_t lo = crc ^ rd32(p), hi = rd32(p + 4);
        crc = sw_table[7][lo & 0xFFu] ^ sw_table[6][(lo >> 8) & 0xFFu] ^ sw_table[5][(lo >> 16) & 0xFFu] ^
              sw_table[4][lo >> 24] ^ sw_table[3][hi & 0xFFu] ^ sw_table[2][(hi >> 8) & 0xFFu] ^
              sw_table[1][(hi >> 16) & 0xFFu] ^ sw_table[0][hi >> 24];
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        crc = sw_table[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
        len--;
    }
    return crc;
}

/* ---- shifting a CRC over zero bytes (for combining interleaved chains) ---- */

#if defined(__x86_64__)
#define LONG_BLOCK 8192u
#define SHORT_BLOCK 256u
static uint32_t zeros_long[4][256], zeros_short[4][256];

static uint32_t gf2_times(const uint32_t *mat, uint32_t vec)
{
    uint32_t sum = 0;
    while (vec) {
        if (vec & 1u)
            sum ^= *mat;
        vec >>= 1;
        mat++;
    }
    return sum;
}

static void gf2_square(uint32_t *sq, const uint32_t *mat)
{
    for (int n = 0; n < 32; n++)
        sq[n] = gf2_times(mat, mat[n]);
}

/* the operator that appends len zero bytes to a message's CRC register */
static void zeros_op(uint32_t *even, size_t len)
{
    uint32_t odd[32];
    odd[0] = POLY;
    uint32_t row = 1;
    for (int n = 1; n < 32; n++) {
        odd[n] = row;
        row <<= 1;
    }
    gf2_square(even, odd); /* 2 zero bits */
    gf2_square(odd, even); /* 4 zero bits */
    /* first square gives 8 zero bits = 1 byte; then one square per bit of len */
    do {
        gf2_square(even, odd);
        len >>= 1;
        if (len == 0)
            return;
        gf2_square(odd, even);
        len >>= 1;
    } while (len);
    for (int n = 0; n < 32; n++)
        even[n] = odd[n];
}

static void zeros_table(uint32_t t[4][256], size_t len)
{
    uint32_t op[32];
    zeros_op(op, len);
    for (uint32_t n = 0; n < 256; n++) {
        t[0][n] = gf2_times(op, n);
        t[1][n] = gf2_times(op, n << 8);
        t[2][n] = gf2_times(op, n << 16);
        t[3][n] = gf2_times(op, n << 24);
    }
}

static inline uint32_t shift(uint32_t t[4][256], uint32_t crc)
{
    return t[0][crc & 0xFFu] ^ t[1][(crc >> 8) & 0xFFu] ^ t[2][(crc >> 16) & 0xFFu] ^ t[3][crc >> 24];
}

/* ---- x86-64 SSE4.2 ---- */

__attribute__((target("sse4.2"))) static uint32_t hw_x86(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint64_t c0 = crc;
    while (len > 0 && ((uintptr_t)p & 7u) != 0) {
        c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
        len--;
    }
    while (len >= 3 * LONG_BLOCK) {
        uint64_t c1 = 0, c2 = 0;
        const uint8_t *end = p + LONG_BLOCK;
        do {
            c0 = __builtin_ia32_crc32di(c0, rd64(p));
            c1 = __builtin_ia32_crc32di(c1, rd64(p + LONG_BLOCK));
            c2 = __builtin_ia32_crc32di(c2, rd64(p + 2 * LONG_BLOCK));
            p += 8;
        } while (p < end);
        c0 = shift(zeros_long, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = shift(zeros_long, (uint32_t)c0) ^ (uint32_t)c2;
        p += 2 * LONG_BLOCK;
        len -= 3 * LONG_BLOCK;
    }
    while (len >= 3 * SHORT_BLOCK) {
        uint64_t c1 = 0, c2 = 0;
        const uint8_t *end = p + SHORT_BLOCK;
        do {
            c0 = __builtin_ia32_crc32di(c0, rd64(p));
            c1 = __builtin_ia32_crc32di(c1, rd64(p + SHORT_BLOCK));
            c2 = __builtin_ia32_crc32di(c2, rd64(p + 2 * SHORT_BLOCK));
            p += 8;
        } while (p < end);
        c0 = shift(zeros_short, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = shift(zeros_short, (uint32_t)c0) ^ (uint32_t)c2;
        p += 2 * SHORT_BLOCK;
        len -= 3 * SHORT_BLOCK;
    }
    while (len >= 8) {
        c0 = __builtin_ia32_crc32di(c0, rd64(p));
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
        len--;
    }
    return (uint32_t)c0;
}
#endif

/* ---- ARMv8 CRC extension (one chain). Only syntax-checked here (clang --target=aarch64-linux-gnu
 * -fsyntax-only); no aarch64 machine or cross toolchain was available to build or run it. ---- */

#if defined(__aarch64__)
TARGET_CRC static uint32_t hw_arm(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0 && ((uintptr_t)p & 7u) != 0) {
        crc = CRC32CB(crc, *p++);
        len--;
    }
    while (len >= 8) {
        crc = CRC32CD(crc, rd64(p));
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        crc = CRC32CB(crc, *p++);
        len--;
    }
    return crc;
}
#endif

/* ---- selection ---- */

static os_crc_fn hw_impl; /* NULL when the CPU has no CRC32C instructions */
static os_crc_fn impl = os_crc32c_update_sw;
static const char *impl_name = "slice-by-8";

/* ---- combining the CRCs of two pieces (zlib's crc32_combine, for this polynomial) ---- */

/* x^(2^k) mod p(x), k = 0..31 (reflected: bit 31 is x^0) */
static uint32_t x2n_table[32];

/* a(x) * b(x) mod p(x) */
static uint32_t multmodp(uint32_t a, uint32_t b)
{
    uint32_t m = (uint32_t)1 << 31, p = 0;
    for (;;) {
        if (a & m) {
            p ^= b;
            if ((a & (m - 1)) == 0)
                break;
        }
        m >>= 1;
        b = b & 1 ? (b >> 1) ^ POLY : b >> 1;
    }
    return p;
}

/* x^(n * 2^k) mod p(x) */
static uint32_t x2nmodp(uint64_t n, unsigned k)
{
    uint32_t p = (uint32_t)1 << 31; /* x^0 */
    while (n) {
        if (n & 1)
            p = multmodp(x2n_table[k & 31], p);
        n >>= 1;
        k++;
    }
    return p;
}

static void x2n_init(void)
{
    uint32_t p = (uint32_t)1 << 30; /* x^1 */
    x2n_table[0] = p;
    for (int k = 1; k < 32; k++)
        x2n_table[k] = p = multmodp(p, p);
}

uint32_t os_crc32c_combine(uint32_t crc1, uint32_t crc2, uint64_t len2)
{
    return multmodp(x2nmodp(len2, 3), crc1) ^ crc2; /* crc1 carried over len2 bytes (8 len2 bits) */
}

size_t os_crc_parallel_min = (size_t)32 << 20;

struct crc_half {
    const uint8_t *p;
    size_t n;
    uint32_t crc;
};

static void *crc_half_main(void *arg)
{
    struct crc_half *h = arg;
    h->crc = os_crc32c(h->p, h->n);
    return NULL;
}

uint32_t os_crc32c_parallel(const void *buf, size_t len)
{
    if (len < os_crc_parallel_min || len < 2)
        return os_crc32c(buf, len);
    size_t first = len / 2;
    struct crc_half h = {(const uint8_t *)buf + first, len - first, 0};
    pthread_t t;
    if (pthread_create(&t, NULL, crc_half_main, &h) != 0)
        return os_crc32c(buf, len); /* no thread: the same answer, one core */
    uint32_t c1 = os_crc32c(buf, first);
    pthread_join(t, NULL);
    return os_crc32c_combine(c1, h.crc, h.n);
}

/* Runs when the library is loaded, before any other function of it can be called. OSTORE_CRC32C=sw forces
 * the portable path (so that the whole test suite can be run on it). */
__attribute__((constructor)) static void crc_init(void)
{
    sw_init();
    x2n_init();
#if defined(__x86_64__)
    zeros_table(zeros_long, LONG_BLOCK);
    zeros_table(zeros_short, SHORT_BLOCK);
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2"))
        hw_impl = hw_x86;
#elif defined(__aarch64__)
    if (getauxval(AT_HWCAP) & HWCAP_CRC32)
        hw_impl = hw_arm;
#endif
    const char *force = getenv("OSTORE_CRC32C");
    if (hw_impl != NULL && (force == NULL || strcmp(force, "sw") != 0)) {
        impl = hw_impl;
#if defined(__x86_64__)
        impl_name = "sse4.2 (3-way)";
#else
        impl_name = "armv8 crc";
#endif
    }
}

os_crc_fn os_crc32c_hw(void) { return hw_impl; }

const char *os_crc32c_impl(void) { return impl_name; }

uint32_t os_crc32c_begin(void) { return 0xFFFFFFFFu; }

uint32_t os_crc32c_update(uint32_t state, const void *buf, size_t len) { return impl(state, buf, len); }

uint32_t os_crc32c_end(uint32_t state) { return state ^ 0xFFFFFFFFu; }

uint32_t os_crc32c(const void *buf, size_t len) { return impl(0xFFFFFFFFu, buf, len) ^ 0xFFFFFFFFu; }
