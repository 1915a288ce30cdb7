/* Micro-benchmark of the engine (not part of `make test`; run with `make bench`).
 *  1. 1M objects x one 100-byte value, written in batches of 1000 objects: ns per entry
 *  2. one-object/one-entry batches: ns per batch
 *  3. random ostore_get_entry of existing keys: ns per get
 * Usage: bench [dir-parent]   (default /tmp; OSTORE_BENCH_N overrides the 1M key count)
 * OSTORE_BENCH_ONLY=load: only step 1 with automatic checkpoints off (for profiling the batched insert);
 * OSTORE_BENCH_ONLY=load-default: only step 1 with default options (automatic checkpoints on);
 * OSTORE_BENCH_ONLY=load-again: step 1 (checkpoints off; OSTORE_BENCH_CKPT=default: default options) OSTORE_BENCH_ROUNDS
 * times (default 4) in one process, each into a new store after the last one was closed and deleted: the first round
 * takes its memory fresh (on a VM, often from the host), the later ones mostly the pages the round before freed;
 * OSTORE_BENCH_ONLY=compact-pause: batch latencies while automatic compaction runs (OSTORE_BENCH_ROUNDS passes
 * over 200 000 keys, default 10; OSTORE_BENCH_CMP_PERCENT sets compact_garbage_percent), then the duration of
 * ostore_compact on the same store;
 * OSTORE_BENCH_ONLY=get: that load, close, reopen from the checkpoint, then three passes of random gets
 * (OSTORE_BENCH_GETS per pass, default 2 000 000);
 * OSTORE_BENCH_ONLY=get-batch: the same passes through ostore_get_entries, OSTORE_BENCH_BATCH requests per call
 * (default 64), the same keys in the same order;
 * OSTORE_BENCH_ONLY=get-ab: the same store, OSTORE_BENCH_ROUNDS rounds (default 3) of one ostore_get_entry pass
 * and one ostore_get_entries pass in turn (the A/B of the two in one process, under the same load);
 * OSTORE_BENCH_ONLY=one-ab: the default-options load, then OSTORE_BENCH_ROUNDS rounds (default 6) of make bench's
 * one-entry overwrite with the small-batch prefetches (os_small_batch_prefetch) and without, the order swapped each
 * round; with OSTORE_BENCH_AB=auto-interval, with the automatic interval that follows the checkpoint's size and with
 * the 8 MiB one instead;
 * OSTORE_BENCH_ONLY=get-hints: the same store, OSTORE_BENCH_ROUNDS rounds (default 6) of one ostore_get_entry pass
 * with its value-hint prefetch and one without (os_value_hints), the order swapped each round, after an untimed pass;
 * OSTORE_BENCH_ONLY=one-default: the default-options load, then three passes of make bench's one-entry
 * overwrites (the first as make bench runs it, while the load's background checkpoint may still run;
 * OSTORE_BENCH_ONE batches per pass, default 200 000); one-off: the same with automatic checkpoints off;
 * OSTORE_BENCH_CKPT_INTERVAL (bytes) sets one-default's and one-phases' checkpoint_interval_bytes;
 * OSTORE_BENCH_ONLY=one-phases: as one-default, each pass's batches timed apart by what the background checkpoint
 * was doing when they began (none running, its log sync, writing its file, its file sync and rename), with how many
 * took over 10 us and how many of those handed the pages thread a job; OSTORE_BENCH_FAULTS=1 adds the writer's page
 * faults in each (getrusage around every batch); after each pass, how long compaction held the writer mutex;
 * OSTORE_BENCH_ONLY=overwrite: that load, then overwrites of existing keys in batches of 1000 (each batch
 * holds 1000 distinct random keys: consecutive slices of a random permutation).
 * OSTORE_BENCH_ONLY=footprint: bytes on disk per object at rest (after close) in perf's DiskFootprint shape:
 * OSTORE_BENCH_N objects (default 100 000) of class "perf.Raw", 16-byte ids, one entry "v" of 100 bytes, batches of
 * 1000; after the load, after overwriting every object once, after ostore_compact; split into log and checkpoint.
 * OSTORE_BENCH_ONLY=sdk: the SDK's case (perf ObjectPathBenchmark): 10 000 objects of class "perf.Account"
 * (ids "acct-%08d", three entries), then (a) overwrite windows of 1000 consecutive objects, one 9-byte
 * "balance" entry each, expected version given; (b) one-object one-entry overwrites; (c) random
 * ostore_get_entry of "balance". Each with automatic checkpoints off, then default options (or only
 * one of them: OSTORE_BENCH_CKPT=off|default). OSTORE_BENCH_ROUNDS: overwrite passes over the 10 windows
 * (default 200, i.e. 2 M entries); OSTORE_BENCH_PHASE=windows|one|get runs only that part (for perf record).
 * With OSTORE_BENCH_SEGMENT=bytes (segment_size) and OSTORE_BENCH_CMP_PERCENT (compact_garbage_percent) the
 * store compacts in the background while it commits; after (a) and (b) it prints how long compaction held the
 * writer mutex and how long commits waited for it (os_cmp_timing_get); OSTORE_BENCH_CMP_UNDER_MUTEX=1 runs each
 * compaction step wholly under the mutex, as before session 9 (os_cmp_under_mutex), for an A/B in one binary.
 * OSTORE_BENCH_ONLY=open: opens the existing store in the directory given as the argument (e.g. one a YCSB load
 * wrote), OSTORE_BENCH_ROUNDS times (default 3): wall time of ostore_open, its minor page faults, user and system
 * CPU, and the process's peak RSS. With OSTORE_BENCH_GETS=n and OSTORE_BENCH_CLASS/OSTORE_BENCH_ENTRY (default
 * perf's raw store, "perf.Raw"/"v"), each timed open is followed by n point gets of that entry of uniformly drawn
 * ids of the class (drawn once, from ids listed on an untimed open first) and the close, timed apart: perf's
 * ColdOpenBenchmark in C. */
