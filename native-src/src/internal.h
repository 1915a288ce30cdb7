/*
 * Private declarations of the ostore engine. Nothing here is part of the API (include/ostore.h).
 *
 * Invariants kept by the structures below:
 *  - only the writer (holding store->wmu) mutates an index, a log or a segment; readers reach data only
 *    through the published index, inside a read section of store->rd (os_rd_enter .. os_rd_exit);
 *  - the writer changes what readers can see only inside an exclusive section of store->rd ("publish",
 *    os_excl_begin .. os_excl_end), which starts only once no reader is inside a read section;
 *  - a segment mapping never moves; bytes of a segment at or after seg->end are zero;
 *  - every pointer held by the index (object keys, entry names, entry values) points into a segment
 *    mapping or a checkpoint blob that lives at least as long as that index.
 */
#ifndef OSTORE_INTERNAL_H
#define OSTORE_INTERNAL_H

#include "ostore.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* On the point get's path (hash, lookup, compare): always inlined. Left to -O2, gcc made out-of-line copies of
 * os_hash_key and os_index_find once the get grew, ~20 instructions of call frames per get. */
#define OS_HOT __attribute__((always_inline))

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ostore assumes a little-endian host (FORMAT.md is little-endian and buffers are read in place)"
#endif

#define OS_FORMAT_VERSION 1u /* segment header (OSTORE_FORMAT_SEGMENT) */
#define OS_CKPT_VERSION 5u /* checkpoint files written (FORMAT.md, "Checkpoint file"); versions 2 to 4 are still read */
/* A version-5 checkpoint marks a split every this many objects (FORMAT.md; os_ckpt_split_objects in tests), where a
 * parallel load can start a part. 16 384 objects take about a millisecond to load: a part is worth a thread. */
#define OS_CKPT_SPLIT_OBJECTS 16384u
/* threads a checkpoint load uses at most, one part each (OSTORE_LOAD_THREADS, checkpoint.c) */
#define OS_LOAD_PARTS_MAX 4u
/* objects a part of a parallel load has at least (os_load_part_min in tests): one split's worth, so a checkpoint of
 * two splits or more loads in two threads. Session 15 found two threads no faster than one at 100 000 one-entry
 * objects and kept one below 262 144; on today's engine they open ColdOpenBenchmark's store ~25 % faster
 * (native-src/README.md, "An open in parallel from two splits") */
#define OS_LOAD_PART_MIN OS_CKPT_SPLIT_OBJECTS
#define OS_DELTA_VERSION 1u /* index.delta (FORMAT.md, "Delta file") */
#define OS_DELTA_HDR 64u
_Static_assert(OS_CKPT_VERSION == OSTORE_FORMAT_CHECKPOINT && OS_DELTA_VERSION == OSTORE_FORMAT_DELTA,
               "ostore.h reports the formats written");
#define OS_CKPT_SEG 32u
#define OS_CKPT_SPLIT 16u /* a version-5 checkpoint's split: u64 object number, u64 body offset */
#define OS_SEG_HDR 64u
#define OS_REC_HDR 32u            /* version-1 record header (read only) */
#define OS_REC_MAGIC 0x4C52534Fu /* "OSRL": record version 1 */
#define OS_REC2_MAGIC 0x3252534Fu /* "OSR2": record version 2, the one written (FORMAT.md, "Record") */
#define OS_REC2_HDR_MIN 11u       /* magic + CRC + 1-byte payload_len + 1-byte sequence + type */
#define OS_REC2_HDR_MAX 29u       /* magic + CRC + two 10-byte varints + type */
#define OS_REC_MIN 16u            /* the smallest record of either version (an empty version-2 batch, padded) */
#define OS_REC_BATCH 1u
#define OS_REC_SNAPSHOT 2u
#define OS_OBJ_HDR 24u
#define OS_OP_HDR 8u
#define OS_CKPT_HDR 64u
#define OS_CKPT_TRAILER 16u
#define OS_CKPT_OBJ 24u
#define OS_CKPT_ENT 24u
#define OS_ERR_CAP 512
#define OS_MIB (1024ull * 1024ull)
#define OS_GROW_MIN OS_MIB
#define OS_GROW_MAX (64ull * OS_MIB)
#define OS_MAX_RESERVE (1ull << 40) /* sanity bound for a reserve read from a segment header */
/* Records of at least this many bytes are written with pwritev, smaller ones copied into the mapping.
 * A copy into the mapping pays a write fault + page_mkwrite (and a zero-fill read) per fresh 4 KiB page,
 * ~100 ns per 170-byte entry of a big batch; pwritev pays a syscall (~1 us here) per record instead, which
 * only wins once a record spans a few pages (one-entry batches were 1.1 -> 2 us with pwrite). */
#ifndef OS_PWRITE_MIN
#define OS_PWRITE_MIN (16u * 1024u)
#endif
#ifndef OS_PREFAULT
#define OS_PREFAULT (256u * 1024u) /* most bytes of pages mapped writable ahead of small records (os_seg_prefault) */
#endif
#define OS_RECPG_SHIFT 12u /* bytes per entry of a segment's record page directory: 4 KiB (os_seg.rec_pg) */
#ifndef OS_UNMAP_BEHIND
#define OS_UNMAP_BEHIND (256u * 1024u) /* small records' pages unmapped behind the end in steps of this size (os_seg_unmap_behind) */
#endif
#ifndef OS_KICK
#define OS_KICK (8ull * OS_MIB) /* start write-back of the log in steps of this size (os_seg_kick) */
#endif
#ifndef OS_HUGE_AHEAD
/* how far ahead of a bulk writer the log is made of 2 MiB page-cache folios (os_seg_huge_ahead) */
#define OS_HUGE_AHEAD (8ull * OS_MIB)
#endif
#define OS_SNAPSHOT_TARGET (4ull * OS_MIB) /* payload size compaction aims for per SNAPSHOT record */
/* the same for background compaction: encoded without the writer mutex, copied into the log and re-pointed
 * under it (os_compact_step_bg); smaller records meet fewer objects the writer changes meanwhile */
#define OS_BG_SNAPSHOT_TARGET (64ull * 1024u)
/* the record size when a step runs wholly under the mutex (os_cmp_under_mutex, the compatibility writer) */
#define OS_BG_SNAPSHOT_LOCKED (256ull * 1024u)
#define OS_DEFAULT_COMPACT_PERCENT 50u

/* ---- little-endian access (host is little-endian, see above) ---- */
static inline uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline void wr16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline uint64_t pad8(uint64_t n) { return (n + 7u) & ~(uint64_t)7u; }

/* ---- varints (unsigned LEB128; FORMAT.md, "Record") ---- */
static inline unsigned os_varint_len(uint64_t v)
{
    unsigned n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}
static inline uint8_t *os_put_varint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}
/* Reads a varint of a checkpoint or delta at *p (not past end; any encoding of at most 10 bytes) and moves *p past
 * it; false when it runs past end or overflows. */
static inline bool os_ckpt_varint_long(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    uint64_t r = 0;
    const uint8_t *q = *p;
    for (unsigned shift = 0; shift < 70 && q < end; shift += 7) {
        uint8_t b = *q++;
        if (shift == 63 && b > 1)
            return false;
        r |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            *v = r;
            *p = q;
            return true;
        }
    }
    return false;
}

static inline bool os_ckpt_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    if (*p < end && **p < 0x80) { /* most fields are one byte */
        *v = **p;
        (*p)++;
        return true;
    }
    return os_ckpt_varint_long(p, end, v);
}

static inline uint64_t os_unzigzag(uint64_t z) { return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1); }

/* Reads a minimal varint from p[*at .. end); false when it runs past end, is over 10 bytes, overflows or is
 * not minimal (FORMAT.md: one encoding per record). The one-byte case is the hot one. */
static inline bool os_get_varint(const uint8_t *p, size_t end, size_t *at, uint64_t *out)
{
    size_t i = *at;
    if (i < end && p[i] < 0x80) {
        *out = p[i];
        *at = i + 1;
        return true;
    }
    uint64_t v = 0;
    for (unsigned sh = 0; sh < 70; sh += 7) {
        if (i >= end)
            return false;
        uint8_t b = p[i++];
        if (sh == 63 && b > 1)
            return false;
        v |= (uint64_t)(b & 0x7f) << sh;
        if (b < 0x80) {
            if (b == 0 && sh > 0) /* trailing zero group: not minimal */
                return false;
            *out = v;
            *at = i;
            return true;
        }
    }
    return false;
}

/* ---- errors ---- */
typedef struct os_err {
    int status;
    char msg[OS_ERR_CAP];
} os_err;

int os_fail(os_err *e, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int os_fail_errno(os_err *e, int err, const char *what, const char *path);

/* ---- crc.c ---- */
uint32_t os_crc32c(const void *buf, size_t len);
uint32_t os_crc32c_begin(void);
uint32_t os_crc32c_update(uint32_t state, const void *buf, size_t len);
uint32_t os_crc32c_end(uint32_t state);
/* os_crc32c of A followed by B from crc1 = os_crc32c(A), crc2 = os_crc32c(B) and B's length */
uint32_t os_crc32c_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);
/* os_crc32c of a buffer of os_crc_parallel_min bytes or more in two threads, halves combined (a checkpoint's body
 * at open: its CRC was a fifth of the open's main thread); below that, or when no thread starts, os_crc32c */
uint32_t os_crc32c_parallel(const void *buf, size_t len);
extern size_t os_crc_parallel_min; /* 32 MiB; tests lower it */
/* The implementations behind os_crc32c_update, for tests and the CRC benchmark (state = raw register). */
typedef uint32_t (*os_crc_fn)(uint32_t state, const void *buf, size_t len);
uint32_t os_crc32c_update_sw(uint32_t state, const void *buf, size_t len); /* portable slice-by-8 */
os_crc_fn os_crc32c_hw(void);   /* the CPU-instruction path, NULL when this CPU has none */
const char *os_crc32c_impl(void); /* name of the path in use */

/* ---- big allocations (index.c) ----
 * Zeroed memory for the index's large arrays (slot table, object slab chunks). From 2 MiB up it is an
 * anonymous mapping aligned to 2 MiB with MADV_HUGEPAGE: random lookups then miss the TLB far less
 * (a TLB miss is expensive under nested paging). Free only with os_big_free and the same size. */
#define OS_HUGE (2ull * OS_MIB)
void *os_big_alloc(size_t size);
/* len bytes mapped at a 2 MiB-aligned address (so that 2 MiB pages can map them): anonymous and private with prot,
 * or, with fd >= 0, that file's [off, off + len) shared; NULL on failure. munmap(p, len) gives it back. */
void *os_map_aligned(size_t len, int prot, int fd, uint64_t off);
void os_big_free(void *p, size_t size);
/* Grows p (from os_big_alloc or os_big_grow with old_size, or NULL with old_size 0) to new_size > old_size bytes,
 * keeping the first old_size; the rest is unspecified. NULL when out of memory (p is then unchanged). For tables
 * that grow to megabytes at open (segments' record tables, a checkpoint's extended offsets): from 2 MiB up they
 * get huge pages, where a realloc'd malloc chunk takes a 4 KiB fault per page — ~12 µs each on these VMs. */
void *os_big_grow(void *p, size_t old_size, size_t new_size);
/* the bytes os_big_free(p, size) unmaps: 0 below 2 MiB (malloc's memory), else size rounded up to 2 MiB */
size_t os_big_mapped(size_t size);

/* ---- hash ----
 * Inline: it runs once per object of every batch and every read, and a call into index.c cost more than the
 * hash of a short id. */
#define OS_HK1 0x9E3779B97F4A7C15ull
#define OS_HK2 0xC2B2AE3D27D4EB4Full
#define OS_SEED_KEY 0x6f73746f72652d6bull
#define OS_SEED_CLASS 0x6f73746f72652d63ull

static inline uint64_t os_rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* n bytes (0..8) of p as a little-endian word, zero-extended, without reading past p + n */
static inline uint64_t os_load_tail(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        v = (uint64_t)a | ((uint64_t)b << ((n - 4) * 8));
    } else if (n > 0) {
        v = (uint64_t)p[0] | ((uint64_t)p[n / 2] << ((n / 2) * 8)) | ((uint64_t)p[n - 1] << ((n - 1) * 8));
    }
    return v;
}

/* 64 x 64 -> 128-bit product, halves folded: one multiply mixes two words (the step of wyhash-style hashes) */
static inline OS_HOT uint64_t os_mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* Absorbs p[0..n) into the running state h (not finalized): 16 bytes per multiply, the last 16 (or fewer)
 * read as two words that may overlap bytes already absorbed (the length is mixed in first, so overlaps cannot
 * make two keys alike). A point get hashes a class and an id of ~16 bytes each: with the previous 8-bytes-per-round
 * mix it ran 28 more instructions (426.9 against 398.9 per get; native-src/README.md, "Index layout (session 8)").
 * Hashes are in memory only, never on disk: they may change between versions. Not a keyed hash: keys made to
 * collide on purpose degrade lookups to linear probing, as with the previous mix. */
