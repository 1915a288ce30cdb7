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
    if (g->base == NULL || q + OS_REC_HDR > g->size)
        return false;
    const uint8_t *r = g->base + q;
    if (rd32(r) != OS_REC_MAGIC)
        return false;
    uint64_t plen = rd64(r + 8);
    if (plen > g->size - q - OS_REC_HDR)
        return false;
    return rd32(r + 4) == os_crc32c(r + 8, OS_REC_HDR - 8 + plen);
}

static uint64_t find_valid_after(const os_seg *g, uint64_t from)
{
    if (g->base == NULL)
        return UINT64_MAX;
    from = pad8(from);
    for (uint64_t q = from; q + OS_REC_HDR <= g->size; q += 8)
        if (rd32(g->base + q) == OS_REC_MAGIC && looks_valid(g, q))
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
            if (g->size - pos < OS_REC_HDR) {
                if (!all_zero(g->base + pos, g->size - pos))
                    mark_bad(r, k, pos, "non-zero bytes after the last record");
                break;
            }
            const uint8_t *rec = g->base + pos;
            if (rd32(rec) == 0 && all_zero(rec, OS_REC_HDR)) {
                uint64_t q = find_valid_after(g, pos + 8);
                if (q != UINT64_MAX)
                    mark_bad(r, k, pos, "zero bytes where a record was expected, but a record follows at offset %llu",
                             (unsigned long long)q);
                break;
            }
            if (rd32(rec) != OS_REC_MAGIC) {
                mark_bad(r, k, pos, "bad record magic");
                break;
            }
            uint64_t plen = rd64(rec + 8);
            if (plen > g->size - pos - OS_REC_HDR || pad8(OS_REC_HDR + plen) > g->size - pos) {
                mark_bad(r, k, pos, "record length %llu past the end of the file", (unsigned long long)plen);
                break;
            }
            if (rd32(rec + 4) != os_crc32c(rec + 8, OS_REC_HDR - 8 + plen)) {
                mark_bad(r, k, pos, "record CRC mismatch");
                break;
            }
            uint64_t seq = rd64(rec + 16);
            uint16_t type = rd16(rec + 24);
            if (expect != 0 && seq != expect) {
                mark_bad(r, k, pos, "record sequence %llu, expected %llu", (unsigned long long)seq,
                         (unsigned long long)expect);
                break;
            }
            if ((type != OS_REC_BATCH && type != OS_REC_SNAPSHOT) || !all_zero(rec + 26, 6) ||
                !all_zero(rec + OS_REC_HDR + plen, pad8(plen) - plen)) {
                mark_bad(r, k, pos, "bad record type %u or padding", type);
                break;
            }
            bool snap = type == OS_REC_SNAPSHOT;
            uint32_t n;
            os_err pe;
            const uint8_t *pl = rec + OS_REC_HDR;
            int rc = os_batch_parse(pl, plen, OSTORE_HARD_MAX_VALUE, snap, &s->sc, &n, &pe);
            if (rc == OSTORE_OK)
                rc = os_index_lookup_batch(ix, pl, s->sc.objs, n, &s->sc, &pe);
            if (rc == OSTORE_NO_MEMORY)
                return os_fail(e, rc, "%s", pe.msg);
            if (rc != OSTORE_OK) {
                mark_bad(r, k, pos, "invalid payload: %s", pe.msg);
                break;
            }
            rc = os_index_prepare(ix, pl, s->sc.objs, n, snap, &s->sc.prep, e);
            if (rc != OSTORE_OK)
                return rc;
            os_index_publish(ix, pl, pl, g, pos + OS_REC_HDR, s->sc.objs, n, snap, &s->sc.prep);
            os_index_release(&s->sc.prep);
            expect = seq + 1;
            r->last_seq = seq;
            r->records++;
            r->bytes += pad8(OS_REC_HDR + plen);
            pos += pad8(OS_REC_HDR + plen);
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

    /* checkpoint */
    size_t dl = strlen(s->dir);
    char *ckpath = malloc(dl + 32);
    if (ckpath == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory");
    snprintf(ckpath, dl + 32, "%s/index.ckpt", s->dir);
    bool ck_exists = access(ckpath, F_OK) == 0, ck_used = false;
    uint64_t fs = 0, ls = 0, lo = 0, ck_seq = 0;
    os_index *ix = NULL;
    os_err ckerr = {0};
    if (ck_exists && s->log.n > 0) {
        uint8_t *buf;
        size_t len;
        ix = os_index_new();
        if (ix == NULL) {
            free(ckpath);
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory");
        }
        rc = os_read_file(ckpath, &buf, &len, &ckerr);
        if (rc == OSTORE_OK) {
            if (os_index_add_blob(ix, buf) != OSTORE_OK) {
                free(buf);
                rc = os_fail(&ckerr, OSTORE_NO_MEMORY, "out of memory");
            } else {
                rc = os_ckpt_load(s, buf, len, ix, &fs, &ls, &lo, &ck_seq, &ckerr);
            }
        }
        if (rc == OSTORE_NO_MEMORY) {
            os_index_free(ix);
            free(ckpath);
            *e = ckerr;
            return rc;
        }
        ck_used = rc == OSTORE_OK;
        if (!ck_used) {
            os_index_free(ix);
            ix = NULL;
        }
    } else if (ck_exists) {
        os_fail(&ckerr, OSTORE_CORRUPT, "checkpoint present but no segment files");
    }

    replay_res r;
    size_t k0 = 0;
    for (;;) {
        if (ix == NULL) {
            ix = os_index_new();
            if (ix == NULL) {
                free(ckpath);
                return os_fail(e, OSTORE_NO_MEMORY, "out of memory");
            }
        }
        if (ck_used) {
            while (k0 < s->log.n && s->log.segs[k0]->id != ls)
                k0++;
            for (size_t i = 0; i < k0; i++)
                s->log.segs[i]->end = s->log.segs[i]->size;
            rc = replay(s, ix, k0, lo, ck_seq + 1, &r, e);
        } else {
            k0 = 0;
            rc = s->log.n ? replay(s, ix, 0, OS_SEG_HDR, 0, &r, e) : OSTORE_OK;
            if (s->log.n == 0)
                memset(&r, 0, sizeof r);
        }
        if (rc != OSTORE_OK) {
            os_index_free(ix);
            free(ckpath);
            return rc;
        }
        if (!r.bad)
            break;
        const os_seg *g = s->log.segs[r.k];
        bool torn = r.k + 1 == s->log.n && !looks_valid(g, r.pos) &&
                    find_valid_after(g, r.pos < OS_SEG_HDR ? OS_SEG_HDR : r.pos + 8) == UINT64_MAX;
        if (torn || s->repair)
            break;
        if (ck_used) { /* the log disagrees with the checkpoint: try the whole log before giving up */
            os_fail(&ckerr, OSTORE_CORRUPT, "log after the checkpoint position is invalid");
            os_index_free(ix);
            ix = NULL;
            ck_used = false;
            continue;
        }
        os_fail(e, OSTORE_CORRUPT, "%s: invalid record at offset %llu: %s (open with OSTORE_OPEN_REPAIR to truncate)",
                g->path, (unsigned long long)r.pos, r.why);
        os_index_free(ix);
        free(ckpath);
        return OSTORE_CORRUPT;
    }

    /* judged: now modify files */
    bool modified = false;
    if (r.bad) {
        while (s->log.n > r.k + 1)
            drop_segment(s, s->log.n - 1, true);
        os_seg *g = s->log.segs[r.k];
        g->end = r.pos < OS_SEG_HDR ? OS_SEG_HDR : r.pos;
        if (!s->ro) {
            if (r.pos < OS_SEG_HDR) {
                rc = os_seg_reinit(g, s->segment_size, s->page, e);
                if (rc != OSTORE_OK) {
                    os_index_free(ix);
                    free(ckpath);
                    return rc;
                }
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
    if (ck_used) {
        while (s->log.n > 0 && s->log.segs[0]->id < fs)
            drop_segment(s, 0, true);
    } else if (ck_exists && !s->ro) {
        unlink(ckpath); /* never let a stale checkpoint match segments created later */
    }
    free(ckpath);
    if (s->log.n == 0 && !s->ro) {
        os_seg *g;
        rc = os_seg_create(s->dir, max_id + 1, s->segment_size, s->page, &g, e);
        if (rc == OSTORE_OK && os_log_push(&s->log, g) != OSTORE_OK) {
            os_seg_close(g);
            rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory");
        }
        if (rc != OSTORE_OK) {
            os_index_free(ix);
            return rc;
        }
    }
    if (s->log.n > 0 && s->log.segs[s->log.n - 1]->id > max_id)
        max_id = s->log.segs[s->log.n - 1]->id;
    s->next_seg_id = max_id + 1;
    uint64_t last_seq = r.records ? r.last_seq : (ck_used ? ck_seq : 0);
    s->next_seq = last_seq + 1;
    s->idx = ix;
    s->ckpt_seq = ck_used ? ck_seq : 0;
    s->ckpt_current = ck_used && r.records == 0 && !modified;
    s->bytes_since_ckpt = ck_used ? r.bytes : 0;
    if (!ck_used)
        s->ckpt_bytes = 0; /* a checkpoint that was loaded but then not used does not count */
    for (size_t i = 0; i < s->log.n; i++)
        s->log.segs[i]->synced = s->log.segs[i]->end < s->log.segs[i]->synced ? s->log.segs[i]->end
                                                                              : s->log.segs[i]->synced;
    atomic_store(&s->st_last_seq, last_seq);
    os_store_refresh_file_stats(s);
    if (!ck_used && ck_exists)
        os_store_error(s, &ckerr); /* diagnostics: why the checkpoint was not used */
    return OSTORE_OK;
}