#include "testutil.h"
#include "../src/internal.h" /* os_cmp_timing_get: writer-mutex accounting */

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/time.h>
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
    /* compaction while committing: OSTORE_BENCH_SEGMENT (bytes) small makes the "at least one segment of garbage"
     * floor small, OSTORE_BENCH_CMP_PERCENT the share (100: never automatically) */
    if (getenv("OSTORE_BENCH_SEGMENT") != NULL)
        o.segment_size = (uint64_t)atoll(getenv("OSTORE_BENCH_SEGMENT"));
    if (getenv("OSTORE_BENCH_CMP_PERCENT") != NULL)
        o.compact_garbage_percent = (uint32_t)atoi(getenv("OSTORE_BENCH_CMP_PERCENT"));
    /* OSTORE_BENCH_CMP_UNDER_MUTEX=1: compaction steps wholly under the writer mutex, as before session 9 */
    os_cmp_under_mutex = getenv("OSTORE_BENCH_CMP_UNDER_MUTEX") != NULL;
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

/* Closes s and deletes its directory (load's dir_out, freed here). */
static void drop_store(ostore *s, char *dir)
{
    ostore_close(s, NULL, 0);
    rm_rf(dir);
    free(dir);
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

/* make bench's one-entry overwrite: the next random key of n from seed, its batch built in b (a 100-byte value that
 * starts with the id); returns the next seed */
static unsigned one_entry_batch(bb *b, char *val, long n, unsigned seed)
{
    char id[32];
    seed = seed * 1103515245u + 12345u;
    long k = (long)((seed >> 4) % (unsigned long)n);
    int il = snprintf(id, sizeof id, "object-%08ld", k);
    bb_reset(b);
    bb_obj_raw(b, "com.example.Bench", 17, id, (size_t)il, OSTORE_ANY_VERSION, 0);
    memcpy(val, id, (size_t)il);
    bb_put(b, "value", val, 100);
    return seed;
}

static double one_entry(ostore *s, long n)
{
    bb b;
    bb_init(&b);
    char val[100];
    memset(val, 'y', sizeof val);
    long m = getenv("OSTORE_BENCH_ONE") ? atol(getenv("OSTORE_BENCH_ONE")) : 200000;
    unsigned seed = 12345;
    double total = 0, c0 = cpu_ns();
    for (long i = 0; i < m; i++) {
        seed = one_entry_batch(&b, val, n, seed);
        double t0 = now_ns();
        int rc = ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
        total += now_ns() - t0;
        if (rc != OSTORE_OK)
            die("write_batch", rc);
    }
    g_cpu = (cpu_ns() - c0) / (double)m; /* the whole loop's thread CPU per batch (building the batch included) */
    bb_free(&b);
    return total / (double)m;
}

/* ---- one-entry overwrites by what the background checkpoint is doing (OSTORE_BENCH_ONLY=one-phases) ---- */

static _Atomic int g_ckpt_phase; /* the background checkpoint's last phase (OS_CKPT_PHASE_*), 0 since its start */
static void record_phase(int phase) { atomic_store(&g_ckpt_phase, phase); }

/* one_entry's overwrites, each batch's wall time counted under what the background checkpoint was doing when it
 * began: none running, syncing the log (started, before OS_CKPT_PHASE_SYNCED), writing its file (to WRITTEN), or
 * making it durable and in place (to DONE, collected by a later batch) */
static void one_entry_phases(ostore *s, long n, int pass)
{
    static const char *what[4] = {"no checkpoint", "log sync", "writing", "file sync+rename"};
    double sum[4] = {0}, cnt[4] = {0}, slow[4] = {0}, nslow[4] = {0}, flt[4] = {0}, slowflt[4] = {0}, slowreq[4] = {0};
    bool faults = getenv("OSTORE_BENCH_FAULTS") != NULL; /* count the writer's page faults (a system call a batch) */
    bb b;
    bb_init(&b);
    char val[100];
    memset(val, 'y', sizeof val);
    long m = getenv("OSTORE_BENCH_ONE") ? atol(getenv("OSTORE_BENCH_ONE")) : 200000;
    unsigned seed = 12345u + (unsigned)pass;
    long started = 0;
    for (long i = 0; i < m; i++) {
        seed = one_entry_batch(&b, val, n, seed);
        int ph = atomic_load(&g_ckpt_phase);
        int bucket = s->bg == NULL ? 0 : ph < OS_CKPT_PHASE_SYNCED ? 1 : ph < OS_CKPT_PHASE_WRITTEN ? 2 : 3;
        bool was_running = s->bg != NULL && ph != OS_CKPT_PHASE_DONE;
        struct rusage ru0, ru1;
        uint64_t req0 = atomic_load(&s->pages.requests);
        if (faults)
            getrusage(RUSAGE_THREAD, &ru0);
        double t0 = now_ns();
        int rc = ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
        double dt = now_ns() - t0;
        if (faults) {
            getrusage(RUSAGE_THREAD, &ru1);
            long f = ru1.ru_minflt - ru0.ru_minflt + ru1.ru_majflt - ru0.ru_majflt;
            flt[bucket] += (double)f;
            if (dt > 10000 && f > 0)
                slowflt[bucket]++;
        }
        sum[bucket] += dt;
        cnt[bucket]++;
        if (dt > 10000) { /* over 10 us: a wait (a fault, a lock, the scheduler), not the batch's own work */
            slow[bucket] += dt;
            nslow[bucket]++;
            slowreq[bucket] += atomic_load(&s->pages.requests) != req0; /* it handed the pages thread a job */
        }
        if (rc != OSTORE_OK)
            die("write_batch", rc);
        if (s->bg != NULL && !was_running) {
            /* this batch started a checkpoint (after collecting the last one, whose DONE is the phase left):
             * unless the new one has already reported a phase, it has none yet */
            int done = OS_CKPT_PHASE_DONE;
            atomic_compare_exchange_strong(&g_ckpt_phase, &done, 0);
            started++;
        }
    }
    bb_free(&b);
    printf("pass %d: %.1f ns/batch, %ld checkpoints started;", pass,
           (sum[0] + sum[1] + sum[2] + sum[3]) / (double)m, started);
    for (int q = 0; q < 4; q++)
        printf(" %s %.0f%% of batches %.1f ns/batch (%.0f over 10 us: %.1f ns/batch of it; %.0f faults, %.0f of the slow"
               " batches had one; %.0f handed the pages thread a job);", what[q], 100.0 * cnt[q] / (double)m,
               cnt[q] > 0 ? sum[q] / cnt[q] : 0.0, nslow[q], cnt[q] > 0 ? slow[q] / cnt[q] : 0.0, flt[q], slowflt[q],
               slowreq[q]);
    printf("\n");
}

/* ---- the SDK's case (OSTORE_BENCH_ONLY=sdk) ---- */

#define SDK_CLS "perf.Account"
#define SDK_CL 12

static void sdk_id(char *id, long i) { snprintf(id, 16, "acct-%08ld", i); }

/* mutex_report's previous counters: of the store it reports on (each store's counters start at zero) */
static os_cmp_timing prev;
static uint64_t prev_cmp;

/* mutex_report from here on reports on s, since now */
static void mutex_report_start(ostore *s)
{
    os_cmp_timing_get(s, &prev);
    ostore_stats st;
    ostore_stats_get(s, &st);
    prev_cmp = st.compactions;
}

/* the writer-mutex accounting since the previous call (os_cmp_timing_get), and the compactions */
static void mutex_report(ostore *s, const char *what)
{
    os_cmp_timing t;
    os_cmp_timing_get(s, &t);
    ostore_stats st;
    ostore_stats_get(s, &st);
    uint64_t holds = t.cmp_holds - prev.cmp_holds, waits = t.wr_waits - prev.wr_waits;
    printf("  %s: %llu compactions; compaction held the writer mutex %llu times, %.2f ms in all (mean %.1f us, "
           "longest so far %.1f us, %llu steps encoded again); commits waited %llu times, %.2f ms in all (longest so far %.1f us)\n",
           what, (unsigned long long)(st.compactions - prev_cmp), (unsigned long long)holds,
           (double)(t.cmp_hold_ns - prev.cmp_hold_ns) / 1e6,
           holds ? (double)(t.cmp_hold_ns - prev.cmp_hold_ns) / 1e3 / (double)holds : 0.0, (double)t.cmp_hold_max_ns / 1e3, (unsigned long long)(t.cmp_retries - prev.cmp_retries),
           (unsigned long long)waits, (double)(t.wr_wait_ns - prev.wr_wait_ns) / 1e6, (double)t.wr_wait_max_ns / 1e3);
    uint64_t rolls = t.cmp_rolls - prev.cmp_rolls, rns = t.cmp_roll_ns - prev.cmp_roll_ns;
    printf("  %s: of those holds, %llu rollovers to a new segment C, %.2f ms in all; the other holds %.2f ms in all, "
           "mean %.1f us\n", what, (unsigned long long)rolls, (double)rns / 1e6,
           (double)(t.cmp_hold_ns - prev.cmp_hold_ns - rns) / 1e6,
           holds > rolls ? (double)(t.cmp_hold_ns - prev.cmp_hold_ns - rns) / 1e3 / (double)(holds - rolls) : 0.0);
    prev = t;
    prev_cmp = st.compactions;
}

static void sdk_case(const char *parent, uint64_t ckpt_interval, const char *label, long rounds)
{
    enum { N = 10000, W = 1000 };
    if (parent != NULL)
        setenv("OSTORE_TEST_TMP", parent, 1);
    char *dir = tmp_dir("bench-sdk");
    ostore_options o;
    ostore_options_init(&o);
    o.checkpoint_interval_bytes = ckpt_interval;
    /* compaction while committing: OSTORE_BENCH_SEGMENT (bytes) small makes the "at least one segment of garbage"
     * floor small, OSTORE_BENCH_CMP_PERCENT the share (100: never automatically) */
    if (getenv("OSTORE_BENCH_SEGMENT") != NULL)
        o.segment_size = (uint64_t)atoll(getenv("OSTORE_BENCH_SEGMENT"));
    if (getenv("OSTORE_BENCH_CMP_PERCENT") != NULL)
        o.compact_garbage_percent = (uint32_t)atoi(getenv("OSTORE_BENCH_CMP_PERCENT"));
    /* OSTORE_BENCH_CMP_UNDER_MUTEX=1: compaction steps wholly under the writer mutex, as before session 9 */
    os_cmp_under_mutex = getenv("OSTORE_BENCH_CMP_UNDER_MUTEX") != NULL;
    ostore *s;
    char err[256];
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc != OSTORE_OK)
        die(err, rc);
    mutex_report_start(s);
    static uint64_t ver[N];
    uint64_t versions[W];
    bb b;
    bb_init(&b);
    char id[16], owner[48], val[9];
    for (long base = 0; base < N; base += W) { /* preload: three entries per object, as the SDK's create */
        bb_reset(&b);
        for (long k = base; k < base + W; k++) {
            sdk_id(id, k);
            bb_obj_raw(&b, SDK_CLS, SDK_CL, id, 13, OSTORE_ABSENT_VERSION, 0);
            val[0] = 1;
            uint64_t bal = 1000000000ull + (uint64_t)k;
            memcpy(val + 1, &bal, 8);
            bb_put(&b, "balance", val, 9);
            snprintf(owner, sizeof owner, "Owner %06ld of Example Holdings Ltd (EU)", k);
            bb_put(&b, "owner", owner, strlen(owner));
            uint8_t fl[5] = {2, (uint8_t)k, 0, 0, 0};
            bb_put(&b, "flags", fl, 5);
        }
        rc = ostore_write_batch(s, b.p, b.n, versions, W, NULL);
        if (rc != OSTORE_OK)
            die("sdk preload", rc);
        for (long k = base; k < base + W; k++)
            ver[k] = versions[k - base];
    }
    const char *phase = getenv("OSTORE_BENCH_PHASE");
    /* (a) windows of 1000, one small entry each; the batch is built outside the timed call */
    double total = 0, cpu = 0;
    long entries = 0;
    for (long r = 0; r < rounds && (phase == NULL || strcmp(phase, "windows") == 0); r++) {
        for (long base = 0; base < N; base += W) {
            bb_reset(&b);
            for (long k = base; k < base + W; k++) {
                sdk_id(id, k);
                bb_obj_raw(&b, SDK_CLS, SDK_CL, id, 13, ver[k], 0);
                val[0] = 1;
                uint64_t bal = 1000000000ull + (uint64_t)k + (uint64_t)r + 1;
                memcpy(val + 1, &bal, 8);
                bb_put(&b, "balance", val, 9);
            }
            double t0 = now_ns(), c0 = cpu_ns();
            rc = ostore_write_batch(s, b.p, b.n, versions, W, NULL);
            total += now_ns() - t0;
            cpu += cpu_ns() - c0;
            if (rc != OSTORE_OK)
                die("sdk window", rc);
            for (long k = base; k < base + W; k++)
                ver[k] = versions[k - base];
            entries += W;
        }
    }
    if (entries > 0) {
        printf("sdk %s: windows of 1000 of 10000 objects, one 9-byte entry each: %.1f ns/entry, CPU %.1f ns/entry\n",
           label, total / (double)entries, cpu / (double)entries);
        mutex_report(s, "windows");
    }
    /* (b) one object, one entry. The loop is timed as a whole (clock_gettime is a real system call on this
     * VM, too dear to call per operation); each batch is a template with its id digits, expected version and
     * value patched in place (a few ns, counted in), so that it is in cache as the SDK's freshly encoded
     * batch would be. */
    long m = phase == NULL || strcmp(phase, "one") == 0 ? 20 * rounds * W / 10 : 0;
    unsigned seed = 12345;
    bb ob;
    bb_init(&ob);
    sdk_id(id, 0);
    bb_obj_raw(&ob, SDK_CLS, SDK_CL, id, 13, 0, 0);
    static uint8_t oneval[4096]; /* OSTORE_BENCH_ONE_VALUE: the entry's size (default 9, the SDK's long field) */
    size_t onelen = getenv("OSTORE_BENCH_ONE_VALUE") != NULL ? (size_t)atoi(getenv("OSTORE_BENCH_ONE_VALUE")) : 9;
    if (onelen < 9 || onelen > sizeof oneval)
        onelen = 9;
    bb_put(&ob, "balance", oneval, onelen);
    const size_t at_ver = 8 + 16, at_digits = 8 + 24 + SDK_CL + 5, at_val = 8 + 24 + 32 + 8 + 7;
    double t0 = now_ns(), c0 = cpu_ns();
    bool trace = getenv("OSTORE_BENCH_TRACE") != NULL;
    const char *ok_env = getenv("OSTORE_BENCH_ONE_KEYS"); /* random (default), seq (in id order), same (one object) */
    char one_keys = ok_env == NULL ? 'r' : strcmp(ok_env, "seq") == 0 ? 's' : strcmp(ok_env, "same") == 0 ? '1' : 'r';
    double tw0 = t0, tc0 = c0;
    for (long i = 0; i < m; i++) {
        seed = seed * 1103515245u + 12345u;
        long k = one_keys == 's' ? i % N : one_keys == '1' ? 0 : (long)((seed >> 4) % (unsigned long)N);
        char *d = (char *)ob.p + at_digits;
        for (long x = k, j = 7; j >= 0; j--, x /= 10)
            d[j] = (char)('0' + x % 10);
        memcpy(ob.p + at_ver, &ver[k], 8);
        memcpy(ob.p + at_val + 1, &i, 8);
        rc = ostore_write_batch(s, ob.p, ob.n, NULL, 0, NULL);
        if (rc != OSTORE_OK)
            die("sdk one-entry", rc);
        ver[k]++;
        if (trace && (i + 1) % 10000 == 0) { /* OSTORE_BENCH_TRACE: time per 10 000 batches beside the compactions */
            ostore_stats st;
            ostore_stats_get(s, &st);
            double tw = now_ns(), tc = cpu_ns();
            fprintf(stderr, "trace %ld %.0f %.0f %.0f compactions %llu\n", i + 1, tw, (tw - tw0) / 10000, (tc - tc0) / 10000,
                    (unsigned long long)st.compactions);
            tw0 = tw;
            tc0 = tc;
        }
    }
    total = now_ns() - t0;
    cpu = cpu_ns() - c0;
    if (m > 0) {
        printf("sdk %s: one-object one-entry overwrite: %.1f ns/batch, CPU %.1f ns/batch\n", label,
               total / (double)m, cpu / (double)m);
        mutex_report(s, "one-object");
    }
    bb_free(&ob);
    /* (c) random gets of one entry (ids made before the clock starts) */
    long g = phase == NULL || strcmp(phase, "get") == 0 ? 100 * rounds * W / 10 : 0;
    char (*ids)[16] = malloc((size_t)g * sizeof *ids);
    for (long i = 0; i < g; i++) {
        seed = seed * 1103515245u + 12345u;
        sdk_id(ids[i], (long)((seed >> 4) % (unsigned long)N));
    }
    char out[64];
    t0 = now_ns();
    c0 = cpu_ns();
    for (long i = 0; i < g; i++) {
        size_t len;
        rc = ostore_get_entry(s, SDK_CLS, SDK_CL, ids[i], 13, "balance", 7, out, sizeof out, &len, NULL);
        if (rc != OSTORE_OK || len != 9)
            die("sdk get_entry", rc == OSTORE_OK ? -1 : rc);
    }
    if (g > 0)
        printf("sdk %s: random get_entry: %.1f ns/get, CPU %.1f ns/get\n", label, (now_ns() - t0) / (double)g,
               (cpu_ns() - c0) / (double)g);
    free(ids);
    bb_free(&b);
    drop_store(s, dir);
}

