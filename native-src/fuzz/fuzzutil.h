/* Shared by the libFuzzer harnesses (native-src/fuzz/README.md): a small valid store built once per
 * process as a template, kept in memory as a list of files; materializing it (with one file replaced by
 * the fuzzer's bytes) in a scratch directory; and reading back everything an opened store holds. Every
 * status a call returns must be one of ostore.h's; anything else, or a malformed read buffer, is a
 * finding (abort, which libFuzzer reports as a crash). */
#ifndef OSTORE_FUZZUTIL_H
#define OSTORE_FUZZUTIL_H

#include "../tests/testutil.h"

#include <stdbool.h>

#define FZ_MAX_FILES 16

/* little-endian field readers (FORMAT.md: all integers are little-endian; this code runs on x86-64) */
static inline uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint64_t pad8(uint64_t n) { return (n + 7u) & ~(uint64_t)7u; }

typedef struct fz_file {
    char name[64];
    uint8_t *data;
    size_t len;
} fz_file;

typedef struct fz_snapshot {
    fz_file files[FZ_MAX_FILES];
    int count;
} fz_snapshot;

static void fz_check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz finding: %s\n", what);
        abort();
    }
}

static void fz_status(int rc, const char *call)
{
    if (rc < OSTORE_OK || rc > OSTORE_READ_ONLY) {
        fprintf(stderr, "fuzz finding: %s returned unknown status %d\n", call, rc);
        abort();
    }
}

static uint8_t *fz_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    fz_check(f != NULL, "cannot read a template file");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
    fz_check(p != NULL && fread(p, 1, (size_t)n, f) == (size_t)n, "short read of a template file");
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* End of the records of a segment image: walks record headers (FORMAT.md, "Record") from offset 64. */
static size_t fz_segment_used(const uint8_t *p, size_t len)
{
    if (len < 64) /* a spare the spare thread is still creating (seg-N.spare): no header yet, keep what is there */
        return len;
    size_t off = 64;
    while (off + 16 <= len) {
        uint64_t pl = 0, hl;
        if (rd32(p + off) == 0x4C52534Fu) { /* version 1: 32-byte header, u64 payload_len */
            if (off + 32 > len)
                break;
            pl = rd64(p + off + 8);
            hl = 32;
        } else if (rd32(p + off) == 0x3252534Fu) { /* version 2: varint payload_len, varint sequence, type */
            size_t i = off + 8;
            for (unsigned sh = 0; i < len && sh < 64; sh += 7) {
                pl |= (uint64_t)(p[i] & 0x7f) << sh;
                if (p[i++] < 0x80)
                    break;
            }
            while (i < len && p[i] >= 0x80)
                i++;
            hl = i + 2 - off;
        } else {
            break;
        }
        if (pl > len || off + pad8(hl + pl) > len)
            break;
        off += pad8(hl + pl);
    }
    return off;
}

/* Loads the regular files of dir (not LOCK) into snap, segments trimmed to their records (the engine's
 * pre-allocated zero tail is not needed to reopen and would only slow every execution down). */
static void fz_snapshot_take(const char *dir, fz_snapshot *snap)
{
    snap->count = 0;
    DIR *d = opendir(dir);
    fz_check(d != NULL, "cannot list the template directory");
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "LOCK") == 0)
            continue;
        fz_check(snap->count < FZ_MAX_FILES && strlen(de->d_name) < sizeof snap->files[0].name,
                 "template has too many files");
        fz_file *f = &snap->files[snap->count++];
        snprintf(f->name, sizeof f->name, "%s", de->d_name);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        f->data = fz_read_file(path, &f->len);
        if (strncmp(f->name, "seg-", 4) == 0)
            f->len = fz_segment_used(f->data, f->len);
    }
    closedir(d);
    /* readdir order is arbitrary: sort by name so a selector byte means the same file every run */
    for (int i = 1; i < snap->count; i++)
        for (int j = i; j > 0 && strcmp(snap->files[j - 1].name, snap->files[j].name) > 0; j--) {
            fz_file t = snap->files[j];
            snap->files[j] = snap->files[j - 1];
            snap->files[j - 1] = t;
        }
}