static inline OS_HOT uint64_t os_hash_absorb(uint64_t h, const uint8_t *p, size_t n)
{
    h ^= (uint64_t)n * OS_HK1;
    uint64_t a, b;
    if (n > 16) {
        const uint8_t *end = p + n;
        do {
            h = os_mum(rd64(p) ^ OS_HK1 ^ h, rd64(p + 8) ^ OS_HK2);
            p += 16;
        } while (end - p > 16);
        a = rd64(end - 16);
        b = rd64(end - 8);
    } else if (n > 8) {
        a = rd64(p);
        b = rd64(p + n - 8);
    } else {
        a = os_load_tail(p, n);
        b = 0;
    }
    return os_mum(a ^ OS_HK1 ^ h, b ^ OS_HK2 ^ os_rotl64(h, 32));
}

static inline OS_HOT uint64_t os_hash_final(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static inline OS_HOT uint64_t os_hash_bytes(const uint8_t *p, size_t n, uint64_t seed)
{
    return os_hash_final(os_hash_absorb(seed, p, n));
}

/* os_hash_key(cls, cl, id, il) == os_hash_bytes(id, il, os_hash_class_seed(cls, cl)): lets a batch of many
 * objects of one class hash the class once. The class part is absorbed, not finalized: one finalizer per key. */
static inline OS_HOT uint64_t os_hash_class_seed(const uint8_t *cls, size_t cl)
{
    return os_hash_absorb(OS_SEED_KEY, cls, cl);
}
static inline OS_HOT uint64_t os_hash_key(const uint8_t *cls, size_t cl, const uint8_t *id, size_t il)
{
    return os_hash_bytes(id, il, os_hash_class_seed(cls, cl));
}

/* a == b over n bytes, for the short keys and names compared on every lookup: word compares inline instead
 * of a call to memcmp */
static inline OS_HOT bool os_bytes_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (n < 8)
        return os_load_tail(a, n) == os_load_tail(b, n);
    /* the last word overlaps the ones before it: no byte-wise tail; up to 16 bytes, two words and no loop */
    uint64_t d = rd64(a + n - 8) ^ rd64(b + n - 8);
    if (n <= 16)
        return (d | (rd64(a) ^ rd64(b))) == 0;
    if (d != 0)
        return false;
    while (n > 8) {
        if (rd64(a) != rd64(b))
            return false;
        a += 8;
        b += 8;
        n -= 8;
    }
    return true;
}

/* ---- segment.c ---- */
typedef struct os_seg {
    uint64_t id;
    int fd;
    bool writable;
    bool header_ok;
    uint8_t *base;     /* mapping (NULL when the file is too short to map) */
    uint64_t reserve;  /* mapped length (address space) */
    uint64_t hdr_reserve; /* reserve recorded in the header (0 if the header is invalid) */
    uint64_t size;     /* file length */
    uint64_t end;      /* end of the last record = append position */
    uint64_t synced;   /* prefix known durable */
    uint64_t kicked;   /* write-back started (sync_file_range) up to here; writer only, advisory */
    uint64_t faulted;  /* pages up to here mapped writable ahead of end (os_seg_prefault); writer only, advisory */
    uint64_t unmapped; /* pages below here given back from this process's page table (os_seg_unmap_behind); 0: not
                          yet, the first call starts at the end; writer only, advisory */
    uint64_t step;     /* next growth step */
    /* The log in 2 MiB folios (native-src/README.md, "The log in 2 MiB folios"): [huge_lo, huge_asked) is the run of
     * whole 2 MiB regions ahead of the writer that the pages thread was asked to make of 2 MiB page-cache folios
     * (empty: none), huge_done the end of what it made (stored by the pages thread with release, read by the
     * writer with acquire), sync_gap the bytes written between this segment's last two syncs (os_seg_synced),
     * which tells a bulk writer from one that syncs often (os_seg_bulk). Writer only, except huge_done; advisory:
     * they decide how records are written, never what is written. */
    uint64_t huge_lo, huge_asked;
    _Atomic uint64_t huge_done;
    uint64_t sync_gap;
    char *path;
    /* Set when the segment got its name by a rename from a spare (spare.c): the directory whose fsync makes
     * that name durable. The first os_seg_sync fsyncs it (before the sync returns), then clears it. */
    _Atomic(const char *) dir_unsynced;
    /* Record table (FORMAT.md, "Integrity"): offsets of the segment's records in order, and per record
     * whether its CRC was checked since open (OS_REC_UNCHECKED / OK / BAD, read and written with relaxed
     * atomics by readers). Grows only under the writer mutex, and — once readers can reach the segment —
     * only while also holding an exclusive section of store->rd, so a reader's binary search never sees it
     * move. */
    uint64_t *rec_off;
    uint8_t *rec_state;
    size_t nrec, caprec;
    /* The record table's page directory: rec_pg[p] is the index of the first record that starts at or after
     * byte p << OS_RECPG_SHIFT (UINT32_MAX until one does), so that the search for the record holding an
     * offset (os_seg_find_record) reads the few records of one page instead of ~log2(nrec) scattered ones.
     * Written before the release of nrec that publishes the record, read with relaxed loads and clamped to the
     * nrec a reader acquired. npg entries (enough for the reserve), moved under the same rules as rec_off;
     * pg_filled: the entries below it are set. */
    uint32_t *rec_pg;
    size_t npg, pg_filled;
    uint64_t first_seq; /* sequence of record 0 */
} os_seg;

enum { OS_REC_UNCHECKED = 0, OS_REC_OK = 1, OS_REC_BAD = 2 };

typedef struct os_log {
    os_seg **segs;
    size_t n, cap;
    bool roll; /* the next os_log_reserve starts a new segment (background compaction's start) */
} os_log;

char *os_seg_path(const char *dir, uint64_t id);
int os_seg_create(const char *dir, uint64_t id, uint64_t reserve, size_t page, os_seg **out, os_err *e);
/* A spare: os_seg_create's file under the name seg-N.spare, no directory fsync (spare.c) */
int os_seg_create_spare(const char *dir, uint64_t id, uint64_t reserve, size_t page, os_seg **out, os_err *e);
char *os_seg_spare_path(const char *dir, uint64_t id);
int os_seg_open(const char *dir, uint64_t id, bool writable, bool last, size_t page, os_seg **out,
                os_err *e);
int os_seg_reinit(os_seg *s, uint64_t reserve, size_t page, os_err *e);
int os_seg_grow(os_seg *s, uint64_t need, size_t page, os_err *e);
int os_seg_finish(os_seg *s, size_t page, os_err *e);
int os_seg_sync(os_seg *s, size_t page, os_err *e);
/* [from, to) of the segment made durable (msync(MS_SYNC) of the range: segment.c says why no fdatasync on Linux) */
int os_seg_sync_range(os_seg *s, uint64_t from, uint64_t to, size_t page, os_err *e);
void os_seg_kick(os_seg *s, size_t page);
/* ---- pages.c ---- */
/* One job of the pages thread: a range of a segment's mapping; from == to: none */
typedef struct os_pages_job {
    uint8_t *base;
    uint64_t from, to;
    struct os_seg *seg; /* a huge job's segment (its fd, and huge_done to store); NULL for the others */
} os_pages_job;
/* The thread that populates the writer's next window of log pages and unmaps the pages behind it (pages.c).
 * Writer-side calls are made under the writer mutex (or at open and close); the jobs and flags are under mu. */
typedef struct os_pages {
    bool on;       /* OSTORE_PAGES_AHEAD=0 in the environment at open turns it off (A/B runs); writer only */
    bool live;     /* the thread was started and not yet joined; writer only */
    bool sync_ok;  /* mu and cv were initialized */
    size_t page;   /* the store's page size: the stride of the touch after populating (pages.c) */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* the log is made of 2 MiB folios ahead of a bulk writer: off with OSTORE_HUGE_LOG=0 at open, and turned off
     * by the thread when its first job shows the kernel does not make them for this file (pages.c, probe) */
    _Atomic bool huge_on;
    bool stop, running;         /* close asked it to end; it runs jobs it took */
    os_pages_job populate, unmap, huge; /* set by the writer, taken by the thread */
    _Atomic uint64_t requests, jobs; /* jobs handed over and done (tests, bench) */
    _Atomic uint64_t huge_jobs, huge_made; /* huge jobs done; bytes the first job's probe saw mapped whole (tests) */
    _Atomic uint64_t touched;        /* pages read once populated (pages.c, touch; tests) */
} os_pages;
void os_pages_init(os_pages *p, bool writable, size_t page); /* page: the store's page size (s->page) */
/* Hands the thread [from, to) of the mapping at base to populate (MADV_POPULATE_WRITE) or to unmap
 * (MADV_DONTNEED): false when it is off or has not taken the job of that kind before (the caller then does it
 * itself) */
bool os_pages_populate(os_pages *p, uint8_t *base, uint64_t from, uint64_t to);
bool os_pages_unmap(os_pages *p, uint8_t *base, uint64_t from, uint64_t to);
/* Hands the thread [from, to) of segment g (whole 2 MiB regions below its file size) to make of 2 MiB page-cache
 * folios: read once through a mapping of its own with MADV_HUGEPAGE, which writes nothing; then g->huge_done = to.
 * False when huge folios are off or the thread has not taken the job before. */
bool os_pages_huge(os_pages *p, struct os_seg *g, uint64_t from, uint64_t to);
/* Tests: true makes a request wait until the thread has taken the job before, instead of returning false, so that
 * what the thread does does not depend on the threads' speeds. */
extern bool os_pages_test_wait;
/* Tests: 1 holds the thread between a populated window and its touch (os_pages_test_held_to is then the window's end,
 * an offset in its segment); 0 lets it go on, 2 lets it go on without the touch (a test that found the file truncated
 * under the window ends without the SIGBUS the touch would raise). */
extern _Atomic int os_pages_test_hold;
extern _Atomic uint64_t os_pages_test_held_to;
/* Waits until the thread has no job: before the writer's segment is finished, truncated or unmapped */
void os_pages_idle(os_pages *p);
/* Ends the thread (close); afterwards every request returns false */
void os_pages_stop(os_pages *p);

void os_seg_prefault(os_seg *s, os_pages *ahead, uint64_t upto, size_t page);
/* Before a large record is copied into the 2 MiB folios ahead: the next folio mapped writable by the pages thread */
void os_seg_huge_prefault(os_seg *s, os_pages *ahead, uint64_t upto);
/* True while s is written in bulk: 2 MiB or more since its last sync, or between its last two */
bool os_seg_bulk(const os_seg *s);
/* Before a record that ends at upto is written into s: in bulk, asks the pages thread to make the regions ahead
 * of 2 MiB folios (native-src/README.md, "The log in 2 MiB folios") */
void os_seg_huge_ahead(os_seg *s, os_pages *ahead, uint64_t upto);
/* The file size os_seg_huge_ahead needs for the regions a record ending at upto asks for (within the reserve); 0 when
 * it asks for none (not bulk, or huge folios off) */
uint64_t os_seg_huge_size(const os_seg *s, const os_pages *ahead, uint64_t upto);
/* True when a record of rec_len bytes at s->end is written with pwrite(v), false when copied into the mapping */
bool os_seg_by_pwrite(const os_seg *s, uint64_t rec_len);
/* s is durable up to upto (a sync of its own or a checkpoint's): synced, and the gap since the sync before */
void os_seg_synced(os_seg *s, uint64_t upto);
void os_seg_unmap_behind(os_seg *s, os_pages *ahead, size_t page);
void os_seg_close(os_seg *s);
int os_seg_unlink(os_seg *s);
void os_seg_write_header(uint8_t *base, uint64_t id, uint64_t reserve);
bool os_seg_check_header(const uint8_t *h, uint64_t id, uint64_t *reserve);
int os_log_push(os_log *lg, os_seg *s);
/* record table: make room for n more records / append one (room must have been made) */
int os_seg_rec_reserve(os_seg *s, size_t n);
/* true when the next os_seg_rec_push needs os_seg_rec_reserve first (which may move the tables) */
bool os_seg_rec_full(const os_seg *s);
/* empties the record table (open and recovery only: no reader can reach the segment) */
void os_seg_rec_clear(os_seg *s);
void os_seg_rec_push(os_seg *s, uint64_t off, uint64_t seq, uint8_t state);
/* checks record i of s (FORMAT.md, "Integrity", D4) and stores the verdict; OSTORE_OK or OSTORE_CORRUPT with
 * a message naming the file and offset. bytes_out (may be NULL) receives the record's length, head_out (may be
 * NULL) its decoded header when it passes. */
struct os_rech;
int os_seg_check_record(os_seg *s, size_t i, uint64_t *bytes_out, struct os_rech *head_out, os_err *e);
/* index of the record that holds offset off (the last one starting at or before it); SIZE_MAX when none */
size_t os_seg_find_record(const os_seg *s, uint64_t off);
void os_log_free(os_log *lg, bool unlink_files);
int os_fsync_dir(const char *dir, os_err *e);

/* ---- index.c ---- */
/* Entry names of up to OS_INLINE_NAME bytes are kept in the entry itself (name.inl), longer ones are a
 * pointer into the log or checkpoint blob (name.ptr): finding an entry by name — which every overwrite
 * does, under the exclusive lock — then touches no log page for the usual short names (a random log page
 * is a cache miss plus a TLB miss). Read a name only through os_entry_name. */
