/* Index checkpoint file (FORMAT.md, "Checkpoint file"): writing and fully validated loading. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char CKPT_MAGIC[8] = {'O', 'S', 'T', 'O', 'R', 'C', 'K', 'P'};
static const char DELTA_MAGIC[8] = {'O', 'S', 'T', 'O', 'R', 'D', 'L', 'T'};
#define WBUF (1u << 20)
/* The smallest object of a version-3/4 body: four 1-byte varints, a 1-byte class and id. A count that needs more
 * bytes than the body has is refused before anything is allocated for it. */
#define MIN_OBJ_BYTES 6u

typedef struct ckw {
    int fd;
    uint8_t *buf;
    size_t n;
    uint32_t crc;
    uint64_t body;
    const char *path;
    os_err *e;
    int rc;
    uint64_t written, kicked; /* file bytes written by ckw_* / write-back started up to (see ckw_wrote) */
} ckw;

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Start write-back of what was written so far every OS_KICK bytes (no wait), so that the fsync at the
 * end mostly waits for I/O already in flight rather than writing the whole file then (os_seg_kick). */
static void ckw_wrote(ckw *w, size_t n)
{
    w->written += n;
    if (w->written - w->kicked >= OS_KICK) {
        (void)sync_file_range(w->fd, (off64_t)w->kicked, (off64_t)(w->written - w->kicked), SYNC_FILE_RANGE_WRITE);
        w->kicked = w->written;
    }
}

/* The CRC is computed over whole buffers at flush (one call per MiB instead of several per object). */
static void ckw_flush(ckw *w)
{
    if (w->rc != OSTORE_OK || w->n == 0)
        return;
    w->crc = os_crc32c_update(w->crc, w->buf, w->n);
    int err = write_all(w->fd, w->buf, w->n);
    if (err != 0)
        w->rc = os_fail_errno(w->e, err, "writing checkpoint", w->path);
    else
        ckw_wrote(w, w->n);
    w->n = 0;
}

static void ckw_put(ckw *w, const void *p, size_t len)
{
    if (w->rc != OSTORE_OK)
        return;
    w->body += len;
    if (len > WBUF - w->n)
        ckw_flush(w);
    if (len >= WBUF) {
        w->crc = os_crc32c_update(w->crc, p, len);
        int err = write_all(w->fd, p, len);
        if (err != 0 && w->rc == OSTORE_OK)
            w->rc = os_fail_errno(w->e, err, "writing checkpoint", w->path);
        else if (err == 0)
            ckw_wrote(w, len);
        return;
    }
    memcpy(w->buf + w->n, p, len);
    w->n += len;
}


/* ---- what a checkpoint covers: a snapshot point ---- */

typedef struct snap_seg {
    os_seg *g;
    uint64_t end, nrec, first_seq, synced;
} snap_seg;

/* The index and log as they were at one point. Foreground (bg false): nothing changes while it is written.
 * Background: the writer goes on; the thread reads objects below `nobj` under the read lock and uses an
 * object's pre-image when the writer changed it first. */
typedef struct snap {
    uint32_t ver; /* checkpoint version written: how objects are encoded (obj_bound / obj_encode) */
    const os_index *ix;
    uint32_t nobj;
    uint64_t last_seq;
    size_t nsegs;
    snap_seg *segs;
    bool bg;
    os_readers *rd;                /* bg: store->rd */
    _Atomic uint32_t cursor;       /* bg: objects below it are encoded (UINT32_MAX once all are) */
    _Atomic(uint8_t *) *pre;       /* bg: per object number, its encoding at the snapshot (u64 length first); the
                                      store's ckpt_pre, lent for the checkpoint */
    uint32_t *pre_set;             /* bg, writer-owned: the object numbers whose slot the writer set, cleared when
                                      the slots go back (snap_free) */
    size_t npre_set, pre_set_bytes; /* numbers in it; its capacity in bytes (grow_buf) */
    bool pre_set_lost;             /* bg: a number could not be kept (out of memory): snap_free clears every slot */
    _Atomic bool broken;           /* bg: the writer could not store a pre-image (out of memory) */
    uint8_t **pchunks;             /* bg, writer-owned: storage of the pre-images */
    size_t npchunks, cappchunks, pleft;
    uint8_t *pcur;
    /* a delta (FORMAT.md, "Delta file"): only objects numbered from base_nobj, or marked in dirty */
    bool delta;
    uint64_t *dirty; /* the writer's marks up to the snapshot (owned; NULL: none) */
    size_t dirty_words;
    uint32_t base_nobj;          /* objects at the previous point */
    uint64_t prev_seq;           /* the previous point's last_sequence */
    size_t k0;                   /* index (in segs) of the previous point's log_segment */
    uint64_t prev_nrec;          /* its record count then */
    uint64_t base_seq;           /* the base this delta applies to */
    uint32_t base_crc;
    uint64_t dlt_off;            /* where in index.delta it is written */
    uint32_t out_crc;            /* full: the body CRC written (the base identity deltas name) */
    uint32_t lost_gen;           /* the writer's lost_gen at the snapshot */
    bool renamed;                /* full: index.ckpt.tmp was renamed to index.ckpt (whatever failed after) */
    uint8_t *splits;             /* full, version 5: the splits (FORMAT.md) put_objects records, nsplits of them */
    uint32_t nsplits, splits_made;
} snap;

/* The background job in flight (at most one): an automatic checkpoint, or a compaction that ends with one. */
enum { BG_CHECKPOINT, BG_COMPACT };
struct os_bgck {
    pthread_t thread;
    ostore *s;
    int kind;
    snap sn;
    bool have_snap; /* sn is taken (a compaction takes it only after its last step) */
    _Atomic bool done;
    _Atomic bool stop; /* compaction: give up at the next step (someone waits for the job) */
    bool waiter;       /* writer-owned: os_ckpt_bg_wait is joining it (with the writer mutex released) */
    int rc;
    os_err err;
    uint64_t bytes; /* size of the checkpoint file written */
    uint64_t since; /* the writer's bytes_since_ckpt at the snapshot point, given back when this fails */
    uint64_t c1;    /* compaction: first segment of the compacted log */
    uint32_t cmp_nobj; /* compaction: objects to restate (those that existed when it started) */
};

void (*os_ckpt_phase_hook)(int phase);
uint32_t os_ckpt_write_version = OS_CKPT_VERSION;
uint32_t os_ckpt_split_objects = OS_CKPT_SPLIT_OBJECTS;
uint64_t os_delta_merge_bytes;
uint64_t os_ckpt_auto_floor = OS_DEFAULT_CKPT_INTERVAL;

static void phase(const snap *sn, int p)
{
    if (sn->bg && os_ckpt_phase_hook != NULL)
        os_ckpt_phase_hook(p);
}

/* The changed-object set is incomplete: the next checkpoint must be full, and only a full one whose snapshot
 * was taken after this may clear it (snap_done). */
static void lose_marks(ostore *s)
{
    s->need_full = true;
    s->lost_gen++;
}

/* the objects changed since the previous point are marked here, by object number (FORMAT.md, "Delta file") */
void os_ckpt_mark(ostore *s, const os_bobj *bo, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const os_obj *o = bo[i].o;
        if (o == NULL)
            continue;
        size_t w = o->num >> 6;
        if (w >= s->dirty_words) {
            /* (marks are kept even while need_full: a full checkpoint in flight covers only what came before
             * its snapshot, and the delta after it needs the marks since) */
            size_t nw = s->dirty_words ? s->dirty_words * 2 : 1024;
            while (nw <= w)
                nw *= 2;
            uint64_t *d = realloc(s->dirty, nw * sizeof *d);
            if (d == NULL) {
                lose_marks(s); /* a full checkpoint needs no marks */
                return;
            }
            memset(d + s->dirty_words, 0, (nw - s->dirty_words) * sizeof *d);
            s->dirty = d;
            s->dirty_words = nw;
        }
        s->dirty[w] |= (uint64_t)1 << (o->num & 63);
    }
}

/* Whether the next checkpoint can be a delta (FORMAT.md, "Checkpoint file", when checkpoints are written):
 * a version-4 base in use, the changed-object set complete, the log still starting at the base's first
 * segment and holding the point's segment, and the deltas not yet worth a merge. */
static bool delta_ok(const ostore *s, size_t *k0)
{
    if (!s->ckpt_in_use || s->base_ver != OS_CKPT_VERSION || s->need_full || os_ckpt_write_version != OS_CKPT_VERSION ||
        s->log.n == 0 || s->log.segs[0]->id != s->base_first_seg)
        return false;
    uint64_t iv = s->ckpt_interval >= UINT64_MAX / 4 ? 8 * OS_MIB : s->ckpt_interval;
    uint64_t limit = s->ckpt_bytes / 2 > 4 * iv ? s->ckpt_bytes / 2 : 4 * iv;
    if (os_delta_merge_bytes != 0)
        limit = os_delta_merge_bytes;
    if (s->dlt_bytes >= limit)
        return false; /* merge: open would load too many deltas */
    for (size_t k = s->log.n; k > 0; k--)
        if (s->log.segs[k - 1]->id == s->pt_seg) {
            *k0 = k - 1;
            return s->log.segs[k - 1]->nrec >= s->pt_nrec;
        }
    return false;
}

/* The pre-image slots of a background checkpoint of nobj objects: the store's, all NULL, grown when the index
 * has outgrown them; NULL when out of memory. They are kept from one checkpoint to the next because a fresh
 * zeroed array was faulted in by the writer itself, a page at a time as its writes reached random object numbers
 * (two faults a page: the zero page read, then the copy written), and on this project's VMs a fault costs
 * microseconds: 3 951 of the writer's faults in 600 000 one-entry overwrites of 1 M objects under default options
 * (native-src/README.md, "Pre-image slots kept between checkpoints"). */
static _Atomic(uint8_t *) *pre_slots(ostore *s, uint32_t nobj)
{
    size_t need = nobj ? nobj : 1;
    if (s->ckpt_pre_cap < need) {
        size_t cap = need + need / 4; /* room for the index to grow a while */
        void *p = os_big_alloc(cap * sizeof *s->ckpt_pre); /* zeroed: every slot NULL */
        if (p == NULL)
            return NULL;
        os_big_free((void *)s->ckpt_pre, s->ckpt_pre_cap * sizeof *s->ckpt_pre);
        s->ckpt_pre = p;
        s->ckpt_pre_cap = cap;
    }
    return s->ckpt_pre;
}

/* Whether enough log was written since the last checkpoint for an automatic one: checkpoint_interval_bytes, or
 * with 0 (the default) the larger of 8 MiB and the size of the newest full checkpoint. A delta's work follows the
 * objects written since the last point, but each checkpoint also costs the writer something of its own while the
 * thread runs (not its log sync: skipping that gained nothing): on a store of 1 M objects, one-entry overwrites in
 * rounds alternating the interval in one process took ~0.80x the time with no automatic checkpoint and ~0.885x with
 * 24 MiB that they took with 8 MiB (native-src/README.md, "Checkpoints spaced by the checkpoint's size"). Spaced by the
 * checkpoint's size, that share of a write no longer grows with the index, and a crash replays at most about as many
 * log bytes as the checkpoint the open loads holds (the merge rule, delta_ok, keeps its 8 MiB-based floor). */
static bool ckpt_due(const ostore *s)
{
    if (s->ckpt_interval == UINT64_MAX)
        return false;
    uint64_t iv = s->ckpt_interval;
    if (s->ckpt_interval_auto)
        iv = s->ckpt_bytes > os_ckpt_auto_floor ? s->ckpt_bytes : os_ckpt_auto_floor;
    return s->bytes_since_ckpt >= iv;
}

static int snap_take(snap *sn, ostore *s, const os_index *ix, const os_log *lg, uint64_t last_seq, bool bg,
                     bool allow_delta, os_err *e)
{
    if (lg->n == 0)
        return os_fail(e, OSTORE_IO, "internal: checkpoint of an empty log");
    memset(sn, 0, sizeof *sn);
    size_t k0 = 0;
    if (allow_delta && ix == s->idx && lg == &s->log && delta_ok(s, &k0)) {
        sn->delta = true;
        sn->k0 = k0;
        sn->prev_nrec = s->pt_nrec;
        sn->prev_seq = s->ckpt_seq;
        sn->base_nobj = s->pt_nobj;
        sn->base_seq = s->base_seq;
        sn->base_crc = s->base_crc;
        sn->dlt_off = s->dlt_bytes;
    }
    sn->lost_gen = s->lost_gen;
    /* the marks so far belong to this checkpoint (a full one needs none); the writer starts a new set */
    sn->dirty = s->dirty;
    sn->dirty_words = s->dirty_words;
    s->dirty = NULL;
    s->dirty_words = 0;
    sn->ver = os_ckpt_write_version >= 2 && os_ckpt_write_version < OS_CKPT_VERSION ? os_ckpt_write_version
                                                                                     : OS_CKPT_VERSION;
    sn->ix = ix;
    sn->nobj = ix->nobj;
    sn->last_seq = last_seq;
    sn->bg = bg;
    sn->nsegs = lg->n;
    sn->segs = malloc((lg->n ? lg->n : 1) * sizeof *sn->segs);
    if (bg)
        sn->pre = pre_slots(s, sn->nobj);
    if (sn->segs == NULL || (bg && sn->pre == NULL)) {
        free(sn->segs);
        free(sn->dirty);
        lose_marks(s); /* the marks are gone */
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory starting a checkpoint");
    }
    for (size_t k = 0; k < lg->n; k++) {
        os_seg *g = lg->segs[k];
        sn->segs[k] = (snap_seg){g, g->end, g->nrec, g->nrec ? g->first_seq : 0, g->synced};
    }
    return OSTORE_OK;
}