static void fz_write_file(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    fz_check(fd >= 0, "cannot create a file in the scratch directory");
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        fz_check(w > 0, "cannot write a file in the scratch directory");
        done += (size_t)w;
    }
    close(fd);
}

/* Writes snap into an empty dir, with file `replace` (by name; NULL for none) holding p[0..n) instead. */
static void fz_materialize(const char *dir, const fz_snapshot *snap, const char *replace, const uint8_t *p,
                           size_t n)
{
    rm_rf(dir);
    fz_check(mkdir(dir, 0755) == 0, "cannot create the scratch directory");
    bool replaced = false;
    for (int i = 0; i < snap->count; i++) {
        const fz_file *f = &snap->files[i];
        if (replace != NULL && strcmp(f->name, replace) == 0) {
            fz_write_file(dir, f->name, p, n);
            replaced = true;
        } else {
            fz_write_file(dir, f->name, f->data, f->len);
        }
    }
    if (replace != NULL && !replaced)
        fz_write_file(dir, replace, p, n);
}

static const char *const FZ_CLASSES[] = {"Account", "Note"};

/* Builds the template: two classes, puts, an entry delete, an object delete, one value large enough for
 * the engine's large-record path; a checkpoint in the middle. `crashed` receives the files as they are
 * after a sync with records after the checkpoint (what a kill -9 leaves), `closed` after ostore_close. */
static void fz_build_template(const char *dir, fz_snapshot *crashed, fz_snapshot *closed)
{
    rm_rf(dir);
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    char err[512];
    ostore *s = NULL;
    fz_check(ostore_open(dir, &o, &s, err, sizeof err) == OSTORE_OK, err);
    bb b;
    bb_init(&b);
    char id[32], val[64];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 12; i++) {
            bb_reset(&b);
            snprintf(id, sizeof id, "a%d", i);
            bb_obj(&b, "Account", id, OSTORE_ANY_VERSION);
            snprintf(val, sizeof val, "balance-%d-%d", round, i * 37);
            bb_puts(&b, "balance", val);
            bb_puts(&b, "owner", id);
            if (i % 4 == 0) {
                snprintf(id, sizeof id, "n%d", i / 4);
                bb_obj(&b, "Note", id, OSTORE_ANY_VERSION);
                bb_puts(&b, "text", round ? "second" : "first");
                if (round == 1)
                    bb_del(&b, "draft");
                else
                    bb_puts(&b, "draft", "d");
            }
            uint64_t v[2];
            fz_check(ostore_write_batch(s, b.p, b.n, v, 2, NULL) == OSTORE_OK, "template batch failed");
        }
        if (round == 0) {
            bb_reset(&b);
            bb_del_obj(&b, "Account", "a3", OSTORE_ANY_VERSION);
            uint8_t *big = calloc(1, 9000);
            fz_check(big != NULL, "out of memory");
            memset(big, 'x', 9000);
            bb_obj(&b, "Note", "big", OSTORE_ABSENT_VERSION);
            bb_put(&b, "blob", big, 9000);
            free(big);
            fz_check(ostore_write_batch(s, b.p, b.n, NULL, 0, NULL) == OSTORE_OK, "template delete failed");
            fz_check(ostore_checkpoint(s) == OSTORE_OK, "template checkpoint failed");
        }
    }
    bb_free(&b);
    fz_check(ostore_sync(s) == OSTORE_OK, "template sync failed");
    fz_snapshot_take(dir, crashed);
    fz_check(ostore_close(s, err, sizeof err) == OSTORE_OK, err);
    fz_snapshot_take(dir, closed);
}

/* The template of fuzz_delta.c (FORMAT.md, "Delta file"): a full checkpoint, then rounds of changes each
 * followed by ostore_checkpoint, which appends a delta to index.delta (overwrites, an entry delete, an object
 * delete and re-create, new objects: every kind of delta object), then records after the last delta; `crashed`
 * receives the files after a sync (what a kill -9 leaves: a clean close would merge the deltas). rollover:
 * 1 MiB segments and values of 800, 300 and 200 KB in the rounds of the three deltas, so that the second delta's table
 * continues into a new segment and the third's continues that segment with more records. */