/* ---- bytes on disk (OSTORE_BENCH_ONLY=footprint) ---- */

static void footprint_sizes(const char *dir, long n, const char *when)
{
    char segs[64][512], ck[600];
    int ns = list_segs(dir, segs, 64);
    long log = 0;
    for (int i = 0; i < ns; i++)
        log += file_size(segs[i]);
    snprintf(ck, sizeof ck, "%s/index.ckpt", dir);
    long c = file_size(ck) > 0 ? file_size(ck) : 0;
    snprintf(ck, sizeof ck, "%s/index.delta", dir); /* incremental checkpoints after it */
    long d = file_size(ck) > 0 ? file_size(ck) : 0;
    printf("%-16s %7.1f B/object (log %.1f, checkpoint %.1f + deltas %.1f; live 116)\n", when,
           (double)(log + c + d) / (double)n, (double)log / (double)n, (double)c / (double)n, (double)d / (double)n);
}

static void footprint_pass(ostore *s, long n, unsigned char fill)
{
    bb b;
    bb_init(&b);
    char id[32];
    unsigned char val[100];
    for (long base = 0; base < n; base += 1000) {
        bb_reset(&b);
        for (long k = base; k < base + 1000 && k < n; k++) {
            snprintf(id, sizeof id, "obj-%012ld", k);
            bb_obj_raw(&b, "perf.Raw", 8, id, 16, OSTORE_ANY_VERSION, 0);
            for (int j = 0; j < 100; j++)
                val[j] = (unsigned char)(k * 31 + j * 7 + fill);
            bb_put(&b, "v", val, sizeof val);
        }
        if (ostore_write_batch(s, b.p, b.n, NULL, 0, NULL) != OSTORE_OK)
            die("footprint write", -1);
    }
    bb_free(&b);
}