static void snap_free(snap *sn)
{
    for (size_t i = 0; i < sn->npchunks; i++)
        free(sn->pchunks[i]);
    free(sn->pchunks);
    if (sn->pre != NULL) { /* the store's slots, back to all NULL for the next checkpoint (its thread has ended) */
        if (sn->pre_set_lost)
            memset((void *)sn->pre, 0, (size_t)sn->nobj * sizeof *sn->pre);
        else
            for (size_t i = 0; i < sn->npre_set; i++)
                atomic_store_explicit(&sn->pre[sn->pre_set[i]], NULL, memory_order_relaxed);
    }
    free(sn->pre_set);
    free(sn->segs);
    free(sn->dirty);
    free(sn->splits);
}

/* a delta writes object k when it is new since the previous point or marked changed */
static inline bool snap_has(const snap *sn, uint32_t k)
{
    if (!sn->delta || k >= sn->base_nobj)
        return true;
    size_t w = k >> 6;
    return w < sn->dirty_words && ((sn->dirty[w] >> (k & 63)) & 1u) != 0;
}

/* the first object number ≥ k that the checkpoint writes (nobj when none) */
static uint32_t snap_next(const snap *sn, uint64_t k)
{
    if (!sn->delta)
        return k < sn->nobj ? (uint32_t)k : sn->nobj;
    while (k < sn->base_nobj && k < sn->nobj) {
        size_t w = (size_t)(k >> 6);
        if (w >= sn->dirty_words) {
            k = sn->base_nobj;
            break;
        }
        uint64_t bits = sn->dirty[w] >> (k & 63);
        if (bits != 0) {
            k += (uint64_t)__builtin_ctzll(bits);
            break;
        }
        k = ((uint64_t)w + 1) << 6;
    }
    return k < sn->nobj ? (uint32_t)k : sn->nobj;
}

/* ---- the checkpoint encoding of one object (FORMAT.md, "Checkpoint file") ---- */

/* zigzag: small differences of either sign in few bytes */
static uint64_t zigzag(uint64_t d) { return (d << 1) ^ (uint64_t)-(int64_t)(d >> 63); }

/* The position of an entry's segment in the snapshot's segment table (ids increase). Every entry of an
 * object below the snapshot point is in it; if not, nsegs is written and the loader rejects the file (a
 * full replay), as version 2 did with an unknown segment id. */
static uint64_t seg_index(const snap *sn, const os_seg *g)
{
    if (sn->segs[sn->nsegs - 1].g == g) /* the newest segment: most entries of a recent write */
        return sn->nsegs - 1;
    size_t lo = 0, hi = sn->nsegs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sn->segs[mid].g->id < g->id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sn->nsegs && sn->segs[lo].g == g ? lo : sn->nsegs;
}

static size_t obj_size_v2(const os_obj *o)
{
    size_t n = OS_CKPT_OBJ + pad8((uint64_t)o->class_len + o->id_len);
    for (uint32_t j = 0; j < o->n; j++)
        n += OS_CKPT_ENT + pad8(o->ents[j].name_len);
    return n;
}

static uint8_t *obj_encode_v2(uint8_t *p, const os_obj *o)
{
    wr16(p, o->class_len);
    wr16(p + 2, o->id_len);
    wr32(p + 4, o->n);
    wr64(p + 8, o->version);
    wr32(p + 16, o->tomb ? 1u : 0u);
    wr32(p + 20, 0);
    p += OS_CKPT_OBJ;
    size_t kl = (size_t)o->class_len + o->id_len;
    memcpy(p, o->cls->name, o->class_len); /* the class, then the id (o->key) */
    memcpy(p + o->class_len, o->key, o->id_len);
    memset(p + kl, 0, pad8(kl) - kl);
    p += pad8(kl);
    for (uint32_t j = 0; j < o->n; j++) {
        const os_entry *en = &o->ents[j];
        wr64(p, en->seg->id);
        wr64(p + 8, en->off);
        wr32(p + 16, en->len);
        wr16(p + 20, en->name_len);
        wr16(p + 22, 0);
        p += OS_CKPT_ENT;
        memcpy(p, os_entry_name(en), en->name_len);
        memset(p + en->name_len, 0, pad8(en->name_len) - en->name_len);
        p += pad8(en->name_len);
    }
    return p;
}

/* at least the size of obj_encode's output (buffers are sized with it; the varints take at most 2 bytes for a
 * length ≤ 1024, 5 for a value length, 10 otherwise); version 4: without the class_ref the caller writes */
static size_t obj_bound(const snap *sn, const os_obj *o)
{
    if (sn->ver == 2)
        return obj_size_v2(o);
    size_t n = 2 + 2 + 10 + 10 + (size_t)o->class_len + o->id_len;
    for (uint32_t j = 0; j < o->n; j++)
        n += 2 + (size_t)o->ents[j].name_len + 10 + 10 + 5;
    return n;
}

/* version 4: everything after the class_ref (FORMAT.md, "Checkpoint file"); versions 2 and 3: the object */
static uint8_t *obj_encode(const snap *sn, uint8_t *p, const os_obj *o)
{
    if (sn->ver == 2)
        return obj_encode_v2(p, o);
    if (sn->ver == 3) {
        p = os_put_varint(p, o->class_len);
        p = os_put_varint(p, o->id_len);
        p = os_put_varint(p, o->version);
        p = os_put_varint(p, ((uint64_t)o->n << 1) | (o->tomb ? 1u : 0u));
        memcpy(p, o->cls->name, o->class_len); /* the class, then the id (o->key) */
        p += o->class_len;
    } else {
        p = os_put_varint(p, o->id_len);
        p = os_put_varint(p, o->version);
        p = os_put_varint(p, ((uint64_t)o->n << 1) | (o->tomb ? 1u : 0u));
    }
    memcpy(p, o->key, o->id_len);
    p += o->id_len;
    uint64_t prev = 0;
    for (uint32_t j = 0; j < o->n; j++) {
        const os_entry *en = &o->ents[j];
        p = os_put_varint(p, en->name_len);
        memcpy(p, os_entry_name(en), en->name_len);
        p += en->name_len;
        p = os_put_varint(p, seg_index(sn, en->seg));
        p = os_put_varint(p, zigzag(en->off - prev));
        p = os_put_varint(p, en->len);
        prev = en->off + en->len;
    }
    return p;
}

/* ---- writing the file ---- */

/* Writer: o itself, or (lazy entries) a copy of it in *c whose entries are decoded into buf (OS_LAZY_MAX) */
static const os_obj *obj_view(const os_obj *o, os_obj *c, os_entry *buf)
{
    if (!os_ents_lazy(o->ents))
        return o;
    *c = *o;
    c->ents = (os_entry *)os_obj_ents(o, buf);
    return c;
}

/* Background thread, inside a read section: object number k as it was at the snapshot — its pre-image (*pre,
 * stored by the writer before it first changed k after the snapshot), or else a copy of its state into *c
 * (entries into *ents) read under the object's sequence, like a reader (internal.h, "reading an object while
 * the writer publishes"): the writer does not exclude this thread. Why the copy is the snapshot's state: a
 * publish of k after the snapshot and before the cursor passed k stored the pre-image (release) before its
 * first store to k; a copy whose sequence check passed read no store of any publish after the sequence value
 * it started from, and a publish that completed before that value was read had already stored the pre-image,
 * which the acquire of the sequence makes visible here. */
static int obj_copy_rd(const snap *sn, uint32_t k, const os_obj *o, os_obj *c, os_entry **ents, uint32_t *cap,
                       const uint8_t **pre)
{
    for (;;) {
        uint32_t q = os_obj_seq_begin(o);
        *pre = atomic_load_explicit(&sn->pre[k], memory_order_acquire);
        if (*pre != NULL)
            return OSTORE_OK;
        uint64_t ver = OS_LD(o->version);
        uint8_t tomb = OS_LD(o->tomb);
        uint32_t n = OS_LD(o->n); /* n before ents: see os_obj_find_entry_rd */
        os_entry lbuf[OS_LAZY_MAX];
        const os_entry *src = os_obj_ents_rd(o, n, OS_LD(o->ents), lbuf);
        if (n > *cap) {
            if (!os_obj_seq_ok(o, q))
                continue; /* n may belong to no state: do not size memory by it */
            os_entry *a = realloc(*ents, (size_t)n * sizeof *a);
            if (a == NULL)
                return OSTORE_NO_MEMORY;
            *ents = a;
            *cap = n;
        }
        for (uint32_t j = 0; j < n; j++) {
            os_entry *d = &(*ents)[j];
            d->name.word = OS_LD(src[j].name.word);
            d->seg = OS_LD(src[j].seg);
            d->off = OS_LD(src[j].off);
            d->len = OS_LD(src[j].len);
            d->name_len = OS_LD(src[j].name_len);
        }
        if (!os_obj_seq_ok(o, q))
            continue;
        /* class, id and key do not change while a checkpoint is written (only a compaction step moves a key,
         * and compaction and this checkpoint are the same background job, one after the other) */
        c->class_len = o->class_len;
        c->id_len = o->id_len;
        c->cls = o->cls;
        c->key = o->key;
        c->version = ver;
        c->tomb = tomb;
        c->n = n;
        c->ents = *ents;
        return OSTORE_OK;
    }
}

#define WALK_OBJS 256u     /* objects encoded per hold of the read lock (background) */
#define WALK_OFFS 16384u   /* record offsets copied per hold of the read lock (background) */

static bool grow_buf(uint8_t **b, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : 64 * 1024;
    while (nc < need)
        nc *= 2;
    uint8_t *nb = realloc(*b, nc);
    if (nb == NULL)
        return false;
    *b = nb;
    *cap = nc;
    return true;
}

/* the background thread's own log sync up to the snapshot point (the writer's os_seg_sync bookkeeping is
 * the writer's; it learns of this sync when it collects the checkpoint) */
static int snap_sync_log(ostore *s, const snap *sn, os_err *e)
{
    for (size_t k = sn->nsegs; k > 0; k--) {
        const snap_seg *q = &sn->segs[k - 1];
        os_seg *g = q->g;
        if (!g->writable || g->base == NULL || q->synced >= q->end)
            continue;
        int rc = os_seg_sync_range(g, q->synced, q->end, s->page, e);
        if (rc != OSTORE_OK)
            return rc;
    }
    return OSTORE_OK;
}

/* the segment table of a full checkpoint (every segment, all record offsets), or of a delta (from the previous
 * point's log_segment on, the offsets it did not have) */
static void put_seg_table(ckw *w, const snap *sn, uint8_t **wb, size_t *wcap, os_err *e)
{
    size_t k0 = sn->delta ? sn->k0 : 0;
    for (size_t k = k0; k < sn->nsegs; k++) {
        const snap_seg *q = &sn->segs[k];
        uint8_t sh[OS_CKPT_SEG];
        wr64(sh, q->g->id);
        wr64(sh + 8, q->end);
        wr64(sh + 16, q->nrec);
        wr64(sh + 24, q->first_seq);
        ckw_put(w, sh, sizeof sh);
    }
    /* record offsets below the snapshot point never change, but the writer may move a record table to grow
     * it (under the exclusive lock): the background thread copies them under the read lock */
    for (size_t k = k0; k < sn->nsegs && w->rc == OSTORE_OK; k++) {
        const snap_seg *q = &sn->segs[k];
        for (uint64_t i = sn->delta && k == k0 ? sn->prev_nrec : 0; i < q->nrec && w->rc == OSTORE_OK;) {
            uint64_t m = q->nrec - i < WALK_OFFS ? q->nrec - i : WALK_OFFS;
            if (!grow_buf(wb, wcap, m * 8)) {
                w->rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory writing a checkpoint");
                break;
            }
            uint32_t rdt = 0;
            if (sn->bg)
                rdt = os_rd_enter(sn->rd);
            for (uint64_t j = 0; j < m; j++)
                wr64(*wb + 8 * j, q->g->rec_off[i + j]);
            if (sn->bg)
                os_rd_exit(sn->rd, rdt);
            ckw_put(w, *wb, m * 8);
            i += m;
        }
    }
}

