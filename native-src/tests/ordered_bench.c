/* Instruction counts of key-order scans (ostore_list_ids_ordered), for callgrind: loads N YCSB-like keys
 * ("user" + up to 19 digits), then phase_first (the first scan: builds the ordered index + one page of 100),
 * phase_scans (1 000 pages of 100 from random starts), phase_insert_then_scan (1 000 x one insert + a page).
 *   make orderedbench && valgrind --tool=callgrind build/ordered_bench 100000; callgrind_annotate --inclusive=yes */
#include "testutil.h"
#include <stdio.h>
__attribute__((noinline)) void phase_first(ostore *s, uint8_t *out, uint8_t *next) {
    size_t ol, nl; uint32_t n;
    ostore_list_ids_ordered(s, "U", 1, "user5", 5, 0, 100, 0, out, 65536, &ol, &n, next, 1024, &nl);
}
__attribute__((noinline)) void phase_scans(ostore *s, uint8_t *out, uint8_t *next, int k) {
    size_t ol, nl; uint32_t n; char st[32];
    for (int i = 0; i < k; i++) {
        snprintf(st, sizeof st, "user%llu", (unsigned long long)(i * 2654435761u));
        ostore_list_ids_ordered(s, "U", 1, st, strlen(st), 0, 100, 0, out, 65536, &ol, &n, next, 1024, &nl);
    }
}
__attribute__((noinline)) void phase_insert_then_scan(ostore *s, uint8_t *out, uint8_t *next, bb *b, int k) {
    size_t ol, nl; uint32_t n; char id[32];
    for (int i = 0; i < k; i++) {
        bb_reset(b);
        snprintf(id, sizeof id, "user%llu", (unsigned long long)(i * 11400714819323198485ull % 10000000000000000000ull));
        bb_obj(b, "U", id, OSTORE_ANY_VERSION); bb_puts(b, "f", "v");
        ostore_write_batch(s, b->p, b->n, NULL, 0, NULL);
        ostore_list_ids_ordered(s, "U", 1, id, strlen(id), 0, 100, 0, out, 65536, &ol, &n, next, 1024, &nl);
    }
}
int main(int argc, char **argv) {
    int N = argc > 1 ? atoi(argv[1]) : 100000;
    char *dir = tmp_dir("ordbench");
    ostore *s; char err[256];
    ostore_options o; ostore_options_init(&o); o.checkpoint_interval_bytes = UINT64_MAX;
    if (ostore_open(dir, &o, &s, err, sizeof err)) { puts(err); return 1; }
    bb b; bb_init(&b); char id[32];
    for (int base = 0; base < N; base += 1000) {
        bb_reset(&b);
        for (int i = base; i < base + 1000; i++) {
            snprintf(id, sizeof id, "user%llu", (unsigned long long)((uint64_t)i * 0x9E3779B97F4A7C15ull % 10000000000000000000ull));
            bb_obj(&b, "U", id, OSTORE_ANY_VERSION); bb_puts(&b, "f", "v");
        }
        ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
    }
    static uint8_t out[65536], next[1024];
    phase_first(s, out, next);
    phase_scans(s, out, next, 1000);
    phase_insert_then_scan(s, out, next, &b, 1000);
    ostore_close(s, err, sizeof err); rm_rf(dir);
    return 0;
}