static void fz_build_delta_template(const char *dir, bool rollover, fz_snapshot *crashed)
{
    rm_rf(dir);
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    o.checkpoint_interval_bytes = UINT64_MAX; /* only the checkpoints asked for below */
    o.compact_garbage_percent = 100;
    char err[512];
    ostore *s = NULL;
    fz_check(ostore_open(dir, &o, &s, err, sizeof err) == OSTORE_OK, err);
    bb b;
    bb_init(&b);
    char id[32], val[64];
    static const size_t blob_one[5] = {16, 3000, 3000, 3000, 3000}, blob_roll[5] = {16, 800000, 300000, 200000, 16};
    const size_t *blob = rollover ? blob_roll : blob_one;
    size_t big_len = blob[1];
    uint8_t *big = malloc(big_len);
    fz_check(big != NULL, "out of memory");
    for (int round = 0; round < 5; round++) {
        bb_reset(&b);
        for (int i = 0; i < 10; i++) {
            if (round > 0 && (i + round) % 3 != 0 && !(round == 3 && i == 1))
                continue; /* a delta holds only what changed (a1: deleted in round 2, created again in 3) */
            snprintf(id, sizeof id, "a%d", i);
            if (round == 2 && i == 1) {
                bb_del_obj(&b, "Account", id, OSTORE_ANY_VERSION);
                continue;
            }
            bb_obj(&b, "Account", id, OSTORE_ANY_VERSION);
            snprintf(val, sizeof val, "balance-%d-%d", round, i * 37);
            bb_puts(&b, "balance", val);
            if (round == 0 || i % 2 == 0)
                bb_puts(&b, "owner", id);
            else
                bb_del(&b, "owner");
        }
        snprintf(id, sizeof id, "n%d", round); /* a new object in every round */
        bb_obj(&b, "Note", id, OSTORE_ANY_VERSION);
        memset(big, 'a' + round, big_len);
        bb_put(&b, "blob", big, blob[round]);
        fz_check(ostore_write_batch(s, b.p, b.n, NULL, 0, NULL) == OSTORE_OK, "delta template batch failed");
        if (round < 4) /* round 0: the base (full); rounds 1..3: deltas; round 4: records after the last */
            fz_check(ostore_checkpoint(s) == OSTORE_OK, "delta template checkpoint failed");
        ostore_stats st;
        fz_check(ostore_stats_get(s, &st) == OSTORE_OK && st.segments == (rollover && round >= 2 ? 2u : 1u),
                 "delta template: segments other than planned");
    }
    free(big);
    bb_free(&b);
    fz_check(ostore_sync(s) == OSTORE_OK, "delta template sync failed");
    fz_snapshot_take(dir, crashed);
    fz_check(ostore_close(s, err, sizeof err) == OSTORE_OK, err);
    bool has_deltas = false;
    for (int i = 0; i < crashed->count; i++)
        if (strcmp(crashed->files[i].name, "index.delta") == 0)
            has_deltas = crashed->files[i].len > 64 * 3;
    fz_check(has_deltas, "delta template: index.delta does not hold three deltas");
}

/* FNV-1a over 8-byte words (the values are large: a byte loop under coverage instrumentation was most of an
 * execution), then the tail bytes */
#if defined(__clang__)
__attribute__((no_sanitize("coverage")))
#endif
static uint64_t fz_hash(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (; n >= 8; n -= 8, b += 8)
        h = (h ^ rd64(b)) * 1099511628211ull;
    for (; n > 0; n--, b++)
        h = (h ^ *b) * 1099511628211ull;
    return h;
}