/* The objects the checkpoint writes, in object-number order; returns how many. Version 4 states an object's
 * class only when it differs from the previous one's (class_ref). */
static uint32_t put_objects(ckw *w, snap *sn, uint8_t **wb, size_t *wcap, os_err *e)
{
    enum { AHEAD = 8 }; /* keys and entry names are in the log: start those misses some objects ahead */
    const os_index *ix = sn->ix;
    os_entry *cents = NULL; /* bg: entries of the object being copied (obj_copy_rd) */
    uint32_t centcap = 0, count = 0;
    const os_cls *prev_cls = NULL;
    bool first_group = true;
    uint32_t rdt = 0;
    for (uint32_t k = snap_next(sn, 0); k < sn->nobj && w->rc == OSTORE_OK;) {
        if (sn->bg) {
            if (atomic_load_explicit(&sn->broken, memory_order_acquire)) {
                w->rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory keeping objects for a background checkpoint");
                break;
            }
            rdt = os_rd_enter(sn->rd);
        }
        size_t used = 0;
        for (uint32_t m = 0; m < WALK_OBJS && k < sn->nobj; m++, k = snap_next(sn, (uint64_t)k + 1)) {
            if (!sn->delta && k + AHEAD < sn->nobj) {
                const os_obj *a = os_obj_at(ix, k + AHEAD);
                __builtin_prefetch(a->key);
                const os_entry *ae = OS_LD(a->ents); /* the writer may be publishing a (bg) */
                if (os_ents_lazy(ae))
                    __builtin_prefetch(os_ents_bytes(ae));
                else if (OS_LD(a->n) > 0 && OS_LD(ae[0].name_len) > OS_INLINE_NAME)
                    __builtin_prefetch(OS_LD(ae[0].name.ptr));
            }
            const os_obj *o = os_obj_at(ix, k);
            const os_cls *cls = o->cls; /* an object's class never changes */
            const uint8_t *pre = NULL;
            os_obj c;
            os_entry lbuf[OS_LAZY_MAX];
            if (sn->bg) { /* the object as it was at the snapshot: its pre-image, or itself read under its sequence */
                int rc = obj_copy_rd(sn, k, o, &c, &cents, &centcap, &pre);
                if (rc != OSTORE_OK) {
                    w->rc = os_fail(e, rc, "out of memory writing a checkpoint");
                    break;
                }
                o = &c;
            } else {
                o = obj_view(o, &c, lbuf);
            }
            size_t need = (pre != NULL ? (size_t)rd64(pre) : obj_bound(sn, o)) + 2 + cls->len;
            if (!grow_buf(wb, wcap, used + need)) {
                w->rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory writing a checkpoint");
                break;
            }
            uint8_t *p = *wb + used;
            if (sn->splits != NULL && count > 0 && count % os_ckpt_split_objects == 0 &&
                sn->splits_made < sn->nsplits) {
                /* a split: a part of a parallel load starts here, so the object names its class */
                wr64(sn->splits + OS_CKPT_SPLIT * sn->splits_made, count);
                wr64(sn->splits + OS_CKPT_SPLIT * sn->splits_made + 8, w->body + used);
                sn->splits_made++;
                prev_cls = NULL;
            }
            if (sn->ver >= 4) {
                if (cls == prev_cls) {
                    *p++ = 0;
                } else {
                    p = os_put_varint(p, cls->len);
                    memcpy(p, cls->name, cls->len);
                    p += cls->len;
                    prev_cls = cls;
                }
            }
            if (pre != NULL) {
                memcpy(p, pre + 8, (size_t)rd64(pre));
                p += rd64(pre);
            } else {
                p = obj_encode(sn, p, o);
            }
            used = (size_t)(p - *wb);
            count++;
        }
        if (sn->bg) {
            if (w->rc == OSTORE_OK)
                atomic_store_explicit(&sn->cursor, k, memory_order_release);
            os_rd_exit(sn->rd, rdt);
        }
        if (w->rc != OSTORE_OK)
            break;
        ckw_put(w, *wb, used);
        if (first_group)
            phase(sn, OS_CKPT_PHASE_WRITING);
        first_group = false;
    }
    free(cents);
    if (sn->bg) /* nothing more to keep for this checkpoint */
        atomic_store_explicit(&sn->cursor, UINT32_MAX, memory_order_release);
    return count;
}

/* A delta appended to index.delta at sn->dlt_off (FORMAT.md, "Delta file"): the file is cut there first (a
 * failed append may have left bytes), the body written after the header's place, then the header, then
 * fdatasync (and the directory's fsync when the file may be new). */
static int delta_write(ostore *s, snap *sn, const char *path, uint8_t *buf, uint64_t *bytes_out, os_err *e)
{
    uint8_t *wb = NULL;
    size_t wcap = 0;
    ckw w = {.fd = -1, .buf = buf, .crc = os_crc32c_begin(), .path = path, .e = e, .rc = OSTORE_OK};
    w.fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (w.fd < 0)
        return os_fail_errno(e, errno, "opening", path);
    if (ftruncate(w.fd, (off_t)sn->dlt_off) != 0 || lseek(w.fd, (off_t)(sn->dlt_off + OS_DELTA_HDR), SEEK_SET) < 0) {
        w.rc = os_fail_errno(e, errno, "preparing", path);
        goto out;
    }
    put_seg_table(&w, sn, &wb, &wcap, e);
    uint32_t count = w.rc == OSTORE_OK ? put_objects(&w, sn, &wb, &wcap, e) : 0;
    if (sn->bg)
        atomic_store_explicit(&sn->cursor, UINT32_MAX, memory_order_release);
    ckw_flush(&w);
    if (w.rc != OSTORE_OK)
        goto out;
    uint8_t h[OS_DELTA_HDR];
    memcpy(h, DELTA_MAGIC, 8);
    wr32(h + 8, OS_DELTA_VERSION);
    wr32(h + 12, (uint32_t)(sn->nsegs - sn->k0));
    wr64(h + 16, sn->base_seq);
    wr32(h + 24, sn->base_crc);
    wr32(h + 28, count);
    wr64(h + 32, sn->prev_seq);
    wr64(h + 40, sn->last_seq);
    wr64(h + 48, w.body);
    wr32(h + 56, os_crc32c_end(w.crc));
    wr32(h + 60, os_crc32c(h, 60));
    for (size_t done = 0; done < sizeof h;) {
        ssize_t r = pwrite(w.fd, h + done, sizeof h - done, (off_t)(sn->dlt_off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            w.rc = os_fail_errno(e, r < 0 ? errno : EIO, "writing", path);
            goto out;
        }
        done += (size_t)r;
    }
    phase(sn, OS_CKPT_PHASE_WRITTEN);
    if (fdatasync(w.fd) != 0) {
        w.rc = os_fail_errno(e, errno, "fdatasync of", path);
        goto out;
    }
    if (sn->dlt_off == 0) /* the file may be new: its name must be durable too */
        w.rc = os_fsync_dir(s->dir, e);
    if (w.rc == OSTORE_OK) {
        *bytes_out = OS_DELTA_HDR + w.body;
        phase(sn, OS_CKPT_PHASE_RENAMED);
    }
out:
    close(w.fd);
    free(wb);
    return w.rc;
}

static int snap_write(ostore *s, snap *sn, uint64_t *bytes_out, os_err *e)
{
    if (sn->nsegs == 0)
        return os_fail(e, OSTORE_IO, "internal: checkpoint of an empty log");
    if (sn->bg) {
        int rc = snap_sync_log(s, sn, e);
        if (rc != OSTORE_OK)
            return rc;
    }
    phase(sn, OS_CKPT_PHASE_SYNCED);
    size_t dl = strlen(s->dir);
    char *tmp = malloc(dl + 32), *fin = malloc(dl + 32), *dpath = malloc(dl + 32);
    uint8_t *buf = malloc(WBUF), *wb = NULL;
    size_t wcap = 0;
    if (tmp == NULL || fin == NULL || buf == NULL || dpath == NULL) {
        free(tmp);
        free(fin);
        free(dpath);
        free(buf);
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory writing a checkpoint");
    }
    snprintf(tmp, dl + 32, "%s/index.ckpt.tmp", s->dir);
    snprintf(fin, dl + 32, "%s/index.ckpt", s->dir);
    snprintf(dpath, dl + 32, "%s/index.delta", s->dir);
    ckw w = {.fd = -1, .buf = buf, .crc = os_crc32c_begin(), .path = tmp, .e = e, .rc = OSTORE_OK};
    if (sn->delta) {
        w.rc = delta_write(s, sn, dpath, buf, bytes_out, e);
        goto out;
    }
    w.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w.fd < 0) {
        w.rc = os_fail_errno(e, errno, "creating checkpoint", tmp);
        goto out;
    }
    const snap_seg *last = &sn->segs[sn->nsegs - 1];
    sn->nsplits = sn->ver >= 5 && sn->nobj > 0 ? (sn->nobj - 1) / os_ckpt_split_objects : 0;
    if (sn->nsplits > 0 && (sn->splits = malloc((size_t)sn->nsplits * OS_CKPT_SPLIT)) == NULL) {
        w.rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory writing a checkpoint");
        goto out;
    }
    uint8_t h[OS_CKPT_HDR];
    memset(h, 0, sizeof h);
    memcpy(h, CKPT_MAGIC, 8);
    wr32(h + 8, sn->ver);
    wr32(h + 12, (uint32_t)sn->nsegs);
    wr64(h + 16, sn->segs[0].g->id);
    wr64(h + 24, last->g->id);
    wr64(h + 32, last->end);
    wr64(h + 40, sn->last_seq);
    wr64(h + 48, sn->nobj);
    wr32(h + 56, sn->nsplits);
    wr32(h + 60, os_crc32c(h, 60));
    int err = write_all(w.fd, h, sizeof h);
    if (err != 0) {
        w.rc = os_fail_errno(e, err, "writing checkpoint", tmp);
        goto out;
    }
    /* the durable point: every segment's length and record table (FORMAT.md, "Integrity") */
    put_seg_table(&w, sn, &wb, &wcap, e);
    if (w.rc == OSTORE_OK)
        (void)put_objects(&w, sn, &wb, &wcap, e);
    if (sn->bg)
        atomic_store_explicit(&sn->cursor, UINT32_MAX, memory_order_release);
    if (w.rc == OSTORE_OK && sn->splits_made != sn->nsplits)
        w.rc = os_fail(e, OSTORE_IO, "internal: checkpoint of %u objects made %u splits, not %u", sn->nobj,
                       sn->splits_made, sn->nsplits);
    if (sn->nsplits > 0)
        ckw_put(&w, sn->splits, (size_t)sn->nsplits * OS_CKPT_SPLIT);
    ckw_flush(&w);
    if (w.rc != OSTORE_OK)
        goto out;
    uint8_t t[OS_CKPT_TRAILER];
    sn->out_crc = os_crc32c_end(w.crc);
    wr64(t, w.body);
    wr32(t + 8, sn->out_crc);
    wr32(t + 12, 0);
    err = write_all(w.fd, t, sizeof t);
    if (err != 0) {
        w.rc = os_fail_errno(e, err, "writing checkpoint", tmp);
        goto out;
    }
    err = os_io_fault_hook != NULL ? os_io_fault_hook("fsync_ckpt") : 0;
    if (err != 0 || fsync(w.fd) != 0) {
        w.rc = os_fail_errno(e, err != 0 ? err : errno, "fsync of checkpoint", tmp);
        goto out;
    }
    close(w.fd);
    w.fd = -1;
    phase(sn, OS_CKPT_PHASE_WRITTEN);
    err = os_io_fault_hook != NULL ? os_io_fault_hook("rename_ckpt") : 0;
    if (err != 0 || rename(tmp, fin) != 0) {
        w.rc = os_fail_errno(e, err != 0 ? err : errno, "renaming checkpoint", tmp);
        unlink(tmp);
        goto out;
    }
    /* from here on index.ckpt may be the new file, even when this fails: a compaction must keep the segments
     * it names (os_do_compact) */
    sn->renamed = true;
    phase(sn, OS_CKPT_PHASE_RENAMED);
    w.rc = os_fsync_dir(s->dir, e);
    if (w.rc == OSTORE_OK) {
        *bytes_out = OS_CKPT_HDR + w.body + OS_CKPT_TRAILER;
        /* the deltas of the previous base: ignored from now on (they name it), emptied to save the space */
        if (truncate(dpath, 0) != 0 && errno != ENOENT) {
            /* harmless: the next delta cuts the file before it appends */
        }
    }
out:
    if (sn->bg)
        atomic_store_explicit(&sn->cursor, UINT32_MAX, memory_order_release);
    if (w.fd >= 0) {
        close(w.fd);
        unlink(tmp);
    }
    free(tmp);
    free(fin);
    free(dpath);
    free(buf);
    free(wb);
    return w.rc;
}