#define OS_INLINE_NAME 8u
typedef struct os_entry {
    union {
        const uint8_t *ptr;
        uint8_t inl[OS_INLINE_NAME];
        uint64_t word; /* inl as one word (unused bytes are zero): short names compare in one instruction */
    } name;
    os_seg *seg;
    uint64_t off; /* value offset from the segment start */
    uint32_t len;
    uint16_t name_len;
    uint16_t checked; /* 1: the record holding the value passed its CRC check since open (FORMAT.md D4);
                         read/written with relaxed atomics by readers */
} os_entry;

static inline const uint8_t *os_entry_name(const os_entry *en)
{
    return en->name_len <= OS_INLINE_NAME ? en->name.inl : en->name.ptr;
}

/* name: bytes to copy when short; keep: where the same bytes stay (stored when the name is long) */
static inline void os_entry_set_name(os_entry *en, const uint8_t *name, const uint8_t *keep, uint16_t nl)
{
    en->name_len = nl;
    if (nl <= OS_INLINE_NAME) {
        en->name.ptr = NULL; /* zero the unused inline bytes */
        memcpy(en->name.inl, name, nl);
    } else {
        en->name.ptr = keep;
    }
}

struct os_cls;

/* Objects are 128 bytes (two cache lines, 128-aligned in 2 MiB slab chunks): the first line holds what
 * a lookup compares — the full hash, the class and, for ids of up to OS_INLINE_ID bytes, a copy of the id —
 * so that a hit does not have to touch the log (a likely TLB miss); the second line holds the state. */
#define OS_INLINE_ID 36u
/* most entries of an object in its class's shape: what fits in the inline entry's bytes beside first_at and lazy */
#define OS_SHAPE_MAX 14u

typedef struct os_obj {
    uint64_t hash;
    struct os_cls *cls; /* class name and length: o->cls->name equals the class bytes of key */
    uint16_t class_len;
    uint16_t id_len;
    uint8_t capk;
    uint8_t tomb;
    /* while o's entries are lazy (os_ents_lazy): bit i set once entry i's record passed its check (D4), the
     * checked flag of an entry that has no os_entry yet; readers set bits (relaxed RMW), nobody clears them */
    uint16_t lchecked;
    /* Sequence of the object's state (a seqlock; docs/DESIGN.md, "Reads without a shared lock"): odd while the
     * writer changes version, tomb, n, ents or an entry in place, even otherwise. Readers do not lock: they
     * read the state, then check the sequence did not move (os_obj_seq_begin / os_obj_seq_ok). In the first
     * line, which every lookup reads anyway. */
    uint32_t seq;
    uint8_t id[OS_INLINE_ID]; /* the id bytes when id_len <= OS_INLINE_ID (else unused) */
    const uint8_t *key; /* the id bytes, in the log or a checkpoint blob (the class is cls->name) */
    uint64_t version;
    os_entry *ents; /* &inl, an arena array of class capk (index.c, class_cap), or lazy (os_ents_lazy) */
    uint32_t n;
    uint32_t num; /* object number in the slab */
    union {
        os_entry inl; /* the entry array of an object of at most one entry (ents == &inl) */
        /* ents != &inl: where the value of ents[0] lay when the writer last noted it (os_obj_note_first_value).
         * A prefetch hint only, never followed: a reader of the whole object starts the miss on its record there,
         * beside the miss on the entry array instead of after it (native-src/README.md, "The record's lines beside
         * the entry array's"). It takes no memory (the inline entry's bytes, unused while ents points elsewhere);
         * stale after a compaction or a partial update, it costs a prefetch of the wrong lines, no more. */
        struct {
            uintptr_t first_at;
            /* the checkpoint load an object with lazy entries came from (its segment table); set once by the
             * load, kept (unused) once the entries are in an array: ents never goes back to &inl */
            const struct os_lazy *lazy;
            /* an object whose lazy entries are in its class's shape (os_ents_shaped): the load's segment-table
             * entry of its record and its values' lengths, set once by the load (os_shape_decode) */
            uint16_t shape_k;
            uint8_t shape_len[OS_SHAPE_MAX];
        };
    };
} os_obj;

_Static_assert(sizeof(os_obj) == 128, "os_obj is meant to be exactly two cache lines");

/* ---- reading an object while the writer publishes (docs/DESIGN.md, "Reads without a shared lock") ----
 * An ordinary publish changes objects in place while readers run; each object is a seqlock (os_obj.seq).
 * Memory-ordering argument:
 *  - writer (os_index_publish, one object): seq = odd (relaxed), then every field a reader reads is written
 *    with a release store, then seq = even (release). A release store orders every earlier store before it.
 *  - reader: q = seq (acquire), waiting while q is odd; every field read with an acquire load (a later load
 *    cannot move before an acquire load); then seq is loaded again: the state is complete iff it is still q.
 *    If the reader read any value of a field store F of a publish, F's release synchronizes with the
 *    reader's acquire, so the odd store before F is visible to the second load: it sees seq != q and
 *    retries. If it read none, every field value it read is from the state q describes.
 *  - nothing a reader follows before the second check is freed or unmapped under it: entry arrays a publish
 *    replaces wait in the index's limbo until every read section since has ended (os_index_reclaim), slot
 *    and class tables are swapped only in exclusive sections, and values live in the log, which compaction
 *    unmaps only in an exclusive section. Pointers (an entry's segment, a long name) are followed only after
 *    the second check, when they are known to belong to one committed state.
 *  - the reader's one write, the "checked" flag of an entry (D4), is undone when the object changed
 *    (os_eview_check reads the sequence with a read-modify-write after setting it; publish does one on the
 *    sequence before it moves an entry for a delete), so either the reader sees the new sequence or its flag
 *    store is overwritten by the move.
 * On x86-64 acquire loads and release stores are plain moves: the read path costs two loads of seq. */
static inline uint32_t os_obj_seq_begin(const os_obj *o)
{
    for (;;) {
        uint32_t q = __atomic_load_n(&o->seq, __ATOMIC_ACQUIRE);
        if ((q & 1u) == 0)
            return q;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause(); /* the writer is between the two stores of this one object: a few dozen ns */
#endif
    }
}

static inline bool os_obj_seq_ok(const os_obj *o, uint32_t q)
{
    return __atomic_load_n(&o->seq, __ATOMIC_ACQUIRE) == q;
}

#define OS_LD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

#define OS_ST(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/* ---- lazy entries (docs/DESIGN.md, "Entries read from the checkpoint until written") ----
 * An object a checkpoint load made with 2..OS_LAZY_MAX entries gets no entry array: its ents points at its
 * entries' encoding in the checkpoint (FORMAT.md, "Checkpoint file", version 4 entries), which stays mapped for
 * the index's life, tagged in the pointer's top bit (no user-space address has it). Readers decode the bytes
 * (validated by the load) into an array of their own; the writer's first change of the object (os_index_prepare,
 * a compaction's install) decodes them into an arena array and publishes that, after which the object is like
 * any other and never lazy again. An open of a large store so touches no memory for entry arrays: on this VM
 * fresh memory is the dearest thing an open touches (native-src/README.md, "Entries read from the checkpoint"). */
#define OS_LAZY_MAX 16u
typedef struct os_lazy {
    os_seg **tseg;      /* the segment of each entry of the checkpoint's segment table (NULL: not in the log) */
    uint32_t nsegs;     /* table entries a base entry may name */
    const uint8_t *end; /* the end of the checkpoint's objects: no decode reads past it */
} os_lazy;
#define OS_LAZY_TAG ((uintptr_t)1 << 63)
/* Besides OS_LAZY_TAG: the lazy object's entries are in its class's shape (docs/DESIGN.md, "Objects in their class's
 * shape"): their names are the class's (os_cls.shape), in that order, and their values lie one after another in
 * one record as its ops put them, so that the object's own bytes (shape_k, shape_len, first_at) give every entry
 * without a read of the checkpoint's encoding (which stays where ents points, for every other user). */
#define OS_LAZY_SHAPED ((uintptr_t)1 << 62)
static inline bool os_ents_lazy(const os_entry *e) { return ((uintptr_t)e & OS_LAZY_TAG) != 0; }
static inline bool os_ents_shaped(const os_entry *e) { return ((uintptr_t)e & OS_LAZY_SHAPED) != 0; }
static inline const uint8_t *os_ents_bytes(const os_entry *e)
{
    return (const uint8_t *)((uintptr_t)e & ~(OS_LAZY_TAG | OS_LAZY_SHAPED));
}
static inline os_entry *os_ents_tagged(const uint8_t *p) { return (os_entry *)((uintptr_t)p | OS_LAZY_TAG); }
/* Decodes n (<= OS_LAZY_MAX) lazy entries from p into out, each checked as bit i of lchecked says; the number
 * decoded (fewer only if the bytes end early, which a load that validated them rules out) */
uint32_t os_lazy_decode(const os_lazy *lz, const uint8_t *p, uint32_t n, uint32_t lchecked, os_entry *out);
/* The n entries of o, whose ents is shaped (os_ents_shaped), from its class's shape and its own bytes, into out,
 * each checked as bit i of lchecked says: the same entries os_lazy_decode makes of its checkpoint bytes. */
void os_shape_decode(const os_obj *o, uint32_t n, uint32_t lchecked, os_entry *out);
/* Readers decode shaped objects from their own bytes: true unless OSTORE_SHAPED_READS=0 was set at an open (or an A/B
 * harness clears it); the load shapes objects either way */
extern bool os_shaped_reads;
/* Reader, with n and ents just read under o's sequence: ents itself, or the lazy entries decoded into buf (a
 * lazy ents is never followed by a count of another state: publish stores the array before any count) */
static inline os_entry *os_obj_ents_rd(const os_obj *o, uint32_t n, os_entry *ents, os_entry *buf)
{
    if (__builtin_expect(!os_ents_lazy(ents), 1))
        return ents;
    if (os_ents_shaped(ents) && os_shaped_reads) {
        os_shape_decode(o, n, __atomic_load_n(&o->lchecked, __ATOMIC_RELAXED), buf);
        return buf;
    }
    os_lazy_decode(o->lazy, os_ents_bytes(ents), n, __atomic_load_n(&o->lchecked, __ATOMIC_RELAXED), buf);
    return buf;
}
/* o's entries: o->ents itself, or its lazy entries decoded into buf (OS_LAZY_MAX entries). Writer (or a load):
 * nothing changes o meanwhile. */
static inline const os_entry *os_obj_ents(const os_obj *o, os_entry *buf)
{
    return os_obj_ents_rd(o, o->n, o->ents, buf);
}

/* Writer, with o's sequence odd: notes where o's first entry's value lies (relaxed: readers load it racily, as a hint). */
static inline void os_obj_note_first_value(os_obj *o)
{
    if (o->ents != &o->inl && !os_ents_lazy(o->ents) && o->n > 0 && o->ents[0].seg != NULL &&
        o->ents[0].seg->base != NULL)
        __atomic_store_n(&o->first_at, (uintptr_t)o->ents[0].seg->base + o->ents[0].off, __ATOMIC_RELAXED);
}

/* Reader of the whole object, with n and ents just read under its sequence: prefetches the entry array and the
 * record around the hinted value (its header precedes the first value), so that the two misses overlap. */
static inline void os_obj_prefetch_entries(const os_obj *o, const os_entry *ents)
{
    if (ents == &o->inl)
        return;
    if (!os_ents_shaped(ents) || !os_shaped_reads) { /* a shaped object's entries are in its own bytes */
        __builtin_prefetch(os_ents_bytes(ents)); /* a lazy object's encoding: two lines for ten short entries */
        if (os_ents_lazy(ents))
            __builtin_prefetch(os_ents_bytes(ents) + 64);
    }
    uintptr_t h = __atomic_load_n(&o->first_at, __ATOMIC_RELAXED);
    if (h > 64) { /* integers, not pointer arithmetic: the hint may point nowhere */
        __builtin_prefetch((const void *)(h - 64));
        __builtin_prefetch((const void *)h);
        __builtin_prefetch((const void *)(h + 64));
    }
}

/* One entry as a reader saw it (fields copied, so they stay one state after the sequence check). */
typedef struct os_eview {
    os_entry *at;  /* where it was (only to set its checked flag) */
    int32_t lazy_i; /* >= 0: entry lazy_i of a lazy object (its checked flag is that bit of lchecked); else -1 */
    os_seg *seg;
    uint64_t off;
    uint64_t name_word; /* inline name bytes, or the long name's pointer */
    uint32_t len;
    uint16_t name_len;
    uint16_t checked;
} os_eview;

static inline const uint8_t *os_eview_name(const os_eview *v)
{
    return v->name_len <= OS_INLINE_NAME ? (const uint8_t *)&v->name_word : (const uint8_t *)(uintptr_t)v->name_word;
}

static inline void os_eview_load(os_eview *v, os_entry *en)
{
    v->at = en;
    v->lazy_i = -1;
    v->name_len = OS_LD(en->name_len);
    v->name_word = OS_LD(en->name.word);
    v->seg = OS_LD(en->seg);
    v->off = OS_LD(en->off);
    v->len = OS_LD(en->len);
    v->checked = OS_LD(en->checked);
}