/* ostore_list_ids of cls into *buf, growing it (and *cap) while the engine asks for more; checks the status. */
static int fz_list_ids(ostore *s, const char *cls, uint8_t **buf, size_t *cap, size_t *len, uint64_t *count)
{
    int rc;
    while ((rc = ostore_list_ids(s, cls, strlen(cls), *buf, *cap, len, count)) == OSTORE_BUFFER_TOO_SMALL) {
        fz_check(*len > *cap, "BUFFER_TOO_SMALL without a larger size");
        *cap = *len;
        *buf = realloc(*buf, *cap);
        fz_check(*buf != NULL, "out of memory");
    }
    fz_status(rc, "ostore_list_ids");
    return rc;
}

/* ostore_get_object of (cls, id) into *buf, growing it (and *cap) as fz_list_ids does; checks the status. */
static int fz_get_object(ostore *s, const char *cls, const uint8_t *id, uint16_t il, uint8_t **buf, size_t *cap,
                         size_t *olen, uint64_t *ver)
{
    int rc;
    while ((rc = ostore_get_object(s, cls, strlen(cls), id, il, *buf, *cap, olen, ver)) == OSTORE_BUFFER_TOO_SMALL) {
        fz_check(*olen > *cap, "BUFFER_TOO_SMALL without a larger size");
        *cap = *olen;
        *buf = realloc(*buf, *cap);
        fz_check(*buf != NULL, "out of memory");
    }
    fz_status(rc, "ostore_get_object");
    return rc;
}

/* An order-independent digest of everything an open store holds for the template's classes (sum of one
 * FNV-1a hash per object over class, id, version and the object read buffer): the same state opened from a
 * checkpoint, from deltas or from a full replay gives the same digest. */
static uint64_t fz_digest(ostore *s)
{
    uint64_t sum = 0;
    size_t cap = 1 << 16;
    uint8_t *buf = malloc(cap), *ids = NULL;
    fz_check(buf != NULL, "out of memory");
    for (size_t c = 0; c < sizeof FZ_CLASSES / sizeof FZ_CLASSES[0]; c++) {
        const char *cls = FZ_CLASSES[c];
        size_t len = 0;
        uint64_t count = 0;
        int rc = fz_list_ids(s, cls, &buf, &cap, &len, &count);
        if (rc != OSTORE_OK) {
            free(buf);
            free(ids);
            return ~(uint64_t)0 - (uint64_t)rc; /* a read that fails: a digest no state has */
        }
        ids = realloc(ids, len ? len : 1);
        fz_check(ids != NULL, "out of memory");
        memcpy(ids, buf, len);
        size_t off = 0;
        for (uint64_t i = 0; i < count && len - off >= 2; i++) {
            uint16_t il = rd16(ids + off);
            const uint8_t *id = ids + off + 2;
            size_t olen = 0;
            uint64_t ver = 0;
            rc = fz_get_object(s, cls, id, il, &buf, &cap, &olen, &ver);
            uint64_t h = fz_hash(1469598103934665603ull, cls, strlen(cls) + 1);
            h = fz_hash(h, id, il);
            h = fz_hash(h, &ver, sizeof ver);
            h = fz_hash(h, &rc, sizeof rc);
            if (rc == OSTORE_OK)
                h = fz_hash(h, buf, olen);
            sum += h;
            off += 2 + (size_t)il;
        }
    }
    free(ids);
    free(buf);
    return sum;
}

/* Checks an ostore_get_object buffer against FORMAT.md ("Object read buffer") and reads each entry
 * again with ostore_get_entry. */
static void fz_check_object(ostore *s, const char *cls, const uint8_t *id, size_t il, const uint8_t *p, size_t n)
{
    fz_check(n >= 8, "object buffer shorter than its header");
    uint32_t count = rd32(p);
    size_t off = 8;
    uint8_t val[256];
    for (uint32_t i = 0; i < count; i++) {
        fz_check(n - off >= 8, "object buffer: entry header past the end");
        uint16_t nl = rd16(p + off);
        uint32_t vl = rd32(p + off + 4);
        fz_check(nl >= 1 && nl <= OSTORE_MAX_KEY, "object buffer: bad entry name length");
        fz_check(n - off - 8 >= (uint64_t)nl + vl, "object buffer: entry past the end");
        off += 8 + nl + vl;
        if (i >= 32)
            continue; /* an object the batch fuzzer grew to thousands of entries: checking all is quadratic */
        size_t got = 0;
        uint64_t ver = 0;
        const uint8_t *e = p + off - (8 + nl + vl);
        int rc = ostore_get_entry(s, cls, strlen(cls), id, il, e + 8, nl, val, sizeof val, &got, &ver);
        fz_status(rc, "ostore_get_entry");
        if (rc == OSTORE_OK)
            fz_check(got == vl && memcmp(val, e + 8 + nl, vl) == 0,
                     "ostore_get_entry disagrees with ostore_get_object");
        else if (rc == OSTORE_BUFFER_TOO_SMALL)
            fz_check(got == vl, "ostore_get_entry needs a size other than the entry's");
    }
    fz_check(off == n, "object buffer longer than its entries");
}