/* the writer learns what a checkpoint wrote (rc OK) or that its changed-object set is lost (else) */
static void snap_done(ostore *s, const snap *sn, int rc, uint64_t bytes)
{
    if (rc != OSTORE_OK) {
        lose_marks(s);
        return;
    }
    const snap_seg *last = &sn->segs[sn->nsegs - 1];
    if (sn->delta) {
        s->dlt_bytes = sn->dlt_off + bytes;
    } else {
        s->ckpt_bytes = bytes;
        s->dlt_bytes = 0;
        s->base_ver = sn->ver;
        s->base_crc = sn->out_crc;
        s->base_seq = sn->last_seq;
        s->base_first_seg = sn->segs[0].g->id;
        if (s->lost_gen == sn->lost_gen) /* no mark was lost since its snapshot */
            s->need_full = false;
    }
    s->pt_seg = last->g->id;
    s->pt_len = last->end;
    s->pt_nrec = last->nrec;
    s->pt_nobj = sn->nobj;
    s->ckpt_seq = sn->last_seq;
    s->ckpt_in_use = true;
}

/* A full checkpoint of ix/lg, in the calling thread (compaction: the new index and segments). *renamed: the
 * new file replaced index.ckpt, even when the result is an error (the directory fsync after the rename failed). */
int os_ckpt_write(ostore *s, const os_index *ix, const os_log *lg, uint64_t last_seq, bool *renamed, os_err *e)
{
    snap sn;
    *renamed = false;
    int rc = snap_take(&sn, s, ix, lg, last_seq, false, false, e);
    if (rc != OSTORE_OK)
        return rc;
    uint64_t bytes = 0;
    rc = snap_write(s, &sn, &bytes, e);
    *renamed = sn.renamed;
    snap_done(s, &sn, rc, bytes);
    snap_free(&sn);
    return rc;
}

/* A checkpoint of the store's index and log now, in the calling thread: a delta when one may be written and
 * full is false. */
int os_ckpt_write_now(ostore *s, bool full, os_err *e)
{
    snap sn;
    int rc = snap_take(&sn, s, s->idx, &s->log, s->next_seq - 1, false, !full, e);
    if (rc != OSTORE_OK)
        return rc;
    uint64_t bytes = 0;
    rc = snap_write(s, &sn, &bytes, e);
    snap_done(s, &sn, rc, bytes);
    snap_free(&sn);
    return rc;
}

/* ---- background checkpoints ---- */

/* Compaction's part of a background job: restate, step by step under the writer mutex, every object that
 * existed when it started; then take the checkpoint's position over the compacted log (segments from c1). */
#define OS_CMP_PRESYNC_LEFT (64u * 1024u)

static int bg_compact(struct os_bgck *b)
{
    ostore *s = b->s;
    uint64_t t0;
    /* Step 1 (FORMAT.md, "Compaction"): the log moves on to a new segment C, which first syncs the segment it
     * leaves (rollover rule). Sync what that segment holds without the writer mutex, again while the writer
     * added more than OS_CMP_PRESYNC_LEFT meanwhile (at most 3 times), so the rollover under the mutex finds
     * little left to write; its sync, truncation, the new file and the directory fsync remain. */
    os_seg *g = NULL;
    uint64_t end = 0;
    bool pre = false;
    for (int round = 0;; round++) {
        os_cmp_lock(s, &t0);
        if (round == 0)
            os_spare_request(s); /* created while the segment left is synced below: the rollover only renames */
        if (pre && g == s->log.segs[s->log.n - 1] && g->synced < end) {
            os_seg_synced(g, end);
        }
        g = s->log.n ? s->log.segs[s->log.n - 1] : NULL;
        end = g != NULL ? g->end : 0;
        uint64_t from = g != NULL ? g->synced & ~(uint64_t)(s->page - 1) : 0;
        pre = g != NULL && g->writable && g->base != NULL && g->synced < end;
        if (!pre || round == 3 || end - g->synced <= OS_CMP_PRESYNC_LEFT ||
            atomic_load_explicit(&b->stop, memory_order_acquire))
            break; /* holding the mutex */
        os_cmp_unlock(s, t0);
        /* segments stay mapped while the job runs (only it and close, which waits for it, free them); a
         * rollover keeps the pages up to its end mapped */
        os_err ignored; /* the rollover's sync reports a failure */
        pre = os_seg_sync_range(g, from, end, s->page, &ignored) == OSTORE_OK;
    }
    bool stop = atomic_load_explicit(&b->stop, memory_order_acquire);
    int rc = OSTORE_OK;
    if (!stop) {
        b->c1 = s->next_seg_id; /* the compacted log starts in a new segment, rolled to now */
        b->cmp_nobj = s->idx->nobj;
        s->log.roll = true;
        os_seg *ng;
        bool changed = false;
        uint64_t r0 = os_mono_ns();
        rc = os_log_reserve(s, &s->log, 0, &ng, &changed, &b->err);
        os_timing_add(&s->cmp_roll_ns, &s->cmp_roll_max_ns, &s->cmp_rolls, os_mono_ns() - r0);
        if (changed)
            os_store_refresh_file_stats(s);
    }
    os_cmp_unlock(s, t0);
    if (stop || rc != OSTORE_OK)
        return rc;
    struct os_cmp_build *cb = NULL;
    for (uint32_t i = 0; i < b->cmp_nobj;) {
        bool first = i == 0, stopped;
        /* reads and encodes without the writer mutex, takes it to append and re-point (compact.c) */
        rc = os_compact_step_bg(s, &cb, i, b->cmp_nobj, &i, &b->stop, &stopped, &b->err);
        if (rc != OSTORE_OK || stopped) {
            os_cmp_build_free(cb);
            return rc; /* stopped: the records written so far are valid restatements, nothing to undo */
        }
        if (first && os_ckpt_phase_hook != NULL)
            os_ckpt_phase_hook(OS_CMP_PHASE_STEP);
    }
    os_cmp_build_free(cb);
    os_cmp_lock(s, &t0);
    rc = OSTORE_OK;
    if (!atomic_load_explicit(&b->stop, memory_order_acquire)) {
        size_t k = 0;
        while (k < s->log.n && s->log.segs[k]->id < b->c1)
            k++;
        os_log view = {.segs = s->log.segs + k, .n = s->log.n - k};
        rc = snap_take(&b->sn, s, s->idx, &view, s->next_seq - 1, true, false, &b->err); /* full: a new first segment */
        if (rc == OSTORE_OK) {
            b->have_snap = true;
            b->sn.rd = &s->rd;
            b->since = s->bytes_since_ckpt;
            s->bytes_since_ckpt = 0;
        }
    }
    os_cmp_unlock(s, t0);
    return rc;
}

static void *bg_main(void *arg)
{
    struct os_bgck *b = arg;
    b->rc = b->kind == BG_COMPACT ? bg_compact(b) : OSTORE_OK;
    if (b->rc == OSTORE_OK && b->have_snap)
        b->rc = snap_write(b->s, &b->sn, &b->bytes, &b->err);
    if (b->kind == BG_COMPACT && b->have_snap && b->rc == OSTORE_OK) {
        /* the checkpoint starting at c1 is durable: the old segments are not needed any more */
        uint64_t t0;
        os_log old = {0};
        os_cmp_lock(b->s, &t0);
        os_compact_drop_below(b->s, b->c1, &old);
        atomic_fetch_add_explicit(&b->s->st_compactions, 1, memory_order_relaxed);
        os_cmp_unlock(b->s, t0);
        os_log_free(&old, true); /* unmapped (nothing reaches them any more) and deleted without the mutex */
        if (os_ckpt_phase_hook != NULL)
            os_ckpt_phase_hook(OS_CMP_PHASE_DROPPED);
    }
    atomic_store_explicit(&b->done, true, memory_order_release);
    phase(&b->sn, OS_CKPT_PHASE_DONE);
    return NULL;
}

#define OS_COMPACT_MIN_GARBAGE (4ull * OS_MIB)

static uint64_t compact_floor(const ostore *s)
{
    return s->segment_size < OS_COMPACT_MIN_GARBAGE ? s->segment_size : OS_COMPACT_MIN_GARBAGE;
}

/* Automatic compactions after the first since open start at least this much written log apart (or one segment, if
 * smaller). Each one re-points every object of the live index, so the writer's next touch of each object is a miss
 * on a line the compaction's thread wrote: ~1.5 ms for 10 000 objects here, whatever the garbage. A small store
 * written fast (10 000 objects of ~170 bytes overwritten in batches) reached the 4 MiB floor ~25 times a second,
 * its batches 17 % slower than with compactions 32 MiB apart (native-src/README.md, "Compactions spaced by what
 * was written"). A one-off overwrite still compacts at the floor: the first compaction has no spacing. */
#define OS_COMPACT_SPACING (32ull * OS_MIB)

static uint64_t compact_spacing(const ostore *s)
{
    return s->segment_size < OS_COMPACT_SPACING ? s->segment_size : OS_COMPACT_SPACING;
}

/* the writer collects a finished (or, waiting, any) background job; the thread is joined */
static void bg_collect(ostore *s)
{
    struct os_bgck *b = s->bg;
    s->bg = NULL;
    if (b->have_snap)
        snap_done(s, &b->sn, b->rc, b->bytes);
    if (b->rc == OSTORE_OK && b->have_snap) {
        if (s->next_seq - 1 == b->sn.last_seq)
            s->ckpt_current = true;
        /* the thread made the log durable up to the snapshot point: the next sync need not repeat it */
        for (size_t k = 0; k < b->sn.nsegs; k++) {
            os_seg *g = b->sn.segs[k].g;
            os_seg_synced(g, b->sn.segs[k].end);
        }
    } else if (b->rc != OSTORE_OK) {
        s->bytes_since_ckpt += b->since; /* try again after the next batch */
        if (b->kind == BG_COMPACT) /* not after every batch: each try starts a segment */
            s->compact_retry_at = atomic_load_explicit(&s->st_log_bytes, memory_order_relaxed) + compact_floor(s);
        os_store_error(s, &b->err);
    }
    snap_free(&b->sn);
    free(b);
}

static void bg_wait(ostore *s, bool finish)
{
    struct os_bgck *b = s->bg;
    if (b == NULL)
        return;
    if (b->kind == BG_COMPACT) {
        /* its steps take the writer mutex, which the caller holds: let it stop at the next one, or (close)
         * give it the mutex until it is done */
        if (!finish)
            atomic_store_explicit(&b->stop, true, memory_order_release);
        b->waiter = true; /* a batch that gets in meanwhile leaves the job alone */
        pthread_mutex_unlock(&s->wmu);
        pthread_join(b->thread, NULL);
        pthread_mutex_lock(&s->wmu);
    } else {
        pthread_join(b->thread, NULL);
    }
    bg_collect(s);
}

void os_ckpt_bg_wait(ostore *s) { bg_wait(s, false); }

void os_ckpt_bg_finish(ostore *s) { bg_wait(s, true); }

static bool bg_start(ostore *s, struct os_bgck *b, os_err *e)
{
    b->s = s;
    s->bg = b;
    if (pthread_create(&b->thread, NULL, bg_main, b) == 0)
        return true;
    s->bg = NULL;
    os_fail(e, OSTORE_IO, "could not start a background thread");
    return false;
}

/* Automatic compaction (FORMAT.md, "Compaction"): garbage at least compact_percent of the state a compaction
 * would write, so that the log stays below (100 + compact_percent) % of its compacted size (an overwrite of
 * every object once, at the default 50, compacts halfway through instead of leaving twice the state), and at
 * least compact_floor bytes: below that a compaction's fixed costs (a thread, a new segment, a full checkpoint)
 * are not worth the space it gives back; after the first since open, also compact_spacing bytes of batches since
 * the last one started. */
static bool compaction_due(const ostore *s)
{
    if (s->compact_percent >= 100 || s->idx->nobj == 0)
        return false;
    uint64_t lb = atomic_load_explicit(&s->st_log_bytes, memory_order_relaxed);
    if (lb < s->compact_retry_at)
        return false;
    if (s->auto_compacted && s->bytes_since_compaction < compact_spacing(s))
        return false;
    uint64_t state = s->idx->state_bytes;
    uint64_t garbage = lb > state ? lb - state : 0;
    return garbage >= compact_floor(s) && garbage >= state / 100 * s->compact_percent;
}