static void footprint(const char *parent, long n)
{
    if (parent != NULL)
        setenv("OSTORE_TEST_TMP", parent, 1);
    char *dir = tmp_dir("bench-footprint");
    ostore_options o;
    ostore_options_init(&o);
    char err[256];
    ostore *s;
    const char *when[] = {"after load", "after overwrite", "after compaction"};
    for (int step = 0; step < 3; step++) {
        int rc = ostore_open(dir, &o, &s, err, sizeof err);
        if (rc != OSTORE_OK)
            die(err, rc);
        if (step < 2)
            footprint_pass(s, n, (unsigned char)step);
        else if ((rc = ostore_compact(s)) != OSTORE_OK)
            die("compact", rc);
        if ((rc = ostore_close(s, err, sizeof err)) != OSTORE_OK)
            die(err, rc);
        footprint_sizes(dir, n, when[step]);
    }
    rm_rf(dir);
    free(dir);
}

/* 2M ostore_get_entry of random existing keys; ns per get (key strings prepared outside the timing) */
static double random_gets(ostore *s, long n, unsigned seed)
{
    long g = getenv("OSTORE_BENCH_GETS") ? atol(getenv("OSTORE_BENCH_GETS")) : 2000000;
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

/* The same gets as random_gets (same seed: same keys in the same order), OSTORE_BENCH_BATCH (64) requests per
 * ostore_get_entries call; ns per get. */
static double __attribute__((noinline)) random_gets_batched(ostore *s, long n, unsigned seed)
{
    long g = getenv("OSTORE_BENCH_GETS") ? atol(getenv("OSTORE_BENCH_GETS")) : 2000000;
    long bs = getenv("OSTORE_BENCH_BATCH") ? atol(getenv("OSTORE_BENCH_BATCH")) : 64;
    if (bs < 1)
        bs = 1;
    char (*ids)[24] = malloc((size_t)g * sizeof *ids);
    int *lens = malloc((size_t)g * sizeof *lens);
    char (*out)[128] = malloc((size_t)bs * sizeof *out);
    ostore_get_req *r = calloc((size_t)bs, sizeof *r);
    for (long i = 0; i < g; i++) {
        seed = seed * 1103515245u + 12345u;
        lens[i] = snprintf(ids[i], sizeof ids[i], "object-%08ld", (long)((seed >> 4) % (unsigned long)n));
    }
    double t0 = now_ns(), c0 = cpu_ns();
    for (long i0 = 0; i0 < g; i0 += bs) {
        long m = g - i0 < bs ? g - i0 : bs;
        for (long j = 0; j < m; j++) {
            r[j].class_id = "com.example.Bench";
            r[j].class_len = 17;
            r[j].object_id = ids[i0 + j];
            r[j].id_len = (size_t)lens[i0 + j];
            r[j].name = "value";
            r[j].name_len = 5;
            r[j].out = out[j];
            r[j].out_cap = sizeof out[j];
        }
        int rc = ostore_get_entries(s, r, (size_t)m);
        if (rc != OSTORE_OK)
            die("get_entries", rc);
        for (long j = 0; j < m; j++)
            if (r[j].status != OSTORE_OK || r[j].out_len != 100 ||
                memcmp(out[j], ids[i0 + j], (size_t)lens[i0 + j]) != 0)
                die("get_entries request", r[j].status == OSTORE_OK ? -1 : r[j].status);
    }
    double ns = (now_ns() - t0) / (double)g;
    g_cpu = cpu_ns() - c0;
    g_cpu /= (double)g;
    free(ids);
    free(lens);
    free(out);
    free(r);
    return ns;
}

/* ---- writer pauses while the store compacts (OSTORE_BENCH_ONLY=compact-pause) ---- */

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 200 000 keys on 16 MiB segments, overwritten in batches of 1000 until `rounds` passes are done: prints the
 * batch latency percentiles and the compactions that ran (automatic, in the background); then the same store
 * compacted with ostore_compact, which is how long a writer waits for a foreground compaction. */
static void compact_pause(const char *parent, long rounds)
{
    if (parent != NULL)
        setenv("OSTORE_TEST_TMP", parent, 1);
    char *dir = tmp_dir("bench-cmp");
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 16u << 20;
    if (getenv("OSTORE_BENCH_CMP_PERCENT") != NULL) /* 100: no automatic compaction, for comparison */
        o.compact_garbage_percent = (uint32_t)atoi(getenv("OSTORE_BENCH_CMP_PERCENT"));
    ostore *s;
    char err[256];
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc != OSTORE_OK)
        die(err, rc);
    long n = 200000, nb = n / 1000 * (rounds + 1);
    double *lat = malloc((size_t)nb * sizeof *lat);
    bb b;
    bb_init(&b);
    char id[32], val[100];
    long k = 0;
    for (long i = 0; i < nb; i++) {
        bb_reset(&b);
        for (long j = 0; j < 1000; j++, k++) {
            int il = snprintf(id, sizeof id, "object-%08ld", k % n);
            bb_obj_raw(&b, "com.example.Bench", 17, id, (size_t)il, OSTORE_ANY_VERSION, 0);
            memset(val, 'a' + (int)(i % 26), sizeof val);
            bb_put(&b, "value", val, sizeof val);
        }
        double t0 = now_ns();
        rc = ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
        lat[i] = now_ns() - t0;
        if (rc != OSTORE_OK)
            die("write_batch", rc);
    }
    ostore_stats st;
    ostore_stats_get(s, &st);
    if (ostore_last_error(s, err, sizeof err) > 0)
        printf("last error: %s\n", err);
    qsort(lat, (size_t)nb, sizeof *lat, cmp_dbl);
    printf("batches of 1000 overwrites, %ld keys, automatic compaction: %ld batches, p50 %.0f us, p99 %.0f us, max %.0f us; "
           "%llu compactions, %llu segments, %.1f MiB log\n", n, nb, lat[nb / 2] / 1e3, lat[nb * 99 / 100] / 1e3,
           lat[nb - 1] / 1e3, (unsigned long long)st.compactions, (unsigned long long)st.segments,
           (double)st.log_bytes / (1 << 20));
    double t0 = now_ns();
    rc = ostore_compact(s);
    if (rc != OSTORE_OK)
        die("compact", rc);
    printf("ostore_compact of the same store (a writer waits this long): %.0f us\n", (now_ns() - t0) / 1e3);
    bb_free(&b);
    free(lat);
    drop_store(s, dir);
}

