/* Compaction (FORMAT.md, "Compaction"): rewrite every live object and tombstone as SNAPSHOT records into
 * new segments, checkpoint them, swap the index under a short exclusive lock, delete the old segments.
 * Runs under the writer mutex; readers keep using the old index and old segments until the swap. */
#include "internal.h"

#include <stdlib.h>
#include <time.h>

uint64_t os_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void os_timing_add(_Atomic uint64_t *total, _Atomic uint64_t *max, _Atomic uint64_t *count, uint64_t ns)
{
    atomic_fetch_add_explicit(total, ns, memory_order_relaxed);
    atomic_fetch_add_explicit(count, 1, memory_order_relaxed);
    uint64_t m = atomic_load_explicit(max, memory_order_relaxed);
    while (ns > m && !atomic_compare_exchange_weak_explicit(max, &m, ns, memory_order_relaxed, memory_order_relaxed)) {
    }
}

void os_cmp_timing_get(ostore *s, os_cmp_timing *t)
{
    t->cmp_hold_ns = atomic_load_explicit(&s->cmp_hold_ns, memory_order_relaxed);
    t->cmp_hold_max_ns = atomic_load_explicit(&s->cmp_hold_max_ns, memory_order_relaxed);
    t->cmp_holds = atomic_load_explicit(&s->cmp_holds, memory_order_relaxed);
    t->wr_wait_ns = atomic_load_explicit(&s->wr_wait_ns, memory_order_relaxed);
    t->wr_wait_max_ns = atomic_load_explicit(&s->wr_wait_max_ns, memory_order_relaxed);
    t->wr_waits = atomic_load_explicit(&s->wr_waits, memory_order_relaxed);
    t->cmp_retries = atomic_load_explicit(&s->cmp_retries, memory_order_relaxed);
    t->cmp_roll_ns = atomic_load_explicit(&s->cmp_roll_ns, memory_order_relaxed);
    t->cmp_roll_max_ns = atomic_load_explicit(&s->cmp_roll_max_ns, memory_order_relaxed);
    t->cmp_rolls = atomic_load_explicit(&s->cmp_rolls, memory_order_relaxed);
}

/* version-1 SNAPSHOT objects: only for the compatibility writer (os_rec_write_version 1, tests) */
static uint64_t obj_snapshot_size_v1(const os_obj *o)
{
    os_entry buf[OS_LAZY_MAX];
    const os_entry *ents = os_obj_ents(o, buf);
    uint64_t n = OS_OBJ_HDR + pad8((uint64_t)o->class_len + o->id_len);
    for (uint32_t i = 0; i < o->n; i++)
        n += OS_OP_HDR + pad8((uint64_t)ents[i].name_len + ents[i].len);
    return n;
}

static uint8_t *write_object_v1(uint8_t *p, const os_obj *o)
{
    os_entry buf[OS_LAZY_MAX];
    const os_entry *ents = os_obj_ents(o, buf);
    size_t kl = (size_t)o->class_len + o->id_len;
    wr16(p, o->class_len);
    wr16(p + 2, o->id_len);
    wr32(p + 4, o->n);
    wr32(p + 8, o->tomb ? OSTORE_OBJECT_DELETE : 0u);
    wr32(p + 12, 0);
    wr64(p + 16, o->version);
    memcpy(p + OS_OBJ_HDR, o->cls->name, o->class_len);
    memcpy(p + OS_OBJ_HDR + o->class_len, o->key, o->id_len);
    memset(p + OS_OBJ_HDR + kl, 0, pad8(kl) - kl);
    p += OS_OBJ_HDR + pad8(kl);
    for (uint32_t i = 0; i < o->n; i++) {
        const os_entry *en = &ents[i];
        p[0] = OSTORE_OP_PUT;
        p[1] = 0;
        wr16(p + 2, en->name_len);
        wr32(p + 4, en->len);
        memcpy(p + OS_OP_HDR, os_entry_name(en), en->name_len);
        memcpy(p + OS_OP_HDR + en->name_len, en->seg->base + en->off, en->len);
        size_t b = (size_t)en->name_len + en->len;
        memset(p + OS_OP_HDR + b, 0, pad8(b) - b);
        p += OS_OP_HDR + pad8(b);
    }
    return p;
}