void os_ckpt_bg_after_batch(ostore *s)
{
    if (s->bg != NULL) {
        if (s->bg->waiter || !atomic_load_explicit(&s->bg->done, memory_order_acquire))
            return; /* one at a time: the log keeps counting towards the next one */
        pthread_join(s->bg->thread, NULL);
        bg_collect(s);
    }
    os_err e;
    if (compaction_due(s)) {
        struct os_bgck *b = calloc(1, sizeof *b);
        if (b == NULL) {
            os_fail(&e, OSTORE_NO_MEMORY, "out of memory starting a compaction");
        } else {
            b->kind = BG_COMPACT; /* the thread picks C and the objects to restate (bg_compact) */
            if (bg_start(s, b, &e)) {
                s->auto_compacted = true;
                s->bytes_since_compaction = 0;
                return;
            }
            free(b);
        }
        os_store_error(s, &e);
        return;
    }
    /* Automatic checkpoint: at least checkpoint_interval_bytes of log since the last one. A delta costs what
     * changed since, so that is all it waits for. A full checkpoint rewrites the whole index: a merge of the
     * deltas is due only once they are a share of the base (delta_ok), and a first full one on a base that
     * allows no delta also waits for as many log bytes as the last checkpoint file had, so checkpoint bytes
     * stay at most about the log bytes written either way. */
    size_t k0;
    if (!ckpt_due(s))
        return;
    if (!delta_ok(s, &k0) && !(s->ckpt_in_use && s->base_ver == OS_CKPT_VERSION) && s->bytes_since_ckpt < s->ckpt_bytes)
        return;
    struct os_bgck *b = calloc(1, sizeof *b);
    int rc = b == NULL ? os_fail(&e, OSTORE_NO_MEMORY, "out of memory starting a checkpoint")
                       : snap_take(&b->sn, s, s->idx, &s->log, s->next_seq - 1, true, true, &e);
    if (rc == OSTORE_OK) {
        b->kind = BG_CHECKPOINT;
        b->have_snap = true;
        b->sn.rd = &s->rd;
        b->since = s->bytes_since_ckpt;
        s->bytes_since_ckpt = 0;
        if (bg_start(s, b, &e))
            return;
        s->bytes_since_ckpt = b->since;
        lose_marks(s); /* the marks went with the snapshot */
        snap_free(&b->sn);
    }
    free(b);
    os_store_error(s, &e); /* the batch itself is written: report OK */
}

/* Keeps the snapshot state of each object of the batch that the thread has not encoded yet. An object
 * below the cursor is already written; the cursor only grows, so a stale read of it only keeps one
 * pre-image too many. The publish that follows is not exclusive: the object's sequence orders these stores
 * before what the thread reads of the object (obj_copy_rd). */
void os_ckpt_bg_before_publish(ostore *s, const os_bobj *bo, uint32_t n)
{
    snap *sn = &s->bg->sn;
    uint32_t cur = atomic_load_explicit(&sn->cursor, memory_order_acquire);
    if (cur >= sn->nobj)
        return;
    for (uint32_t i = 0; i < n; i++) {
        const os_obj *o = bo[i].o;
        if (o == NULL || o->num >= sn->nobj || o->num < cur || !snap_has(sn, o->num) ||
            atomic_load_explicit(&sn->pre[o->num], memory_order_relaxed) != NULL)
            continue;
        os_obj c;
        os_entry lbuf[OS_LAZY_MAX];
        o = obj_view(o, &c, lbuf);
        size_t need = 8 + obj_bound(sn, o);
        if (need > sn->pleft) {
            size_t csz = need > WBUF ? need : WBUF;
            uint8_t *c = malloc(csz);
            if (c == NULL) {
                atomic_store_explicit(&sn->broken, true, memory_order_release);
                return;
            }
            if (sn->npchunks == sn->cappchunks) {
                size_t nc = sn->cappchunks ? sn->cappchunks * 2 : 16;
                uint8_t **a = realloc(sn->pchunks, nc * sizeof *a);
                if (a == NULL) {
                    free(c);
                    atomic_store_explicit(&sn->broken, true, memory_order_release);
                    return;
                }
                sn->pchunks = a;
                sn->cappchunks = nc;
            }
            sn->pchunks[sn->npchunks++] = c;
            sn->pcur = c;
            sn->pleft = csz;
        }
        uint8_t *p = sn->pcur;
        size_t sz = (size_t)(obj_encode(sn, p + 8, o) - (p + 8));
        wr64(p, sz);
        need = 8 + sz;
        sn->pcur += pad8(need);
        sn->pleft = sn->pleft > pad8(need) ? sn->pleft - pad8(need) : 0;
        if (!sn->pre_set_lost) {
            uint8_t *set = (uint8_t *)sn->pre_set;
            if (grow_buf(&set, &sn->pre_set_bytes, (sn->npre_set + 1) * sizeof *sn->pre_set)) {
                sn->pre_set = (uint32_t *)set;
                sn->pre_set[sn->npre_set++] = o->num;
            } else {
                sn->pre_set_lost = true; /* the slots are still cleared, all of them */
            }
        }
        atomic_store_explicit(&sn->pre[o->num], p, memory_order_release);
    }
}

void os_ckpt_prefetch(const ostore *s, const os_bobj *bo, uint32_t n)
{
    const snap *sn = s->bg != NULL ? &s->bg->sn : NULL;
    /* os_ckpt_bg_before_publish reads the pre-image slots of objects the thread has not reached yet only */
    uint32_t cur = sn != NULL ? atomic_load_explicit(&sn->cursor, memory_order_relaxed) : UINT32_MAX;
    uint32_t end = sn != NULL ? sn->nobj : 0;
    for (uint32_t i = 0; i < n; i++) {
        const os_obj *o = bo[i].o;
        if (o == NULL)
            continue;
        if ((o->num >> 6) < s->dirty_words)
            __builtin_prefetch(&s->dirty[o->num >> 6], 1);
        if (o->num >= cur && o->num < end)
            __builtin_prefetch(&sn->pre[o->num]);
    }
}

void os_ckpt_before_publish(ostore *s, const os_bobj *bo, uint32_t n)
{
    if (s->bg != NULL) /* a background checkpoint is being written: keep what it still needs */
        os_ckpt_bg_before_publish(s, bo, n);
    os_ckpt_mark(s, bo, n);
}

/* Opens path for reading and takes its size; nothing stays open on failure. */
static int open_sized(const char *path, int *fd, size_t *size, os_err *e)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return os_fail_errno(e, errno, "opening", path);
    struct stat st;
    if (fstat(*fd, &st) != 0) {
        int rc = os_fail_errno(e, errno, "stat of", path);
        close(*fd);
        return rc;
    }
    *size = (size_t)st.st_size;
    return OSTORE_OK;
}

/* Reads the n bytes of fd (fewer when the file shrank meanwhile) into memory of its own (*maplen: what
 * os_unmap_file takes to free it); closes fd. */
static int read_sized(int fd, const char *path, size_t n, uint8_t **out, size_t *len, size_t *maplen, os_err *e)
{
    /* from 2 MiB up in huge pages (os_big_alloc): a delta file of megabytes read into malloc's 4 KiB pages took a
     * fault per page at every open; such a buffer is freed by os_unmap_file with the mapped length */
    uint8_t *b = n >= OS_HUGE ? os_big_alloc(n) : malloc(n ? n : 1);
    *maplen = os_big_mapped(n);
    if (b == NULL) {
        close(fd);
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory reading %s (%zu bytes)", path, n);
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *out = b;
    *len = got;
    return OSTORE_OK;
}

int os_read_file(const char *path, uint8_t **out, size_t *len, size_t *maplen, os_err *e)
{
    *out = NULL;
    *len = 0;
    *maplen = 0;
    int fd;
    size_t n;
    int rc = open_sized(path, &fd, &n, e);
    return rc != OSTORE_OK ? rc : read_sized(fd, path, n, out, len, maplen, e);
}

int os_map_file(const char *path, uint8_t **out, size_t *len, size_t *maplen, os_err *e)
{
    *out = NULL;
    *len = 0;
    *maplen = 0;
    int fd;
    size_t n;
    int rc = open_sized(path, &fd, &n, e);
    if (rc != OSTORE_OK)
        return rc;
    /* MAP_POPULATE: the whole file is read at open anyway (authentication, load), in one call, not a fault per
     * 64 KiB of it */
    void *m = n > 0 ? mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
    if (m == MAP_FAILED) /* an empty file, or one this system cannot map: read a copy */
        return read_sized(fd, path, n, out, len, maplen, e);
    close(fd);
    *out = m;
    *len = n;
    *maplen = n;
    return OSTORE_OK;
}

void os_unmap_file(uint8_t *buf, size_t maplen)
{
    if (buf == NULL)
        return;
    if (maplen > 0)
        munmap(buf, maplen);
    else
        free(buf);
}

static os_seg *find_seg(const os_log *lg, uint64_t id)
{
    size_t lo = 0, hi = lg->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lg->segs[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lg->n && lg->segs[lo]->id == id ? lg->segs[lo] : NULL;
}

int os_ckpt_authenticate(const uint8_t *buf, size_t len, os_ckpt_info *ci, os_err *e)
{
    memset(ci, 0, sizeof *ci);
    if (len < OS_CKPT_HDR + OS_CKPT_TRAILER)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint is %zu bytes, shorter than header and trailer", len);
    if (memcmp(buf, CKPT_MAGIC, 8) != 0 || rd32(buf + 60) != os_crc32c(buf, 60))
        return os_fail(e, OSTORE_CORRUPT, "checkpoint header invalid (magic or CRC)");
    uint32_t version = rd32(buf + 8);
    if (version < 2 || version > OS_CKPT_VERSION)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint version %u, this library reads versions 2 to %u (replaying the log)",
                       version, OS_CKPT_VERSION);
    uint32_t nsplits = rd32(buf + 56);
    if (version < 5 && nsplits != 0)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint header invalid (bytes 56..59 of version %u are not zero)",
                       version);
    uint64_t fs = rd64(buf + 16), ls = rd64(buf + 24), lo = rd64(buf + 32), seq = rd64(buf + 40);
    uint64_t count = rd64(buf + 48);
    uint32_t nsegs = rd32(buf + 12);
    const uint8_t *t = buf + len - OS_CKPT_TRAILER;
    uint64_t body_len = len - OS_CKPT_HDR - OS_CKPT_TRAILER;
    if (rd64(t) != body_len || rd32(t + 12) != 0)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint trailer: body length %llu, file has %llu",
                       (unsigned long long)rd64(t), (unsigned long long)body_len);
    if (rd32(t + 8) != os_crc32c_parallel(buf + OS_CKPT_HDR, body_len))
        return os_fail(e, OSTORE_CORRUPT, "checkpoint body CRC mismatch");
    if (fs > ls)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint first segment after log segment");
    if (nsegs == 0 || nsegs > body_len / OS_CKPT_SEG)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint segment count %u does not fit its body", nsegs);
    os_ckpt_seg *segs = calloc(nsegs, sizeof *segs);
    if (segs == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory reading the checkpoint");
    const uint8_t *body = buf + OS_CKPT_HDR;
    uint64_t at = (uint64_t)nsegs * OS_CKPT_SEG; /* where the record offsets start */
    int rc = OSTORE_OK;
    for (uint32_t k = 0; k < nsegs && rc == OSTORE_OK; k++) {
        const uint8_t *sh = body + (size_t)k * OS_CKPT_SEG;
        os_ckpt_seg *g = &segs[k];
        g->id = rd64(sh);
        g->length = rd64(sh + 8);
        g->nrec = rd64(sh + 16);
        g->first_seq = rd64(sh + 24);
        if ((k == 0 && g->id != fs) || (k > 0 && g->id <= segs[k - 1].id) || (k + 1 == nsegs && g->id != ls) ||
            g->id > ls || g->length < OS_SEG_HDR || g->length % 8 != 0 || g->length > OS_MAX_RESERVE ||
            (g->nrec == 0) != (g->length == OS_SEG_HDR) || g->nrec > (body_len - at) / 8 ||
            g->nrec > (g->length - OS_SEG_HDR) / OS_REC_MIN) {
            rc = os_fail(e, OSTORE_CORRUPT, "checkpoint segment table entry %u is inconsistent", k);
            break;
        }
        g->offsets = body + at;
        uint64_t prev = 0;
        for (uint64_t i = 0; i < g->nrec; i++) {
            uint64_t o = rd64(g->offsets + 8 * i);
            if ((i == 0 ? o != OS_SEG_HDR : o <= prev) || o % 8 != 0 || o > g->length - OS_REC_MIN) {
                rc = os_fail(e, OSTORE_CORRUPT, "checkpoint record table of segment %llu is inconsistent at record %llu",
                             (unsigned long long)g->id, (unsigned long long)i);
                break;
            }
            prev = o;
        }
        at += 8 * g->nrec;
    }
    if (rc == OSTORE_OK && segs[nsegs - 1].length != lo)
        rc = os_fail(e, OSTORE_CORRUPT, "checkpoint log offset %llu differs from its last segment's length",
                     (unsigned long long)lo);
    if (rc == OSTORE_OK && (nsplits > count || nsplits > (body_len - at) / OS_CKPT_SPLIT))
        rc = os_fail(e, OSTORE_CORRUPT, "checkpoint split count %u does not fit its body", nsplits);
    uint64_t objects_end = body_len - (uint64_t)nsplits * OS_CKPT_SPLIT;
    for (uint32_t j = 0; j < nsplits && rc == OSTORE_OK; j++) {
        const uint8_t *sp = body + objects_end + (size_t)j * OS_CKPT_SPLIT;
        uint64_t idx = rd64(sp), off = rd64(sp + 8);
        if (idx == 0 || idx >= count || (j > 0 && idx <= rd64(sp - OS_CKPT_SPLIT)) || off < at ||
            off >= objects_end || (j > 0 && off <= rd64(sp - OS_CKPT_SPLIT + 8)))
            rc = os_fail(e, OSTORE_CORRUPT, "checkpoint split %u (object %llu at body offset %llu) is inconsistent", j,
                         (unsigned long long)idx, (unsigned long long)off);
    }
    if (rc != OSTORE_OK) {
        free(segs);
        return rc;
    }
    ci->version = version;
    ci->first_seg = fs;
    ci->log_seg = ls;
    ci->log_off = lo;
    ci->last_seq = seq;
    ci->count = count;
    ci->nsegs = nsegs;
    ci->segs = segs;
    ci->objects_at = (size_t)at;
    ci->objects_end = (size_t)objects_end;
    ci->nsplits = nsplits;
    ci->splits = body + objects_end;
    ci->base_seq = seq;
    ci->base_crc = rd32(t + 8);
    ci->base_nsegs = nsegs;
    return OSTORE_OK;
}