/* A switch of the engine's (*knob) on and off by rounds (OSTORE_BENCH_ROUNDS, default 6), in turn in one process on
 * the same store, the order swapped each round: the A/B of a change under the same minute's machine. Each round
 * times a pass of random gets (gets) or of make bench's one-entry overwrite. Leaves the switch on. */
static void switch_rounds(ostore *s, long n, bool *knob, bool gets, const char *what)
{
    long rounds = getenv("OSTORE_BENCH_ROUNDS") ? atol(getenv("OSTORE_BENCH_ROUNDS")) : 6;
    for (long r = 1; r <= rounds; r++) {
        for (int k = 0; k < 2; k++) {
            bool on = (k == 0) == (r % 2 == 1);
            *knob = on;
            double w = gets ? random_gets(s, n, 900u + (unsigned)r) : one_entry(s, n);
            printf("round %ld: %s %s: %.1f ns/%s, %sCPU %.1f ns/%s\n", r, what, on ? "on " : "off", w,
                   gets ? "get" : "batch", gets ? "" : "loop ", g_cpu, gets ? "get" : "batch");
        }
    }
    *knob = true;
}

/* Closes s and opens dir again with default options (gets on a store opened from its checkpoint). */
static ostore *reopen_default(ostore *s, const char *dir)
{
    int crc = ostore_close(s, NULL, 0);
    ostore_options o;
    ostore_options_init(&o);
    char err[256];
    if (crc != OSTORE_OK || (crc = ostore_open(dir, &o, &s, err, sizeof err)) != OSTORE_OK)
        die("reopen", crc);
    return s;
}

