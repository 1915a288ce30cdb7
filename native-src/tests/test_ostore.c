/* C tests of the ostore engine. Plain C: each test is a function; CHECK records failures.
 * Final line: "N passed, M failed". */
#include "testutil.h"

#include "../src/internal.h" /* os_crc32c and its paths */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

static int cur_fail;
#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
            cur_fail++;                                                                  \
        }                                                                                \
    } while (0)
#define CHECK_RC(expr, want)                                                             \
    do {                                                                                 \
        int rc_ = (expr);                                                                \
        if (rc_ != (want)) {                                                             \
            fprintf(stderr, "  %s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, \
                    #expr, ostore_status_name(rc_), ostore_status_name(want));           \
            cur_fail++;                                                                  \
        }                                                                                \
    } while (0)

static uint32_t crc32c(const void *p, size_t n) { return os_crc32c(p, n); }

static ostore *open_opts(const char *dir, uint64_t segsz, uint32_t flags, int *rc_out)
{
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = segsz;
    o.flags = flags;
    o.checkpoint_interval_bytes = UINT64_MAX;
    o.compact_garbage_percent = 100; /* these tests count segments and compactions themselves */
    ostore *s = NULL;
    char err[512];
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc_out)
        *rc_out = rc;
    else if (rc != OSTORE_OK)
        fprintf(stderr, "  open %s: %s: %s\n", dir, ostore_status_name(rc), err);
    return s;
}

static ostore *open_store(const char *dir) { return open_opts(dir, 0, 0, NULL); }

/* open_store with the A/B switch `var` (read at open) set to "0" when off */
static ostore *open_switched(const char *dir, const char *var, int off)
{
    if (off)
        setenv(var, "0", 1);
    ostore *s = open_store(dir);
    if (off)
        unsetenv(var);
    return s;
}

static void close_store(ostore *s)
{
    char err[512];
    int rc = ostore_close(s, err, sizeof err);
    if (rc != OSTORE_OK)
        fprintf(stderr, "  close: %s: %s\n", ostore_status_name(rc), err);
    CHECK(rc == OSTORE_OK);
}

static int write_bb(ostore *s, bb *b) { return ostore_write_batch(s, b->p, b->n, NULL, 0, NULL); }

static int put1(ostore *s, const char *cls, const char *id, const char *name, const char *val)
{
    bb b;
    bb_init(&b);
    bb_obj(&b, cls, id, OSTORE_ANY_VERSION);
    bb_puts(&b, name, val);
    int rc = write_bb(s, &b);
    bb_free(&b);
    return rc;
}

/* value of an entry as a NUL-terminated string, "" + status otherwise */
static int get_str(ostore *s, const char *cls, const char *id, const char *name, char *out, size_t cap, uint64_t *ver)
{
    size_t len = 0;
    int rc = ostore_get_entry(s, cls, strlen(cls), id, strlen(id), name, strlen(name), out, cap - 1, &len, ver);
    out[rc == OSTORE_OK ? len : 0] = '\0';
    return rc;
}

static bool entry_is(ostore *s, const char *cls, const char *id, const char *name, const char *want)
{
    char buf[4096];
    int rc = get_str(s, cls, id, name, buf, sizeof buf, NULL);
    if (rc != OSTORE_OK || strcmp(buf, want) != 0) {
        fprintf(stderr, "  entry %s/%s/%s: %s '%s', want '%s'\n", cls, id, name, ostore_status_name(rc), buf, want);
        return false;
    }
    return true;
}

static uint64_t last_seq(ostore *s)
{
    ostore_stats st;
    ostore_stats_get(s, &st);
    return st.last_sequence;
}

/* Canonical digest of the live state of the given classes: ids sorted, entries sorted. */
typedef struct kv {
    const uint8_t *name;
    uint16_t nl;
    const uint8_t *val;
    uint32_t vl;
} kv;

static int cmp_kv(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    size_t n = x->nl < y->nl ? x->nl : y->nl;
    int c = memcmp(x->name, y->name, n);
    return c ? c : (int)x->nl - (int)y->nl;
}

typedef struct idref {
    const uint8_t *p;
    uint16_t n;
} idref;

static int cmp_id(const void *a, const void *b)
{
    const idref *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (int)x->n - (int)y->n;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* The ids of class cls (ostore_list_ids' layout: a 2-byte length, then the id, for each), malloc'd, and their count;
 * NULL when the listing fails. */
static uint8_t *class_ids(ostore *s, const char *cls, uint64_t *count)
{
    size_t need = 0;
    int rc = ostore_list_ids(s, cls, strlen(cls), NULL, 0, &need, count);
    if (rc != OSTORE_OK && rc != OSTORE_BUFFER_TOO_SMALL)
        return NULL;
    uint8_t *ids = malloc(need + 1);
    if (ostore_list_ids(s, cls, strlen(cls), ids, need, &need, count) != OSTORE_OK) {
        free(ids);
        return NULL;
    }
    return ids;
}

static uint64_t digest(ostore *s, const char **classes, int nc, uint64_t *objects_out)
{
    uint64_t h = 0xcbf29ce484222325ull, objs = 0;
    for (int c = 0; c < nc; c++) {
        const char *cls = classes[c];
        uint64_t count = 0;
        uint8_t *ids = class_ids(s, cls, &count);
        if (ids == NULL)
            return 0;
        idref *refs = malloc((count + 1) * sizeof *refs);
        size_t off = 0;
        for (uint64_t i = 0; i < count; i++) {
            memcpy(&refs[i].n, ids + off, 2);
            refs[i].p = ids + off + 2;
            off += 2 + refs[i].n;
        }
        qsort(refs, count, sizeof *refs, cmp_id);
        h = fnv(h, cls, strlen(cls));
        for (uint64_t i = 0; i < count; i++) {
            size_t ol = 0;
            uint64_t ver = 0;
            ostore_get_object(s, cls, strlen(cls), refs[i].p, refs[i].n, NULL, 0, &ol, &ver);
            uint8_t *ob = malloc(ol + 8);
            int rc = ostore_get_object(s, cls, strlen(cls), refs[i].p, refs[i].n, ob, ol, &ol, &ver);
            if (rc != OSTORE_OK) {
                free(ob);
                continue;
            }
            uint32_t ne;
            memcpy(&ne, ob, 4);
            kv *kvs = malloc((ne + 1) * sizeof *kvs);
            size_t p = 8;
            for (uint32_t j = 0; j < ne; j++) {
                memcpy(&kvs[j].nl, ob + p, 2);
                memcpy(&kvs[j].vl, ob + p + 4, 4);
                kvs[j].name = ob + p + 8;
                kvs[j].val = ob + p + 8 + kvs[j].nl;
                p += 8 + kvs[j].nl + kvs[j].vl;
            }
            qsort(kvs, ne, sizeof *kvs, cmp_kv);
            h = fnv(h, refs[i].p, refs[i].n);
            h = fnv(h, &ver, 8);
            for (uint32_t j = 0; j < ne; j++) {
                h = fnv(h, kvs[j].name, kvs[j].nl);
                h = fnv(h, &kvs[j].vl, 4);
                h = fnv(h, kvs[j].val, kvs[j].vl);
            }
            objs++;
            free(kvs);
            free(ob);
        }
        free(refs);
        free(ids);
    }
    if (objects_out)
        *objects_out = objs;
    return h;
}

static const char *CLASSES[] = {"com.example.A", "com.example.B", "com.example.C"};
#define NCLASSES 3

/* A deterministic mixed workload: puts, overwrites, entry deletes, object deletes. */
static void workload(ostore *s, int batches, int per_batch, unsigned seed)
{
    bb b;
    bb_init(&b);
    char id[32], name[16], val[256];
    for (int i = 0; i < batches; i++) {
        bb_reset(&b);
        int used[64] = {0};
        for (int j = 0; j < per_batch; j++) {
            seed = seed * 1103515245u + 12345u;
            int k = (int)((seed >> 8) % 60);
            if (used[k])
                continue;
            used[k] = 1;
            const char *cls = CLASSES[k % NCLASSES];
            snprintf(id, sizeof id, "obj-%d", k);
            int action = (int)((seed >> 20) % 10);
            if (action == 0) {
                bb_del_obj(&b, cls, id, OSTORE_ANY_VERSION);
                continue;
            }
            bb_obj(&b, cls, id, OSTORE_ANY_VERSION);
            for (int e = 0; e < 3; e++) {
                seed = seed * 1103515245u + 12345u;
                snprintf(name, sizeof name, "f%u", (seed >> 16) % 5);
                if ((seed >> 4) % 7 == 0) {
                    bb_del(&b, name);
                } else {
                    int vl = snprintf(val, sizeof val, "v-%d-%d-%u-", i, j, seed);
                    int extra = (int)((seed >> 11) % 150);
                    memset(val + vl, 'a' + (i % 26), (size_t)extra);
                    bb_put(&b, name, val, (size_t)(vl + extra));
                }
            }
        }
        int rc = write_bb(s, &b);
        CHECK(rc == OSTORE_OK);
    }
    bb_free(&b);
}

static uint64_t state_of(ostore *s) { return digest(s, CLASSES, NCLASSES, NULL); }

static void path_in(char *out, size_t cap, const char *dir, const char *name) { snprintf(out, cap, "%s/%s", dir, name); }

/* record offsets in a segment file (walks the headers of either record version without validation) */
static int rec_offsets(const char *path, long *offs, int max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    long size = file_size(path);
    int n = 0;
    long pos = 64;
    while (pos + 16 <= size && n < max) {
        uint8_t h[32] = {0};
        fseek(f, pos, SEEK_SET);
        size_t got = fread(h, 1, 32, f);
        if (got < 16)
            break;
        uint32_t magic;
        uint64_t plen = 0, hl;
        memcpy(&magic, h, 4);
        if (magic == 0x4C52534Fu) { /* version 1: u64 payload_len at 8, 32-byte header */
            memcpy(&plen, h + 8, 8);
            hl = 32;
        } else if (magic == 0x3252534Fu) { /* version 2: varint payload_len, varint sequence, type */
            size_t i = 8;
            for (int sh = 0; i < got; sh += 7) {
                plen |= (uint64_t)(h[i] & 0x7f) << sh;
                if (h[i++] < 0x80)
                    break;
            }
            while (i < got && h[i] >= 0x80)
                i++;
            hl = i + 2;
        } else {
            break;
        }
        offs[n++] = pos;
        pos += (long)((hl + plen + 7) & ~7ull);
    }
    fclose(f);
    return n;
}

static void flip_byte(const char *path, long off)
{
    int fd = open(path, O_RDWR);
    uint8_t c;
    if (pread(fd, &c, 1, off) == 1) {
        c ^= 0x5A;
        if (pwrite(fd, &c, 1, off) != 1)
            perror("pwrite");
    }
    close(fd);
}

static void write_at(const char *path, long off, const void *p, size_t n)
{
    int fd = open(path, O_RDWR);
    if (pwrite(fd, p, n, off) != (ssize_t)n)
        perror("pwrite");
    close(fd);
}

/* ================= tests ================= */

/* bit-at-a-time CRC32C: the definition, against which the fast paths are checked */
static uint32_t crc_ref(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static uint32_t crc_with(os_crc_fn f, const void *p, size_t n) { return f(0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu; }

/* every path (the CPU instructions when present, and the portable one, each called directly) against the
 * known vectors and the bitwise definition: empty, short, across the 3-way block sizes (256, 8192 x 3),
 * unaligned starts, and split into pieces (the incremental API) */
static void test_crc32c_paths(void)
{
    os_crc_fn paths[2] = {os_crc32c_update_sw, os_crc32c_hw()};
    printf("  crc32c in use: %s, cpu path %s\n", os_crc32c_impl(), paths[1] ? "present" : "absent");
    CHECK(crc32c("123456789", 9) == 0xE3069283u);
    CHECK(crc32c("", 0) == 0);
    size_t max = 3 * 8192 * 2 + 1000;
    uint8_t *buf = malloc(max + 16);
    uint32_t x = 12345;
    for (size_t i = 0; i < max + 16; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    static const size_t lens[] = {0, 1, 7, 8, 9, 31, 32, 63, 255, 256, 767, 768, 769, 1000, 4096, 24575, 24576, 24577, 50000};
    for (int pi = 0; pi < 2; pi++) {
        os_crc_fn f = paths[pi];
        if (f == NULL)
            continue;
        CHECK(crc_with(f, "123456789", 9) == 0xE3069283u);
        CHECK(crc_with(f, "", 0) == 0);
        uint8_t zeros[32] = {0}, ones[32];
        memset(ones, 0xFF, sizeof ones);
        CHECK(crc_with(f, zeros, 32) == 0x8A9136AAu); /* RFC 3720 B.4 test vectors */
        CHECK(crc_with(f, ones, 32) == 0x62A8AB43u);
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++)
            for (size_t off = 0; off < 9; off += (lens[li] > 4096 ? 3 : 1)) {
                size_t n = lens[li];
                uint32_t want = crc_ref(buf + off, n);
                CHECK(crc_with(f, buf + off, n) == want);
                size_t cut = n / 3; /* incremental: two pieces give the same as one */
                uint32_t st = f(0xFFFFFFFFu, buf + off, cut);
                CHECK((f(st, buf + off + cut, n - cut) ^ 0xFFFFFFFFu) == want);
            }
    }
    free(buf);
}

/* A CRC combined from two pieces' CRCs equals the CRC of the whole, for every cut of lengths 0 to 50 000 tried
 * (the reference is the bit-by-bit CRC); the parallel CRC equals the serial one above and below its threshold. */
static void test_crc32c_combine_and_parallel_match_the_whole(void)
{
    size_t max = 200000;
    uint8_t *buf = malloc(max);
    uint32_t x = 777;
    for (size_t i = 0; i < max; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    static const size_t lens[] = {0, 1, 2, 9, 64, 1000, 24577, 50000};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t n = lens[li];
        uint32_t want = crc_ref(buf, n);
        size_t cuts[] = {0, n > 0 ? 1 : 0, n / 3, n / 2, n > 0 ? n - 1 : 0, n};
        for (size_t ci = 0; ci < sizeof cuts / sizeof cuts[0]; ci++) {
            size_t c = cuts[ci];
            CHECK(os_crc32c_combine(crc32c(buf, c), crc32c(buf + c, n - c), n - c) == want);
        }
    }
    uint32_t whole = crc32c(buf, max);
    size_t saved = os_crc_parallel_min;
    for (size_t min = 1; min <= max + 1; min = min * 7 + 3) { /* two threads while min <= the length, else one */
        os_crc_parallel_min = min;
        CHECK(os_crc32c_parallel(buf, max) == whole && os_crc32c_parallel(buf + 1, max - 1) == crc32c(buf + 1, max - 1));
    }
    os_crc_parallel_min = saved;
    free(buf);
}

static void test_crc_and_names(void)
{
    CHECK(crc32c("123456789", 9) == 0xE3069283u);
    CHECK(strcmp(ostore_status_name(OSTORE_CONFLICT), "OSTORE_CONFLICT") == 0);
    CHECK(strcmp(ostore_status_name(99), "OSTORE_UNKNOWN") == 0);
    /* the formats written, packed (ostore.h): segment header, record, checkpoint, delta */
    CHECK(ostore_format_version() == ((OS_FORMAT_VERSION << 24) | (2u << 16) | (OS_CKPT_VERSION << 8) | OS_DELTA_VERSION));
    CHECK(ostore_format_version() == 0x01020501u);
}

/* id = len bytes "x...x" with byte `at` changed to 'y' (none when at is -1); val names the pair */
static void one_byte_key(char *id, char *val, size_t val_cap, int len, int at)
{
    memset(id, 'x', (size_t)len);
    id[len] = '\0';
    if (at >= 0)
        id[at] = 'y';
    snprintf(val, val_cap, "%d/%d", len, at);
}

/* The key hash (internal.h, os_hash_absorb) reads the last 16 bytes of a key as two words that may overlap the
 * bytes before them, and short keys through os_load_tail; the key compare (os_bytes_eq) reads words the same way:
 * every byte of every length must still count. For class and id lengths 0..48, changing any one byte, or moving
 * the class/id boundary, gives another hash, and any one byte changed makes the compare false; then objects
 * whose keys differ only like that are distinct in a store and read back their own values. */
static void test_key_hash_counts_every_byte_and_the_class_id_split(const char *dir)
{
    uint8_t k[96];
    for (size_t i = 0; i < sizeof k; i++)
        k[i] = (uint8_t)(i * 37u + 11u);
    int bad = 0;
    for (size_t cl = 1; cl <= 48 && bad < 5; cl++)
        for (size_t il = 0; il <= 48 && bad < 5; il++) {
            uint64_t h = os_hash_key(k, cl, k + cl, il);
            for (size_t at = 0; at < cl + il && bad < 5; at++) {
                k[at] ^= 0x20;
                if (os_hash_key(k, cl, k + cl, il) == h) {
                    fprintf(stderr, "  same hash: class %zu + id %zu bytes, byte %zu changed\n", cl, il, at);
                    bad++;
                }
                k[at] ^= 0x20;
            }
            if (il > 0 && os_hash_key(k, cl + 1, k + cl + 1, il - 1) == h) { /* one byte moved from id to class */
                fprintf(stderr, "  same hash: class %zu + id %zu and class %zu + id %zu\n", cl, il, cl + 1, il - 1);
                bad++;
            }
        }
    /* the key compare behind a hash match (os_bytes_eq: overlapping words, no loop up to 16 bytes) */
    uint8_t k2[96];
    memcpy(k2, k, sizeof k2);
    for (size_t n = 0; n <= 48 && bad < 5; n++) {
        if (!os_bytes_eq(k, k2, n)) {
            fprintf(stderr, "  %zu equal bytes compare unequal\n", n);
            bad++;
        }
        for (size_t at = 0; at < n && bad < 5; at++) {
            k2[at] ^= 0x01;
            if (os_bytes_eq(k, k2, n)) {
                fprintf(stderr, "  %zu bytes, byte %zu differs, compare equal\n", n, at);
                bad++;
            }
            k2[at] ^= 0x01;
        }
    }
    CHECK(bad == 0);
    ostore *s = open_store(dir);
    CHECK(s != NULL);
    if (!s)
        return;
    /* ids of 1..40 bytes "x...x", and the same bytes with one byte changed at each position */
    bb b;
    bb_init(&b);
    char id[48], val[64];
    for (int len = 1; len <= 40; len++)
        for (int at = -1; at < len; at++) {
            one_byte_key(id, val, sizeof val, len, at);
            bb_obj(&b, "com.example.K", id, OSTORE_ABSENT_VERSION);
            bb_puts(&b, "v", val);
            /* the same concatenation split one byte later: class "com.example.Kx", id without its first byte */
            if (at == -1 && len > 1) {
                bb_obj(&b, "com.example.Kx", id + 1, OSTORE_ABSENT_VERSION);
                snprintf(val, sizeof val, "split %d", len);
                bb_puts(&b, "v", val);
            }
        }
    CHECK_RC(ostore_write_batch(s, b.p, b.n, NULL, 0, NULL), OSTORE_OK);
    for (int len = 1; len <= 40; len++)
        for (int at = -1; at < len; at++) {
            one_byte_key(id, val, sizeof val, len, at);
            CHECK(entry_is(s, "com.example.K", id, "v", val));
            if (at == -1 && len > 1) {
                snprintf(val, sizeof val, "split %d", len);
                CHECK(entry_is(s, "com.example.Kx", id + 1, "v", val));
            }
        }
    bb_free(&b);
    close_store(s);
}

static void test_roundtrip(const char *dir)
{
    ostore *s = open_store(dir);
    CHECK(s != NULL);
    if (!s)
        return;
    bb b;
    bb_init(&b);
    bb_obj(&b, "com.example.User", "u1", OSTORE_ANY_VERSION);
    bb_puts(&b, "name", "Ada");
    bb_puts(&b, "email", "ada@example.com");
    bb_put(&b, "empty", "", 0);
    bb_obj(&b, "com.example.User", "u2", OSTORE_ABSENT_VERSION);
    bb_puts(&b, "name", "Grace");
    uint64_t vers[2] = {0, 0};
    ostore_batch_result res;
    CHECK_RC(ostore_write_batch(s, b.p, b.n, vers, 2, &res), OSTORE_OK);
    CHECK(vers[0] == 1 && vers[1] == 1);
    CHECK(res.sequence == 1);
    CHECK(entry_is(s, "com.example.User", "u1", "name", "Ada"));
    CHECK(entry_is(s, "com.example.User", "u1", "email", "ada@example.com"));
    CHECK(entry_is(s, "com.example.User", "u1", "empty", ""));
    CHECK(entry_is(s, "com.example.User", "u2", "name", "Grace"));
    char buf[64];
    uint64_t v = 77;
    CHECK_RC(get_str(s, "com.example.User", "u1", "nope", buf, sizeof buf, &v), OSTORE_NOT_FOUND);
    CHECK(v == 1);
    CHECK_RC(get_str(s, "com.example.User", "u9", "name", buf, sizeof buf, &v), OSTORE_NOT_FOUND);
    CHECK(v == 0);
    CHECK_RC(get_str(s, "com.example.Other", "u1", "name", buf, sizeof buf, &v), OSTORE_NOT_FOUND);
    CHECK(ostore_last_error(s, buf, sizeof buf) > 0);
    /* get_object layout */
    uint8_t ob[256];
    size_t ol = 0;
    CHECK_RC(ostore_get_object(s, "com.example.User", 16, "u1", 2, ob, sizeof ob, &ol, &v), OSTORE_OK);
    uint32_t ne;
    memcpy(&ne, ob, 4);
    CHECK(ne == 3 && v == 1);
    CHECK(ol == 8 + (8 + 4 + 3) + (8 + 5 + 15) + (8 + 5));
    CHECK_RC(ostore_object_version(s, "com.example.User", 16, "u2", 2, &v), OSTORE_OK);
    CHECK(v == 1);
    /* bad key arguments */
    CHECK_RC(ostore_object_version(s, "", 0, "u2", 2, &v), OSTORE_INVALID_ARGUMENT);
    char big[2000];
    memset(big, 'x', sizeof big);
    CHECK_RC(ostore_object_version(s, big, 1025, "u2", 2, &v), OSTORE_TOO_LARGE);
    ostore_stats st;
    CHECK_RC(ostore_stats_get(s, &st), OSTORE_OK);
    CHECK(st.objects == 2 && st.entries == 4 && st.batches == 1 && st.last_sequence == 1);
    CHECK(st.live_bytes == (8 + 4 + 3) + (8 + 5 + 15) + (8 + 5) + (8 + 4 + 5));
    CHECK_RC(ostore_sync(s), OSTORE_OK);
    CHECK_RC(ostore_stats_get(s, &st), OSTORE_OK);
    CHECK(st.syncs == 1);
    bb_free(&b);
    close_store(s);
}

/* ostore_get_object_ref inside a read transaction: the same entries as ostore_get_object, in place, and the
 * statuses of its contract (ostore.h, "Read transactions") */
static void test_read_transaction_refs(const char *dir)
{
    ostore *s = open_store(dir);
    CHECK(s != NULL);
    if (!s)
        return;
    bb b;
    bb_init(&b);
    bb_obj(&b, "com.example.User", "u1", OSTORE_ANY_VERSION);
    bb_puts(&b, "name", "Ada");
    bb_puts(&b, "a-name-longer-than-eight", "ada@example.com");
    bb_put(&b, "empty", "", 0);
    bb_obj(&b, "com.example.User", "gone", OSTORE_ANY_VERSION);
    bb_puts(&b, "name", "x");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_reset(&b);
    bb_del_obj(&b, "com.example.User", "gone", OSTORE_ANY_VERSION);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    uint32_t pin = 99;
    CHECK_RC(ostore_read_begin(s, &pin), OSTORE_OK);
    ostore_entry_ref refs[4];
    size_t n = 0;
    uint64_t v = 0;
    CHECK_RC(ostore_get_object_ref(s, "com.example.User", 16, "u1", 2, refs, 4, &n, &v), OSTORE_OK);
    CHECK(n == 3 && v == 1);
    const char *names[3] = {"name", "a-name-longer-than-eight", "empty"};
    const char *vals[3] = {"Ada", "ada@example.com", ""};
    for (int want = 0; want < 3; want++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (refs[i].name_len == strlen(names[want]) && memcmp(refs[i].name, names[want], refs[i].name_len) == 0) {
                found++;
                CHECK(refs[i].value_len == strlen(vals[want]));
                CHECK(memcmp(refs[i].value, vals[want], refs[i].value_len) == 0);
            }
        CHECK(found == 1);
    }
    /* too few refs: the count needed, nothing else */
    CHECK_RC(ostore_get_object_ref(s, "com.example.User", 16, "u1", 2, refs, 2, &n, &v), OSTORE_BUFFER_TOO_SMALL);
    CHECK(n == 3);
    CHECK_RC(ostore_get_object_ref(s, "com.example.User", 16, "u1", 2, NULL, 0, &n, &v), OSTORE_BUFFER_TOO_SMALL);
    CHECK(n == 3);
    CHECK_RC(ostore_get_object_ref(s, "com.example.User", 16, "u1", 2, NULL, 3, &n, &v), OSTORE_INVALID_ARGUMENT);
    /* deleted: NOT_FOUND with its tombstone version; absent: version 0 */
    CHECK_RC(ostore_get_object_ref(s, "com.example.User", 16, "gone", 4, refs, 4, &n, &v), OSTORE_NOT_FOUND);
    CHECK(n == 0 && v == 2);
    CHECK_RC(ostore_get_object_ref(s, "com.example.User", 16, "u9", 2, refs, 4, &n, &v), OSTORE_NOT_FOUND);
    CHECK(v == 0);
    CHECK_RC(ostore_get_object_ref(s, "", 0, "u1", 2, refs, 4, &n, &v), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_read_end(s, pin), OSTORE_OK);
    CHECK_RC(ostore_read_begin(s, NULL), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_read_begin(NULL, &pin), OSTORE_INVALID_ARGUMENT);
    /* a write after the transaction ended publishes normally (the pin was released) */
    bb_reset(&b);
    bb_obj(&b, "com.example.User", "u1", OSTORE_ANY_VERSION);
    bb_puts(&b, "name", "Ada L.");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    CHECK(entry_is(s, "com.example.User", "u1", "name", "Ada L."));
    bb_free(&b);
    close_store(s);
}

typedef struct compact_arg {
    ostore *s;
    atomic_int done;
    int rc;
} compact_arg;

static void *compact_main(void *p)
{
    compact_arg *a = p;
    a->rc = ostore_compact(a->s);
    atomic_store(&a->done, 1);
    return NULL;
}

/* A compaction started while a read transaction holds a value of the old log cannot swap the index or unmap
 * the old segment before the transaction ends: the value stays readable and unchanged. (The sleep only gives
 * a broken pin the chance to show; a slow machine makes this pass vacuously, never fail spuriously.) */
static void test_read_transaction_holds_off_compaction(const char *dir)
{
    ostore *s = open_store(dir);
    CHECK(s != NULL);
    if (!s)
        return;
    bb b;
    bb_init(&b);
    char id[32], val[64];
    for (int round = 0; round < 3; round++) { /* garbage for compaction to drop */
        bb_reset(&b);
        for (int k = 0; k < 200; k++) {
            snprintf(id, sizeof id, "o-%d", k);
            snprintf(val, sizeof val, "value-%d-round-%d", k, round);
            bb_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
            bb_puts(&b, "v", val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    uint32_t pin;
    ostore_entry_ref r[2];
    size_t n = 0;
    CHECK_RC(ostore_read_begin(s, &pin), OSTORE_OK);
    CHECK_RC(ostore_get_object_ref(s, CLASSES[0], strlen(CLASSES[0]), "o-7", 3, r, 2, &n, NULL), OSTORE_OK);
    const char *want = "value-7-round-2";
    CHECK(n == 1 && r[0].value_len == strlen(want) && memcmp(r[0].value, want, r[0].value_len) == 0);
    compact_arg a = {.s = s, .rc = -1};
    atomic_init(&a.done, 0);
    pthread_t th;
    pthread_create(&th, NULL, compact_main, &a);
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    CHECK(atomic_load(&a.done) == 0); /* the swap waits for this pin */
    CHECK(memcmp(r[0].value, want, r[0].value_len) == 0);
    CHECK_RC(ostore_read_end(s, pin), OSTORE_OK);
    pthread_join(th, NULL);
    CHECK_RC(a.rc, OSTORE_OK);
    ostore_stats st;
    CHECK_RC(ostore_stats_get(s, &st), OSTORE_OK);
    CHECK(st.compactions == 1);
    CHECK(entry_is(s, CLASSES[0], "o-7", "v", want));
    bb_free(&b);
    close_store(s);
}

/* ostore_get_entry_nowait returns OSTORE_BUSY, without waiting or reading, while an exclusive section is
 * draining readers (here a compaction held off by a read transaction: the case in which a waiting critical
 * Java downcall would deadlock with a safepoint), and reads normally before and after. With the no-wait
 * enter replaced by the waiting one, the poll below never returns (the test hangs instead of passing). */
/* ---- ostore_get_entries (batched point gets) ---- */

#define GE_OBJS 30000
#define GE_REQS 3000

static void ge_id(char *id, size_t cap, int k)
{
    if (k % 7 == 3) /* longer than OS_INLINE_ID: compared in the log, not in the object */
        snprintf(id, cap, "a-long-object-id-beyond-the-inline-copy-%08d", k);
    else
        snprintf(id, cap, "ge-%d", k);
}

static const char *GE_NAMES[] = {"a", "field7", "a-long-entry-name-over-eight", "zz"};

/* GE_REQS random requests (existing, deleted, never-written keys, missing entries, buffers too small, a bad
 * argument, the same key twice) through ostore_get_entries, each compared with what ostore_get_entry returns for
 * it; *displaced: how many found keys were not in their home slot (the pipelined home-slot prefetch missed) */
static bool ge_compare(ostore *s, unsigned *seed, int *displaced)
{
    static char ids[GE_REQS][64], outs[GE_REQS][300];
    ostore_get_req *r = calloc(GE_REQS, sizeof *r);
    bool ok = true;
    *displaced = 0;
    for (int i = 0; i < GE_REQS; i++) {
        *seed = *seed * 1103515245u + 12345u;
        int k = (int)((*seed >> 4) % (GE_OBJS + GE_OBJS / 10)); /* 1 in 11 never written */
        if (i > 0 && (*seed >> 20) % 50 == 0) /* the same key as the request before */
            memcpy(ids[i], ids[i - 1], sizeof ids[i]);
        else
            ge_id(ids[i], sizeof ids[i], k);
        const char *cls = CLASSES[(unsigned)k % NCLASSES];
        r[i].class_id = cls;
        r[i].class_len = strlen(cls);
        r[i].object_id = ids[i];
        r[i].id_len = strlen(ids[i]);
        r[i].name = GE_NAMES[(*seed >> 24) % 4];
        r[i].name_len = strlen(r[i].name);
        r[i].out = outs[i];
        r[i].out_cap = (*seed >> 12) % 40 == 0 ? 3 : sizeof outs[i];
        if ((*seed >> 16) % 300 == 0)
            r[i].name_len = 0; /* bad argument */
        r[i].status = 12345;
        r[i].version = 777;
    }
    CHECK_RC(ostore_get_entries(s, r, GE_REQS), OSTORE_OK);
    const os_index *ix = s->idx;
    for (int i = 0; i < GE_REQS; i++) {
        char want[300];
        size_t wl = 99;
        uint64_t wv = 99;
        int wrc = ostore_get_entry(s, r[i].class_id, r[i].class_len, r[i].object_id, r[i].id_len, r[i].name,
                                   r[i].name_len, want, r[i].out_cap, &wl, &wv);
        if (r[i].status != wrc || r[i].out_len != wl || r[i].version != wv ||
            (wrc == OSTORE_OK && memcmp(want, outs[i], wl) != 0)) {
            if (ok)
                fprintf(stderr, "  request %d (%s/%s/%.*s): %s len %zu v%llu, get_entry %s len %zu v%llu\n", i,
                        (const char *)r[i].class_id, ids[i], (int)r[i].name_len, (const char *)r[i].name,
                        ostore_status_name(r[i].status), r[i].out_len, (unsigned long long)r[i].version,
                        ostore_status_name(wrc), wl, (unsigned long long)wv);
            ok = false;
        }
        if (wrc == OSTORE_OK) {
            uint64_t h = os_hash_key(r[i].class_id, r[i].class_len, r[i].object_id, r[i].id_len);
            uint64_t slot = *os_slot(ix->slots, h & ix->mask);
            const os_obj *o = os_index_find(ix, h, r[i].class_id, r[i].class_len, r[i].object_id, r[i].id_len);
            if (slot == 0 || os_obj_at(ix, (uint32_t)slot - 1u) != o)
                (*displaced)++;
        }
    }
    free(r);
    return ok;
}

/* true when the object C/id has an entry array of its own and its first-value hint (internal.h, os_obj.first_at) is where
 * its first entry's value lies */
static bool value_hint_at_first_entry(ostore *s, const char *id)
{
    size_t il = strlen(id);
    uint64_t h = os_hash_key((const uint8_t *)"C", 1, (const uint8_t *)id, il);
    const os_obj *o = os_index_find(s->idx, h, (const uint8_t *)"C", 1, (const uint8_t *)id, il);
    if (o == NULL || o->ents == &o->inl || o->n == 0) {
        fprintf(stderr, "  %s: no object with an entry array\n", id);
        return false;
    }
    os_entry buf[OS_LAZY_MAX];
    const os_entry *ents = os_obj_ents(o, buf);
    uintptr_t want = (uintptr_t)ents[0].seg->base + ents[0].off;
    if (o->first_at != want) {
        fprintf(stderr, "  %s: first-value hint %#lx, first value at %#lx\n", id, (unsigned long)o->first_at, (unsigned long)want);
        return false;
    }
    return true;
}

/* The first-value hint of an object of several entries follows its first entry's value through a write, a partial
 * overwrite, an entry delete, a reopen from the checkpoint and a compaction; the inline entry of a one-entry object
 * beside it (the hint shares its bytes) reads back unchanged throughout. */
static void test_value_hint_follows_the_first_entry(const char *dir)
{
    ostore *s = open_store(dir);
    bb b;
    bb_init(&b);
    bb_obj(&b, "C", "multi", OSTORE_ANY_VERSION);
    bb_puts(&b, "a", "the first value");
    bb_puts(&b, "b", "the second");
    bb_puts(&b, "c", "the third");
    bb_obj(&b, "C", "single", OSTORE_ANY_VERSION);
    bb_puts(&b, "v", "only one");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_free(&b);
    CHECK(value_hint_at_first_entry(s, "multi"));
    CHECK_RC(put1(s, "C", "multi", "a", "changed"), OSTORE_OK); /* the first value moves to a new record */
    CHECK(value_hint_at_first_entry(s, "multi"));
    bb_init(&b);
    bb_obj(&b, "C", "multi", OSTORE_ANY_VERSION);
    bb_del(&b, "a"); /* the last entry takes the first one's place */
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_free(&b);
    CHECK(value_hint_at_first_entry(s, "multi"));
    CHECK(entry_is(s, "C", "single", "v", "only one"));
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    close_store(s);
    s = open_store(dir);
    CHECK(value_hint_at_first_entry(s, "multi"));
    CHECK_RC(ostore_compact(s), OSTORE_OK);
    CHECK(value_hint_at_first_entry(s, "multi"));
    CHECK(entry_is(s, "C", "multi", "b", "the second") && entry_is(s, "C", "multi", "c", "the third"));
    CHECK(entry_is(s, "C", "single", "v", "only one"));
    close_store(s);
}

/* ostore_get_entries gives every request what ostore_get_entry gives it, while the slot table grows (1 to 30 000
 * objects), after deletes of objects and entries (tombstones), after a compaction (a new index) and a reopen
 * from a checkpoint; keys that probe past their home slot are among the requests. Seeded (OSTORE_TEST_SEED). */
static void test_get_entries_match_get_entry_under_growth_deletes_and_reopen(const char *dir)
{
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    if (getenv("OSTORE_TEST_SEED") != NULL)
        seed = (unsigned)strtoul(getenv("OSTORE_TEST_SEED"), NULL, 10);
    fprintf(stderr, "  seed %u (OSTORE_TEST_SEED=%u to replay)\n", seed, seed);
    ostore *s = open_store(dir);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_RC(ostore_get_entries(s, NULL, 0), OSTORE_OK);
    CHECK_RC(ostore_get_entries(NULL, NULL, 0), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_get_entries(s, NULL, 1), OSTORE_INVALID_ARGUMENT);
    bb b;
    bb_init(&b);
    char id[64], val[320];
    int written = 0, displaced_total = 0;
    for (int phase = 0; phase < 6; phase++) {
        int upto = phase < 4 ? (int)((GE_OBJS / 8) << phase) : GE_OBJS; /* 3750 .. 30000: the table doubles */
        if (upto > GE_OBJS)
            upto = GE_OBJS;
        while (written < upto) {
            bb_reset(&b);
            for (int j = 0; j < 500 && written < upto; j++, written++) {
                ge_id(id, sizeof id, written);
                bb_obj(&b, CLASSES[written % NCLASSES], id, OSTORE_ANY_VERSION);
                for (int e = 0; e < 4; e++) {
                    seed = seed * 1103515245u + 12345u;
                    if ((seed >> 8) % 3 == 0)
                        continue;
                    int vl = snprintf(val, sizeof val, "%s/%d/%u/", id, e, seed);
                    int extra = (int)((seed >> 13) % 200);
                    memset(val + vl, 'a' + e, (size_t)extra);
                    bb_put(&b, GE_NAMES[e], val, (size_t)(vl + extra));
                }
            }
            CHECK_RC(write_bb(s, &b), OSTORE_OK);
        }
        /* overwrites, entry deletes and object deletes (tombstones) among what is written */
        bb_reset(&b);
        char *used = calloc((size_t)written, 1);
        for (int j = 0; j < 400; j++) {
            seed = seed * 1103515245u + 12345u;
            int k = (int)((seed >> 4) % (unsigned)written);
            if (used[k]++)
                continue; /* a key at most once per batch */
            ge_id(id, sizeof id, k);
            unsigned a = (seed >> 24) % 4;
            if (a == 0) {
                bb_del_obj(&b, CLASSES[k % NCLASSES], id, OSTORE_ANY_VERSION);
            } else {
                bb_obj(&b, CLASSES[k % NCLASSES], id, OSTORE_ANY_VERSION);
                if (a == 1)
                    bb_del(&b, GE_NAMES[(seed >> 16) % 4]);
                else
                    bb_puts(&b, GE_NAMES[(seed >> 16) % 4], "overwritten");
            }
        }
        free(used);
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        if (phase == 4)
            CHECK_RC(ostore_compact(s), OSTORE_OK);
        if (phase == 5) {
            CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
            close_store(s);
            s = open_store(dir);
            CHECK(s != NULL);
            if (!s)
                break;
        }
        int displaced;
        CHECK(ge_compare(s, &seed, &displaced));
        displaced_total += displaced;
    }
    /* a request with too small a buffer copies nothing and says how long the value is */
    if (s) {
        CHECK_RC(put1(s, CLASSES[0], "small", "a", "0123456789"), OSTORE_OK);
        char out[4] = "xyz";
        ostore_get_req r = {CLASSES[0], strlen(CLASSES[0]), "small", 5, "a", 1, out, 3, 0, 0, 0};
        CHECK_RC(ostore_get_entries(s, &r, 1), OSTORE_OK);
        CHECK(r.status == OSTORE_BUFFER_TOO_SMALL && r.out_len == 10 && r.version == 1 && strcmp(out, "xyz") == 0);
        char buf[128];
        CHECK(ostore_last_error(s, buf, sizeof buf) > 0 && strstr(buf, "too small") != NULL);
        close_store(s);
    }
    fprintf(stderr, "  %d found keys outside their home slot\n", displaced_total);
    CHECK(displaced_total >= 50);
    bb_free(&b);
}

static void test_get_entry_nowait_does_not_wait_for_an_exclusive_section(const char *dir)
{
    ostore *s = open_store(dir);
    CHECK(s != NULL);
    if (!s)
        return;
    bb b;
    bb_init(&b);
    char id[32], val[64];
    for (int round = 0; round < 3; round++) {
        bb_reset(&b);
        for (int k = 0; k < 200; k++) {
            snprintf(id, sizeof id, "o-%d", k);
            snprintf(val, sizeof val, "value-%d-round-%d", k, round);
            bb_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
            bb_puts(&b, "v", val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    const char *want = "value-7-round-2";
    char out[64];
    size_t len = 99;
    uint64_t ver = 99;
    CHECK_RC(ostore_get_entry_nowait(s, CLASSES[0], strlen(CLASSES[0]), "o-7", 3, "v", 1, out, sizeof out, &len,
                                     &ver), OSTORE_OK);
    CHECK(len == strlen(want) && memcmp(out, want, len) == 0 && ver == 3);
    CHECK_RC(ostore_get_entry_nowait(s, CLASSES[0], strlen(CLASSES[0]), "o-7", 3, "v", 1, out, 4, &len, &ver),
             OSTORE_BUFFER_TOO_SMALL);
    CHECK(len == strlen(want));
    CHECK_RC(ostore_get_entry_nowait(s, CLASSES[0], strlen(CLASSES[0]), "o-x", 3, "v", 1, out, sizeof out, &len,
                                     &ver), OSTORE_NOT_FOUND);
    CHECK_RC(ostore_get_entry_nowait(s, CLASSES[0], strlen(CLASSES[0]), "o-7", 3, "", 0, out, sizeof out, &len,
                                     &ver), OSTORE_INVALID_ARGUMENT);
    uint32_t pin;
    CHECK_RC(ostore_read_begin(s, &pin), OSTORE_OK);
    compact_arg a = {.s = s, .rc = -1};
    atomic_init(&a.done, 0);
    pthread_t th;
    pthread_create(&th, NULL, compact_main, &a);
    int rc = OSTORE_OK;
    for (int i = 0; i < 10000 && rc == OSTORE_OK; i++) { /* until the compaction reaches its swap (10 s at most) */
        len = 99;
        ver = 99;
        rc = ostore_get_entry_nowait(s, CLASSES[0], strlen(CLASSES[0]), "o-7", 3, "v", 1, out, sizeof out, &len, &ver);
        if (rc == OSTORE_OK) {
            CHECK(len == strlen(want) && memcmp(out, want, len) == 0);
            struct timespec ts = {0, 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    CHECK_RC(rc, OSTORE_BUSY);
    CHECK(len == 0 && ver == 0);
    CHECK(atomic_load(&a.done) == 0);
    CHECK_RC(ostore_read_end(s, pin), OSTORE_OK);
    pthread_join(th, NULL);
    CHECK_RC(a.rc, OSTORE_OK);
    CHECK_RC(ostore_get_entry_nowait(s, CLASSES[0], strlen(CLASSES[0]), "o-7", 3, "v", 1, out, sizeof out, &len,
                                     &ver), OSTORE_OK);
    CHECK(len == strlen(want) && memcmp(out, want, len) == 0);
    CHECK(strcmp(ostore_status_name(OSTORE_BUSY), "OSTORE_BUSY") == 0);
    bb_free(&b);
    close_store(s);
}

static void test_partial_update_and_delete_entry(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    bb_obj(&b, "C", "o", OSTORE_ANY_VERSION);
    bb_puts(&b, "a", "1");
    bb_puts(&b, "b", "2");
    bb_puts(&b, "c", "3");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_reset(&b);
    bb_obj(&b, "C", "o", 1);
    bb_puts(&b, "b", "22");
    bb_del(&b, "c");
    bb_del(&b, "zz"); /* deleting a missing entry is fine */
    uint64_t v;
    CHECK_RC(ostore_write_batch(s, b.p, b.n, &v, 1, NULL), OSTORE_OK);
    CHECK(v == 2);
    CHECK(entry_is(s, "C", "o", "a", "1"));
    CHECK(entry_is(s, "C", "o", "b", "22"));
    char buf[16];
    CHECK_RC(get_str(s, "C", "o", "c", buf, sizeof buf, &v), OSTORE_NOT_FOUND);
    CHECK(v == 2);
    /* later op on the same name wins within an object */
    bb_reset(&b);
    bb_obj(&b, "C", "o", 2);
    bb_puts(&b, "a", "first");
    bb_puts(&b, "a", "second");
    bb_puts(&b, "d", "x");
    bb_del(&b, "d");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    CHECK(entry_is(s, "C", "o", "a", "second"));
    CHECK_RC(get_str(s, "C", "o", "d", buf, sizeof buf, NULL), OSTORE_NOT_FOUND);
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.entries == 2 && st.objects == 1);
    bb_free(&b);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(entry_is(s, "C", "o", "a", "second"));
    CHECK(entry_is(s, "C", "o", "b", "22"));
    close_store(s);
}

/* Overwrites of existing entries need no room (they are updated in place), new names do: the room an
 * object gets must cover every step of its ops, or an entry would be lost. */
static void test_entry_room_for_overwrites_and_new_names(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    bb_obj(&b, "C", "one", OSTORE_ANY_VERSION); /* one entry: kept inside the object */
    bb_puts(&b, "a", "1");
    bb_obj(&b, "C", "four", OSTORE_ANY_VERSION); /* four entries: a full array of four */
    bb_puts(&b, "a", "1");
    bb_puts(&b, "b", "2");
    bb_puts(&b, "c", "3");
    bb_puts(&b, "long-entry-name-d", "4");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    for (int i = 0; i < 3; i++) { /* overwrites only, repeatedly */
        char v[16];
        snprintf(v, sizeof v, "v%d", i);
        bb_reset(&b);
        bb_obj(&b, "C", "one", OSTORE_ANY_VERSION);
        bb_puts(&b, "a", v);
        bb_obj(&b, "C", "four", OSTORE_ANY_VERSION);
        bb_puts(&b, "long-entry-name-d", v);
        bb_puts(&b, "a", v);
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        CHECK(entry_is(s, "C", "one", "a", v));
        CHECK(entry_is(s, "C", "four", "a", v));
        CHECK(entry_is(s, "C", "four", "long-entry-name-d", v));
        CHECK(entry_is(s, "C", "four", "b", "2"));
    }
    /* existing names overwritten, deleted and put again, plus new names: one, then two entries more */
    bb_reset(&b);
    bb_obj(&b, "C", "one", OSTORE_ANY_VERSION);
    bb_puts(&b, "a", "x");
    bb_del(&b, "a");
    bb_puts(&b, "a", "y");
    bb_puts(&b, "n1", "z");
    bb_obj(&b, "C", "four", OSTORE_ANY_VERSION);
    bb_puts(&b, "b", "x");
    bb_del(&b, "c");
    bb_puts(&b, "c", "y");
    bb_puts(&b, "n1", "p");
    bb_puts(&b, "n1", "q");
    bb_puts(&b, "long-entry-name-n2", "r");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    for (int pass = 0; pass < 2; pass++) {
        CHECK(entry_is(s, "C", "one", "a", "y"));
        CHECK(entry_is(s, "C", "one", "n1", "z"));
        CHECK(entry_is(s, "C", "four", "a", "v2"));
        CHECK(entry_is(s, "C", "four", "b", "x"));
        CHECK(entry_is(s, "C", "four", "c", "y"));
        CHECK(entry_is(s, "C", "four", "long-entry-name-d", "v2"));
        CHECK(entry_is(s, "C", "four", "n1", "q"));
        CHECK(entry_is(s, "C", "four", "long-entry-name-n2", "r"));
        ostore_stats st;
        ostore_stats_get(s, &st);
        CHECK(st.entries == 8 && st.objects == 2);
        if (pass == 0) { /* and the same after reopening */
            close_store(s);
            s = open_store(dir);
            if (!s) { CHECK(0); break; }
        }
    }
    /* A full array and only PUTs: prepare looks every name up once and publish overwrites the entries it found
     * (os_bop.ent), while a new name, put twice, is looked up again and kept once. It loses an entry, or keeps the
     * new name twice, if publish trusts an index for a name prepare did not find. */
    if (s) {
        bb_reset(&b);
        bb_obj(&b, "C", "full", OSTORE_ANY_VERSION);
        bb_puts(&b, "a", "1");
        bb_puts(&b, "b", "2");
        bb_puts(&b, "c", "3");
        bb_puts(&b, "d", "4");
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        bb_reset(&b);
        bb_obj(&b, "C", "full", OSTORE_ANY_VERSION);
        bb_puts(&b, "b", "B1");
        bb_puts(&b, "n", "N1");
        bb_puts(&b, "d", "D1");
        bb_puts(&b, "n", "N2");
        bb_puts(&b, "b", "B2");
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        for (int pass = 0; pass < 2 && s != NULL; pass++) {
            CHECK(entry_is(s, "C", "full", "a", "1"));
            CHECK(entry_is(s, "C", "full", "b", "B2"));
            CHECK(entry_is(s, "C", "full", "c", "3"));
            CHECK(entry_is(s, "C", "full", "d", "D1"));
            CHECK(entry_is(s, "C", "full", "n", "N2"));
            ostore_stats st;
            ostore_stats_get(s, &st);
            CHECK(st.entries == 13 && st.objects == 3);
            if (pass == 0) {
                close_store(s);
                s = open_store(dir);
            }
        }
    }
    bb_free(&b);
    if (s)
        close_store(s);
}

static void test_delete_object_tombstone(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK_RC(put1(s, "T", "x", "f", "1"), OSTORE_OK);
    CHECK_RC(put1(s, "T", "x", "f", "2"), OSTORE_OK); /* version 2 */
    bb b;
    bb_init(&b);
    bb_del_obj(&b, "T", "x", 2);
    uint64_t v = 0;
    CHECK_RC(ostore_write_batch(s, b.p, b.n, &v, 1, NULL), OSTORE_OK);
    CHECK(v == 3);
    char buf[16];
    CHECK_RC(get_str(s, "T", "x", "f", buf, sizeof buf, &v), OSTORE_NOT_FOUND);
    CHECK(v == 3);
    CHECK_RC(ostore_object_version(s, "T", 1, "x", 1, &v), OSTORE_NOT_FOUND);
    CHECK(v == 3);
    size_t ol;
    CHECK_RC(ostore_get_object(s, "T", 1, "x", 1, buf, sizeof buf, &ol, &v), OSTORE_NOT_FOUND);
    CHECK(v == 3);
    /* a stale exact version never matches a tombstone */
    bb_reset(&b);
    bb_obj(&b, "T", "x", 3);
    bb_puts(&b, "f", "no");
    ostore_batch_result r;
    CHECK_RC(ostore_write_batch(s, b.p, b.n, NULL, 0, &r), OSTORE_CONFLICT);
    CHECK(r.conflict_object == 0 && r.conflict_version == 0);
    /* ABSENT matches a deleted object; version continues */
    bb_reset(&b);
    bb_obj(&b, "T", "x", OSTORE_ABSENT_VERSION);
    bb_puts(&b, "g", "new");
    CHECK_RC(ostore_write_batch(s, b.p, b.n, &v, 1, NULL), OSTORE_OK);
    CHECK(v == 4);
    CHECK(entry_is(s, "T", "x", "g", "new"));
    CHECK_RC(get_str(s, "T", "x", "f", buf, sizeof buf, NULL), OSTORE_NOT_FOUND);
    /* delete of a never-written object makes a tombstone with version 1 */
    bb_reset(&b);
    bb_del_obj(&b, "T", "never", OSTORE_ANY_VERSION);
    CHECK_RC(ostore_write_batch(s, b.p, b.n, &v, 1, NULL), OSTORE_OK);
    CHECK(v == 1);
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.objects == 1);
    bb_free(&b);
    close_store(s);
    /* tombstones survive reopen with and without checkpoint */
    for (int round = 0; round < 2; round++) {
        s = open_store(dir);
        if (!s) { CHECK(0); return; }
        CHECK_RC(ostore_object_version(s, "T", 1, "never", 5, &v), OSTORE_NOT_FOUND);
        CHECK(v == 1);
        CHECK_RC(ostore_object_version(s, "T", 1, "x", 1, &v), OSTORE_OK);
        CHECK(v == 4);
        close_store(s);
        char p[600];
        path_in(p, sizeof p, dir, "index.ckpt");
        unlink(p);
    }
}

static void test_conditional(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK_RC(put1(s, "K", "a", "f", "a1"), OSTORE_OK);
    CHECK_RC(put1(s, "K", "b", "f", "b1"), OSTORE_OK);
    CHECK_RC(put1(s, "K", "b", "f", "b2"), OSTORE_OK); /* b at version 2 */
    uint64_t seq = last_seq(s);
    ostore_stats st0, st1;
    ostore_stats_get(s, &st0);
    bb b;
    bb_init(&b);
    /* object 0 ok (exact), object 1 conflicts (expects 1, is 2), object 2 new */
    bb_obj(&b, "K", "a", 1);
    bb_puts(&b, "f", "a2");
    bb_obj(&b, "K", "b", 1);
    bb_puts(&b, "f", "bX");
    bb_obj(&b, "K", "c", OSTORE_ABSENT_VERSION);
    bb_puts(&b, "f", "c1");
    ostore_batch_result r;
    uint64_t vers[3] = {9, 9, 9};
    CHECK_RC(ostore_write_batch(s, b.p, b.n, vers, 3, &r), OSTORE_CONFLICT);
    CHECK(r.conflict_object == 1 && r.conflict_version == 2);
    CHECK(vers[0] == 9);
    CHECK(last_seq(s) == seq);
    ostore_stats_get(s, &st1);
    CHECK(st1.log_bytes == st0.log_bytes && st1.batches == st0.batches);
    CHECK(entry_is(s, "K", "a", "f", "a1"));
    char buf[16];
    CHECK_RC(get_str(s, "K", "c", "f", buf, sizeof buf, NULL), OSTORE_NOT_FOUND);
    /* ABSENT on an existing object conflicts */
    bb_reset(&b);
    bb_obj(&b, "K", "z", OSTORE_ABSENT_VERSION);
    bb_puts(&b, "f", "z");
    bb_obj(&b, "K", "a", OSTORE_ABSENT_VERSION);
    bb_puts(&b, "f", "bad");
    CHECK_RC(ostore_write_batch(s, b.p, b.n, NULL, 0, &r), OSTORE_CONFLICT);
    CHECK(r.conflict_object == 1 && r.conflict_version == 1);
    /* exact version on a missing object conflicts with version 0 */
    bb_reset(&b);
    bb_obj(&b, "K", "missing", 1);
    bb_puts(&b, "f", "m");
    CHECK_RC(ostore_write_batch(s, b.p, b.n, NULL, 0, &r), OSTORE_CONFLICT);
    CHECK(r.conflict_object == 0 && r.conflict_version == 0);
    /* the right versions succeed */
    bb_reset(&b);
    bb_obj(&b, "K", "a", 1);
    bb_puts(&b, "f", "a2");
    bb_obj(&b, "K", "b", 2);
    bb_puts(&b, "f", "b3");
    bb_obj(&b, "K", "c", OSTORE_ABSENT_VERSION);
    bb_puts(&b, "f", "c1");
    CHECK_RC(ostore_write_batch(s, b.p, b.n, vers, 3, &r), OSTORE_OK);
    CHECK(vers[0] == 2 && vers[1] == 3 && vers[2] == 1);
    CHECK(r.sequence == seq + 1);
    CHECK(entry_is(s, "K", "b", "f", "b3"));
    /* versions_cap too small */
    CHECK_RC(ostore_write_batch(s, b.p, b.n, vers, 2, NULL), OSTORE_INVALID_ARGUMENT);
    bb_free(&b);
    close_store(s);
}

static void test_duplicate_object(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    bb_obj(&b, "D", "x", OSTORE_ANY_VERSION);
    bb_puts(&b, "f", "1");
    bb_obj(&b, "D", "y", OSTORE_ANY_VERSION);
    bb_obj(&b, "D", "x", OSTORE_ANY_VERSION);
    bb_puts(&b, "f", "2");
    CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
    /* a large batch (hash-based duplicate check) */
    bb_reset(&b);
    char id[16];
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "k%d", i);
        bb_obj(&b, "D", id, OSTORE_ANY_VERSION);
    }
    bb_obj(&b, "D", "k57", OSTORE_ANY_VERSION);
    CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
    /* same id in different classes is not a duplicate */
    bb_reset(&b);
    bb_obj(&b, "D", "x", OSTORE_ANY_VERSION);
    bb_obj(&b, "E", "x", OSTORE_ANY_VERSION);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    CHECK(last_seq(s) == 1);
    bb_free(&b);
    close_store(s);
}

static void test_malformed(const char *dir)
{
    ostore_options o;
    ostore_options_init(&o);
    o.max_value_size = 100;
    ostore *s = NULL;
    char err[256];
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_OK);
    if (!s)
        return;
    bb b;
    bb_init(&b);
    bb_obj(&b, "M", "x", OSTORE_ANY_VERSION);
    bb_puts(&b, "name", "value");
    bb_obj(&b, "M", "y", OSTORE_ANY_VERSION);
    bb_puts(&b, "n2", "v2");
    /* every truncation is rejected */
    for (size_t cut = 0; cut < b.n; cut++)
        CHECK_RC(ostore_write_batch(s, b.p, cut, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    /* trailing bytes */
    bb_need(&b, 8);
    memset(b.p + b.n, 0, 8);
    CHECK_RC(ostore_write_batch(s, b.p, b.n + 8, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_write_batch(s, NULL, 0, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    /* object count past the end */
    uint8_t *copy = malloc(b.n);
    memcpy(copy, b.p, b.n);
    uint32_t big = 1000000;
    memcpy(copy, &big, 4);
    CHECK_RC(ostore_write_batch(s, copy, b.n, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    memcpy(copy, b.p, b.n);
    /* value length past the end */
    uint32_t vl = 90; /* within max_value_size, past the end */
    memcpy(copy + 8 + 24 + 8 + 4, &vl, 4);
    CHECK_RC(ostore_write_batch(s, copy, b.n, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    memcpy(copy, b.p, b.n);
    /* name length past the end */
    uint16_t nl = 60000;
    memcpy(copy + 8 + 24 + 8 + 2, &nl, 2);
    int rc = ostore_write_batch(s, copy, b.n, NULL, 0, NULL);
    CHECK(rc == OSTORE_TOO_LARGE || rc == OSTORE_INVALID_ARGUMENT);
    memcpy(copy, b.p, b.n);
    /* op count past the end */
    uint32_t oc = 7;
    memcpy(copy + 8 + 4, &oc, 4);
    CHECK_RC(ostore_write_batch(s, copy, b.n, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    memcpy(copy, b.p, b.n);
    /* unknown op kind, unknown flags, non-zero reserved */
    copy[8 + 24 + 8] = 9;
    CHECK_RC(ostore_write_batch(s, copy, b.n, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    memcpy(copy, b.p, b.n);
    copy[8 + 8] = 4;
    CHECK_RC(ostore_write_batch(s, copy, b.n, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    memcpy(copy, b.p, b.n);
    copy[4] = 1;
    CHECK_RC(ostore_write_batch(s, copy, b.n, NULL, 0, NULL), OSTORE_INVALID_ARGUMENT);
    free(copy);
    /* zero-length class / id / name */
    bb_reset(&b);
    bb_obj_raw(&b, "M", 0, "x", 1, OSTORE_ANY_VERSION, 0);
    CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
    bb_reset(&b);
    bb_obj_raw(&b, "M", 1, "x", 0, OSTORE_ANY_VERSION, 0);
    CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
    bb_reset(&b);
    bb_obj(&b, "M", "x", OSTORE_ANY_VERSION);
    bb_op_raw(&b, OSTORE_OP_PUT, "n", 0, "v", 1);
    CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
    /* oversized key parts */
    char key[1100];
    memset(key, 'k', sizeof key);
    bb_reset(&b);
    bb_obj_raw(&b, key, 1025, "x", 1, OSTORE_ANY_VERSION, 0);
    CHECK_RC(write_bb(s, &b), OSTORE_TOO_LARGE);
    bb_reset(&b);
    bb_obj_raw(&b, "M", 1, key, 1025, OSTORE_ANY_VERSION, 0);
    CHECK_RC(write_bb(s, &b), OSTORE_TOO_LARGE);
    bb_reset(&b);
    bb_obj(&b, "M", "x", OSTORE_ANY_VERSION);
    bb_op_raw(&b, OSTORE_OP_PUT, key, 1025, "v", 1);
    CHECK_RC(write_bb(s, &b), OSTORE_TOO_LARGE);
    /* 1024 is fine */
    bb_reset(&b);
    bb_obj_raw(&b, key, 1024, key, 1024, OSTORE_ANY_VERSION, 0);
    bb_op_raw(&b, OSTORE_OP_PUT, key, 1024, "v", 1);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    uint64_t seq = last_seq(s);
    /* value over max_value_size (100) */
    char val[101];
    memset(val, 'v', sizeof val);
    bb_reset(&b);
    bb_obj(&b, "M", "x", OSTORE_ANY_VERSION);
    bb_put(&b, "n", val, 101);
    CHECK_RC(write_bb(s, &b), OSTORE_TOO_LARGE);
    bb_reset(&b);
    bb_obj(&b, "M", "x", OSTORE_ANY_VERSION);
    bb_put(&b, "n", val, 100);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    /* delete object with ops; delete entry with a value */
    bb_reset(&b);
    bb_del_obj(&b, "M", "x", OSTORE_ANY_VERSION);
    bb_puts(&b, "n", "v");
    CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
    bb_reset(&b);
    bb_obj(&b, "M", "x", OSTORE_ANY_VERSION);
    bb_op_raw(&b, OSTORE_OP_DELETE_ENTRY, "n", 1, "v", 1);
    CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
    CHECK(last_seq(s) == seq + 1);
    char msg[512];
    CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, "DELETE_ENTRY") != NULL);
    /* an empty batch is a valid no-op record */
    bb_reset(&b);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_free(&b);
    close_store(s);
    /* bad options */
    o.max_value_size = (uint64_t)OSTORE_HARD_MAX_VALUE + 1;
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_INVALID_ARGUMENT);
    CHECK(s == NULL);
    ostore_options_init(&o);
    o.segment_size = 4096;
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_INVALID_ARGUMENT);
    ostore_options_init(&o);
    o.compact_garbage_percent = 101;
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_INVALID_ARGUMENT);
}

static void test_buffer_too_small(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    bb_obj(&b, "B", "id1", OSTORE_ANY_VERSION);
    bb_puts(&b, "f", "0123456789");
    bb_puts(&b, "g", "xy");
    bb_obj(&b, "B", "id22", OSTORE_ANY_VERSION);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    char out[64];
    size_t len = 0;
    uint64_t v = 0;
    CHECK_RC(ostore_get_entry(s, "B", 1, "id1", 3, "f", 1, out, 5, &len, &v), OSTORE_BUFFER_TOO_SMALL);
    CHECK(len == 10 && v == 1);
    CHECK_RC(ostore_get_entry(s, "B", 1, "id1", 3, "f", 1, NULL, 0, &len, &v), OSTORE_BUFFER_TOO_SMALL);
    CHECK(len == 10);
    CHECK_RC(ostore_get_entry(s, "B", 1, "id1", 3, "f", 1, out, 10, &len, &v), OSTORE_OK);
    CHECK(len == 10 && memcmp(out, "0123456789", 10) == 0);
    size_t need = 8 + 8 + 1 + 10 + 8 + 1 + 2;
    CHECK_RC(ostore_get_object(s, "B", 1, "id1", 3, out, need - 1, &len, &v), OSTORE_BUFFER_TOO_SMALL);
    CHECK(len == need);
    CHECK_RC(ostore_get_object(s, "B", 1, "id1", 3, out, need, &len, &v), OSTORE_OK);
    CHECK(len == need);
    CHECK_RC(ostore_get_object(s, "B", 1, "id22", 4, out, 8, &len, &v), OSTORE_OK); /* no entries */
    CHECK(len == 8);
    uint64_t count = 0;
    CHECK_RC(ostore_list_ids(s, "B", 1, out, 3, &len, &count), OSTORE_BUFFER_TOO_SMALL);
    CHECK(len == 2 + 3 + 2 + 4 && count == 2);
    CHECK_RC(ostore_list_ids(s, "B", 1, out, len, &len, &count), OSTORE_OK);
    CHECK_RC(ostore_list_ids(s, "nope", 4, NULL, 0, &len, &count), OSTORE_OK);
    CHECK(len == 0 && count == 0);
    bb_free(&b);
    close_store(s);
}

/* objects <prefix>0..<prefix>(n-1) in one batch, odd numbers of class odd, even ones of class even, each with one
 * entry `entry` holding its id */
static void put_alternating(ostore *s, const char *prefix, int n, const char *odd, const char *even, const char *entry)
{
    bb b;
    bb_init(&b);
    char id[32];
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "%s%d", prefix, i);
        bb_obj(&b, i % 2 ? odd : even, id, OSTORE_ANY_VERSION);
        bb_puts(&b, entry, id);
    }
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_free(&b);
}

/* deletes objects <prefix>0, <prefix>step, ... below n of class cls, in one batch */
static void delete_every(ostore *s, const char *cls, const char *prefix, int n, int step)
{
    bb b;
    bb_init(&b);
    char id[32];
    for (int i = 0; i < n; i += step) {
        snprintf(id, sizeof id, "%s%d", prefix, i);
        bb_del_obj(&b, cls, id, OSTORE_ANY_VERSION);
    }
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_free(&b);
}

static void test_list_ids(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    put_alternating(s, "id-", 500, "Odd", "Even", "n");
    delete_every(s, "Even", "id-", 500, 10);
    static uint8_t out[65536];
    size_t len;
    uint64_t count;
    CHECK_RC(ostore_list_ids(s, "Odd", 3, out, sizeof out, &len, &count), OSTORE_OK);
    CHECK(count == 250);
    CHECK_RC(ostore_list_ids(s, "Even", 4, out, sizeof out, &len, &count), OSTORE_OK);
    CHECK(count == 200);
    int seen10 = 0, seen12 = 0;
    size_t p = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint16_t n;
        memcpy(&n, out + p, 2);
        if (n == 5 && memcmp(out + p + 2, "id-10", 5) == 0)
            seen10 = 1;
        if (n == 5 && memcmp(out + p + 2, "id-12", 5) == 0)
            seen12 = 1;
        p += 2 + n;
    }
    CHECK(p == len && !seen10 && seen12);
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.objects == 450);
    close_store(s);
}

/* ---- lazy entries (internal.h): objects a checkpoint load made read their entries from the checkpoint ---- */

enum { LZ_OBJS = 120, LZ_MAXE = 21 };
typedef struct lz_model {
    unsigned n[LZ_OBJS];
    bool gone[LZ_OBJS];
    char name[LZ_OBJS][LZ_MAXE][24];
    char val[LZ_OBJS][LZ_MAXE][48];
} lz_model;

static uint32_t lazy_objects(const ostore *s)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->idx->nobj; i++)
        k += os_ents_lazy(os_obj_at(s->idx, i)->ents);
    return k;
}

static int lz_find(const lz_model *m, int i, const char *name, size_t nl)
{
    for (unsigned j = 0; j < m->n[i]; j++)
        if (strlen(m->name[i][j]) == nl && memcmp(m->name[i][j], name, nl) == 0)
            return (int)j;
    return -1;
}

/* every object reads back as the model says, through get_object, get_entry and get_object_ref */
static bool lz_matches(ostore *s, const lz_model *m)
{
    static uint8_t buf[1 << 16];
    for (int i = 0; i < LZ_OBJS; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        size_t len = 0;
        uint64_t ver;
        int rc = ostore_get_object(s, "L", 1, id, strlen(id), buf, sizeof buf, &len, &ver);
        if (m->gone[i]) {
            if (rc != OSTORE_NOT_FOUND) {
                fprintf(stderr, "  %s: %s, want NOT_FOUND\n", id, ostore_status_name(rc));
                return false;
            }
            continue;
        }
        uint32_t n;
        memcpy(&n, buf, 4);
        if (rc != OSTORE_OK || n != m->n[i]) {
            fprintf(stderr, "  %s: %s with %u entries, want %u\n", id, ostore_status_name(rc), n, m->n[i]);
            return false;
        }
        size_t at = 8;
        for (uint32_t j = 0; j < n; j++) {
            uint16_t nl;
            uint32_t vl;
            memcpy(&nl, buf + at, 2);
            memcpy(&vl, buf + at + 4, 4);
            int k = lz_find(m, i, (const char *)buf + at + 8, nl);
            if (k < 0 || vl != strlen(m->val[i][k]) || memcmp(buf + at + 8 + nl, m->val[i][k], vl) != 0) {
                fprintf(stderr, "  %s: entry %u (%.*s) not as written\n", id, j, nl, (const char *)buf + at + 8);
                return false;
            }
            at += 8 + (size_t)nl + vl;
        }
        for (unsigned j = 0; j < m->n[i]; j++)
            if (!entry_is(s, "L", id, m->name[i][j], m->val[i][j]))
                return false;
        uint32_t pin;
        ostore_entry_ref refs[LZ_MAXE];
        size_t cnt = 0;
        if (ostore_read_begin(s, &pin) != OSTORE_OK)
            return false;
        rc = ostore_get_object_ref(s, "L", 1, id, strlen(id), refs, LZ_MAXE, &cnt, &ver);
        bool ok = rc == OSTORE_OK && cnt == m->n[i];
        for (size_t j = 0; ok && j < cnt; j++) {
            int k = lz_find(m, i, refs[j].name, refs[j].name_len);
            ok = k >= 0 && refs[j].value_len == strlen(m->val[i][k]) &&
                 memcmp(refs[j].value, m->val[i][k], refs[j].value_len) == 0;
        }
        ostore_read_end(s, pin);
        if (!ok) {
            fprintf(stderr, "  %s: refs not as written (%s)\n", id, ostore_status_name(rc));
            return false;
        }
    }
    return true;
}

/* Objects of 2..16 entries loaded from a checkpoint keep their entries in it (no entry array) and read back whole;
 * every kind of change (an overwrite, a new entry, an entry delete, an object delete, a re-create) gives the object
 * its array with the others intact; a checkpoint written while some are still lazy, a reopen, and a compaction
 * (which leaves none lazy) all keep every object as the model says. One-entry objects stay inline and objects of
 * more than 16 entries get arrays at the load, as before. */
static void test_lazy_objects_take_every_change_like_loaded_ones(const char *dir)
{
    static lz_model m;
    memset(&m, 0, sizeof m);
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    uint32_t want_lazy = 0;
    for (int i = 0; i < LZ_OBJS; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        m.n[i] = 1 + (unsigned)i % (LZ_MAXE - 1); /* 1..20 */
        want_lazy += m.n[i] >= 2 && m.n[i] <= OS_LAZY_MAX;
        bb_reset(&b);
        bb_obj(&b, "L", id, OSTORE_ANY_VERSION);
        for (unsigned j = 0; j < m.n[i]; j++) {
            /* every third name is longer than an inline one: it stays in the checkpoint */
            snprintf(m.name[i][j], sizeof m.name[i][j], j % 3 == 2 ? "a-long-name-%u" : "f%u", j);
            snprintf(m.val[i][j], sizeof m.val[i][j], "value %d.%u of version 1", i, j);
            bb_puts(&b, m.name[i][j], m.val[i][j]);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); bb_free(&b); return; }
    CHECK(want_lazy > 80 && lazy_objects(s) == want_lazy);
    CHECK(lz_matches(s, &m));
    /* one change of each kind, by object number; objects with i % 7 == 6 stay untouched (and lazy) */
    uint32_t untouched_lazy = 0;
    for (int i = 0; i < LZ_OBJS; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        unsigned kind = (unsigned)i % 7, n = m.n[i];
        if (kind == 6) {
            untouched_lazy += n >= 2 && n <= OS_LAZY_MAX;
            continue;
        }
        bb_reset(&b);
        if (kind == 4) {
            bb_del_obj(&b, "L", id, OSTORE_ANY_VERSION);
            m.gone[i] = true;
        } else {
            bb_obj(&b, "L", id, OSTORE_ANY_VERSION);
            if (kind == 0 || kind == 5) { /* overwrite the last entry (5: and the first) */
                snprintf(m.val[i][n - 1], sizeof m.val[i][n - 1], "value %d.%u of version 2", i, n - 1);
                bb_puts(&b, m.name[i][n - 1], m.val[i][n - 1]);
                if (kind == 5 && n > 1) {
                    snprintf(m.val[i][0], sizeof m.val[i][0], "first of %d, version 2", i);
                    bb_puts(&b, m.name[i][0], m.val[i][0]);
                }
            } else if (kind == 1 || kind == 3) { /* a new entry (3: two of them, one long-named) */
                for (unsigned a = 0; a < (kind == 3 ? 2u : 1u) && m.n[i] < LZ_MAXE; a++) {
                    unsigned j = m.n[i]++;
                    snprintf(m.name[i][j], sizeof m.name[i][j], a == 1 ? "added-long-name" : "new%u", j);
                    snprintf(m.val[i][j], sizeof m.val[i][j], "added to %d", i);
                    bb_puts(&b, m.name[i][j], m.val[i][j]);
                }
            } else if (n > 1) { /* kind 2: delete the first entry (the last moves into its place) */
                bb_del(&b, m.name[i][0]);
                memcpy(m.name[i][0], m.name[i][n - 1], sizeof m.name[i][0]);
                memcpy(m.val[i][0], m.val[i][n - 1], sizeof m.val[i][0]);
                m.n[i]--;
            } else {
                bb_puts(&b, m.name[i][0], "kept");
                snprintf(m.val[i][0], sizeof m.val[i][0], "kept");
            }
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    CHECK(lazy_objects(s) == untouched_lazy);
    CHECK(lz_matches(s, &m));
    /* a re-create of a deleted object that was lazy before its delete */
    for (int i = 4; i < LZ_OBJS; i += 7 * 3) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        bb_reset(&b);
        bb_obj(&b, "L", id, OSTORE_ANY_VERSION);
        bb_puts(&b, "again", "re-created");
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        m.gone[i] = false;
        m.n[i] = 1;
        snprintf(m.name[i][0], sizeof m.name[i][0], "again");
        snprintf(m.val[i][0], sizeof m.val[i][0], "re-created");
    }
    CHECK(lz_matches(s, &m));
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK); /* written with untouched objects still lazy */
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); bb_free(&b); return; }
    CHECK(lazy_objects(s) > untouched_lazy);
    CHECK(lz_matches(s, &m));
    CHECK_RC(ostore_compact(s), OSTORE_OK);
    CHECK(lazy_objects(s) == 0);
    CHECK(lz_matches(s, &m));
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); bb_free(&b); return; }
    CHECK(lz_matches(s, &m));
    close_store(s);
    bb_free(&b);
}

static void test_reopen(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    workload(s, 200, 8, 7);
    uint64_t d0 = state_of(s), objs = 0;
    digest(s, CLASSES, NCLASSES, &objs);
    CHECK(objs > 10);
    ostore_stats st0;
    ostore_stats_get(s, &st0);
    close_store(s);
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    CHECK(file_size(ck) > 0);
    s = open_store(dir); /* from checkpoint */
    if (!s) { CHECK(0); return; }
    CHECK(state_of(s) == d0);
    ostore_stats st1;
    ostore_stats_get(s, &st1);
    CHECK(st1.objects == st0.objects && st1.entries == st0.entries && st1.live_bytes == st0.live_bytes);
    CHECK(st1.last_sequence == st0.last_sequence && st1.log_bytes == st0.log_bytes);
    close_store(s);
    unlink(ck);
    s = open_store(dir); /* full replay */
    if (!s) { CHECK(0); return; }
    CHECK(state_of(s) == d0);
    ostore_stats_get(s, &st1);
    CHECK(st1.objects == st0.objects && st1.entries == st0.entries && st1.live_bytes == st0.live_bytes);
    CHECK(st1.garbage_bytes == st0.garbage_bytes);
    /* continue writing after reopen: sequences continue */
    workload(s, 20, 8, 99);
    CHECK(last_seq(s) == st0.last_sequence + 20);
    uint64_t d1 = state_of(s);
    close_store(s);
    /* read-only opens: two at once, writes refused, no checkpoint written */
    int rc;
    ostore *r1 = open_opts(dir, 0, OSTORE_OPEN_READ_ONLY, &rc);
    CHECK(rc == OSTORE_OK);
    ostore *r2 = open_opts(dir, 0, OSTORE_OPEN_READ_ONLY, &rc);
    CHECK(rc == OSTORE_OK);
    if (r1 && r2) {
        CHECK(state_of(r1) == d1 && state_of(r2) == d1);
        CHECK_RC(put1(r1, "X", "y", "z", "w"), OSTORE_READ_ONLY);
        CHECK_RC(ostore_compact(r1), OSTORE_READ_ONLY);
        CHECK_RC(ostore_sync(r1), OSTORE_OK);
        ostore *w = open_opts(dir, 0, 0, &rc);
        CHECK(rc == OSTORE_LOCKED && w == NULL);
    }
    if (r1) close_store(r1);
    if (r2) close_store(r2);
}

/* KiB of field ("Rss:", "FilePmdMapped:") of this process's mappings of dir's segment files (/proc/self/smaps: each
 * mapping whose path is in dir); -1 when smaps cannot be read. */
static long segment_smaps_kib(const char *dir, const char *field)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL)
        return -1;
    char line[1024];
    bool in = false;
    long kib = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's header line: is it one of dir's segments? */
            in = strstr(line, dir) != NULL && strstr(line, "seg-") != NULL;
            continue;
        }
        if (in && strncmp(line, field, strlen(field)) == 0)
            kib += strtol(line + strlen(field), NULL, 10);
    }
    fclose(f);
    return kib;
}

static long segment_rss_kib(const char *dir) { return segment_smaps_kib(dir, "Rss:"); }

static void value_of(char *v, size_t n, int i)
{
    for (size_t k = 0; k + 1 < n; k++)
        v[k] = (char)('a' + (i * 7 + (int)k) % 26);
    v[n - 1] = '\0';
}

/* How many of objects <prefix>00000.. <prefix>(n-1) of class cls do not read back entry "v" as value_of(vl + 1, i) */
static int wrong_values(ostore *s, const char *cls, char prefix, int n, size_t vl)
{
    char id[32], *val = malloc(vl + 1);
    if (val == NULL)
        return n;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "%c%05d", prefix, i);
        value_of(val, vl + 1, i);
        bad += !entry_is(s, cls, id, "v", val);
    }
    free(val);
    return bad;
}

/* Pages of small records are unmapped from the process once the writer is past them (os_seg_unmap_behind): the
 * segment's resident mapping stays near the prefault window however much is written, and every value still reads
 * back — in the same handle (the pages map again), after a crash without close and after a reopen. With the log in
 * 4 KiB folios (OSTORE_HUGE_LOG=0): 2 MiB folios are left mapped (test_bulk_log_...). */
static void test_written_pages_are_unmapped_behind_the_writer(const char *dir)
{
    enum { N = 6144, VL = 1000 }; /* 6 MiB of one-object records, each below OS_PWRITE_MIN: copied into the mapping */
    char val[VL + 1], id[32];
    pid_t pid = fork();
    if (pid == 0) {
        ostore *s = open_switched(dir, "OSTORE_HUGE_LOG", 1); /* 4 KiB pages: 2 MiB folios stay mapped (below) */
        if (!s)
            _exit(3);
        for (int i = 0; i < N; i++) {
            snprintf(id, sizeof id, "u%05d", i);
            value_of(val, sizeof val, i);
            if (put1(s, "U", id, "v", val) != OSTORE_OK)
                _exit(4);
        }
        long rss = segment_rss_kib(dir);
        fprintf(stderr, "  segment mapping resident after %d KiB written: %ld KiB\n", N * (VL + 24) / 1024, rss);
        if (rss < 0 || rss > 2048) /* ahead: OS_PREFAULT; behind: up to OS_UNMAP_BEHIND; not the 6 MiB written */
            _exit(5);
        if (wrong_values(s, "U", 'u', N, VL) != 0)
            _exit(6);
        if (ostore_sync(s) != OSTORE_OK)
            _exit(7);
        _exit(0); /* no close: the next open replays the log */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    for (int round = 0; round < 2; round++) { /* replay after the crash, then from the checkpoint close wrote */
        ostore *s = open_store(dir);
        if (!s) { CHECK(0); return; }
        CHECK(wrong_values(s, "U", 'u', N, VL) == 0);
        close_store(s);
    }
}

/* The pages thread (pages.c) populates the writer's next log pages and unmaps the ones behind it: with 1 MiB
 * segments its jobs cross rollovers and a compaction's swap of the log (the writer waits for it to be idle
 * before finishing or unmapping a segment), and every
 * value reads back in the same handle and after a reopen. OSTORE_PAGES_AHEAD=0 leaves the work to the writer:
 * no thread, no job, the same data. */
static void test_log_pages_are_populated_and_unmapped_by_their_own_thread(const char *dir)
{
    enum { N = 12000, VL = 300 }; /* ~3.7 MiB of one-object records below OS_PWRITE_MIN: 3 rollovers or more */
    char val[VL + 1], id[32];
    for (int ahead = 1; ahead >= 0; ahead--) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/ahead%d", dir, ahead);
        CHECK(mkdir(sub, 0755) == 0);
        if (!ahead)
            setenv("OSTORE_PAGES_AHEAD", "0", 1);
        ostore *s = open_opts(sub, 1u << 20, 0, NULL);
        unsetenv("OSTORE_PAGES_AHEAD");
        if (!s) { CHECK(0); return; }
        os_pages_test_wait = ahead; /* the thread takes every window, however busy the machine (touched below) */
        for (int i = 0; i < N; i++) {
            snprintf(id, sizeof id, "p%05d", i);
            value_of(val, sizeof val, i);
            CHECK_RC(put1(s, "P", id, "v", val), OSTORE_OK);
            if (i % 4000 == 3999) /* a sync: the window ahead starts again from one page */
                CHECK_RC(ostore_sync(s), OSTORE_OK);
            if (i == 6000) /* a compaction swaps the whole log, the pages thread's segment with it */
                CHECK_RC(ostore_compact(s), OSTORE_OK);
        }
        os_pages_test_wait = false;
        ostore_stats st;
        ostore_stats_get(s, &st);
        CHECK(st.segments >= 3);
        uint64_t jobs = atomic_load(&s->pages.jobs), requests = atomic_load(&s->pages.requests);
        fprintf(stderr, "  pages ahead %s: %llu jobs handed over, %llu done, %llu pages touched, %llu segments\n",
                ahead ? "on" : "off", (unsigned long long)requests, (unsigned long long)jobs,
                (unsigned long long)atomic_load(&s->pages.touched), (unsigned long long)st.segments);
        if (ahead) {
            CHECK(s->pages.live);
            CHECK(requests >= 10); /* windows ahead and ranges behind, in every segment */
            os_pages_idle(&s->pages);
            CHECK(atomic_load(&s->pages.jobs) == requests); /* every job handed over was done */
#if defined(__x86_64__) || defined(__aarch64__)
            /* the windows' pages were read once on the thread (the first access, which costs a hypervisor exit
             * on PVM guests, not left to the writer's copy): at least the 3.7 MiB written, less the pages the
             * writer populated itself after each sync */
            CHECK(atomic_load(&s->pages.touched) >= 512);
#endif
        } else {
            CHECK(!s->pages.live);
            CHECK(requests == 0 && jobs == 0 && atomic_load(&s->pages.touched) == 0);
        }
        CHECK(wrong_values(s, "P", 'p', N, VL) == 0);
        close_store(s);
        s = open_opts(sub, 1u << 20, 0, NULL);
        if (!s) { CHECK(0); return; }
        CHECK(wrong_values(s, "P", 'p', N, VL) == 0);
        close_store(s);
    }
}

/* sectors written so far by the block device that holds path (/sys/dev/block/M:m/stat, field 7); -1 when unknown
 * (no such device: tmpfs, overlay) */
static long long device_sectors_written(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    char p[128];
    snprintf(p, sizeof p, "/sys/dev/block/%u:%u/stat", major(st.st_dev), minor(st.st_dev));
    FILE *f = fopen(p, "r");
    if (f == NULL)
        return -1;
    long long v[7];
    int got = 0;
    for (int i = 0; i < 7 && fscanf(f, "%lld", &v[i]) == 1; i++)
        got++;
    fclose(f);
    return got == 7 ? v[6] : -1;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* A writer that does not sync has its log made of 2 MiB page-cache folios ahead of it by the pages thread (segment.c,
 * os_seg_huge_ahead), where the kernel and filesystem make them (the thread's first job tells; otherwise the feature
 * turns itself off): its own mapping and, after a reopen, a reader's map the log with 2 MiB entries; large records are
 * copied into such folios instead of written with pwritev; every value reads back in the same handle and after a
 * reopen, and with OSTORE_HUGE_LOG=0 nothing is asked of the thread and the same data reads back. */
static void test_bulk_log_is_made_of_2mib_folios_ahead_of_the_writer(const char *dir)
{
    enum { N = 36000, VL = 300, M = 48, PER = 64 }; /* ~12 MiB of one-object records, then 48 records of ~21 KiB */
    char val[VL + 1], id[32];
    for (int huge = 1; huge >= 0; huge--) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/huge%d", dir, huge);
        CHECK(mkdir(sub, 0755) == 0);
        ostore *s = open_switched(sub, "OSTORE_HUGE_LOG", !huge);
        if (!s) { CHECK(0); return; }
        os_pages_test_wait = true; /* the thread takes every job, however busy the machine */
        for (int i = 0; i < N; i++) {
            snprintf(id, sizeof id, "h%05d", i);
            value_of(val, sizeof val, i);
            CHECK_RC(put1(s, "H", id, "v", val), OSTORE_OK);
        }
        for (int b = 0; b < M; b++) { /* batches past OS_PWRITE_MIN: copied where the folios were made */
            bb x;
            bb_init(&x);
            for (int k = 0; k < PER; k++) {
                snprintf(id, sizeof id, "g%05d", b * PER + k);
                value_of(val, sizeof val, b * PER + k);
                bb_obj(&x, "G", id, OSTORE_ANY_VERSION);
                bb_puts(&x, "v", val);
            }
            CHECK_RC(write_bb(s, &x), OSTORE_OK);
            bb_free(&x);
        }
        os_pages_test_wait = false;
        os_pages_idle(&s->pages);
        bool made = atomic_load(&s->pages.huge_on);
        uint64_t jobs = atomic_load(&s->pages.huge_jobs);
        long pmd = segment_smaps_kib(sub, "FilePmdMapped:");
        fprintf(stderr, "  huge log %s: %s, %llu jobs, %llu KiB made by the first, %ld KiB of the log mapped by 2 MiB "
                "entries\n", huge ? "on" : "off", made ? "made" : "not made here", (unsigned long long)jobs,
                (unsigned long long)(atomic_load(&s->pages.huge_made) >> 10), pmd);
        os_seg *g = s->log.segs[s->log.n - 1];
        uint64_t done = atomic_load(&g->huge_done), below = g->end & ~(OS_HUGE - 1);
        bool whole = (done < below ? done : below) > g->huge_lo; /* a 2 MiB folio the close's truncation leaves whole */
        fprintf(stderr, "  %llu large records copied into 2 MiB folios\n", (unsigned long long)s->huge_copies);
        if (huge && made) {
            CHECK(jobs >= 2);
            CHECK(g->huge_asked > 0);
            CHECK(whole);
            CHECK(s->huge_copies > 0); /* the ~21 KiB records that fell where the folios were made */
            CHECK(pmd >= 2048); /* the writer's copies into the folios made ahead, mapped whole */
        } else {
            CHECK(jobs == 0);
            CHECK(s->huge_copies == 0); /* large records pwritev'd, as before */
            if (!huge)
                CHECK(s->log.segs[s->log.n - 1]->huge_asked == 0);
        }
        CHECK(wrong_values(s, "H", 'h', N, VL) == 0);
        CHECK(wrong_values(s, "G", 'g', M * PER, VL) == 0);
        close_store(s);
        s = open_store(sub);
        if (!s) { CHECK(0); return; }
        CHECK(wrong_values(s, "H", 'h', N, VL) == 0);
        CHECK(wrong_values(s, "G", 'g', M * PER, VL) == 0);
        long rpmd = segment_smaps_kib(sub, "FilePmdMapped:");
        fprintf(stderr, "  after a reopen: %ld KiB of the log mapped by 2 MiB entries\n", rpmd);
        if (huge && made && whole)
            CHECK(rpmd >= 2048); /* a reader maps the folios the writer's process had made whole */
        close_store(s);
    }
}

/* A bulk writer of large records (copied into the 2 MiB folios made ahead) has the folio after the one it fills mapped
 * writable by the pages thread once it is half way through (os_seg_huge_prefault), so its copies into that folio take
 * no page fault of its own thread; and a sync makes only the log up to the end durable (os_seg_sync_range): the folio
 * ahead stays dirty and mapped writable (it is not written as zeros), and every value reads back after a reopen. */
static void test_bulk_writer_finds_the_next_2mib_folio_mapped_and_a_sync_leaves_it(const char *dir)
{
    enum { VL = 300, PER = 64, MAXB = 3000 }; /* batches of ~21 KiB, past OS_PWRITE_MIN */
    char val[VL + 1], id[32];
    static int seed_of[40 * PER]; /* each object's last value: value_of(..., seed) */
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    os_pages_test_wait = true;
    int b = 0;
    os_seg *g = NULL;
    uint64_t next_end = 0;
    for (; b < MAXB; b++) {
        bb x;
        bb_init(&x);
        for (int k = 0; k < PER; k++) { /* the same ids again and again after the first rounds: no index growth */
            int o = (b % 40) * PER + k;
            snprintf(id, sizeof id, "f%05d", o);
            value_of(val, sizeof val, seed_of[o] = o + b);
            bb_obj(&x, "F", id, OSTORE_ANY_VERSION);
            bb_puts(&x, "v", val);
        }
        CHECK_RC(write_bb(s, &x), OSTORE_OK);
        bb_free(&x);
        os_pages_idle(&s->pages);
        g = s->log.segs[s->log.n - 1];
        next_end = ((g->end - 1) & ~(OS_HUGE - 1)) + 2 * OS_HUGE;
        if (!atomic_load(&s->pages.huge_on))
            break;
        if (b >= 200 && g->faulted >= next_end && s->huge_copies > 0)
            break;
    }
    os_pages_test_wait = false;
    if (!atomic_load(&s->pages.huge_on)) {
        fprintf(stderr, "  2 MiB folios not made here: nothing to check but the values\n");
    } else {
        CHECK(b < MAXB); /* the next folio was asked for before the writer got there */
        long dirty0 = segment_smaps_kib(dir, "Private_Dirty:") + segment_smaps_kib(dir, "Shared_Dirty:");
        CHECK_RC(ostore_sync(s), OSTORE_OK);
        long dirty1 = segment_smaps_kib(dir, "Private_Dirty:") + segment_smaps_kib(dir, "Shared_Dirty:");
        /* the writer crosses into the next folio (the first batch after the sync, still in the folio the sync wrote
         * back, takes that folio's one write fault: not counted) */
        struct rusage r0, r1;
        uint64_t crossed_at = g->end;
        int more = 0;
        while (g == s->log.segs[s->log.n - 1] && g->end < next_end - OS_HUGE + 64 * 1024 && more < 200) {
            bb x;
            bb_init(&x);
            for (int k = 0; k < PER; k++) {
                int o = (more % 40) * PER + k;
                snprintf(id, sizeof id, "f%05d", o);
                value_of(val, sizeof val, seed_of[o] = o + b + 1 + more);
                bb_obj(&x, "F", id, OSTORE_ANY_VERSION);
                bb_puts(&x, "v", val);
            }
            CHECK_RC(write_bb(s, &x), OSTORE_OK);
            bb_free(&x);
            if (more++ == 0)
                getrusage(RUSAGE_THREAD, &r0);
        }
        getrusage(RUSAGE_THREAD, &r1);
        long faults = r1.ru_minflt - r0.ru_minflt + r1.ru_majflt - r0.ru_majflt;
        fprintf(stderr, "  %d batches to the second half of a folio with the next asked for; log dirty %ld KiB before "
                "a sync, %ld KiB after; %d batches from %llu into the next folio took %ld page faults\n", b, dirty0,
                dirty1, more, (unsigned long long)crossed_at, faults);
        CHECK(dirty1 >= 2048); /* the folio ahead: not written back by the sync */
        CHECK(dirty1 < dirty0); /* what the sync covered was */
        CHECK(g->end >= next_end - OS_HUGE); /* it did cross */
        CHECK(more > 1 && (crossed_at & ~(OS_HUGE - 1)) + OS_HUGE == next_end - OS_HUGE);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
        CHECK(faults == 0); /* (a sanitizer's shadow memory faults on its own) */
#endif
    }
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    for (int o = 0; o < 40 * PER; o++) {
        snprintf(id, sizeof id, "f%05d", o);
        char out[VL + 16];
        size_t len = 0;
        value_of(val, sizeof val, seed_of[o]);
        CHECK_RC(ostore_get_entry(s, "F", 1, id, strlen(id), "v", 1, out, sizeof out, &len, NULL), OSTORE_OK);
        CHECK(len == VL && memcmp(out, val, VL) == 0);
    }
    close_store(s);
}

/* A copy into a 2 MiB folio through the mapping dirties the whole folio, so a sync after it writes 2 MiB. A writer
 * that turns from bulk to syncing after every record therefore writes the records that meet the folios made ahead
 * with pwrite (os_seg_by_pwrite), which dirties only the blocks written: the device writes a few KiB per such record
 * and sync, not 2 MiB (the median over those records of the sectors written by the device that holds the store, so
 * that other writers on the machine do not count), no more folios are asked for, and every value reads back after a
 * reopen. A writer that syncs after every record from the start never asks for them. */
static void test_writer_that_syncs_often_dirties_only_what_it_writes(const char *dir)
{
    enum { BULK = 30000, SYNCED = 2000, VL = 300 };
    char val[VL + 1], id[32];
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    os_pages_test_wait = true;
    for (int i = 0; i < BULK; i++) { /* ~10 MiB without a sync: bulk, folios ahead */
        snprintf(id, sizeof id, "b%05d", i);
        value_of(val, sizeof val, i);
        CHECK_RC(put1(s, "B", id, "v", val), OSTORE_OK);
    }
    os_pages_test_wait = false;
    os_pages_idle(&s->pages);
    bool made = atomic_load(&s->pages.huge_on) && atomic_load(&s->pages.huge_jobs) > 0;
    os_seg *g = s->log.segs[s->log.n - 1];
    uint64_t asked = g->huge_asked, jobs = atomic_load(&s->pages.huge_jobs);
    long long *met = calloc(SYNCED, sizeof *met);
    int nmet = 0;
    for (int i = 0; i < SYNCED; i++) {
        os_seg *w = s->log.segs[s->log.n - 1];
        bool in_run = w->end >= w->huge_lo && w->end < w->huge_asked; /* this record lands among the folios made */
        long long d0 = device_sectors_written(dir);
        snprintf(id, sizeof id, "s%05d", i);
        value_of(val, sizeof val, i);
        CHECK_RC(put1(s, "S", id, "v", val), OSTORE_OK);
        CHECK_RC(ostore_sync(s), OSTORE_OK);
        long long d1 = device_sectors_written(dir);
        if (in_run && d0 >= 0 && d1 >= d0 && met != NULL)
            met[nmet++] = (d1 - d0) * 512;
    }
    bool reached = g == s->log.segs[s->log.n - 1] && g->end > g->huge_lo && g->huge_asked > g->huge_lo;
    long long median = -1;
    if (nmet > 0) {
        qsort(met, (size_t)nmet, sizeof *met, cmp_ll);
        median = met[nmet / 2];
    }
    fprintf(stderr, "  %s (end %llu, run %llu-%llu); %llu small records written with pwrite as they met it; %d records "
            "landed in it, the device wrote a median %lld bytes for each and its sync\n", made ? "2 MiB folios made ahead" : "no 2 MiB folios "
            "here", (unsigned long long)g->end, (unsigned long long)g->huge_lo, (unsigned long long)g->huge_asked,
            (unsigned long long)s->huge_pwrites, nmet, median);
    if (made) {
        CHECK(asked > 0);
        CHECK(g->huge_asked == asked); /* nothing more asked once it syncs often */
        CHECK(atomic_load(&s->pages.huge_jobs) == jobs);
        CHECK(reached);                /* the records went past the start of the folios made */
        CHECK(s->huge_pwrites >= 100); /* the ones that met them */
        if (nmet >= 50)
            CHECK(median < 512 * 1024); /* not a 2 MiB folio per sync */
    } else {
        CHECK(s->huge_pwrites == 0);
    }
    free(met);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(wrong_values(s, "B", 'b', BULK, VL) == 0);
    CHECK(wrong_values(s, "S", 's', SYNCED, VL) == 0);
    close_store(s);

    char sub[4096]; /* synced after every record from the first: never bulk */
    snprintf(sub, sizeof sub, "%s/synced", dir);
    CHECK(mkdir(sub, 0755) == 0);
    s = open_store(sub);
    if (!s) { CHECK(0); return; }
    for (int i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "s%05d", i);
        value_of(val, sizeof val, i);
        CHECK_RC(put1(s, "S", id, "v", val), OSTORE_OK);
        CHECK_RC(ostore_sync(s), OSTORE_OK);
    }
    CHECK(s->log.segs[s->log.n - 1]->huge_asked == 0);
    CHECK(atomic_load(&s->pages.huge_jobs) == 0);
    CHECK(s->huge_pwrites == 0);
    CHECK(wrong_values(s, "S", 's', 2000, VL) == 0);
    close_store(s);
}

static void *close_in_thread(void *arg)
{
    return (void *)(intptr_t)ostore_close(arg, NULL, 0);
}

/* The close gives back the last segment's unused tail (ftruncate to the end written); the pages thread may be
 * populating or touching a window of that tail at that moment, and a touch past the file's end is a SIGBUS (seen in
 * ~1 of 40 runs of this suite, the core's thread in pages_main while the main thread was in ostore_close's
 * ftruncate). Here the thread is held between a window's populate and its touch (os_pages_test_hold) while another
 * thread closes the store: the file must still cover the window until the thread is let go. */
static void test_close_truncates_the_log_only_once_the_pages_thread_is_idle(const char *dir)
{
    ostore *s = open_opts(dir, 8u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    char id[32], val[200 + 1];
    atomic_store(&os_pages_test_hold, 1);
    int n = 0;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (; s->pages.on && n < 20000 && atomic_load(&os_pages_test_held_to) == 0; n++) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec - t0.tv_sec > 10) /* a kernel that refuses MADV_POPULATE_WRITE: no window is ever held */
            break;
        snprintf(id, sizeof id, "h%05d", n);
        value_of(val, sizeof val, n);
        CHECK_RC(put1(s, "H", id, "v", val), OSTORE_OK);
        for (int k = 0; k < 500 && atomic_load(&os_pages_test_held_to) == 0; k++)
            usleep(100); /* the thread takes the window this write asked for, if any: no write beyond it */
    }
    uint64_t held_to = atomic_load(&os_pages_test_held_to);
    if (held_to == 0) { /* no pages thread, or no window it could populate here: nothing to prove */
        fprintf(stderr, "  no window held after %d writes: pages ahead %s\n", n, s->pages.on ? "on" : "off");
        CHECK(atomic_load(&s->pages.touched) == 0); /* a window touched while held would be a hook that does not hold */
        atomic_store(&os_pages_test_hold, 0);
        close_store(s);
        return;
    }
    int fd = s->log.segs[s->log.n - 1]->fd;
    uint64_t end = s->log.segs[s->log.n - 1]->end;
    pthread_t closer;
    CHECK(pthread_create(&closer, NULL, close_in_thread, s) == 0);
    usleep(100 * 1000); /* the close has long reached its ftruncate, unless it waits for the thread */
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    bool covered = (uint64_t)st.st_size >= held_to;
    fprintf(stderr, "  window held to %llu of the last segment (end %llu): file %lld bytes while the close waits\n",
            (unsigned long long)held_to, (unsigned long long)end, (long long)st.st_size);
    CHECK(held_to > end); /* the window is in the tail the close gives back */
    CHECK(covered);
    atomic_store(&os_pages_test_hold, covered ? 0 : 2); /* truncated: no touch, no SIGBUS, the test has failed */
    void *rc = NULL;
    pthread_join(closer, &rc);
    CHECK((intptr_t)rc == OSTORE_OK);
    s = open_opts(dir, 8u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    CHECK(wrong_values(s, "H", 'h', n, 200) == 0);
    close_store(s);
}

static void test_crash_without_close(const char *dir)
{
    /* a child writes and dies without closing (no checkpoint at close); the parent recovers */
    pid_t pid = fork();
    if (pid == 0) {
        ostore *s = open_store(dir);
        if (!s)
            _exit(3);
        workload(s, 100, 6, 1234);
        _exit(cur_fail ? 4 : 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the same workload in a reference store */
    char *ref = tmp_dir("ref");
    ostore *r = open_store(ref);
    ostore *s = open_store(dir);
    CHECK(r != NULL && s != NULL);
    if (r && s) {
        workload(r, 100, 6, 1234);
        CHECK(state_of(s) == state_of(r));
        CHECK(last_seq(s) == 100);
    }
    if (r) close_store(r);
    if (s) close_store(s);
    rm_rf(ref);
    free(ref);
}

static void test_torn_tail(const char *dir)
{
    char *ref = tmp_dir("ref");
    ostore *s = open_store(dir);
    ostore *r = open_store(ref);
    if (!s || !r) { CHECK(0); return; }
    workload(s, 50, 5, 42);
    workload(r, 49, 5, 42);
    uint64_t d49 = state_of(r);
    workload(r, 1, 5, 42 * 0 + 0); /* unused afterwards */
    close_store(r);
    rm_rf(ref);
    free(ref);
    uint64_t d50 = state_of(s);
    close_store(s);
    char segs[8][512];
    int ns = list_segs(dir, segs, 8);
    CHECK(ns == 1);
    long offs[256];
    int nr = rec_offsets(segs[0], offs, 256);
    CHECK(nr == 50);
    long size = file_size(segs[0]);
    /* garbage appended after the last record: checkpoint still valid, tail zeroed */
    {
        int fd = open(segs[0], O_WRONLY | O_APPEND);
        char junk[300];
        for (int i = 0; i < 300; i++)
            junk[i] = (char)(i * 37 + 11);
        CHECK(write(fd, junk, sizeof junk) == (ssize_t)sizeof junk);
        close(fd);
        s = open_store(dir);
        if (!s) { CHECK(0); return; }
        ostore_stats ts;
        ostore_stats_get(s, &ts);
        CHECK(ts.torn_tail_bytes == 300); /* the cut is reported: the junk's bytes, not the zero tail */
        char msg[512];
        ostore_last_error(s, msg, sizeof msg); /* read before any later failure replaces it */
        CHECK(strstr(msg, "cut a torn tail of 300 bytes") != NULL && strstr(msg, segs[0]) != NULL);
        CHECK(state_of(s) == d50);
        CHECK(last_seq(s) == 50);
        close_store(s);
        CHECK(file_size(segs[0]) == size);
        s = open_store(dir); /* the next open finds a clean end */
        if (s) {
            ostore_stats_get(s, &ts);
            CHECK(ts.torn_tail_bytes == 0);
            close_store(s);
        }
    }
    /* the same without a checkpoint */
    {
        int fd = open(segs[0], O_WRONLY | O_APPEND);
        char junk[100];
        memset(junk, 0x33, sizeof junk);
        CHECK(write(fd, junk, sizeof junk) == (ssize_t)sizeof junk);
        close(fd);
        char ck[600];
        path_in(ck, sizeof ck, dir, "index.ckpt");
        unlink(ck);
        s = open_store(dir);
        if (!s) { CHECK(0); return; }
        CHECK(state_of(s) == d50);
        close_store(s);
    }
    /* truncate in the middle of the last record of a cleanly closed store: below the durable point the
     * checkpoint recorded, so corruption naming file and offset, never a silent cut (issue 10) */
    size = file_size(segs[0]);
    nr = rec_offsets(segs[0], offs, 256);
    CHECK(nr == 50);
    long cut = offs[49] + (size - offs[49]) / 2;
    CHECK(truncate(segs[0], cut) == 0);
    {
        char err[512];
        ostore_options o;
        ostore_options_init(&o);
        ostore *t = NULL;
        CHECK_RC(ostore_open(dir, &o, &t, err, sizeof err), OSTORE_CORRUPT);
        char want[64];
        snprintf(want, sizeof want, "offset %ld", cut);
        CHECK(t == NULL && strstr(err, segs[0]) != NULL && strstr(err, want) != NULL);
    }
    /* without the checkpoint there is no durable point: the same cut is a torn tail (as after a crash
     * during the last write) */
    {
        char ck[600];
        path_in(ck, sizeof ck, dir, "index.ckpt");
        CHECK(unlink(ck) == 0);
    }
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(state_of(s) == d49);
    CHECK(last_seq(s) == 49);
    /* appends continue at the torn position */
    CHECK_RC(put1(s, "com.example.A", "after", "f", "torn"), OSTORE_OK);
    CHECK(last_seq(s) == 50);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(entry_is(s, "com.example.A", "after", "f", "torn"));
    close_store(s);
    /* torn header of the last record (cut inside the 32-byte header), no checkpoint */
    nr = rec_offsets(segs[0], offs, 256);
    CHECK(truncate(segs[0], offs[nr - 1] + 12) == 0);
    {
        char ck[600];
        path_in(ck, sizeof ck, dir, "index.ckpt");
        CHECK(unlink(ck) == 0);
    }
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(state_of(s) == d49);
    close_store(s);
}

static void test_corrupt_middle(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    workload(s, 30, 4, 5);
    close_store(s);
    char segs[8][512];
    CHECK(list_segs(dir, segs, 8) == 1);
    long offs[64];
    int nr = rec_offsets(segs[0], offs, 64);
    CHECK(nr == 30);
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    unlink(ck);
    flip_byte(segs[0], offs[15] + 40);
    int rc;
    s = open_opts(dir, 0, 0, &rc);
    CHECK(rc == OSTORE_CORRUPT && s == NULL);
    char err[512];
    ostore_options o;
    ostore_options_init(&o);
    rc = ostore_open(dir, &o, &s, err, sizeof err);
    CHECK(rc == OSTORE_CORRUPT);
    char want[64];
    snprintf(want, sizeof want, "offset %ld", offs[15]);
    CHECK(strstr(err, segs[0]) != NULL);
    CHECK(strstr(err, want) != NULL);
    /* read-only + repair: opens without touching files */
    s = open_opts(dir, 0, OSTORE_OPEN_READ_ONLY | OSTORE_OPEN_REPAIR, &rc);
    CHECK(rc == OSTORE_OK);
    if (s) {
        CHECK(last_seq(s) == 15);
        close_store(s);
    }
    s = open_opts(dir, 0, OSTORE_OPEN_REPAIR, &rc);
    CHECK(rc == OSTORE_OK);
    if (!s)
        return;
    CHECK(last_seq(s) == 15);
    uint64_t d = state_of(s);
    CHECK_RC(put1(s, "com.example.B", "post", "f", "repair"), OSTORE_OK);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(last_seq(s) == 16);
    CHECK(entry_is(s, "com.example.B", "post", "f", "repair"));
    close_store(s);
    (void)d;
}

static void test_zeroed_page(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    workload(s, 300, 6, 77);
    close_store(s);
    char segs[8][512];
    CHECK(list_segs(dir, segs, 8) == 1);
    long size = file_size(segs[0]);
    CHECK(size > 5 * 4096);
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    unlink(ck);
    static char zero[4096];
    write_at(segs[0], 2 * 4096, zero, sizeof zero);
    int rc;
    s = open_opts(dir, 0, 0, &rc);
    CHECK(rc == OSTORE_CORRUPT && s == NULL);
    if (s) close_store(s);
    s = open_opts(dir, 0, OSTORE_OPEN_REPAIR, &rc);
    CHECK(rc == OSTORE_OK && s != NULL);
    if (s) {
        CHECK(last_seq(s) > 0 && last_seq(s) < 300);
        close_store(s);
    }
}

/* LEB128 varint as the version-3 and 4 checkpoints write it (FORMAT.md, "Checkpoint file") */
static long put_varint_t(uint8_t *p, uint64_t v)
{
    long n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static long get_varint_t(const uint8_t *b, long at, uint64_t *v)
{
    *v = 0;
    for (int sh = 0; sh < 64; sh += 7) {
        uint8_t x = b[at++];
        *v |= (uint64_t)(x & 0x7f) << sh;
        if (!(x & 0x80))
            break;
    }
    return at;
}

/* File offsets in a version-4 checkpoint (an intact one, as written): the class_ref varint of the first object,
 * and the name_len, segment, offset_delta and value_len varints of the first entry of the first object that
 * has one, and the end of that entry; *nt_at (when not NULL) the offset of that object's entry-count varint. */
static bool ckpt_first_entry_of(const uint8_t *b, long n, long *cls_at, long *ent_at, long *k_at, long *dz_at,
                                long *vl_at, long *end_at, long *nt_at)
{
    uint32_t ver, nsegs;
    memcpy(&ver, b + 8, 4);
    memcpy(&nsegs, b + 12, 4);
    if (ver < 4)
        return false;
    long p = 64 + 32 * (long)nsegs;
    for (uint32_t k = 0; k < nsegs; k++) {
        uint64_t nrec;
        memcpy(&nrec, b + 64 + 32 * k + 16, 8);
        p += 8 * (long)nrec;
    }
    *cls_at = p;
    while (p < n - 16) {
        uint64_t cl, il, vv, nt, nl, x;
        p = get_varint_t(b, p, &cl);
        p += (long)cl;
        p = get_varint_t(b, p, &il);
        p = get_varint_t(b, p, &vv);
        long at_nt = p;
        p = get_varint_t(b, p, &nt);
        p += (long)il;
        if ((nt >> 1) == 0)
            continue;
        if (nt_at != NULL)
            *nt_at = at_nt;
        *ent_at = p;
        p = get_varint_t(b, p, &nl);
        p += (long)nl;
        *k_at = p;
        *dz_at = get_varint_t(b, p, &x);
        *vl_at = get_varint_t(b, *dz_at, &x);
        *end_at = get_varint_t(b, *vl_at, &x);
        return true;
    }
    return false;
}

static bool ckpt_first_entry(const uint8_t *b, long n, long *cls_at, long *ent_at, long *k_at, long *dz_at,
                             long *vl_at, long *end_at)
{
    return ckpt_first_entry_of(b, n, cls_at, ent_at, k_at, dz_at, vl_at, end_at, NULL);
}

/* A store in dir written by workload(120, 6, seed) and closed, its index.ckpt (path ck) copied to good.ckpt (path
 * good): what the corrupt-checkpoint tests start from. Returns the store's state digest; *size is the checkpoint's
 * length. */
static uint64_t checkpointed_store(const char *dir, unsigned seed, char *ck, char *good, size_t cap, long *size)
{
    ostore *s = open_store(dir);
    if (!s) {
        CHECK(0);
        *size = 0;
        return 0;
    }
    workload(s, 120, 6, seed);
    uint64_t d0 = state_of(s);
    close_store(s);
    path_in(ck, cap, dir, "index.ckpt");
    path_in(good, cap, dir, "good.ckpt");
    CHECK(copy_file(ck, good) == 0);
    *size = file_size(good);
    return d0;
}

/* objects "w<i>" of class "W", each with 1 + i % 11 entries "e<k>" = "<i>-<k>-<round>", from..to in batches of 1000 */
static void put_wide(ostore *s, int from, int to, int round)
{
    bb b;
    bb_init(&b);
    char id[32], name[16], val[48];
    for (int i = from; i < to; i += 1000) {
        bb_reset(&b);
        for (int j = i; j < to && j < i + 1000; j++) {
            snprintf(id, sizeof id, "w%d", j);
            bb_obj(&b, "W", id, OSTORE_ANY_VERSION);
            for (int k = 0; k < 1 + j % 11; k++) {
                snprintf(name, sizeof name, "e%d", k);
                snprintf(val, sizeof val, "%d-%d-%d", j, k, round);
                bb_puts(&b, name, val);
            }
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_free(&b);
}

/* how many entries of objects from..to do not read back as put_wide wrote them in `round` */
static int wide_mismatches(ostore *s, int from, int to, int round)
{
    int bad = 0;
    char id[32], name[16], want[48], got[64];
    for (int j = from; j < to; j++) {
        snprintf(id, sizeof id, "w%d", j);
        for (int k = 0; k < 1 + j % 11; k++) {
            snprintf(name, sizeof name, "e%d", k);
            snprintf(want, sizeof want, "%d-%d-%d", j, k, round);
            if (get_str(s, "W", id, name, got, sizeof got, NULL) != OSTORE_OK || strcmp(got, want) != 0)
                bad++;
        }
    }
    return bad;
}

/* A checkpoint of three slab chunks' worth of objects, 1 to 11 entries each, loads in bulk (os_index_load_begin):
 * every entry reads back after the open; new objects (a new slab chunk) and overwrites that grow entry arrays
 * (arena chunks) after it read back too, also after another checkpointed reopen. */
static void test_bulk_load_of_several_slab_chunks_reads_back_every_entry(const char *dir)
{
    const int n = 3 * (int)OS_OBJ_CHUNK + 123;
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    put_wide(s, 0, n, 0);
    ostore_stats st0, st1;
    ostore_stats_get(s, &st0);
    close_store(s);
    s = open_store(dir); /* from the checkpoint, in bulk */
    if (!s) { CHECK(0); return; }
    ostore_stats_get(s, &st1);
    CHECK(st1.objects == st0.objects && st1.entries == st0.entries && st1.live_bytes == st0.live_bytes);
    CHECK(wide_mismatches(s, 0, n, 0) == 0);
    put_wide(s, n, n + (int)OS_OBJ_CHUNK, 1);   /* new objects: a new slab chunk */
    put_wide(s, 0, n / 2, 2);                   /* overwrites; every eleventh object grows an array */
    CHECK(wide_mismatches(s, n, n + (int)OS_OBJ_CHUNK, 1) == 0);
    CHECK(wide_mismatches(s, 0, n / 2, 2) == 0 && wide_mismatches(s, n / 2, n, 0) == 0);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(wide_mismatches(s, 0, n / 2, 2) == 0 && wide_mismatches(s, n / 2, n, 0) == 0);
    CHECK(wide_mismatches(s, n, n + (int)OS_OBJ_CHUNK, 1) == 0);
    close_store(s);
}

/* waits (up to 10 s) until the index's chunk thread (ahead.c) is not running; false when it still is */
static bool ahead_settled(ostore *s)
{
    for (int i = 0; i < 10000 && atomic_load(&s->idx->ahead.busy); i++)
        usleep(1000);
    return !atomic_load(&s->idx->ahead.busy);
}

/* Objects written a slab chunk's worth at a time: from the second slab chunk on, each comes made ahead by
 * ahead.c's thread (the test waits for the thread between rounds, so the count is exact), full-size arena chunks
 * are taken too, and every entry reads back, also after a reopen. With OSTORE_AHEAD=0 nothing is made ahead and
 * the same entries read back. */
static void test_index_chunks_made_ahead_are_taken_and_read_back(const char *dir)
{
    const int rounds = 4, per = (int)OS_OBJ_CHUNK;
    for (int off = 0; off <= 1; off++) {
        ostore *s = open_switched(dir, "OSTORE_AHEAD", off);
        if (!s) { CHECK(0); return; }
        for (int r = 0; r < rounds; r++) {
            put_wide(s, r * per, (r + 1) * per, 0);
            CHECK(ahead_settled(s));
        }
        os_ahead *a = &s->idx->ahead;
        uint64_t made = atomic_load(&a->made), taken = atomic_load(&a->taken);
        if (off) {
            CHECK(made == 0 && taken == 0);
        } else {
            /* slab chunks 2..rounds, plus the arena's full-size chunks; one made chunk may wait untaken */
            CHECK(taken >= (uint64_t)(rounds - 1));
            CHECK(made == taken || made == taken + 1);
        }
        CHECK(wide_mismatches(s, 0, rounds * per, 0) == 0);
        close_store(s);
        s = open_store(dir);
        if (!s) { CHECK(0); return; }
        CHECK(wide_mismatches(s, 0, rounds * per, 0) == 0);
        close_store(s);
        rm_rf(dir);
        CHECK(mkdir(dir, 0700) == 0);
    }
}

static void slow_ahead(void) { usleep(50 * 1000); }

/* A take while the thread is still making the chunk waits for that chunk instead of answering none (the writer would
 * then map and fault in one itself, its mmap waiting behind the thread's populate): with the thread held 50 ms before
 * it maps, the take right after the make gets a zeroed chunk and counts it taken; a take with none started answers
 * none and starts one. */
static void test_a_chunk_being_made_is_waited_for_not_mapped_again(const char *dir)
{
    (void)dir;
    os_ahead a;
    memset(&a, 0, sizeof a); /* as the index's, which is calloc'd */
    os_ahead_init(&a, "OSTORE_AHEAD_TEST_UNSET");
    CHECK(a.on);
    os_ahead_hook = slow_ahead;
    CHECK(os_ahead_take(&a) == NULL); /* none started: none, and the next one starts */
    uint8_t *c = os_ahead_take(&a);   /* well before that one is mapped */
    CHECK(c != NULL);
    CHECK(atomic_load(&a.taken) == 1 && atomic_load(&a.made) == 1);
    if (c != NULL) {
        CHECK(c[0] == 0 && c[OS_AHEAD_CHUNK / 2] == 0 && c[OS_AHEAD_CHUNK - 1] == 0);
        os_big_free(c, OS_AHEAD_CHUNK);
    }
    os_ahead_stop(&a); /* the take started another: joined and freed */
    os_ahead_hook = NULL;
    CHECK(!a.live && atomic_load(&a.ready) == NULL);
}

/* Objects of one entry, one class, ids n0..n<count-1>, in batches of 1000; the value of n<j> is "<j>-<round>". */
static void put_narrow(ostore *s, int from, int to, int round)
{
    bb b;
    bb_init(&b);
    char id[32], val[32];
    for (int i = from; i < to; i += 1000) {
        bb_reset(&b);
        for (int j = i; j < to && j < i + 1000; j++) {
            snprintf(id, sizeof id, "n%d", j);
            snprintf(val, sizeof val, "%d-%d", j, round);
            bb_obj(&b, "N", id, OSTORE_ANY_VERSION);
            bb_puts(&b, "v", val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_free(&b);
}

static int narrow_mismatches(ostore *s, int from, int to, int round)
{
    int bad = 0;
    char id[32], want[32], got[64];
    for (int j = from; j < to; j++) {
        snprintf(id, sizeof id, "n%d", j);
        snprintf(want, sizeof want, "%d-%d", j, round);
        if (get_str(s, "N", id, "v", got, sizeof got, NULL) != OSTORE_OK || strcmp(got, want) != 0)
            bad++;
    }
    return bad;
}

/* The slot table (from 65 536 slots on) doubles into a table a thread rebuilt ahead (regrow.c) and a class's object
 * list (from 131 072 objects on) into memory a thread made ahead (ahead.c): 140 000 one-entry objects grow the table
 * at 32 768, 65 536 and 131 072 objects and the list at 131 072, each from what was built ahead (a doubling waits for
 * its thread, so the counts are exact; with os_regrow_test_hold each doubling waits until its thread has taken every
 * object published since it started), and every object reads back, with a batch of overwrites and a delete after
 * the growth and after a reopen. With OSTORE_AHEAD_TABLES=0 nothing is built ahead and the same objects read back. */
static void test_slot_table_and_class_list_grow_into_tables_built_ahead(const char *dir)
{
    const int count = 140000;
    for (int off = 0; off <= 1; off++) {
        ostore *s = open_switched(dir, "OSTORE_AHEAD_TABLES", off);
        if (!s) { CHECK(0); return; }
        os_regrow_test_hold = !off;
        put_narrow(s, 0, count, 0);
        os_regrow_test_hold = false;
        os_regrow *slots = &s->idx->regrow;
        os_ahead *list = &s->idx->list_ahead;
        uint64_t smade = atomic_load(&slots->built), staken = atomic_load(&slots->taken);
        uint64_t lmade = atomic_load(&list->made), ltaken = atomic_load(&list->taken);
        fprintf(stderr, "  tables ahead %s: slot tables built %llu taken %llu (%llu objects in catch-up rounds), class lists"
                " made %llu taken %llu\n", off ? "off" : "on", (unsigned long long)smade, (unsigned long long)staken,
                (unsigned long long)atomic_load(&slots->caught_up), (unsigned long long)lmade, (unsigned long long)ltaken);
        if (off) {
            CHECK(smade == 0 && staken == 0 && lmade == 0 && ltaken == 0);
        } else {
            CHECK(staken == 3 && smade == 3); /* to 131 072, 262 144 and 524 288 slots; the next not yet wanted */
            /* every object published between a thread's start and its doubling, in its later rounds: started with 24 000,
             * 49 000 and 98 000 objects in the table (3/8 full), doubled with 32 000, 65 000 and 131 000 */
            CHECK(atomic_load(&slots->caught_up) == 8000 + 16000 + 33000);
            CHECK(ltaken == 1 && lmade == 1); /* to 262 144 objects */
        }
        CHECK(s->idx->mask + 1 == 524288);
        CHECK(narrow_mismatches(s, 0, count, 0) == 0);
        put_narrow(s, 0, count, 1); /* overwrites: the tables keep every object */
        bb b;
        bb_init(&b);
        bb_del_obj(&b, "N", "n7", OSTORE_ANY_VERSION);
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        bb_free(&b);
        CHECK(narrow_mismatches(s, 8, count, 1) == 0);
        CHECK(narrow_mismatches(s, 0, 7, 1) == 0);
        CHECK(narrow_mismatches(s, 7, 8, 1) == 1);
        uint64_t live = 0;
        CHECK_RC(ostore_count(s, "N", 1, 0, &live), OSTORE_OK);
        CHECK(live == (uint64_t)count - 1);
        close_store(s);
        s = open_store(dir);
        if (!s) { CHECK(0); return; }
        CHECK(narrow_mismatches(s, 8, count, 1) == 0);
        CHECK(narrow_mismatches(s, 7, 8, 1) == 1);
        CHECK_RC(ostore_count(s, "N", 1, 0, &live), OSTORE_OK);
        CHECK(live == (uint64_t)count - 1);
        close_store(s);
        rm_rf(dir);
        CHECK(mkdir(dir, 0700) == 0);
    }
}

static void test_corrupt_checkpoint(const char *dir)
{
    char ck[600], good[600];
    long size;
    uint64_t d0 = checkpointed_store(dir, 3, ck, good, sizeof ck, &size);
    ostore *s;
    CHECK(size > 200);
    for (int variant = 0; variant < 12; variant++) {
        CHECK(copy_file(good, ck) == 0);
        switch (variant) {
        case 0: flip_byte(ck, 100); break;          /* body byte */
        case 1: flip_byte(ck, 20); break;           /* header byte */
        case 2: CHECK(truncate(ck, size / 2) == 0); break;
        case 3: CHECK(truncate(ck, 10) == 0); break;
        case 4: flip_byte(ck, size - 10); break;    /* trailer */
        case 9: { /* a version-1 checkpoint of an older library: not used, the log is replayed (upgrade path) */
            uint8_t h[64];
            int fd = open(ck, O_RDWR);
            CHECK(pread(fd, h, 64, 0) == 64);
            uint32_t v = 1;
            memcpy(h + 8, &v, 4);
            uint32_t c = crc32c(h, 60);
            memcpy(h + 60, &c, 4);
            CHECK(pwrite(fd, h, 64, 0) == 64);
            close(fd);
            break;
        }
        case 5: { /* absurd object count, header CRC fixed */
            uint8_t h[64];
            int fd = open(ck, O_RDWR);
            CHECK(pread(fd, h, 64, 0) == 64);
            uint64_t cnt = UINT64_MAX / 3;
            memcpy(h + 48, &cnt, 8);
            uint32_t c = crc32c(h, 60);
            memcpy(h + 60, &c, 4);
            CHECK(pwrite(fd, h, 64, 0) == 64);
            close(fd);
            break;
        }
        case 6: case 7: case 8: case 10: case 11: { /* absurd fields inside the body, body CRC fixed */
            long n = size;
            uint8_t *b = malloc((size_t)n + 32);
            int fd = open(ck, O_RDWR);
            CHECK(pread(fd, b, (size_t)n, 0) == n);
            long cls_at = 0, ent_at = 0, k_at = 0, dz_at = 0, vl_at = 0, end_at = 0;
            CHECK(ckpt_first_entry(b, n, &cls_at, &ent_at, &k_at, &dz_at, &vl_at, &end_at));
            uint8_t v[16];
            long at = 0, old = 0, nv = 0;
            if (variant == 6) { at = vl_at; old = end_at - vl_at; nv = put_varint_t(v, 1u << 20); }
            if (variant == 7) { at = dz_at; old = vl_at - dz_at; nv = put_varint_t(v, 1ull << 41); }
            if (variant == 8) { at = k_at; old = dz_at - k_at; nv = put_varint_t(v, 999); }
            if (variant == 10) { at = cls_at; old = 1; memset(v, 0xFF, 11); nv = 11; } /* a varint that never ends */
            if (variant == 11) { at = vl_at; old = end_at - vl_at; nv = put_varint_t(v, 1u << 31); } /* > hard max */
            CHECK(old > 0 && at > 64);
            memmove(b + at + nv, b + at + old, (size_t)(n - at - old));
            memcpy(b + at, v, (size_t)nv);
            n += nv - old;
            uint64_t body = (uint64_t)n - 80;
            memcpy(b + n - 16, &body, 8);
            uint32_t c = crc32c(b + 64, body);
            memcpy(b + n - 8, &c, 4);
            CHECK(ftruncate(fd, 0) == 0);
            CHECK(pwrite(fd, b, (size_t)n, 0) == n);
            close(fd);
            free(b);
            break;
        }
        }
        int rc;
        s = open_opts(dir, 0, 0, &rc);
        CHECK(rc == OSTORE_OK);
        if (!s)
            continue;
        char msg[512];
        CHECK(ostore_last_error(s, msg, sizeof msg) > 0); /* why the checkpoint was ignored (before reads reset it) */
        if (variant == 9)
            CHECK(strstr(msg, "checkpoint version 1") != NULL);
        if (variant == 6 || variant == 7 || variant == 8) /* each field is range-checked against the log */
            CHECK(strstr(msg, "points outside the log") != NULL);
        if (variant == 10)
            CHECK(strstr(msg, "invalid class") != NULL);
        if (variant == 11)
            CHECK(strstr(msg, "invalid fields") != NULL);
        CHECK(state_of(s) == d0);
        close_store(s);
    }
    unlink(good);
}

/* The end of the version-4 checkpoint object that starts at p (its class_ref varint). */
static long ckpt_object_end(const uint8_t *b, long p)
{
    uint64_t cl, il, vv, nt, nl, x;
    p = get_varint_t(b, p, &cl);
    p += (long)cl;
    p = get_varint_t(b, p, &il);
    p = get_varint_t(b, p, &vv);
    p = get_varint_t(b, p, &nt);
    p += (long)il;
    for (uint64_t j = 0; j < (nt >> 1); j++) {
        p = get_varint_t(b, p, &nl);
        p += (long)nl;
        p = get_varint_t(b, p, &x);
        p = get_varint_t(b, p, &x);
        p = get_varint_t(b, p, &x);
    }
    return p;
}

/* opens dir with default options, which must succeed with a note in ostore_last_error (a checkpoint not used, the
 * log replayed: the reason), copied into msg; NULL (and a failed check) when the open fails */
static ostore *open_noting(const char *dir, char *msg, size_t cap)
{
    int rc;
    ostore *s = open_opts(dir, 0, 0, &rc);
    CHECK(rc == OSTORE_OK);
    msg[0] = '\0';
    if (s)
        CHECK(ostore_last_error(s, msg, cap) > 0);
    return s;
}

/* A checkpoint whose body holds one object twice (header count, body length and both CRCs fixed, so only the
 * duplicate check can refuse it) is not used: the open replays the log and says why. The copy goes right after
 * the original (both still waiting for their slots in the load's insert pipeline) and at the body's end (the
 * original long inserted). */
static void test_checkpoint_with_a_duplicate_object_is_not_used(const char *dir)
{
    char ck[600], good[600];
    long size;
    uint64_t d0 = checkpointed_store(dir, 5, ck, good, sizeof ck, &size);
    ostore *s;
    CHECK(size > 200);
    for (int variant = 0; variant < 2; variant++) {
        uint8_t *b = malloc((size_t)size * 2);
        int fd = open(good, O_RDONLY);
        CHECK(pread(fd, b, (size_t)size, 0) == size);
        close(fd);
        long first = 0, x1, x2, x3, x4, x5;
        CHECK(ckpt_first_entry(b, size, &first, &x1, &x2, &x3, &x4, &x5));
        long first_end = ckpt_object_end(b, first), len = first_end - first;
        CHECK(len > 0 && first_end < size - 16);
        long at = variant == 0 ? first_end : size - 16; /* the trailer follows the body */
        memmove(b + at + len, b + at, (size_t)(size - at));
        memcpy(b + at, b + first, (size_t)len);
        long n = size + len;
        uint64_t count;
        memcpy(&count, b + 48, 8);
        count++;
        memcpy(b + 48, &count, 8);
        uint32_t c = crc32c(b, 60);
        memcpy(b + 60, &c, 4);
        uint64_t body = (uint64_t)n - 80;
        memcpy(b + n - 16, &body, 8);
        c = crc32c(b + 64, body);
        memcpy(b + n - 8, &c, 4);
        fd = open(ck, O_WRONLY | O_TRUNC);
        CHECK(pwrite(fd, b, (size_t)n, 0) == n);
        close(fd);
        free(b);
        char msg[512];
        s = open_noting(dir, msg, sizeof msg);
        if (!s)
            continue;
        CHECK(strstr(msg, "two objects of one class and id") != NULL);
        CHECK(state_of(s) == d0);
        close_store(s);
        CHECK(copy_file(good, ck) == 0);
    }
    unlink(good);
}

/* A checkpoint one of whose objects holds the same entry name twice (the copy of its first entry follows it and
 * points at the same value; body length and CRC fixed) is not used: the open says why and replays the log. The copy
 * is the object's second entry, so the bulk load's filter of names (internal.h, os_bulk_load.names) must send it to
 * the search. */
static void test_checkpoint_with_a_duplicate_entry_name_is_not_used(const char *dir)
{
    char ck[600], good[600];
    long size;
    uint64_t d0 = checkpointed_store(dir, 7, ck, good, sizeof ck, &size);
    CHECK(size > 200);
    uint8_t *b = malloc((size_t)size + 64);
    int fd = open(good, O_RDONLY);
    CHECK(pread(fd, b, (size_t)size, 0) == size);
    close(fd);
    long first = 0, ent_at = 0, k_at, dz_at, vl_at, ent_end = 0, nt_at = 0;
    CHECK(ckpt_first_entry_of(b, size, &first, &ent_at, &k_at, &dz_at, &vl_at, &ent_end, &nt_at));
    uint64_t nt = 0, nl = 0, vl = 0;
    long nt_end = get_varint_t(b, nt_at, &nt);
    get_varint_t(b, ent_at, &nl);
    get_varint_t(b, vl_at, &vl);
    CHECK(ent_at > 0 && nl >= 1);
    /* the copy: the same name and segment, an offset delta back to the first entry's value, the same length */
    uint8_t copy[64];
    uint64_t k;
    long name_at = k_at - (long)nl;
    get_varint_t(b, k_at, &k);
    long cn = put_varint_t(copy, nl);
    memcpy(copy + cn, b + name_at, (size_t)nl);
    cn += (long)nl;
    cn += put_varint_t(copy + cn, k);
    cn += put_varint_t(copy + cn, vl == 0 ? 0 : (vl << 1) - 1); /* zigzag(-vl): back to the first value's start */
    cn += put_varint_t(copy + cn, vl);
    uint8_t ntv[16];
    long ntn = put_varint_t(ntv, nt + 2); /* one more entry */
    uint8_t *nb = malloc((size_t)size + 128);
    long n = 0;
    memcpy(nb, b, (size_t)nt_at);
    n = nt_at;
    memcpy(nb + n, ntv, (size_t)ntn);
    n += ntn;
    memcpy(nb + n, b + nt_end, (size_t)(ent_end - nt_end));
    n += ent_end - nt_end;
    memcpy(nb + n, copy, (size_t)cn);
    n += cn;
    memcpy(nb + n, b + ent_end, (size_t)(size - ent_end));
    n += size - ent_end;
    uint64_t body = (uint64_t)n - 80;
    memcpy(nb + n - 16, &body, 8);
    uint32_t c = crc32c(nb + 64, body);
    memcpy(nb + n - 8, &c, 4);
    fd = open(ck, O_WRONLY | O_TRUNC);
    CHECK(pwrite(fd, nb, (size_t)n, 0) == n);
    close(fd);
    free(nb);
    free(b);
    char msg[512];
    ostore *s = open_noting(dir, msg, sizeof msg);
    if (s) {
        CHECK(strstr(msg, "is a duplicate name") != NULL);
        CHECK(state_of(s) == d0);
        close_store(s);
    }
    unlink(good);
}

/* A little-endian field of index.ckpt's header (FORMAT.md "Checkpoint file"): `width` bytes at `offset`; 0 when
 * the file is missing or shorter. */
static uint64_t ckpt_header_field(const char *dir, size_t offset, size_t width)
{
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    FILE *f = fopen(ck, "rb");
    uint8_t h[64];
    size_t got = f ? fread(h, 1, offset + width, f) : 0;
    if (f)
        fclose(f);
    uint64_t v = 0;
    if (got == offset + width)
        memcpy(&v, h + offset, width);
    return v;
}

static uint32_t ckpt_version(const char *dir)
{
    return (uint32_t)ckpt_header_field(dir, 8, 4);
}

/* ---- checkpoint version 5: splits and a load in parts (FORMAT.md, "Checkpoint file") ---- */

static const char *PART_CLASSES[] = {"W", "P", "Q"};

/* the ids of cls in listing order (ostore_list_ids: the class's object order), hashed; *count their number */
static uint64_t listing_hash(ostore *s, const char *cls, uint64_t *count)
{
    size_t need = 0;
    *count = 0;
    int rc = ostore_list_ids(s, cls, strlen(cls), NULL, 0, &need, count);
    if (rc != OSTORE_OK && rc != OSTORE_BUFFER_TOO_SMALL)
        return 0;
    uint8_t *ids = malloc(need + 1);
    rc = ostore_list_ids(s, cls, strlen(cls), ids, need, &need, count);
    uint64_t h = rc == OSTORE_OK ? fnv(0xcbf29ce484222325ull, ids, need) : 0;
    free(ids);
    return h;
}

/* A store of three classes with splits every 97 objects (os_ckpt_split_objects and os_load_part_min stay so: the
 * caller resets them): put_wide's W objects (1..11 entries, every seventh
 * deleted), then P and Q objects alternating object by object (each names its class), checkpointed; W objects
 * 100..300 rewritten after the checkpoint. Returns its digest over PART_CLASSES. */
static uint64_t split_store(const char *dir)
{
    os_ckpt_split_objects = 97;
    os_load_part_min = 97;
    ostore *s = open_store(dir);
    if (!s) {
        CHECK(0);
        return 0;
    }
    put_wide(s, 0, 2000, 1);
    put_alternating(s, "m", 1500, "P", "Q", "v");
    delete_every(s, "W", "w", 2000, 7);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    CHECK(ckpt_version(dir) == 5);
    CHECK(ckpt_header_field(dir, 56, 4) == (3500 - 1) / 97); /* splits at objects 97, 194, ... */
    put_wide(s, 100, 300, 2);
    uint64_t d = digest(s, PART_CLASSES, 3, NULL);
    close_store(s);
    return d;
}

/* A version-5 checkpoint loads in one to four parts (threads) to the same index: every value, version and
 * tombstone, each class's listing order (object-number order), the counts; the checkpoint is used (a writable open
 * deletes one it cannot use), and the writes after it are replayed on top. */
static void test_checkpoint_loaded_in_parts_matches_one_part(const char *dir)
{
    uint64_t d0 = split_store(dir);
    uint64_t lh1[3] = {0}, ln1[3] = {0};
    ostore_stats st1 = {0};
    for (uint32_t t = 1; t <= 4; t++) {
        os_load_threads = t;
        ostore *s = open_store(dir);
        if (!s) {
            CHECK(0);
            continue;
        }
        CHECK(ckpt_version(dir) == 5); /* used */
        CHECK(os_load_parts_used == t);
        CHECK(digest(s, PART_CLASSES, 3, NULL) == d0);
        ostore_stats st;
        ostore_stats_get(s, &st);
        for (int c = 0; c < 3; c++) {
            uint64_t n, h = listing_hash(s, PART_CLASSES[c], &n);
            if (t == 1) {
                lh1[c] = h;
                ln1[c] = n;
            }
            CHECK(h == lh1[c] && n == ln1[c]);
        }
        if (t == 1)
            st1 = st;
        CHECK(st.objects == 2000 - 286 + 28 + 1500); /* W: every seventh deleted, 28 of them back; P and Q */
        CHECK(st.objects == st1.objects && st.entries == st1.entries && st.live_bytes == st1.live_bytes &&
              st.garbage_bytes == st1.garbage_bytes);
        uint64_t count = 0;
        CHECK_RC(ostore_count(s, "Q", 1, 0, &count), OSTORE_OK);
        CHECK(count == 750);
        close_store(s);
    }
    os_load_threads = 0;
    os_ckpt_split_objects = OS_CKPT_SPLIT_OBJECTS;
    os_load_part_min = OS_LOAD_PART_MIN;
}

/* Rewrites index.ckpt of dir as b (n bytes) with its body length and CRC fixed. */
static void put_ckpt(const char *dir, uint8_t *b, long n)
{
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    uint64_t body = (uint64_t)n - 80;
    memcpy(b + n - 16, &body, 8);
    uint32_t c = crc32c(b + 64, body);
    memcpy(b + n - 8, &c, 4);
    int fd = open(ck, O_WRONLY | O_TRUNC);
    CHECK(pwrite(fd, b, (size_t)n, 0) == n);
    close(fd);
}

/* A version-5 checkpoint whose splits do not hold is not used, whatever the thread count: the open says why and
 * replays the log. Variants (body CRC fixed, so only these checks can refuse it): every split's offset moved to its
 * object's second byte (a part then ends where the next does not start, or its first object does not parse); one
 * object's id made another's in an earlier part (the parts' slot inserts find it); the splits out of order (the
 * checkpoint is not authentic). */
static void test_checkpoint_split_that_does_not_hold_is_not_used(const char *dir)
{
    uint64_t d0 = split_store(dir);
    char ck[600], good[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    path_in(good, sizeof good, dir, "good.ckpt");
    CHECK(copy_file(ck, good) == 0);
    long size = file_size(good);
    for (int variant = 0; variant < 3; variant++) {
        for (uint32_t t = 2; t <= 4; t += 2) {
            uint8_t *b = malloc((size_t)size);
            int fd = open(good, O_RDONLY);
            CHECK(pread(fd, b, (size_t)size, 0) == size);
            close(fd);
            uint32_t nsplits;
            memcpy(&nsplits, b + 56, 4);
            uint8_t *splits = b + size - 16 - 16 * (long)nsplits;
            CHECK(nsplits > 4);
            if (variant == 0) {
                for (uint32_t j = 0; j < nsplits; j++) {
                    uint64_t off;
                    memcpy(&off, splits + 16 * j + 8, 8);
                    off++;
                    memcpy(splits + 16 * j + 8, &off, 8);
                }
            } else if (variant == 1) { /* "m900" (class Q, object 2900) becomes "m100" (class Q, object 2100) */
                uint8_t *at = memmem(b + 64, (size_t)size - 80, "m900", 4);
                CHECK(at != NULL && memmem(at + 1, (size_t)(b + size - at - 1), "m900", 4) == NULL);
                if (at != NULL)
                    memcpy(at, "m100", 4);
            } else {
                uint8_t tmp[16];
                memcpy(tmp, splits, 16);
                memcpy(splits, splits + 16, 16);
                memcpy(splits + 16, tmp, 16);
            }
            put_ckpt(dir, b, size);
            free(b);
            os_load_threads = t;
            char msg[512];
            ostore *s = open_noting(dir, msg, sizeof msg);
            if (s) {
                if (variant == 1)
                    CHECK(strstr(msg, "two objects of one class and id") != NULL);
                if (variant == 2)
                    CHECK(strstr(msg, "split 1 ") != NULL && strstr(msg, "inconsistent") != NULL);
                if (variant == 0)
                    CHECK(os_load_parts_used == t);
                CHECK(digest(s, PART_CLASSES, 3, NULL) == d0);
                close_store(s);
            }
            CHECK(copy_file(good, ck) == 0);
        }
    }
    os_load_threads = 0;
    os_ckpt_split_objects = OS_CKPT_SPLIT_OBJECTS;
    os_load_part_min = OS_LOAD_PART_MIN;
    unlink(good);
}

/* ---- record version 2 (FORMAT.md, "Record") ---- */

/* How many records of each version a segment file holds (walking valid headers in order). */
static void count_versions(const char *path, int *v1, int *v2)
{
    *v1 = *v2 = 0;
    long offs[4096];
    int nr = rec_offsets(path, offs, 4096);
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    for (int i = 0; i < nr; i++) {
        uint32_t m = 0;
        fseek(f, offs[i], SEEK_SET);
        if (fread(&m, 1, 4, f) == 4)
            *(m == 0x3252534Fu ? v2 : v1) += 1;
    }
    fclose(f);
}

/* A store written by the previous record version (the compatibility writer, os_rec_write_version 1: batches
 * verbatim and version-1 SNAPSHOT records) opens and replays unchanged — as a crash image without a checkpoint
 * (full replay) and closed — then takes version-2 records in the same segment, and both versions are checked by
 * ostore_verify, read back after reopening and compacted. */
static void test_record_version_1_store_opens(const char *dir)
{
    os_rec_write_version = 1;
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); os_rec_write_version = 2; return; }
    workload(s, 40, 6, 31);
    CHECK_RC(ostore_compact(s), OSTORE_OK); /* version-1 SNAPSHOT records */
    workload(s, 20, 6, 32);
    CHECK_RC(ostore_sync(s), OSTORE_OK);
    uint64_t d = state_of(s), seq = last_seq(s);
    char *crash = tmp_dir("rec1crash");
    CHECK(copy_dir(dir, crash, NULL) == 0);
    close_store(s);
    os_rec_write_version = 2;
    char segs[8][512];
    int ns = list_segs(dir, segs, 8), v1 = 0, v2 = 0;
    CHECK(ns == 1);
    count_versions(segs[0], &v1, &v2);
    CHECK(v1 > 20 && v2 == 0);
    char ck[600];
    path_in(ck, sizeof ck, crash, "index.ckpt");
    unlink(ck); /* no checkpoint: every version-1 record is replayed */
    const char *dirs[2] = {crash, dir};
    for (int k = 0; k < 2; k++) {
        ostore *c = open_store(dirs[k]);
        CHECK(c != NULL);
        if (!c)
            continue;
        CHECK(state_of(c) == d);
        CHECK(last_seq(c) == seq);
        ostore_verify_report rep;
        CHECK_RC(ostore_verify(c, &rep), OSTORE_OK);
        CHECK(rep.problems == 0);
        workload(c, 10, 6, 33); /* version-2 records after the version-1 ones */
        uint64_t d2 = state_of(c);
        close_store(c);
        ns = list_segs(dirs[k], segs, 8);
        count_versions(segs[ns - 1], &v1, &v2);
        CHECK(v1 > 0 && v2 == 10);
        c = open_store(dirs[k]);
        CHECK(c != NULL);
        if (!c)
            continue;
        CHECK(state_of(c) == d2);
        CHECK_RC(ostore_verify(c, &rep), OSTORE_OK);
        CHECK(rep.problems == 0 && rep.records > 10);
        CHECK_RC(ostore_compact(c), OSTORE_OK); /* reads values out of both versions */
        CHECK(state_of(c) == d2);
        close_store(c);
        ns = list_segs(dirs[k], segs, 8);
        CHECK(ns == 1);
        count_versions(segs[0], &v1, &v2);
        CHECK(v1 == 0 && v2 > 0);
        path_in(ck, sizeof ck, dirs[k], "index.ckpt");
        unlink(ck); /* full replay of the version-2 SNAPSHOT records */
        c = open_store(dirs[k]);
        CHECK(c != NULL);
        if (c) {
            CHECK(state_of(c) == d2);
            close_store(c);
        }
    }
    rm_rf(crash);
    free(crash);
}

/* The writer's record is sized to what it carries: header 8 + varint length + varint sequence + type, then
 * the class once, the id, the op, the name and the value (FORMAT.md, "Record version 2"). */
static void test_record_version_2_bytes(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    ostore_stats a, b;
    CHECK_RC(ostore_stats_get(s, &a), OSTORE_OK);
    CHECK_RC(put1(s, "com.example.A", "x1", "f", "hello"), OSTORE_OK);
    CHECK_RC(ostore_stats_get(s, &b), OSTORE_OK);
    /* payload: 1 + 13 (class) + 1 (count) + 1 + 2 (id) + 1 (head) + 1 (name_kind) + 1 (value_len) + 1 + 5 = 28;
     * header 8 + 1 + 1 + 1 = 11; 39 bytes padded to 40 (version 1: 32 + 8 + 24 + 16 + 8 + 8 = 96) */
    CHECK(b.log_bytes - a.log_bytes == 40);
    bb bt;
    bb_init(&bt);
    char id[16];
    for (int i = 0; i < 100; i++) { /* one run: the class is stated once */
        snprintf(id, sizeof id, "i%03d", i);
        bb_obj(&bt, "com.example.A", id, OSTORE_ANY_VERSION);
        bb_puts(&bt, "f", "0123456789");
    }
    CHECK_RC(write_bb(s, &bt), OSTORE_OK);
    bb_free(&bt);
    CHECK_RC(ostore_stats_get(s, &a), OSTORE_OK);
    /* header 8 + 2 (payload_len 1815) + 1 + 1; payload 1 + 13 + 1 (count 100) + 100 × (1 + 4 + 1 + 1 + 1 + 1 + 10) */
    CHECK(a.log_bytes - b.log_bytes == (uint64_t)pad8(12 + 15 + 100 * 19));
    close_store(s);
    s = open_store(dir);
    CHECK(s != NULL);
    if (s) {
        CHECK(entry_is(s, "com.example.A", "x1", "f", "hello"));
        CHECK(entry_is(s, "com.example.A", "i042", "f", "0123456789"));
        close_store(s);
    }
}

/* os_rec2_parse on hand-built payloads: a valid one parses; every proper prefix of it but the one ending with its first
 * run (truncated varints, a run count past the end, names and values cut) and each malformed header field is OSTORE_CORRUPT; every single-byte
 * change parses or is refused without reading outside the payload (ASan in `make sanitize`). */
static void test_record_version_2_parse_rejects(const char *dir)
{
    (void)dir;
    os_scratch sc;
    memset(&sc, 0, sizeof sc);
    uint32_t n = 0;
    os_err e;
    /* run "Acct": object "a" PUT bal=10 and DELETE_ENTRY x; object "b" deleted; run "B": object "c" one PUT */
    const uint8_t good[] = {4, 'A', 'c', 'c', 't', 2,
                            1, 'a', 4, 6, 2, 'b', 'a', 'l', '1', '0', 3, 'x',
                            1, 'b', 1,
                            1, 'B', 1, 1, 'c', 2, 2, 1, 'v', 'z'};
    CHECK_RC(os_rec2_parse(good, sizeof good, false, &sc, &n, &e), OSTORE_OK);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(sc.objs[0].op_count == 2 && sc.objs[0].puts == 1 && sc.objs[1].flags == OSTORE_OBJECT_DELETE);
        CHECK(sc.objs[2].class_len == 1 && sc.objs[2].id_len == 1 && sc.objs[2].id_at == 25);
        const os_bop *op = &sc.ops[sc.objs[0].op0];
        CHECK(op->kind == OSTORE_OP_PUT && op->nl == 3 && op->vl == 2 && op->at == 11 && memcmp(good + op->at + 3, "10", 2) == 0);
        CHECK(op[1].kind == OSTORE_OP_DELETE_ENTRY && op[1].nl == 1 && op[1].vl == 0);
    }
    CHECK_RC(os_rec2_parse(good, 0, false, &sc, &n, &e), OSTORE_OK); /* the empty batch */
    CHECK(n == 0);
    for (size_t len = 1; len < sizeof good; len++) {
        uint8_t *cut = malloc(len); /* exactly len bytes: ASan sees any read past them */
        memcpy(cut, good, len);
        int rc = os_rec2_parse(cut, len, false, &sc, &n, &e);
        if (len == 21) { /* ends with the first run: a valid payload of its two objects */
            CHECK(rc == OSTORE_OK && n == 2);
            free(cut);
            continue;
        }
        if (rc != OSTORE_CORRUPT)
            fprintf(stderr, "  prefix of %zu bytes: %s\n", len, ostore_status_name(rc));
        CHECK(rc == OSTORE_CORRUPT);
        free(cut);
    }
    static const struct { const char *what; uint8_t p[12]; size_t n; bool snap; } bad[] = {
        {"class length 0", {0, 1, 1, 'a', 0}, 5, false},
        {"class length over 1024", {0x81, 0x08, 'C'}, 3, false},
        {"run count 0", {1, 'C', 0}, 3, false},
        {"run count past the end", {1, 'C', 200, 1, 'a', 0}, 6, false},
        {"run count over 32 bits", {1, 'C', 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 'a', 0}, 10, false},
        {"non-minimal id length", {1, 'C', 1, 0x81, 0x00, 'a', 0}, 7, false},
        {"id length 0", {1, 'C', 1, 0, 0}, 5, false},
        {"deleted object with ops", {1, 'C', 1, 1, 'a', 3, 2, 'n', 0}, 9, false},
        {"op count past the end", {1, 'C', 1, 1, 'a', 0x7e, 2, 'n', 0}, 9, false},
        {"empty entry name", {1, 'C', 1, 1, 'a', 2, 0, 0}, 8, false},
        {"value past the end", {1, 'C', 1, 1, 'a', 2, 2, 9, 'n', 'v'}, 10, false},
        {"eleven-byte varint", {1, 'C', 1, 1, 'a', 2, 2, 0x80, 0x80, 0x80, 0x80, 0x80}, 12, false},
        {"snapshot version 0", {1, 'C', 1, 1, 'a', 0, 0}, 7, true},
        {"snapshot without version", {1, 'C', 1, 1, 'a', 0}, 6, true},
        {"snapshot DELETE_ENTRY", {1, 'C', 1, 1, 'a', 2, 1, 3, 'n'}, 9, true},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t *p = malloc(bad[i].n);
        memcpy(p, bad[i].p, bad[i].n);
        int rc = os_rec2_parse(p, bad[i].n, bad[i].snap, &sc, &n, &e);
        if (rc != OSTORE_CORRUPT)
            fprintf(stderr, "  %s: %s\n", bad[i].what, ostore_status_name(rc));
        CHECK(rc == OSTORE_CORRUPT);
        free(p);
    }
    const uint8_t snap_ok[] = {1, 'C', 1, 1, 'a', 2, 0x81, 0x01, 2, 1, 'n', 'v'}; /* version 129 */
    CHECK_RC(os_rec2_parse(snap_ok, sizeof snap_ok, true, &sc, &n, &e), OSTORE_OK);
    CHECK(n == 1 && sc.objs[0].expected == 129);
    for (size_t i = 0; i < sizeof good; i++) /* single-byte changes: no crash, no read outside */
        for (int v = 0; v < 256; v += 17) {
            uint8_t *m = malloc(sizeof good);
            memcpy(m, good, sizeof good);
            m[i] = (uint8_t)v;
            int rc = os_rec2_parse(m, sizeof good, (i + (size_t)v) % 2 == 0, &sc, &n, &e);
            CHECK(rc == OSTORE_OK || rc == OSTORE_CORRUPT || rc == OSTORE_NO_MEMORY);
            free(m);
        }
    /* headers: truncated varints and lengths past the end */
    uint8_t rec[64];
    memset(rec, 0, sizeof rec);
    uint32_t hl = os_rec2_hdr_len(sizeof good, 300);
    CHECK(hl == 8 + 1 + 2 + 1);
    memcpy(rec + hl, good, sizeof good);
    os_rec2_seal(rec, hl, sizeof good, 300, 1);
    os_rech h;
    CHECK(os_rec_head(rec, sizeof rec, &h) == NULL && h.version == 2 && h.seq == 300 && h.type == 1 &&
          h.payload_len == sizeof good && h.total == pad8(hl + sizeof good) && os_rec_crc_ok(rec, &h));
    for (uint64_t left = 0; left < h.total; left++)
        CHECK(os_rec_head(rec, left, &h) != NULL);
    rec[9] = 0x80; /* sequence varint continues into the type byte and beyond the header's bound */
    memset(rec + 10, 0x80, 20);
    CHECK(os_rec_head(rec, sizeof rec, &h) != NULL);
    os_scratch_free(&sc);
}

/* A version-2 record that is complete (magic, length, CRC) but whose payload does not parse is corruption, never
 * a torn tail: the open is refused naming the offset; OSTORE_OPEN_REPAIR cuts it and keeps what came before. */
static void test_record_version_2_corrupt_payload(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    workload(s, 10, 5, 41);
    uint64_t d = state_of(s), seq = last_seq(s);
    close_store(s);
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    unlink(ck); /* no durable point: only the torn-tail rule could excuse the bad record */
    static const struct { const char *what; uint8_t p[12]; size_t n; } bad[] = {
        {"run count past the end", {1, 'C', 200, 1, 'a', 0}, 6},
        {"truncated varint", {1, 'C', 1, 1, 'a', 2, 2, 0x80}, 8},
        {"deleted object with ops", {1, 'C', 1, 1, 'a', 3, 2, 'n', 0}, 9},
        {"value past the end", {1, 'C', 1, 1, 'a', 2, 2, 9, 'n', 'v'}, 10},
    };
    char *keep = tmp_dir("rec2keep");
    CHECK(copy_dir(dir, keep, NULL) == 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rm_rf(dir);
        CHECK(copy_dir(keep, dir, NULL) == 0);
        char segs[8][512];
        CHECK(list_segs(dir, segs, 8) == 1);
        long end = file_size(segs[0]);
        uint8_t rec[64] = {0};
        uint32_t hl = os_rec2_hdr_len(bad[i].n, seq + 1);
        memcpy(rec + hl, bad[i].p, bad[i].n);
        os_rec2_seal(rec, hl, bad[i].n, seq + 1, 1);
        int fd = open(segs[0], O_WRONLY);
        CHECK(fd >= 0 && pwrite(fd, rec, pad8(hl + bad[i].n), end) == (ssize_t)pad8(hl + bad[i].n));
        close(fd);
        char err[512];
        ostore_options o;
        ostore_options_init(&o);
        ostore *c = NULL;
        int rc = ostore_open(dir, &o, &c, err, sizeof err);
        char want[64];
        snprintf(want, sizeof want, "offset %ld", end);
        if (rc != OSTORE_CORRUPT || strstr(err, want) == NULL)
            fprintf(stderr, "  %s: %s: %s\n", bad[i].what, ostore_status_name(rc), err);
        CHECK(rc == OSTORE_CORRUPT && strstr(err, want) != NULL && strstr(err, "invalid payload") != NULL);
        if (c)
            ostore_close(c, NULL, 0);
        c = open_opts(dir, 0, OSTORE_OPEN_REPAIR, &rc);
        CHECK(rc == OSTORE_OK);
        if (c) {
            CHECK(state_of(c) == d);
            CHECK(last_seq(c) == seq);
            close_store(c);
        }
    }
    rm_rf(keep);
    free(keep);
}

/* A store whose checkpoint an older library wrote (version 2, 3 or 4, FORMAT.md "Checkpoint file") opens using it,
 * also as a crash image with records after it; the next checkpoint is a full one in the current version (no
 * delta on an older base). */
static void old_checkpoint_version_still_read(const char *dir, uint32_t v)
{
    os_ckpt_write_version = v;
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); os_ckpt_write_version = OS_CKPT_VERSION; return; }
    workload(s, 60, 6, 21);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    CHECK(ckpt_version(dir) == v);
    workload(s, 20, 6, 22); /* records after the checkpoint: replayed on top of it */
    CHECK_RC(ostore_sync(s), OSTORE_OK);
    uint64_t d = state_of(s), seq = last_seq(s);
    char *cp = tmp_dir("ckvold");
    CHECK(copy_dir(dir, cp, NULL) == 0); /* a crash image: old checkpoint + log after it */
    close_store(s);
    os_ckpt_write_version = OS_CKPT_VERSION;
    CHECK(ckpt_version(cp) == v);
    ostore *c = open_store(cp);
    CHECK(c != NULL);
    CHECK(ckpt_version(cp) == v); /* used: a writable open deletes a checkpoint it cannot use */
    if (c) {
        CHECK(state_of(c) == d);
        CHECK(last_seq(c) == seq);
        CHECK_RC(put1(c, "com.example.A", "v3", "f", "after"), OSTORE_OK);
        close_store(c);
    }
    CHECK(ckpt_version(cp) == OS_CKPT_VERSION); /* the close wrote the current checkpoint, full */
    c = open_store(cp);
    CHECK(c != NULL);
    if (c) {
        CHECK(entry_is(c, "com.example.A", "v3", "f", "after"));
        CHECK(last_seq(c) == seq + 1);
        close_store(c);
    }
    rm_rf(cp);
    free(cp);
}

static void test_checkpoint_version_2_still_read(const char *dir)
{
    old_checkpoint_version_still_read(dir, 2);
    char *d3 = tmp_dir("ckv3");
    old_checkpoint_version_still_read(d3, 3);
    rm_rf(d3);
    free(d3);
    char *d4 = tmp_dir("ckv4");
    old_checkpoint_version_still_read(d4, 4);
    rm_rf(d4);
    free(d4);
}

/* offset of the first occurrence of needle in the file, -1 when absent */
static long find_in_file(const char *path, const char *needle)
{
    long size = file_size(path);
    if (size <= 0)
        return -1;
    char *b = malloc((size_t)size);
    int fd = open(path, O_RDONLY);
    long got = fd >= 0 ? (long)read(fd, b, (size_t)size) : -1;
    if (fd >= 0)
        close(fd);
    long at = -1;
    size_t nl = strlen(needle);
    for (long i = 0; got == size && i + (long)nl <= size; i++)
        if (memcmp(b + i, needle, nl) == 0) {
            at = i;
            break;
        }
    free(b);
    return at;
}

/* waits up to a minute for the store's precheck thread (precheck.c) to end; true when it has */
static bool precheck_wait(ostore *s)
{
    for (int i = 0; i < 60000 && !atomic_load_explicit(&s->pre_finished, memory_order_acquire); i++)
        usleep(1000);
    return atomic_load_explicit(&s->pre_finished, memory_order_acquire);
}

/* objects of s's index with an entry whose record has not passed its check since open; *has: whether "w<id>" is one */
static uint32_t unchecked_objects(ostore *s, int id, bool *has)
{
    char want[32];
    snprintf(want, sizeof want, "w%d", id);
    uint32_t bad = 0;
    *has = false;
    for (uint32_t i = 0; i < s->idx->nobj; i++) {
        os_obj *o = os_obj_at(s->idx, i);
        bool any = false;
        os_entry buf[OS_LAZY_MAX];
        const os_entry *ents = os_obj_ents(o, buf);
        for (uint32_t k = 0; k < o->n; k++)
            any |= __atomic_load_n(&ents[k].checked, __ATOMIC_RELAXED) == 0;
        if (any) {
            bad++;
            if (o->id_len == strlen(want) && memcmp(o->key, want, o->id_len) == 0)
                *has = true;
        }
    }
    return bad;
}

/* kilobytes of this process's page table that map the file path (Rss of its mappings in /proc/self/smaps) */
static long mapped_kib(const char *path)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL)
        return -1;
    char line[1024];
    bool in = false;
    long kib = 0, v;
    while (fgets(line, sizeof line, f) != NULL) {
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        if (strchr(line, '-') != NULL && strchr(line, ':') != NULL && line[0] != ' ' &&
            strncmp(line, "Rss:", 4) != 0 && sscanf(line, "%*x-%*x %*s %*x %*x:%*x %ld", &v) == 1) /* a mapping's line */
            in = n >= strlen(path) && strcmp(line + n - strlen(path), path) == 0;
        else if (in && sscanf(line, "Rss: %ld kB", &v) == 1)
            kib += v;
    }
    fclose(f);
    return kib;
}

/* After an open of many objects the precheck thread first maps the whole written log into the page table, garbage
 * included (records no live entry points at, which its checks never read), so that reads do not take a page fault
 * per log page; with OSTORE_PRECHECK=0 nothing maps the garbage. */
static void test_precheck_maps_the_whole_log_ahead_of_the_reads(const char *dir)
{
    const int n = 6000;
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    put_wide(s, 0, n, 0);
    put_wide(s, 0, n, 1); /* every value again: the first half of the log is garbage */
    close_store(s);
    char segs[4][512];
    CHECK(list_segs(dir, segs, 4) == 1);
    long kib = file_size(segs[0]) / 1024;
    setenv("OSTORE_PRECHECK", "0", 1);
    s = open_store(dir);
    unsetenv("OSTORE_PRECHECK");
    if (!s) { CHECK(0); return; }
    long before = mapped_kib(segs[0]);
    CHECK(before >= 0 && before < kib / 2); /* the garbage half was never touched */
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(precheck_wait(s) && atomic_load(&s->pre_populated));
    long after = mapped_kib(segs[0]);
    if (after < kib - 8)
        fprintf(stderr, "  %ld KiB of the %ld KiB segment mapped (%ld without the thread)\n", after, kib, before);
    CHECK(after >= kib - 8);
    CHECK(entry_is(s, "W", "w17", "e6", "17-6-1"));
    close_store(s);
}

/* After an open of many objects the precheck thread checks their records ahead of the reads: once it ends it has
 * gone through every loaded object and every entry is marked checked, except those in a record damaged on disk,
 * which stay unchecked: their read still reports the damage (and ostore_verify), other objects read fine. With
 * OSTORE_PRECHECK=0 no entry is checked before its read. */
static void test_precheck_checks_loaded_objects_and_leaves_damage_to_the_read(const char *dir)
{
    const int n = 6000; /* six records of 1000 objects */
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    put_wide(s, 0, n, 0);
    close_store(s);
    char segs[4][512];
    CHECK(list_segs(dir, segs, 4) == 1);
    long at = find_in_file(segs[0], "e11234-1-0"); /* entry e1 of w1234 (name, then value), in the second record */
    CHECK(at > 0);
    at += 2;
    setenv("OSTORE_PRECHECK", "0", 1);
    s = open_store(dir);
    unsetenv("OSTORE_PRECHECK");
    if (!s) { CHECK(0); return; }
    bool has;
    CHECK(precheck_wait(s) && !s->pre_live && unchecked_objects(s, 1234, &has) == (uint32_t)n);
    close_store(s);
    flip_byte(segs[0], at);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(precheck_wait(s));
    CHECK(atomic_load(&s->pre_done) == (uint32_t)n && s->pre_objects == (uint32_t)n);
    CHECK(unchecked_objects(s, 1234, &has) == 1000 && has); /* the damaged record's objects only */
    char got[64];
    CHECK_RC(get_str(s, "W", "w1234", "e0", got, sizeof got, NULL), OSTORE_CORRUPT);
    char msg[512];
    CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, "CRC") != NULL);
    CHECK_RC(get_str(s, "W", "w3", "e2", got, sizeof got, NULL), OSTORE_OK);
    CHECK(strcmp(got, "3-2-0") == 0);
    CHECK(wide_mismatches(s, 2000, n, 0) == 0);
    ostore_verify_report r;
    CHECK_RC(ostore_verify(s, &r), OSTORE_CORRUPT);
    CHECK(r.problems == 1);
    close_store(s);
}

/* records of s's segments (*all) and how many of them passed their check since open (*ok) */
static void record_states(ostore *s, uint64_t *ok, uint64_t *all)
{
    *ok = *all = 0;
    for (size_t k = 0; k < s->log.n; k++) {
        const os_seg *g = s->log.segs[k];
        for (uint64_t i = 0; i < g->nrec; i++) {
            (*all)++;
            *ok += __atomic_load_n(&g->rec_state[i], __ATOMIC_RELAXED) == OS_REC_OK;
        }
    }
}

/* The records pass (precheck.c, "Records first"): a reopen checks every record its checkpoint covers, garbage ones
 * too, which the objects' pass never reads; it leaves a damaged record unchecked, for its read to report; and
 * OSTORE_PRECHECK_RECORDS=0 leaves the records to the objects' pass. With parallel, the checkpoint loads in two
 * parts, and the pass, put off until the open is done, must still check every covered record. */
static void records_pass_case(const char *dir, bool parallel)
{
    const int n = 6000;
    const uint32_t parts = parallel ? 2 : 1;
    if (parallel) { /* splits every 1 000 objects, a part from 1 000 on, two threads */
        os_ckpt_split_objects = 1000;
        os_load_part_min = 1000;
        os_load_threads = 2;
    }
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    put_wide(s, 0, n, 0);    /* six records of 1000 objects */
    put_wide(s, 0, 3000, 1); /* three more: the first three hold only garbage now */
    close_store(s);
    uint64_t ok, all;
    uint32_t begun = atomic_load(&os_pre_begun_in_open);
    setenv("OSTORE_PRECHECK_RECORDS", "0", 1);
    s = open_store(dir);
    unsetenv("OSTORE_PRECHECK_RECORDS");
    if (!s) { CHECK(0); return; }
    CHECK(atomic_load(&os_load_parts_used) == parts);
    CHECK(atomic_load(&os_pre_begun_in_open) == begun); /* switched off: no records pass at all */
    CHECK(precheck_wait(s));
    record_states(s, &ok, &all);
    CHECK(all == 9 && ok == 6 && atomic_load(&s->pre_records) == 0); /* the live objects' records only */
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(atomic_load(&os_load_parts_used) == parts);
    CHECK(atomic_load(&os_pre_begun_in_open) == begun + 1); /* the pass began while the open loaded */
    CHECK(precheck_wait(s));
    record_states(s, &ok, &all);
    CHECK(all == 9 && ok == 9 && atomic_load(&s->pre_records) == 9);
    CHECK(wide_mismatches(s, 0, 3000, 1) == 0 && wide_mismatches(s, 3000, n, 0) == 0);
    close_store(s);
    char segs[4][512];
    CHECK(list_segs(dir, segs, 4) == 1);
    long garbage = find_in_file(segs[0], "e11234-1-0"); /* w1234's first version: the second record, garbage */
    long live = find_in_file(segs[0], "e14234-1-0");    /* w4234: the fifth record, live */
    CHECK(garbage > 0 && live > 0);
    flip_byte(segs[0], garbage + 2);
    flip_byte(segs[0], live + 2);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(atomic_load(&os_load_parts_used) == parts);
    CHECK(precheck_wait(s));
    record_states(s, &ok, &all);
    CHECK(all == 9 && ok == 7 && atomic_load(&s->pre_records) == 7);
    char got[64];
    CHECK_RC(get_str(s, "W", "w4234", "e0", got, sizeof got, NULL), OSTORE_CORRUPT);
    char msg[512];
    CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, "CRC") != NULL);
    CHECK(wide_mismatches(s, 0, 3000, 1) == 0 && wide_mismatches(s, 5000, n, 0) == 0);
    close_store(s);
    os_ckpt_split_objects = OS_CKPT_SPLIT_OBJECTS;
    os_load_part_min = OS_LOAD_PART_MIN;
    os_load_threads = 0;
}

static void test_precheck_checks_every_covered_record_while_the_open_loads(const char *dir)
{
    records_pass_case(dir, false);
}

/* The same beside a load in two parts, which keeps both cores busy: the records pass still begins during the open
 * (precheck.c, os_precheck_begin) and checks every covered record, garbage ones too. */
static void test_precheck_checks_every_covered_record_while_a_parallel_load_runs(const char *dir)
{
    records_pass_case(dir, true);
}

/* Writes, deletes and a compaction (its index swap) while the precheck thread goes through a freshly opened
 * store (run under make tsan): it stops at the swap or ends, and every value reads back as last written. */
static void test_precheck_runs_beside_writes_and_a_compaction(const char *dir)
{
    const int n = 2 * (int)OS_OBJ_CHUNK;
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    put_wide(s, 0, n, 0);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK(s->pre_live);
    put_wide(s, n / 2, n / 2 + 3000, 1);
    char id[32];
    for (int j = 0; j < 500; j++) {
        snprintf(id, sizeof id, "w%d", j);
        bb b;
        bb_init(&b);
        bb_del_obj(&b, "W", id, OSTORE_ANY_VERSION);
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        bb_free(&b);
    }
    CHECK_RC(ostore_compact(s), OSTORE_OK);
    put_wide(s, n - 2000, n, 2);
    CHECK(precheck_wait(s));
    CHECK(wide_mismatches(s, 500, n / 2, 0) == 0 && wide_mismatches(s, n / 2, n / 2 + 3000, 1) == 0);
    CHECK(wide_mismatches(s, n / 2 + 3000, n - 2000, 0) == 0 && wide_mismatches(s, n - 2000, n, 2) == 0);
    char got[64];
    CHECK_RC(get_str(s, "W", "w7", "e0", got, sizeof got, NULL), OSTORE_NOT_FOUND);
    close_store(s);
}

static int open_err(const char *dir, uint32_t flags, char *err, size_t cap)
{
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    o.flags = flags;
    ostore *t = NULL;
    int rc = ostore_open(dir, &o, &t, err, cap);
    if (t != NULL)
        ostore_close(t, NULL, 0);
    return rc;
}

/* a cleanly closed store of several 1 MiB segments; its segment paths in segs */
static int closed_multi_segment_store(const char *dir, char segs[][512], uint64_t *digest_out)
{
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s)
        return 0;
    for (unsigned round = 0; round < 40; round++) {
        workload(s, 300, 8, 99 + round);
        char segs_now[16][512];
        if (list_segs(dir, segs_now, 16) >= 4)
            break;
    }
    *digest_out = state_of(s);
    close_store(s);
    return list_segs(dir, segs, 16);
}

/* FORMAT.md "Integrity" D1-D3: below the durable point of a cleanly closed store, a missing segment, a
 * shorter file or non-zero bytes after a finished segment's records refuse the open, naming the file and the
 * offset; a zero tail (a power cut between rollover's fdatasync and ftruncate) is accepted */
static void test_durable_point(const char *dir)
{
    char segs[16][512], err[512], want[600];
    uint64_t d0 = 0;
    int ns = closed_multi_segment_store(dir, segs, &d0);
    CHECK(ns >= 3);
    if (ns < 3)
        return;
    char *keep = tmp_dir("durable-keep");
    CHECK(copy_dir(dir, keep, NULL) == 0);
    for (int variant = 0; variant < 7; variant++) {
        rm_rf(dir);
        CHECK(copy_dir(keep, dir, NULL) == 0);
        char now[16][512];
        CHECK(list_segs(dir, now, 16) == ns);
        const char *mid = now[1], *last = now[ns - 1];
        long msize = file_size(mid), lsize = file_size(last);
        int want_rc = OSTORE_CORRUPT;
        want[0] = '\0';
        switch (variant) {
        case 0: /* a finished segment deleted */
            CHECK(unlink(mid) == 0);
            snprintf(want, sizeof want, "%s: segment file is missing", mid);
            break;
        case 1: /* the last segment deleted */
            CHECK(unlink(last) == 0);
            snprintf(want, sizeof want, "%s: segment file is missing", last);
            break;
        case 2: /* a finished segment truncated */
            CHECK(truncate(mid, msize - 100) == 0);
            snprintf(want, sizeof want, "%s: file ends at offset %ld", mid, msize - 100);
            break;
        case 3: /* the last segment truncated at a record boundary: no torn record to see, still refused */
        {
            long offs[4096];
            int nr = rec_offsets(last, offs, 4096);
            CHECK(nr > 2);
            CHECK(truncate(last, offs[nr - 1]) == 0);
            snprintf(want, sizeof want, "%s: file ends at offset %ld", last, offs[nr - 1]);
            break;
        }
        case 4: /* garbage appended to a finished segment */
        {
            char junk[64];
            memset(junk, 0x77, sizeof junk);
            write_at(mid, msize, junk, sizeof junk);
            snprintf(want, sizeof want, "%s: non-zero bytes at offset %ld", mid, msize);
            break;
        }
        case 5: /* zeros after a finished segment's records: accepted */
        {
            char zero[4096] = {0};
            write_at(mid, msize, zero, sizeof zero);
            want_rc = OSTORE_OK;
            break;
        }
        case 6: /* garbage appended to the last segment after a clean close: cut as a torn tail */
        {
            char junk[100];
            memset(junk, 0x33, sizeof junk);
            write_at(last, lsize, junk, sizeof junk);
            want_rc = OSTORE_OK;
            break;
        }
        }
        int rc = open_err(dir, 0, err, sizeof err);
        CHECK_RC(rc, want_rc);
        if (want[0] != '\0' && strstr(err, want) == NULL) {
            fprintf(stderr, "  variant %d: message \"%s\" lacks \"%s\"\n", variant, err, want);
            cur_fail++;
        }
        if (want_rc == OSTORE_OK) {
            ostore *s = open_opts(dir, 1u << 20, 0, NULL);
            if (s) {
                CHECK(state_of(s) == d0);
                CHECK_RC(ostore_verify(s, NULL), OSTORE_OK);
                close_store(s);
            }
            continue;
        }
        /* repair keeps the valid prefix, reports what it dropped, and leaves a store that opens normally */
        ostore *s = open_opts(dir, 1u << 20, OSTORE_OPEN_REPAIR, &rc);
        CHECK_RC(rc, OSTORE_OK);
        if (!s)
            continue;
        ostore_stats st;
        ostore_stats_get(s, &st);
        CHECK(st.repair_records_dropped > 0);
        CHECK(st.repair_bytes_dropped > 0);
        CHECK(st.repair_objects_lost > 0);
        CHECK(ostore_last_error(s, err, sizeof err) > 0 && strstr(err, "repair:") != NULL);
        CHECK_RC(ostore_verify(s, NULL), OSTORE_OK);
        close_store(s);
        CHECK_RC(open_err(dir, 0, err, sizeof err), OSTORE_OK);
    }
    rm_rf(keep);
    free(keep);
}

/* FORMAT.md "Integrity" D4/D5: a value covered by the checkpoint whose record was damaged is never returned:
 * the first read of it fails naming the file and the record's offset; ostore_verify finds it; compaction does
 * not copy it; other records read fine */
static void test_read_checks_crc(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    workload(s, 40, 5, 8);
    CHECK_RC(put1(s, "com.example.N", "needle", "v", "NEEDLE-0123456789"), OSTORE_OK);
    CHECK_RC(put1(s, "com.example.N", "other", "v", "other-value"), OSTORE_OK);
    uint64_t seq = last_seq(s);
    ostore_verify_report rep;
    CHECK_RC(ostore_verify(s, &rep), OSTORE_OK);
    CHECK(rep.records == seq && rep.problems == 0 && rep.bytes > 0);
    close_store(s);
    char segs[8][512];
    CHECK(list_segs(dir, segs, 8) == 1);
    long at = find_in_file(segs[0], "NEEDLE-0123456789");
    CHECK(at > 0);
    long offs[256];
    int nr = rec_offsets(segs[0], offs, 256);
    CHECK(nr == (int)seq);
    long rec = -1;
    for (int i = 0; i < nr; i++)
        if (offs[i] < at)
            rec = offs[i];
    flip_byte(segs[0], at + 3); /* the value itself: the checkpoint stays valid, the open reads nothing of it */
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    char out[64], msg[512], want[600];
    size_t len;
    snprintf(want, sizeof want, "%s: invalid record at offset %ld: record CRC mismatch", segs[0], rec);
    for (int round = 0; round < 2; round++) { /* the second time from the record's remembered verdict */
        CHECK_RC(ostore_get_entry(s, "com.example.N", 13, "needle", 6, "v", 1, out, sizeof out, &len, NULL), OSTORE_CORRUPT);
        CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, want) != NULL);
    }
    CHECK_RC(ostore_get_object(s, "com.example.N", 13, "needle", 6, out, sizeof out, &len, NULL), OSTORE_CORRUPT);
    CHECK(entry_is(s, "com.example.N", "other", "v", "other-value"));
    CHECK_RC(ostore_compact(s), OSTORE_CORRUPT);
    CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, want) != NULL);
    CHECK_RC(ostore_verify(s, &rep), OSTORE_CORRUPT);
    CHECK(rep.records == seq && rep.problems == 1 && rep.first_bad_segment == 1 && rep.first_bad_offset == (uint64_t)rec);
    CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, want) != NULL);
    /* overwriting the damaged value makes the object readable again (the new record is good) */
    CHECK_RC(put1(s, "com.example.N", "needle", "v", "fresh"), OSTORE_OK);
    CHECK(entry_is(s, "com.example.N", "needle", "v", "fresh"));
    close_store(s);
    /* a damaged record header (its sequence) below the durable point: verify reports it too */
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK_RC(ostore_verify(s, &rep), OSTORE_CORRUPT);
    CHECK(rep.problems == 1);
    close_store(s);
    /* repair drops the bad record and everything after it, and says so */
    s = open_opts(dir, 0, OSTORE_OPEN_REPAIR, NULL);
    if (!s) { CHECK(0); return; }
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.repair_records_dropped >= 3 && st.repair_objects_lost >= 2);
    CHECK_RC(ostore_verify(s, &rep), OSTORE_OK);
    close_store(s);
}

/* D4 per record, not per object: an object's entries checked on its first read share one record search while they
 * lie in one record (os_rec_memo), yet an entry whose value another record holds is checked against that record.
 * Here the damaged record sits between two good ones of the same object in the same segment. */
static void test_read_checks_each_record_an_object_spans(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    bb_obj(&b, "com.example.M", "multi", OSTORE_ANY_VERSION);
    bb_puts(&b, "a", "first-record-a");
    bb_puts(&b, "b", "first-record-b");
    bb_obj(&b, "com.example.M", "whole", OSTORE_ANY_VERSION);
    bb_puts(&b, "a", "whole-a");
    bb_puts(&b, "b", "whole-b");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_free(&b);
    CHECK_RC(put1(s, "com.example.M", "multi", "c", "DAMAGED-0123456789"), OSTORE_OK);
    CHECK_RC(put1(s, "com.example.M", "multi", "d", "third-record-d"), OSTORE_OK);
    close_store(s);
    char segs[8][512];
    CHECK(list_segs(dir, segs, 8) == 1);
    long at = find_in_file(segs[0], "DAMAGED-0123456789");
    CHECK(at > 0);
    flip_byte(segs[0], at + 3);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    uint32_t pin = 0;
    ostore_entry_ref refs[8];
    size_t n = 0;
    uint64_t v = 0;
    CHECK_RC(ostore_read_begin(s, &pin), OSTORE_OK);
    CHECK_RC(ostore_get_object_ref(s, "com.example.M", 13, "multi", 5, refs, 8, &n, &v), OSTORE_CORRUPT);
    CHECK_RC(ostore_get_object_ref(s, "com.example.M", 13, "whole", 5, refs, 8, &n, &v), OSTORE_OK);
    CHECK(n == 2);
    for (size_t i = 0; i < n; i++)
        CHECK(refs[i].value_len == 7 && memcmp(refs[i].value, i == 0 ? "whole-a" : "whole-b", 7) == 0);
    ostore_read_end(s, pin);
    char out[256], msg[512];
    size_t len;
    CHECK_RC(ostore_get_object(s, "com.example.M", 13, "multi", 5, out, sizeof out, &len, NULL), OSTORE_CORRUPT);
    CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, "record CRC mismatch") != NULL);
    CHECK(entry_is(s, "com.example.M", "multi", "a", "first-record-a"));
    CHECK(entry_is(s, "com.example.M", "multi", "d", "third-record-d"));
    close_store(s);
    /* compaction's checks, before any read since open: the same memo, and it must not copy the damaged value */
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK_RC(ostore_compact(s), OSTORE_CORRUPT);
    CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, "record CRC mismatch") != NULL);
    close_store(s);
}

static void test_locked(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    ostore *t = NULL;
    char err[512];
    int rc = ostore_open(dir, NULL, &t, err, sizeof err);
    CHECK(rc == OSTORE_LOCKED && t == NULL);
    CHECK(strstr(err, dir) != NULL);
    char pid[32];
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    CHECK(strstr(err, pid) != NULL);
    /* another process */
    pid_t child = fork();
    if (child == 0) {
        ostore *u = NULL;
        char e2[256];
        int r2 = ostore_open(dir, NULL, &u, e2, sizeof e2);
        _exit(r2 == OSTORE_LOCKED ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close_store(s);
    s = open_store(dir);
    CHECK(s != NULL);
    if (s) close_store(s);
}

static void test_rollover(const char *dir)
{
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    char id[32], val[1000];
    memset(val, 'r', sizeof val);
    for (int i = 0; i < 400; i++) {
        bb_reset(&b);
        for (int j = 0; j < 10; j++) {
            snprintf(id, sizeof id, "r%d", (i * 10 + j) % 1500);
            bb_obj(&b, "com.example.A", id, OSTORE_ANY_VERSION);
            val[0] = (char)('a' + i % 26);
            bb_put(&b, "v", val, sizeof val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.segments >= 4);
    uint64_t d0 = state_of(s);
    close_store(s);
    for (int round = 0; round < 2; round++) {
        s = open_opts(dir, 1u << 20, 0, NULL);
        if (!s) { CHECK(0); return; }
        CHECK(state_of(s) == d0);
        ostore_stats st2;
        ostore_stats_get(s, &st2);
        CHECK(st2.segments == st.segments && st2.objects == st.objects);
        close_store(s);
        char ck[600];
        path_in(ck, sizeof ck, dir, "index.ckpt");
        unlink(ck);
    }
    bb_free(&b);
}

static void test_big_value(const char *dir)
{
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    CHECK_RC(put1(s, "Big", "small", "f", "before"), OSTORE_OK);
    size_t n = 3u << 20;
    uint8_t *v = malloc(n);
    for (size_t i = 0; i < n; i++)
        v[i] = (uint8_t)(i * 131 + 7);
    bb b;
    bb_init(&b);
    bb_obj(&b, "Big", "huge", OSTORE_ANY_VERSION);
    bb_put(&b, "blob", v, n);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    CHECK_RC(put1(s, "Big", "small2", "f", "after"), OSTORE_OK);
    uint8_t *out = malloc(n);
    size_t len = 0;
    CHECK_RC(ostore_get_entry(s, "Big", 3, "huge", 4, "blob", 4, out, n, &len, NULL), OSTORE_OK);
    CHECK(len == n && memcmp(out, v, n) == 0);
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.segments >= 2);
    close_store(s);
    for (int round = 0; round < 2; round++) {
        s = open_opts(dir, 1u << 20, 0, NULL);
        if (!s) { CHECK(0); break; }
        memset(out, 0, n);
        CHECK_RC(ostore_get_entry(s, "Big", 3, "huge", 4, "blob", 4, out, n, &len, NULL), OSTORE_OK);
        CHECK(len == n && memcmp(out, v, n) == 0);
        CHECK(entry_is(s, "Big", "small", "f", "before"));
        CHECK(entry_is(s, "Big", "small2", "f", "after"));
        if (round == 0) {
            CHECK_RC(ostore_compact(s), OSTORE_OK);
            memset(out, 0, n);
            CHECK_RC(ostore_get_entry(s, "Big", 3, "huge", 4, "blob", 4, out, n, &len, NULL), OSTORE_OK);
            CHECK(len == n && memcmp(out, v, n) == 0);
        }
        close_store(s);
        char ck[600];
        path_in(ck, sizeof ck, dir, "index.ckpt");
        unlink(ck);
    }
    bb_free(&b);
    free(v);
    free(out);
}

static void test_compact(const char *dir)
{
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    workload(s, 1500, 8, 11);
    uint64_t d0 = state_of(s);
    ostore_stats a, b2;
    ostore_stats_get(s, &a);
    CHECK(a.garbage_bytes > a.live_bytes);
    CHECK_RC(ostore_compact(s), OSTORE_OK);
    ostore_stats_get(s, &b2);
    CHECK(state_of(s) == d0);
    CHECK(b2.garbage_bytes < a.garbage_bytes / 10);
    CHECK(b2.file_bytes < a.file_bytes);
    CHECK(b2.log_bytes < a.log_bytes);
    CHECK(b2.objects == a.objects && b2.entries == a.entries && b2.live_bytes == a.live_bytes);
    CHECK(b2.compactions == 1 && b2.last_sequence > a.last_sequence);
    workload(s, 50, 8, 12);
    uint64_t d1 = state_of(s);
    CHECK_RC(ostore_compact(s), OSTORE_OK); /* twice */
    CHECK(state_of(s) == d1);
    close_store(s);
    char segs[64][512];
    int ns = list_segs(dir, segs, 64);
    CHECK(ns >= 1 && ns <= 2);
    for (int round = 0; round < 2; round++) {
        s = open_opts(dir, 1u << 20, 0, NULL);
        if (!s) { CHECK(0); return; }
        CHECK(state_of(s) == d1);
        close_store(s);
        char ck[600];
        path_in(ck, sizeof ck, dir, "index.ckpt");
        unlink(ck);
    }
    /* empty store compaction */
    char *e = tmp_dir("empty");
    s = open_store(e);
    if (s) {
        CHECK_RC(ostore_compact(s), OSTORE_OK);
        CHECK_RC(put1(s, "A", "b", "c", "d"), OSTORE_OK);
        close_store(s);
        s = open_store(e);
        CHECK(s && entry_is(s, "A", "b", "c", "d"));
        if (s) close_store(s);
    }
    rm_rf(e);
    free(e);
}

typedef struct reader_arg {
    ostore *s;
    atomic_int *stop;
    long reads;
    int errors;
    unsigned seed;
} reader_arg;

static void expected_value(int k, char *out, size_t cap) { snprintf(out, cap, "value-of-%d-%0*d", k, 40, k * 7); }

static void *reader_main(void *p)
{
    reader_arg *a = p;
    char id[32], want[128], got[128];
    while (!atomic_load(a->stop)) {
        a->seed = a->seed * 1103515245u + 12345u;
        int k = (int)((a->seed >> 8) % 2000);
        snprintf(id, sizeof id, "c%d", k);
        expected_value(k, want, sizeof want);
        size_t len = 0;
        int rc = ostore_get_entry(a->s, "Conc", 4, id, strlen(id), "v", 1, got, sizeof got, &len, NULL);
        if (rc != OSTORE_OK || len != strlen(want) || memcmp(got, want, len) != 0)
            a->errors++;
        uint8_t ob[256];
        size_t ol;
        rc = ostore_get_object(a->s, "Conc", 4, id, strlen(id), ob, sizeof ob, &ol, NULL);
        if (rc != OSTORE_OK)
            a->errors++;
        a->reads++;
    }
    return NULL;
}

static void test_compact_concurrent_readers(const char *dir)
{
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    char id[32], val[128];
    for (int round = 0; round < 5; round++) { /* overwrite everything 5 times: garbage */
        for (int base = 0; base < 2000; base += 200) {
            bb_reset(&b);
            for (int k = base; k < base + 200; k++) {
                snprintf(id, sizeof id, "c%d", k);
                bb_obj(&b, "Conc", id, OSTORE_ANY_VERSION);
                expected_value(k, val, sizeof val);
                bb_puts(&b, "v", val);
                bb_puts(&b, "other", round % 2 ? "odd" : "even");
            }
            CHECK_RC(write_bb(s, &b), OSTORE_OK);
        }
    }
    atomic_int stop = 0;
    reader_arg args[3];
    pthread_t th[3];
    for (int i = 0; i < 3; i++) {
        args[i] = (reader_arg){.s = s, .stop = &stop, .seed = (unsigned)i * 999u + 1u};
        pthread_create(&th[i], NULL, reader_main, &args[i]);
    }
    for (int c = 0; c < 4; c++) {
        CHECK_RC(ostore_compact(s), OSTORE_OK);
        /* a writer between compactions (other entries only) */
        bb_reset(&b);
        bb_obj(&b, "Conc", "c1", OSTORE_ANY_VERSION);
        bb_puts(&b, "other", "w");
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    atomic_store(&stop, 1);
    long reads = 0;
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        CHECK(args[i].errors == 0);
        reads += args[i].reads;
    }
    CHECK(reads > 0);
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.compactions == 4 && st.objects == 2000);
    bb_free(&b);
    close_store(s);
}

static void test_compact_crash_states(const char *dir)
{
    /* state before compaction, closed (old checkpoint + old segments) */
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    workload(s, 600, 8, 21);
    uint64_t d0 = state_of(s);
    close_store(s);
    char *pre = tmp_dir("pre");
    CHECK(copy_dir(dir, pre, NULL) == 0);
    char lockp[600];
    path_in(lockp, sizeof lockp, pre, "LOCK");
    s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    CHECK_RC(ostore_compact(s), OSTORE_OK);
    close_store(s);
    /* (1) crash after step 1: old checkpoint + old segments + new SNAPSHOT segments */
    char *a = tmp_dir("crash1");
    CHECK(copy_dir(pre, a, NULL) == 0);
    CHECK(copy_dir(dir, a, "seg-") == 0);
    s = open_opts(a, 1u << 20, 0, NULL);
    CHECK(s != NULL);
    if (s) {
        CHECK(state_of(s) == d0);
        workload(s, 10, 4, 5);
        uint64_t d1 = state_of(s);
        close_store(s);
        s = open_opts(a, 1u << 20, 0, NULL);
        CHECK(s && state_of(s) == d1);
        if (s) close_store(s);
    }
    /* (1b) same without any checkpoint: full replay of old log + snapshots */
    char *a2 = tmp_dir("crash1b");
    CHECK(copy_dir(pre, a2, "seg-") == 0);
    CHECK(copy_dir(dir, a2, "seg-") == 0);
    s = open_opts(a2, 1u << 20, 0, NULL);
    CHECK(s && state_of(s) == d0);
    if (s) close_store(s);
    /* (2) crash after step 2: new checkpoint, old segments not yet deleted */
    char *b = tmp_dir("crash2");
    CHECK(copy_dir(pre, b, "seg-") == 0);
    CHECK(copy_dir(dir, b, NULL) == 0);
    char segs_before[64][512];
    int nb = list_segs(b, segs_before, 64);
    s = open_opts(b, 1u << 20, 0, NULL);
    CHECK(s && state_of(s) == d0);
    if (s) close_store(s);
    char segs_after[64][512];
    int na = list_segs(b, segs_after, 64);
    CHECK(na < nb);
    CHECK(na == list_segs(dir, segs_after, 64));
    /* (3) crash in the middle of step 1: a partial snapshot (last new record torn) */
    char *c = tmp_dir("crash3");
    CHECK(copy_dir(pre, c, NULL) == 0);
    CHECK(copy_dir(dir, c, "seg-") == 0);
    char cs[64][512];
    int nc = list_segs(c, cs, 64);
    long offs[64];
    int nr = rec_offsets(cs[nc - 1], offs, 64);
    if (nr > 0)
        CHECK(truncate(cs[nc - 1], offs[nr - 1] + 50) == 0);
    s = open_opts(c, 1u << 20, 0, NULL);
    CHECK(s && state_of(s) == d0);
    if (s) close_store(s);
    rm_rf(pre); rm_rf(a); rm_rf(a2); rm_rf(b); rm_rf(c);
    free(pre); free(a); free(a2); free(b); free(c);
}

/* os_io_fault_hook for the compaction fault cases: fails the fi_target-th call named fi_call (one shot) */
static const char *fi_call;
static int fi_target, fi_seen, fi_fired;

static int fi_hook(const char *call)
{
    if (fi_call == NULL || strcmp(call, fi_call) != 0 || ++fi_seen != fi_target)
        return 0;
    fi_fired = 1;
    return EIO;
}

static bool same_file(const char *a, const char *b)
{
    long n = file_size(a);
    if (n < 0 || n != file_size(b))
        return false;
    uint8_t *x = malloc((size_t)n + 1), *y = malloc((size_t)n + 1);
    int fa = open(a, O_RDONLY), fb = open(b, O_RDONLY);
    bool same = x && y && fa >= 0 && fb >= 0 && pread(fa, x, (size_t)n, 0) == n && pread(fb, y, (size_t)n, 0) == n &&
                memcmp(x, y, (size_t)n) == 0;
    if (fa >= 0) close(fa);
    if (fb >= 0) close(fb);
    free(x);
    free(y);
    return same;
}

static void test_compact_checkpoint_io_error_at_each_step(const char *dir)
{
    /* ostore_compact's checkpoint fails at each of its I/O steps in turn (the fsync of index.ckpt.tmp, its
     * rename, every directory fsync: the new segments' and the one after the rename). Whatever fails, the
     * store keeps every object at its latest value: in memory, in a crash image taken right after the failure
     * (FORMAT.md, "Compaction": after the rename the new segments are the log and must not be deleted), in that
     * image with the old index.ckpt put back (a power cut can undo a rename whose directory fsync failed: the
     * old segments must still be there), and after more writes, close and reopen. */
    static const char *const calls[] = {"fsync_ckpt", "rename_ckpt", "fsync_dir"};
    for (size_t c = 0; c < sizeof calls / sizeof calls[0]; c++) {
        for (int n = 1;; n++) {
            char sub[600], oldck[700], ck[700];
            snprintf(sub, sizeof sub, "%s/%s-%d", dir, calls[c], n);
            ostore *s = open_opts(sub, 1u << 20, 0, NULL);
            if (!s) { CHECK(0); return; }
            workload(s, 300, 8, 40 + (unsigned)n);
            CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
            path_in(ck, sizeof ck, sub, "index.ckpt");
            snprintf(oldck, sizeof oldck, "%s.old", sub);
            CHECK(copy_file(ck, oldck) == 0);
            uint64_t d0 = state_of(s);
            fi_call = calls[c];
            fi_target = n;
            fi_seen = fi_fired = 0;
            os_io_fault_hook = fi_hook;
            int rc = ostore_compact(s);
            os_io_fault_hook = NULL;
            int fired = fi_fired;
            CHECK_RC(rc, fired ? OSTORE_IO : OSTORE_OK);
            CHECK(state_of(s) == d0);
            bool renamed = !same_file(ck, oldck);
            /* a kill -9 right after the failure */
            char *img = tmp_dir("cmpfault");
            CHECK(copy_dir(sub, img, NULL) == 0);
            ostore *r = open_opts(img, 1u << 20, 0, NULL);
            CHECK(r != NULL);
            if (r) {
                CHECK(state_of(r) == d0);
                close_store(r);
            }
            rm_rf(img);
            if (renamed && fired) { /* the rename lost by a power cut: the old checkpoint with the old segments */
                CHECK(copy_dir(sub, img, NULL) == 0);
                char ick[700];
                path_in(ick, sizeof ick, img, "index.ckpt");
                CHECK(copy_file(oldck, ick) == 0);
                r = open_opts(img, 1u << 20, 0, NULL);
                CHECK(r != NULL);
                if (r) {
                    CHECK(state_of(r) == d0);
                    close_store(r);
                }
                rm_rf(img);
            }
            free(img);
            workload(s, 20, 6, 90 + (unsigned)n);
            uint64_t d1 = state_of(s);
            close_store(s);
            s = open_opts(sub, 1u << 20, 0, NULL);
            CHECK(s != NULL);
            if (s) {
                CHECK(state_of(s) == d1);
                close_store(s);
            }
            unlink(oldck);
            if (!fired)
                break; /* every call of this kind was failed once */
            CHECK(n < 50);
            if (n >= 50)
                break;
        }
    }
}

/* ---- background checkpoints (FORMAT.md, "Checkpoint file") ---- */

/* The hook the background checkpoint thread calls at each phase: counts phases and, when asked, holds the
 * thread at one phase (once) until released — or forever, for the kill tests. */
static pthread_mutex_t hk_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hk_cv = PTHREAD_COND_INITIALIZER;
static int hk_hold_phase;   /* phase to hold at (0: none) */
static int hk_forever;      /* hold without release */
static int hk_held;         /* the thread is held (or was) at hk_hold_phase */
static int hk_release;
static int hk_count[16];    /* calls per phase */

static void hk_hook(int phase)
{
    pthread_mutex_lock(&hk_mu);
    hk_count[phase]++;
    if (phase == hk_hold_phase && !hk_held) {
        hk_held = 1;
        pthread_cond_broadcast(&hk_cv);
        while (hk_forever || !hk_release)
            pthread_cond_wait(&hk_cv, &hk_mu);
    } else {
        pthread_cond_broadcast(&hk_cv);
    }
    pthread_mutex_unlock(&hk_mu);
}

static void hk_set(int hold, int forever)
{
    pthread_mutex_lock(&hk_mu);
    hk_hold_phase = hold;
    hk_forever = forever;
    hk_held = hk_release = 0;
    memset(hk_count, 0, sizeof hk_count);
    pthread_mutex_unlock(&hk_mu);
    os_ckpt_phase_hook = hk_hook;
}

static bool hk_is_held(void)
{
    pthread_mutex_lock(&hk_mu);
    bool held = hk_held;
    pthread_mutex_unlock(&hk_mu);
    return held;
}

static void hk_wait_held(void)
{
    pthread_mutex_lock(&hk_mu);
    while (!hk_held)
        pthread_cond_wait(&hk_cv, &hk_mu);
    pthread_mutex_unlock(&hk_mu);
}

static void hk_wait_count(int phase, int n)
{
    pthread_mutex_lock(&hk_mu);
    while (hk_count[phase] < n)
        pthread_cond_wait(&hk_cv, &hk_mu);
    pthread_mutex_unlock(&hk_mu);
}

static void hk_let_go(void)
{
    pthread_mutex_lock(&hk_mu);
    hk_release = 1;
    pthread_cond_broadcast(&hk_cv);
    pthread_mutex_unlock(&hk_mu);
}

#define BG_OBJS 3000 /* more than the objects the thread encodes per hold of the read lock */

/* Loads BG_OBJS objects (class A, ids bg-K, entries f0 and f1), 100 per batch. */
static void bg_load(ostore *s)
{
    bb b;
    bb_init(&b);
    char id[32], val[96];
    for (int base = 0; base < BG_OBJS; base += 100) {
        bb_reset(&b);
        for (int k = base; k < base + 100; k++) {
            snprintf(id, sizeof id, "bg-%d", k);
            bb_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
            snprintf(val, sizeof val, "first-%d-%060d", k, k);
            bb_puts(&b, "f0", val);
            bb_puts(&b, "f1", "x");
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_free(&b);
}

/* Changes every kind of state after the load: overwrites, entry deletes, new entries with long names,
 * object deletes and re-creates, new objects. Deterministic in round. */
static void bg_churn(ostore *s, int round)
{
    bb b;
    bb_init(&b);
    char id[32], val[96];
    for (int base = 0; base < BG_OBJS + 200; base += 100) {
        bb_reset(&b);
        for (int k = base; k < base + 100; k++) {
            snprintf(id, sizeof id, "bg-%d", k);
            int what = (k + round) % 5;
            if (what == 0) {
                bb_del_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
                continue;
            }
            bb_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
            snprintf(val, sizeof val, "round-%d-%d", round, k);
            bb_puts(&b, "f0", val);
            if (what == 1)
                bb_del(&b, "f1");
            if (what == 2)
                bb_puts(&b, "a-long-entry-name", val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_free(&b);
}

static ostore *open_interval(const char *dir, uint64_t interval)
{
    ostore_options o;
    ostore_options_init(&o);
    o.checkpoint_interval_bytes = interval;
    ostore *s = NULL;
    char err[256];
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc != OSTORE_OK)
        fprintf(stderr, "  open %s: %s\n", dir, err);
    return s;
}

static uint64_t ckpt_last_seq(const char *dir)
{
    return ckpt_header_field(dir, 40, 8);
}

/* on: version-5 checkpoints split every 50 objects and loaded in up to 3 parts of at least 50; off: the defaults */
static void splits_small(bool on)
{
    os_ckpt_split_objects = on ? 50 : OS_CKPT_SPLIT_OBJECTS;
    os_load_part_min = on ? 50 : OS_LOAD_PART_MIN;
    os_load_threads = on ? 3 : 0;
}

/* slots of the store's pre-image array that are set */
static size_t pre_slots_set(const ostore *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ckpt_pre_cap; i++)
        n += atomic_load_explicit(&s->ckpt_pre[i], memory_order_relaxed) != NULL;
    return n;
}

/* Churns until the next automatic checkpoint starts and is held at OS_CKPT_PHASE_SYNCED (before it encodes
 * anything), changes every object once more (so the writer keeps pre-images of those the checkpoint has), then lets
 * it finish and collects it. Returns how many pre-image slots were set while it was held. */
static size_t held_checkpoint_with_pre_images(ostore *s, int *round)
{
    hk_set(OS_CKPT_PHASE_SYNCED, 0);
    for (int tries = 0; !hk_is_held() && tries < 40; tries++)
        bg_churn(s, (*round)++);
    CHECK(hk_is_held());
    if (!hk_is_held())
        return 0;
    bg_churn(s, (*round)++);
    size_t set = pre_slots_set(s);
    hk_let_go();
    pthread_mutex_lock(&s->wmu);
    os_ckpt_bg_wait(s);
    pthread_mutex_unlock(&s->wmu);
    CHECK(s->bg == NULL);
    return set;
}

static void test_pre_image_slots_are_kept_and_cleared_between_checkpoints(const char *dir)
{
    /* a background checkpoint held before it encodes anything while the writer changes the objects it will encode:
     * the writer keeps their pre-images in the store's slots; once the checkpoint is collected every slot is NULL
     * again, and the array stays the store's for the next checkpoint (not freed and faulted in afresh) unless the
     * index outgrew it */
    hk_set(0, 0); /* counts only */
    ostore *s = open_interval(dir, 64 * 1024);
    if (!s) { CHECK(0); os_ckpt_phase_hook = NULL; return; }
    bg_load(s);
    int round = 1;
    bg_churn(s, round++); /* every object of the test exists from here on: the index does not grow */
    pthread_mutex_lock(&s->wmu); /* a checkpoint started meanwhile may have a smaller index: let it end */
    os_ckpt_bg_wait(s);
    pthread_mutex_unlock(&s->wmu);
    size_t first = held_checkpoint_with_pre_images(s, &round);
    CHECK(first > 0 && s->ckpt_pre != NULL && pre_slots_set(s) == 0);
    _Atomic(uint8_t *) *slots = s->ckpt_pre;
    size_t cap = s->ckpt_pre_cap;
    size_t second = held_checkpoint_with_pre_images(s, &round); /* the index has not grown past the slots */
    CHECK(second > 0 && s->ckpt_pre == slots && s->ckpt_pre_cap == cap && pre_slots_set(s) == 0);
    printf("  %zu and %zu pre-images in two held checkpoints; one array of %zu slots, clear after each\n", first,
           second, cap);
    uint64_t d = state_of(s);
    close_store(s);
    os_ckpt_phase_hook = NULL;
    s = open_store(dir);
    CHECK(s && state_of(s) == d);
    if (s) close_store(s);
}

static void test_bg_checkpoint_consistent_with_concurrent_publishes(const char *dir)
{
    /* nothing held: background checkpoints (every 64 KiB of log) encode objects while the writer publishes
     * changes to them — the thread reads each object under its sequence and the writer does not exclude it.
     * Each checkpoint must still be the state at its own snapshot point: a crash image taken when the writer
     * stops (whichever checkpoint is newest, plus the log after it) opens to exactly the current state. A
     * checkpoint that took an object's state from after its snapshot would have the later version, and replaying
     * the records after its position would then count the version up twice. */
    hk_set(0, 0); /* counts phases only */
    ostore *s = open_interval(dir, 64 * 1024);
    if (!s) { CHECK(0); os_ckpt_phase_hook = NULL; return; }
    bg_load(s);
    for (int r = 1; r <= 8; r++)
        bg_churn(s, r);
    /* The crash image must have records after its checkpoint (so replay runs over them). The last churn batch
     * may itself have started a checkpoint that covers everything: then write small batches, one at a time,
     * until the newest finished checkpoint is older than the last record. */
    bb tail;
    bb_init(&tail);
    for (int extra = 0;; extra++) {
        pthread_mutex_lock(&s->wmu); /* let the last checkpoint finish (the writer is stopped) */
        os_ckpt_bg_wait(s);
        pthread_mutex_unlock(&s->wmu);
        if (ckpt_last_seq(dir) < last_seq(s) || extra == 100)
            break;
        bb_reset(&tail);
        bb_obj(&tail, CLASSES[0], "bg-tail", OSTORE_ANY_VERSION);
        bb_puts(&tail, "f0", "tail");
        CHECK_RC(write_bb(s, &tail), OSTORE_OK);
    }
    bb_free(&tail);
    uint64_t d = state_of(s);
    char *cp = tmp_dir("bgconc");
    CHECK(copy_dir(dir, cp, NULL) == 0);
    pthread_mutex_lock(&hk_mu);
    int written = hk_count[OS_CKPT_PHASE_RENAMED];
    pthread_mutex_unlock(&hk_mu);
    CHECK(written >= 1);
    CHECK(ckpt_last_seq(cp) > 0 && ckpt_last_seq(cp) < last_seq(s)); /* records written after its snapshot */
    ostore *c = open_store(cp);
    CHECK(c != NULL);
    char ckc[600];
    path_in(ckc, sizeof ckc, cp, "index.ckpt");
    CHECK(file_size(ckc) > 0); /* used: a writable open deletes a checkpoint it cannot use */
    if (c && file_size(ckc) <= 0) {
        char m[512];
        ostore_last_error(c, m, sizeof m);
        fprintf(stderr, "  checkpoint not used: %s\n", m);
    }
    if (c) {
        CHECK(state_of(c) == d);
        close_store(c);
    }
    close_store(s);
    os_ckpt_phase_hook = NULL;
    s = open_store(dir);
    CHECK(s && state_of(s) == d);
    if (s) close_store(s);
    rm_rf(cp);
    free(cp);
}

static void test_bg_checkpoint_consistent_under_writes(const char *dir)
{
    /* the thread is held after its first objects; meanwhile the writer changes (nearly) every object of the
     * snapshot: the checkpoint must still be the state at its snapshot point, so that a crash image
     * (checkpoint + log replayed after it) opens to exactly the current state */
    hk_set(OS_CKPT_PHASE_WRITING, 0);
    splits_small(true); /* the checkpoint written from pre-images has splits, and the crash copy loads in parts */
    ostore *s = open_interval(dir, 64 * 1024);
    if (!s) { CHECK(0); os_ckpt_phase_hook = NULL; splits_small(false); return; }
    bg_load(s);
    hk_wait_held();
    uint64_t seq_at_hold = last_seq(s);
    bg_churn(s, 1);
    bg_churn(s, 2);
    uint64_t d = state_of(s);
    hk_let_go();
    hk_wait_count(OS_CKPT_PHASE_DONE, 1);
    char *cp = tmp_dir("bgcopy");
    CHECK(copy_dir(dir, cp, NULL) == 0);
    uint64_t cks = ckpt_last_seq(cp);
    CHECK(cks > 0 && cks <= seq_at_hold); /* the checkpoint is from before the churn */
    CHECK(last_seq(s) > cks);
    ostore *c = open_store(cp);
    CHECK(c != NULL);
    char ckc[600];
    path_in(ckc, sizeof ckc, cp, "index.ckpt");
    CHECK(file_size(ckc) > 0); /* used: a writable open deletes a checkpoint it cannot use */
    CHECK(os_load_parts_used == 3);
    if (c) {
        CHECK(state_of(c) == d);
        CHECK(last_seq(c) == last_seq(s));
        close_store(c);
    }
    close_store(s);
    s = open_store(dir); /* and after a clean close */
    CHECK(s && state_of(s) == d);
    if (s) close_store(s);
    os_ckpt_phase_hook = NULL;
    splits_small(false);
    rm_rf(cp);
    free(cp);
}

/* One "killed at a phase" case of a background job (checkpoint or compaction): how the child opens its store,
 * the writes that start the job, the writes done while the job is held, and the job's last phase (the job is
 * not held there but waited for: it then simply ends). */
typedef struct kill_case {
    ostore *(*open)(const char *dir);
    void (*before)(ostore *s);
    void (*after)(ostore *s);
    int end_phase;
} kill_case;

/* Runs the case in a forked child that holds the background job at phase ph forever (through the phase hook),
 * goes on writing, reports through a pipe that it got there with no failed check, and is then killed with
 * SIGKILL: the directory d is left as a crash at that phase leaves it. */
static void kill_at_phase(const kill_case *kc, const char *d, int ph)
{
    int fds[2];
    if (pipe(fds) != 0) {
        CHECK(0);
        return;
    }
    int fails_before = cur_fail;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        bool end = ph == kc->end_phase;
        hk_set(end ? 0 : ph, 1); /* held there forever (the end phase: the job just ends) */
        ostore *s = kc->open(d);
        if (!s)
            _exit(3);
        kc->before(s);
        if (end)
            hk_wait_count(ph, 1);
        else
            hk_wait_held();
        kc->after(s); /* the writer goes on while the job is held */
        char ok = cur_fail != fails_before ? 'F' : 'K';
        if (write(fds[1], &ok, 1) != 1)
            _exit(4);
        for (;;)
            pause(); /* killed here, while the job is held at the phase */
    }
    close(fds[1]);
    char got = 0;
    ssize_t n = read(fds[0], &got, 1);
    close(fds[0]);
    CHECK(n == 1 && got == 'K');
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
}

static ostore *bg_ckpt_open(const char *d) { return open_interval(d, 64 * 1024); }
static void bg_churn1(ostore *s) { bg_churn(s, 1); }
/* the first background checkpoint starts during the load */
static const kill_case bg_ckpt_kill = {bg_ckpt_open, bg_load, bg_churn1, OS_CKPT_PHASE_DONE};

static void test_bg_checkpoint_killed_at_each_phase(const char *dir)
{
    (void)dir; /* each phase gets a fresh directory */
    splits_small(true); /* the killed children's checkpoints have splits; a renamed one loads in parts */
    /* the reference: the same batches in a store without automatic checkpoints */
    char *ref = tmp_dir("bgref");
    ostore *r = open_interval(ref, UINT64_MAX);
    if (!r) { CHECK(0); free(ref); splits_small(false); return; }
    bg_load(r);
    bg_churn(r, 1);
    uint64_t want = state_of(r), want_seq = last_seq(r);
    close_store(r);
    static const int phases[] = {OS_CKPT_PHASE_SYNCED, OS_CKPT_PHASE_WRITING, OS_CKPT_PHASE_WRITTEN,
                                 OS_CKPT_PHASE_RENAMED, OS_CKPT_PHASE_DONE};
    for (size_t pi = 0; pi < sizeof phases / sizeof phases[0]; pi++) {
        int ph = phases[pi];
        char *d = tmp_dir("bgkill");
        int fails_before = cur_fail;
        kill_at_phase(&bg_ckpt_kill, d, ph);
        char ck[600], tmp[600];
        path_in(ck, sizeof ck, d, "index.ckpt");
        path_in(tmp, sizeof tmp, d, "index.ckpt.tmp");
        /* the files are in the state of the phase */
        bool renamed = ph == OS_CKPT_PHASE_RENAMED || ph == OS_CKPT_PHASE_DONE;
        CHECK((file_size(ck) > 0) == renamed);
        if (ph != OS_CKPT_PHASE_DONE) /* (after DONE a later checkpoint may be under way) */
            CHECK((file_size(tmp) >= 0) == (ph == OS_CKPT_PHASE_WRITING || ph == OS_CKPT_PHASE_WRITTEN));
        ostore *s = open_store(d);
        CHECK(s != NULL);
        CHECK((file_size(ck) > 0) == renamed); /* a renamed checkpoint was used (else open deletes it) */
        CHECK(!renamed || os_load_parts_used == 3);
        if (s) {
            CHECK(state_of(s) == want);
            CHECK(last_seq(s) == want_seq);
            close_store(s);
        }
        if (cur_fail != fails_before)
            fprintf(stderr, "  (killed at phase %d)\n", ph);
        rm_rf(d);
        free(d);
    }
    rm_rf(ref);
    free(ref);
    splits_small(false);
}

/* ---- automatic background compaction (FORMAT.md, "Compaction") ---- */

static ostore *open_cmp(const char *dir, uint64_t interval, uint32_t percent)
{
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    o.checkpoint_interval_bytes = interval;
    o.compact_garbage_percent = percent;
    ostore *s = NULL;
    char err[256];
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    if (rc != OSTORE_OK)
        fprintf(stderr, "  open %s: %s\n", dir, err);
    return s;
}

#define CMP_ROUNDS 20 /* churn rounds before the kill: several MiB of garbage on 1 MiB segments */

static ostore *bg_cmp_open(const char *d) { return open_cmp(d, UINT64_MAX, 50); }
static void bg_cmp_before(ostore *s)
{
    bg_load(s);
    for (int k = 1; k <= CMP_ROUNDS; k++)
        bg_churn(s, k);
}
static void bg_churn99(ostore *s) { bg_churn(s, 99); }
static const kill_case bg_cmp_kill = {bg_cmp_open, bg_cmp_before, bg_churn99, OS_CMP_PHASE_DROPPED};

static void test_bg_compaction_killed_at_each_phase(const char *dir)
{
    (void)dir; /* each phase gets a fresh directory */
    char *ref = tmp_dir("cmpref");
    ostore *r = open_cmp(ref, UINT64_MAX, 100);
    if (!r) { CHECK(0); free(ref); return; }
    bg_load(r);
    for (int k = 1; k <= CMP_ROUNDS; k++)
        bg_churn(r, k);
    bg_churn(r, 99);
    uint64_t want = state_of(r), want_seq = last_seq(r);
    ostore_stats rst;
    ostore_stats_get(r, &rst);
    close_store(r);
    /* only the compaction's own checkpoint runs (automatic checkpoints off), so its phases are the ones held */
    static const int phases[] = {OS_CMP_PHASE_STEP, OS_CKPT_PHASE_SYNCED, OS_CKPT_PHASE_WRITING,
                                 OS_CKPT_PHASE_WRITTEN, OS_CKPT_PHASE_RENAMED, OS_CMP_PHASE_DROPPED};
    for (size_t pi = 0; pi < sizeof phases / sizeof phases[0]; pi++) {
        int ph = phases[pi];
        char *d = tmp_dir("cmpkill");
        int fails_before = cur_fail;
        kill_at_phase(&bg_cmp_kill, d, ph);
        ostore *s = open_cmp(d, UINT64_MAX, 100);
        CHECK(s != NULL);
        if (s) {
            CHECK(state_of(s) == want);
            CHECK(last_seq(s) >= want_seq); /* + the SNAPSHOT records written by the compaction */
            ostore_stats st;
            ostore_stats_get(s, &st);
            if (ph == OS_CKPT_PHASE_RENAMED || ph == OS_CMP_PHASE_DROPPED) /* old segments gone (at open) */
                CHECK(st.log_bytes < rst.log_bytes);
            close_store(s);
            s = open_cmp(d, UINT64_MAX, 100); /* and the state survives a clean close */
            CHECK(s && state_of(s) == want);
            if (s) close_store(s);
        }
        if (cur_fail != fails_before)
            fprintf(stderr, "  (killed at phase %d)\n", ph);
        rm_rf(d);
        free(d);
    }
    os_ckpt_phase_hook = NULL;
    rm_rf(ref);
    free(ref);
}

/* ---- spare segments (spare.c; FORMAT.md, "Segment file") ---- */

static ostore *open_spare_store(const char *dir) { return open_opts(dir, 1u << 20, 0, NULL); }

/* churn rounds until a rollover has renamed a spare (the writer waits between rounds while one is being
 * created, so one is ready at a rollover); returns the rounds written, -1 if none was adopted in 400 rounds */
static int churn_until_spare_adopted(ostore *s, uint64_t want_adopted)
{
    for (int round = 1; round <= 400; round++) {
        bg_churn(s, round);
        if (atomic_load(&s->spare_adopted) >= want_adopted)
            return round;
        for (int w = 0; w < 2000 && atomic_load(&s->spare_busy); w++)
            usleep(1000);
    }
    return -1;
}

static uint64_t reference_state(int rounds, uint64_t *seq)
{
    char *ref = tmp_dir("spareref");
    ostore *r = open_opts(ref, 1u << 20, 0, NULL);
    uint64_t want = 0;
    if (r) {
        bg_load(r);
        for (int k = 1; k <= rounds; k++)
            bg_churn(r, k);
        want = state_of(r);
        *seq = last_seq(r);
        close_store(r);
    }
    rm_rf(ref);
    free(ref);
    return want;
}

static void test_rollover_renames_the_spare_segment(const char *dir)
{
    ostore *s = open_spare_store(dir);
    if (!s) { CHECK(0); return; }
    bg_load(s);
    int rounds = churn_until_spare_adopted(s, 2);
    CHECK(rounds > 0);
    CHECK(atomic_load(&s->spare_adopted) >= 2);
    uint64_t want = state_of(s), seq = last_seq(s);
    uint64_t adopted_id = s->next_seg_id - 1; /* the segment written now: a renamed spare, or one created after */
    char path[600], segs[64][512];
    snprintf(path, sizeof path, "%s/seg-%016llx.log", dir, (unsigned long long)adopted_id);
    CHECK(file_size(path) > 0);
    CHECK_RC(ostore_sync(s), OSTORE_OK); /* the renamed segment's first sync: its name made durable */
    close_store(s);
    CHECK(count_spares(dir) == 0); /* close deletes a spare that was ready or under way */
    int nseg = list_segs(dir, segs, 64);
    CHECK(nseg >= 3);
    s = open_spare_store(dir);
    CHECK(s != NULL);
    if (s) {
        CHECK(state_of(s) == want);
        CHECK(last_seq(s) == seq);
        close_store(s);
    }
    uint64_t ref_seq = 0;
    CHECK(reference_state(rounds, &ref_seq) == want);
    CHECK(ref_seq == seq);
}

static void test_open_deletes_left_over_spares(const char *dir)
{
    ostore *s = open_spare_store(dir);
    if (!s) { CHECK(0); return; }
    bg_load(s);
    uint64_t want = state_of(s), next = s->next_seg_id;
    close_store(s);
    /* what a crash leaves: a spare for the next id (header only) and one with garbage */
    char p1[600], p2[600];
    snprintf(p1, sizeof p1, "%s/seg-%016llx.spare", dir, (unsigned long long)next);
    snprintf(p2, sizeof p2, "%s/seg-%016llx.spare", dir, (unsigned long long)(next + 7));
    ostore *t = NULL;
    {
        os_err e = {0};
        os_seg *g = NULL;
        CHECK(os_seg_create_spare(dir, next, 1u << 20, 4096, &g, &e) == OSTORE_OK);
        if (g) os_seg_close(g);
        FILE *f = fopen(p2, "wb");
        CHECK(f != NULL);
        if (f) { fputs("not a segment", f); fclose(f); }
    }
    CHECK(count_spares(dir) == 2);
    t = open_opts(dir, 1u << 20, OSTORE_OPEN_READ_ONLY, NULL); /* a read-only open leaves them */
    CHECK(t != NULL);
    if (t) { CHECK(state_of(t) == want); close_store(t); }
    CHECK(count_spares(dir) == 2);
    s = open_spare_store(dir);
    CHECK(s != NULL);
    CHECK(count_spares(dir) == 0);
    CHECK(file_size(p1) < 0 && file_size(p2) < 0);
    if (s) {
        CHECK(state_of(s) == want);
        CHECK(s->next_seg_id == next); /* the spare's id is given again: it was never part of the log */
        close_store(s);
    }
}

static void test_first_sync_after_a_renamed_spare_reports_a_failed_directory_fsync(const char *dir)
{
    ostore *s = open_spare_store(dir);
    if (!s) { CHECK(0); return; }
    bg_load(s);
    CHECK(churn_until_spare_adopted(s, 1) > 0);
    os_seg *g = s->log.segs[s->log.n - 1];
    bool renamed = atomic_load(&g->dir_unsynced) != NULL;
    if (!renamed) { /* the adopting rollover's segment was already synced by a later rollover: roll again */
        CHECK(churn_until_spare_adopted(s, atomic_load(&s->spare_adopted) + 1) > 0);
        g = s->log.segs[s->log.n - 1];
        renamed = atomic_load(&g->dir_unsynced) != NULL;
    }
    CHECK(renamed);
    fi_call = "fsync_dir";
    fi_target = 1;
    fi_seen = fi_fired = 0;
    os_io_fault_hook = fi_hook;
    int rc = ostore_sync(s);
    os_io_fault_hook = NULL;
    CHECK(fi_fired == 1);
    CHECK(rc == OSTORE_IO); /* never "durable" while the segment's name may not be */
    CHECK(atomic_load(&g->dir_unsynced) != NULL);
    CHECK_RC(ostore_sync(s), OSTORE_OK); /* the next sync fsyncs the directory */
    CHECK(atomic_load(&g->dir_unsynced) == NULL);
    close_store(s);
}

/* A child loads and churns with the spare thread held at OS_SPARE_PHASE_CREATED forever (hold) or until a
 * rollover renamed a spare (!hold), then writes `more` rounds and is killed with SIGKILL; returns the rounds
 * written in all (-1 on failure). */
static int spare_kill_child(const char *d, bool hold, int more)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        hk_set(hold ? OS_SPARE_PHASE_CREATED : 0, 1);
        ostore *s = open_spare_store(d);
        if (!s)
            _exit(3);
        bg_load(s);
        int rounds;
        if (hold) {
            rounds = 0;
            while (!hk_is_held() && rounds < 400) /* the first rollover requests a spare: it is held once created */
                bg_churn(s, ++rounds);
            if (!hk_is_held())
                rounds = -1; /* no spare was ever created */
        } else {
            rounds = churn_until_spare_adopted(s, 1);
        }
        for (int k = 1; rounds > 0 && k <= more; k++)
            bg_churn(s, rounds + k); /* more rollovers: with the spare held, each creates its segment itself */
        int total = rounds > 0 ? rounds + more : -1;
        if (write(fds[1], &total, sizeof total) != (ssize_t)sizeof total)
            _exit(4);
        for (;;)
            pause();
    }
    close(fds[1]);
    int total = -1;
    if (read(fds[0], &total, sizeof total) != (ssize_t)sizeof total)
        total = -1;
    close(fds[0]);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    return total;
}

static void test_spare_segment_killed_at_each_phase(const char *dir)
{
    (void)dir; /* each phase gets a fresh directory */
    for (int hold = 1; hold >= 0; hold--) {
        char *d = tmp_dir("sparekill");
        int fails_before = cur_fail;
        int rounds = spare_kill_child(d, hold, 12);
        CHECK(rounds > 0);
        if (hold)
            CHECK(count_spares(d) == 1); /* the held spare, never handed over */
        uint64_t want_seq = 0, want = reference_state(rounds, &want_seq);
        ostore *s = open_spare_store(d);
        CHECK(s != NULL);
        CHECK(count_spares(d) == 0);
        if (s) {
            CHECK(state_of(s) == want);
            CHECK(last_seq(s) == want_seq);
            bg_churn(s, 999); /* and the log goes on from there */
            close_store(s);
        }
        s = open_spare_store(d);
        CHECK(s != NULL);
        if (s) close_store(s);
        if (cur_fail != fails_before)
            fprintf(stderr, "  (killed with the spare %s)\n", hold ? "held after creation" : "renamed");
        rm_rf(d);
        free(d);
    }
    os_ckpt_phase_hook = NULL;
}

typedef struct cmp_reader {
    ostore *s;
    atomic_int *stop;
    unsigned seed;
    int in_place; /* read through read transactions (ostore_get_object_ref), holding the value across a yield */
    long reads, errors;
} cmp_reader;

/* every object cr-K keeps entry "k" = its number while everything else churns */
static void *cmp_reader_main(void *p)
{
    cmp_reader *a = p;
    char id[32], want[32], got[64];
    while (!atomic_load(a->stop)) {
        a->seed = a->seed * 1103515245u + 12345u;
        int k = (int)((a->seed >> 8) % 500);
        snprintf(id, sizeof id, "cr-%d", k);
        snprintf(want, sizeof want, "%d", k);
        size_t len = 0;
        if (a->in_place) {
            /* the value's segment may be compacted away meanwhile: the pin must keep it mapped and unchanged
             * until ostore_read_end (a read of an unmapped segment crashes the test; ASan/TSan see a reuse) */
            uint32_t pin;
            ostore_entry_ref r[2];
            size_t n = 0;
            ostore_read_begin(a->s, &pin);
            int rc = ostore_get_object_ref(a->s, CLASSES[1], strlen(CLASSES[1]), id, strlen(id), r, 2, &n, NULL);
            bool ok = rc == OSTORE_OK && n == 1 && r[0].name_len == 1 && memcmp(r[0].name, "k", 1) == 0 &&
                      r[0].value_len == strlen(want) && memcmp(r[0].value, want, r[0].value_len) == 0;
            if (ok) {
                sched_yield(); /* a background step or the writer may run now and must wait for this pin */
                ok = memcmp(r[0].value, want, r[0].value_len) == 0 && memcmp(r[0].name, "k", 1) == 0;
            }
            ostore_read_end(a->s, pin);
            if (!ok)
                a->errors++;
        } else {
            int rc = ostore_get_entry(a->s, CLASSES[1], strlen(CLASSES[1]), id, strlen(id), "k", 1, got, sizeof got,
                                      &len, NULL);
            if (rc != OSTORE_OK || len != strlen(want) || memcmp(got, want, len) != 0)
                a->errors++;
        }
        a->reads++;
    }
    return NULL;
}

/* Writes `n` objects of class CLASSES[2] (ids ow-K), one 100-byte entry each, 1 000 per batch; fill varies the
 * values. */
static void ow_pass(ostore *s, int n, int fill)
{
    bb b;
    bb_init(&b);
    char id[32];
    unsigned char val[100];
    for (int base = 0; base < n; base += 1000) {
        bb_reset(&b);
        for (int k = base; k < base + 1000 && k < n; k++) {
            snprintf(id, sizeof id, "ow-%08d", k);
            bb_obj(&b, CLASSES[2], id, OSTORE_ANY_VERSION);
            for (int j = 0; j < 100; j++)
                val[j] = (unsigned char)(k * 31 + j * 7 + fill);
            bb_put(&b, "v", val, sizeof val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_free(&b);
}

static void test_auto_compaction_bounds_the_log_after_an_overwrite(const char *dir)
{
    /* default options: compact_garbage_percent 50 of the state a compaction would write. Overwriting every
     * object once makes garbage equal to the state; the compaction is due halfway through and close lets a
     * compaction in flight finish (FORMAT.md, "Compaction"). The log after close is then at most the records
     * written after the compaction started (half the state) plus the state restated: 1.5 times the state, not
     * twice (plus a stopped compaction's abandoned records) as when the threshold was a share of the log. */
    ostore_options o;
    ostore_options_init(&o);
    ostore *s = NULL;
    char err[512];
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_OK);
    if (!s) return;
    enum { N = 80000 }; /* state ≈ 9.5 MiB: its half is above the 4 MiB floor */
    ow_pass(s, N, 0);
    close_store(s);
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_OK);
    if (!s) return;
    ow_pass(s, N, 1);
    uint64_t d = state_of(s);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); return; }
    ostore_stats st;
    CHECK_RC(ostore_stats_get(s, &st), OSTORE_OK);
    uint64_t state = st.log_bytes - st.garbage_bytes;
    fprintf(stderr, "  log %llu B, state %llu B (%.2fx), %llu segments\n", (unsigned long long)st.log_bytes,
            (unsigned long long)state, (double)st.log_bytes / (double)state, (unsigned long long)st.segments);
    CHECK(st.objects == N);
    CHECK(st.log_bytes * 100 <= state * 155);
    CHECK(state_of(s) == d);
    char seg1[600];
    path_in(seg1, sizeof seg1, dir, "seg-0000000000000001.log");
    CHECK(file_size(seg1) < 0); /* compacted away */
    close_store(s);
}

/* Automatic compactions after the first start at least min(32 MiB, segment_size) of batches apart (FORMAT.md,
 * "Compaction"): a small store overwritten again and again compacts once at the 4 MiB floor, then not again until
 * 32 MiB more were written, however far past 50 % of its state its garbage is; then it does. */
static void test_auto_compactions_are_spaced_by_what_was_written(const char *dir)
{
    ostore_options o;
    ostore_options_init(&o); /* default segments (256 MiB): the spacing is 32 MiB */
    ostore *s = NULL;
    char err[512];
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_OK);
    if (!s) return;
    enum { N = 8000 }; /* state ≈ 1 MiB; a pass writes ≈ 0.9 MiB */
    ostore_stats st = {0};
    int pass = 0;
    for (; pass < 12 && st.compactions == 0; pass++) { /* the first: at the 4 MiB floor */
        ow_pass(s, N, pass);
        pthread_mutex_lock(&s->wmu);
        os_ckpt_bg_finish(s); /* let one that started finish */
        pthread_mutex_unlock(&s->wmu);
        CHECK_RC(ostore_stats_get(s, &st), OSTORE_OK);
    }
    fprintf(stderr, "  first compaction after %d passes\n", pass);
    CHECK(st.compactions == 1);
    CHECK(pass <= 7); /* ≈ 4.5 MiB of garbage at most: the floor, not the spacing */
    int first = pass;
    for (; pass < first + 20; pass++) /* ≈ 18 MiB more: garbage ≫ 50 % of the state, below the spacing */
        ow_pass(s, N, pass);
    CHECK_RC(ostore_stats_get(s, &st), OSTORE_OK);
    fprintf(stderr, "  %d passes later: garbage %llu B, %llu compactions\n", pass - first,
            (unsigned long long)st.garbage_bytes, (unsigned long long)st.compactions);
    CHECK(st.compactions == 1);
    CHECK(st.garbage_bytes > 8u * (st.log_bytes - st.garbage_bytes));
    for (; pass < first + 60 && st.compactions == 1; pass++) { /* on past 32 MiB since the first */
        ow_pass(s, N, pass);
        pthread_mutex_lock(&s->wmu);
        os_ckpt_bg_finish(s);
        pthread_mutex_unlock(&s->wmu);
        CHECK_RC(ostore_stats_get(s, &st), OSTORE_OK);
    }
    fprintf(stderr, "  second compaction %d passes after the first\n", pass - first);
    CHECK(st.compactions == 2);
    CHECK(pass - first >= 34); /* 32 MiB of ≈ 0.9 MiB passes */
    close_store(s);
}

static void test_auto_compaction_with_readers_and_writers(const char *dir)
{
    /* readers read while the writer churns and automatic compactions and checkpoints run in the background
     * (under `make tsan` this is the data race check of both); values must never be wrong or missing */
    hk_set(0, 0);
    ostore *s = open_cmp(dir, 256 * 1024, 50);
    if (!s) { CHECK(0); os_ckpt_phase_hook = NULL; return; }
    bb b;
    bb_init(&b);
    char id[32], val[32];
    bb_reset(&b);
    for (int k = 0; k < 500; k++) {
        snprintf(id, sizeof id, "cr-%d", k);
        bb_obj(&b, CLASSES[1], id, OSTORE_ANY_VERSION);
        snprintf(val, sizeof val, "%d", k);
        bb_puts(&b, "k", val);
    }
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bg_load(s);
    atomic_int stop = 0;
    /* two readers copy values out, two hold them in place inside read transactions */
    cmp_reader args[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (cmp_reader){.s = s, .stop = &stop, .seed = (unsigned)i * 7919u + 3u, .in_place = i >= 2};
        pthread_create(&th[i], NULL, cmp_reader_main, &args[i]);
    }
    int round = 1;
    for (; round < 200; round++) { /* until two compactions have finished (a bound, not a timing) */
        bg_churn(s, round);
        pthread_mutex_lock(&hk_mu);
        int dropped = hk_count[OS_CMP_PHASE_DROPPED];
        pthread_mutex_unlock(&hk_mu);
        if (dropped >= 2)
            break;
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(args[i].errors == 0);
        CHECK(args[i].reads > 0);
    }
    CHECK(round < 200);
    ostore_stats st;
    ostore_stats_get(s, &st);
    CHECK(st.compactions >= 2);
    uint64_t d = state_of(s);
    close_store(s);
    os_ckpt_phase_hook = NULL;
    /* a reference store with the same batches and no compaction holds the same state */
    char *ref = tmp_dir("cmpref2");
    ostore *r = open_cmp(ref, UINT64_MAX, 100);
    if (r) {
        CHECK_RC(write_bb(r, &b), OSTORE_OK);
        bg_load(r);
        for (int k = 1; k <= round && k < 200; k++)
            bg_churn(r, k);
        CHECK(state_of(r) == d);
        close_store(r);
    }
    s = open_cmp(dir, UINT64_MAX, 100);
    CHECK(s && state_of(s) == d);
    if (s) close_store(s);
    bb_free(&b);
    rm_rf(ref);
    free(ref);
}

/* ---- commits while a background compaction runs its steps off the writer mutex (compact.c) ---- */

static pthread_mutex_t cc_mu = PTHREAD_MUTEX_INITIALIZER; /* orders the model's updates as the commits */
static char cc_model[BG_OBJS][48];
static int cc_hook_calls;

/* writes f0 of objects bg-(first .. first+count-1) and records the values (cc_mu held by the caller) */
static void cc_write(ostore *s, int first, int count, const char *tag, int n)
{
    bb b;
    bb_init(&b);
    char id[32], val[48];
    for (int k = first; k < first + count && k < BG_OBJS; k++) {
        snprintf(id, sizeof id, "bg-%d", k);
        snprintf(val, sizeof val, "%s-%d-%d", tag, n, k);
        bb_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
        bb_puts(&b, "f0", val);
    }
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    for (int k = first; k < first + count && k < BG_OBJS; k++)
        snprintf(cc_model[k], sizeof cc_model[k], "%s-%d-%d", tag, n, k);
    bb_free(&b);
}

/* between encoding a step and taking the writer mutex: the first four times, overwrite the step's first object,
 * so the step meets a changed object four times in a row and restates its objects under the mutex */
static void cc_built_hook(ostore *s, uint32_t i, uint32_t j)
{
    (void)j;
    pthread_mutex_lock(&cc_mu);
    int n = cc_hook_calls++;
    if (n < 4 && i < BG_OBJS)
        cc_write(s, (int)i, 1, "hook", n);
    pthread_mutex_unlock(&cc_mu);
}

static void cc_check(ostore *s, const char *when)
{
    char id[32], got[64];
    int bad = 0;
    for (int k = 0; k < BG_OBJS; k++) {
        snprintf(id, sizeof id, "bg-%d", k);
        size_t len = 0;
        int rc = ostore_get_entry(s, CLASSES[0], strlen(CLASSES[0]), id, strlen(id), "f0", 2, got, sizeof got - 1, &len,
                                  NULL);
        got[rc == OSTORE_OK ? len : 0] = 0;
        if (rc != OSTORE_OK || strcmp(got, cc_model[k]) != 0) {
            if (bad++ < 3)
                fprintf(stderr, "  %s: %s f0 = \"%s\" (%s), want \"%s\"\n", when, id, got, ostore_status_name(rc),
                        cc_model[k]);
        }
    }
    CHECK(bad == 0);
}

/* cc_check of the compacted store s, then closes it and checks it again after a reopen of dir */
static void cc_check_closed_and_reopened(ostore *s, const char *dir)
{
    cc_check(s, "after the compaction");
    close_store(s);
    s = open_cmp(dir, UINT64_MAX, 100);
    if (!s) { CHECK(0); return; }
    cc_check(s, "after reopen");
    close_store(s);
}

static void test_commits_during_bg_compaction_keep_latest_values(const char *dir)
{
    /* The writer overwrites objects while background compactions restate them without the writer mutex (steps
     * encoded outside it, appended and re-pointed under it). A step must never restate an older state after a
     * newer commit: the hook commits to a step's own objects between its encoding and its append (four times,
     * so the step also falls back to restating under the mutex), and this thread commits throughout. Every
     * object's f0 must be its latest value after the compactions, after a crash image and after reopen. */
    hk_set(0, 0);
    ostore *s = open_cmp(dir, UINT64_MAX, 50);
    if (!s) { CHECK(0); os_ckpt_phase_hook = NULL; return; }
    bg_load(s);
    pthread_mutex_lock(&cc_mu);
    cc_write(s, 0, BG_OBJS, "load", 0); /* every object's f0 now has a model value */
    cc_hook_calls = 0;
    pthread_mutex_unlock(&cc_mu);
    os_cmp_timing t0;
    os_cmp_timing_get(s, &t0);
    os_cmp_built_hook = cc_built_hook;
    int round = 1;
    for (; round < 4000; round++) { /* until two compactions have finished (a bound, not a timing) */
        if (round > 200)
            usleep(1000); /* a fast writer on 2 cores can starve the compactor: let it run */
        pthread_mutex_lock(&cc_mu);
        cc_write(s, (round * 337) % (BG_OBJS - 1000), 1000, "r", round);
        pthread_mutex_unlock(&cc_mu);
        pthread_mutex_lock(&hk_mu);
        int dropped = hk_count[OS_CMP_PHASE_DROPPED];
        pthread_mutex_unlock(&hk_mu);
        if (dropped >= 2)
            break;
    }
    CHECK(round < 4000);
    os_cmp_built_hook = NULL;
    os_cmp_timing t1;
    os_cmp_timing_get(s, &t1);
    fprintf(stderr, "  %d rounds; compaction held the writer mutex %llu times, longest %.1f us; %llu steps encoded again\n",
            round, (unsigned long long)(t1.cmp_holds - t0.cmp_holds), (double)t1.cmp_hold_max_ns / 1e3,
            (unsigned long long)(t1.cmp_retries - t0.cmp_retries));
    CHECK(cc_hook_calls >= 4);
    CHECK(t1.cmp_retries - t0.cmp_retries >= 4); /* the hook's four commits each sent the step back */
    cc_check(s, "after the compactions");
    /* a kill -9 now: the files as they are once a compaction the last writes started has finished (copied one
     * by one, the files of a compaction in flight are not one instant's: a checkpoint copied before it and
     * segments deleted by it before they were copied; the kill tests cover the crash during one) */
    pthread_mutex_lock(&s->wmu);
    os_ckpt_bg_wait(s);
    pthread_mutex_unlock(&s->wmu);
    char *img = tmp_dir("ccimg");
    CHECK(copy_dir(dir, img, NULL) == 0);
    ostore *r = open_cmp(img, UINT64_MAX, 100);
    CHECK(r != NULL);
    if (r) {
        cc_check(r, "crash image");
        close_store(r);
    }
    rm_rf(img);
    free(img);
    close_store(s);
    os_ckpt_phase_hook = NULL;
    s = open_cmp(dir, UINT64_MAX, 100);
    CHECK(s != NULL);
    if (s) {
        cc_check(s, "after reopen");
        close_store(s);
    }
}

/* a reader of bg-K objects during a compaction: f0 must be the model's, f1 "x", through both read paths */
typedef struct lzr_arg {
    ostore *s;
    atomic_int *stop;
    unsigned seed;
    long reads, bad;
} lzr_arg;

static void *lazy_reader_main(void *p)
{
    lzr_arg *a = p;
    char id[32], got[64];
    uint8_t buf[512];
    while (!atomic_load(a->stop)) {
        a->seed = a->seed * 1103515245u + 12345u;
        int k = (int)((a->seed >> 8) % BG_OBJS);
        snprintf(id, sizeof id, "bg-%d", k);
        size_t len = 0;
        int rc = ostore_get_entry(a->s, CLASSES[0], strlen(CLASSES[0]), id, strlen(id), "f0", 2, got, sizeof got - 1,
                                  &len, NULL);
        got[rc == OSTORE_OK ? len : 0] = 0;
        if (rc != OSTORE_OK || strcmp(got, cc_model[k]) != 0)
            a->bad++;
        rc = ostore_get_object(a->s, CLASSES[0], strlen(CLASSES[0]), id, strlen(id), buf, sizeof buf, &len, NULL);
        uint32_t n = 0;
        if (rc == OSTORE_OK)
            memcpy(&n, buf, 4);
        size_t f1 = 8 + 8 + 2 + strlen(cc_model[k]); /* the second entry's header, after f0's */
        if (rc != OSTORE_OK || n != 2 || len != f1 + 8 + 2 + 1 || memcmp(buf + f1 + 8, "f1x", 3) != 0)
            a->bad++;
        a->reads++;
    }
    return NULL;
}

/* A background compaction of a store just reopened from its checkpoint restates objects whose entries are still
 * read from the checkpoint (internal.h, lazy entries): its install gives each an entry array first
 * (os_index_materialize), while two readers read those objects whole and by entry. No read may see anything but
 * the objects' one state; afterwards no object is lazy and every value is as written, also after a reopen. Under
 * `make tsan` this is the race check of that publish. */
static void test_bg_compaction_gives_lazy_objects_arrays_while_readers_read(const char *dir)
{
    ostore *s = open_cmp(dir, UINT64_MAX, 100);
    if (!s) { CHECK(0); return; }
    bg_load(s);
    for (int round = 0; round < 30; round++) /* ~3 MiB of garbage: f0 of every object, again and again */
        cc_write(s, 0, BG_OBJS, "g", round);
    close_store(s); /* the first checkpoint since the open: full, every object in it */
    s = open_cmp(dir, UINT64_MAX, 50);
    if (!s) { CHECK(0); return; }
    CHECK(lazy_objects(s) == BG_OBJS);
    atomic_int stop = 0;
    lzr_arg args[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        args[i] = (lzr_arg){.s = s, .stop = &stop, .seed = 77u + (unsigned)i};
        pthread_create(&th[i], NULL, lazy_reader_main, &args[i]);
    }
    ostore_stats st = {0};
    int w = 0;
    for (; w < 20000 && st.compactions == 0; w++) { /* a batch elsewhere starts the compaction; then wait for it */
        if (w > 0)
            usleep(1000);
        CHECK_RC(put1(s, CLASSES[1], "trigger", "v", "t"), OSTORE_OK);
        ostore_stats_get(s, &st);
    }
    atomic_store(&stop, 1);
    long reads = 0, bad = 0;
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        reads += args[i].reads;
        bad += args[i].bad;
    }
    fprintf(stderr, "  %ld reads during %d batches, %ld not as written; %llu compactions\n", reads, w, bad,
            (unsigned long long)st.compactions);
    CHECK(st.compactions >= 1 && bad == 0 && reads > 0);
    CHECK(lazy_objects(s) == 0);
    cc_check_closed_and_reopened(s, dir);
}

static atomic_int pd_dropped;
static void pd_hook(int phase)
{
    if (phase == OS_CMP_PHASE_DROPPED)
        atomic_store(&pd_dropped, 1);
}

/* An open's precheck checks the records its checkpoint covers on a thread of its own (precheck.c, "Records first"),
 * through a copy of the record tables that names their segments; a background compaction drops the segments below
 * its checkpoint and unmaps them without waiting for readers (nothing in the index reaches them). The records pass,
 * held (os_pre_test_pause) once the open has returned until the compaction has dropped and unmapped them, sees the
 * drop and ends without touching them: before log_drops it read them (a SIGSEGV in one run of about fifteen of
 * bg_compaction_gives_lazy_objects_arrays_while_readers_read, and here in every run). */
static void test_precheck_records_pass_ends_when_a_background_compaction_drops_its_segments(const char *dir)
{
    ostore *s = open_cmp(dir, UINT64_MAX, 100);
    if (!s) { CHECK(0); return; }
    bg_load(s);
    for (int round = 0; round < 30; round++) /* garbage, so the next open's compaction has segments to drop */
        cc_write(s, 0, BG_OBJS, "g", round);
    close_store(s);
    os_pre_test_pause = true;
    atomic_store(&pd_dropped, 0);
    os_ckpt_phase_hook = pd_hook;
    s = open_cmp(dir, UINT64_MAX, 50);
    if (!s) { CHECK(0); os_pre_test_pause = false; os_ckpt_phase_hook = NULL; return; }
    CHECK(s->pre_nsegs > 0 && !atomic_load(&s->pre_finished)); /* the records pass runs, held */
    for (int w = 0; w < 20000 && !atomic_load(&pd_dropped); w++) { /* a batch starts the compaction */
        if (w > 0)
            usleep(1000);
        CHECK_RC(put1(s, CLASSES[1], "trigger", "v", "t"), OSTORE_OK);
    }
    CHECK(atomic_load(&pd_dropped));
    uint64_t marked = atomic_load(&s->pre_records);
    os_pre_test_pause = false;
    for (int w = 0; w < 10000 && !atomic_load(&s->pre_finished); w++)
        usleep(1000);
    CHECK(atomic_load(&s->pre_finished));
    CHECK(atomic_load(&s->pre_records) == marked); /* it ended at its first read section */
    os_ckpt_phase_hook = NULL;
    cc_check_closed_and_reopened(s, dir);
}

/* fails the first call named fi_call once the compaction's checkpoint has synced the log (phase hook) */
static const char *bf_call;
static void bf_phase_hook(int phase)
{
    hk_hook(phase); /* holds SYNCED until the writer is quiet: no rollover of its can take the failure */
    if (phase == OS_CKPT_PHASE_SYNCED && bf_call != NULL) {
        fi_call = bf_call;
        fi_target = 1;
        fi_seen = fi_fired = 0;
        os_io_fault_hook = fi_hook;
    }
}

static void test_bg_compaction_checkpoint_io_error_at_each_step(const char *dir)
{
    /* A background compaction's checkpoint fails at each of its I/O steps in turn (the fsync of index.ckpt.tmp,
     * its rename, the directory fsync after the rename). The compaction's records are already in the log and
     * the index points at them; whatever failed, the store keeps every object at its latest value: in memory,
     * in a crash image right after, in that image without index.ckpt when the rename happened (a power cut can
     * undo a rename whose directory fsync failed: the segments below C must still be there), and after more
     * writes, close and reopen. The next batch reports the error through ostore_last_error. */
    static const char *const calls[] = {"fsync_ckpt", "rename_ckpt", "fsync_dir"};
    for (size_t c = 0; c < sizeof calls / sizeof calls[0]; c++) {
        char sub[600], ck[700];
        snprintf(sub, sizeof sub, "%s/%s", dir, calls[c]);
        hk_set(OS_CKPT_PHASE_SYNCED, 0); /* hold the compaction's checkpoint until the writer stops */
        ostore *s = open_cmp(sub, UINT64_MAX, 50);
        if (!s) { CHECK(0); os_ckpt_phase_hook = NULL; return; }
        bf_call = calls[c];
        os_ckpt_phase_hook = bf_phase_hook;
        bg_load(s);
        int round = 1;
        for (; round <= 40; round++) {
            bg_churn(s, round);
            int started = 0;
            for (int w = 0; w < 20 && !started; w++) { /* a busy machine may not have run the compaction's thread yet
                                                          (40 rounds went by without it once) */
                if (w > 0)
                    usleep(1000);
                pthread_mutex_lock(&hk_mu);
                started = hk_count[OS_CMP_PHASE_STEP];
                pthread_mutex_unlock(&hk_mu);
            }
            if (started)
                break;
        }
        CHECK(round <= 40);
        hk_wait_held(); /* the writer is quiet: the injected failure can only hit the checkpoint */
        hk_let_go();
        hk_wait_count(OS_CKPT_PHASE_DONE, 1);
        os_io_fault_hook = NULL;
        bf_call = NULL;
        CHECK(fi_fired == 1);
        char ref_dir[700];
        snprintf(ref_dir, sizeof ref_dir, "%s-ref", sub);
        ostore *r = open_cmp(ref_dir, UINT64_MAX, 100); /* the same batches, never compacted */
        if (!r) { CHECK(0); close_store(s); return; }
        bg_load(r);
        for (int k = 1; k <= round; k++)
            bg_churn(r, k);
        uint64_t want = state_of(r);
        CHECK(state_of(s) == want);
        path_in(ck, sizeof ck, sub, "index.ckpt");
        bool renamed = file_size(ck) > 0; /* no checkpoint existed before this one */
        char *img = tmp_dir("bgcmpfault");
        CHECK(copy_dir(sub, img, NULL) == 0);
        ostore *q = open_cmp(img, UINT64_MAX, 100);
        CHECK(q != NULL);
        if (q) {
            CHECK(state_of(q) == want);
            close_store(q);
        }
        rm_rf(img);
        if (renamed) {
            CHECK(copy_dir(sub, img, NULL) == 0);
            char ick[700];
            path_in(ick, sizeof ick, img, "index.ckpt");
            CHECK(unlink(ick) == 0);
            q = open_cmp(img, UINT64_MAX, 100);
            CHECK(q != NULL);
            if (q) {
                CHECK(state_of(q) == want);
                close_store(q);
            }
            rm_rf(img);
        }
        free(img);
        bg_churn(s, 77); /* collects the failed job: its error is reported, the batch itself is written */
        bg_churn(r, 77);
        char err[512];
        err[0] = 0;
        ostore_last_error(s, err, sizeof err);
        CHECK(strstr(err, "checkpoint") != NULL || strstr(err, "directory") != NULL);
        want = state_of(r);
        CHECK(state_of(s) == want);
        close_store(s);
        os_ckpt_phase_hook = NULL;
        s = open_cmp(sub, UINT64_MAX, 100);
        CHECK(s != NULL);
        if (s) {
            CHECK(state_of(s) == want);
            close_store(s);
        }
        close_store(r);
        rm_rf(ref_dir);
    }
}

static void test_auto_checkpoint(const char *dir)
{
    ostore_options o;
    ostore_options_init(&o);
    o.checkpoint_interval_bytes = 64 * 1024;
    ostore *s = NULL;
    char err[256];
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_OK);
    if (!s) return;
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    CHECK(file_size(ck) < 0);
    hk_set(0, 0);
    workload(s, 300, 6, 8);
    hk_wait_count(OS_CKPT_PHASE_DONE, 1); /* written by the background thread */
    CHECK(file_size(ck) > 0);
    uint64_t d = state_of(s);
    /* simulate a crash: the directory copied while open (checkpoint + tail to replay) */
    char *cp = tmp_dir("auto");
    CHECK(copy_dir(dir, cp, NULL) == 0);
    close_store(s);
    os_ckpt_phase_hook = NULL; /* (no thread of this store runs now) */
    s = open_store(cp);
    CHECK(s && state_of(s) == d);
    if (s) close_store(s);
    rm_rf(cp);
    free(cp);
}

/* One-entry overwrites of objects "spaced-<k>", one batch each, until an automatic checkpoint starts or `most` log
 * bytes were written: returns the log bytes written until one started (or `most`). The writer is alone, so s->bg
 * set after a batch means that batch started one. */
static uint64_t bytes_until_auto_checkpoint(ostore *s, uint64_t most)
{
    bb b;
    bb_init(&b);
    char id[32], val[64];
    uint64_t written = 0;
    for (int k = 0; written < most && s->bg == NULL; k++) {
        bb_reset(&b);
        snprintf(id, sizeof id, "spaced-%d", k % 500);
        snprintf(val, sizeof val, "value-%040d", k);
        bb_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
        bb_puts(&b, "v", val);
        uint64_t before = atomic_load(&s->st_log_bytes);
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        written += atomic_load(&s->st_log_bytes) - before;
    }
    bb_free(&b);
    return written;
}

static void test_auto_checkpoint_interval_follows_the_checkpoint_size(const char *dir)
{
    /* checkpoint_interval_bytes 0: automatic checkpoints come every max(floor, size of the newest full checkpoint)
     * of log (an 8 MiB floor in use, 4 KiB here); an explicit interval is kept whatever the checkpoint's size */
    os_ckpt_auto_floor = 4096;
    os_delta_merge_bytes = 1; /* a merge once index.delta holds anything */
    ostore *s = open_interval(dir, 0);
    if (!s) { CHECK(0); os_ckpt_auto_floor = OS_DEFAULT_CKPT_INTERVAL; os_delta_merge_bytes = 0; return; }
    bb b;
    bb_init(&b);
    char id[32];
    for (int k = 0; k < 3000; k++) { /* 3 000 objects: a checkpoint of tens of KiB */
        if (k % 100 == 0)
            bb_reset(&b);
        snprintf(id, sizeof id, "sized-%d", k);
        bb_obj(&b, CLASSES[0], id, OSTORE_ANY_VERSION);
        bb_puts(&b, "v", "x");
        if (k % 100 == 99)
            CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_free(&b);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK); /* a delta, or a merge when one is already there */
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK); /* a merge: index.ckpt holds all 3 000 */
    char ck[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    long base = file_size(ck);
    CHECK(base > 8 * 4096);
    CHECK(s->ckpt_bytes == (uint64_t)base);
    uint64_t until = bytes_until_auto_checkpoint(s, 4 * (uint64_t)base);
    printf("  checkpoint of %ld bytes; the next automatic one after %llu bytes of log\n", base,
           (unsigned long long)until);
    CHECK(until >= (uint64_t)base);       /* not at the 4 KiB floor */
    CHECK(until < (uint64_t)base + 4096); /* but once the checkpoint's size was written */
    pthread_mutex_lock(&s->wmu);
    os_ckpt_bg_wait(s);
    pthread_mutex_unlock(&s->wmu);
    close_store(s);

    /* the same store with an explicit interval of 4 KiB: the checkpoint's size does not space them */
    s = open_interval(dir, 4096);
    if (s) {
        CHECK(s->ckpt_bytes >= (uint64_t)base);
        until = bytes_until_auto_checkpoint(s, 4 * (uint64_t)base);
        CHECK(until >= 4096 && until < 2 * 4096);
        pthread_mutex_lock(&s->wmu);
        os_ckpt_bg_wait(s);
        pthread_mutex_unlock(&s->wmu);
        close_store(s);
    }
    os_ckpt_auto_floor = OS_DEFAULT_CKPT_INTERVAL;
    os_delta_merge_bytes = 0;
}

/* ---- readers while the writer publishes (internal.h, "reading an object while the writer publishes") ---- */

static pthread_mutex_t pub_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pub_cv = PTHREAD_COND_INITIALIZER;
static int pub_in, pub_release, pub_timed_out;

/* holds the writer inside its publish until the test releases it (or 30 s pass: then readers were stuck) */
static void pub_hold(void)
{
    pthread_mutex_lock(&pub_mu);
    pub_in = 1;
    pthread_cond_broadcast(&pub_cv);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 30;
    while (!pub_release && !pub_timed_out)
        if (pthread_cond_timedwait(&pub_cv, &pub_mu, &until) != 0)
            pub_timed_out = 1;
    pthread_mutex_unlock(&pub_mu);
}

static void *pub_writer_main(void *p)
{
    ostore *s = p;
    CHECK_RC(put1(s, CLASSES[0], "held", "v", "new"), OSTORE_OK);
    return NULL;
}

/* The writer stops inside an ordinary publish (an overwrite) until this thread has read: other objects,
 * the object being published, and a read transaction. Before the publish was lock-free these reads
 * waited for the publish to end, so the writer's hold ran out (a deadlock detector, not a timing).
 * bg: the same while a background checkpoint is being written (held after its first objects), during which
 * every publish used to be an exclusive section. */
static void readers_during_held_publish(const char *dir, bool bg)
{
    if (bg)
        hk_set(OS_CKPT_PHASE_WRITING, 0);
    ostore *s = bg ? open_interval(dir, 64 * 1024) : open_store(dir);
    if (!s) { CHECK(0); os_ckpt_phase_hook = NULL; return; }
    if (bg) {
        bg_load(s);
        hk_wait_held();
    }
    CHECK_RC(put1(s, CLASSES[0], "held", "v", "old"), OSTORE_OK);
    CHECK_RC(put1(s, CLASSES[0], "other", "v", "other-value"), OSTORE_OK);
    pub_in = pub_release = pub_timed_out = 0;
    os_publish_hook = pub_hold;
    pthread_t w;
    pthread_create(&w, NULL, pub_writer_main, s);
    pthread_mutex_lock(&pub_mu);
    while (!pub_in)
        pthread_cond_wait(&pub_cv, &pub_mu);
    pthread_mutex_unlock(&pub_mu);
    char out[64];
    size_t len = 0;
    uint64_t ver = 0;
    CHECK_RC(ostore_get_entry(s, CLASSES[0], strlen(CLASSES[0]), "other", 5, "v", 1, out, sizeof out, &len, &ver),
             OSTORE_OK);
    CHECK(len == 11 && memcmp(out, "other-value", 11) == 0);
    /* published before the hook: the new value */
    CHECK_RC(ostore_get_entry(s, CLASSES[0], strlen(CLASSES[0]), "held", 4, "v", 1, out, sizeof out, &len, &ver),
             OSTORE_OK);
    CHECK(len == 3 && memcmp(out, "new", 3) == 0 && ver == 2);
    uint32_t pin;
    CHECK_RC(ostore_read_begin(s, &pin), OSTORE_OK);
    ostore_entry_ref refs[2];
    size_t cnt = 0;
    CHECK_RC(ostore_get_object_ref(s, CLASSES[0], strlen(CLASSES[0]), "other", 5, refs, 2, &cnt, &ver), OSTORE_OK);
    CHECK(cnt == 1 && refs[0].name_len == 1 && memcmp(refs[0].name, "v", 1) == 0 && refs[0].value_len == 11);
    CHECK_RC(ostore_read_end(s, pin), OSTORE_OK);
    pthread_mutex_lock(&pub_mu);
    CHECK(!pub_timed_out);
    pub_release = 1;
    pthread_cond_broadcast(&pub_cv);
    pthread_mutex_unlock(&pub_mu);
    pthread_join(w, NULL);
    os_publish_hook = NULL;
    if (bg) {
        hk_let_go();
        hk_wait_count(OS_CKPT_PHASE_DONE, 1);
        os_ckpt_phase_hook = NULL;
    }
    close_store(s);
}

static void test_readers_do_not_wait_for_a_publish(const char *dir) { readers_during_held_publish(dir, false); }

static void test_readers_do_not_wait_for_a_publish_during_bg_checkpoint(const char *dir)
{
    readers_during_held_publish(dir, true);
}

/* Values of the churn below: "<version> <entries>;" then the byte 'a' + version % 26 up to the value's length.
 * Every entry of one commit carries the commit's version and entry count, so a read that mixed two commits,
 * or saw a value half written, does not parse or does not agree with itself. */
enum { CH_OBJS = 48, CH_NAMES = 10 };

static size_t churn_value(char *v, size_t cap, uint64_t version, unsigned entries, unsigned len)
{
    int h = snprintf(v, cap, "%llu %u;", (unsigned long long)version, entries);
    size_t n = (size_t)h > len ? (size_t)h : len;
    if (n > cap)
        n = cap;
    for (size_t i = (size_t)h; i < n; i++)
        v[i] = (char)('a' + version % 26);
    return n;
}

/* 0 when value v (n bytes) is a whole churn value; fills its version and entry count */
static int churn_parse(const uint8_t *v, size_t n, uint64_t *version, unsigned *entries)
{
    char head[48];
    size_t h = 0;
    while (h < n && h < sizeof head - 1 && v[h] != ';')
        h++;
    if (h >= n || v[h] != ';')
        return -1;
    memcpy(head, v, h);
    head[h] = 0;
    unsigned long long ver;
    if (sscanf(head, "%llu %u", &ver, entries) != 2)
        return -1;
    *version = ver;
    for (size_t i = h + 1; i < n; i++)
        if (v[i] != (uint8_t)('a' + ver % 26))
            return -1;
    return 0;
}

typedef struct churn_reader {
    ostore *s;
    atomic_int *stop;
    unsigned seed;
    int mode; /* 0: ostore_get_object, 1: ostore_get_entry, 2: read transactions (ostore_get_object_ref),
                 3: ostore_get_entries (20 random entries per call, more than one group) */
    long reads, errors;
} churn_reader;

#define CHURN_BAD(r, ...) do { if ((r)->errors++ < 5) fprintf(stderr, "  churn reader: " __VA_ARGS__); } while (0)

static void *churn_reader_main(void *p)
{
    churn_reader *r = p;
    size_t cap = 64 * 1024;
    uint8_t *buf = malloc(cap);
    char id[16];
    while (!atomic_load(r->stop)) {
        r->seed = r->seed * 1103515245u + 12345u;
        int k = (int)((r->seed >> 8) % CH_OBJS);
        snprintf(id, sizeof id, "ch-%d", k);
        size_t il = strlen(id), len = 0, cnt = 0;
        uint64_t ver = 0, vv;
        unsigned ne;
        int rc;
        if (r->mode == 0) {
            rc = ostore_get_object(r->s, CLASSES[2], strlen(CLASSES[2]), id, il, buf, cap, &len, &ver);
            if (rc == OSTORE_OK) {
                uint32_t n = rd32(buf);
                size_t at = 8;
                for (uint32_t i = 0; i < n; i++) {
                    uint16_t nl = rd16(buf + at);
                    uint32_t vl = rd32(buf + at + 4);
                    if (churn_parse(buf + at + 8 + nl, vl, &vv, &ne) != 0 || vv != ver || ne != n)
                        CHURN_BAD(r, "%s v%llu: entry %u of %u is not of that commit\n", id, (unsigned long long)ver, i, n);
                    at += 8 + (size_t)nl + vl;
                }
                if (at != len)
                    CHURN_BAD(r, "%s: object buffer of %zu bytes, entries end at %zu\n", id, len, at);
            }
        } else if (r->mode == 1) {
            char name[16];
            snprintf(name, sizeof name, "e%u", (r->seed >> 20) % CH_NAMES);
            rc = ostore_get_entry(r->s, CLASSES[2], strlen(CLASSES[2]), id, il, name, strlen(name), buf, cap, &len, &ver);
            if (rc == OSTORE_OK && (churn_parse(buf, len, &vv, &ne) != 0 || vv != ver))
                CHURN_BAD(r, "%s.%s: value not whole or not of version %llu\n", id, name, (unsigned long long)ver);
        } else if (r->mode == 3) {
            enum { NR = 20 };
            char ids[NR][16], names[NR][16];
            ostore_get_req q[NR];
            for (int i = 0; i < NR; i++) {
                r->seed = r->seed * 1103515245u + 12345u;
                snprintf(ids[i], sizeof ids[i], "ch-%d", (int)((r->seed >> 8) % CH_OBJS));
                snprintf(names[i], sizeof names[i], "e%u", (r->seed >> 20) % CH_NAMES);
                q[i] = (ostore_get_req){CLASSES[2], strlen(CLASSES[2]), ids[i], strlen(ids[i]), names[i],
                                        strlen(names[i]), buf + (size_t)i * 2048, 2048, 0, 0, 0};
            }
            rc = ostore_get_entries(r->s, q, NR);
            for (int i = 0; i < NR && rc == OSTORE_OK; i++) {
                if (q[i].status == OSTORE_OK &&
                    (churn_parse(buf + (size_t)i * 2048, q[i].out_len, &vv, &ne) != 0 || vv != q[i].version))
                    CHURN_BAD(r, "%s.%s (batched): value not whole or not of version %llu\n", ids[i], names[i],
                              (unsigned long long)q[i].version);
                if (q[i].status != OSTORE_OK && q[i].status != OSTORE_NOT_FOUND)
                    CHURN_BAD(r, "%s (batched): status %s\n", ids[i], ostore_status_name(q[i].status));
            }
        } else {
            uint32_t pin;
            ostore_entry_ref refs[CH_NAMES];
            rc = ostore_read_begin(r->s, &pin);
            if (rc == OSTORE_OK) {
                rc = ostore_get_object_ref(r->s, CLASSES[2], strlen(CLASSES[2]), id, il, refs, CH_NAMES, &cnt, &ver);
                if (rc == OSTORE_OK) {
                    uint8_t *copy = buf;
                    for (size_t i = 0; i < cnt; i++) { /* check, keep a copy, let the writer run, compare */
                        if (refs[i].name_len < 2 || refs[i].name_len > 3 || ((const uint8_t *)refs[i].name)[0] != 'e' ||
                            churn_parse(refs[i].value, refs[i].value_len, &vv, &ne) != 0 || vv != ver || ne != cnt)
                            CHURN_BAD(r, "%s v%llu: ref %zu is not of that commit\n", id, (unsigned long long)ver, i);
                        memcpy(copy, refs[i].value, refs[i].value_len);
                        copy += refs[i].value_len;
                    }
                    sched_yield();
                    copy = buf;
                    for (size_t i = 0; i < cnt; i++) {
                        if (memcmp(copy, refs[i].value, refs[i].value_len) != 0 || ((const uint8_t *)refs[i].name)[0] != 'e')
                            CHURN_BAD(r, "%s: a ref changed inside the read transaction\n", id);
                        copy += refs[i].value_len;
                    }
                }
                ostore_read_end(r->s, pin);
            }
        }
        if (rc != OSTORE_OK && rc != OSTORE_NOT_FOUND)
            CHURN_BAD(r, "%s: status %s\n", id, ostore_status_name(rc));
        r->reads++;
    }
    free(buf);
    return NULL;
}

static void test_readers_see_whole_commits_during_publish(const char *dir)
{
    /* Three readers (whole objects, single entries, read transactions) while one writer overwrites, grows,
     * shrinks, deletes and re-creates objects (entry arrays replaced and retired, entries moved by deletes),
     * with checkpoints (explicit and automatic, in the background) and compactions in between. Every read must
     * be one whole committed state. Under `make tsan` this is also the data race check of the lock-free read. */
    unsigned seed = (unsigned)time(NULL);
    fprintf(stderr, "  seed %u\n", seed);
    ostore *s = open_cmp(dir, 128 * 1024, 100);
    if (!s) { CHECK(0); return; }
    uint64_t vers[CH_OBJS] = {0};
    unsigned ents[CH_OBJS] = {0};
    bb b;
    bb_init(&b);
    char id[16], name[16], val[512];
    /* every object first, then a reopen from the checkpoint: the readers' first reads of those entries check
     * their records and set the entries' checked flags (D4) while the writer moves and replaces entries */
    for (int k = 0; k < CH_OBJS; k++) {
        bb_reset(&b);
        snprintf(id, sizeof id, "ch-%d", k);
        ents[k] = 1 + (unsigned)k % CH_NAMES;
        vers[k] = 1;
        bb_obj(&b, CLASSES[2], id, OSTORE_ANY_VERSION);
        for (unsigned e = 0; e < ents[k]; e++) {
            snprintf(name, sizeof name, "e%u", e);
            bb_put(&b, name, val, churn_value(val, sizeof val, 1, ents[k], 40 + 7 * e));
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    close_store(s);
    s = open_cmp(dir, 128 * 1024, 100);
    if (!s) { CHECK(0); bb_free(&b); return; }
    atomic_int stop = 0;
    churn_reader rs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        rs[i] = (churn_reader){.s = s, .stop = &stop, .seed = seed + (unsigned)i * 7919u, .mode = i};
        pthread_create(&th[i], NULL, churn_reader_main, &rs[i]);
    }
    unsigned x = seed;
    int rounds = 3000;
    for (int round = 0; round < rounds; round++) {
        bb_reset(&b);
        int picked[4], np = 1 + (int)(round % 4);
        for (int j = 0; j < np; j++) {
            int k;
            bool dup;
            do {
                x = x * 1103515245u + 12345u;
                k = (int)((x >> 8) % CH_OBJS);
                dup = false;
                for (int q = 0; q < j; q++)
                    dup |= picked[q] == k;
            } while (dup);
            picked[j] = k;
            snprintf(id, sizeof id, "ch-%d", k);
            x = x * 1103515245u + 12345u;
            if (ents[k] > 0 && (x >> 24) % 16 == 0) { /* delete the whole object */
                bb_del_obj(&b, CLASSES[2], id, OSTORE_ANY_VERSION);
                ents[k] = 0;
                vers[k]++;
                continue;
            }
            /* a new entry count; every entry below it is rewritten with this commit's version, the ones above
             * it deleted (after a delete the engine moves its last entry into the hole) */
            unsigned want = 1 + (x >> 12) % CH_NAMES;
            bb_obj(&b, CLASSES[2], id, OSTORE_ANY_VERSION);
            for (unsigned e = want; e < ents[k]; e++) {
                snprintf(name, sizeof name, "e%u", e);
                bb_del(&b, name);
            }
            for (unsigned e = 0; e < want; e++) {
                snprintf(name, sizeof name, "e%u", e);
                x = x * 1103515245u + 12345u;
                size_t n = churn_value(val, sizeof val, vers[k] + 1, want, (x >> 16) % 300);
                bb_put(&b, name, val, n);
            }
            ents[k] = want;
            vers[k]++;
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        if (round % 500 == 250)
            CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
        if (round % 1000 == 999)
            CHECK_RC(ostore_compact(s), OSTORE_OK);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(rs[i].errors == 0);
        CHECK(rs[i].reads > 0);
    }
    /* the writer's own model of versions agrees with the store */
    for (int k = 0; k < CH_OBJS; k++) {
        snprintf(id, sizeof id, "ch-%d", k);
        uint64_t v = 0;
        int rc = ostore_object_version(s, CLASSES[2], strlen(CLASSES[2]), id, strlen(id), &v);
        CHECK(rc == (ents[k] > 0 ? OSTORE_OK : OSTORE_NOT_FOUND) && v == vers[k]);
    }
    bb_free(&b);
    close_store(s);
}

/* ---- fuzz: damage a valid store at random; open must never crash ---- */

static void test_fuzz(const char *dir)
{
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    workload(s, 250, 6, 31337);
    close_store(s);
    /* add a tail without checkpoint coverage */
    s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    workload(s, 20, 6, 4242);
    char *snap = tmp_dir("fuzzbase");
    CHECK(copy_dir(dir, snap, NULL) == 0); /* copied while open: as after a crash */
    close_store(s);
    unsigned seed = 0xC0FFEEu;
    int ok = 0, failed = 0;
    char *work = tmp_dir("fuzzwork");
    for (int it = 0; it < 300; it++) {
        rm_rf(work);
        CHECK(copy_dir(snap, work, NULL) == 0);
        char files[16][512];
        int ns = list_segs(work, files, 15);
        snprintf(files[ns], 512, "%s/index.ckpt", work);
        int nf = ns + 1;
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 12) % 3 == 0) { /* no checkpoint: the whole log is replayed and judged */
            unlink(files[ns]);
            nf = ns;
        }
        seed = seed * 1103515245u + 12345u;
        const char *f = files[(seed >> 8) % (unsigned)nf];
        long size = file_size(f);
        if (size <= 0)
            continue;
        seed = seed * 1103515245u + 12345u;
        int mode = (int)((seed >> 16) % 4);
        if (mode == 0) {
            seed = seed * 1103515245u + 12345u;
            CHECK(truncate(f, (long)((seed >> 4) % (unsigned long)size)) == 0);
        } else {
            int flips = 1 + (int)((seed >> 5) % 8);
            for (int k = 0; k < flips; k++) {
                seed = seed * 1103515245u + 12345u;
                long off = (long)(((uint64_t)seed << 7 ^ seed) % (uint64_t)size);
                if (mode == 3) { /* mostly in the structure-heavy start of the file */
                    off = off % (size < 8192 ? size : 8192);
                }
                flip_byte(f, off);
            }
        }
        int rc;
        seed = seed * 1103515245u + 12345u;
        uint32_t flags = (seed >> 9) % 3 == 0 ? OSTORE_OPEN_REPAIR : 0;
        s = open_opts(work, 1u << 20, flags, &rc);
        if (rc == OSTORE_OK && s != NULL) {
            ok++;
            (void)state_of(s);
            CHECK_RC(put1(s, "com.example.A", "fuzz", "f", "x"), OSTORE_OK);
            if (it % 10 == 0) {
                /* compaction refuses to copy a value whose record fails its check; verify then finds it too */
                int crc = ostore_compact(s);
                CHECK(crc == OSTORE_OK || crc == OSTORE_CORRUPT);
                if (crc == OSTORE_CORRUPT)
                    CHECK_RC(ostore_verify(s, NULL), OSTORE_CORRUPT);
            }
            close_store(s);
            s = open_opts(work, 1u << 20, 0, &rc);
            CHECK(rc == OSTORE_OK);
            if (s) {
                CHECK(entry_is(s, "com.example.A", "fuzz", "f", "x"));
                close_store(s);
            }
        } else {
            CHECK(s == NULL);
            CHECK(rc == OSTORE_CORRUPT);
            failed++;
        }
    }
    printf("  fuzz: %d opened, %d refused\n", ok, failed);
    CHECK(ok > 0);
    rm_rf(work);
    rm_rf(snap);
    free(work);
    free(snap);
}

/* ---- online backup (FORMAT.md "Backup") ---- */

typedef struct backup_writer {
    ostore *s;
    atomic_int stop;
    atomic_int acked; /* objects b0..b(acked-1) are written and acknowledged */
    int errors;
} backup_writer;

static void backup_value(int k, char *out, size_t cap) { snprintf(out, cap, "backup-%d-%0*d", k, 150, k); }

static void *backup_writer_main(void *p)
{
    backup_writer *w = p;
    bb b;
    bb_init(&b);
    char id[32], val[200];
    for (int k = 0; !atomic_load(&w->stop); k++) {
        bb_reset(&b);
        snprintf(id, sizeof id, "b%d", k);
        bb_obj(&b, "Bk", id, OSTORE_ABSENT_VERSION);
        backup_value(k, val, sizeof val);
        bb_puts(&b, "v", val);
        bb_puts(&b, "n", "x");
        if (write_bb(w->s, &b) != OSTORE_OK) {
            w->errors++;
            break;
        }
        /* overwrite an older object too: garbage for the compactions to drop */
        if (k > 10) {
            bb_reset(&b);
            snprintf(id, sizeof id, "b%d", k / 2);
            bb_obj(&b, "Bk", id, OSTORE_ANY_VERSION);
            bb_puts(&b, "n", "y");
            if (write_bb(w->s, &b) != OSTORE_OK) {
                w->errors++;
                break;
            }
        }
        atomic_store(&w->acked, k + 1);
    }
    bb_free(&b);
    return NULL;
}

typedef struct compactor {
    ostore *s;
    atomic_int stop;
    int runs, errors;
} compactor;

static void *compactor_main(void *p)
{
    compactor *c = p;
    while (!atomic_load(&c->stop)) {
        if (ostore_compact(c->s) != OSTORE_OK)
            c->errors++;
        c->runs++;
        usleep(2000);
    }
    return NULL;
}

/* the backup at dir opens, verifies, and holds exactly the objects b0..b(n-1) for some n >= at_least */
static void check_backup(const char *dir, int at_least, uint64_t seq)
{
    ostore *b = open_opts(dir, 1u << 20, OSTORE_OPEN_READ_ONLY, NULL);
    CHECK(b != NULL);
    if (b == NULL)
        return;
    ostore_verify_report vr;
    CHECK_RC(ostore_verify(b, &vr), OSTORE_OK);
    CHECK(vr.records > 0);
    CHECK(last_seq(b) == seq);
    ostore_stats st;
    ostore_stats_get(b, &st);
    int n = (int)st.objects;
    CHECK(n >= at_least);
    char id[32], want[200];
    for (int k = 0; k < n; k++) {
        snprintf(id, sizeof id, "b%d", k);
        backup_value(k, want, sizeof want);
        if (!entry_is(b, "Bk", id, "v", want)) {
            CHECK(0);
            break;
        }
    }
    close_store(b);
}

static void test_backup_while_writing(const char *dir)
{
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;         /* rollovers during the run */
    o.checkpoint_interval_bytes = 256u << 10; /* and automatic checkpoints */
    ostore *s = NULL;
    char err[512];
    CHECK_RC(ostore_open(dir, &o, &s, err, sizeof err), OSTORE_OK);
    if (!s)
        return;
    backup_writer w = {.s = s};
    compactor c = {.s = s};
    pthread_t wt, ct;
    pthread_create(&wt, NULL, backup_writer_main, &w);
    pthread_create(&ct, NULL, compactor_main, &c);
    char *dests[4];
    int acked[4];
    ostore_backup_report rep[4];
    for (int i = 0; i < 4; i++) {
        while (atomic_load(&w.acked) < 1500 * (i + 1) && w.errors == 0)
            usleep(1000);
        acked[i] = atomic_load(&w.acked);
        dests[i] = tmp_dir("backup-dest");
        rmdir(dests[i]); /* a missing destination is created */
        CHECK_RC(ostore_backup(s, dests[i], &rep[i]), OSTORE_OK);
        CHECK(rep[i].segments > 0 && rep[i].bytes > 0 && rep[i].last_sequence > 0);
    }
    atomic_store(&w.stop, 1);
    atomic_store(&c.stop, 1);
    pthread_join(wt, NULL);
    pthread_join(ct, NULL);
    CHECK(w.errors == 0 && c.errors == 0);
    CHECK(c.runs > 0);
    printf("  backup: %d objects written, %d compactions; backups at %d %d %d %d\n", atomic_load(&w.acked), c.runs,
           acked[0], acked[1], acked[2], acked[3]);
    for (int i = 0; i < 4; i++) {
        check_backup(dests[i], acked[i], rep[i].last_sequence);
        rm_rf(dests[i]);
        free(dests[i]);
    }
    close_store(s);
}

static void test_backup_destinations_and_read_only(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    workload(s, 40, 8, 5);
    uint64_t d0 = state_of(s);
    char *dest = tmp_dir("backup-full");
    char f[600];
    path_in(f, sizeof f, dest, "something");
    FILE *fp = fopen(f, "w");
    CHECK(fp != NULL);
    if (fp) fclose(fp);
    CHECK_RC(ostore_backup(s, dest, NULL), OSTORE_EXISTS);
    char msg[512];
    ostore_last_error(s, msg, sizeof msg);
    CHECK(strstr(msg, "not empty") != NULL && strstr(msg, dest) != NULL);
    unlink(f);
    char missing[600];
    path_in(missing, sizeof missing, dest, "no/such");
    CHECK_RC(ostore_backup(s, missing, NULL), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_backup(s, dir, NULL), OSTORE_EXISTS); /* the store itself is not empty */
    CHECK_RC(ostore_backup(s, "", NULL), OSTORE_INVALID_ARGUMENT);
    close_store(s);
    /* a closed store, opened read-only (what the CLI does): the empty destination is accepted */
    s = open_opts(dir, 0, OSTORE_OPEN_READ_ONLY, NULL);
    if (!s) { CHECK(0); return; }
    ostore_backup_report rep;
    CHECK_RC(ostore_backup(s, dest, &rep), OSTORE_OK);
    close_store(s);
    char ck[700];
    path_in(ck, sizeof ck, dest, "index.ckpt");
    CHECK(access(ck, F_OK) == 0);
    path_in(ck, sizeof ck, dest, "LOCK");
    CHECK(access(ck, F_OK) != 0);
    s = open_store(dest);
    CHECK(s != NULL && state_of(s) == d0);
    CHECK(s != NULL && last_seq(s) == rep.last_sequence);
    if (s) close_store(s);
    rm_rf(dest);
    free(dest);
}

/* ---- scans (ostore_list_ids_page) and expiry ---- */

typedef struct scan_seen {
    unsigned char *hit; /* per id number: times returned */
    int max;
    int total;
    int last_num; /* ids must come in creation order: numbers ascend */
    int order_ok;
} scan_seen;

/* one page; ids are "<letter>-<number>"; returns the cursor length (0 = done), or -1 on an error status */
static long scan_page(ostore *s, const char *cls, const char *prefix, const uint8_t *after, size_t after_len,
                      uint32_t limit, uint64_t now, uint32_t flags, scan_seen *seen, uint8_t *next)
{
    static uint8_t out[65536];
    size_t out_len, next_len;
    uint32_t count;
    int rc = ostore_list_ids_page(s, cls, strlen(cls), prefix, prefix ? strlen(prefix) : 0, after, after_len, limit,
                                  now, flags, out, sizeof out, &out_len, &count, next, OSTORE_MAX_KEY, &next_len);
    if (rc != OSTORE_OK)
        return -rc;
    CHECK(count <= limit);
    size_t p = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint16_t n;
        memcpy(&n, out + p, 2);
        char id[64] = {0};
        memcpy(id, out + p + 2, n < 63 ? n : 63);
        int num = atoi(id + 2);
        if (prefix != NULL)
            CHECK(strncmp(id, prefix, strlen(prefix)) == 0);
        if (num >= 0 && num < seen->max)
            seen->hit[num]++;
        if (num <= seen->last_num)
            seen->order_ok = 0;
        seen->last_num = num;
        seen->total++;
        p += 2 + n;
    }
    CHECK(p == out_len);
    return (long)next_len;
}

static long scan_all(ostore *s, const char *cls, const char *prefix, uint32_t limit, uint64_t now, uint32_t flags,
                     scan_seen *seen, int *pages)
{
    uint8_t cur[OSTORE_MAX_KEY], next[OSTORE_MAX_KEY];
    size_t cur_len = 0;
    *pages = 0;
    for (;;) {
        long r = scan_page(s, cls, prefix, cur_len ? cur : NULL, cur_len, limit, now, flags, seen, next);
        (*pages)++;
        if (r <= 0)
            return r;
        memcpy(cur, next, (size_t)r);
        cur_len = (size_t)r;
    }
}

static void seen_init(scan_seen *v, int max)
{
    v->hit = calloc((size_t)max, 1);
    v->max = max;
    v->total = 0;
    v->last_num = -1;
    v->order_ok = 1;
}

static void put_num(bb *b, const char *cls, char letter, int i)
{
    char id[32];
    snprintf(id, sizeof id, "%c-%06d", letter, i);
    bb_obj(b, cls, id, OSTORE_ANY_VERSION);
    bb_puts(b, "v", id);
}

/* pages in creation order, each live id once, deletes skipped, prefix filtered; the cursor survives
 * writes, compaction and reopening; objects created mid-scan come once, at the end */
static void test_list_ids_page(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    for (int i = 0; i < 3000; i++) /* letters alternate, so a prefix keeps every other id */
        put_num(&b, "Scan", i % 2 ? 'b' : 'a', i);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_reset(&b);
    for (int i = 0; i < 3000; i += 3) {
        char id[32];
        snprintf(id, sizeof id, "%c-%06d", i % 2 ? 'b' : 'a', i);
        bb_del_obj(&b, "Scan", id, OSTORE_ANY_VERSION);
    }
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    uint64_t cnt;
    CHECK_RC(ostore_count(s, "Scan", 4, 0, &cnt), OSTORE_OK);
    CHECK(cnt == 2000);
    CHECK_RC(ostore_count(s, "None", 4, 0, &cnt), OSTORE_OK);
    CHECK(cnt == 0);

    scan_seen v;
    seen_init(&v, 4000);
    int pages;
    CHECK(scan_all(s, "Scan", NULL, 7, 0, 0, &v, &pages) == 0);
    CHECK(v.total == 2000 && v.order_ok);
    CHECK(pages >= 2000 / 7);
    for (int i = 0; i < 3000; i++)
        CHECK(v.hit[i] == (i % 3 ? 1 : 0));
    free(v.hit);

    seen_init(&v, 4000);
    CHECK(scan_all(s, "Scan", "b-", 100, 0, 0, &v, &pages) == 0);
    CHECK(v.total == 1000 && v.order_ok); /* odd numbers not divisible by 3 */
    for (int i = 0; i < 3000; i++)
        CHECK(v.hit[i] == ((i % 2) && (i % 3) ? 1 : 0));
    free(v.hit);

    /* a scan interrupted by writes (new objects, deletes of unseen ones), a compaction and a reopen */
    seen_init(&v, 4000);
    uint8_t cur[OSTORE_MAX_KEY], next[OSTORE_MAX_KEY];
    long r = scan_page(s, "Scan", NULL, NULL, 0, 500, 0, 0, &v, next);
    CHECK(r > 0 && v.total == 500);
    memcpy(cur, next, (size_t)r);
    bb_reset(&b);
    for (int i = 3000; i < 3100; i++)
        put_num(&b, "Scan", 'a', i);
    bb_del_obj(&b, "Scan", "b-002999", OSTORE_ANY_VERSION);                      /* not seen yet: skipped */
    bb_obj(&b, "Scan", "a-000000", OSTORE_ANY_VERSION);                          /* deleted, recreated: keeps its place */
    bb_puts(&b, "v", "again");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    CHECK_RC(ostore_compact(s), OSTORE_OK);
    r = scan_page(s, "Scan", NULL, cur, (size_t)r, 500, 0, 0, &v, next);
    CHECK(r > 0);
    close_store(s);
    s = open_store(dir);
    if (!s) { CHECK(0); bb_free(&b); free(v.hit); return; }
    memcpy(cur, next, (size_t)r);
    size_t cl = (size_t)r;
    for (;;) {
        r = scan_page(s, "Scan", NULL, cur, cl, 333, 0, 0, &v, next);
        if (r <= 0)
            break;
        memcpy(cur, next, (size_t)r);
        cl = (size_t)r;
    }
    CHECK(r == 0 && v.order_ok);
    CHECK(v.hit[0] == 0); /* recreated after the scan passed its place */
    CHECK(v.hit[2999] == 0);
    for (int i = 1; i < 2999; i++)
        CHECK(v.hit[i] == (i % 3 ? 1 : 0));
    for (int i = 3000; i < 3100; i++)
        CHECK(v.hit[i] == 1);
    free(v.hit);

    /* bad arguments and unknown cursors */
    uint8_t out[4096];
    size_t ol, nl;
    uint32_t n;
    CHECK_RC(ostore_list_ids_page(s, "Scan", 4, NULL, 0, "zz", 2, 10, 0, 0, out, sizeof out, &ol, &n, next,
                                  OSTORE_MAX_KEY, &nl), OSTORE_NOT_FOUND);
    CHECK_RC(ostore_list_ids_page(s, "Nope", 4, NULL, 0, "zz", 2, 10, 0, 0, out, sizeof out, &ol, &n, next,
                                  OSTORE_MAX_KEY, &nl), OSTORE_NOT_FOUND);
    CHECK_RC(ostore_list_ids_page(s, "Nope", 4, NULL, 0, NULL, 0, 10, 0, 0, out, sizeof out, &ol, &n, next,
                                  OSTORE_MAX_KEY, &nl), OSTORE_OK);
    CHECK(n == 0 && nl == 0);
    CHECK_RC(ostore_list_ids_page(s, "Scan", 4, NULL, 0, NULL, 0, 0, 0, 0, out, sizeof out, &ol, &n, next,
                                  OSTORE_MAX_KEY, &nl), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_list_ids_page(s, "Scan", 4, NULL, 0, NULL, 0, 10, 0, 0, out, 100, &ol, &n, next,
                                  OSTORE_MAX_KEY, &nl), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_list_ids_page(s, "Scan", 4, NULL, 0, NULL, 0, 10, 0, 0, out, sizeof out, &ol, &n, next,
                                  10, &nl), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_list_ids_page(s, "Scan", 4, NULL, 0, NULL, 0, 10, 0, 8, out, sizeof out, &ol, &n, next,
                                  OSTORE_MAX_KEY, &nl), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_list_ids_page(s, "Scan", 4, NULL, 0, NULL, 0, 10, 0, 0, out, sizeof out, NULL, &n, next,
                                  OSTORE_MAX_KEY, &nl), OSTORE_INVALID_ARGUMENT);
    bb_free(&b);
    close_store(s);
}

/* a page stops after OSTORE_SCAN_STEP objects even when none matched, and says where to go on */
static void test_list_ids_page_step(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    int total = (int)OSTORE_SCAN_STEP + 10;
    for (int i = 0; i < total; i++)
        put_num(&b, "Step", i == total - 1 ? 'z' : 'a', i);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    scan_seen v;
    seen_init(&v, total);
    uint8_t next[OSTORE_MAX_KEY];
    long r = scan_page(s, "Step", "z-", NULL, 0, 10, 0, 0, &v, next);
    CHECK(r > 0 && v.total == 0);
    r = scan_page(s, "Step", "z-", next, (size_t)r, 10, 0, 0, &v, next);
    CHECK(r == 0 && v.total == 1 && v.hit[total - 1] == 1);
    free(v.hit);
    bb_free(&b);
    close_store(s);
}

/* closes, removes index.ckpt and opens again: the index is rebuilt by replaying the whole log */
static bool remove_checkpoint_and_reopen(ostore **s, const char *dir, char *err, size_t cap)
{
    (void)err;
    (void)cap;
    close_store(*s);
    char ck[512];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    CHECK(unlink(ck) == 0);
    *s = open_store(dir);
    return *s != NULL;
}

static void put_expiring(bb *b, const char *cls, int i, const void *deadline, size_t dl)
{
    char id[32];
    snprintf(id, sizeof id, "e-%06d", i);
    bb_obj(b, cls, id, OSTORE_ANY_VERSION);
    bb_puts(b, "v", id);
    if (deadline != NULL)
        bb_op_raw(b, OSTORE_OP_PUT, "\0expires", OSTORE_EXPIRY_NAME_LEN, deadline, dl);
}

/* objects with a deadline <= now are left out of scans and counts (or listed alone with
 * OSTORE_LIST_EXPIRED); a deadline of 0 or of another length never expires; the same after reopening
 * from the checkpoint and after a replay of the log */
static void test_expiry_filter(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    uint64_t zero = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t at = 1000 + (uint64_t)i * 10; /* object i expires at 1000 + 10 i */
        if (i < 90)
            put_expiring(&b, "Exp", i, &at, 8);
        else if (i < 95)
            put_expiring(&b, "Exp", i, &zero, 8);
        else
            put_expiring(&b, "Exp", i, &at, 4); /* not a deadline */
    }
    put_expiring(&b, "Plain", 0, NULL, 0);
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    for (int round = 0; round < 3; round++) {
        uint64_t cnt;
        CHECK_RC(ostore_count(s, "Exp", 3, 0, &cnt), OSTORE_OK);
        CHECK(cnt == 100);
        CHECK_RC(ostore_count(s, "Exp", 3, 1000, &cnt), OSTORE_OK);
        CHECK(cnt == 99);
        CHECK_RC(ostore_count(s, "Exp", 3, 1255, &cnt), OSTORE_OK);
        CHECK(cnt == 74); /* 0..25 expired */
        CHECK_RC(ostore_count(s, "Plain", 5, 5000, &cnt), OSTORE_OK);
        CHECK(cnt == 1);
        scan_seen v;
        int pages;
        seen_init(&v, 100);
        CHECK(scan_all(s, "Exp", NULL, 9, 1255, 0, &v, &pages) == 0);
        CHECK(v.total == 74 && v.order_ok);
        for (int i = 0; i < 100; i++)
            CHECK(v.hit[i] == (i > 25 ? 1 : 0));
        free(v.hit);
        seen_init(&v, 100);
        CHECK(scan_all(s, "Exp", NULL, 9, 1255, OSTORE_LIST_EXPIRED, &v, &pages) == 0);
        CHECK(v.total == 26);
        for (int i = 0; i < 100; i++)
            CHECK(v.hit[i] == (i <= 25 ? 1 : 0));
        free(v.hit);
        seen_init(&v, 100);
        CHECK(scan_all(s, "Exp", NULL, 9, 0, OSTORE_LIST_EXPIRED, &v, &pages) == 0);
        CHECK(v.total == 0);
        free(v.hit);
        if (round == 0) { /* reopen from the checkpoint written at close */
            close_store(s);
            s = open_store(dir);
        } else if (round == 1) { /* a deleted expired object leaves counts; then reopen by replay only */
            bb_reset(&b);
            bb_del_obj(&b, "Exp", "e-000000", OSTORE_ANY_VERSION);
            bb_obj(&b, "Exp", "e-000000", OSTORE_ANY_VERSION); /* duplicate key: refused, nothing written */
            CHECK_RC(write_bb(s, &b), OSTORE_INVALID_ARGUMENT);
            bb_reset(&b);
            bb_del_obj(&b, "Exp", "e-000000", OSTORE_ANY_VERSION);
            CHECK_RC(write_bb(s, &b), OSTORE_OK);
            bb_reset(&b);
            uint64_t at = 1000;
            put_expiring(&b, "Exp", 0, &at, 8); /* back, expired again */
            CHECK_RC(write_bb(s, &b), OSTORE_OK);
            char err[256];
            CHECK(remove_checkpoint_and_reopen(&s, dir, err, sizeof err));
        }
        if (s == NULL) { CHECK(0); bb_free(&b); return; }
    }
    bb_free(&b);
    close_store(s);
}

#include "test_ordered.c" /* key-order scans */

/* ================= runner ================= */

typedef struct test_case {
    const char *name;
    void (*fn)(const char *dir);
} test_case;

static void t_crc32c_combine_and_parallel(const char *d)
{
    (void)d;
    test_crc32c_combine_and_parallel_match_the_whole();
}

static void t_crc32c_paths(const char *d)
{
    (void)d;
    test_crc32c_paths();
}

static void t_crc(const char *d) { (void)d; test_crc_and_names(); }

/* the record holding an offset, by a linear scan of the first n records (os_seg_find_record's reference) */
static size_t find_record_ref(const os_seg *g, size_t n, uint64_t off)
{
    size_t r = SIZE_MAX;
    for (size_t i = 0; i < n && g->rec_off[i] <= off; i++)
        r = i;
    return r;
}

/* The search through the record page directory finds what a scan of the record table finds: records from 16 B
 * to several pages long, offsets at, inside and between records, a reader whose nrec is older than the
 * directory's entries (the writer has pushed more since), and the table refilled after os_seg_rec_clear. */
static void t_find_record_by_page_directory(const char *d)
{
    (void)d;
    unsigned seed = (unsigned)time(NULL);
    if (getenv("OSTORE_TEST_SEED") != NULL)
        seed = (unsigned)strtoul(getenv("OSTORE_TEST_SEED"), NULL, 10);
    fprintf(stderr, "  seed %u (OSTORE_TEST_SEED=%u to replay)\n", seed, seed);
    os_seg *g = calloc(1, sizeof *g);
    g->reserve = 4 * OS_MIB;
    for (int round = 0; round < 2; round++) {
        CHECK(os_seg_rec_reserve(g, 1) == OSTORE_OK);
        CHECK(!os_seg_rec_full(g) && g->npg >= (g->reserve >> OS_RECPG_SHIFT) + 2);
        uint64_t off = OS_SEG_HDR;
        while (1) {
            seed = seed * 1103515245u + 12345u;
            unsigned kind = (seed >> 16) % 8;
            uint64_t len = kind < 5 ? 16 + 8 * ((seed >> 8) % 40) : kind < 7 ? 1024 + 8 * ((seed >> 4) % 512) : 3 * 4096 + 8 * ((seed >> 4) % 2048);
            if (off + len > g->reserve)
                break;
            if (os_seg_rec_full(g))
                CHECK(os_seg_rec_reserve(g, 1) == OSTORE_OK);
            os_seg_rec_push(g, off, 1, OS_REC_OK);
            off += len;
        }
        size_t n = g->nrec;
        CHECK(n > 500); /* ~1 200 on average (3.4 KiB a record); 1 000 was not reached by some seeds, e.g. 1764990226 */
        CHECK(os_seg_find_record(g, 0) == SIZE_MAX && os_seg_find_record(g, OS_SEG_HDR - 1) == SIZE_MAX);
        for (size_t i = 0; i < n; i++) { /* each record's first and last byte, and the byte before it */
            uint64_t end = i + 1 < n ? g->rec_off[i + 1] : off;
            CHECK(os_seg_find_record(g, g->rec_off[i]) == i);
            CHECK(os_seg_find_record(g, end - 1) == i);
            CHECK(os_seg_find_record(g, g->rec_off[i] - 1) == (i == 0 ? SIZE_MAX : i - 1));
        }
        for (int k = 0; k < 20000; k++) { /* any offset, for a reader that saw only the first m records */
            seed = seed * 1103515245u + 12345u;
            uint64_t at = ((uint64_t)seed << 7 ^ seed) % (off + 8192);
            seed = seed * 1103515245u + 12345u;
            size_t m = k % 4 == 0 ? n : 1 + (size_t)(seed % n);
            size_t full = g->nrec;
            g->nrec = m;
            size_t got = os_seg_find_record(g, at), want = find_record_ref(g, m, at);
            g->nrec = full;
            if (got != want) {
                printf("  offset %llu with %zu of %zu records: %zu, expected %zu\n", (unsigned long long)at, m, n, got, want);
                CHECK(got == want);
                break;
            }
        }
        os_seg_rec_clear(g);
        CHECK(g->nrec == 0 && g->pg_filled == 0 && os_seg_find_record(g, OS_SEG_HDR + 100) == SIZE_MAX);
        g->reserve = 6 * OS_MIB; /* the second round's directory grows with the reserve */
    }
    os_big_free(g->rec_off, g->caprec * sizeof *g->rec_off);
    os_big_free(g->rec_state, g->caprec);
    free(g->rec_pg);
    free(g);
}

/* A segment's record tables grow past 2 MiB (262 144 offsets), where os_big_grow moves them into huge-page
 * mappings: every offset and state pushed before and after each move reads back, and the search still finds
 * each record. Freed the way os_seg_close frees them (a free() of the mapping would fail under ASan). */
static void t_record_tables_grow_into_huge_pages_with_every_offset(const char *d)
{
    (void)d;
    os_seg *g = calloc(1, sizeof *g);
    g->reserve = 16 * OS_MIB;
    const size_t n = 600000; /* 4.8 MB of offsets: past 2 MiB, and grown once more after it */
    CHECK(os_seg_rec_reserve(g, 1) == OSTORE_OK);
    for (size_t i = 0; i < n; i++) {
        if (os_seg_rec_full(g))
            CHECK(os_seg_rec_reserve(g, 1) == OSTORE_OK);
        os_seg_rec_push(g, OS_SEG_HDR + 24 * (uint64_t)i, 7 + i, i % 3 == 0 ? OS_REC_OK : OS_REC_UNCHECKED);
    }
    CHECK(g->nrec == n && g->caprec * sizeof *g->rec_off >= 2 * OS_MIB && g->first_seq == 7);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += g->rec_off[i] != OS_SEG_HDR + 24 * (uint64_t)i ||
               g->rec_state[i] != (i % 3 == 0 ? OS_REC_OK : OS_REC_UNCHECKED);
    CHECK(bad == 0);
    for (size_t i = 0; i < n; i += 997)
        CHECK(os_seg_find_record(g, OS_SEG_HDR + 24 * (uint64_t)i + 23) == i);
    os_big_free(g->rec_off, g->caprec * sizeof *g->rec_off);
    os_big_free(g->rec_state, g->caprec);
    free(g->rec_pg);
    free(g);
}

/* ---- value hints (internal.h, "value hints") ---- */

#define HINT_OBJS 20000
#define HINT_ENTS 10

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The slot table's layout (internal.h, os_slot / os_hint_slot): every slot and every hint of a table has a word of
 * its own (none overlaps another, none lies outside the table's 2 x (mask + 1) words), and slot i and hint i share a
 * 64-byte line of a line-aligned table. */
static void test_slot_table_lines_hold_four_slots_then_their_hints(const char *dir)
{
    (void)dir;
    for (uint64_t cap = 1024; cap <= (1u << 16); cap *= 4) {
        uint64_t words = 2 * cap;
        uint8_t *seen = calloc(words, 1);
        const uint64_t *t = calloc(words, sizeof *t);
        bool inside = true, lines = true;
        for (uint64_t i = 0; i < cap; i++) {
            size_t a = (size_t)(os_slot(t, i) - t), b = (size_t)(os_hint_slot(t, i) - t);
            inside = inside && a < words && b < words;
            if (a < words)
                seen[a]++;
            if (b < words)
                seen[b]++;
            lines = lines && a / 8 == b / 8;
        }
        bool once = true;
        for (uint64_t w = 0; w < words; w++)
            once = once && seen[w] == 1;
        CHECK(inside && once && lines);
        free(seen);
        free((void *)t);
    }
}

static uint64_t hint_of(const ostore *s, uint64_t h) { return *os_hint_slot(s->idx->slots, h & s->idx->mask); }

/* Of the objects "h-0".."h-N" of class h.C whose home slot no other of them shares (their hint is their own): how
 * many there are (*unique), how many have a hint whose lines hold their first value (*first), and (the answer) how
 * many have one that holds all their values; -1 when a read fails. */
static long hinted_objects(ostore *s, int *unique, int *first)
{
    static uint64_t homes[HINT_OBJS];
    const char *cls = "h.C";
    char id[32];
    for (int k = 0; k < HINT_OBJS; k++) {
        snprintf(id, sizeof id, "h-%d", k);
        homes[k] = os_hash_key((const uint8_t *)cls, strlen(cls), (const uint8_t *)id, strlen(id)) & s->idx->mask;
    }
    /* a home shared by two objects: sort a copy and mark the repeated values */
    uint64_t *sorted = malloc(sizeof homes);
    memcpy(sorted, homes, sizeof homes);
    qsort(sorted, HINT_OBJS, sizeof *sorted, cmp_u64);
    long covered = 0;
    *unique = *first = 0;
    for (int k = 0; k < HINT_OBJS; k++) {
        size_t lo = 0, hi = HINT_OBJS;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sorted[mid] < homes[k]) lo = mid + 1; else hi = mid;
        }
        if ((lo + 1 < HINT_OBJS && sorted[lo + 1] == homes[k]) || (lo > 0 && sorted[lo - 1] == homes[k]))
            continue;
        (*unique)++;
        snprintf(id, sizeof id, "h-%d", k);
        uint64_t h = os_hash_key((const uint8_t *)cls, strlen(cls), (const uint8_t *)id, strlen(id));
        uint32_t pin;
        ostore_read_begin(s, &pin);
        ostore_entry_ref refs[HINT_ENTS];
        size_t n = 0;
        uint64_t ver;
        int rc = ostore_get_object_ref(s, cls, strlen(cls), id, strlen(id), refs, HINT_ENTS, &n, &ver);
        uint64_t w = hint_of(s, h);
        uintptr_t from = os_hint_at(w), to = from + 64u * os_hint_lines(w);
        bool all = rc == OSTORE_OK && n == HINT_ENTS && ((w ^ h) & OS_HINT_TAG) == 0;
        *first += all && (uintptr_t)refs[0].value >= from && (uintptr_t)refs[0].value < to;
        for (size_t i = 0; all && i < n; i++)
            all = (uintptr_t)refs[i].value >= from && (uintptr_t)refs[i].value + refs[i].value_len <= to;
        ostore_read_end(s, pin);
        if (rc != OSTORE_OK) {
            free(sorted);
            return -1;
        }
        covered += all;
    }
    free(sorted);
    return covered;
}

/* An object written whole has a value hint naming the lines its values lie in — after the publishes
 * that made it while the slot table grew from 1 024 slots (each growth moves the hints), after a reopen that
 * loads it from the checkpoint (lazy entries: the load computes the hint without a publish), and after a
 * one-entry update of every other object, whose value lies megabytes after the others (its hint then names its first
 * entry's value alone: that object is no longer counted, the others still are). */
static void test_value_hints_name_the_values_of_each_object(const char *dir)
{
    ostore *s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    char id[32], name[16], val[64];
    for (int base = 0; base < HINT_OBJS; base += 500) {
        bb_reset(&b);
        for (int k = base; k < base + 500; k++) {
            snprintf(id, sizeof id, "h-%d", k);
            bb_obj(&b, "h.C", id, OSTORE_ANY_VERSION);
            for (int e = 0; e < HINT_ENTS; e++) {
                snprintf(name, sizeof name, "e%d", e);
                snprintf(val, sizeof val, "value %d of object %d, forty bytes long..", e, k);
                bb_put(&b, name, val, 40);
            }
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    CHECK(s->idx->mask + 1 >= 2 * HINT_OBJS);
    int unique = 0, first = 0;
    long covered = hinted_objects(s, &unique, &first);
    printf("  after the writes: %ld of %d objects with a home of their own covered (%d their first value)\n", covered,
           unique, first);
    /* the table grew from 1 024 slots while they were written: an object that shared its home in a smaller table
     * may have lost its hint to the other, then got one for its first value and a line per entry after it */
    CHECK(unique > HINT_OBJS / 2 && first == unique && covered > unique * 3 / 4);
    close_store(s);

    s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); bb_free(&b); return; }
    CHECK(os_ents_lazy(os_obj_at(s->idx, 0)->ents)); /* loaded lazily: the hint came from the load */
    covered = hinted_objects(s, &unique, &first);
    printf("  after the reopen: %ld of %d covered\n", covered, unique);
    CHECK(covered == unique); /* the load sized the table first: every hint is the load's own */

    for (int k = 0; k < HINT_OBJS; k += 2) { /* each update megabytes after the object's other values */
        bb_reset(&b);
        snprintf(id, sizeof id, "h-%d", k);
        bb_obj(&b, "h.C", id, OSTORE_ANY_VERSION);
        bb_puts(&b, "e5", "changed");
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    covered = hinted_objects(s, &unique, &first);
    printf("  after updating half: %ld of %d covered\n", covered, unique);
    CHECK(covered > unique / 3 && covered < unique * 2 / 3 && first == unique);
    close_store(s);
    bb_free(&b);
}

/* True when each entry of each object of the classes, read alone (ostore_get_entry), is the name and value the
 * whole-object read (ostore_get_object) returns for it, and the store has at least one entry. */
static bool entries_read_alone_match_objects(ostore *s, const char **classes, int nc)
{
    uint64_t entries = 0;
    for (int c = 0; c < nc; c++) {
        const char *cls = classes[c];
        uint64_t count = 0;
        uint8_t *ids = class_ids(s, cls, &count);
        if (ids == NULL)
            return false;
        bool ok = true;
        size_t off = 0;
        for (uint64_t i = 0; ok && i < count; i++) {
            uint16_t il;
            memcpy(&il, ids + off, 2);
            const uint8_t *id = ids + off + 2;
            off += 2 + (size_t)il;
            size_t ol = 0;
            uint64_t ver = 0;
            ostore_get_object(s, cls, strlen(cls), id, il, NULL, 0, &ol, &ver);
            uint8_t *ob = malloc(ol + 8);
            if (ostore_get_object(s, cls, strlen(cls), id, il, ob, ol, &ol, &ver) != OSTORE_OK) {
                free(ob);
                continue; /* deleted meanwhile: nothing to compare */
            }
            uint32_t ne;
            memcpy(&ne, ob, 4);
            size_t p = 8;
            for (uint32_t e = 0; ok && e < ne; e++) {
                uint16_t nl;
                uint32_t vl;
                memcpy(&nl, ob + p, 2);
                memcpy(&vl, ob + p + 4, 4);
                uint8_t *v = malloc((size_t)vl + 1);
                size_t got = 0;
                uint64_t gv = 0;
                ok = ostore_get_entry(s, cls, strlen(cls), id, il, ob + p + 8, nl, v, vl, &got, &gv) == OSTORE_OK &&
                     got == vl && gv == ver && memcmp(v, ob + p + 8 + nl, vl) == 0;
                free(v);
                p += 8 + (size_t)nl + vl;
                entries++;
            }
            free(ob);
        }
        free(ids);
        if (!ok)
            return false;
    }
    return entries > 0;
}

/* A hint is only ever prefetched: whatever it names — nothing, an address in no mapping, a kernel address, an
 * unaligned run of lines, many lines or few (a read of one entry prefetches a small object's lines:
 * OS_ENTRY_READ_HINT_LINES) — whole-object reads and reads of one entry return what was written, also when each
 * object's hint carries its own tag. */
static void test_wrong_value_hints_change_no_read(const char *dir)
{
    ostore *s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); return; }
    bg_load(s);
    uint64_t count = 0, want = digest(s, CLASSES, NCLASSES, &count);
    CHECK(count > 0);
    CHECK(entries_read_alone_match_objects(s, CLASSES, NCLASSES));
    void *gone = mmap(NULL, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 1 << 20);
    const uint64_t junk[] = {0, ~0ull, (uint64_t)(uintptr_t)gone >> 6 | 33ull << 41, ((1ull << 41) - 1u) | 63ull << 41,
                             1ull | 63ull << 41, (uint64_t)(uintptr_t)gone >> 6 | 2ull << 41, 1ull | 1ull << 41,
                             ((1ull << 41) - 1u) | 4ull << 41};
    for (size_t j = 0; j < sizeof junk / sizeof junk[0]; j++) {
        for (uint64_t i = 0; i <= s->idx->mask; i++) /* with no tag of any object's, then with the tag of each */
            *os_hint_slot(s->idx->slots, i) = junk[j];
        CHECK(digest(s, CLASSES, NCLASSES, &count) == want);
        CHECK(entries_read_alone_match_objects(s, CLASSES, NCLASSES));
        for (uint32_t i = 0; i < s->idx->nobj; i++)
            os_index_hint_set(s->idx, os_obj_at(s->idx, i)->hash, junk[j] & ~OS_HINT_TAG);
        CHECK(digest(s, CLASSES, NCLASSES, &count) == want);
        CHECK(entries_read_alone_match_objects(s, CLASSES, NCLASSES));
    }
    close_store(s);
}

/* ---- objects in their class's shape (internal.h, OS_LAZY_SHAPED) ---- */

/* Of the objects of class cls loaded lazily: how many are shaped, and whether every shaped one's entries, made from
 * its own bytes and its class's shape, are field for field those its checkpoint bytes decode to. */
static uint32_t shaped_objects(ostore *s, const char *cls, bool *same)
{
    const os_cls *c = os_index_find_class(s->idx, (const uint8_t *)cls, strlen(cls));
    uint32_t shaped = 0;
    *same = c != NULL;
    for (uint32_t i = 0; c != NULL && i < c->n; i++) {
        const os_obj *o = c->objs[i];
        if (!os_ents_lazy(o->ents) || !os_ents_shaped(o->ents))
            continue;
        shaped++;
        os_entry a[OS_LAZY_MAX], b[OS_LAZY_MAX];
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        uint16_t lc = __atomic_load_n(&o->lchecked, __ATOMIC_RELAXED); /* the precheck thread sets flags meanwhile */
        uint32_t got = os_lazy_decode(o->lazy, os_ents_bytes(o->ents), o->n, lc, a);
        os_shape_decode(o, o->n, lc, b);
        for (uint32_t e = 0; e < o->n; e++) {
            bool name_same = a[e].name_len == b[e].name_len &&
                             memcmp(os_entry_name(&a[e]), os_entry_name(&b[e]), a[e].name_len) == 0;
            *same = *same && got == o->n && name_same && a[e].seg == b[e].seg && a[e].off == b[e].off &&
                    a[e].len == b[e].len && a[e].checked == b[e].checked;
        }
    }
    return shaped;
}

/* An object loaded lazily is kept in its class's shape — its entries made from its own bytes, not read from the
 * checkpoint — exactly when its values lie one after another in one record with names in the class's order: whole
 * writes of 10 short-named and of 3 long-named entries are; an object updated in part, one with a 300-byte value,
 * one of 15 entries or with the names in another order are not. Every shaped object's entries equal those its
 * checkpoint bytes decode to (checked flags too, after reads set some), and every read returns what was written. */
static void test_objects_in_their_class_shape_decode_as_their_checkpoint(const char *dir)
{
    static const char *cls[] = {"sh.Short", "sh.Long", "sh.Other"};
    ostore *s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    char id[32], name[32], val[320];
    memset(val, 'v', sizeof val);
    for (int k = 0; k < 3000; k++) {
        bb_reset(&b);
        snprintf(id, sizeof id, "s-%d", k);
        bb_obj(&b, cls[0], id, OSTORE_ANY_VERSION);
        int kind = k % 6; /* 0-2: whole; 3: a 300-byte value; 4: 15 entries; 5: names in reverse order */
        int ne = kind == 4 ? 15 : 10;
        for (int e = 0; e < ne; e++) {
            int en = kind == 5 ? ne - 1 - e : e;
            snprintf(name, sizeof name, "f%d", en);
            bb_put(&b, name, val, kind == 3 && e == 4 ? 300 : 20 + (size_t)(k + e) % 200);
        }
        snprintf(id, sizeof id, "l-%d", k);
        bb_obj(&b, cls[1], id, OSTORE_ANY_VERSION);
        for (int e = 0; e < 3; e++) {
            snprintf(name, sizeof name, "a_long_field_name_%d", e);
            bb_put(&b, name, val, 1 + (size_t)k % 255);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    for (int k = 1; k < 3000; k += 6) { /* whole objects updated in part: no longer one record */
        bb_reset(&b);
        snprintf(id, sizeof id, "s-%d", k);
        bb_obj(&b, cls[0], id, OSTORE_ANY_VERSION);
        bb_puts(&b, "f3", "changed");
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_reset(&b);
    bb_obj(&b, cls[2], "o-1", OSTORE_ANY_VERSION); /* one entry: inline, never lazy */
    bb_puts(&b, "x", "y");
    CHECK_RC(write_bb(s, &b), OSTORE_OK);
    bb_free(&b);
    uint64_t count = 0, want = digest(s, cls, 3, &count);
    CHECK(count == 6001);
    close_store(s);

    s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); return; }
    bool same = false;
    uint32_t shaped = shaped_objects(s, cls[0], &same);
    printf("  %u of 3000 short-named objects shaped\n", shaped);
    CHECK(same && shaped == 1000); /* kinds 0 and 2 of every 6; kind 1 was updated in part */
    shaped = shaped_objects(s, cls[1], &same);
    CHECK(same && shaped == 3000);
    CHECK(digest(s, cls, 3, &count) == want && count == 6001); /* reads (which set checked flags) */
    shaped = shaped_objects(s, cls[0], &same);
    CHECK(same && shaped == 1000);
    const os_cls *c = os_index_find_class(s->idx, (const uint8_t *)cls[0], strlen(cls[0]));
    CHECK(c != NULL && __atomic_load_n(&c->objs[0]->lchecked, __ATOMIC_RELAXED) == (1u << 10) - 1); /* set by reads */
    close_store(s);
}

/* ---- incremental checkpoints (FORMAT.md, "Delta file") ---- */

static long delta_size(const char *dir)
{
    char p[600];
    path_in(p, sizeof p, dir, "index.delta");
    return file_size(p);
}

/* After a full checkpoint, ostore_checkpoint and close append deltas that hold only what changed (index.ckpt
 * is not rewritten), a reopen loads base + deltas to the same state, and a merge writes a full checkpoint and
 * empties index.delta. */
static void test_delta_checkpoints_hold_only_changes(const char *dir)
{
    ostore *s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); return; }
    bg_load(s);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK); /* the first checkpoint: full (no base yet) */
    char ck[600], saved[600];
    path_in(ck, sizeof ck, dir, "index.ckpt");
    path_in(saved, sizeof saved, dir, "saved.ckpt");
    CHECK(copy_file(ck, saved) == 0);
    long base = file_size(ck);
    CHECK(base > 3000 * 20 && delta_size(dir) <= 0);
    CHECK_RC(put1(s, CLASSES[0], "bg-7", "f0", "changed"), OSTORE_OK);
    CHECK_RC(put1(s, CLASSES[1], "new-1", "g", "created"), OSTORE_OK);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    long d1 = delta_size(dir);
    CHECK(d1 > 64 && d1 < 400); /* two objects, not the 3000 of the base */
    CHECK(same_file(ck, saved));
    CHECK(s->dlt_bytes == (uint64_t)d1);
    workload(s, 30, 6, 77);
    uint64_t want = state_of(s), seq = last_seq(s);
    close_store(s); /* not current: a second delta */
    long d2 = delta_size(dir);
    CHECK(d2 > d1 && same_file(ck, saved));
    s = open_interval(dir, UINT64_MAX);
    CHECK(s != NULL);
    if (!s) return;
    CHECK(s->ckpt_in_use && s->dlt_bytes == (uint64_t)d2 && s->pt_nobj == s->idx->nobj);
    CHECK(state_of(s) == want && last_seq(s) == seq);
    CHECK(entry_is(s, CLASSES[0], "bg-7", "f0", "changed") && entry_is(s, CLASSES[1], "new-1", "g", "created"));
    /* a merge: index.delta holds at least os_delta_merge_bytes */
    os_delta_merge_bytes = 1;
    CHECK_RC(put1(s, CLASSES[0], "bg-8", "f0", "merged"), OSTORE_OK);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    os_delta_merge_bytes = 0;
    CHECK(delta_size(dir) == 0 && !same_file(ck, saved) && s->dlt_bytes == 0);
    want = state_of(s);
    close_store(s); /* current: nothing written */
    CHECK(delta_size(dir) == 0);
    s = open_interval(dir, UINT64_MAX);
    CHECK(s && state_of(s) == want && entry_is(s, CLASSES[0], "bg-8", "f0", "merged"));
    if (s) close_store(s);
    unlink(saved);
}

/* A store past the sizes where the open's tables move to huge pages (os_big_grow, os_read_file): 600 000 objects
 * of one class (the class list grows past 2 MiB in the writer's stage and in a reopen's parallel parts) and a
 * delta file over 2 MiB. Its crash image (base + delta) reopened, then reopened after that open's close merged them,
 * holds exactly what was written: the class list (ostore_list_ids walks it) and every object (the digest reads each). */
static void test_large_class_lists_and_deltas_reopen_whole(const char *dir)
{
    static const char *cls[] = {"big.Class"};
    const int objects = 600000, changed = 150000;
    ostore *s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    char id[32], val[32];
    for (int base = 0; base < objects; base += 1000) {
        bb_reset(&b);
        for (int k = base; k < base + 1000; k++) {
            snprintf(id, sizeof id, "o-%d", k);
            snprintf(val, sizeof val, "v%d", k);
            bb_obj(&b, cls[0], id, OSTORE_ANY_VERSION);
            bb_puts(&b, "f", val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK); /* the full base */
    for (int base = 0; base < changed; base += 1000) {
        bb_reset(&b);
        for (int k = base; k < base + 1000; k++) {
            snprintf(id, sizeof id, "o-%d", 2 * k);
            snprintf(val, sizeof val, "changed-%d", k);
            bb_obj(&b, cls[0], id, OSTORE_ANY_VERSION);
            bb_puts(&b, "f", val);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    bb_free(&b);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK); /* a delta of the changed objects */
    CHECK(delta_size(dir) > 2 * (long)OS_MIB);
    uint64_t count = 0, want = digest(s, cls, 1, &count);
    CHECK(count == (uint64_t)objects);
    char *image = tmp_dir("bigdelta"); /* the store as a crash leaves it: base + delta (a close would merge them) */
    CHECK(copy_dir(dir, image, NULL) == 0);
    close_store(s);
    for (int round = 0; round < 2; round++) {
        s = open_interval(image, UINT64_MAX);
        CHECK(s != NULL);
        if (!s) return;
        /* round 0 loads base + delta; its close merges them, so round 1 loads the full checkpoint it wrote */
        CHECK(s->ckpt_in_use && (round == 1 || s->dlt_bytes > 2 * OS_MIB) && s->idx->nobj == (uint32_t)objects);
        count = 0;
        CHECK(digest(s, cls, 1, &count) == want && count == (uint64_t)objects);
        CHECK(entry_is(s, cls[0], "o-2", "f", "changed-1") && entry_is(s, cls[0], "o-599999", "f", "v599999"));
        close_store(s);
    }
    rm_rf(image);
    free(image);
}

/* rewrites the delta at off in index.delta of dir with its CRCs fixed after fix(b) changed it */
static void delta_patch(const char *dir, long off, void (*fix)(uint8_t *d))
{
    char p[600];
    path_in(p, sizeof p, dir, "index.delta");
    long n = file_size(p);
    uint8_t *b = malloc((size_t)n);
    int fd = open(p, O_RDWR);
    CHECK(b && fd >= 0 && pread(fd, b, (size_t)n, 0) == n);
    uint8_t *d = b + off;
    fix(d);
    uint64_t body;
    memcpy(&body, d + 48, 8);
    uint32_t c = crc32c(d + 64, body);
    memcpy(d + 56, &c, 4);
    c = crc32c(d, 60);
    memcpy(d + 60, &c, 4);
    CHECK(pwrite(fd, b, (size_t)n, 0) == n);
    close(fd);
    free(b);
}

/* the first object's class_ref: 0 (invalid for a first object) */
static void fix_first_class(uint8_t *d)
{
    uint32_t nsegs;
    uint64_t nrec_new;
    memcpy(&nsegs, d + 12, 4);
    long at = 64 + 32 * (long)nsegs;
    /* a delta whose table has one segment and the records the previous point lacked */
    CHECK(nsegs == 1);
    memcpy(&nrec_new, d + 64 + 16, 8);
    (void)nrec_new;
    uint64_t body;
    memcpy(&body, d + 48, 8);
    uint32_t count;
    memcpy(&count, d + 28, 4);
    /* objects end the body; with one new record the offsets take 8 bytes */
    at += 8;
    CHECK(count == 1 && d[at] > 0 && d[at] < 0x80);
    d[at] = 0;
}
static void fix_base_crc(uint8_t *d) { d[24] ^= 1; }

/* Damaged or stale deltas: a torn or damaged one ends the deltas (the log is replayed from the last good point),
 * one of another base is ignored, one whose objects do not parse makes open replay the whole log; the durable
 * point of an authentic delta is enforced (a segment truncated below it is refused). */
static void test_delta_damage(const char *dir)
{
    ostore *s = open_interval(dir, UINT64_MAX);
    if (!s) { CHECK(0); return; }
    workload(s, 60, 6, 5);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    CHECK_RC(put1(s, CLASSES[0], "d-1", "f", "one"), OSTORE_OK);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    long d1 = delta_size(dir);
    workload(s, 20, 6, 6);
    uint64_t want = state_of(s), seq = last_seq(s);
    close_store(s);
    long d2 = delta_size(dir);
    CHECK(d1 > 64 && d2 > d1);
    char *good = tmp_dir("dgood");
    CHECK(copy_dir(dir, good, NULL) == 0);
    for (int variant = 0; variant < 5; variant++) {
        rm_rf(dir);
        CHECK(copy_dir(good, dir, NULL) == 0);
        char dp[600];
        path_in(dp, sizeof dp, dir, "index.delta");
        long keep = -1; /* index.delta's length after the open */
        switch (variant) {
        case 0: CHECK(truncate(dp, d1 + (d2 - d1) / 2) == 0); keep = d1; break; /* torn second delta */
        case 1: flip_byte(dp, d1 / 2); keep = 0; break;                           /* damaged first delta */
        case 2: delta_patch(dir, 0, fix_base_crc); keep = 0; break;               /* another base's */
        case 3: delta_patch(dir, 0, fix_first_class); keep = -2; break;           /* authentic, objects bad */
        case 4: { /* the segment cut below the second delta's durable point */
            uint64_t len;
            int fd = open(dp, O_RDONLY);
            CHECK(pread(fd, &len, 8, d1 + 64 + 8) == 8); /* its first segment's length */
            close(fd);
            char seg[600];
            snprintf(seg, sizeof seg, "%s/seg-%016llx.log", dir, 1ull);
            CHECK(truncate(seg, (off_t)len - 8) == 0);
            break;
        }
        }
        int rc;
        s = open_opts(dir, 0, 0, &rc);
        if (variant == 4) {
            CHECK(rc == OSTORE_CORRUPT && s == NULL);
            if (s) close_store(s);
            continue;
        }
        CHECK(rc == OSTORE_OK && s != NULL);
        if (!s)
            continue;
        char msg[512];
        if (variant == 3) {
            CHECK(ostore_last_error(s, msg, sizeof msg) > 0 && strstr(msg, "index.delta") != NULL);
            CHECK(!s->ckpt_in_use);
        } else {
            CHECK(s->ckpt_in_use && s->dlt_bytes == (uint64_t)keep);
            CHECK(delta_size(dir) == keep); /* cut where the deltas end: the next one appends there */
        }
        CHECK(state_of(s) == want && last_seq(s) == seq);
        CHECK_RC(put1(s, CLASSES[0], "d-2", "f", "two"), OSTORE_OK);
        uint64_t w2 = state_of(s);
        close_store(s);
        s = open_opts(dir, 0, 0, &rc);
        CHECK(s && state_of(s) == w2);
        if (s) close_store(s);
    }
    rm_rf(good);
    free(good);
}

/* Kill -9 while a background delta, or a merge, is at each phase (kill_at_phase): the store opens to the state
 * of every batch written, using the deltas that were complete. */
static ostore *delta_open(const char *d) { return open_interval(d, 128 * 1024); }
/* a full checkpoint and one delta in the foreground, then the load, during which a background delta starts */
static void delta_before(ostore *s)
{
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    CHECK_RC(put1(s, CLASSES[1], "fg-delta", "g", "1"), OSTORE_OK);
    CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
    CHECK(s->dlt_bytes > 0 && s->dlt_bytes < 1000);
    bg_load(s);
    bg_churn(s, 1);
}
static void delta_after(ostore *s) { bg_churn(s, 2); }
static const kill_case delta_kill = {delta_open, delta_before, delta_after, OS_CKPT_PHASE_DONE};
static void merge_before(ostore *s)
{
    os_delta_merge_bytes = 1; /* the background checkpoint after the foreground delta is a merge */
    delta_before(s);
}
static const kill_case merge_kill = {delta_open, merge_before, delta_after, OS_CKPT_PHASE_DONE};

static void test_delta_and_merge_killed_at_each_phase(const char *dir)
{
    (void)dir;
    char *ref = tmp_dir("dref");
    ostore *r = open_interval(ref, UINT64_MAX);
    if (!r) { CHECK(0); free(ref); return; }
    CHECK_RC(put1(r, CLASSES[1], "fg-delta", "g", "1"), OSTORE_OK);
    bg_load(r);
    for (int k = 1; k <= 2; k++)
        bg_churn(r, k);
    uint64_t want = state_of(r), want_seq = last_seq(r);
    close_store(r);
    static const int phases[] = {OS_CKPT_PHASE_SYNCED, OS_CKPT_PHASE_WRITING, OS_CKPT_PHASE_WRITTEN,
                                 OS_CKPT_PHASE_RENAMED, OS_CKPT_PHASE_DONE};
    for (int merge = 0; merge <= 1; merge++) {
        for (size_t pi = 0; pi < sizeof phases / sizeof phases[0]; pi++) {
            int ph = phases[pi];
            char *d = tmp_dir(merge ? "mkill" : "dkill");
            int fails_before = cur_fail;
            kill_at_phase(merge ? &merge_kill : &delta_kill, d, ph);
            long fg = delta_size(d); /* before the open cuts it */
            ostore *s = open_interval(d, UINT64_MAX);
            CHECK(s != NULL);
            if (s) {
                CHECK(s->ckpt_in_use);
                bool done = ph == OS_CKPT_PHASE_RENAMED || ph == OS_CKPT_PHASE_DONE;
                if (!merge && ph != OS_CKPT_PHASE_DONE) /* (after DONE a later delta may be under way) */
                    CHECK(done || ph == OS_CKPT_PHASE_WRITTEN ? s->dlt_bytes > 1000 : s->dlt_bytes < 1000);
                if (merge && ph != OS_CKPT_PHASE_DONE) /* the merge's deltas: the foreground one, or none */
                    CHECK(done ? s->dlt_bytes == 0 : s->dlt_bytes > 0 && s->dlt_bytes < 1000);
                CHECK(fg >= (long)s->dlt_bytes);
                CHECK(state_of(s) == want);
                CHECK(last_seq(s) == want_seq);
                CHECK(entry_is(s, CLASSES[1], "fg-delta", "g", "1"));
                close_store(s);
                s = open_interval(d, UINT64_MAX);
                CHECK(s && state_of(s) == want);
                if (s) close_store(s);
            }
            if (cur_fail != fails_before)
                fprintf(stderr, "  (%s killed at phase %d)\n", merge ? "merge" : "delta", ph);
            rm_rf(d);
            free(d);
        }
    }
    os_delta_merge_bytes = 0;
    os_ckpt_phase_hook = NULL;
    rm_rf(ref);
    free(ref);
}

/* Random batches (puts, entry deletes, object deletes, new objects) with automatic deltas and merges in the
 * background and ostore_checkpoint in between; at random points a crash image is opened and every object is
 * compared with the model (value of each entry, version, absence). */
#define RM_OBJS 300
typedef struct rm_obj {
    uint64_t version; /* 0: never written */
    bool deleted;
    char v[2][48];    /* entries "a" and "b"; "" = absent */
} rm_obj;

static bool rm_matches(ostore *s, const rm_obj *m)
{
    bool ok = true;
    for (int k = 0; k < RM_OBJS && ok; k++) {
        char id[32], buf[128];
        snprintf(id, sizeof id, "rm-%d", k);
        for (int e = 0; e < 2 && ok; e++) {
            uint64_t ver = 0;
            int rc = get_str(s, CLASSES[k % 2], id, e ? "b" : "a", buf, sizeof buf, &ver);
            bool want = m[k].version > 0 && !m[k].deleted && m[k].v[e][0] != '\0';
            if (want)
                ok = rc == OSTORE_OK && strcmp(buf, m[k].v[e]) == 0 && ver == m[k].version;
            else
                ok = rc == OSTORE_NOT_FOUND;
            if (!ok)
                fprintf(stderr, "  object %s entry %c: %s '%s' v%llu, model '%s' v%llu%s\n", id, e ? 'b' : 'a',
                        ostore_status_name(rc), buf, (unsigned long long)ver, m[k].v[e],
                        (unsigned long long)m[k].version, m[k].deleted ? " deleted" : "");
        }
    }
    return ok;
}

static void test_deltas_random_crash_images_match_model(const char *dir)
{
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    if (getenv("OSTORE_TEST_SEED") != NULL)
        seed = (unsigned)strtoul(getenv("OSTORE_TEST_SEED"), NULL, 10);
    fprintf(stderr, "  seed %u (OSTORE_TEST_SEED=%u to replay)\n", seed, seed);
    srand(seed);
    os_delta_merge_bytes = 6000 + (uint64_t)(rand() % 20000);
    ostore *s = open_interval(dir, 4096 + (uint64_t)(rand() % 16384));
    if (!s) { CHECK(0); os_delta_merge_bytes = 0; return; }
    rm_obj *m = calloc(RM_OBJS, sizeof *m);
    bb b;
    bb_init(&b);
    int images = 0, deltas_used = 0;
    for (int step = 0; step < 600 && cur_fail == 0; step++) {
        bb_reset(&b);
        int n = 1 + rand() % 12;
        bool used[RM_OBJS] = {false};
        for (int j = 0; j < n; j++) {
            int k = rand() % (step < 100 ? 60 : RM_OBJS); /* new objects keep coming */
            if (used[k])
                continue;
            used[k] = true;
            char id[32];
            snprintf(id, sizeof id, "rm-%d", k);
            int what = rand() % 10;
            if (what == 0) {
                bb_del_obj(&b, CLASSES[k % 2], id, OSTORE_ANY_VERSION);
                m[k].deleted = true;
                m[k].v[0][0] = m[k].v[1][0] = '\0';
            } else {
                bb_obj(&b, CLASSES[k % 2], id, OSTORE_ANY_VERSION);
                if (m[k].deleted) /* a re-created object starts with no entries */
                    m[k].v[0][0] = m[k].v[1][0] = '\0';
                m[k].deleted = false;
                for (int e = 0; e < 2; e++) {
                    int op = rand() % 4;
                    if (op == 0 && m[k].v[e][0] != '\0') {
                        bb_del(&b, e ? "b" : "a");
                        m[k].v[e][0] = '\0';
                    } else if (op <= 2) {
                        snprintf(m[k].v[e], sizeof m[k].v[e], "s%d-%d-%d", step, k, rand() % 100000);
                        bb_puts(&b, e ? "b" : "a", m[k].v[e]);
                    }
                }
            }
            m[k].version++;
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        if (rand() % 40 == 0)
            CHECK_RC(ostore_checkpoint(s), OSTORE_OK);
        if (rand() % 60 == 0 || step == 599) { /* a crash image now: the writer is idle, a delta may be in flight */
            char *img = tmp_dir("rmimg");
            CHECK(copy_dir(dir, img, NULL) == 0);
            ostore *c = open_interval(img, UINT64_MAX);
            CHECK(c != NULL);
            if (c) {
                images++;
                deltas_used += c->dlt_bytes > 0;
                CHECK(rm_matches(c, m));
                close_store(c);
                c = open_interval(img, UINT64_MAX); /* and after its own close (a delta, or nothing) */
                CHECK(c && rm_matches(c, m));
                if (c) close_store(c);
            }
            rm_rf(img);
            free(img);
        }
    }
    close_store(s);
    s = open_interval(dir, UINT64_MAX);
    CHECK(s && rm_matches(s, m));
    if (s) close_store(s);
    fprintf(stderr, "  %d crash images, %d with deltas\n", images, deltas_used);
    bb_free(&b);
    free(m);
    os_delta_merge_bytes = 0;
}

static const test_case TESTS[] = {
    {"crc_and_names", t_crc},
    {"crc32c_paths", t_crc32c_paths},
    {"crc32c_combine_and_parallel_match_the_whole", t_crc32c_combine_and_parallel},
    {"find_record_by_page_directory", t_find_record_by_page_directory},
    {"record_tables_grow_into_huge_pages_with_every_offset", t_record_tables_grow_into_huge_pages_with_every_offset},
    {"value_hints_name_the_values_of_each_object", test_value_hints_name_the_values_of_each_object},
    {"wrong_value_hints_change_no_read", test_wrong_value_hints_change_no_read},
    {"slot_table_lines_hold_four_slots_then_their_hints", test_slot_table_lines_hold_four_slots_then_their_hints},
    {"objects_in_their_class_shape_decode_as_their_checkpoint", test_objects_in_their_class_shape_decode_as_their_checkpoint},
    {"index_chunks_made_ahead_are_taken_and_read_back", test_index_chunks_made_ahead_are_taken_and_read_back},
    {"a_chunk_being_made_is_waited_for_not_mapped_again", test_a_chunk_being_made_is_waited_for_not_mapped_again},
    {"slot_table_and_class_list_grow_into_tables_built_ahead", test_slot_table_and_class_list_grow_into_tables_built_ahead},
    {"bulk_load_of_several_slab_chunks_reads_back_every_entry", test_bulk_load_of_several_slab_chunks_reads_back_every_entry},
    {"precheck_checks_loaded_objects_and_leaves_damage_to_the_read", test_precheck_checks_loaded_objects_and_leaves_damage_to_the_read},
    {"precheck_maps_the_whole_log_ahead_of_the_reads", test_precheck_maps_the_whole_log_ahead_of_the_reads},
    {"precheck_runs_beside_writes_and_a_compaction", test_precheck_runs_beside_writes_and_a_compaction},
    {"precheck_checks_every_covered_record_while_the_open_loads", test_precheck_checks_every_covered_record_while_the_open_loads},
    {"precheck_checks_every_covered_record_while_a_parallel_load_runs", test_precheck_checks_every_covered_record_while_a_parallel_load_runs},
    {"roundtrip", test_roundtrip},
    {"key_hash_counts_every_byte_and_the_class_id_split", test_key_hash_counts_every_byte_and_the_class_id_split},
    {"read_transaction_refs", test_read_transaction_refs},
    {"value_hint_follows_the_first_entry", test_value_hint_follows_the_first_entry},
    {"read_transaction_holds_off_compaction", test_read_transaction_holds_off_compaction},
    {"get_entry_nowait_does_not_wait_for_an_exclusive_section", test_get_entry_nowait_does_not_wait_for_an_exclusive_section},
    {"get_entries_match_get_entry_under_growth_deletes_and_reopen", test_get_entries_match_get_entry_under_growth_deletes_and_reopen},
    {"partial_update_and_delete_entry", test_partial_update_and_delete_entry},
    {"entry_room_for_overwrites_and_new_names", test_entry_room_for_overwrites_and_new_names},
    {"delete_object_tombstone", test_delete_object_tombstone},
    {"conditional", test_conditional},
    {"duplicate_object", test_duplicate_object},
    {"malformed", test_malformed},
    {"buffer_too_small", test_buffer_too_small},
    {"list_ids", test_list_ids},
    {"list_ids_page", test_list_ids_page},
    {"list_ids_page_step", test_list_ids_page_step},
    {"expiry_filter", test_expiry_filter},
    {"ordered_scan_matches_sorted_model", test_ordered_scan_matches_sorted_model},
    {"ordered_scan_arguments", test_ordered_scan_arguments},
    {"ordered_scan_big_class_and_step", test_ordered_scan_big_class_and_step},
    {"ordered_scan_while_writing", test_ordered_scan_while_writing},
    {"reopen", test_reopen},
    {"lazy_objects_take_every_change_like_loaded_ones", test_lazy_objects_take_every_change_like_loaded_ones},
    {"crash_without_close", test_crash_without_close},
    {"written_pages_are_unmapped_behind_the_writer", test_written_pages_are_unmapped_behind_the_writer},
    {"log_pages_are_populated_and_unmapped_by_their_own_thread", test_log_pages_are_populated_and_unmapped_by_their_own_thread},
    {"bulk_log_is_made_of_2mib_folios_ahead_of_the_writer", test_bulk_log_is_made_of_2mib_folios_ahead_of_the_writer},
    {"bulk_writer_finds_the_next_2mib_folio_mapped_and_a_sync_leaves_it",
     test_bulk_writer_finds_the_next_2mib_folio_mapped_and_a_sync_leaves_it},
    {"writer_that_syncs_often_dirties_only_what_it_writes", test_writer_that_syncs_often_dirties_only_what_it_writes},
    {"close_truncates_the_log_only_once_the_pages_thread_is_idle", test_close_truncates_the_log_only_once_the_pages_thread_is_idle},
    {"torn_tail", test_torn_tail},
    {"corrupt_middle", test_corrupt_middle},
    {"read_checks_each_record_an_object_spans", test_read_checks_each_record_an_object_spans},
    {"zeroed_page", test_zeroed_page},
    {"corrupt_checkpoint", test_corrupt_checkpoint},
    {"checkpoint_with_a_duplicate_object_is_not_used", test_checkpoint_with_a_duplicate_object_is_not_used},
    {"checkpoint_loaded_in_parts_matches_one_part", test_checkpoint_loaded_in_parts_matches_one_part},
    {"checkpoint_split_that_does_not_hold_is_not_used", test_checkpoint_split_that_does_not_hold_is_not_used},
    {"checkpoint_with_a_duplicate_entry_name_is_not_used", test_checkpoint_with_a_duplicate_entry_name_is_not_used},
    {"checkpoint_version_2_still_read", test_checkpoint_version_2_still_read},
    {"durable_point", test_durable_point},
    {"read_checks_crc", test_read_checks_crc},
    {"locked", test_locked},
    {"rollover", test_rollover},
    {"big_value", test_big_value},
    {"compact", test_compact},
    {"compact_concurrent_readers", test_compact_concurrent_readers},
    {"compact_crash_states", test_compact_crash_states},
    {"compact_checkpoint_io_error_at_each_step", test_compact_checkpoint_io_error_at_each_step},
    {"auto_checkpoint", test_auto_checkpoint},
    {"auto_checkpoint_interval_follows_the_checkpoint_size", test_auto_checkpoint_interval_follows_the_checkpoint_size},
    {"pre_image_slots_are_kept_and_cleared_between_checkpoints", test_pre_image_slots_are_kept_and_cleared_between_checkpoints},
    {"backup_while_writing", test_backup_while_writing},
    {"record_version_1_store_opens", test_record_version_1_store_opens},
    {"record_version_2_bytes", test_record_version_2_bytes},
    {"record_version_2_parse_rejects", test_record_version_2_parse_rejects},
    {"record_version_2_corrupt_payload", test_record_version_2_corrupt_payload},
    {"backup_destinations_and_read_only", test_backup_destinations_and_read_only},
    {"bg_checkpoint_consistent_under_writes", test_bg_checkpoint_consistent_under_writes},
    {"bg_checkpoint_consistent_with_concurrent_publishes", test_bg_checkpoint_consistent_with_concurrent_publishes},
    {"bg_checkpoint_killed_at_each_phase", test_bg_checkpoint_killed_at_each_phase},
    {"bg_compaction_killed_at_each_phase", test_bg_compaction_killed_at_each_phase},
    {"rollover_renames_the_spare_segment", test_rollover_renames_the_spare_segment},
    {"open_deletes_left_over_spares", test_open_deletes_left_over_spares},
    {"first_sync_after_a_renamed_spare_reports_a_failed_directory_fsync",
     test_first_sync_after_a_renamed_spare_reports_a_failed_directory_fsync},
    {"spare_segment_killed_at_each_phase", test_spare_segment_killed_at_each_phase},
    {"auto_compaction_with_readers_and_writers", test_auto_compaction_with_readers_and_writers},
    {"commits_during_bg_compaction_keep_latest_values", test_commits_during_bg_compaction_keep_latest_values},
    {"bg_compaction_gives_lazy_objects_arrays_while_readers_read", test_bg_compaction_gives_lazy_objects_arrays_while_readers_read},
    {"precheck_records_pass_ends_when_a_background_compaction_drops_its_segments", test_precheck_records_pass_ends_when_a_background_compaction_drops_its_segments},
    {"bg_compaction_checkpoint_io_error_at_each_step", test_bg_compaction_checkpoint_io_error_at_each_step},
    {"auto_compaction_bounds_the_log_after_an_overwrite", test_auto_compaction_bounds_the_log_after_an_overwrite},
    {"auto_compactions_are_spaced_by_what_was_written", test_auto_compactions_are_spaced_by_what_was_written},
    {"readers_do_not_wait_for_a_publish", test_readers_do_not_wait_for_a_publish},
    {"readers_do_not_wait_for_a_publish_during_bg_checkpoint", test_readers_do_not_wait_for_a_publish_during_bg_checkpoint},
    {"readers_see_whole_commits_during_publish", test_readers_see_whole_commits_during_publish},
    {"delta_checkpoints_hold_only_changes", test_delta_checkpoints_hold_only_changes},
    {"large_class_lists_and_deltas_reopen_whole", test_large_class_lists_and_deltas_reopen_whole},
    {"delta_damage", test_delta_damage},
    {"delta_and_merge_killed_at_each_phase", test_delta_and_merge_killed_at_each_phase},
    {"deltas_random_crash_images_match_model", test_deltas_random_crash_images_match_model},
    {"fuzz", test_fuzz},
};

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    /* every reopen of a checkpoint here checks its records first (precheck.c), however small the log: so that pass
     * runs beside every recovery these tests make, under ASan/UBSan and TSan too */
    os_pre_rec_min = 1;
    os_pre_rec_avg = 0;
    for (size_t i = 0; i < sizeof TESTS / sizeof TESTS[0]; i++) {
        if (argc > 1 && strstr(TESTS[i].name, argv[1]) == NULL)
            continue;
        char *dir = tmp_dir(TESTS[i].name);
        cur_fail = 0;
        TESTS[i].fn(dir);
        fflush(stderr);
        printf("%-36s %s\n", TESTS[i].name, cur_fail ? "FAIL" : "ok");
        fflush(stdout);
        if (cur_fail)
            failed++;
        else
            passed++;
        rm_rf(dir);
        free(dir);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