/* version-2 SNAPSHOT object without its run's class (FORMAT.md, "Record version 2") */
static uint64_t obj_snapshot_size(const os_obj *o)
{
    os_entry buf[OS_LAZY_MAX];
    const os_entry *ents = os_obj_ents(o, buf);
    uint64_t n = os_varint_len(o->id_len) + o->id_len + os_varint_len(((uint64_t)o->n << 1) | 1u) +
                 os_varint_len(o->version);
    for (uint32_t i = 0; i < o->n; i++)
        n += os_varint_len((uint64_t)ents[i].name_len << 1) + ents[i].name_len + os_varint_len(ents[i].len) +
             ents[i].len;
    return n;
}

static uint8_t *write_object(uint8_t *p, const os_obj *o)
{
    os_entry buf[OS_LAZY_MAX];
    const os_entry *ents = os_obj_ents(o, buf);
    p = os_put_varint(p, o->id_len);
    memcpy(p, o->key, o->id_len);
    p += o->id_len;
    p = os_put_varint(p, ((uint64_t)o->n << 1) | (o->tomb ? 1u : 0u));
    p = os_put_varint(p, o->version);
    for (uint32_t i = 0; i < o->n; i++) {
        const os_entry *en = &ents[i];
        p = os_put_varint(p, (uint64_t)en->name_len << 1);
        p = os_put_varint(p, en->len);
        memcpy(p, os_entry_name(en), en->name_len);
        p += en->name_len;
        memcpy(p, en->seg->base + en->off, en->len);
        p += en->len;
    }
    return p;
}

/* objects [i, end) of src that share os_obj_at(src, i)'s class: one run */
static uint32_t obj_run_end(const os_index *src, uint32_t i, uint32_t end)
{
    const os_cls *c = os_obj_at(src, i)->cls;
    uint32_t j = i + 1;
    while (j < end && os_obj_at(src, j)->cls == c)
        j++;
    return j;
}

/* A compaction record was pushed into g's record table: make it visible (end after the push, see
 * os_seg_check_record) and, when it went into the published log
 * (live), account for it in the store's checkpoint and stats. */
static void record_appended(ostore *s, os_seg *g, uint64_t rec_len, bool changed, bool live)
{
    __atomic_store_n(&g->end, g->end + rec_len, __ATOMIC_RELEASE);
    if (live) {
        os_seg_kick(g, s->page);
        s->ckpt_current = false;
        s->bytes_since_ckpt += rec_len;
        if (changed)
            os_store_refresh_file_stats(s);
        else
            os_writer_add(&s->st_log_bytes, rec_len);
        atomic_store_explicit(&s->st_last_seq, s->next_seq, memory_order_relaxed);
    }
    s->next_seq++;
}

/* Appends one SNAPSHOT record restating objects [i, ...) of ix — as many as fit in about `target` payload
 * bytes, stopping at `end` — to lg, and publishes it into ix (FORMAT.md, "Compaction"). live: ix is the
 * published index (readers are kept out only while publishing, under the exclusive lock); else ix is a new
 * index nobody reads yet. *next receives the first object not restated. Writer mutex held. */
