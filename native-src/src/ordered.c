/* Key-order scans (ostore_list_ids_ordered; docs/DESIGN.md, "Scans in key order").
 *
 * Each class may get an in-memory ordered index of its objects (os_ord), built the first time a key-order
 * scan asks for that class and never written to disk. It is fed only from the class's object array
 * (os_cls.objs), which the writer already keeps: that array is append-only (new objects are appended at
 * publish, tombstones stay), so "objects not yet in the ordered index" is exactly objs[done .. n). A scan
 * first catches up with those, then walks the index. Hence:
 *  - the writer, recovery, checkpoints and compaction do nothing for it (a store that never scans in key
 *    order pays nothing, on the write path or at open): the scanner pays for the objects created since the
 *    previous key-order scan of the class;
 *  - deletes need no hook: a deleted object stays in objs as a tombstone and in the ordered index, and the
 *    scan leaves it out (as the first-write-order scan does); writing it again revives the same os_obj;
 *  - a compaction that swaps the index (ostore_compact) frees the classes, their ordered indexes with them
 *    (os_index_free); the next key-order scan builds a new one. Background compaction keeps the index and
 *    only re-points o->key, which is why the ordered index holds objects, not pointers to id bytes.
 *
 * Layout: two sorted arrays of {first 16 id bytes as two big-endian words, object}: `main` and a small
 * `delta` that new objects are merged into (O(delta) each); when delta outgrows DELTA_MAX it is merged into
 * main (O(n), once per DELTA_MAX new objects). Comparisons mostly stay within the arrays (the 16-byte
 * prefixes); equal prefixes of longer ids read the ids (o->key, which lives in the log mapping). 24 bytes
 * per object, tombstones included, for the classes that were scanned in key order.
 *
 * Concurrency: everything runs inside a read section of store->rd (the caller's), so objects, o->key and
 * the class array stay valid; the writer never touches an os_ord. os_ord.lk (a rwlock) orders scanners
 * among themselves: catch-up takes it exclusively, walks share it. A thread holding lk never waits for
 * anything else, so it cannot deadlock with the writer waiting for this read section to end. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>

#define DELTA_MAX 4096u

typedef struct os_ord_ent {
    uint64_t k0, k1; /* id bytes [0, 8) and [8, 16), big-endian, zero-padded: unsigned compare = byte order */
    os_obj *o;
} os_ord_ent;

struct os_ord {
    pthread_rwlock_t lk;
    uint32_t done; /* c->objs[0 .. done) are in main or delta */
    os_ord_ent *main, *delta;
    uint32_t nmain, capmain, ndelta, capdelta;
};

/* o->key points at the id bytes (record version 2: the class is o->cls->name, not in front of the id) */
static inline const uint8_t *obj_id(const os_obj *o) { return o->key; }

static uint64_t be_word(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8; i++)
        v = (v << 8) | (i < n ? p[i] : 0u);
    return v;
}

static void key_words(const uint8_t *id, size_t n, uint64_t *k0, uint64_t *k1)
{
    *k0 = be_word(id, n);
    *k1 = n > 8 ? be_word(id + 8, n - 8) : 0;
}

/* byte-wise unsigned order of two ids, shorter first on a common prefix (memcmp, then length) */
static int cmp_bytes(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    int r = memcmp(a, b, al < bl ? al : bl);
    if (r != 0)
        return r;
    return al < bl ? -1 : al > bl;
}

/* compares entry e with the id (k0, k1, id, il) */
static int cmp_ent_key(const os_ord_ent *e, uint64_t k0, uint64_t k1, const uint8_t *id, size_t il)
{
    if (e->k0 != k0)
        return e->k0 < k0 ? -1 : 1;
    if (e->k1 != k1)
        return e->k1 < k1 ? -1 : 1;
    size_t el = e->o->id_len;
    if (el <= 16 && il <= 16) /* equal zero-padded prefixes: the shorter id is the smaller */
        return el < il ? -1 : el > il;
    return cmp_bytes(obj_id(e->o), el, id, il);
}