void os_ckpt_info_free(os_ckpt_info *ci)
{
    if (ci->segs != NULL)
        for (uint32_t k = 0; k < ci->nsegs; k++)
            os_big_free(ci->segs[k].xoff, (size_t)ci->segs[k].xcap * sizeof *ci->segs[k].xoff);
    free(ci->segs);
    free(ci->deltas);
    ci->segs = NULL;
    ci->deltas = NULL;
    ci->nsegs = ci->ndeltas = 0;
}

/* segment g gets n more record offsets (host order, in *xoff from now on) */
static bool ckseg_extend(os_ckpt_seg *g, const uint8_t *offs, uint64_t n)
{
    uint64_t need = g->nrec + n;
    if (need > g->xcap || g->xoff == NULL) {
        uint64_t nc = g->xcap ? g->xcap : 64;
        while (nc < need)
            nc *= 2;
        uint64_t *a = os_big_alloc((size_t)nc * sizeof *a);
        if (a == NULL)
            return false;
        for (uint64_t i = 0; i < g->nrec; i++)
            a[i] = os_ckseg_off(g, i);
        os_big_free(g->xoff, (size_t)g->xcap * sizeof *g->xoff);
        g->xoff = a;
        g->xcap = nc;
    }
    for (uint64_t i = 0; i < n; i++)
        g->xoff[g->nrec + i] = rd64(offs + 8 * i);
    g->nrec = need;
    return true;
}

/* One delta at d (len bytes left in the file) against the current point of ci: authentic (FORMAT.md, "Delta
 * file")? Returns its length, 0 when it is not; *oom on a failed allocation. */
static size_t delta_authentic(const uint8_t *d, size_t len, os_ckpt_info *ci, bool *oom)
{
    if (len < OS_DELTA_HDR || memcmp(d, DELTA_MAGIC, 8) != 0 || rd32(d + 60) != os_crc32c(d, 60) ||
        rd32(d + 8) != OS_DELTA_VERSION)
        return 0;
    uint32_t nsegs = rd32(d + 12), count = rd32(d + 28);
    uint64_t body_len = rd64(d + 48), prev = rd64(d + 32), last = rd64(d + 40);
    if (body_len > len - OS_DELTA_HDR || rd32(d + 56) != os_crc32c(d + OS_DELTA_HDR, (size_t)body_len))
        return 0;
    if (rd64(d + 16) != ci->base_seq || rd32(d + 24) != ci->base_crc || prev != ci->last_seq || last < prev ||
        nsegs == 0 || nsegs > body_len / OS_CKPT_SEG)
        return 0;
    const uint8_t *body = d + OS_DELTA_HDR;
    os_ckpt_seg *cur = &ci->segs[ci->nsegs - 1];
    /* the table: checked whole before anything in ci changes */
    uint64_t at = (uint64_t)nsegs * OS_CKPT_SEG, prev_id = 0, prev_off = 0;
    for (uint32_t k = 0; k < nsegs; k++) {
        const uint8_t *sh = body + (size_t)k * OS_CKPT_SEG;
        uint64_t id = rd64(sh), length = rd64(sh + 8), nrec = rd64(sh + 16), fseq = rd64(sh + 24);
        uint64_t have = 0; /* offsets the current point already has */
        if (k == 0) {
            if (id != cur->id || length < cur->length || nrec < cur->nrec || (cur->nrec > 0 && fseq != cur->first_seq))
                return 0;
            have = cur->nrec;
            prev_off = cur->nrec > 0 ? os_ckseg_off(cur, cur->nrec - 1) : 0;
        } else if (id <= prev_id) {
            return 0;
        }
        if (length < OS_SEG_HDR || length % 8 != 0 || length > OS_MAX_RESERVE || (nrec == 0) != (length == OS_SEG_HDR) ||
            nrec > (length - OS_SEG_HDR) / OS_REC_MIN || nrec - have > (body_len - at) / 8)
            return 0;
        if (k > 0)
            prev_off = 0;
        for (uint64_t i = have; i < nrec; i++) {
            uint64_t o = rd64(body + at + 8 * (i - have));
            if ((i == 0 ? o != OS_SEG_HDR : o <= prev_off) || o % 8 != 0 || o > length - OS_REC_MIN)
                return 0;
            prev_off = o;
        }
        at += 8 * (nrec - have);
        prev_id = id;
    }
    if (count > (body_len - at) / MIN_OBJ_BYTES)
        return 0;
    /* apply the table */
    os_ckpt_seg *ns = realloc(ci->segs, ((size_t)ci->nsegs + nsegs - 1) * sizeof *ns);
    if (ns == NULL) {
        *oom = true;
        return 0;
    }
    ci->segs = ns;
    at = (uint64_t)nsegs * OS_CKPT_SEG;
    for (uint32_t k = 0; k < nsegs; k++) {
        const uint8_t *sh = body + (size_t)k * OS_CKPT_SEG;
        os_ckpt_seg *g;
        if (k == 0) {
            g = &ci->segs[ci->nsegs - 1];
        } else {
            g = &ci->segs[ci->nsegs++];
            memset(g, 0, sizeof *g);
            g->id = rd64(sh);
            g->first_seq = rd64(sh + 24);
        }
        uint64_t nrec = rd64(sh + 16), add = nrec - g->nrec;
        if (k == 0 && g->nrec == 0)
            g->first_seq = rd64(sh + 24);
        if (!ckseg_extend(g, body + at, add)) {
            *oom = true;
            return 0;
        }
        g->length = rd64(sh + 8);
        at += 8 * add;
    }
    ci->log_seg = ci->segs[ci->nsegs - 1].id;
    ci->log_off = ci->segs[ci->nsegs - 1].length;
    ci->last_seq = last;
    ci->deltas[ci->ndeltas++] = (os_ckpt_delta){(size_t)(body - d + at), (size_t)(OS_DELTA_HDR + body_len), count,
                                                ci->nsegs};
    return (size_t)(OS_DELTA_HDR + body_len);
}

int os_ckpt_read_deltas(const uint8_t *dbuf, size_t dlen, os_ckpt_info *ci, os_err *e)
{
    ci->delta_valid = 0;
    size_t at = 0;
    while (at < dlen) {
        if (ci->ndeltas % 64 == 0) {
            os_ckpt_delta *a = realloc(ci->deltas, ((size_t)ci->ndeltas + 64) * sizeof *a);
            if (a == NULL)
                return os_fail(e, OSTORE_NO_MEMORY, "out of memory reading index.delta");
            ci->deltas = a;
        }
        bool oom = false;
        size_t n = delta_authentic(dbuf + at, dlen - at, ci, &oom);
        if (oom)
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory reading index.delta");
        if (n == 0)
            break; /* a torn append, a delta of an older base, or damage: the deltas end here */
        ci->deltas[ci->ndeltas - 1].objects_at += at;
        ci->deltas[ci->ndeltas - 1].end += at;
        at += n;
        ci->delta_valid = at;
    }
    return OSTORE_OK;
}

static const os_ckpt_seg *ckpt_seg(const os_ckpt_info *ci, uint64_t id)
{
    uint32_t lo = 0, hi = ci->nsegs; /* ids increase (os_ckpt_authenticate) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ci->segs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ci->nsegs && ci->segs[lo].id == id ? &ci->segs[lo] : NULL;
}

/* The objects of a version-2 checkpoint (fixed-width fields, pad8). */
static int load_v2(ostore *s, const uint8_t *buf, size_t len, const os_ckpt_info *ci, os_index *ix, os_loader *ld,
                   os_err *e)
{
    const os_log *lg = &s->log;
    uint64_t body_len = len - OS_CKPT_HDR - OS_CKPT_TRAILER;
    uint64_t count = ci->count;
    if (count > body_len / OS_CKPT_OBJ)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint object count %llu does not fit its body",
                       (unsigned long long)count);
    const uint8_t *p = buf + OS_CKPT_HDR + ci->objects_at, *end = buf + OS_CKPT_HDR + body_len;
    for (uint64_t i = 0; i < count; i++) {
        size_t at = (size_t)(p - buf);
        if ((size_t)(end - p) < OS_CKPT_OBJ)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu truncated at offset %zu", (unsigned long long)i, at);
        uint16_t cl = rd16(p), il = rd16(p + 2);
        uint32_t ne = rd32(p + 4), flags = rd32(p + 16);
        uint64_t ver = rd64(p + 8);
        if (cl == 0 || il == 0 || cl > OSTORE_MAX_KEY || il > OSTORE_MAX_KEY || (flags & ~1u) != 0 ||
            rd32(p + 20) != 0 || ver == 0 || ver == OSTORE_ANY_VERSION || ((flags & 1u) && ne != 0))
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu at offset %zu has invalid fields",
                           (unsigned long long)i, at);
        uint64_t kb = pad8((uint64_t)cl + il);
        if ((uint64_t)(end - p) - OS_CKPT_OBJ < kb)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu key past the end", (unsigned long long)i);
        const uint8_t *key = p + OS_CKPT_OBJ;
        p += OS_CKPT_OBJ + kb;
        if (ne > (uint64_t)(end - p) / OS_CKPT_ENT)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu entry count %u does not fit",
                           (unsigned long long)i, ne);
        os_obj *o;
        int rc = os_index_load_object(ix, ld, key, cl, key + cl, il, ver, (flags & 1u) != 0, ne, &o);
        if (rc == OSTORE_NO_MEMORY)
            return os_fail(e, rc, "out of memory loading the checkpoint");
        if (rc != OSTORE_OK)
            return os_fail(e, OSTORE_CORRUPT,
                           "checkpoint holds two objects of one class and id (found loading object %llu at offset %zu)",
                           (unsigned long long)i, at);
        for (uint32_t j = 0; j < ne; j++) {
            size_t eat = (size_t)(p - buf);
            if ((size_t)(end - p) < OS_CKPT_ENT)
                return os_fail(e, OSTORE_CORRUPT, "checkpoint entry truncated at offset %zu", eat);
            uint64_t sid = rd64(p), off = rd64(p + 8);
            uint32_t vl = rd32(p + 16);
            uint16_t nl = rd16(p + 20);
            if (nl == 0 || nl > OSTORE_MAX_KEY || rd16(p + 22) != 0 || vl > OSTORE_HARD_MAX_VALUE ||
                pad8(nl) > (uint64_t)(end - p) - OS_CKPT_ENT)
                return os_fail(e, OSTORE_CORRUPT, "checkpoint entry at offset %zu has invalid fields", eat);
            if (s->repair) { /* repair only compares keys and versions: entries may point at lost bytes */
                p += OS_CKPT_ENT + pad8(nl);
                continue;
            }
            const os_ckpt_seg *cs = ckpt_seg(ci, sid);
            os_seg *g = cs != NULL ? find_seg(lg, sid) : NULL;
            uint64_t limit = cs == NULL ? 0 : cs->length;
            if (g == NULL || g->base == NULL || limit > g->size || off < OS_SEG_HDR + OS_REC2_HDR_MIN || off > limit ||
                vl > limit - off)
                return os_fail(e, OSTORE_CORRUPT,
                               "checkpoint entry at offset %zu points outside the log (segment %llu, offset %llu, %u bytes)",
                               eat, (unsigned long long)sid, (unsigned long long)off, vl);
            rc = os_index_load_entry(ix, ld, o, p + OS_CKPT_ENT, nl, g, off, vl);
            if (rc != OSTORE_OK)
                return os_fail(e, OSTORE_CORRUPT, "checkpoint entry at offset %zu is a duplicate name", eat);
            p += OS_CKPT_ENT + pad8(nl);
        }
    }
    if (p != end)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint body has %zu bytes after the last object", (size_t)(end - p));
    return OSTORE_OK;
}