static int append_snapshot(ostore *s, os_index *ix, os_log *lg, uint32_t i, uint32_t end, uint64_t target,
                           bool live, uint32_t *next, const os_index *src, os_err *e)
{
    bool v2 = os_rec_write_version != 1;
    uint64_t payload = v2 ? 0 : 8;
    uint32_t j = i;
    const os_cls *run = NULL;
    while (j < end) {
        const os_obj *o = os_obj_at(src, j);
        uint64_t sz = v2 ? obj_snapshot_size(o) : obj_snapshot_size_v1(o);
        if (v2 && o->cls != run) /* a new run: its class and count (a bound, made exact below) */
            sz += os_varint_len(o->class_len) + o->class_len + 5u;
        if (j > i && payload + sz > target)
            break;
        payload += sz;
        run = o->cls;
        j++;
    }
    if (v2) { /* exact: the run counts' varints */
        payload = 0;
        for (uint32_t k = i; k < j;) {
            uint32_t r = obj_run_end(src, k, j);
            const os_obj *o = os_obj_at(src, k);
            payload += os_varint_len(o->class_len) + o->class_len + os_varint_len(r - k);
            for (; k < r; k++)
                payload += obj_snapshot_size(os_obj_at(src, k));
        }
    }
    uint32_t hl = v2 ? os_rec2_hdr_len(payload, s->next_seq) : OS_REC_HDR;
    /* never copy a value whose record fails its check into a new, valid record (FORMAT.md D4) */
    os_rec_memo memo = {0};
    for (uint32_t k = i; k < j; k++) {
        os_obj *o = os_obj_at(src, k);
        os_entry buf[OS_LAZY_MAX];
        os_entry *ents = (os_entry *)os_obj_ents(o, buf); /* a lazy object's flags are set in buf: checked again */
        for (uint32_t m = 0; m < o->n; m++)
            if (!__atomic_load_n(&ents[m].checked, __ATOMIC_RELAXED)) {
                int rc = os_entry_check(&ents[m], &memo, e);
                if (rc != OSTORE_OK)
                    return rc;
            }
    }
    uint64_t rec_len = pad8(hl + payload);
    os_seg *g;
    bool changed = false;
    int rc = os_log_reserve(s, lg, rec_len, &g, &changed, e);
    if (rc == OSTORE_OK && os_seg_rec_full(g)) {
        if (live) /* the record table moves: not while a reader may be searching it */
            os_excl_begin(&s->rd);
        if (os_seg_rec_reserve(g, 1) != OSTORE_OK)
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
        if (live)
            os_excl_end(&s->rd);
    }
    if (rc != OSTORE_OK) {
        if (live && changed)
            os_store_refresh_file_stats(s);
        return rc;
    }
    os_seg_huge_ahead(g, &s->pages, g->end + rec_len); /* a compaction writes in bulk: the log ahead in 2 MiB folios */
    os_seg_huge_prefault(g, &s->pages, g->end + rec_len);
    uint8_t *rec = g->base + g->end;
    uint8_t *p = rec + hl;
    if (v2) {
        for (uint32_t k = i; k < j;) {
            uint32_t r = obj_run_end(src, k, j);
            const os_obj *o = os_obj_at(src, k);
            p = os_put_varint(p, o->class_len);
            memcpy(p, o->cls->name, o->class_len);
            p += o->class_len;
            p = os_put_varint(p, r - k);
            for (; k < r; k++)
                p = write_object(p, os_obj_at(src, k));
        }
        os_rec2_seal(rec, hl, payload, s->next_seq, OS_REC_SNAPSHOT);
    } else {
        wr32(p, j - i);
        wr32(p + 4, 0);
        p += 8;
        for (uint32_t k = i; k < j; k++)
            p = write_object_v1(p, os_obj_at(src, k));
        os_rec_seal(rec, payload, s->next_seq, OS_REC_SNAPSHOT);
    }
    uint32_t n;
    const uint8_t *pl = rec + hl;
    /* parsed back from the record: the index then points into it exactly as replay's would */
    rc = v2 ? os_rec2_parse(pl, payload, true, &s->sc, &n, e)
            : os_batch_parse(pl, payload, OSTORE_HARD_MAX_VALUE, true, &s->sc, &n, e);
    if (rc == OSTORE_OK)
        rc = os_index_lookup_batch(ix, s->sc.objs, n, &s->sc, e);
    if (rc == OSTORE_OK)
        rc = os_index_prepare(ix, s->sc.ops, s->sc.objs, n, true, &s->sc.prep, e);
    if (rc != OSTORE_OK) {
        memset(rec, 0, rec_len);
        if (live && changed)
            os_store_refresh_file_stats(s);
        return rc;
    }
    if (live)
        os_excl_begin(&s->rd);
    os_index_publish(ix, s->sc.ops, pl, g, g->end + hl, s->sc.objs, n, true, &s->sc.prep);
    os_seg_rec_push(g, g->end, s->next_seq, OS_REC_OK);
    if (live)
        os_excl_end(&s->rd);
    os_index_release(&s->sc.prep);
    record_appended(s, g, rec_len, changed, live);
    *next = j;
    return OSTORE_OK;
}