static double tv_ms(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }

/* OSTORE_BENCH_ONLY=open: what opening an existing store costs (the fresh memory its index touches shows as page
 * faults and system time) */
/* the ids of class cls in dir's store, listed on an open of their own (so that the timed opens start cold) */
static uint8_t *list_ids(const char *dir, const char *cls, uint64_t *count, size_t *len)
{
    ostore_options o;
    ostore_options_init(&o);
    ostore *s;
    char err[256];
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc != OSTORE_OK)
        die(err, rc);
    size_t cap = 0;
    rc = ostore_list_ids(s, cls, strlen(cls), NULL, 0, &cap, count);
    uint8_t *ids = malloc(cap ? cap : 1);
    if (rc == OSTORE_BUFFER_TOO_SMALL)
        rc = ostore_list_ids(s, cls, strlen(cls), ids, cap, len, count);
    if (rc != OSTORE_OK || *count == 0)
        die("listing the ids of OSTORE_BENCH_CLASS failed or found none", rc);
    if ((rc = ostore_close(s, err, sizeof err)) != OSTORE_OK)
        die(err, rc);
    return ids;
}

/* n gets of entry `name` of uniformly drawn ids of cls (their offsets in the id list ids); ms */
static double timed_gets(ostore *s, const char *cls, const char *name, const uint8_t *ids, const size_t *at, long n)
{
    uint8_t val[65536];
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        const uint8_t *p = ids + at[i];
        uint16_t il;
        memcpy(&il, p, 2);
        size_t vl;
        uint64_t ver;
        int rc = ostore_get_entry(s, cls, strlen(cls), p + 2, il, name, strlen(name), val, sizeof val, &vl, &ver);
        if (rc != OSTORE_OK)
            die("a listed id's entry could not be read", rc);
    }
    return (now_ns() - t0) / 1e6;
}