typedef struct os_cls {
    uint64_t hash;
    uint8_t *name;
    uint16_t len;
    /* every object of the class, tombstones included, in object-number order (new objects are appended at
     * publish with numbers above all others; compaction and checkpoints keep slab order): the scan order of
     * ostore_list_ids_page, stable while objects are added */
    os_obj **objs;
    uint32_t n, cap;
    uint64_t live;   /* objects of objs that are not tombstones (ostore_count) */
    uint8_t has_exp; /* some object got an expiry entry since this index was built: counting must look */
    /* writer-only staging */
    uint32_t addn;
    uint32_t stage_cap;
    os_obj **stage;
    uint64_t gen;
    _Atomic(struct os_ord *) ord; /* key-order index, built by the first key-order scan (ordered.c); NULL */
    /* The entry names of the class's objects in its shape (OS_LAZY_SHAPED), in order: set by the checkpoint load
     * from the first lazy object of the class whose values lie one after another in one record (shape_state 0 →
     * 1 while one loader sets it → 2 once set, with release), then only read. word: a short name's bytes as
     * os_entry keeps them, a long one's address in the checkpoint. */
    _Atomic uint8_t shape_state;
    uint8_t shape_n;
    uint16_t shape_nl[OS_SHAPE_MAX];
    uint64_t shape_word[OS_SHAPE_MAX];
    /* A parallel checkpoint load's objects of this class, by part (each written only by its part's thread), until
     * os_index_pload_end appends them to objs in part order, which is object-number order. NULL otherwise. */
    struct os_cls_part {
        struct os_obj **objs;
        uint32_t n, cap;
        uint64_t live;
        uint8_t has_exp;
    } *part[OS_LOAD_PARTS_MAX];
} os_cls;

/* Entry arrays come in size classes of capacity 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, ... (four classes per
 * doubling): an array wastes at most a fifth of its entries, not a half as with powers of two alone. A store of
 * ten-field objects keeps 10-entry arrays, 320 bytes each (512 with powers of two, 384 with session 12's 1.5x
 * classes); those bytes are most of what an open touches (native-src/README.md, "Entry arrays that fit"). The
 * last class holds 2^32 entries. os_obj.capk and os_bobj.newk hold a class. */
#define OS_ARENA_CLASSES 124
/* ---- ahead.c ---- */
/* The size of a chunk made ahead: a slab chunk and a full-size arena chunk are both one huge page. */
#define OS_AHEAD_CHUNK OS_HUGE
/* A piece of the index's memory (a chunk, or the next slot table) made and populated by a thread of its own
 * before the index needs it (ahead.c), so the kernel's zeroing of fresh huge pages happens off the writer's thread.
 * Zero-initialized: off, nothing ready; os_ahead_init turns it on unless the environment variable named (the
 * A/B switch) is "0". */
typedef struct os_ahead {
    bool on;
    bool live;                     /* thread started and not yet joined (by the index's single allocating thread) */
    pthread_t thread;
    size_t size;                   /* bytes of the piece being made or ready (os_big_alloc'd) */
    _Atomic bool busy;             /* the thread runs */
    _Atomic(void *) ready;         /* its piece of size zero bytes, populated, until taken */
    _Atomic uint64_t made, taken;  /* pieces made / taken by the index (tests) */
} os_ahead;
void os_ahead_init(os_ahead *a, const char *env);
/* Starts making a piece of size bytes unless one is under way or one of that size is ready (one of another size
 * is freed). Only the index's allocating thread calls it, as the three below. */
void os_ahead_make(os_ahead *a, size_t size);
/* The ready piece (zeroed, populated, size bytes from os_big_alloc), waiting for the thread when it is still making
 * one, or NULL when none was started (or it could not be mapped); either way the next one of the same size is
 * started. For chunks, all of OS_AHEAD_CHUNK bytes. */
void *os_ahead_take(os_ahead *a);
/* The piece of size bytes, waiting for the thread when it is still making it; NULL when none was started or it
 * was of another size (then freed) or could not be mapped. Starts nothing. */
void *os_ahead_wait(os_ahead *a, size_t size);
/* Waits for a running thread and frees a piece not taken. */
void os_ahead_stop(os_ahead *a);
/* Test hook: called by a thread of os_ahead_make before it maps its piece; NULL in use. */
extern void (*os_ahead_hook)(void);
/* Faults len bytes of fresh anonymous memory in, zeroed (MADV_POPULATE_WRITE, or a write per page), OS_POPULATE_STEP
 * bytes per call. */
#define OS_POPULATE_STEP ((size_t)2 << 20)
void os_populate(void *mem, size_t len);

/* ---- regrow.c ---- */
/* The slot table's next doubling, rebuilt by a thread of the index's own while the current table fills (regrow.c).
 * Zero-initialized: off, nothing built; os_regrow_init turns it on unless OSTORE_AHEAD_TABLES=0 is in the
 * environment (A/B). Only the index's allocating thread (prepare under the writer mutex, or a load) calls these. */
struct os_index;
typedef struct os_regrow {
    bool on;
    bool live;                   /* thread started and not yet joined */
    pthread_t thread;
    /* set before the thread starts */
    const struct os_index *ix;
    uint32_t count;              /* objects 0..count-1 go in */
    uint64_t newcap;             /* slots of the table built */
    const uint64_t *old;         /* the current table (its hints: os_hint_slot), and its mask */
    uint64_t oldmask;
    /* the thread's until joined */
    uint64_t *table;             /* newcap slots and hints (os_big_alloc), NULL when none was built */
    uint32_t *fix;               /* objects whose hints the thread did not carry (the writer's to set) */
    uint32_t nfix, capfix;
    /* objects published so far (the writer's release store after each publish that made some): the thread takes
     * those made since it started too, and sets count to what it took */
    _Atomic uint32_t avail;
    _Atomic bool stop;           /* set by the index's thread when it wants the table (or none) now */
    _Atomic uint32_t taken_upto; /* objects the thread has taken so far (tests) */
    _Atomic uint64_t built, taken; /* tables built / taken by a doubling (tests) */
    _Atomic uint64_t caught_up;    /* objects taken in the rounds after the first (tests) */
} os_regrow;
/* Tests: true makes a doubling wait (at most 10 s) until the thread has taken every object published, and the
 * thread wait for objects however long none come, so that what its rounds take does not depend on the threads'
 * speeds. */
extern _Atomic bool os_regrow_test_hold;
void os_regrow_init(os_regrow *g);
/* Starts building a table of newcap slots holding objects 0..count-1 of ix (all published) with ix's current
 * table kept as it is until the thread is joined; nothing when a thread runs or a table of newcap is built. */
void os_regrow_start(os_regrow *g, const struct os_index *ix, uint32_t count, uint64_t newcap);
/* The table built for newcap slots, waiting for the thread when it still runs; *count is set to the objects in it
 * (0..*count-1: those made before the start and, in rounds, those published since),
 * and g->fix[0..nfix) lists those whose hints the caller sets. NULL (and whatever was built freed) when none was
 * started, it was for another size or could not be made. */
uint64_t *os_regrow_take(os_regrow *g, uint64_t newcap, uint32_t *count);
/* Waits for a running thread and frees what it built. */
void os_regrow_stop(os_regrow *g);

typedef struct os_arena {
    uint8_t **chunks; /* from os_big_alloc, each of sizes[i] bytes */
    size_t *sizes;
    size_t n, cap;
    size_t next; /* the next fill chunk's size (0: the smallest) */
    uint8_t *cur;
    size_t left;
    os_entry *free[OS_ARENA_CLASSES]; /* free arrays of each size class (index.c, class_cap) */
    os_ahead *ahead; /* where full-size fill chunks come from when ready (the index's own arena), else NULL */
} os_arena;

/* objects a bulk checkpoint load makes before it inserts the first one's slot (os_index_load_begin) */
#define OS_BULK_AHEAD 16u

/* The slot table's layout: slots and their value hints interleaved a cache line at a time, line k holding slots
 * 4k..4k+3 then hints 4k..4k+3, so that an object's insert, its hint's update and a read's slot and hint loads touch
 * one line of the table where two halves of it took a line each (native-src/README.md, "Slots and hints in one
 * line"). i is a slot's number (hash & mask, a probe's i + 1); the table holds mask + 1 of each (OS_SLOT_BYTES),
 * mask + 1 a multiple of 4, and starts on a line (os_big_alloc: calloc's 16 bytes below 2 MiB, then a line may
 * straddle two: slower, not wrong). */
static inline uint64_t *os_slot(const uint64_t *t, uint64_t i)
{
    return (uint64_t *)t + ((i & ~(uint64_t)3) << 1) + (i & 3u);
}
static inline uint64_t *os_hint_slot(const uint64_t *t, uint64_t i)
{
    return (uint64_t *)t + ((i & ~(uint64_t)3) << 1) + 4u + (i & 3u);
}

typedef struct os_index {
    os_obj **chunks;
    uint32_t nchunks, capchunks;
    uint32_t nobj;
    /* (tag << 32) | (object number + 1); 0 = empty. With as many value hints, interleaved (os_slot, os_hint_slot):
     * hint i names the value bytes of the last object published whose hash's home slot is i
     * (os_index_prefetch_values) */
    uint64_t *slots;
    uint64_t mask;
    os_cls **ctab;
    uint64_t cmask;
    uint32_t ncls;
    os_arena arena;
    os_ahead ahead; /* the next slab or arena chunk, made while the current ones fill (ahead.c) */
    os_regrow regrow; /* the next slot table, rebuilt once the current one is 3/8 full (it doubles at 1/2; regrow.c) */
    os_ahead list_ahead; /* a class list's next array, made once a list of 2^17 objects or more is 3/4 full (ahead.c) */
    struct os_blob {
        void *p;
        size_t maplen; /* 0: malloc'd */
    } *blobs;
    size_t nblobs, capblobs;
    uint64_t gen;
    uint64_t live_objects, live_entries, live_bytes, state_bytes;
    /* entry arrays a publish replaced, not yet back on the arena's free lists: a reader may still be reading
     * one (os_index_reclaim puts them back once every read section since has ended) */
    struct os_limbo { os_entry *arr; unsigned k; } *limbo;
    uint32_t nlimbo, caplimbo;
    os_lazy lazy; /* the checkpoint load's, for objects whose entries are lazy (tseg owned; NULL: none) */
} os_index;

/* A bulk load of a checkpoint's objects into an index (os_index_load_begin to os_index_load_end), or one part of
 * a parallel one (os_index_pload_part to os_index_pload_end): several loaders then fill one index at once, each
 * from its own thread, making the objects numbered next..end-1. */
typedef struct os_loader {
    os_index *ix;
    bool parallel;
    uint32_t part;            /* parallel: which part (its slot in os_cls.part) */
    uint32_t next, end;       /* parallel: the object numbers this part makes */
    uint32_t head, n;         /* the objects made but not yet in the slot table, oldest at head */
    os_obj *pending[OS_BULK_AHEAD];
    uint64_t pending_hint[OS_BULK_AHEAD]; /* their value hints (os_index_load_hint), stored when they are inserted */
    const uint8_t *cls_key;   /* the class bytes the last object named, and their class */
    os_cls *cls;
    const os_obj *names_of;   /* the object whose entries are being loaded, and a filter of their short names */
    uint64_t names;
    /* parallel: what os_index_pload_end adds to the index */
    pthread_mutex_t *cls_lock; /* the index's class table is shared: made and looked up under it */
    os_arena arena;           /* this part's entry arrays */
    os_cls **touched;         /* the classes this part made objects of */
    uint32_t ntouched, captouched;
    uint64_t live_objects, live_entries, live_bytes, state_bytes;
} os_loader;

/* 16384 objects x 128 bytes = one 2 MiB chunk (allocated 2 MiB-aligned, see os_big_alloc) */
#define OS_OBJ_CHUNK_SHIFT 14u
#define OS_OBJ_CHUNK (1u << OS_OBJ_CHUNK_SHIFT)

static inline os_obj *os_obj_at(const os_index *ix, uint32_t i)
{
    return &ix->chunks[i >> OS_OBJ_CHUNK_SHIFT][i & (OS_OBJ_CHUNK - 1u)];
}

/* One op of a parsed batch/snapshot payload (either layout). */
typedef struct os_bop {
    const uint8_t *name; /* the name in the bytes parsed (compared, copied when short) */
    uint64_t at;         /* offset of the name in the record payload written/replayed; the value follows it */
    uint32_t vl;
    uint32_t ent; /* the entry a PUT overwrites, found by os_index_prepare: read only when its object's ents_seen */
    uint16_t nl;
    uint8_t kind;
} os_bop;
#define OS_ENT_NEW UINT32_MAX /* os_bop.ent: the name is not among the object's entries (looked up again at publish) */

/* One object of a parsed batch/snapshot payload. cname/id point into the bytes parsed (the caller's buffer or
 * the record); id_at is the id's offset in the record payload, where the index keeps it (os_obj.key). */
typedef struct os_bobj {
    const uint8_t *cname;
    const uint8_t *id;
    uint64_t id_at;
    uint32_t op0; /* first op in os_scratch.ops */
    uint32_t run; /* objects in the class run this object starts (os_batch_parse); 0 when it continues one */
    uint64_t hash;
    uint64_t expected;
    uint32_t op_count;
    uint32_t flags;
    uint32_t puts;
    uint16_t class_len;
    uint16_t id_len;
    os_obj *o;
    os_cls *cls;
    os_entry *newarr;
    uint8_t newk;
    uint8_t is_new;
    /* os_index_prepare looked every PUT's name up in the object's entries and left each op's index in os_bop.ent
     * (an existing object whose array was full, and no DELETE_ENTRY among its ops: indices hold through publish) */
    uint8_t ents_seen;
} os_bobj;