/* One varint of at most 10 bytes inside [*p, end) (FORMAT.md, "Checkpoint file"); false when it runs past
 * end or does not fit 64 bits. */
/* The objects of a version-3 checkpoint (varints, no padding); every length is checked against the bytes
 * that are there before it is used. */
static int load_v3(ostore *s, const uint8_t *buf, size_t len, const os_ckpt_info *ci, os_index *ix, os_loader *ld,
                   os_err *e)
{
    const os_log *lg = &s->log;
    uint64_t body_len = len - OS_CKPT_HDR - OS_CKPT_TRAILER;
    uint64_t count = ci->count;
    if (count > body_len / MIN_OBJ_BYTES)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint object count %llu does not fit its body",
                       (unsigned long long)count);
    /* the log's segment of each table entry, found once (NULL: not in the log) */
    os_seg **tseg = calloc(ci->nsegs, sizeof *tseg);
    if (tseg == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory loading the checkpoint");
    for (uint32_t k = 0; k < ci->nsegs; k++)
        tseg[k] = find_seg(lg, ci->segs[k].id);
    const uint8_t *p = buf + OS_CKPT_HDR + ci->objects_at, *end = buf + OS_CKPT_HDR + body_len;
    int rc = OSTORE_OK;
    for (uint64_t i = 0; i < count && rc == OSTORE_OK; i++) {
        size_t at = (size_t)(p - buf);
        uint64_t cl, il, ver, nt;
        if (!os_ckpt_varint(&p, end, &cl) || !os_ckpt_varint(&p, end, &il) || !os_ckpt_varint(&p, end, &ver) ||
            !os_ckpt_varint(&p, end, &nt)) {
            rc = os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu truncated at offset %zu", (unsigned long long)i, at);
            break;
        }
        uint64_t ne = nt >> 1;
        bool tomb = (nt & 1u) != 0;
        if (cl == 0 || il == 0 || cl > OSTORE_MAX_KEY || il > OSTORE_MAX_KEY || ver == 0 ||
            ver == OSTORE_ANY_VERSION || (tomb && ne != 0)) {
            rc = os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu at offset %zu has invalid fields",
                         (unsigned long long)i, at);
            break;
        }
        if ((uint64_t)(end - p) < cl + il) {
            rc = os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu key past the end", (unsigned long long)i);
            break;
        }
        const uint8_t *key = p;
        p += cl + il;
        if (ne > UINT32_MAX || ne > (uint64_t)(end - p) / 5) { /* smallest entry: four 1-byte varints, 1-byte name */
            rc = os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu entry count %llu does not fit",
                         (unsigned long long)i, (unsigned long long)ne);
            break;
        }
        os_obj *o;
        rc = os_index_load_object(ix, ld, key, (uint16_t)cl, key + cl, (uint16_t)il, ver, tomb, (uint32_t)ne, &o);
        if (rc != OSTORE_OK) {
            rc = rc == OSTORE_NO_MEMORY
                     ? os_fail(e, rc, "out of memory loading the checkpoint")
                     : os_fail(e, OSTORE_CORRUPT,
                               "checkpoint holds two objects of one class and id (found loading object %llu at offset %zu)",
                               (unsigned long long)i, at);
            break;
        }
        uint64_t prev = 0;
        for (uint64_t j = 0; j < ne; j++) {
            size_t eat = (size_t)(p - buf);
            uint64_t nl, k, dz, vl;
            if (!os_ckpt_varint(&p, end, &nl) || nl == 0 || nl > OSTORE_MAX_KEY || (uint64_t)(end - p) < nl) {
                rc = os_fail(e, OSTORE_CORRUPT, "checkpoint entry at offset %zu has an invalid name", eat);
                break;
            }
            const uint8_t *name = p;
            p += nl;
            if (!os_ckpt_varint(&p, end, &k) || !os_ckpt_varint(&p, end, &dz) || !os_ckpt_varint(&p, end, &vl) ||
                vl > OSTORE_HARD_MAX_VALUE) {
                rc = os_fail(e, OSTORE_CORRUPT, "checkpoint entry at offset %zu has invalid fields", eat);
                break;
            }
            uint64_t off = prev + os_unzigzag(dz); /* wraps on nonsense: the range check below rejects it */
            prev = off + vl;
            if (s->repair) /* repair only compares keys and versions: entries may point at lost bytes */
                continue;
            os_seg *g = k < ci->nsegs ? tseg[k] : NULL;
            uint64_t limit = g != NULL ? ci->segs[k].length : 0;
            if (g == NULL || g->base == NULL || limit > g->size || off < OS_SEG_HDR + OS_REC2_HDR_MIN || off > limit ||
                vl > limit - off) {
                rc = os_fail(e, OSTORE_CORRUPT,
                             "checkpoint entry at offset %zu points outside the log (segment #%llu, offset %llu, %llu bytes)",
                             eat, (unsigned long long)k, (unsigned long long)off, (unsigned long long)vl);
                break;
            }
            if (os_index_load_entry(ix, ld, o, name, (uint16_t)nl, g, off, (uint32_t)vl) != OSTORE_OK) {
                rc = os_fail(e, OSTORE_CORRUPT, "checkpoint entry at offset %zu is a duplicate name", eat);
                break;
            }
        }
    }
    free(tseg);
    if (rc == OSTORE_OK && p != end)
        rc = os_fail(e, OSTORE_CORRUPT, "checkpoint body has %zu bytes after the last object", (size_t)(end - p));
    return rc;
}

/* load_objs_v4's status when another part of a parallel load failed first (not an OSTORE_ status) */
#define LOAD_STOPPED (-1)

/* A run of version-4 objects (a checkpoint's, a part of one, or a delta's) and where they go. */
typedef struct v4_objs {
    const uint8_t *buf;      /* the file: offsets in messages count from here */
    const uint8_t *p, *end;  /* the objects, exactly */
    uint64_t first, count;   /* the number of the first object in the file's list, and how many there are */
    uint32_t nsegs;          /* table entries the entries may name */
    os_seg *const *tseg;
    bool delta;              /* a delta's: objects already loaded are replaced */
    bool lazy;               /* objects of 2..OS_LAZY_MAX entries keep them in the file (internal.h, lazy entries) */
    const char *what;
    os_loader *ld;           /* NULL: each object inserted at once (deltas) */
    atomic_bool *stop;       /* a parallel load's: set by a part that failed, so the others may stop */
} v4_objs;

/* Loads in->count version-4 objects, exactly the bytes [in->p, in->end) (FORMAT.md, "Checkpoint file"): the base's
 * or a part of it (every object is new) or a delta's (an object already loaded takes the delta's state); entries
 * may name the first in->nsegs segments of ci's table (in->tseg: their segments in the log). Every length is checked
 * before it is used. */
static int load_objs_v4(ostore *s, const v4_objs *in, const os_ckpt_info *ci, os_index *ix, os_err *e)
{
    const uint8_t *buf = in->buf, *p = in->p, *end = in->end;
    const char *what = in->what;
    const uint8_t *cls = NULL;
    uint64_t cl = 0;
    for (uint64_t n = 0; n < in->count; n++) {
        uint64_t i = in->first + n;
        size_t at = (size_t)(p - buf);
        if (in->stop != NULL && (n & 1023u) == 0 && atomic_load_explicit(in->stop, memory_order_relaxed))
            return LOAD_STOPPED;
        uint64_t cref, il, ver, nt;
        if (!os_ckpt_varint(&p, end, &cref) || (cref == 0 && cls == NULL) || cref > OSTORE_MAX_KEY ||
            (uint64_t)(end - p) < cref)
            return os_fail(e, OSTORE_CORRUPT, "%s object %llu at offset %zu has an invalid class", what,
                           (unsigned long long)i, at);
        if (cref > 0) {
            cls = p;
            cl = cref;
            p += cref;
        }
        if (!os_ckpt_varint(&p, end, &il) || !os_ckpt_varint(&p, end, &ver) || !os_ckpt_varint(&p, end, &nt))
            return os_fail(e, OSTORE_CORRUPT, "%s object %llu truncated at offset %zu", what, (unsigned long long)i, at);
        uint64_t ne = nt >> 1;
        bool tomb = (nt & 1u) != 0;
        if (il == 0 || il > OSTORE_MAX_KEY || ver == 0 || ver == OSTORE_ANY_VERSION || (tomb && ne != 0) ||
            (uint64_t)(end - p) < il)
            return os_fail(e, OSTORE_CORRUPT, "%s object %llu at offset %zu has invalid fields", what,
                           (unsigned long long)i, at);
        const uint8_t *id = p;
        p += il;
        if (ne > UINT32_MAX || ne > (uint64_t)(end - p) / 5) /* smallest entry: four 1-byte varints, 1-byte name */
            return os_fail(e, OSTORE_CORRUPT, "%s object %llu entry count %llu does not fit", what,
                           (unsigned long long)i, (unsigned long long)ne);
        os_obj *o = NULL;
        int rc;
        bool lazy = in->lazy && ne >= 2 && ne <= OS_LAZY_MAX; /* one entry is inline in the object anyway */
        const uint8_t *ents = p;
        const uint8_t *names[OS_LAZY_MAX];
        uint16_t nls[OS_LAZY_MAX];
        uint32_t lens[OS_LAZY_MAX];
        uintptr_t first_at = 0;
        os_span sp = {0}; /* what the value hint names (os_span) */
        uint64_t k0 = UINT64_MAX; /* the table entry of every entry's segment, if they share one */
        uint64_t offs[OS_LAZY_MAX];
        if (in->delta && (o = os_index_find(ix, os_hash_key(cls, cl, id, il), cls, cl, id, il)) != NULL)
            rc = os_index_load_reset(ix, o, ver, tomb, (uint32_t)ne);
        else
            rc = os_index_load_object(ix, in->ld, cls, (uint16_t)cl, id, (uint16_t)il, ver, tomb,
                                      lazy ? 0u : (uint32_t)ne, &o);
        if (rc != OSTORE_OK)
            return rc == OSTORE_NO_MEMORY
                       ? os_fail(e, rc, "out of memory loading the checkpoint")
                       : os_fail(e, OSTORE_CORRUPT,
                                 "%s holds two objects of one class and id (found loading object %llu at offset %zu)", what,
                                 (unsigned long long)i, at);
        uint64_t prev = 0;
        for (uint64_t j = 0; j < ne; j++) {
            size_t eat = (size_t)(p - buf);
            uint64_t nl, k, dz, vl;
            if (!os_ckpt_varint(&p, end, &nl) || nl == 0 || nl > OSTORE_MAX_KEY || (uint64_t)(end - p) < nl)
                return os_fail(e, OSTORE_CORRUPT, "%s entry at offset %zu has an invalid name", what, eat);
            const uint8_t *name = p;
            p += nl;
            if (!os_ckpt_varint(&p, end, &k) || !os_ckpt_varint(&p, end, &dz) || !os_ckpt_varint(&p, end, &vl) ||
                vl > OSTORE_HARD_MAX_VALUE)
                return os_fail(e, OSTORE_CORRUPT, "%s entry at offset %zu has invalid fields", what, eat);
            uint64_t off = prev + os_unzigzag(dz); /* wraps on nonsense: the range check below rejects it */
            prev = off + vl;
            if (s->repair) /* repair only compares keys and versions: entries may point at lost bytes */
                continue;
            os_seg *g = k < in->nsegs ? in->tseg[k] : NULL;
            uint64_t limit = g != NULL ? ci->segs[k].length : 0;
            if (g == NULL || g->base == NULL || limit > g->size || off < OS_SEG_HDR + OS_REC2_HDR_MIN || off > limit ||
                vl > limit - off)
                return os_fail(e, OSTORE_CORRUPT,
                               "%s entry at offset %zu points outside the log (segment #%llu, offset %llu, %llu bytes)",
                               what, eat, (unsigned long long)k, (unsigned long long)off, (unsigned long long)vl);
            if (lazy) {
                if (j == 0) {
                    first_at = (uintptr_t)g->base + off;
                    k0 = k;
                } else if (k != k0) {
                    k0 = UINT64_MAX;
                }
                os_span_add(&sp, (uint32_t)j, g, off, vl);
                offs[j] = off;
                names[j] = name;
                nls[j] = (uint16_t)nl;
                lens[j] = (uint32_t)vl;
            } else if (os_index_load_entry(ix, in->ld, o, name, (uint16_t)nl, g, off, (uint32_t)vl) != OSTORE_OK) {
                return os_fail(e, OSTORE_CORRUPT, "%s entry at offset %zu is a duplicate name", what, eat);
            }
        }
        if (!lazy && !s->repair)
            os_index_load_hint(ix, in->ld, o, os_entries_hint(o->ents, o->n));
        if (lazy && os_index_load_lazy(ix, in->ld, o, ents, (uint32_t)ne, names, nls, lens, first_at,
                                       os_span_hint(&sp, first_at), k0, offs) != OSTORE_OK)
            return os_fail(e, OSTORE_CORRUPT, "%s entry of object %llu at offset %zu is a duplicate name", what,
                           (unsigned long long)i, at);
    }
    if (p != end)
        return os_fail(e, OSTORE_CORRUPT, "%s has %zu bytes after object %llu", what, (size_t)(end - p),
                       (unsigned long long)(in->first + in->count - 1));
    return OSTORE_OK;
}