int os_compact_step(ostore *s, uint32_t i, uint32_t end, uint64_t target, uint32_t *next, os_err *e)
{
    return append_snapshot(s, s->idx, &s->log, i, end, target, true, next, s->idx, e);
}

bool os_cmp_under_mutex;
void (*os_cmp_built_hook)(ostore *s, uint32_t i, uint32_t j);

void os_compact_drop_below(ostore *s, uint64_t c1, os_log *old)
{
    size_t k = 0;
    while (k < s->log.n && s->log.segs[k]->id < c1)
        k++;
    if (k == 0 || k == s->log.n)
        return;
    old->segs = malloc(k * sizeof *old->segs);
    if (old->segs == NULL)
        return; /* they stay until the next open deletes them (below the checkpoint's first segment) */
    memcpy(old->segs, s->log.segs, k * sizeof *old->segs);
    old->n = old->cap = k;
    os_excl_begin(&s->rd); /* no index entry points into them any more; the log array changes */
    memmove(s->log.segs, s->log.segs + k, (s->log.n - k) * sizeof *s->log.segs);
    s->log.n -= k;
    atomic_fetch_add_explicit(&s->log_drops, 1, memory_order_relaxed); /* the precheck's copy names them */
    os_excl_end(&s->rd);
    os_store_refresh_file_stats(s);
}

/* compaction takes the writer mutex ahead of the writer (bg_turn); *t0 receives when it got it */
void os_cmp_lock(ostore *s, uint64_t *t0)
{
    atomic_store_explicit(&s->bg_turn, true, memory_order_relaxed);
    pthread_mutex_lock(&s->wmu);
    atomic_store_explicit(&s->bg_turn, false, memory_order_relaxed);
    *t0 = os_mono_ns();
}

void os_cmp_unlock(ostore *s, uint64_t t0)
{
    os_timing_add(&s->cmp_hold_ns, &s->cmp_hold_max_ns, &s->cmp_holds, os_mono_ns() - t0);
    pthread_mutex_unlock(&s->wmu);
}