/* Reads every object of the template's classes, plus ids the template used (some may be gone). */
static void fz_read_everything(ostore *s)
{
    size_t cap = 4096;
    uint8_t *buf = malloc(cap);
    fz_check(buf != NULL, "out of memory");
    for (size_t c = 0; c < sizeof FZ_CLASSES / sizeof FZ_CLASSES[0]; c++) {
        const char *cls = FZ_CLASSES[c];
        size_t len = 0;
        uint64_t count = 0;
        int rc = fz_list_ids(s, cls, &buf, &cap, &len, &count);
        if (rc != OSTORE_OK)
            continue;
        uint8_t *ids = malloc(len ? len : 1);
        fz_check(ids != NULL, "out of memory");
        memcpy(ids, buf, len);
        size_t off = 0;
        for (uint64_t i = 0; i < count; i++) {
            fz_check(len - off >= 2, "id list: length past the end");
            uint16_t il = rd16(ids + off);
            fz_check(il >= 1 && len - off - 2 >= il, "id list: id past the end");
            const uint8_t *id = ids + off + 2;
            size_t olen = 0;
            uint64_t ver = 0;
            rc = fz_get_object(s, cls, id, il, &buf, &cap, &olen, &ver);
            if (rc == OSTORE_OK) {
                fz_check(ver >= 1, "a listed object has version 0");
                fz_check_object(s, cls, id, il, buf, olen);
            }
            rc = ostore_object_version(s, cls, strlen(cls), id, il, &ver);
            fz_status(rc, "ostore_object_version");
            off += 2 + il;
        }
        fz_check(off == len, "id list longer than its ids");
        free(ids);
    }
    char id[16];
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "a%d", i);
        size_t olen = 0;
        int rc = ostore_get_object(s, "Account", 7, id, strlen(id), buf, cap, &olen, NULL);
        fz_status(rc, "ostore_get_object");
        if (rc == OSTORE_OK)
            fz_check_object(s, "Account", (const uint8_t *)id, strlen(id), buf, olen);
    }
    ostore_stats st;
    fz_status(ostore_stats_get(s, &st), "ostore_stats_get");
    free(buf);
}

/* Appends one batch and syncs: a store that opened writable must accept new writes after recovery. */
static void fz_write_after_open(ostore *s)
{
    bb b;
    bb_init(&b);
    bb_obj(&b, "Account", "fuzz-new", OSTORE_ANY_VERSION);
    bb_puts(&b, "balance", "1");
    int rc = ostore_write_batch(s, b.p, b.n, NULL, 0, NULL);
    fz_status(rc, "ostore_write_batch");
    if (rc == OSTORE_OK)
        fz_status(ostore_sync(s), "ostore_sync");
    bb_free(&b);
}

/* A scratch directory for this process (libFuzzer -jobs/-fork run several processes): under
 * OSTORE_FUZZ_TMP, else /dev/shm when present (tmpfs: the engine's fsyncs cost nothing there, which makes
 * the file-based harnesses about 100 times faster), else /tmp. */
static const char *fz_scratch(const char *tag)
{
    static char path[256];
    const char *base = getenv("OSTORE_FUZZ_TMP");
    struct stat st;
    if (base == NULL || *base == '\0')
        base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/ostore-fuzz-%s-%d", base, tag, (int)getpid());
    return path;
}

#endif
