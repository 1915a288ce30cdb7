/* Opening a store directory: segment discovery, checkpoint, log replay, torn-tail handling
 * (FORMAT.md, "Recovery"). Files are modified only after the whole log has been judged. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct replay_res {
    bool bad;         /* an invalid record was met */
    size_t k;         /* ... in segment k of the log */
    uint64_t pos;     /* ... at this offset */
    char why[200];
    uint64_t last_seq;
    uint64_t records; /* records applied */
    uint64_t bytes;   /* record bytes applied */
} replay_res;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool parse_seg_name(const char *n, uint64_t *id)
{
    if (strlen(n) != 24 || memcmp(n, "seg-", 4) != 0 || memcmp(n + 20, ".log", 4) != 0)
        return false;
    uint64_t v = 0;
    for (int i = 4; i < 20; i++) {
        char c = n[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else
            return false;
        v = (v << 4) | d;
    }
    *id = v;
    return true;
}

static int list_segments(const char *dir, uint64_t **ids, size_t *n, os_err *e)
{
    *ids = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return os_fail_errno(e, errno, "listing directory", dir);
    size_t cap = 0;
    struct dirent *de;
    int rc = OSTORE_OK;
    while ((de = readdir(d)) != NULL) {
        uint64_t id;
        if (!parse_seg_name(de->d_name, &id))
            continue;
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            uint64_t *a = realloc(*ids, nc * sizeof *a);
            if (a == NULL) {
                rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory listing segments");
                break;
            }
            *ids = a;
            cap = nc;
        }
        (*ids)[(*n)++] = id;
    }
    closedir(d);
    if (rc == OSTORE_OK && *n > 1)
        qsort(*ids, *n, sizeof **ids, cmp_u64);
    return rc;
}

/* magic + length inside the file + CRC: a record that was completely written at some time */
static bool looks_valid(const os_seg *g, uint64_t q)
{
    if (g->base == NULL || q + OS_REC_MIN > g->size)
        return false;
    const uint8_t *r = g->base + q;
    os_rech h;
    return os_rec_head(r, g->size - q, &h) == NULL && os_rec_crc_ok(r, &h);
}

static bool is_magic(uint32_t m) { return m == OS_REC_MAGIC || m == OS_REC2_MAGIC; }