int os_do_compact(ostore *s, os_err *e)
{
    os_ckpt_bg_wait(s); /* a background job reads the index and segments this swaps and frees */
    os_index *old = s->idx;
    /* the old log must be durable before newer segments exist: a torn record in a segment that is no
     * longer the last one would read as corruption */
    int rc = os_sync_log(s, &s->log, e);
    if (rc != OSTORE_OK)
        return rc;
    uint64_t seq0 = s->next_seq;
    os_log nl = {0};
    os_index *ni = os_index_new();
    if (ni == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
    os_seg *g;
    bool changed = false;
    rc = os_log_reserve(s, &nl, 0, &g, &changed, e);
    for (uint32_t i = 0; rc == OSTORE_OK && i < old->nobj;)
        rc = append_snapshot(s, ni, &nl, i, old->nobj, OS_SNAPSHOT_TARGET, false, &i, old, e);
    if (rc == OSTORE_OK)
        rc = os_sync_log(s, &nl, e);
    bool renamed = false;
    if (rc == OSTORE_OK)
        rc = os_ckpt_write(s, ni, &nl, s->next_seq - 1, &renamed, e);
    if (rc != OSTORE_OK && !renamed) {
        /* the old checkpoint and log still describe the state: forget the new segments */
        os_log_free(&nl, true);
        os_index_free(ni);
        s->next_seq = seq0;
        return rc;
    }
    /* The new checkpoint is index.ckpt (FORMAT.md, "Compaction"): from here on the new segments are the log.
     * When what followed the rename failed (the directory fsync), the rename may not be durable and the old
     * checkpoint may come back after a power cut: its segments stay on disk (closed, not deleted; the next
     * open deletes them once a checkpoint without them is in place), and the next checkpoint is full
     * (snap_done lost the marks), which renames and syncs again. */
    os_log oldlog = s->log;
    os_excl_begin(&s->rd);
    s->idx = ni;
    s->log = nl;
    atomic_fetch_add_explicit(&s->log_drops, 1, memory_order_relaxed);
    os_excl_end(&s->rd);
    os_index_free(old);
    os_pages_idle(&s->pages); /* its last job may be in the old head segment, which is unmapped here */
    os_log_free(&oldlog, rc == OSTORE_OK);
    s->ckpt_seq = s->next_seq - 1;
    s->ckpt_current = rc == OSTORE_OK;
    s->ckpt_in_use = true;
    if (rc == OSTORE_OK)
        s->bytes_since_ckpt = 0;
    atomic_fetch_add_explicit(&s->st_compactions, 1, memory_order_relaxed);
    atomic_store_explicit(&s->st_last_seq, s->next_seq - 1, memory_order_relaxed);
    os_store_refresh_file_stats(s);
    return rc;
}

/* ---- background compaction, off the writer mutex (FORMAT.md, "Compaction"; native-src/README.md,
 * "Compaction off the writer mutex") ----
 * A step reads objects of the live index like a reader (read sections of store->rd, each object under its
 * sequence), checks the records it copies from (D4) and encodes one SNAPSHOT payload into memory of its own,
 * all without the writer mutex. Then, holding the mutex, it checks that no object of the payload changed since
 * (its sequence is the one read: every publish that touches an object moves it), appends the record and
 * re-points the objects' keys, names and values at it in an exclusive section of store->rd. A payload with a
 * changed object is encoded again (it would restate an older state after a newer one); after
 * OS_CMP_TRIES such tries the step restates its objects under the mutex as before (append_snapshot). */

#define OS_CMP_TRIES 4
#define OS_CMP_RD_OBJS 64u /* objects read per read section: a writer's exclusive publish waits at most for these */

typedef struct cmp_ent {
    os_seg *seg;
    uint64_t off;
    uint64_t name_word; /* inline name bytes, or the long name's pointer */
    uint32_t len;
    uint16_t name_len;
    uint64_t at; /* offset of the name in the payload (the value follows) */
} cmp_ent;

typedef struct cmp_obj {
    os_obj *o;
    uint32_t q; /* its sequence when read */
    uint32_t n, e0;
    uint8_t tomb;
    uint64_t version;
    uint64_t id_at;
} cmp_obj;

struct os_cmp_build {
    cmp_obj *objs;
    size_t nobj, capobj;
    cmp_ent *ents;
    size_t nent, capent;
    uint8_t *buf;
    size_t cap;
};

void os_cmp_build_free(struct os_cmp_build *b)
{
    if (b == NULL)
        return;
    free(b->objs);
    free(b->ents);
    free(b->buf);
    free(b);
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * elem);
    if (q == NULL)
        return false;
    *p = q;
    *cap = nc;
    return true;
}

static const uint8_t *obj_id_bytes(const os_obj *o) { return o->id_len <= OS_INLINE_ID ? o->id : o->key; }