/* Staged allocations between index_prepare and index_publish. */
typedef struct os_prep {
    uint32_t slab_mark;
    uint32_t nnew;
    uint64_t *newslots;
    uint64_t newmask;
    uint64_t *oldslots; /* replaced slot table, freed by os_index_release (os_big_free) */
    uint64_t oldmask;
    os_cls **newctab;
    uint64_t newcmask;
    os_cls **pend;
    uint32_t npend, cappend;
    os_cls **touched;
    uint32_t ntouched, captouched;
    struct os_garbage {
        void *p;
        size_t size; /* what os_big_free takes: a class list's capacity in bytes, 0 for a malloc'd table */
    } *garbage;
    uint32_t ngarbage;
    size_t capgarbage;
    /* the publish swaps a table or class array or adds a class: it runs in an exclusive section of store->rd
     * (readers wait); an ordinary publish (overwrites, deletes, new objects of known classes) does not */
    bool structural;
} os_prep;

/* Per-store scratch reused by every batch (no per-batch malloc once warmed up). */
typedef struct os_scratch {
    os_bobj *objs;
    size_t cap;
    os_bop *ops;
    size_t opcap;
    uint8_t *enc; /* a record encoded for pwritev (records of OS_PWRITE_MIN bytes and more) */
    size_t enccap;
    uint64_t v2len; /* os_batch_parse: the size of the same batch as a version-2 payload */
    /* the class hash seed of the last batch's last run (class names up to 64 bytes): consecutive one-object
     * batches of one class then compare the name instead of hashing it again */
    uint8_t seed_name[64];
    uint16_t seed_len;
    uint64_t seed;
    uint32_t *dup;
    size_t dupcap;
    os_prep prep;
    /* when set (ostore_write_batch, for the duration of os_batch_parse), parsing prefetches each object's
     * home slot in this index as soon as its hash is known: the slot misses then overlap the parsing */
    const struct os_index *pf;
} os_scratch;

os_index *os_index_new(void);
void os_index_free(os_index *ix);
/* ix owns blob from now on: maplen 0 means malloc'd (freed with free), else a mapping of maplen bytes (munmap) */
int os_index_add_blob(os_index *ix, void *blob, size_t maplen);
/* Lookups, inline (OS_HOT): a point get runs them once each; as calls, with their register saves and restores,
 * the get ran 398.9 instructions instead of 364.0 (native-src/README.md, "Index layout (session 8)"). */
static inline OS_HOT bool os_obj_key_eq(const os_obj *o, uint64_t h, const uint8_t *cls, size_t cl, const uint8_t *id,
                                 size_t il)
{
    if (o->hash != h || o->class_len != cl || o->id_len != il)
        return false;
    if (il <= OS_INLINE_ID) /* inline id + the class's own name: no access to the log (o->key) */
        return os_bytes_eq(o->id, id, il) && os_bytes_eq(o->cls->name, cls, cl);
    return memcmp(o->cls->name, cls, cl) == 0 && memcmp(o->key, id, il) == 0;
}

static inline OS_HOT os_obj *os_index_find(const os_index *ix, uint64_t h, const uint8_t *cls, size_t cl,
                                    const uint8_t *id, size_t il)
{
    uint64_t mask = ix->mask, i = h & mask;
    uint32_t tag = (uint32_t)(h >> 32);
    for (;;) {
        /* acquire: pairs with slots_insert's release, so a new object is seen fully initialized */
        uint64_t s = __atomic_load_n(os_slot(ix->slots, i), __ATOMIC_ACQUIRE);
        if (s == 0)
            return NULL;
        if ((uint32_t)(s >> 32) == tag) {
            os_obj *o = os_obj_at(ix, (uint32_t)s - 1u);
            /* the state line (version, entries) is read next on a hit: start its miss now, alongside the
             * key line's, instead of after the key compare */
            __builtin_prefetch((const uint8_t *)o + 64);
            if (os_obj_key_eq(o, h, cls, cl, id, il))
                return o;
        }
        i = (i + 1) & mask;
    }
}

/* Reader side of a pipelined lookup (ostore_get_entries): when the home slot of h (already fetched, or this
 * waits for it) names an object with h's tag, starts the misses on both of its lines. Only a hint: a probe
 * past the home slot is left to os_index_find. Inside a read section (the object a published slot names
 * exists, as for os_index_find). */
static inline OS_HOT void os_index_prefetch_home(const os_index *ix, uint64_t h)
{
    uint64_t s = __atomic_load_n(os_slot(ix->slots, h & ix->mask), __ATOMIC_ACQUIRE);
    if (s != 0 && (uint32_t)(s >> 32) == (uint32_t)(h >> 32)) {
        const uint8_t *o = (const uint8_t *)os_obj_at(ix, (uint32_t)s - 1u);
        __builtin_prefetch(o);
        __builtin_prefetch(o + 64);
    }
}

/* ---- value hints (docs/DESIGN.md, "Value hints beside the slots") ----
 * A whole-object read waits for three things in turn: the hash slot, the object, then its values (whose address
 * is in the object). The value hints let the values' misses start beside the slot's: hint i, in the same line of the
 * slot table as slot i (os_hint_slot), names the values of the object whose hash's home slot is i, as its last publish or
 * the checkpoint load left them: their first line's address / 64 (bits 0-40: addresses below 2^47), how many
 * lines (bits 41-46) and the top 17 bits of the object's hash (bits 47-63), so that a read uses only a hint of its
 * own key's (objects whose homes collide share a hint: the last one written wins; the others' reads find another
 * tag there, 1 time in 2^17 the same). A hint is not updated when a compaction moves values: a stale hint costs
 * prefetches of lines nobody reads, never a wrong answer — it is never dereferenced, only prefetched (a prefetch
 * cannot fault). Writers store hints (relaxed), readers load them (relaxed). */
#define OS_SLOT_BYTES(mask) (2u * ((size_t)(mask) + 1u) * sizeof(uint64_t)) /* slots + hints */
#define OS_HINT_SPAN 2048u /* at most this many bytes of values per hint: 33 lines */
#define OS_HINT_TAG (~0ull << 47)
/* Puts object num of hash h in the first empty slot of its probe sequence (slot: (tag << 32) | (num + 1)). */
static inline void os_slots_insert(uint64_t *slots, uint64_t mask, uint64_t h, uint32_t num)
{
    uint64_t i = h & mask;
    while (*os_slot(slots, i) != 0)
        i = (i + 1) & mask;
    __atomic_store_n(os_slot(slots, i), ((h >> 32) << 32) | ((uint64_t)num + 1u), __ATOMIC_RELEASE);
}
static inline uintptr_t os_hint_at(uint64_t w) { return (uintptr_t)((w & ((1ull << 41) - 1u)) << 6); }
static inline unsigned os_hint_lines(uint64_t w) { return (unsigned)(w >> 41) & 63u; }
/* the hint (untagged) of the bytes [at, at + bytes): 0 (no hint) for an address that does not fit */
static inline uint64_t os_hint_word(uintptr_t at, uint64_t bytes)
{
    if (at == 0 || (uint64_t)at >= 1ull << 47)
        return 0;
    if (bytes > OS_HINT_SPAN)
        bytes = OS_HINT_SPAN;
    uint64_t lines = ((at & 63u) + bytes + 63u) / 64u;
    return (uint64_t)at >> 6 | lines << 41;
}
/* Writer (or a load): the hint of the object of hash h is word (os_hint_word) */
static inline void os_index_hint_set(os_index *ix, uint64_t h, uint64_t word)
{
    __atomic_store_n(os_hint_slot(ix->slots, h & ix->mask), word != 0 ? word | (h & OS_HINT_TAG) : 0,
                     __ATOMIC_RELAXED);
}
/* A batch of at most this many objects publishes soon after its lookup: the lines its publish writes that the
 * lookup does not bring in (its checkpoint marks; each object's value hint, in its home slot's line, comes with the
 * parse's prefetch of that line since session 51) are fetched as early as their addresses are known, so that their misses overlap the lookup's instead of stalling the writer mutex's release, which waits
 * for the stores before it (native-src/README.md, "A small batch's misses"). A large batch's would be evicted
 * again before its publish (which prefetches the value hints itself, a few objects ahead). */
#define OS_SMALL_BATCH 16u
/* Whether small batches fetch those lines early: true; tests/bench.c's one-ab clears it for its A/B in one process */
extern bool os_small_batch_prefetch;
/* Reads prefetch by the hints: true unless OSTORE_VALUE_HINTS=0 was set at an open (or a test or A/B harness clears
 * it); writers keep them either way */
extern bool os_value_hints;
/* Reader, before the lookup of hash h: starts the misses on the values its hint names (integers, not pointer
 * arithmetic: the hint may point nowhere) */
static inline OS_HOT void os_index_prefetch_values_upto(const os_index *ix, uint64_t h, unsigned max_lines)
{
    if (!os_value_hints)
        return;
    uint64_t w = __atomic_load_n(os_hint_slot(ix->slots, h & ix->mask), __ATOMIC_RELAXED);
    if (((w ^ h) & OS_HINT_TAG) != 0)
        return; /* another object's (or none) */
    uintptr_t at = os_hint_at(w);
    unsigned n = os_hint_lines(w);
    if (n > max_lines)
        return;
    for (unsigned i = 0; i < n; i++)
        __builtin_prefetch((const void *)(at + 64u * i));
}
static inline OS_HOT void os_index_prefetch_values(const os_index *ix, uint64_t h)
{
    os_index_prefetch_values_upto(ix, h, 63u);
}
/* A read of one entry by name (ostore_get_entry): the values of a small object only (so the one wanted is among the
 * lines fetched), so that the value's miss overlaps the slot's and the object's instead of following them */
#define OS_ENTRY_READ_HINT_LINES 4u
/* What a hint names of an object's values, gathered entry by entry (os_span_add for entries 0, 1, … in order, then
 * os_span_hint): the values of its first 16 entries that lie in entry 0's segment when they span at most
 * OS_HINT_SPAN bytes, else entry 0's value alone. One rule for the writer's entry arrays (os_entries_hint) and the
 * checkpoint load's parsed entries. */
typedef struct os_span {
    const os_seg *g; /* entry 0's segment (NULL: no hint) */
    uint64_t lo, hi, len0;
} os_span;
static inline void os_span_add(os_span *sp, uint32_t i, const os_seg *g, uint64_t off, uint64_t len)
{
    if (i == 0)
        *sp = (os_span){g, off, off + len, len};
    else if (g == sp->g && i < 16u) {
        sp->lo = off < sp->lo ? off : sp->lo;
        sp->hi = off + len > sp->hi ? off + len : sp->hi;
    }
}
static inline uint64_t os_span_hint(const os_span *sp, uintptr_t first_value)
{
    if (sp->g == NULL || sp->g->base == NULL)
        return 0;
    if (sp->hi - sp->lo > OS_HINT_SPAN)
        return os_hint_word(first_value, sp->len0);
    return os_hint_word((uintptr_t)sp->g->base + sp->lo, sp->hi - sp->lo);
}
/* The hint of an object's entries e[0..n) (an array, not lazy), by os_span's rule. 0: nothing to hint. */
uint64_t os_entries_hint(const os_entry *e, uint32_t n);

os_cls *os_index_find_class(const os_index *ix, const uint8_t *cls, size_t cl);
os_entry *os_obj_find_entry(const os_obj *o, const uint8_t *name, size_t nl);
/* The reserved expiry entry name (FORMAT.md, "Expiry entry"): 0x00 "expires", 8 bytes, as one inline word. */
extern const uint8_t os_expiry_name[OSTORE_EXPIRY_NAME_LEN];
/* *expired = o has an expiry entry of 8 bytes whose deadline is non-zero and <= now (now 0: never). Checks
 * the record of the value once (D4) like a read; OSTORE_CORRUPT when that fails. Call under the read lock. */
int os_obj_expired(const os_obj *o, uint64_t now, bool *expired, os_err *e);
/* position in c->objs of the first object after o (an object of c) in scan order */
uint32_t os_cls_pos_after(const os_cls *c, const os_obj *o);
int os_index_lookup_batch(const os_index *ix, os_bobj *bo, uint32_t n, os_scratch *sc, os_err *e);
int os_index_prepare(os_index *ix, os_bop *ops, os_bobj *bo, uint32_t n, bool snapshot,
                     os_prep *pp, os_err *e);
void os_index_abort(os_index *ix, os_bobj *bo, uint32_t n, os_prep *pp);
/* ops: the parsed ops (names read from the bytes parsed, possibly the caller's buffer); payload: the record's
 * payload where it stays (the mapping of seg at payload_off) — the index keeps pointers into payload only
 * (bo->id_at, ops->at), and never reads through it, so a record written with pwrite need not be faulted in. */
void os_index_publish(os_index *ix, const os_bop *ops, const uint8_t *payload, os_seg *seg,
                      uint64_t payload_off, os_bobj *bo, uint32_t n, bool snapshot, os_prep *pp);
void os_index_release(os_prep *pp);
/* Entry arrays replaced by publishes go back to the arena (writer). drained: no reader has been inside a read
 * section since they were replaced (after an exclusive section); otherwise only once the limbo holds at
 * least `atleast` arrays, after waiting for the read sections in progress to end (os_rd_synchronize). */
