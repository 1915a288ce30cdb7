/* Compaction (FORMAT.md, "Compaction"): rewrite every live object and tombstone as SNAPSHOT records into
 * new segments, checkpoint them, swap the index under a short exclusive lock, delete the old segments.
 * Runs under the writer mutex; readers keep using the old index and old segments until the swap. */
#include "internal.h"

#include <stdlib.h>

/* version-1 SNAPSHOT objects: only for the compatibility writer (os_rec_write_version 1, tests) */
static uint64_t obj_snapshot_size_v1(const os_obj *o)
{
    uint64_t n = OS_OBJ_HDR + pad8((uint64_t)o->class_len + o->id_len);
    for (uint32_t i = 0; i < o->n; i++)
        n += OS_OP_HDR + pad8((uint64_t)o->ents[i].name_len + o->ents[i].len);
    return n;
}

static uint8_t *write_object_v1(uint8_t *p, const os_obj *o)
{
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
        const os_entry *en = &o->ents[i];
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
    uint64_t n = os_varint_len(o->id_len) + o->id_len + os_varint_len(((uint64_t)o->n << 1) | 1u) +
                 os_varint_len(o->version);
    for (uint32_t i = 0; i < o->n; i++)
        n += os_varint_len((uint64_t)o->ents[i].name_len << 1) + o->ents[i].name_len + os_varint_len(o->ents[i].len) +
             o->ents[i].len;
    return n;
}

static uint8_t *write_object(uint8_t *p, const os_obj *o)
{
    p = os_put_varint(p, o->id_len);
    memcpy(p, o->key, o->id_len);
    p += o->id_len;
    p = os_put_varint(p, ((uint64_t)o->n << 1) | (o->tomb ? 1u : 0u));
    p = os_put_varint(p, o->version);
    for (uint32_t i = 0; i < o->n; i++) {
        const os_entry *en = &o->ents[i];
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
    for (uint32_t k = i; k < j; k++) {
        os_obj *o = os_obj_at(src, k);
        for (uint32_t m = 0; m < o->n; m++)
            if (!__atomic_load_n(&o->ents[m].checked, __ATOMIC_RELAXED)) {
                int rc = os_entry_check(&o->ents[m], e);
                if (rc != OSTORE_OK)
                    return rc;
            }
    }
    uint64_t rec_len = pad8(hl + payload);
    os_seg *g;
    bool changed = false;
    int rc = os_log_reserve(s, lg, rec_len, &g, &changed, e);
    if (rc == OSTORE_OK && g->nrec == g->caprec) {
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
    __atomic_store_n(&g->end, g->end + rec_len, __ATOMIC_RELEASE); /* after the record's push: os_seg_check_record */
    if (live) {
        os_seg_kick(g, s->page);
        s->ckpt_current = false;
        s->bytes_since_ckpt += rec_len;
        if (changed)
            os_store_refresh_file_stats(s);
        else
            atomic_fetch_add_explicit(&s->st_log_bytes, rec_len, memory_order_relaxed);
        atomic_store_explicit(&s->st_last_seq, s->next_seq, memory_order_relaxed);
    }
    s->next_seq++;
    *next = j;
    return OSTORE_OK;
}

int os_compact_step(ostore *s, uint32_t i, uint32_t end, uint32_t *next, os_err *e)
{
    return append_snapshot(s, s->idx, &s->log, i, end, OS_BG_SNAPSHOT_TARGET, true, next, s->idx, e);
}

void os_compact_drop_below(ostore *s, uint64_t c1)
{
    size_t k = 0;
    while (k < s->log.n && s->log.segs[k]->id < c1)
        k++;
    if (k == 0 || k == s->log.n)
        return;
    os_log old = {0};
    old.segs = malloc(k * sizeof *old.segs);
    if (old.segs == NULL)
        return; /* they stay until the next open deletes them (below the checkpoint's first segment) */
    memcpy(old.segs, s->log.segs, k * sizeof *old.segs);
    old.n = old.cap = k;
    os_excl_begin(&s->rd); /* no index entry points into them any more; the log array changes */
    memmove(s->log.segs, s->log.segs + k, (s->log.n - k) * sizeof *s->log.segs);
    s->log.n -= k;
    os_excl_end(&s->rd);
    os_log_free(&old, true);
    os_store_refresh_file_stats(s);
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
    os_excl_end(&s->rd);
    os_index_free(old);
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