/* the log's segment of each entry of ci's table (NULL: not in the log), found once */
static os_seg **table_segs(const ostore *s, const os_ckpt_info *ci)
{
    os_seg **tseg = calloc(ci->nsegs ? ci->nsegs : 1, sizeof *tseg);
    if (tseg != NULL)
        for (uint32_t k = 0; k < ci->nsegs; k++)
            tseg[k] = find_seg(&s->log, ci->segs[k].id);
    return tseg;
}

bool os_lazy_entries = true;

static bool lazy_entries(void)
{
    const char *env = getenv("OSTORE_LAZY_ENTRIES");
    return os_lazy_entries && !(env != NULL && strcmp(env, "0") == 0);
}

uint32_t os_load_threads = 0;
uint32_t os_load_part_min = OS_LOAD_PART_MIN;
_Atomic uint32_t os_load_parts_used;

static uint32_t load_threads(void)
{
    long n = os_load_threads;
    const char *env = getenv("OSTORE_LOAD_THREADS"); /* "1": one thread (A/B) */
    if (n == 0 && env != NULL && env[0] >= '1' && env[0] <= '9' && env[1] == '\0')
        n = env[0] - '0';
    cpu_set_t cpus; /* the processors this process may run on (a container's cpuset), not all the machine's */
    if (n == 0)
        n = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > (long)OS_LOAD_PARTS_MAX ? OS_LOAD_PARTS_MAX : (uint32_t)n;
}

/* One part of a parallel load, run by a thread of its own (the first part by the opening thread). */
typedef struct load_part {
    ostore *s;
    const os_ckpt_info *ci;
    os_index *ix;
    v4_objs in;
    os_loader ld;
    os_err e;
    int rc;
} load_part;

static void *load_part_main(void *arg)
{
    load_part *lp = arg;
    lp->rc = load_objs_v4(lp->s, &lp->in, lp->ci, lp->ix, &lp->e);
    if (lp->rc == OSTORE_OK && (lp->rc = os_index_pload_finish(&lp->ld)) != OSTORE_OK)
        os_fail(&lp->e, lp->rc, "checkpoint holds two objects of one class and id (found inserting object %llu..%llu)",
                (unsigned long long)lp->in.first, (unsigned long long)(lp->in.first + lp->in.count - 1));
    if (lp->rc != OSTORE_OK && lp->rc != LOAD_STOPPED)
        atomic_store_explicit(lp->in.stop, true, memory_order_relaxed);
    return NULL;
}

static uint64_t split_distance(const os_ckpt_info *ci, uint32_t j, uint64_t want)
{
    uint64_t n = rd64(ci->splits + OS_CKPT_SPLIT * j);
    return n > want ? n - want : want - n;
}

/* The splits (FORMAT.md, "Checkpoint file", version 5) where each of up to `threads` parts starts, closest to an
 * even share of the objects each; returns the number of parts (1: no split used). at[t] is the split part t + 1
 * starts at. */
static uint32_t choose_parts(const os_ckpt_info *ci, uint32_t threads, uint32_t *at)
{
    uint32_t parts = 1, j = 0;
    for (uint32_t t = 1; t < threads && j < ci->nsplits; t++) {
        uint64_t want = ci->count * t / threads;
        /* the splits' distances to want fall, then rise: stop at the nearest */
        while (j + 1 < ci->nsplits && split_distance(ci, j + 1, want) <= split_distance(ci, j, want))
            j++;
        at[parts - 1] = j++;
        parts++;
    }
    return parts;
}

/* The parts a load of ci's objects runs in (1: the opening thread alone), their first splits in at. */
static uint32_t plan_parts(const os_ckpt_info *ci, uint32_t *at)
{
    uint64_t threads = ci->count / os_load_part_min; /* a part of fewer objects costs more than it saves */
    if (ci->version < 4 || ci->nsplits == 0 || threads <= 1) /* (the processors asked only past this) */
        return 1;
    uint32_t most = load_threads();
    return choose_parts(ci, threads < most ? (uint32_t)threads : most, at);
}

/* A version-5 checkpoint's objects in parts, one thread each; OSTORE_CORRUPT (with the first failing part's reason)
 * when a part does not parse to exactly its objects and bytes, or two objects share a key. */
static int load_parallel(ostore *s, const uint8_t *buf, const v4_objs *all, const os_ckpt_info *ci, os_index *ix,
                         uint32_t parts, const uint32_t *at, os_err *e)
{
    int rc = os_index_pload_begin(ix, ci->count);
    if (rc != OSTORE_OK)
        return os_fail(e, rc, "out of memory loading the checkpoint");
    pthread_mutex_t cls_lock = PTHREAD_MUTEX_INITIALIZER;
    atomic_bool stop = false;
    load_part lp[OS_LOAD_PARTS_MAX];
    os_loader lds[OS_LOAD_PARTS_MAX];
    pthread_t th[OS_LOAD_PARTS_MAX];
    bool started[OS_LOAD_PARTS_MAX] = {false};
    const uint8_t *body = buf + OS_CKPT_HDR;
    for (uint32_t t = 0; t < parts; t++) {
        uint64_t first = t == 0 ? 0 : rd64(ci->splits + OS_CKPT_SPLIT * at[t - 1]);
        uint64_t next = t + 1 == parts ? ci->count : rd64(ci->splits + OS_CKPT_SPLIT * at[t]);
        lp[t] = (load_part){.s = s, .ci = ci, .ix = ix, .in = *all, .rc = OSTORE_OK};
        lp[t].in.p = t == 0 ? all->p : body + rd64(ci->splits + OS_CKPT_SPLIT * at[t - 1] + 8);
        lp[t].in.end = t + 1 == parts ? all->end : body + rd64(ci->splits + OS_CKPT_SPLIT * at[t] + 8);
        lp[t].in.first = first;
        lp[t].in.count = next - first;
        lp[t].in.ld = &lp[t].ld;
        lp[t].in.stop = &stop;
        os_index_pload_part(ix, &lp[t].ld, t, (uint32_t)first, (uint32_t)next, &cls_lock);
    }
    for (uint32_t t = 1; t < parts; t++)
        started[t] = pthread_create(&th[t], NULL, load_part_main, &lp[t]) == 0;
    load_part_main(&lp[0]);
    for (uint32_t t = 1; t < parts; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else /* no thread: this one loads the part */
            load_part_main(&lp[t]);
    }
    /* the reason: out of memory in any part, else the first part that failed by itself (not stopped) */
    rc = OSTORE_OK;
    for (uint32_t t = 0; t < parts; t++) {
        lds[t] = lp[t].ld;
        int r = lp[t].rc;
        if (r == OSTORE_NO_MEMORY ? rc != OSTORE_NO_MEMORY : r != OSTORE_OK && r != LOAD_STOPPED && rc == OSTORE_OK) {
            rc = r;
            *e = lp[t].e;
        }
    }
    int end = os_index_pload_end(ix, lds, parts, rc == OSTORE_OK);
    pthread_mutex_destroy(&cls_lock);
    if (rc == OSTORE_OK && end != OSTORE_OK)
        rc = os_fail(e, end, "out of memory loading the checkpoint");
    return rc;
}

static int load_v4(ostore *s, const uint8_t *buf, size_t len, const os_ckpt_info *ci, os_index *ix, os_loader *ld,
                   os_err *e)
{
    uint64_t body_len = len - OS_CKPT_HDR - OS_CKPT_TRAILER;
    if (ci->count > body_len / MIN_OBJ_BYTES)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint object count %llu does not fit its body",
                       (unsigned long long)ci->count);
    os_seg **tseg = table_segs(s, ci);
    if (tseg == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory loading the checkpoint");
    /* the base's entries may name only the base's own segments, not those deltas added */
    v4_objs all = {.buf = buf, .p = buf + OS_CKPT_HDR + ci->objects_at, .end = buf + OS_CKPT_HDR + ci->objects_end,
                   .count = ci->count, .nsegs = ci->base_nsegs, .tseg = tseg, .what = "checkpoint", .ld = ld,
                   .lazy = !s->repair && lazy_entries()};
    /* the index keeps the table for its lazy objects (and frees it) */
    ix->lazy = (os_lazy){.tseg = tseg, .nsegs = ci->base_nsegs, .end = all.end};
    uint32_t at[OS_LOAD_PARTS_MAX];
    uint32_t parts = plan_parts(ci, at);
    atomic_store_explicit(&os_load_parts_used, parts, memory_order_relaxed);
    return parts > 1 ? load_parallel(s, buf, &all, ci, ix, parts, at, e) : load_objs_v4(s, &all, ci, ix, e);
}

int os_ckpt_load_deltas(ostore *s, const uint8_t *dbuf, const os_ckpt_info *ci, os_index *ix, os_err *e)
{
    os_seg **tseg = table_segs(s, ci);
    if (tseg == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory loading index.delta");
    int rc = OSTORE_OK;
    for (uint32_t d = 0; d < ci->ndeltas && rc == OSTORE_OK; d++) {
        const os_ckpt_delta *dl = &ci->deltas[d];
        v4_objs in = {.buf = dbuf, .p = dbuf + dl->objects_at, .end = dbuf + dl->end, .count = dl->count,
                      .nsegs = dl->nsegs, .tseg = tseg, .delta = true, .what = "index.delta"};
        rc = load_objs_v4(s, &in, ci, ix, e);
    }
    free(tseg);
    return rc;
}

/* Loads the objects of an authentic checkpoint held in buf (owned by ix) into the empty index ix.
 * Any inconsistency gives OSTORE_CORRUPT with the reason; the caller then replays the whole log. */
int os_ckpt_load(ostore *s, const uint8_t *buf, size_t len, const os_ckpt_info *ci, os_index *ix, os_err *e)
{
    /* a bulk load: the slot table sized once, for the objects the body can hold at most (the count is only
     * checked against the body by the loaders), each slot inserted a few objects after its line was asked for */
    uint64_t most = (len - OS_CKPT_HDR - OS_CKPT_TRAILER) / MIN_OBJ_BYTES;
    os_loader ld;
    int rc = os_index_load_begin(ix, ci->count < most ? ci->count : most, &ld);
    if (rc != OSTORE_OK)
        return os_fail(e, rc, "out of memory loading the checkpoint");
    rc = ci->version == 2 ? load_v2(s, buf, len, ci, ix, &ld, e)
         : ci->version == 3 ? load_v3(s, buf, len, ci, ix, &ld, e) : load_v4(s, buf, len, ci, ix, &ld, e);
    int end = os_index_load_end(&ld); /* nothing pending after a parallel load: its parts inserted theirs */
    if (rc == OSTORE_OK && end != OSTORE_OK)
        rc = os_fail(e, OSTORE_CORRUPT, "checkpoint holds two objects of one class and id");
    if (rc == OSTORE_OK)
        s->ckpt_bytes = len;
    return rc;
}