struct os_readers;
void os_index_reclaim(os_index *ix, struct os_readers *rd, bool drained, uint32_t atleast);
/* Writer: gives o, when its entries are lazy, an arena array of them, published like a change (o's sequence moves
 * by 2; readers may run). OSTORE_NO_MEMORY leaves o as it was. */
int os_index_materialize(os_index *ix, os_obj *o);
/* os_obj_find_entry_rd for a lazy object (ents as read, n its count): 1 found (*v filled), 0 none */
int os_lazy_find_rd(const os_obj *o, uint32_t n, const os_entry *ents, const uint8_t *name, size_t nl, os_eview *v);
/* the entry of o named name, read under o's sequence q: 1 found (*v filled), 0 none, -1 o changed (retry) */
static inline OS_HOT int os_obj_find_entry_rd(const os_obj *o, uint32_t q, const uint8_t *name, size_t nl,
                                             os_eview *v)
{
    /* n before ents: publish stores a bigger array before a count that needs it, and arrays only grow, so
     * the array read holds at least n entries */
    uint32_t n = OS_LD(o->n);
    os_entry *e = OS_LD(o->ents);
    if (os_ents_lazy(e))
        return os_lazy_find_rd(o, n, e, name, nl, v);
    if (nl <= OS_INLINE_NAME) { /* inline names are zero-padded words: one compare per entry */
        uint64_t w = os_load_tail(name, nl);
        for (uint32_t i = 0; i < n; i++)
            if (OS_LD(e[i].name_len) == nl && OS_LD(e[i].name.word) == w) {
                os_eview_load(v, &e[i]);
                return 1;
            }
        return 0;
    }
    for (uint32_t i = 0; i < n; i++)
        if (OS_LD(e[i].name_len) == nl) {
            const uint8_t *p = OS_LD(e[i].name.ptr);
            if (!os_obj_seq_ok(o, q)) /* p is followed only once known to go with this length */
                return -1;
            if (memcmp(p, name, nl) == 0) {
                os_eview_load(v, &e[i]);
                return 1;
            }
        }
    return 0;
}

/* Checkpoint loading (no readers exist yet). A bulk load, os_index_load_begin to os_index_load_end with one
 * loader, sizes the slot table once for the objects expected (a hint: more still fit) and inserts each object's
 * slot OS_BULK_AHEAD objects after it was made, its slot's cache line prefetched meanwhile; an object made in a
 * bulk load is not found by os_index_find before os_index_load_end, which returns OSTORE_CORRUPT when two objects
 * of the load share a key (OSTORE_NO_MEMORY: the table could not be sized). With a NULL loader,
 * os_index_load_object inserts at once and returns OSTORE_CORRUPT for a key already in the index. */
int os_index_load_begin(os_index *ix, uint64_t expected, os_loader *ld);
int os_index_load_end(os_loader *ld);
int os_index_load_object(os_index *ix, os_loader *ld, const uint8_t *cls, uint16_t cl, const uint8_t *id,
                         uint16_t il, uint64_t version, bool tomb, uint32_t nents, os_obj **out);
/* A parallel bulk load of count objects into the empty index ix: os_index_pload_begin sizes the slot table and
 * reserves the slab; each part's loader (os_index_pload_part: objects first..end-1, in a thread of its own) then
 * makes its objects with os_index_load_object and os_index_load_entry and ends with os_index_pload_finish;
 * os_index_pload_end, after every part's thread is done, adds what the parts made to the index (ok: all parts
 * succeeded; the index then holds the count objects) and frees the loaders' state. Slots are claimed with a
 * compare-and-swap, so two parts' objects of one key are found at the second's insert (OSTORE_CORRUPT). */
int os_index_pload_begin(os_index *ix, uint64_t count);
void os_index_pload_part(os_index *ix, os_loader *ld, uint32_t part, uint32_t first, uint32_t end,
                         pthread_mutex_t *cls_lock);
int os_index_pload_finish(os_loader *ld);
int os_index_pload_end(os_index *ix, os_loader *lds, uint32_t n, bool ok);
/* a delta's state for an object already loaded: its entries dropped, room for nents, version and tombstone set */
int os_index_load_reset(os_index *ix, os_obj *o, uint64_t version, bool tomb, uint32_t nents);
int os_index_load_entry(os_index *ix, os_loader *ld, os_obj *o, const uint8_t *name, uint16_t nl, os_seg *seg,
                        uint64_t off, uint32_t len);
/* Makes o (just made by os_index_load_object with no entries) a lazy object (os_ents_lazy) of the n entries encoded
 * at ents in ix's checkpoint (ix->lazy set), already parsed and range-checked by the caller: names[i] (nls[i]
 * bytes), lens[i] and offs[i] are entry i's, first_at where entry 0's value lies (os_obj.first_at), hint its value
 * hint (os_hint_word), k0 the segment-table entry every entry's value is in (UINT64_MAX when they are not all in
 * one): o is made shaped (OS_LAZY_SHAPED) when its entries fit its class's shape. OSTORE_CORRUPT when two names
 * repeat. */
int os_index_load_lazy(os_index *ix, os_loader *ld, os_obj *o, const uint8_t *ents, uint32_t n,
                       const uint8_t *const *names, const uint16_t *nls, const uint32_t *lens, uintptr_t first_at,
                       uint64_t hint, uint64_t k0, const uint64_t *offs);
/* The value hint (os_hint_word) of o, which a load just made or reset: kept with o until o goes into the slot table
 * (its hint's line is prefetched with its slot's), or stored now when o is not waiting for that. */
void os_index_load_hint(os_index *ix, os_loader *ld, const os_obj *o, uint64_t word);
/* What a compaction writes for the state (version-2 SNAPSHOT, FORMAT.md "Record version 2"): per entry its op,
 * per object its id, head and version (counted as 2 bytes: the class is stated once per run and not counted).
 * Inline: publish calls it twice per overwritten entry, and an exported function is not inlined (-fPIC). */
static inline uint64_t os_entry_state_bytes(uint32_t name_len, uint32_t len)
{
    return os_varint_len((uint64_t)name_len << 1) + name_len + os_varint_len(len) + len;
}
static inline uint64_t os_obj_state_bytes(uint32_t cl, uint32_t il) { (void)cl; return os_varint_len(il) + il + 1u + 2u; }
void os_scratch_free(os_scratch *sc);
int os_scratch_reserve(os_scratch *sc, size_t n);
int os_scratch_grow_ops(os_scratch *sc, size_t n);
/* room for n ops in sc->ops; the call out of line only to grow (os_batch_parse asks once per object) */
static inline int os_scratch_reserve_ops(os_scratch *sc, size_t n)
{
    return n <= sc->opcap ? OSTORE_OK : os_scratch_grow_ops(sc, n);
}

/* ---- ordered.c: key-order scans (ostore_list_ids_ordered; docs/DESIGN.md, "Scans in key order") ---- */
struct os_ord;
void os_ord_free(struct os_ord *d);
/* Inside a read section: adds up to max_new objects of c created since the last call to c's ordered index
 * (creating it); *left: objects still missing (0: up to date for this read section). */
int os_ord_sync(os_cls *c, uint32_t max_new, uint32_t *left, os_err *e);
/* os_ord_scan's visitor: OSTORE_OK to go on, OS_ORD_STOP to stop, another status to fail with it */
typedef int (*os_ord_visit)(void *arg, const os_obj *o);
#define OS_ORD_STOP 1000
#define OS_ORD_END 1001
/* Inside a read section, after os_ord_sync left 0: visits c's objects (tombstones included) with id >= start
 * (> with after) in byte order, at most max_examined. Returns OS_ORD_END when the class ran out, OS_ORD_STOP
 * when visit stopped, OSTORE_OK after max_examined, or visit's or its own failure. */
int os_ord_scan(os_cls *c, const uint8_t *start, size_t start_len, bool after, uint32_t max_examined,
                os_ord_visit visit, void *arg, os_err *e);

/* ---- batch.c ---- */
/* Parses and validates a BATCH/SNAPSHOT payload in the version-1 layout (the ostore_write_batch buffer);
 * fills sc->objs[0..*count) (with their class runs) and sc->ops (at = offsets from p), and sc->v2len: the
 * size of the batch re-encoded as a version-2 BATCH payload (os_rec2_encode). */
int os_batch_parse(const uint8_t *p, size_t len, uint64_t max_value, bool snapshot, os_scratch *sc,
                   uint32_t *count, os_err *e);
/* The same for a version-2 payload (FORMAT.md, "Record version 2"). */
int os_rec2_parse(const uint8_t *p, size_t len, bool snapshot, os_scratch *sc, uint32_t *count, os_err *e);
/* Version-2 BATCH payload of bo[0..n) as parsed by os_batch_parse (runs from bo->run, ops in ops), sc->v2len
 * bytes at dst; also sets bo->id_at and ops->at to offsets from dst, where the index will point. */
void os_rec2_encode(uint8_t *dst, os_bobj *bo, uint32_t n, os_bop *ops);

/* A record header of either version, decoded (FORMAT.md, "Record"). */
typedef struct os_rech {
    uint32_t version;  /* 1 or 2 */
    uint32_t hdr_len;  /* bytes before the payload */
    uint16_t type;
    uint64_t payload_len;
    uint64_t seq;
    uint64_t total;    /* hdr_len + payload_len, padded to 8 */
} os_rech;
/* Decodes the header of the record at r with `left` bytes up to the end of the file (or of its slot in the
 * record table) and checks that the record fits; NULL when it is fine, else why not. Does not check the CRC. */
const char *os_rec_head(const uint8_t *r, uint64_t left, os_rech *h);
/* the record's CRC (over the bytes its version covers) matches */
bool os_rec_crc_ok(const uint8_t *r, const os_rech *h);
/* FORMAT.md D4 for the bytes [at, next) of a segment mapped at base: NULL when they are record number seq whole
 * (header, length, CRC, sequence; h its header), else why not (in buf, of cap bytes, when the reason has numbers) */
const char *os_rec_verdict(const uint8_t *base, uint64_t at, uint64_t next, uint64_t seq, os_rech *h, char *buf,
                           size_t cap);
/* header length of a version-2 record (its payload goes at rec + this) */
static inline uint32_t os_rec2_hdr_len(uint64_t payload_len, uint64_t seq)
{
    return 8u + os_varint_len(payload_len) + os_varint_len(seq) + 1u;
}
/* writes header, zero padding and CRC of a version-2 record whose payload is already at rec + hdr_len */
void os_rec2_seal(uint8_t *rec, uint32_t hdr_len, uint64_t payload_len, uint64_t seq, uint16_t type);
/* Test hook: the record version written (2; 1 makes a store as older libraries wrote it). */
extern uint32_t os_rec_write_version;

/* ---- readers.c: the readers' lock (docs/DESIGN.md, "Reads without a shared lock") ----
 * Replaces pthread_rwlock for readers vs. publishing. A reader announces itself by incrementing one of
 * OS_RD_SLOTS counters, each on its own cache line (a thread keeps the slot it was given first), then checks
 * that no exclusive holder is active: no read-modify-write of a line shared by all readers, so two reader
 * threads never bounce a line between cores (pthread_rwlock's reader count did, on every read). An exclusive
 * holder (the writer publishing, compaction swapping, a record table moving) sets `excl`, then waits until
 * every slot that was ever used is zero: that drain is the grace period after which memory the exclusive
 * section retires (old slot tables, entry arrays back on the arena's free lists, unmapped segments, a
 * replaced index) can no longer be reached by any reader. Writer-preferring like the rwlock it replaces: a
 * reader that finds `excl` set backs out and waits, so readers cannot starve the writer.
 * Not recursive: a thread holding a read pin must not enter again (a waiting exclusive holder would wait
 * for the outer pin forever). Pins may end on another thread than the one that took them (the slot index is
 * the token): Java virtual threads can move between carriers across downcalls. */
#define OS_RD_SLOTS 64u
typedef struct os_readers {
    struct {
        _Atomic uint64_t n;
        char pad[56];
    } slot[OS_RD_SLOTS];
    _Atomic uint64_t used;   /* bit i: slot i was used at least once (bits are never cleared) */
    char pad1[56];
    _Atomic uint32_t excl;   /* 1 while an exclusive holder is draining readers or inside its section */
    char pad2[60];
    pthread_mutex_t xmu;     /* serializes exclusive holders (they also hold wmu today; this keeps it local) */
} os_readers;

int os_readers_init(os_readers *r);
void os_readers_destroy(os_readers *r);
/* this thread's slot + 1 (0: none yet). initial-exec TLS: one %fs-relative load instead of a call to
 * __tls_get_addr (the general-dynamic model of a shared library cost ~20 instructions per read); 4 bytes of
 * glibc's static TLS surplus, which exists for libraries loaded with dlopen/System.load like this one */
extern __thread uint32_t os_rd_slot1 __attribute__((tls_model("initial-exec")));
uint32_t os_rd_assign_slot(void);        /* slow path: assigns this thread a slot round-robin */
static inline uint32_t os_rd_my_slot(void)
{
    uint32_t m = os_rd_slot1;
    return m != 0 ? m - 1u : os_rd_assign_slot();
}
void os_rd_wait_excl(os_readers *r);     /* slow path of os_rd_enter: wait until no exclusive holder */
void os_excl_begin(os_readers *r);       /* exclusive section: no reader inside until os_excl_end */
void os_excl_end(os_readers *r);
/* Waits until every read section that was in progress at the call has ended (each used slot seen at zero
 * once); readers are not stopped: a grace period for memory an ordinary publish unlinked. Writer only. */