static int cmp_ent(const void *pa, const void *pb)
{
    const os_ord_ent *b = pb;
    return cmp_ent_key(pa, b->k0, b->k1, obj_id(b->o), b->o->id_len);
}

/* first position in a[0..n) whose id is >= (or > when after) the key */
static uint32_t lower_bound(const os_ord_ent *a, uint32_t n, uint64_t k0, uint64_t k1, const uint8_t *id,
                            size_t il, bool after)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int r = cmp_ent_key(&a[mid], k0, k1, id, il);
        if (r < 0 || (after && r == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool reserve(os_ord_ent **a, uint32_t *cap, uint64_t need)
{
    if (need <= *cap)
        return true;
    if (need > UINT32_MAX / 2)
        return false;
    uint64_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    os_ord_ent *p = realloc(*a, (size_t)nc * sizeof *p);
    if (p == NULL)
        return false;
    *a = p;
    *cap = (uint32_t)nc;
    return true;
}

/* merges sorted b[0..nb) into sorted *a[0..*na) (from the back, in place; *a has room for both) */
static void merge_into(os_ord_ent *a, uint32_t *na, const os_ord_ent *b, uint32_t nb)
{
    uint32_t i = *na, j = nb, k = *na + nb;
    while (j > 0) {
        if (i > 0 && cmp_ent(&a[i - 1], &b[j - 1]) > 0)
            a[--k] = a[--i];
        else
            a[--k] = b[--j];
    }
    *na += nb;
}

void os_ord_free(struct os_ord *d)
{
    if (d == NULL)
        return;
    pthread_rwlock_destroy(&d->lk);
    free(d->main);
    free(d->delta);
    free(d);
}

/* the class's ordered index, created empty on first use (two scanners may race: one wins, the other frees) */
static int ord_of(os_cls *c, struct os_ord **out, os_err *e)
{
    struct os_ord *d = atomic_load_explicit(&c->ord, memory_order_acquire);
    if (d == NULL) {
        struct os_ord *nd = calloc(1, sizeof *nd);
        if (nd == NULL)
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory for the key-order index");
        if (pthread_rwlock_init(&nd->lk, NULL) != 0) {
            free(nd);
            return os_fail(e, OSTORE_NO_MEMORY, "cannot initialize the key-order index's lock");
        }
        struct os_ord *expect = NULL;
        if (atomic_compare_exchange_strong_explicit(&c->ord, &expect, nd, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            d = nd;
        } else {
            os_ord_free(nd);
            d = expect;
        }
    }
    *out = d;
    return OSTORE_OK;
}

static void fill_ent(os_ord_ent *en, os_obj *o)
{
    key_words(obj_id(o), o->id_len, &en->k0, &en->k1);
    en->o = o;
}

/* Adds up to max_new objects of c->objs[d->done ..) (d->lk held exclusively). *left: objects still to add. */
static int catch_up(struct os_ord *d, const os_cls *c, uint32_t max_new, uint32_t *left, os_err *e)
{
    uint32_t cn = OS_LD(c->n); /* publishes append meanwhile (release store after the object is complete) */
    uint32_t todo = cn - d->done;
    if (todo > max_new)
        todo = max_new;
    if (todo > 0) {
        if (d->ndelta + (uint64_t)todo > DELTA_MAX || d->nmain == 0) {
            /* a big batch (the first build, or many objects since the last scan): sort it and merge it with
             * delta into main */
            os_ord_ent *b = malloc((size_t)(todo + d->ndelta) * sizeof *b);
            if (b == NULL || !reserve(&d->main, &d->capmain, (uint64_t)d->nmain + todo + d->ndelta)) {
                free(b);
                return os_fail(e, OSTORE_NO_MEMORY, "out of memory growing the key-order index");
            }
            for (uint32_t i = 0; i < todo; i++)
                fill_ent(&b[i], c->objs[d->done + i]);
            qsort(b, todo, sizeof *b, cmp_ent);
            uint32_t nb = todo;
            merge_into(b, &nb, d->delta, d->ndelta);
            merge_into(d->main, &d->nmain, b, nb);
            d->ndelta = 0;
            free(b);
        } else {
            /* the new ones are sorted past the room they will take, then merged from the back */
            if (!reserve(&d->delta, &d->capdelta, (uint64_t)d->ndelta + 2u * todo))
                return os_fail(e, OSTORE_NO_MEMORY, "out of memory growing the key-order index");
            os_ord_ent *b = d->delta + d->ndelta + todo;
            for (uint32_t i = 0; i < todo; i++)
                fill_ent(&b[i], c->objs[d->done + i]);
            qsort(b, todo, sizeof *b, cmp_ent);
            merge_into(d->delta, &d->ndelta, b, todo);
        }
        d->done += todo;
    }
    *left = cn - d->done;
    return OSTORE_OK;
}

int os_ord_sync(os_cls *c, uint32_t max_new, uint32_t *left, os_err *e)
{
    struct os_ord *d;
    int rc = ord_of(c, &d, e);
    if (rc != OSTORE_OK)
        return rc;
    pthread_rwlock_rdlock(&d->lk);
    bool behind = d->done < OS_LD(c->n);
    pthread_rwlock_unlock(&d->lk);
    *left = 0;
    if (!behind)
        return OSTORE_OK;
    pthread_rwlock_wrlock(&d->lk);
    rc = catch_up(d, c, max_new, left, e);
    pthread_rwlock_unlock(&d->lk);
    return rc;
}

int os_ord_scan(os_cls *c, const uint8_t *start, size_t start_len, bool after, uint32_t max_examined,
                os_ord_visit visit, void *arg, os_err *e)
{
    struct os_ord *d;
    int rc = ord_of(c, &d, e);
    if (rc != OSTORE_OK)
        return rc;
    pthread_rwlock_rdlock(&d->lk);
    uint64_t k0, k1;
    key_words(start, start_len, &k0, &k1);
    uint32_t i = lower_bound(d->main, d->nmain, k0, k1, start, start_len, after);
    uint32_t j = lower_bound(d->delta, d->ndelta, k0, k1, start, start_len, after);
    for (uint32_t examined = 0; examined < max_examined; examined++) {
        const os_ord_ent *m = i < d->nmain ? &d->main[i] : NULL;
        const os_ord_ent *x = j < d->ndelta ? &d->delta[j] : NULL;
        const os_ord_ent *t;
        if (m == NULL && x == NULL) {
            rc = OS_ORD_END;
            break;
        }
        if (x == NULL || (m != NULL && cmp_ent(m, x) < 0)) {
            t = m;
            i++;
        } else {
            t = x;
            j++;
        }
        rc = visit(arg, t->o);
        if (rc != OSTORE_OK)
            break;
    }
    pthread_rwlock_unlock(&d->lk);
    return rc;
}

/* ---- ostore_list_ids_ordered ---- */

typedef struct page_state {
    uint8_t *p;
    size_t left;
    uint32_t n, limit;
    uint64_t now;
    bool check_exp;
    const os_obj *last; /* last object examined */
    os_err *e;
} page_state;

static int page_visit(void *arg, const os_obj *o)
{
    page_state *ps = arg;
    if (ps->n >= ps->limit || ps->left < 2 + (size_t)OSTORE_MAX_KEY)
        return OS_ORD_STOP;
    ps->last = o;
    if (OS_LD(o->tomb)) /* a publish may run meanwhile */
        return OSTORE_OK;
    if (ps->check_exp) {
        bool expired;
        int rc = os_obj_expired(o, ps->now, &expired, ps->e);
        if (rc != OSTORE_OK)
            return rc;
        if (expired)
            return OSTORE_OK;
    }
    wr16(ps->p, o->id_len);
    memcpy(ps->p + 2, obj_id(o), o->id_len);
    ps->p += 2 + (size_t)o->id_len;
    ps->left -= 2 + (size_t)o->id_len;
    ps->n++;
    return OSTORE_OK;
}

static int bad_arg(ostore *s, const char *msg)
{
    os_store_error_msg(s, msg);
    return OSTORE_INVALID_ARGUMENT;
}

int ostore_list_ids_ordered(ostore *s, const void *class_id, size_t class_len, const void *start, size_t start_len,
                            uint32_t flags, uint32_t limit, uint64_t now, void *out, size_t out_cap, size_t *out_len,
                            uint32_t *count, void *next, size_t next_cap, size_t *next_len)
{
    if (out_len == NULL || count == NULL || next_len == NULL)
        return OSTORE_INVALID_ARGUMENT;
    *out_len = 0;
    *count = 0;
    *next_len = 0;
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    if (class_id == NULL || class_len == 0)
        return bad_arg(s, "class id is NULL or empty");
    if (class_len > OSTORE_MAX_KEY || start_len > OSTORE_MAX_KEY) {
        os_store_error_msg(s, class_len > OSTORE_MAX_KEY ? "class id is longer than OSTORE_MAX_KEY bytes"
                                                         : "start id is longer than OSTORE_MAX_KEY bytes");
        return OSTORE_TOO_LARGE;
    }
    if (start_len > 0 && start == NULL)
        return bad_arg(s, "start id is NULL");
    if (limit == 0)
        return bad_arg(s, "limit must be at least 1");
    if (out == NULL || out_cap < 2 + (size_t)OSTORE_MAX_KEY)
        return bad_arg(s, "the id buffer must hold at least 2 + OSTORE_MAX_KEY bytes");
    if (next == NULL || next_cap < OSTORE_MAX_KEY)
        return bad_arg(s, "the cursor buffer must hold at least OSTORE_MAX_KEY bytes");
    if ((flags & ~OSTORE_ORDER_AFTER) != 0)
        return bad_arg(s, "unknown flags");
    os_err e;
    int rc;
    for (;;) {
        uint32_t rdt = os_rd_enter(&s->rd);
        os_cls *c = os_index_find_class(s->idx, class_id, class_len);
        if (c == NULL) { /* an unknown class is an empty scan */
            os_rd_exit(&s->rd, rdt);
            return OSTORE_OK;
        }
        /* bring the ordered index up to date a step at a time, leaving the read section in between so that
         * the writer is not held up by the first build of a big class */
        uint32_t left;
        rc = os_ord_sync(c, OSTORE_SCAN_STEP, &left, &e);
        if (rc == OSTORE_OK && left > 0) {
            os_rd_exit(&s->rd, rdt);
            continue;
        }
        if (rc == OSTORE_OK) {
            page_state ps = {.p = out, .left = out_cap, .limit = limit, .now = now,
                             .check_exp = now != 0 && c->has_exp, .e = &e};
            rc = os_ord_scan(c, start_len > 0 ? start : (const uint8_t *)"", start_len,
                             (flags & OSTORE_ORDER_AFTER) != 0, OSTORE_SCAN_STEP, page_visit, &ps, &e);
            if (rc == OSTORE_OK || rc == OS_ORD_STOP || rc == OS_ORD_END) {
                *out_len = out_cap - ps.left;
                *count = ps.n;
                if (rc != OS_ORD_END && ps.last != NULL) {
                    memcpy(next, obj_id(ps.last), ps.last->id_len);
                    *next_len = ps.last->id_len;
                }
                rc = OSTORE_OK;
            }
        }
        os_rd_exit(&s->rd, rdt);
        break;
    }
    if (rc != OSTORE_OK)
        os_store_error(s, &e);
    return rc;
}