/* Reads object o (inside a read section) into b: its state under one sequence, each value's record checked. */
static int read_obj(struct os_cmp_build *b, os_obj *o, os_err *e)
{
    for (;;) {
        uint32_t q = os_obj_seq_begin(o);
        uint32_t n = OS_LD(o->n);
        os_entry lbuf[OS_LAZY_MAX];
        os_entry *arr = os_obj_ents_rd(o, n, OS_LD(o->ents), lbuf);
        if (!grow((void **)&b->ents, &b->capent, b->nent + n, sizeof *b->ents))
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
        cmp_obj *co = &b->objs[b->nobj];
        co->o = o;
        co->q = q;
        co->n = n;
        co->e0 = (uint32_t)b->nent;
        co->tomb = OS_LD(o->tomb);
        co->version = OS_LD(o->version);
        os_eview v[1];
        bool unchecked = false;
        for (uint32_t m = 0; m < n; m++) {
            os_eview_load(v, &arr[m]);
            cmp_ent *ce = &b->ents[b->nent + m];
            *ce = (cmp_ent){v->seg, v->off, v->name_word, v->len, v->name_len, 0};
            unchecked |= v->checked == 0;
        }
        if (!os_obj_seq_ok(o, q))
            continue; /* a publish changed it meanwhile: read it again */
        os_rec_memo memo = {0};
        if (unchecked) /* never copy a value whose record fails its check into a new, valid record (D4) */
            for (uint32_t m = 0; m < n; m++) {
                os_eview_load(v, &arr[m]);
                if (!os_obj_seq_ok(o, q))
                    break;
                if (arr == lbuf && os_ents_lazy(OS_LD(o->ents)))
                    v->lazy_i = (int32_t)m; /* its flag is a bit of o (internal.h, lazy entries) */
                if (!v->checked) {
                    int rc = os_eview_check(o, q, v, &memo, e);
                    if (rc != OSTORE_OK)
                        return rc;
                }
            }
        if (!os_obj_seq_ok(o, q))
            continue;
        b->nent += n;
        b->nobj++;
        return OSTORE_OK;
    }
}

static uint64_t cobj_size(const struct os_cmp_build *b, const cmp_obj *co)
{
    const os_obj *o = co->o;
    uint64_t sz = os_varint_len(o->id_len) + o->id_len + os_varint_len(((uint64_t)co->n << 1) | 1u) +
                  os_varint_len(co->version);
    for (uint32_t m = 0; m < co->n; m++) {
        const cmp_ent *ce = &b->ents[co->e0 + m];
        sz += os_varint_len((uint64_t)ce->name_len << 1) + ce->name_len + os_varint_len(ce->len) + ce->len;
    }
    return sz;
}

/* Reads objects [i, ...) of the live index — as many as fit in about `target` payload bytes, up to `end` —
 * and encodes them as a version-2 SNAPSHOT payload in b->buf (*len bytes). No writer mutex. */