void os_rd_synchronize(os_readers *r);

/* Enters a read section; returns the token to pass to os_rd_exit. The seq_cst increment and the seq_cst
 * load of excl pair with os_excl_begin's seq_cst store of excl and loads of the slots (Dekker): either the
 * exclusive holder sees this reader's count, or this reader sees excl and backs out. */
/* enter a read section without waiting: false (nothing held) while an exclusive holder is draining or inside;
 * os_rd_enter waits and tries again */
static inline bool os_rd_try_enter(os_readers *r, uint32_t *token)
{
    uint32_t i = os_rd_my_slot();
    uint64_t bit = 1ull << i;
    /* acquire: whoever set the bit (possibly another thread sharing the slot) happens-before our increment,
     * so an exclusive holder that sees our increment also sees the bit and scans the slot */
    if ((atomic_load_explicit(&r->used, memory_order_acquire) & bit) == 0)
        atomic_fetch_or_explicit(&r->used, bit, memory_order_seq_cst);
    atomic_fetch_add_explicit(&r->slot[i].n, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&r->excl, memory_order_seq_cst) == 0) {
        *token = i;
        return true;
    }
    atomic_fetch_sub_explicit(&r->slot[i].n, 1, memory_order_release);
    return false;
}

static inline uint32_t os_rd_enter(os_readers *r)
{
    uint32_t token;
    while (!os_rd_try_enter(r, &token))
        os_rd_wait_excl(r);
    return token;
}

static inline void os_rd_exit(os_readers *r, uint32_t token)
{
    atomic_fetch_sub_explicit(&r->slot[token % OS_RD_SLOTS].n, 1, memory_order_release);
}

/* ---- store ---- */
struct ostore {
    char *dir;
    int lock_fd;
    bool ro;
    bool repair;
    size_t page;
    uint64_t segment_size;
    uint64_t max_value;
    uint64_t ckpt_interval;
    bool ckpt_interval_auto; /* checkpoint_interval_bytes 0: the interval follows the checkpoint's size (ckpt_due) */
    uint32_t compact_percent; /* automatic compaction once garbage is this percent of the compacted size (100: never) */
    uint64_t compact_retry_at; /* after a failed automatic compaction: not again before log_bytes reaches this */
    bool auto_compacted;       /* an automatic compaction started since open (the spacing rule applies; writer) */
    uint64_t bytes_since_compaction; /* batch bytes appended since the last automatic compaction started (writer) */

    pthread_mutex_t wmu;  /* writer: write_batch, sync, checkpoint, compact */
    os_readers rd;        /* readers vs. publishing (os_rd_enter / os_excl_begin; was a pthread_rwlock) */
    pthread_mutex_t emu;  /* last error */
    char err[OS_ERR_CAP];
    size_t err_len;

    os_index *idx; /* published index (swapped by compaction in an exclusive section of rd) */
    os_log log;
    uint64_t next_seg_id;
    uint64_t next_seq; /* sequence the next record gets */
    uint64_t bytes_since_ckpt;
    uint64_t ckpt_bytes;  /* size of the newest index.ckpt written or loaded (automatic checkpoint rule) */
    uint64_t ckpt_seq;    /* last_sequence of the newest checkpoint this handle wrote or loaded */
    bool ckpt_current;    /* index.ckpt describes exactly the current state */
    bool ckpt_in_use;     /* index.ckpt is the checkpoint this handle loaded or wrote (a read-only or repair open
                             may have rejected the one on disk and left it there); ostore_backup copies only it */
    /* Incremental checkpoints (FORMAT.md, "Delta file"), writer-owned: the base in use, the point the newest
     * delta (or the base) reached, and the objects changed since (a bit per object number, os_ckpt_mark). */
    uint32_t base_ver;      /* version of the base in use (deltas only on a version-4 base); 0: none */
    uint32_t base_crc;      /* its body CRC */
    uint64_t base_seq;      /* its last_sequence */
    uint64_t base_first_seg;
    uint64_t pt_seg, pt_len, pt_nrec; /* the point's log_segment, its length and record count */
    uint32_t pt_nobj;       /* objects in the index at the point: those numbered from it are new */
    uint64_t dlt_bytes;     /* length of the valid deltas in index.delta (where the next one is written) */
    bool need_full;         /* the changed-object set since the point was lost (a failed checkpoint) */
    uint32_t lost_gen;      /* counts the times it was lost (a full checkpoint clears need_full only when none
                               was lost after its snapshot) */
    uint64_t *dirty;        /* bit per object number: changed since the point; NULL = none yet */
    size_t dirty_words;
    /* a background checkpoint's pre-image slots, one per object number (checkpoint.c, snap_take): kept from one
     * checkpoint to the next, every slot NULL between them, grown with the index; os_big_alloc'd, ckpt_pre_cap
     * slots */
    _Atomic(uint8_t *) *ckpt_pre;
    size_t ckpt_pre_cap;
    os_scratch sc;

    _Atomic bool bg_turn; /* background compaction waits for wmu: the writer lets it in first (mutexes are not
                             fair, and a writer in a loop would otherwise starve it) */
    struct os_bgck *bg;   /* the background checkpoint in flight (writer-owned pointer; checkpoint.c), or NULL */

    /* Who holds the writer mutex how long (os_cmp_timing; tests and bench only, not in ostore_stats): what a
     * background compaction's steps cost the committers. ns from CLOCK_MONOTONIC; relaxed atomics. */
    _Atomic uint64_t cmp_hold_ns, cmp_hold_max_ns, cmp_holds; /* compaction: each hold of wmu */
    _Atomic uint64_t wr_wait_ns, wr_wait_max_ns, wr_waits;    /* ostore_write_batch: waits for wmu (or bg_turn) */
    _Atomic uint64_t cmp_retries;
    _Atomic uint64_t cmp_roll_ns, cmp_roll_max_ns, cmp_rolls; /* compaction: the rollover to C (inside a hold) */

    /* The spare segment (spare.c; FORMAT.md, "Segment file"): the next segment, created ahead by a thread of its
     * own so a rollover under the writer mutex only renames it. */
    os_pages pages;                /* the writer's next log pages, populated by a thread of their own (pages.c) */
    uint64_t huge_pwrites;         /* small records written with pwrite as they met 2 MiB folios (tests); writer only */
    uint64_t huge_copies;          /* large records copied into 2 MiB folios instead of pwritev'd (tests); writer only */
    bool spare_on;                 /* OSTORE_SPARE=0 in the environment at open turns spares off (A/B runs) */
    bool spare_thread_live;        /* spare_thread was started and not yet joined (writer mutex or close) */
    pthread_t spare_thread;
    uint64_t spare_id;             /* the id the thread creates (set before it starts) */
    void (*spare_hook)(int phase); /* os_ckpt_phase_hook when the thread started (tests change the global) */
    _Atomic bool spare_busy;       /* the thread runs */
    _Atomic(os_seg *) spare_ready; /* its spare once created, taken by the rollover */
    _Atomic uint64_t spare_adopted, spare_discarded; /* rollovers that renamed a spare / spares thrown away */

    /* The first-read check ahead of the reads (precheck.c): a thread started by a large open checks the loaded
     * objects' records as their first reads would; OSTORE_PRECHECK=0 in the environment turns it off (A/B runs). */
    bool pre_live;              /* pre_thread was started and not yet joined (close) */
    pthread_t pre_thread;
    uint32_t pre_objects;       /* the objects of the index at open, [0, pre_objects): what it goes through */
    _Atomic bool pre_stop;      /* close: stop at the next batch */
    _Atomic uint32_t pre_done;  /* objects gone through so far (tests) */
    _Atomic bool pre_finished;  /* it has ended, or never started (tests) */
    /* the log's written bytes at open, whose page-table entries the thread makes first (precheck.c) */
    struct os_pre_span { uint8_t *base; uint64_t len; } *pre_spans;
    size_t pre_nspans;
    _Atomic bool pre_populated; /* the thread has made them (tests) */
    /* records first (precheck.c): the covered segments' record tables as the open installed them (offsets, and the
     * covered end after the last), and the thread's verdicts on them while the open runs (1: whole) */
    struct os_pre_seg {
        os_seg *g;
        uint8_t *base;         /* g's mapping (the records' bytes), read without touching g (precheck.c, map_ahead) */
        uint64_t first_seq, nrec;
        uint64_t *off;         /* nrec + 1 */
        uint8_t *ok;           /* nrec verdicts */
        _Atomic uint64_t done; /* verdicts made before the open returned: ok[0, done) (release) */
    } *pre_segs;
    size_t pre_nsegs;
    const os_index *pre_ix0;      /* the index the open returned: a swapped one (a compaction) ends the objects pass */
    /* segments dropped from the log since open (a compaction's swap, a background compaction's drop), counted inside
     * the exclusive section that drops them: the records pass's copy of the tables names segments, and one that
     * sees the count move in a read section ends there (precheck.c) */
    _Atomic uint64_t log_drops;
    uint64_t pre_drops0;          /* log_drops when the records pass copied the tables */
    _Atomic bool pre_open_done;   /* the open has returned the store: verdicts go into the tables from now on */
    pthread_mutex_t pre_mu;       /* with pre_cv: the thread waits there for the open (or the stop); while pre_live */
    pthread_cond_t pre_cv;
    _Atomic uint64_t pre_records; /* covered records the thread found whole and marked (tests) */

    uint64_t repair_records, repair_bytes, repair_objects; /* what OSTORE_OPEN_REPAIR dropped at open */
    uint64_t torn_bytes; /* a torn tail cut at open: from the cut to the last non-zero byte of the file */
    _Atomic uint64_t st_batches, st_syncs, st_compactions, st_log_bytes, st_file_bytes, st_segments,
        st_last_seq;
};

/* precheck.c: begin (the open, once the checkpoint's record tables are installed: the records first, while the load
 * runs, in one part or in several), start (end of a successful open) and stop (close, a failed open, or a replay that
 * will rebuild the tables; before anything is freed) */
void os_precheck_begin(ostore *s);
/* Tests: records passes begun during an open (begin started the thread), since the process began. */
extern _Atomic uint32_t os_pre_begun_in_open;
extern uint64_t os_pre_rec_min; /* covered bytes from which begin starts the thread (1 MiB; tests lower it) */
extern uint64_t os_pre_rec_avg; /* and average bytes per covered record (16 KiB; tests lower it) */
void os_precheck_start(ostore *s);
void os_precheck_stop(ostore *s);
/* Tests: true holds the records pass once the open has returned, before it touches the tables (a compaction can then
 * drop the segments it names first). */
extern _Atomic bool os_pre_test_pause;
/* FORMAT.md D4 for the entries of o (read under sequence q) that are not checked yet: OSTORE_OK, an error with
 * e's message (a damaged record), or -1 when o changed meanwhile (read it again); inside a read section */
int os_entries_check_rd(const os_obj *o, uint32_t q, uint32_t n, os_entry *ents, os_err *e);

void os_store_error(ostore *s, const os_err *e);
void os_store_error_msg(ostore *s, const char *msg);

/* append a record of rec_len bytes: makes room (rollover/growth) and returns the segment */
int os_log_reserve(ostore *s, os_log *lg, uint64_t rec_len, os_seg **out, bool *files_changed, os_err *e);
void os_rec_seal(uint8_t *rec, uint64_t payload_len, uint64_t seq, uint16_t type);
/* writes a record (header + payload + zero pad) at seg->end with pwritev, leaving seg->end unchanged: hdr is
 * the header (hdr_len bytes, CRC included), payload follows */
int os_rec_pwrite(os_seg *g, const uint8_t *hdr, uint32_t hdr_len, const uint8_t *payload, uint64_t payload_len,
                  os_err *e);
void os_store_refresh_file_stats(ostore *s);

/* recovery.c */
int os_recover(ostore *s, os_err *e);
/* checkpoint.c */
/* Writes a checkpoint of ix/lg now, in the calling thread (writer mutex held, nothing mutates ix or lg);
 * the log it covers must already be durable. */
int os_ckpt_write(ostore *s, const os_index *ix, const os_log *lg, uint64_t last_seq, bool *renamed, os_err *e);
/* a checkpoint of the store now (writer mutex held, no background job): a delta when one may be written, else
 * full (FORMAT.md, "Checkpoint file", when checkpoints are written) */
int os_ckpt_write_now(ostore *s, bool full, os_err *e);
#define OS_DEFAULT_CKPT_INTERVAL (8 * OS_MIB) /* checkpoint_interval_bytes 0 */
/* Background checkpoints (FORMAT.md, "Checkpoint file"; docs/DESIGN.md). The writer, under the writer
 * mutex, takes a snapshot point (the log position and the object count: O(segments)) and a thread writes
 * the index as it was at that point while batches go on. Objects the writer changes before the thread has
 * written them are first encoded as they were (os_ckpt_bg_before_publish: a "pre-image", once per object
 * and checkpoint). The thread reads the index only in read sections of store->rd, a few hundred objects
 * at a time, and syncs the log up to the snapshot point itself. */
/* after a batch (writer): collects a finished background checkpoint, starts one when the automatic rule
 * says so (at most one in flight) */
