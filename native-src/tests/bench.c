/* Micro-benchmark of the engine (not part of `make test`; run with `make bench`).
 *  1. 1M objects x one 100-byte value, written in batches of 1000 objects: ns per entry
 *  2. one-object/one-entry batches: ns per batch
 *  3. random ostore_get_entry of existing keys: ns per get
 * Usage: bench [dir-parent]   (default /tmp; OSTORE_BENCH_N overrides the 1M key count)
 * OSTORE_BENCH_ONLY=load: only step 1 with automatic checkpoints off (for profiling the batched insert);
 * OSTORE_BENCH_ONLY=get: that load, close, reopen from the checkpoint, then three passes of random gets;
 * OSTORE_BENCH_ONLY=overwrite: that load, then overwrites of existing keys in batches of 1000 (each batch
 * holds 1000 distinct random keys: consecutive slices of a random permutation). */
#include "testutil.h"

#include <time.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* CPU time of this thread: on a shared machine the wall time also counts time spent waiting for a CPU */
static double cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}
static double g_cpu; /* CPU ns spent in the last load/overwrite_batches */

static void die(const char *what, int rc)
{
    fprintf(stderr, "%s: %s\n", what, ostore_status_name(rc));
    exit(1);
}

static double load(const char *parent, uint64_t ckpt_interval, long n, ostore **keep, char **dir_out)
{
    char tag[64];
    snprintf(tag, sizeof tag, "bench-%s", ckpt_interval == UINT64_MAX ? "nockpt" : "default");
    if (parent != NULL)
        setenv("OSTORE_TEST_TMP", parent, 1);
    char *dir = tmp_dir(tag);
    ostore_options o;
    ostore_options_init(&o);
    o.checkpoint_interval_bytes = ckpt_interval;
    ostore *s;
    char err[256];
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc != OSTORE_OK)
        die(err, rc);
    bb b;
    bb_init(&b);
    char id[32], val[100];
    memset(val, 'x', sizeof val);
    double total = 0;
    for (long base = 0; base < n; base += 1000) {
        bb_reset(&b);
        for (long k = base; k < base + 1000 && k < n; k++) {
            int il = snprintf(id, sizeof id, "object-%08ld", k);
            bb_obj_raw(&b, "com.example.Bench", 17, id, (size_t)il, OSTORE_ANY_VERSION, 0);
            memcpy(val, id, (size_t)il);
            bb_put(&b, "value", val, sizeof val);
        }
        double t0 = now_ns(), c0 = cpu_ns();
        rc = ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
        total += now_ns() - t0;
        g_cpu += cpu_ns() - c0;
        if (rc != OSTORE_OK)
            die("write_batch", rc);
    }
    bb_free(&b);
    *keep = s;
    *dir_out = dir;
    return total / (double)n;
}