static void open_existing(const char *dir, long rounds)
{
    long gets = getenv("OSTORE_BENCH_GETS") ? atol(getenv("OSTORE_BENCH_GETS")) : 0;
    const char *cls = getenv("OSTORE_BENCH_CLASS") ? getenv("OSTORE_BENCH_CLASS") : "perf.Raw";
    const char *name = getenv("OSTORE_BENCH_ENTRY") ? getenv("OSTORE_BENCH_ENTRY") : "v";
    uint8_t *ids = NULL;
    size_t *at = NULL;
    if (gets > 0) {
        uint64_t count;
        size_t len;
        ids = list_ids(dir, cls, &count, &len);
        size_t *all = malloc(count * sizeof *all);
        size_t p = 0;
        for (uint64_t i = 0; i < count; i++) {
            uint16_t il;
            all[i] = p;
            memcpy(&il, ids + p, 2);
            p += 2u + il;
        }
        at = malloc((size_t)gets * sizeof *at);
        uint64_t x = 0x0b5e55ed;
        for (long i = 0; i < gets; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            at[i] = all[(x >> 33) % count];
        }
        free(all);
    }
    for (long r = 0; r < rounds; r++) {
        ostore_options o;
        ostore_options_init(&o);
        ostore *s;
        char err[256];
        struct rusage u0, u1;
        getrusage(RUSAGE_SELF, &u0);
        double t0 = now_ns();
        int rc = ostore_open(dir, &o, &s, err, sizeof err);
        double t1 = now_ns();
        getrusage(RUSAGE_SELF, &u1);
        if (rc != OSTORE_OK)
            die(err, rc);
        ostore_stats st;
        ostore_stats_get(s, &st);
        printf("open of %llu objects: %.1f ms, %ld minor faults, user %.1f ms, system %.1f ms, peak RSS %ld MiB\n",
               (unsigned long long)st.objects, (t1 - t0) / 1e6, u1.ru_minflt - u0.ru_minflt,
               tv_ms(u1.ru_utime) - tv_ms(u0.ru_utime), tv_ms(u1.ru_stime) - tv_ms(u0.ru_stime), u1.ru_maxrss / 1024);
        double g = gets > 0 ? timed_gets(s, cls, name, ids, at, gets) : 0, t2 = now_ns();
        struct rusage u2;
        getrusage(RUSAGE_SELF, &u2);
        if ((rc = ostore_close(s, err, sizeof err)) != OSTORE_OK)
            die(err, rc);
        if (gets > 0)
            printf("  then %ld gets: %.1f ms, %ld minor faults; close: %.1f ms; open + gets + close: %.1f ms\n", gets, g,
                   u2.ru_minflt - u1.ru_minflt, (now_ns() - t2) / 1e6, (now_ns() - t0) / 1e6);
    }
    free(ids);
    free(at);
}