void os_ckpt_bg_after_batch(ostore *s);
/* before publishing a batch whose objects bo[0..n) were looked up (writer; only when s->bg != NULL) */
void os_ckpt_bg_before_publish(ostore *s, const os_bobj *bo, uint32_t n);
/* marks the batch's objects changed since the checkpoint point (the next delta writes them) and, when a
 * background checkpoint is in flight, keeps their pre-images: called before every publish of a batch */
void os_ckpt_before_publish(ostore *s, const os_bobj *bo, uint32_t n);
/* only the marks (replay at open) */
void os_ckpt_mark(ostore *s, const os_bobj *bo, uint32_t n);
/* starts the misses on the lines os_ckpt_before_publish will read and write for the looked-up objects bo[0..n)
 * (their marks' words and, while a background checkpoint runs, their pre-image slots): for a small batch
 * (OS_SMALL_BATCH), right after its lookup */
void os_ckpt_prefetch(const ostore *s, const os_bobj *bo, uint32_t n);
/* waits for the background checkpoint in flight, if any, and collects it (writer): before anything that
 * writes index.ckpt itself, swaps the index or frees the store */
void os_ckpt_bg_wait(ostore *s);
/* the same, except that a compaction in flight is let finish (close: stopped, its records would only be garbage) */
void os_ckpt_bg_finish(ostore *s);
/* Test hook: called by the background checkpoint thread at each phase (OS_CKPT_PHASE_*); NULL in use. */
enum { OS_CKPT_PHASE_SYNCED = 1, OS_CKPT_PHASE_WRITING, OS_CKPT_PHASE_WRITTEN, OS_CKPT_PHASE_RENAMED,
       OS_CKPT_PHASE_DONE,
       OS_CMP_PHASE_STEP,     /* background compaction: its first SNAPSHOT record is written */
       OS_CMP_PHASE_DROPPED   /* background compaction: its checkpoint is durable, old segments deleted */ };
extern void (*os_ckpt_phase_hook)(int phase);
/* Spare segments (spare.c): phases for os_ckpt_phase_hook */
enum { OS_SPARE_PHASE_CREATED = 8, /* the spare thread created and synced seg-N.spare, not yet handed over */
       OS_SPARE_PHASE_ADOPTED = 9  /* a rollover renamed the spare to seg-N.log (writer, under the mutex) */ };
/* Under the writer mutex: start creating the spare for s->next_seg_id unless one is under way or ready. */
void os_spare_request(ostore *s);
/* Under the writer mutex, at a rollover: the ready spare for id with at least reserve, renamed to its segment
 * name, or NULL (none ready, or it did not fit: then it is thrown away). */
os_seg *os_spare_take(ostore *s, uint64_t id, uint64_t reserve);
/* At close (not holding the writer mutex): wait for the spare thread and delete any spare. */
void os_spare_stop(ostore *s);
/* At a writable open: delete spare files a crash left (FORMAT.md, "Directory"). */
void os_spare_remove_leftovers(const char *dir);
/* Test hook: called by ostore_write_batch right after it published a batch, before it leaves the publish
 * (inside the exclusive section when the publish takes one); NULL in use. */
extern void (*os_publish_hook)(void);
/* Test hook: the checkpoint version written (OS_CKPT_VERSION, or 2 to 4 to make a store as older libraries left it). */
extern uint32_t os_ckpt_write_version;
/* Test hook: a version-5 checkpoint's objects between splits (OS_CKPT_SPLIT_OBJECTS). */
extern uint32_t os_ckpt_split_objects;
/* Test hook: threads a checkpoint load uses (0: OSTORE_LOAD_THREADS, else the processors the process may run
 * on; at most OS_LOAD_PARTS_MAX). */
extern uint32_t os_load_threads;
/* Test hook: objects a part of a parallel load has at least (OS_LOAD_PART_MIN). */
extern uint32_t os_load_part_min;
/* Test hook / A-B switch: a checkpoint load makes lazy objects (internal.h, lazy entries); true unless
 * OSTORE_LAZY_ENTRIES=0 is in the environment */
extern bool os_lazy_entries;
/* Test hook: the parts the last checkpoint load of the process used (1: not in parallel). */
extern _Atomic uint32_t os_load_parts_used; /* atomic: stores opened at once all write it */
/* Test hook: when not 0, a merge is due once index.delta holds this many bytes (instead of the rule in FORMAT.md). */
extern uint64_t os_delta_merge_bytes;
/* Test hook: the least automatic interval (checkpoint_interval_bytes 0), OS_DEFAULT_CKPT_INTERVAL in use. */
extern uint64_t os_ckpt_auto_floor;
/* Test hook: called before the fsync of index.ckpt.tmp ("fsync_ckpt"), its rename ("rename_ckpt") and every
 * directory fsync ("fsync_dir"); a non-zero return is the errno that call then fails with. NULL in use. */
extern int (*os_io_fault_hook)(const char *call);
/* The authentic part of a checkpoint (FORMAT.md): header fields and the segment table. */
typedef struct os_ckpt_seg {
    uint64_t id, length, nrec, first_seq;
    const uint8_t *offsets; /* nrec little-endian u64 inside the checkpoint buffer, or NULL ... */
    uint64_t *xoff;         /* ... these (os_big_alloc, host order) once deltas added records to the segment */
    uint64_t xcap;
} os_ckpt_seg;
static inline uint64_t os_ckseg_off(const os_ckpt_seg *g, uint64_t i)
{
    return g->xoff != NULL ? g->xoff[i] : rd64(g->offsets + 8 * i);
}
typedef struct os_ckpt_delta { /* an authentic delta of index.delta */
    size_t objects_at, end; /* its objects: [objects_at, end) of the delta file */
    uint32_t count;         /* objects */
    uint32_t nsegs;         /* entries of the combined segment table its objects may name */
} os_ckpt_delta;
typedef struct os_ckpt_info {
    uint64_t first_seg, log_seg, log_off, last_seq, count; /* log_seg .. last_seq: the newest delta's once read */
    uint32_t version; /* 2 to 5: how the objects are encoded (5: as 4, with splits) */
    uint32_t nsegs;
    os_ckpt_seg *segs; /* malloc'd */
    size_t objects_at;  /* body offset where the objects start */
    size_t objects_end; /* and where they end (version 5: where the splits start; else the body's end) */
    uint32_t nsplits;   /* version 5: the splits (FORMAT.md), OS_CKPT_SPLIT bytes each, at splits (in the buffer) */
    const uint8_t *splits;
    uint64_t base_seq;  /* the base's own last_sequence, body CRC and segment count (deltas name the first two) */
    uint32_t base_crc, base_nsegs;
    uint32_t ndeltas;
    os_ckpt_delta *deltas; /* malloc'd */
    size_t delta_valid;    /* bytes of index.delta up to the end of its last authentic delta */
} os_ckpt_info;
void os_ckpt_info_free(os_ckpt_info *ci);
/* reads the authentic deltas of dbuf (index.delta) after the authentic base described by ci, extending its
 * segment table and position (FORMAT.md, "Delta file"); only OSTORE_NO_MEMORY fails */
int os_ckpt_read_deltas(const uint8_t *dbuf, size_t dlen, os_ckpt_info *ci, os_err *e);
/* applies the objects of ci's deltas (dbuf owned by ix) to the index loaded from the base; OSTORE_CORRUPT with
 * the reason when they do not parse */
int os_ckpt_load_deltas(ostore *s, const uint8_t *dbuf, const os_ckpt_info *ci, os_index *ix, os_err *e);
/* checks CRCs and parses header and segment table of buf; OSTORE_CORRUPT (not authentic) with the reason */
int os_ckpt_authenticate(const uint8_t *buf, size_t len, os_ckpt_info *ci, os_err *e);
/* loads the objects of an authentic checkpoint into the empty index ix (entries point into the segments of
 * the log found by id); OSTORE_CORRUPT with the reason when they do not parse */
int os_ckpt_load(ostore *s, const uint8_t *buf, size_t len, const os_ckpt_info *ci, os_index *ix, os_err *e);
/* A whole file read into memory; free it with os_unmap_file(*out, *maplen) (a copy of 2 MiB or more is in huge
 * pages, os_big_alloc's, and *maplen is then its mapped length; else 0, malloc's) */
int os_read_file(const char *path, uint8_t **out, size_t *len, size_t *maplen, os_err *e);
/* A whole file as read-only memory: a private mapping (*maplen = its length) when the file can be mapped, else
 * os_read_file's copy. Only for files that are replaced by rename, never changed in place (a mapping
 * sees later writes to the file): index.ckpt. Page-cache pages mapped cost no fresh memory; a copy costs a first
 * touch of every page, which dominated the open of a large store (perf/PROFILES.md, "Session 12"). */
int os_map_file(const char *path, uint8_t **out, size_t *len, size_t *maplen, os_err *e);
/* frees what os_map_file returned */
void os_unmap_file(uint8_t *buf, size_t maplen);
/* store.c helpers used by checkpoint/compaction */
int os_sync_log(ostore *s, os_log *lg, os_err *e);
int os_do_checkpoint(ostore *s, os_err *e);
int os_do_checkpoint_full(ostore *s, bool full, os_err *e);
/* The payload of the record a D4 check last passed. The values of an object's entries, and of objects written in one
 * batch, are mostly in one record, so a loop that checks many entries passes one memo to every check and finds and
 * decodes each record once, not once per entry. Records never change once written and a passed check stays passed,
 * so a memo is valid for as long as its segment is mapped (a read section, or the writer). Start one zeroed; pass
 * NULL for a single check. */
typedef struct os_rec_memo {
    const os_seg *seg;
    uint64_t pstart, pend; /* payload [pstart, pend) */
} os_rec_memo;
/* store.c: D4 for an entry a reader is about to copy (call only when en->checked is 0) */
int os_entry_check(os_entry *en, os_rec_memo *memo, os_err *e);
/* D4 for an entry as a reader saw it under o's sequence q: checks, then sets the entry's flag unless o changed
 * meanwhile (internal.h, "reading an object while the writer publishes") */
int os_eview_check(const os_obj *o, uint32_t q, os_eview *v, os_rec_memo *memo, os_err *e);
/* compact.c */
int os_do_compact(ostore *s, os_err *e);
/* Background compaction (FORMAT.md, "Compaction"), steps run by the background job thread (checkpoint.c):
 * restate objects [i, end) of the live index, about OS_BG_SNAPSHOT_TARGET bytes per SNAPSHOT record, in the
 * log after the writer's records and re-point them at it (*next: first object not done). os_compact_step does
 * all of it under the writer mutex (the caller holds it); os_compact_step_bg reads and encodes without it and
 * takes it (os_cmp_lock) only to check that the objects did not change, append and re-point; *stopped when
 * *stop was set (the records so far stay). *b: its buffers, kept across steps (os_cmp_build_free). ... */
struct os_cmp_build;
int os_compact_step(ostore *s, uint32_t i, uint32_t end, uint64_t target, uint32_t *next, os_err *e);
/* Test and bench switch (A/B): background compaction steps run wholly under the writer mutex, as before
 * session 9 (os_compact_step, 256 KiB records). false in use. */
extern bool os_cmp_under_mutex;
/* Test hook: called by os_compact_step_bg after it encoded objects [i, j) and before it takes the writer mutex
 * (a batch written from it makes the step find a changed object); NULL in use. */
extern void (*os_cmp_built_hook)(ostore *s, uint32_t i, uint32_t j);
int os_compact_step_bg(ostore *s, struct os_cmp_build **b, uint32_t i, uint32_t end, uint32_t *next,
                       _Atomic bool *stop, bool *stopped, os_err *e);
void os_cmp_build_free(struct os_cmp_build *b);
/* ... and, once a checkpoint whose first segment is c1 is durable, remove the segments below c1 from the log
 * (writer mutex held); *old receives them, for the caller to free (unmap, delete) after it lets the mutex go */
void os_compact_drop_below(ostore *s, uint64_t c1, os_log *old);
/* the background job takes the writer mutex ahead of the writer (bg_turn), its holds counted (os_cmp_timing) */
void os_cmp_lock(ostore *s, uint64_t *t0);
void os_cmp_unlock(ostore *s, uint64_t t0);

/* Writer-mutex accounting (tests and bench; native-src/README.md, "Compaction off the writer mutex"): how long
 * background compaction held the writer mutex (per hold: total, longest, count) and how long
 * ostore_write_batch waited for it (only waits are timed: a batch that gets the mutex at once reads no clock). */
typedef struct os_cmp_timing {
    uint64_t cmp_hold_ns, cmp_hold_max_ns, cmp_holds;
    uint64_t wr_wait_ns, wr_wait_max_ns, wr_waits;
    uint64_t cmp_retries; /* steps encoded again because an object changed while they were encoded */
    uint64_t cmp_roll_ns, cmp_roll_max_ns, cmp_rolls; /* of the holds, the rollovers to segment C */
} os_cmp_timing;
void os_cmp_timing_get(ostore *s, os_cmp_timing *t);
uint64_t os_mono_ns(void);
/* adds one interval to a (total, max, count) triple */
void os_timing_add(_Atomic uint64_t *total, _Atomic uint64_t *max, _Atomic uint64_t *count, uint64_t ns);
/* Adds n to a statistic that only the writer changes (under the writer mutex; readers load it whenever): a plain load
 * and store, not a locked add, which on x86 would wait for the record's stores still in flight at every write. */
static inline void os_writer_add(_Atomic uint64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}

#endif