static int build(ostore *s, struct os_cmp_build *b, uint32_t i, uint32_t end, uint64_t target, uint64_t *len,
                 os_err *e)
{
    b->nobj = b->nent = 0;
    uint64_t payload = 0;
    uint32_t k = i;
    int rc = OSTORE_OK;
    while (rc == OSTORE_OK && k < end && (k == i || payload < target)) {
        if (!grow((void **)&b->objs, &b->capobj, b->nobj + OS_CMP_RD_OBJS, sizeof *b->objs))
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
        uint32_t t = os_rd_enter(&s->rd);
        const os_index *ix = s->idx; /* the bg job runs: nothing swaps it */
        for (uint32_t r = 0; r < OS_CMP_RD_OBJS && k < end && (k == i || payload < target) && rc == OSTORE_OK; r++, k++) {
            rc = read_obj(b, os_obj_at(ix, k), e);
            if (rc == OSTORE_OK) {
                const cmp_obj *co = &b->objs[b->nobj - 1];
                payload += cobj_size(b, co) + (b->nobj == 1 || b->objs[b->nobj - 2].o->cls != co->o->cls
                                                   ? os_varint_len(co->o->class_len) + co->o->class_len + 5u : 0);
            }
        }
        os_rd_exit(&s->rd, t);
    }
    if (rc != OSTORE_OK)
        return rc;
    /* room for the record header in front (install seals it there) and for the padding behind */
    if (!grow((void **)&b->buf, &b->cap, OS_REC2_HDR_MAX + payload + 8, 1))
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
    /* values, long names and long ids live in segments that stay mapped while the job runs (only the job
     * itself drops segments): read without a read section */
    uint8_t *const pl0 = b->buf + OS_REC2_HDR_MAX;
    uint8_t *p = pl0;
    for (size_t x = 0; x < b->nobj;) {
        const os_cls *c = b->objs[x].o->cls;
        size_t r = x + 1;
        while (r < b->nobj && b->objs[r].o->cls == c)
            r++;
        p = os_put_varint(p, c->len);
        memcpy(p, c->name, c->len);
        p += c->len;
        p = os_put_varint(p, r - x);
        for (; x < r; x++) {
            cmp_obj *co = &b->objs[x];
            const os_obj *o = co->o;
            p = os_put_varint(p, o->id_len);
            co->id_at = (uint64_t)(p - pl0);
            memcpy(p, obj_id_bytes(o), o->id_len);
            p += o->id_len;
            p = os_put_varint(p, ((uint64_t)co->n << 1) | (co->tomb ? 1u : 0u));
            p = os_put_varint(p, co->version);
            for (uint32_t m = 0; m < co->n; m++) {
                cmp_ent *ce = &b->ents[co->e0 + m];
                p = os_put_varint(p, (uint64_t)ce->name_len << 1);
                p = os_put_varint(p, ce->len);
                ce->at = (uint64_t)(p - pl0);
                memcpy(p, ce->name_len <= OS_INLINE_NAME ? (const uint8_t *)&ce->name_word
                                                         : (const uint8_t *)(uintptr_t)ce->name_word, ce->name_len);
                p += ce->name_len;
                memcpy(p, ce->seg->base + ce->off, ce->len);
                p += ce->len;
            }
        }
    }
    *len = (uint64_t)(p - pl0);
    return OSTORE_OK;
}

/* Writer mutex held: the payload restates its objects as they are now (none changed since it was read). */
static bool still_current(const struct os_cmp_build *b)
{
    for (size_t x = 0; x < b->nobj; x++)
        if (__atomic_load_n(&b->objs[x].o->seq, __ATOMIC_RELAXED) != b->objs[x].q)
            return false;
    return true;
}