static double overwrite_batches(ostore *s, long n)
{
    long *perm = malloc((size_t)n * sizeof *perm);
    for (long i = 0; i < n; i++)
        perm[i] = i;
    unsigned seed = 4242;
    for (long i = n - 1; i > 0; i--) {
        seed = seed * 1103515245u + 12345u;
        long j = (long)((seed >> 4) % (unsigned long)(i + 1));
        long t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    bb b;
    bb_init(&b);
    char id[32], val[100];
    memset(val, 'z', sizeof val);
    double total = 0;
    for (long base = 0; base < n; base += 1000) {
        bb_reset(&b);
        for (long k = base; k < base + 1000 && k < n; k++) {
            int il = snprintf(id, sizeof id, "object-%08ld", perm[k]);
            bb_obj_raw(&b, "com.example.Bench", 17, id, (size_t)il, OSTORE_ANY_VERSION, 0);
            memcpy(val, id, (size_t)il);
            bb_put(&b, "value", val, sizeof val);
        }
        double t0 = now_ns(), c0 = cpu_ns();
        int rc = ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
        total += now_ns() - t0;
        g_cpu += cpu_ns() - c0;
        if (rc != OSTORE_OK)
            die("write_batch", rc);
    }
    bb_free(&b);
    free(perm);
    return total / (double)n;
}

static double one_entry(ostore *s, long n)
{
    bb b;
    bb_init(&b);
    char id[32], val[100];
    memset(val, 'y', sizeof val);
    long m = 200000;
    unsigned seed = 12345;
    double total = 0;
    for (long i = 0; i < m; i++) {
        seed = seed * 1103515245u + 12345u;
        long k = (long)((seed >> 4) % (unsigned long)n);
        int il = snprintf(id, sizeof id, "object-%08ld", k);
        bb_reset(&b);
        bb_obj_raw(&b, "com.example.Bench", 17, id, (size_t)il, OSTORE_ANY_VERSION, 0);
        memcpy(val, id, (size_t)il);
        bb_put(&b, "value", val, sizeof val);
        double t0 = now_ns();
        int rc = ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
        total += now_ns() - t0;
        if (rc != OSTORE_OK)
            die("write_batch", rc);
    }
    bb_free(&b);
    return total / (double)m;
}

/* 2M ostore_get_entry of random existing keys; ns per get (key strings prepared outside the timing) */
static double random_gets(ostore *s, long n, unsigned seed)
{
    long g = 2000000;
    char out[128];
    char (*ids)[24] = malloc((size_t)g * sizeof *ids);
    int *lens = malloc((size_t)g * sizeof *lens);
    for (long i = 0; i < g; i++) {
        seed = seed * 1103515245u + 12345u;
        lens[i] = snprintf(ids[i], sizeof ids[i], "object-%08ld", (long)((seed >> 4) % (unsigned long)n));
    }
    double t0 = now_ns(), c0 = cpu_ns();
    for (long i = 0; i < g; i++) {
        size_t len;
        int rc = ostore_get_entry(s, "com.example.Bench", 17, ids[i], (size_t)lens[i], "value", 5, out, sizeof out,
                                  &len, NULL);
        if (rc != OSTORE_OK || len != 100 || memcmp(out, ids[i], (size_t)lens[i]) != 0)
            die("get_entry", rc == OSTORE_OK ? -1 : rc);
    }
    double ns = (now_ns() - t0) / (double)g;
    g_cpu = cpu_ns() - c0;
    g_cpu /= (double)g;
    free(ids);
    free(lens);
    return ns;
}

int main(int argc, char **argv)
{
    const char *parent = argc > 1 ? argv[1] : NULL;
    long n = getenv("OSTORE_BENCH_N") ? atol(getenv("OSTORE_BENCH_N")) : 1000000;
    ostore *s;
    char *dir;
    int rc;
    (void)rc;

    g_cpu = 0;
    double per_entry_nockpt = load(parent, UINT64_MAX, n, &s, &dir);
    const char *only = getenv("OSTORE_BENCH_ONLY");
    if (only != NULL && strcmp(only, "get") == 0) {
        /* point gets on a store reopened from its checkpoint: the first pass also pays for checking each
         * record's CRC once (issue 10), the second pass finds every record already checked */
        int crc = ostore_close(s, NULL, 0);
        ostore_options o;
        ostore_options_init(&o);
        char err[256];
        if (crc != OSTORE_OK || (crc = ostore_open(dir, &o, &s, err, sizeof err)) != OSTORE_OK)
            die("reopen", crc);
        for (int pass = 1; pass <= 3; pass++) {
            double wall = random_gets(s, n, 777u + (unsigned)pass);
            printf("after reopen, pass %d: random get_entry of existing keys: %.1f ns/get, CPU %.1f ns/get\n", pass, wall,
                   g_cpu);
        }
        ostore_close(s, NULL, 0);
        rm_rf(dir);
        free(dir);
        return 0;
    }
    if (only != NULL) {
        printf("load only: %.1f ns/entry, CPU %.1f ns/entry (batches of 1000, checkpoints off)\n",
               per_entry_nockpt, g_cpu / (double)n);
        if (strcmp(only, "overwrite") == 0) {
            g_cpu = 0;
            double ow = overwrite_batches(s, n);
            printf("overwrite batches of 1000 existing keys: %.1f ns/entry, CPU %.1f ns/entry (checkpoints off)\n",
                   ow, g_cpu / (double)n);
        }
        ostore_close(s, NULL, 0);
        rm_rf(dir);
        free(dir);
        return 0;
    }
    double one_nockpt = getenv("OSTORE_BENCH_LOAD_ONLY") ? 0 : one_entry(s, n);
    ostore_close(s, NULL, 0);
    rm_rf(dir);
    free(dir);
    if (getenv("OSTORE_BENCH_LOAD_ONLY") != NULL) {
        printf("load only: %.1f ns/entry\n", per_entry_nockpt);
        return 0;
    }

    double per_entry = load(parent, 0, n, &s, &dir);
    ostore_stats st;
    ostore_stats_get(s, &st);
    printf("batches of 1000 x 100-byte values, %ld keys: %.1f ns/entry (default options, %llu segments); "
           "%.1f ns/entry with automatic checkpoints off\n",
           n, per_entry, (unsigned long long)st.segments, per_entry_nockpt);

    double one_default = one_entry(s, n);
    printf("one-object one-entry batches (100-byte value, overwrite): %.1f ns/batch (default options); %.1f ns/batch with automatic checkpoints off\n", one_default, one_nockpt);
    printf("random get_entry of existing keys: %.1f ns/get\n", random_gets(s, n, 777));

    double t0 = now_ns();
    rc = ostore_compact(s);
    if (rc != OSTORE_OK)
        die("compact", rc);
    printf("compaction of %ld objects: %.1f ms\n", n, (now_ns() - t0) / 1e6);
    t0 = now_ns();
    rc = ostore_close(s, NULL, 0);
    if (rc != OSTORE_OK)
        die("close", rc);
    printf("close: %.1f ms\n", (now_ns() - t0) / 1e6);
    t0 = now_ns();
    ostore_options o;
    ostore_options_init(&o);
    char err[256];
    rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc != OSTORE_OK)
        die(err, rc);
    printf("open from checkpoint (%ld objects): %.1f ms\n", n, (now_ns() - t0) / 1e6);
    ostore_close(s, NULL, 0);
    rm_rf(dir);
    free(dir);
    return 0;
}