int main(int argc, char **argv)
{
    const char *parent = argc > 1 ? argv[1] : NULL;
    const char *only_sdk = getenv("OSTORE_BENCH_ONLY");
    if (only_sdk != NULL && strcmp(only_sdk, "open") == 0) {
        if (parent == NULL) {
            fprintf(stderr, "OSTORE_BENCH_ONLY=open needs the store's directory as its argument\n");
            return 2;
        }
        open_existing(parent, getenv("OSTORE_BENCH_ROUNDS") ? atol(getenv("OSTORE_BENCH_ROUNDS")) : 3);
        return 0;
    }
    if (only_sdk != NULL && strcmp(only_sdk, "sdk") == 0) {
        long rounds = getenv("OSTORE_BENCH_ROUNDS") ? atol(getenv("OSTORE_BENCH_ROUNDS")) : 200;
        const char *ck = getenv("OSTORE_BENCH_CKPT");
        if (ck == NULL || strcmp(ck, "off") == 0)
            sdk_case(parent, UINT64_MAX, "checkpoints off", rounds);
        if (ck == NULL || strcmp(ck, "default") == 0)
            sdk_case(parent, 0, "default options", rounds);
        return 0;
    }
    long n = getenv("OSTORE_BENCH_N") ? atol(getenv("OSTORE_BENCH_N")) : 1000000;
    ostore *s;
    char *dir;
    int rc;
    (void)rc;

    const char *only = getenv("OSTORE_BENCH_ONLY");
    if (only != NULL && strcmp(only, "footprint") == 0) {
        footprint(parent, getenv("OSTORE_BENCH_N") ? n : 100000);
        return 0;
    }
    if (only != NULL && strcmp(only, "compact-pause") == 0) {
        compact_pause(parent, getenv("OSTORE_BENCH_ROUNDS") ? atol(getenv("OSTORE_BENCH_ROUNDS")) : 10);
        return 0;
    }
    if (only != NULL && strcmp(only, "load-again") == 0) {
        const char *ck = getenv("OSTORE_BENCH_CKPT");
        bool dflt = ck != NULL && strcmp(ck, "default") == 0;
        long rounds = getenv("OSTORE_BENCH_ROUNDS") ? atol(getenv("OSTORE_BENCH_ROUNDS")) : 4;
        for (long r = 1; r <= rounds; r++) {
            struct rusage u0, u1;
            getrusage(RUSAGE_SELF, &u0);
            g_cpu = 0;
            double pe = load(parent, dflt ? 0 : UINT64_MAX, n, &s, &dir);
            getrusage(RUSAGE_SELF, &u1);
            printf("round %ld: load, %s: %.1f ns/entry, CPU %.1f ns/entry, %ld minor faults (batches of 1000)\n", r,
                   dflt ? "default options" : "checkpoints off", pe, g_cpu / (double)n, u1.ru_minflt - u0.ru_minflt);
            fflush(stdout);
            drop_store(s, dir);
        }
        return 0;
    }
    if (only != NULL && strcmp(only, "load-default") == 0) {
        /* the batched load with default options (automatic checkpoints), as the writer sees it */
        g_cpu = 0;
        double pe = load(parent, 0, n, &s, &dir);
        printf("load, default options: %.1f ns/entry, CPU %.1f ns/entry (batches of 1000)\n", pe, g_cpu / (double)n);
        drop_store(s, dir);
        return 0;
    }
    if (only != NULL && strcmp(only, "one-phases") == 0) {
        os_ckpt_phase_hook = record_phase;
        const char *iv = getenv("OSTORE_BENCH_CKPT_INTERVAL");
        double pe = load(parent, iv != NULL ? (uint64_t)atoll(iv) : 0, n, &s, &dir);
        printf("load, default options: %.1f ns/entry\n", pe);
        mutex_report_start(s);
        for (int pass = 1; pass <= 3; pass++) {
            one_entry_phases(s, n, pass);
            char what[16];
            snprintf(what, sizeof what, "pass %d", pass);
            mutex_report(s, what); /* what compaction's steps held the writer mutex for */
        }
        drop_store(s, dir);
        os_ckpt_phase_hook = NULL;
        return 0;
    }
    if (only != NULL && (strcmp(only, "one-default") == 0 || strcmp(only, "one-off") == 0 || strcmp(only, "one-ab") == 0)) {
        /* make bench's one-entry overwrite on the default-options load (whose background checkpoint may still be
         * running): three passes, or one-ab's rounds */
        g_cpu = 0;
        bool off = strcmp(only, "one-off") == 0;
        const char *iv = getenv("OSTORE_BENCH_CKPT_INTERVAL"); /* bytes; unset: the default (0) */
        double pe = load(parent, off ? UINT64_MAX : iv != NULL ? (uint64_t)atoll(iv) : 0, n, &s, &dir);
        if (strcmp(only, "one-ab") == 0) {
            if (getenv("OSTORE_BENCH_AB") != NULL && strcmp(getenv("OSTORE_BENCH_AB"), "auto-interval") == 0)
                switch_rounds(s, n, &s->ckpt_interval_auto, false,
                              "one-object one-entry overwrite, interval of the checkpoint's size");
            else
                switch_rounds(s, n, &os_small_batch_prefetch, false,
                              "one-object one-entry overwrite, small-batch prefetch");
        } else {
            const char *opts = off ? "automatic checkpoints off" : "default options";
            printf("load, %s: %.1f ns/entry\n", opts, pe);
            for (int pass = 1; pass <= 3; pass++) {
                double one = one_entry(s, n);
                printf("pass %d: one-object one-entry overwrite, %s: %.1f ns/batch, loop CPU %.1f ns/batch\n", pass,
                       opts, one, g_cpu);
            }
        }
        drop_store(s, dir);
        return 0;
    }
    g_cpu = 0;
    double per_entry_nockpt = load(parent, UINT64_MAX, n, &s, &dir);
    if (only != NULL && strcmp(only, "get-hints") == 0) {
        s = reopen_default(s, dir);
        random_gets(s, n, 899u); /* untimed: the first reads since the open check their records (FORMAT.md, D4) */
        switch_rounds(s, n, &os_value_hints, true, "ostore_get_entry, value hints");
        drop_store(s, dir);
        return 0;
    }
    if (only != NULL && (strcmp(only, "get-batch") == 0 || strcmp(only, "get-ab") == 0)) {
        s = reopen_default(s, dir);
        bool ab = strcmp(only, "get-ab") == 0;
        long rounds = ab ? (getenv("OSTORE_BENCH_ROUNDS") ? atol(getenv("OSTORE_BENCH_ROUNDS")) : 3) : 3;
        long bs = getenv("OSTORE_BENCH_BATCH") ? atol(getenv("OSTORE_BENCH_BATCH")) : 64;
        for (long pass = 1; pass <= rounds; pass++) {
            if (ab) {
                double w1 = random_gets(s, n, 777u + (unsigned)pass);
                printf("round %ld: ostore_get_entry: %.1f ns/get, CPU %.1f ns/get\n", pass, w1, g_cpu);
            }
            double wall = random_gets_batched(s, n, 777u + (unsigned)pass);
            printf("%s %ld: ostore_get_entries, %ld per call: %.1f ns/get, CPU %.1f ns/get\n",
                   ab ? "round" : "after reopen, pass", pass, bs, wall, g_cpu);
            fflush(stdout);
        }
        drop_store(s, dir);
        return 0;
    }
    if (only != NULL && strcmp(only, "get") == 0) {
        /* point gets on a store reopened from its checkpoint: the first pass also pays for checking each
         * record's CRC once (issue 10), the second pass finds every record already checked */
        s = reopen_default(s, dir);
        for (int pass = 1; pass <= 3; pass++) {
            double wall = random_gets(s, n, 777u + (unsigned)pass);
            printf("after reopen, pass %d: random get_entry of existing keys: %.1f ns/get, CPU %.1f ns/get\n", pass, wall,
                   g_cpu);
        }
        drop_store(s, dir);
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
        drop_store(s, dir);
        return 0;
    }
    double one_nockpt = getenv("OSTORE_BENCH_LOAD_ONLY") ? 0 : one_entry(s, n);
    drop_store(s, dir);
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
    drop_store(s, dir);
    return 0;
}