static uint64_t find_valid_after(const os_seg *g, uint64_t from)
{
    if (g->base == NULL)
        return UINT64_MAX;
    from = pad8(from);
    for (uint64_t q = from; q + OS_REC_MIN <= g->size; q += 8)
        if (is_magic(rd32(g->base + q)) && looks_valid(g, q))
            return q;
    return UINT64_MAX;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

static void mark_bad(replay_res *r, size_t k, uint64_t pos, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void mark_bad(replay_res *r, size_t k, uint64_t pos, const char *fmt, ...)
{
    r->bad = true;
    r->k = k;
    r->pos = pos;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
}

/* Applies records from (k0, pos0); expect == 0 accepts any sequence for the first record. */
static int replay(ostore *s, os_index *ix, size_t k0, uint64_t pos0, uint64_t expect, replay_res *r, os_err *e)
{
    os_log *lg = &s->log;
    r->bad = false;
    r->last_seq = expect ? expect - 1 : 0;
    r->records = r->bytes = 0;
    for (size_t k = k0; k < lg->n; k++) {
        os_seg *g = lg->segs[k];
        uint64_t pos = k == k0 ? pos0 : OS_SEG_HDR;
        if (!g->header_ok || g->base == NULL) {
            g->end = OS_SEG_HDR;
            mark_bad(r, k, 0, "invalid segment header");
            return OSTORE_OK;
        }
        for (;;) {
            uint64_t left = g->size - pos;
            if (left == 0)
                break;
            const uint8_t *rec = g->base + pos;
            /* zeros where a record would start: the end of the records (FORMAT.md, "Recovery" step 3) */
            if (left < 8 || rd32(rec) == 0) {
                if (!all_zero(rec, left < OS_REC_HDR ? left : OS_REC_HDR)) {
                    mark_bad(r, k, pos, left < OS_REC_HDR ? "non-zero bytes after the last record" : "bad record magic");
                    break;
                }
                uint64_t q = find_valid_after(g, pos + 8);
                if (q != UINT64_MAX)
                    mark_bad(r, k, pos, "zero bytes where a record was expected, but a record follows at offset %llu",
                             (unsigned long long)q);
                break;
            }
            os_rech h;
            const char *why = os_rec_head(rec, left, &h);
            if (why != NULL) {
                mark_bad(r, k, pos, "%s", why);
                break;
            }
            uint64_t plen = h.payload_len;
            if (!os_rec_crc_ok(rec, &h)) {
                mark_bad(r, k, pos, "record CRC mismatch");
                break;
            }
            uint64_t seq = h.seq;
            uint16_t type = h.type;
            if (expect != 0 && seq != expect) {
                mark_bad(r, k, pos, "record sequence %llu, expected %llu", (unsigned long long)seq,
                         (unsigned long long)expect);
                break;
            }
            if ((type != OS_REC_BATCH && type != OS_REC_SNAPSHOT) || (h.version == 1 && !all_zero(rec + 26, 6)) ||
                !all_zero(rec + h.hdr_len + plen, h.total - h.hdr_len - plen)) {
                mark_bad(r, k, pos, "bad record type %u or padding", type);
                break;
            }
            bool snap = type == OS_REC_SNAPSHOT;
            uint32_t n;
            os_err pe;
            const uint8_t *pl = rec + h.hdr_len;
            int rc = h.version == 1 ? os_batch_parse(pl, plen, OSTORE_HARD_MAX_VALUE, snap, &s->sc, &n, &pe)
                                    : os_rec2_parse(pl, plen, snap, &s->sc, &n, &pe);
            if (rc == OSTORE_OK)
                rc = os_index_lookup_batch(ix, s->sc.objs, n, &s->sc, &pe);
            if (rc == OSTORE_NO_MEMORY)
                return os_fail(e, rc, "%s", pe.msg);
            if (rc != OSTORE_OK) {
                mark_bad(r, k, pos, "invalid payload: %s", pe.msg);
                break;
            }
            if (os_seg_rec_reserve(g, 1) != OSTORE_OK)
                return os_fail(e, OSTORE_NO_MEMORY, "out of memory replaying the log");
            rc = os_index_prepare(ix, s->sc.ops, s->sc.objs, n, snap, &s->sc.prep, e);
            if (rc != OSTORE_OK)
                return rc;
            os_seg_rec_push(g, pos, seq, OS_REC_OK);
            os_index_publish(ix, s->sc.ops, pl, g, pos + h.hdr_len, s->sc.objs, n, snap, &s->sc.prep);
            os_index_release(&s->sc.prep);
            os_ckpt_mark(s, s->sc.objs, n); /* after the checkpoint point: the next delta writes them */
            expect = seq + 1;
            r->last_seq = seq;
            r->records++;
            r->bytes += h.total;
            pos += h.total;
        }
        g->end = r->bad ? r->pos : pos;
        if (r->bad)
            return OSTORE_OK;
    }
    return OSTORE_OK;
}

static void drop_segment(ostore *s, size_t k, bool remove_file)
{
    os_log *lg = &s->log;
    os_seg *g = lg->segs[k];
    if (remove_file && !s->ro)
        os_seg_unlink(g);
    os_seg_close(g);
    memmove(&lg->segs[k], &lg->segs[k + 1], (lg->n - k - 1) * sizeof *lg->segs);
    lg->n--;
}

static os_seg *log_find(const os_log *lg, uint64_t id)
{
    for (size_t i = 0; i < lg->n; i++)
        if (lg->segs[i]->id == id)
            return lg->segs[i];
    return NULL;
}

static size_t first_nonzero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return i;
    return n;
}

/* FORMAT.md "Integrity" D1-D3: the files against an authentic checkpoint's segment table */
static int check_table(ostore *s, const os_ckpt_info *ci, os_err *e)
{
    for (uint32_t k = 0; k < ci->nsegs; k++) {
        const os_ckpt_seg *cs = &ci->segs[k];
        os_seg *g = log_find(&s->log, cs->id);
        if (g == NULL) {
            char *path = os_seg_path(s->dir, cs->id);
            int rc = os_fail(e, OSTORE_CORRUPT,
                             "%s: segment file is missing at offset 0 (the checkpoint index.ckpt records it with %llu bytes "
                             "of records); open with OSTORE_OPEN_REPAIR to keep the log before it",
                             path != NULL ? path : "segment", (unsigned long long)cs->length);
            free(path);
            return rc;
        }
        if (!g->header_ok)
            return os_fail(e, OSTORE_CORRUPT, "%s: invalid segment header at offset 0 (the segment is covered by the "
                           "checkpoint index.ckpt)", g->path);
        if (g->size < cs->length)
            return os_fail(e, OSTORE_CORRUPT,
                           "%s: file ends at offset %llu but the checkpoint index.ckpt records %llu bytes of records: "
                           "the file was truncated (open with OSTORE_OPEN_REPAIR to keep what is before)",
                           g->path, (unsigned long long)g->size, (unsigned long long)cs->length);
        if (cs->id != ci->log_seg && g->size > cs->length) {
            size_t z = first_nonzero(g->base + cs->length, (size_t)(g->size - cs->length));
            if (z < g->size - cs->length)
                return os_fail(e, OSTORE_CORRUPT,
                               "%s: non-zero bytes at offset %llu, after the end of its records recorded by the checkpoint "
                               "index.ckpt (%llu)", g->path, (unsigned long long)(cs->length + z),
                               (unsigned long long)cs->length);
        }
    }
    return OSTORE_OK;
}

/* the record tables of the covered segments, from the checkpoint (records unchecked until first read) */
static int install_tables(ostore *s, const os_ckpt_info *ci, os_err *e)
{
    for (uint32_t k = 0; k < ci->nsegs; k++) {
        const os_ckpt_seg *cs = &ci->segs[k];
        os_seg *g = log_find(&s->log, cs->id);
        if (g == NULL) /* check_table has refused the open before (D1) */
            continue;
        os_seg_rec_clear(g);
        if (os_seg_rec_reserve(g, (size_t)cs->nrec) != OSTORE_OK)
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory loading the checkpoint's record table");
        for (uint64_t i = 0; i < cs->nrec; i++)
            os_seg_rec_push(g, os_ckseg_off(cs, i), cs->first_seq + i, OS_REC_UNCHECKED);
        g->end = cs->length;
    }
    return OSTORE_OK;
}

/* what a repair dropped, compared with an authentic checkpoint (FORMAT.md "Recovery" step 6) */
static void repair_report(ostore *s, const os_ckpt_info *ci, const os_index *ckix, const os_index *ix)
{
    if (ci->segs != NULL) {
        for (uint32_t k = 0; k < ci->nsegs; k++) {
            const os_ckpt_seg *cs = &ci->segs[k];
            const os_seg *g = log_find(&s->log, cs->id);
            if (g == NULL) {
                s->repair_records += cs->nrec;
                continue;
            }
            for (uint64_t i = 0; i < cs->nrec; i++)
                if ((cs->offsets != NULL || cs->xoff != NULL) && os_ckseg_off(cs, i) >= g->end)
                    s->repair_records++;
        }
    }
    if (ckix != NULL) {
        for (uint32_t i = 0; i < ckix->nobj; i++) {
            const os_obj *o = os_obj_at(ckix, i);
            const os_obj *n = os_index_find(ix, o->hash, o->cls->name, o->class_len, o->key, o->id_len);
            if (n == NULL || n->version != o->version || n->tomb != o->tomb)
                s->repair_objects++;
        }
    }
}

int os_recover(ostore *s, os_err *e)
{
    uint64_t *ids = NULL;
    size_t nids = 0;
    int rc = list_segments(s->dir, &ids, &nids, e);
    if (rc != OSTORE_OK)
        return rc;
    for (size_t i = 0; i < nids; i++) {
        os_seg *g;
        rc = os_seg_open(s->dir, ids[i], !s->ro, i + 1 == nids, s->page, &g, e);
        if (rc == OSTORE_OK && os_log_push(&s->log, g) != OSTORE_OK) {
            os_seg_close(g);
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory opening segments");
        }
        if (rc != OSTORE_OK) {
            free(ids);
            return rc;
        }
    }
    uint64_t max_id = nids ? ids[nids - 1] : 0;
    free(ids);

    /* checkpoint: authentic? (FORMAT.md "Checkpoint file") */
    size_t dl = strlen(s->dir);
    char *ckpath = malloc(dl + 32);
    if (ckpath == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory");
    snprintf(ckpath, dl + 32, "%s/index.ckpt", s->dir);
    bool ck_exists = access(ckpath, F_OK) == 0, ck_used = false, auth = false;
    uint8_t *ckbuf = NULL, *dbuf = NULL;
    size_t cklen = 0, ckmap = 0, dlen = 0, dmap = 0;
    char *dpath = malloc(dl + 32);
    if (dpath == NULL) {
        free(ckpath);
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory");
    }
    snprintf(dpath, dl + 32, "%s/index.delta", s->dir);
    bool d_exists = access(dpath, F_OK) == 0;
    uint32_t loaded_nobj = 0;
    os_ckpt_info ci;
    memset(&ci, 0, sizeof ci);
    os_err ckerr = {0};
    os_index *ix = NULL, *ckix = NULL;
    os_seg **leftover = NULL; /* segments below an authentic checkpoint's first_segment */
    size_t nleft = 0;
    if (ck_exists) {
        rc = os_map_file(ckpath, &ckbuf, &cklen, &ckmap, &ckerr);
        if (rc == OSTORE_OK)
            rc = os_ckpt_authenticate(ckbuf, cklen, &ci, &ckerr);
        if (rc == OSTORE_NO_MEMORY) {
            *e = ckerr;
            goto fail;
        }
        auth = rc == OSTORE_OK;
    }
    if (auth && ci.version == OS_CKPT_VERSION && d_exists) {
        /* the deltas after the base (FORMAT.md, "Delta file"): position, durable point and segment table move on */
        os_err de;
        rc = os_read_file(dpath, &dbuf, &dlen, &dmap, &de);
        if (rc == OSTORE_OK)
            rc = os_ckpt_read_deltas(dbuf, dlen, &ci, &de);
        if (rc == OSTORE_NO_MEMORY) {
            *e = de;
            goto fail;
        }
        if (rc != OSTORE_OK) { /* unreadable: as if it were empty */
            os_unmap_file(dbuf, dmap);
            dbuf = NULL;
            dlen = 0;
        }
    }
    uint64_t fs = ci.first_seg, ls = ci.log_seg, lo = ci.log_off, ck_seq = ci.last_seq;
    if (auth) {
        /* superseded by a finished compaction: out of the log now, deleted once the open succeeds */
        leftover = malloc((s->log.n + 1) * sizeof *leftover);
        if (leftover == NULL) {
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory");
            goto fail;
        }
        size_t w = 0;
        for (size_t i = 0; i < s->log.n; i++) {
            os_seg *g = s->log.segs[i];
            bool in_table = false;
            for (uint32_t k = 0; k < ci.nsegs && !in_table; k++)
                in_table = ci.segs[k].id == g->id;
            if (g->id < fs)
                leftover[nleft++] = g;
            else if (g->id <= ls && !in_table)
                os_seg_close(g); /* a failed compaction's segment that could not be deleted: ignored */
            else
                s->log.segs[w++] = g;
        }
        s->log.n = w;
        os_err te;
        rc = check_table(s, &ci, &te);
        if (rc != OSTORE_OK) {
            if (!s->repair) {
                *e = te;
                goto fail;
            }
            ckerr = te; /* repair goes on: the full replay finds where the log stops being valid */
        }
        if (rc == OSTORE_OK && !s->repair) {
            rc = install_tables(s, &ci, e);
            if (rc != OSTORE_OK)
                goto fail;
            /* the covered records checked on a thread of their own while the index loads */
            os_precheck_begin(s);
        }
        /* the checkpoint's index: used (normal open), or kept to compare with (repair) */
        os_index *ci_ix = os_index_new();
        if (ci_ix == NULL || os_index_add_blob(ci_ix, ckbuf, ckmap) != OSTORE_OK) {
            os_index_free(ci_ix);
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory");
            goto fail;
        }
        uint8_t *blob = ckbuf;
        ckbuf = NULL; /* owned by ci_ix */
        os_err le;
        rc = rc == OSTORE_OK || s->repair ? os_ckpt_load(s, blob, cklen, &ci, ci_ix, &le) : OSTORE_CORRUPT;
        if (rc == OSTORE_OK && ci.ndeltas > 0) {
            if (os_index_add_blob(ci_ix, dbuf, dmap) != OSTORE_OK) {
                rc = os_fail(&le, OSTORE_NO_MEMORY, "out of memory");
            } else {
                const uint8_t *db = dbuf;
                dbuf = NULL; /* owned by ci_ix */
                rc = os_ckpt_load_deltas(s, db, &ci, ci_ix, &le);
            }
        }
        loaded_nobj = ci_ix->nobj;
        if (rc == OSTORE_NO_MEMORY) {
            os_index_free(ci_ix);
            *e = le;
            goto fail;
        }
        if (s->repair) {
            ckix = ci_ix; /* kept (with the blob the segment table points into) until the report */
            if (rc != OSTORE_OK) {
                os_index_free(ckix);
                ckix = NULL;
                ci_ix = NULL;
                /* the table pointed into the freed blob: keep only the counts */
                for (uint32_t k = 0; k < ci.nsegs; k++)
                    ci.segs[k].offsets = NULL;
            }
        } else if (rc == OSTORE_OK) {
            ix = ci_ix;
            ck_used = true;
        } else {
            ckerr = le;
            os_index_free(ci_ix);
            for (uint32_t k = 0; k < ci.nsegs; k++)
                ci.segs[k].offsets = NULL;
        }
    }
    os_unmap_file(ckbuf, ckmap);
    ckbuf = NULL;

    replay_res r;
    memset(&r, 0, sizeof r);
    size_t k0 = 0;
    if (ix == NULL) {
        ix = os_index_new();
        if (ix == NULL) {
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory");
            goto fail;
        }
    }
    if (ck_used) {
        while (k0 < s->log.n && s->log.segs[k0]->id != ls)
            k0++;
        rc = replay(s, ix, k0, lo, ck_seq + 1, &r, e);
    } else if (s->log.n > 0) {
        os_precheck_stop(s); /* the tables it checks are about to be rebuilt, and a bad record may drop segments */
        for (size_t i = 0; i < s->log.n; i++) { /* replay rebuilds every record table */
            os_seg_rec_clear(s->log.segs[i]);
            s->log.segs[i]->end = OS_SEG_HDR;
        }
        rc = replay(s, ix, 0, OS_SEG_HDR, 0, &r, e);
    }
    if (rc != OSTORE_OK)
        goto fail;
    if (r.bad) {
        const os_seg *g = s->log.segs[r.k];
        /* the torn-tail rule applies only after the durable point (FORMAT.md "Recovery" step 4) */
        bool after_dp = !auth || g->id > ls || (g->id == ls && r.pos >= lo);
        bool torn = after_dp && r.k + 1 == s->log.n && !looks_valid(g, r.pos) &&
                    find_valid_after(g, r.pos < OS_SEG_HDR ? OS_SEG_HDR : r.pos + 8) == UINT64_MAX;
        if (!torn && !s->repair) {
            rc = os_fail(e, OSTORE_CORRUPT, "%s: invalid record at offset %llu: %s%s (open with OSTORE_OPEN_REPAIR to "
                         "truncate)", g->path, (unsigned long long)r.pos, r.why,
                         after_dp ? "" : "; it is below the durable point recorded by the checkpoint index.ckpt");
            goto fail;
        }
    }

    /* judged: now modify files */
    bool modified = false;
    uint64_t cut_seg = 0, cut_off = 0;
    if (s->repair) /* bytes the checkpoint recorded that are gone: missing segments, truncated files */
        for (uint32_t k = 0; k < ci.nsegs; k++) {
            const os_seg *g = log_find(&s->log, ci.segs[k].id);
            if (g == NULL)
                s->repair_bytes += ci.segs[k].length;
            else if (g->size < ci.segs[k].length)
                s->repair_bytes += ci.segs[k].length - g->size;
        }
    if (r.bad) {
        while (s->log.n > r.k + 1) {
            s->repair_bytes += s->log.segs[s->log.n - 1]->size;
            drop_segment(s, s->log.n - 1, true);
        }
        os_seg *g = s->log.segs[r.k];
        cut_seg = g->id;
        cut_off = r.pos;
        if (s->repair && g->size > r.pos && r.pos >= OS_SEG_HDR)
            s->repair_bytes += g->size - r.pos;
        if (!s->repair && g->base != NULL && g->size > r.pos) { /* the torn tail: reported, not silent */
            uint64_t last = g->size;
            while (last > r.pos && g->base[last - 1] == 0)
                last--;
            s->torn_bytes = last - r.pos;
        }
        g->end = r.pos < OS_SEG_HDR ? OS_SEG_HDR : r.pos;
        if (!s->ro) {
            if (r.pos < OS_SEG_HDR) {
                rc = os_seg_reinit(g, s->segment_size, s->page, e);
                if (rc != OSTORE_OK)
                    goto fail;
            } else if (g->base != NULL) {
                for (uint64_t q = r.pos; q < g->size; q += 8) {
                    size_t m = g->size - q < 8 ? (size_t)(g->size - q) : 8;
                    if (!all_zero(g->base + q, m))
                        memset(g->base + q, 0, m);
                }
            }
        }
        modified = true;
    }
    if (s->repair)
        repair_report(s, &ci, ckix, ix);
    for (size_t i = 0; i < nleft; i++) {
        if (!s->ro)
            os_seg_unlink(leftover[i]);
        os_seg_close(leftover[i]);
    }
    nleft = 0;
    if (!ck_used && ck_exists && !s->ro)
        unlink(ckpath); /* never let a stale checkpoint match segments created later */
    if (!s->ro && d_exists && (!ck_used || dlen > ci.delta_valid) && truncate(dpath, (off_t)(ck_used ? ci.delta_valid : 0)) != 0) {
        /* harmless: the next delta cuts the file at its own offset before it appends */
    }
    if (s->log.n == 0 && !s->ro) {
        os_seg *g;
        rc = os_seg_create(s->dir, max_id + 1, s->segment_size, s->page, &g, e);
        if (rc == OSTORE_OK && os_log_push(&s->log, g) != OSTORE_OK) {
            os_seg_close(g);
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory");
        }
        if (rc != OSTORE_OK)
            goto fail;
    }
    if (s->log.n > 0 && s->log.segs[s->log.n - 1]->id > max_id)
        max_id = s->log.segs[s->log.n - 1]->id;
    s->next_seg_id = max_id + 1;
    uint64_t last_seq = r.records ? r.last_seq : (ck_used ? ck_seq : 0);
    s->next_seq = last_seq + 1;
    s->idx = ix;
    ix = NULL;
    s->ckpt_seq = ck_used ? ck_seq : 0;
    s->ckpt_in_use = ck_used;
    if (ck_used) { /* where the next delta continues (FORMAT.md, "Delta file") */
        s->base_ver = ci.version;
        s->base_crc = ci.base_crc;
        s->base_seq = ci.base_seq;
        s->base_first_seg = fs;
        s->pt_seg = ls;
        s->pt_len = lo;
        s->pt_nrec = ci.segs[ci.nsegs - 1].nrec;
        s->pt_nobj = loaded_nobj;
        s->dlt_bytes = ci.delta_valid;
    }
    s->ckpt_current = ck_used && r.records == 0 && !modified;
    s->bytes_since_ckpt = ck_used ? r.bytes : 0;
    if (!ck_used)
        s->ckpt_bytes = 0; /* a checkpoint that was loaded but then not used does not count */
    for (size_t i = 0; i < s->log.n; i++)
        s->log.segs[i]->synced = s->log.segs[i]->end < s->log.segs[i]->synced ? s->log.segs[i]->end
                                                                              : s->log.segs[i]->synced;
    atomic_store(&s->st_last_seq, last_seq);
    os_store_refresh_file_stats(s);
    if (s->repair) {
        char m[OS_ERR_CAP];
        if (r.bad)
            snprintf(m, sizeof m, "repair: log truncated in segment %016llx at offset %llu (%s); dropped %llu recorded "
                     "records, %llu bytes; %llu objects of the checkpoint lost or at an older version",
                     (unsigned long long)cut_seg, (unsigned long long)cut_off, r.why,
                     (unsigned long long)s->repair_records, (unsigned long long)s->repair_bytes,
                     (unsigned long long)s->repair_objects);
        else
            snprintf(m, sizeof m, "repair: the log is valid; dropped %llu recorded records, %llu bytes; %llu objects of "
                     "the checkpoint lost or at an older version", (unsigned long long)s->repair_records,
                     (unsigned long long)s->repair_bytes, (unsigned long long)s->repair_objects);
        os_store_error_msg(s, m);
    } else if (s->torn_bytes > 0) {
        const os_seg *g = s->log.segs[s->log.n - 1];
        char m[OS_ERR_CAP];
        snprintf(m, sizeof m, "recovery: cut a torn tail of %llu bytes at offset %llu of %s (%s; a write interrupted "
                 "by a crash, every record before it is intact)", (unsigned long long)s->torn_bytes,
                 (unsigned long long)cut_off, g->path, r.why);
        os_store_error_msg(s, m);
    } else if (!ck_used && ck_exists) {
        os_store_error(s, &ckerr); /* diagnostics: why the checkpoint was not used */
    }
    os_index_free(ckix);
    free(leftover);
    os_ckpt_info_free(&ci);
    free(ckpath);
    free(dpath);
    os_unmap_file(dbuf, dmap);
    return OSTORE_OK;
fail:
    for (size_t i = 0; i < nleft; i++)
        os_seg_close(leftover[i]);
    free(leftover);
    os_index_free(ix);
    os_index_free(ckix);
    os_unmap_file(ckbuf, ckmap);
    os_ckpt_info_free(&ci);
    free(ckpath);
    free(dpath);
    os_unmap_file(dbuf, dmap);
    return rc;
}
