/* How many distinct 4 KiB log pages a stored object's values lie in: the log pages a whole-object read touches (each a
 * TLB walk and a cache miss when cold). A freshly loaded YCSB store has each record's ten fields in one record (1.27
 * pages on average: a 1.1 KB record straddles a page boundary about a quarter of the time); one-field updates put
 * each rewritten field in a record of its own. perf/PROFILES.md, "Session 50".
 *
 *   cc -O2 -Inative-src/include -o /tmp/record-spread perf/scripts/RecordSpread.c -LDIR -lostore
 *   LD_LIBRARY_PATH=DIR /tmp/record-spread STORE CLASS [SAMPLES [KEYS_FILE]]
 *
 * DIR holds a libostore.so (`make -C native-src OUT=DIR DIR/libostore.so`); CLASS is the class id as stored (YCSB's
 * record: ycsb.Record). Without KEYS_FILE it samples ids uniformly; with one it reads the ids in it, one a line (YCSB
 * workload C's draws: perf/scripts/YcsbKeys.java). Prints the mean and the distribution. */
#include "ostore.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: record-spread STORE CLASS [SAMPLES [KEYS_FILE]]\n");
        return 2;
    }
    const char *cls = argv[2];
    long samples = argc > 3 ? atol(argv[3]) : 20000;
    FILE *kf = argc > 4 ? fopen(argv[4], "r") : NULL; /* keys to read, one a line (else uniform over the ids) */
    if (argc > 4 && kf == NULL) { perror(argv[4]); return 1; }
    char kl[256];
    ostore_options o; ostore_options_init(&o);
    ostore *s; char err[256];
    if (ostore_open(argv[1], &o, &s, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
    size_t cap = 0, len; uint64_t count;
    int rc = ostore_list_ids(s, cls, strlen(cls), NULL, 0, &cap, &count);
    uint8_t *ids = rc == OSTORE_BUFFER_TOO_SMALL ? malloc(cap) : NULL;
    if (ids == NULL || (rc = ostore_list_ids(s, cls, strlen(cls), ids, cap, &len, &count)) != OSTORE_OK || count == 0) {
        fprintf(stderr, "no ids of class %s listed (status %d)\n", cls, rc);
        return 1;
    }
    size_t *at = malloc(count * sizeof *at); size_t p = 0;
    if (at == NULL) { fprintf(stderr, "out of memory\n"); return 1; }
    for (uint64_t i = 0; i < count; i++) { uint16_t il; at[i] = p; memcpy(&il, ids + p, 2); p += 2u + il; }
    long hist[17] = {0}; double sum = 0;
    uint64_t x = 0x5eed;
    for (long k = 0; k < samples; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        const uint8_t *id = ids + at[(x >> 33) % count]; uint16_t il; memcpy(&il, id, 2);
        uint8_t kbuf[258];
        if (kf != NULL) {
            if (fgets(kl, sizeof kl, kf) == NULL) { samples = k; break; }
            il = (uint16_t)strcspn(kl, "\n"); memcpy(kbuf, &il, 2); memcpy(kbuf + 2, kl, il); id = kbuf;
        }
        uint32_t pin; ostore_read_begin(s, &pin);
        ostore_entry_ref refs[64]; size_t n; uint64_t ver;
        rc = ostore_get_object_ref(s, cls, strlen(cls), id + 2, il, refs, 64, &n, &ver);
        int pages = 0; uintptr_t seen[64];
        for (size_t i = 0; rc == 0 && i < n; i++) {
            uintptr_t pg = (uintptr_t)refs[i].value >> 12; int dup = 0;
            for (int j = 0; j < pages; j++) if (seen[j] == pg) dup = 1;
            if (!dup) seen[pages++] = pg;
        }
        ostore_read_end(s, pin);
        if (rc != 0) { fprintf(stderr, "get %d\n", rc); return 1; }
        hist[pages > 16 ? 16 : pages]++; sum += pages;
    }
    printf("%s: %llu objects, %ld sampled %s; distinct 4 KiB log pages an object's values lie in: mean %.2f\n",
           argv[1], (unsigned long long)count, samples, kf ? "as the keys file draws them" : "uniformly", sum / samples);
    for (int i = 0; i <= 16; i++) if (hist[i]) printf("  %2d pages: %6.2f %%\n", i, 100.0 * hist[i] / samples);
    ostore_close(s, err, sizeof err);
    return 0;
}