/* Writer mutex held, b still current: appends the record and re-points its objects at it. */
static int install(ostore *s, struct os_cmp_build *b, uint64_t payload, os_err *e)
{
    /* objects whose entries are lazy get an array first (re-pointed below), published like any change */
    for (size_t x = 0; x < b->nobj; x++) {
        cmp_obj *co = &b->objs[x];
        if (os_ents_lazy(co->o->ents) && co->n > 0) {
            if (os_index_materialize(s->idx, co->o) != OSTORE_OK)
                return os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
            co->q += 2; /* its sequence moved by one publish, not by a change of state */
        }
    }
    uint32_t hl = os_rec2_hdr_len(payload, s->next_seq);
    uint64_t rec_len = pad8(hl + payload);
    os_seg *g;
    bool changed = false;
    int rc = os_log_reserve(s, &s->log, rec_len, &g, &changed, e);
    if (rc == OSTORE_OK && os_seg_rec_full(g)) {
        os_excl_begin(&s->rd); /* the record table moves: not while a reader may be searching it */
        if (os_seg_rec_reserve(g, 1) != OSTORE_OK)
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
        os_excl_end(&s->rd);
    }
    if (rc != OSTORE_OK) {
        if (changed)
            os_store_refresh_file_stats(s);
        return rc;
    }
    /* written with pwrite, not copied into the mapping: a copy paid a write fault per fresh page, ~300 us per
     * 64 KiB here (native-src/README.md, "Compaction off the writer mutex") */
    os_seg_huge_ahead(g, &s->pages, g->end + rec_len); /* the pwrite then fills 2 MiB folios where they were made */
    uint8_t *rec = b->buf + OS_REC2_HDR_MAX - hl;
    os_rec2_seal(rec, hl, payload, s->next_seq, OS_REC_SNAPSHOT);
    rc = os_rec_pwrite(g, rec, hl, rec + hl, payload, e);
    if (rc != OSTORE_OK) {
        if (changed)
            os_store_refresh_file_stats(s);
        return rc;
    }
    const uint8_t *pl = g->base + g->end + hl; /* the index points into the mapping, as for any record */
    uint64_t poff = g->end + hl;
    /* exclusive: lookups compare long ids through o->key without the object's sequence */
    os_excl_begin(&s->rd);
    for (size_t x = 0; x < b->nobj; x++) {
        const cmp_obj *co = &b->objs[x];
        os_obj *o = co->o;
        __atomic_store_n(&o->seq, co->q + 1u, __ATOMIC_RELAXED);
        o->key = pl + co->id_at;
        for (uint32_t m = 0; m < co->n; m++) {
            const cmp_ent *ce = &b->ents[co->e0 + m];
            os_entry *en = &o->ents[m];
            if (ce->name_len > OS_INLINE_NAME)
                OS_ST(en->name.ptr, pl + ce->at);
            OS_ST(en->seg, g);
            OS_ST(en->off, poff + ce->at + ce->name_len);
            OS_ST(en->checked, (uint16_t)1); /* a record this handle wrote */
        }
        __atomic_store_n(&o->seq, co->q + 2u, __ATOMIC_RELEASE);
    }
    os_seg_rec_push(g, g->end, s->next_seq, OS_REC_OK);
    os_excl_end(&s->rd);
    record_appended(s, g, rec_len, changed, true);
    return OSTORE_OK;
}

int os_compact_step_bg(ostore *s, struct os_cmp_build **bp, uint32_t i, uint32_t end, uint32_t *next,
                       _Atomic bool *stop, bool *stopped, os_err *e)
{
    *stopped = false;
    uint64_t t0;
    if (os_rec_write_version == 1 || os_cmp_under_mutex) {
        /* the compatibility writer (tests), or the A/B switch: the whole step under the mutex, as before */
        os_cmp_lock(s, &t0);
        int rc = OSTORE_OK;
        if (atomic_load_explicit(stop, memory_order_acquire))
            *stopped = true;
        else
            rc = os_compact_step(s, i, end, OS_BG_SNAPSHOT_LOCKED, next, e);
        os_cmp_unlock(s, t0);
        return rc;
    }
    if (*bp == NULL && (*bp = calloc(1, sizeof **bp)) == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory compacting");
    struct os_cmp_build *b = *bp;
    for (int tries = 0;; tries++) {
        uint64_t payload = 0;
        int rc = tries < OS_CMP_TRIES ? build(s, b, i, end, OS_BG_SNAPSHOT_TARGET, &payload, e) : OSTORE_OK;
        if (rc != OSTORE_OK)
            return rc;
        if (tries < OS_CMP_TRIES && os_cmp_built_hook != NULL)
            os_cmp_built_hook(s, i, i + (uint32_t)b->nobj);
        os_cmp_lock(s, &t0);
        if (atomic_load_explicit(stop, memory_order_acquire)) {
            *stopped = true;
        } else if (tries >= OS_CMP_TRIES) { /* the writer keeps changing these objects: restate them now */
            rc = os_compact_step(s, i, end, OS_BG_SNAPSHOT_TARGET, next, e);
        } else if (still_current(b)) {
            rc = install(s, b, payload, e);
            if (rc == OSTORE_OK)
                *next = i + (uint32_t)b->nobj;
        } else {
            os_cmp_unlock(s, t0);
            atomic_fetch_add_explicit(&s->cmp_retries, 1, memory_order_relaxed);
            continue;
        }
        os_cmp_unlock(s, t0);
        return rc;
    }
}
