/* The in-memory index: (class id, object id) -> object {version, tombstone, entries}.
 *
 *  - objects live in a slab of fixed chunks (never move, never freed before the index: tombstones stay);
 *  - an open-addressing hash table (linear probing, load <= 1/2) of 64-bit slots (hash tag, object number),
 *    followed by as many value hints (internal.h, "value hints");
 *  - a class table: class -> array of its objects (ostore_list_ids);
 *  - entry arrays come from an arena with size classes four per doubling (class_cap) and free lists.
 * Mutations are split in prepare (every allocation, invisible to readers, may fail and be undone) and
 * publish (pointer swaps and in-place updates under the exclusive lock, never fails). */
#include "internal.h"

#include <stdlib.h>
#include <sys/mman.h>

#define SEED_CLASS OS_SEED_CLASS
/* Arena fill chunks double from 128 KiB up to 2 MiB, all from os_big_alloc: a small store touches little
 * memory, and a growing one gets 2 MiB chunks backed by a transparent huge page, so creating objects takes
 * one page fault per 16384 four-entry arrays instead of one per 32 (the demo's create phase spent ~10 % of
 * its thread in 4 KiB faults on 1 MiB malloc'd chunks: perf/PROFILES.md, "the demo's create phase"). */
#define ARENA_CHUNK_MIN ((size_t)128 << 10)
#define ARENA_CHUNK ((size_t)OS_HUGE)

static inline uint64_t live_bytes_of(uint32_t name_len, uint32_t len) { return (uint64_t)OS_OP_HDR + name_len + len; }

/* ---- big allocations ---- */

static size_t huge_up(size_t n) { return (n + OS_HUGE - 1) & ~(size_t)(OS_HUGE - 1); }

void *os_big_alloc(size_t size)
{
    if (size < OS_HUGE)
        return calloc(1, size);
    size_t len = huge_up(size);
    if (len < size || len + OS_HUGE < len)
        return NULL;
    uint8_t *p = os_map_aligned(len, PROT_READ | PROT_WRITE, -1, 0);
    if (p == NULL)
        return NULL;
    (void)madvise(p, len, MADV_HUGEPAGE); /* advice only: without THP it is ordinary memory */
    return p;
}

void *os_map_aligned(size_t len, int prot, int fd, uint64_t off)
{
    /* over-map by 2 MiB and trim, so the kept range is 2 MiB-aligned (a huge page can back it) */
    uint8_t *m = mmap(NULL, len + OS_HUGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    uint8_t *p = (uint8_t *)(((uintptr_t)m + OS_HUGE - 1) & ~(uintptr_t)(OS_HUGE - 1));
    if (p > m)
        munmap(m, (size_t)(p - m));
    if (m + len + OS_HUGE > p + len)
        munmap(p + len, (size_t)(m + len + OS_HUGE - (p + len)));
    if (fd >= 0 && mmap(p, len, prot, MAP_SHARED | MAP_FIXED, fd, (off_t)off) == MAP_FAILED) {
        munmap(p, len);
        return NULL;
    }
    return p;
}

size_t os_big_mapped(size_t size) { return size < OS_HUGE ? 0 : huge_up(size); }

void *os_big_grow(void *p, size_t old_size, size_t new_size)
{
    if (new_size < OS_HUGE)
        return realloc(p, new_size); /* below 2 MiB os_big_alloc's memory is malloc's */
    uint8_t *q = os_big_alloc(new_size);
    if (q == NULL)
        return NULL;
    if (old_size > 0)
        memcpy(q, p, old_size);
    os_big_free(p, old_size);
    return q;
}

void os_big_free(void *p, size_t size)
{
    if (p == NULL)
        return;
    if (size < OS_HUGE)
        free(p);
    else
        munmap(p, huge_up(size));
}

#define SLAB_CHUNK_BYTES ((size_t)OS_OBJ_CHUNK * sizeof(os_obj))
_Static_assert(SLAB_CHUNK_BYTES == OS_AHEAD_CHUNK && ARENA_CHUNK == OS_AHEAD_CHUNK,
               "slab and full arena chunks are the size of a chunk made ahead (ahead.c)");

/* ---- arena ---- */

/* Capacity of entry-array size class k (internal.h, OS_ARENA_CLASSES): 1, 2, 3, 4, then 5, 6, 7, 8 << j in turn. */
static inline uint64_t class_cap(unsigned k)
{
    if (k < 4)
        return k + 1u;
    unsigned m = k - 4;
    return (uint64_t)(5u + (m & 3u)) << (m >> 2);
}

/* The smallest class from 3 entries up that holds n entries. */
static unsigned cap_class(uint64_t n)
{
    unsigned k = 2;
    while (k + 1 < OS_ARENA_CLASSES && class_cap(k) < n)
        k++;
    return k;
}

static os_entry *arena_alloc(os_arena *a, unsigned k)
{
    if (k >= OS_ARENA_CLASSES)
        return NULL;
    if (a->free[k] != NULL) {
        os_entry *p = a->free[k];
        memcpy(&a->free[k], (void *)p, sizeof(void *));
        return p;
    }
    size_t sz = sizeof(os_entry) * class_cap(k);
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 16;
        uint8_t **c = realloc(a->chunks, nc * sizeof *c);
        if (c == NULL)
            return NULL;
        a->chunks = c;
        size_t *zs = realloc(a->sizes, nc * sizeof *zs);
        if (zs == NULL)
            return NULL;
        a->sizes = zs;
        a->cap = nc;
    }
    if (sz >= ARENA_CHUNK / 4) { /* big arrays get a chunk of their own */
        uint8_t *c = os_big_alloc(sz);
        if (c == NULL)
            return NULL;
        a->sizes[a->n] = sz;
        a->chunks[a->n++] = c;
        return (os_entry *)(void *)c;
    }
    if (sz > a->left) {
        size_t csz = a->next < ARENA_CHUNK_MIN ? ARENA_CHUNK_MIN : a->next;
        uint8_t *c = csz == ARENA_CHUNK && a->ahead != NULL ? os_ahead_take(a->ahead) : NULL;
        if (c == NULL)
            c = os_big_alloc(csz);
        if (c == NULL)
            return NULL;
        a->sizes[a->n] = csz;
        a->chunks[a->n++] = c;
        a->cur = c;
        a->left = csz;
        a->next = csz < ARENA_CHUNK ? csz * 2 : ARENA_CHUNK;
    }
    os_entry *p = (os_entry *)(void *)a->cur;
    a->cur += sz;
    a->left -= sz;
    return p;
}

static void arena_free(os_arena *a, os_entry *p, unsigned k)
{
    memcpy((void *)p, &a->free[k], sizeof(void *));
    a->free[k] = p;
}

/* entries o's array holds (0 for lazy entries: any change needs an array) */
static inline uint64_t obj_cap(const os_obj *o)
{
    return o->ents == &o->inl ? 1u : os_ents_lazy(o->ents) ? 0u : class_cap(o->capk);
}

/* o's entries live in an arena array of its own (not inline, not lazy) */
static inline bool obj_owns_array(const os_obj *o) { return o->ents != &o->inl && !os_ents_lazy(o->ents); }

/* ---- index life cycle ---- */

os_index *os_index_new(void)
{
    os_index *ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return NULL;
    ix->mask = 1023;
    ix->slots = os_big_alloc(OS_SLOT_BYTES(ix->mask));
    ix->cmask = 15;
    ix->ctab = calloc(ix->cmask + 1, sizeof *ix->ctab);
    os_ahead_init(&ix->ahead, "OSTORE_AHEAD");
    os_regrow_init(&ix->regrow);
    os_ahead_init(&ix->list_ahead, "OSTORE_AHEAD_TABLES");
    ix->arena.ahead = &ix->ahead;
    if (ix->slots == NULL || ix->ctab == NULL) {
        os_index_free(ix);
        return NULL;
    }
    return ix;
}

void os_index_free(os_index *ix)
{
    if (ix == NULL)
        return;
    os_ahead_stop(&ix->ahead);
    os_regrow_stop(&ix->regrow);
    os_ahead_stop(&ix->list_ahead);
    for (uint32_t i = 0; i < ix->nchunks; i++)
        os_big_free(ix->chunks[i], SLAB_CHUNK_BYTES);
    free(ix->chunks);
    os_big_free(ix->slots, OS_SLOT_BYTES(ix->mask));
    if (ix->ctab != NULL) {
        for (uint64_t i = 0; i <= ix->cmask; i++) {
            os_cls *c = ix->ctab[i];
            if (c != NULL) {
                free(c->name);
                os_big_free(c->objs, (size_t)c->cap * sizeof *c->objs);
                os_big_free(c->stage, (size_t)c->stage_cap * sizeof *c->stage);
                os_ord_free(c->ord); /* ordered.c */
                free(c);
            }
        }
        free(ix->ctab);
    }
    free(ix->limbo);
    for (size_t i = 0; i < ix->arena.n; i++)
        os_big_free(ix->arena.chunks[i], ix->arena.sizes[i]);
    free(ix->arena.chunks);
    free(ix->arena.sizes);
    for (size_t i = 0; i < ix->nblobs; i++)
        os_unmap_file(ix->blobs[i].p, ix->blobs[i].maplen);
    free(ix->blobs);
    free(ix->lazy.tseg);
    free(ix);
}

int os_index_add_blob(os_index *ix, void *blob, size_t maplen)
{
    if (ix->nblobs == ix->capblobs) {
        size_t nc = ix->capblobs ? ix->capblobs * 2 : 4;
        struct os_blob *b = realloc(ix->blobs, nc * sizeof *b);
        if (b == NULL)
            return OSTORE_NO_MEMORY;
        ix->blobs = b;
        ix->capblobs = nc;
    }
    ix->blobs[ix->nblobs].p = blob;
    ix->blobs[ix->nblobs].maplen = maplen;
    ix->nblobs++;
    return OSTORE_OK;
}

/* ---- lookups ---- */

/* The inline copy of a short id (see os_obj), set when the object is created. */
static inline void obj_set_id(os_obj *o, const uint8_t *id, size_t il)
{
    if (il <= OS_INLINE_ID)
        memcpy(o->id, id, il);
}

#define slots_insert os_slots_insert

/* o's hint in a rebuilt table, from w, the hint at its home in the old one: w when it is o's (its tag) and names the
 * lines of o's first value, else those of o's first value and what follows it, a line per entry (the values of an
 * object written whole lie together). Writer, or a load before anyone reads. */
static uint64_t rebuilt_hint(const os_obj *o, uint64_t w)
{
    uint64_t word;
    uintptr_t f = o->first_at, from = os_hint_at(w), to = from + 64u * os_hint_lines(w);
    if (o->ents == &o->inl)
        word = os_entries_hint(&o->inl, o->n);
    else if (((w ^ o->hash) & OS_HINT_TAG) == 0 && f >= from && f < to)
        return w;
    else
        word = os_hint_word(f, 64u * (uint64_t)o->n);
    return word != 0 ? word | (o->hash & OS_HINT_TAG) : 0;
}

/* A table of newcap slots (and hints) holding objects 0..count-1, their hints moved from their homes in ix's
 * (rebuilt_hint): the one regrow.c built ahead for newcap when there is one (then only the objects made since and
 * those whose hints it did not carry are done here), else a new one. Writer, or a load before anyone reads:
 * nothing else writes hints meanwhile. */
static uint64_t *slots_rebuild(os_index *ix, uint32_t count, uint64_t newcap)
{
    const uint64_t *old = ix->slots; /* its hints: os_hint_slot */
    uint32_t from = 0;
    uint64_t *ns = os_regrow_take(&ix->regrow, newcap, &from);
    if (ns != NULL && from > count) { /* never: it holds objects that are all still there */
        os_big_free(ns, OS_SLOT_BYTES(newcap - 1));
        ns = NULL;
    }
    if (ns != NULL) {
        const uint32_t *fix = ix->regrow.fix;
        for (uint32_t k = 0, nfix = ix->regrow.nfix; k < nfix; k++) {
            if (k + 8 < nfix) /* the object's line and its old hint's, some ahead */
                __builtin_prefetch(os_obj_at(ix, fix[k + 8]));
            if (k + 4 < nfix) {
                const os_obj *ahead = os_obj_at(ix, fix[k + 4]);
                __builtin_prefetch(os_hint_slot(old, ahead->hash & ix->mask));
                __builtin_prefetch((const uint8_t *)ahead + 64); /* first_at, ents */
                __builtin_prefetch(os_hint_slot(ns, ahead->hash & (newcap - 1)), 1);
            }
            const os_obj *o = os_obj_at(ix, fix[k]);
            *os_hint_slot(ns, o->hash & (newcap - 1)) =
                rebuilt_hint(o, __atomic_load_n(os_hint_slot(old, o->hash & ix->mask), __ATOMIC_RELAXED));
        }
        ix->regrow.nfix = 0;
    } else {
        from = 0;
        ns = os_big_alloc(OS_SLOT_BYTES(newcap - 1));
        if (ns == NULL)
            return NULL;
    }
    /* objects are read in order; the slots they go to are random: prefetch those some objects ahead */
    enum { AHEAD = 16 };
    for (uint32_t i = from; i < count; i++) {
        if (i + AHEAD < count) {
            uint64_t ah = os_obj_at(ix, i + AHEAD)->hash;
            __builtin_prefetch(os_slot(ns, ah & (newcap - 1)), 1); /* its hint's line too */
            __builtin_prefetch(os_hint_slot(old, ah & ix->mask));
            __builtin_prefetch((const uint8_t *)os_obj_at(ix, i + AHEAD) + 64); /* first_at, ents */
        }
        const os_obj *o = os_obj_at(ix, i);
        slots_insert(ns, newcap - 1, o->hash, i);
        *os_hint_slot(ns, o->hash & (newcap - 1)) =
            rebuilt_hint(o, __atomic_load_n(os_hint_slot(old, o->hash & ix->mask), __ATOMIC_RELAXED));
    }
    return ns;
}

bool os_value_hints = true;
bool os_small_batch_prefetch = true;

uint64_t os_entries_hint(const os_entry *e, uint32_t n)
{
    if (n == 0 || e[0].seg == NULL || e[0].seg->base == NULL)
        return 0;
    if (n == 1) /* os_span's rule for one entry: its value (of whatever length: os_hint_word caps the lines) */
        return os_hint_word((uintptr_t)e[0].seg->base + e[0].off, e[0].len);
    os_span sp;
    os_span_add(&sp, 0, e[0].seg, e[0].off, e[0].len);
    for (uint32_t i = 1; i < n && i < 16u; i++)
        os_span_add(&sp, i, e[i].seg, e[i].off, e[i].len);
    return os_span_hint(&sp, (uintptr_t)e[0].seg->base + e[0].off);
}

static os_cls *ctab_find(os_cls *const *ctab, uint64_t cmask, uint64_t h, const uint8_t *cls, size_t cl)
{
    uint64_t i = h & cmask;
    for (;;) {
        os_cls *c = ctab[i];
        if (c == NULL)
            return NULL;
        if (c->hash == h && c->len == cl && memcmp(c->name, cls, cl) == 0)
            return c;
        i = (i + 1) & cmask;
    }
}

static void ctab_insert(os_cls **ctab, uint64_t cmask, os_cls *c)
{
    uint64_t i = c->hash & cmask;
    while (ctab[i] != NULL)
        i = (i + 1) & cmask;
    ctab[i] = c;
}

static os_cls **ctab_rebuild(const os_index *ix, uint64_t newcap)
{
    os_cls **nt = calloc(newcap, sizeof *nt);
    if (nt == NULL)
        return NULL;
    for (uint64_t i = 0; i <= ix->cmask; i++)
        if (ix->ctab[i] != NULL)
            ctab_insert(nt, newcap - 1, ix->ctab[i]);
    return nt;
}

/* A class of its own copy of name[0..len) and hash h, with no objects yet (NULL: out of memory). */
static os_cls *cls_new(const uint8_t *name, uint16_t len, uint64_t h)
{
    os_cls *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->name = malloc(len);
    if (c->name == NULL) {
        free(c);
        return NULL;
    }
    memcpy(c->name, name, len);
    c->len = len;
    c->hash = h;
    return c;
}

os_cls *os_index_find_class(const os_index *ix, const uint8_t *cls, size_t cl)
{
    return ctab_find(ix->ctab, ix->cmask, os_hash_bytes(cls, cl, SEED_CLASS), cls, cl);
}

const uint8_t os_expiry_name[OSTORE_EXPIRY_NAME_LEN] = {0, 'e', 'x', 'p', 'i', 'r', 'e', 's'};

/* the expiry name as the inline word os_entry keeps for names of 8 bytes */
static inline uint64_t expiry_word(void) { return os_load_tail(os_expiry_name, OSTORE_EXPIRY_NAME_LEN); }

int os_obj_expired(const os_obj *o, uint64_t now, bool *expired, os_err *e)
{
    *expired = false;
    if (now == 0)
        return OSTORE_OK;
    os_eview v;
    int f;
    uint32_t q;
    do { /* a consistent view of the expiry entry (internal.h, "reading an object while the writer publishes") */
        q = os_obj_seq_begin(o);
        f = OS_LD(o->tomb) ? 0 : os_obj_find_entry_rd(o, q, os_expiry_name, OSTORE_EXPIRY_NAME_LEN, &v);
    } while (f < 0 || !os_obj_seq_ok(o, q));
    if (f == 0 || v.len != 8) /* another length is not a deadline: the object never expires (FORMAT.md) */
        return OSTORE_OK;
    if (!v.checked) {
        int rc = os_eview_check(o, q, &v, NULL, e);
        if (rc != OSTORE_OK)
            return rc;
    }
    uint64_t at = rd64(v.seg->base + v.off);
    *expired = at != 0 && at <= now;
    return OSTORE_OK;
}

uint32_t os_cls_pos_after(const os_cls *c, const os_obj *o)
{
    uint32_t lo = 0, hi = c->n; /* first position whose object number is above o's */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->objs[mid]->num <= o->num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Copies n entries (writer, into an array no reader sees yet). Field by field: readers may be setting the
 * source's checked flags meanwhile (os_eview_check), so that one is read atomically. */
static void entries_copy(os_entry *dst, const os_entry *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        dst[i].name = src[i].name;
        dst[i].seg = src[i].seg;
        dst[i].off = src[i].off;
        dst[i].len = src[i].len;
        dst[i].name_len = src[i].name_len;
        dst[i].checked = __atomic_load_n(&src[i].checked, __ATOMIC_RELAXED);
    }
}

/* ---- lazy entries (internal.h) ---- */

/* One lazy entry at *p (bytes a load validated; still bounded by end): its name and fields; false if the bytes end.
 * *prev carries the offset base from entry to entry (FORMAT.md, "Checkpoint file", version 3 entries). */
static inline bool lazy_next(const uint8_t **p, const uint8_t *end, uint64_t *prev, const uint8_t **name,
                             uint64_t *nl, uint64_t *k, uint64_t *off, uint64_t *vl)
{
    uint64_t dz;
    if (!os_ckpt_varint(p, end, nl) || *nl > (uint64_t)(end - *p) || *nl > OSTORE_MAX_KEY)
        return false;
    *name = *p;
    *p += *nl;
    if (!os_ckpt_varint(p, end, k) || !os_ckpt_varint(p, end, &dz) || !os_ckpt_varint(p, end, vl))
        return false;
    *off = *prev + os_unzigzag(dz);
    *prev = *off + *vl;
    return true;
}

/* an entry's name as os_entry keeps it: the zero-padded bytes of a short one, a pointer to a long one */
static inline uint64_t lazy_name_word(const uint8_t *name, uint64_t nl)
{
    return nl <= OS_INLINE_NAME ? os_load_tail(name, nl) : (uint64_t)(uintptr_t)name;
}

/* the segment of entry k of the load's segment table (NULL: not in the log, which the load has ruled out) */
static inline os_seg *lazy_seg(const os_lazy *lz, uint64_t k) { return k < lz->nsegs ? lz->tseg[k] : NULL; }

uint32_t os_lazy_decode(const os_lazy *lz, const uint8_t *p, uint32_t n, uint32_t lchecked, os_entry *out)
{
    uint64_t prev = 0;
    if (n > OS_LAZY_MAX)
        n = OS_LAZY_MAX;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *name;
        uint64_t nl, k, off, vl;
        if (!lazy_next(&p, lz->end, &prev, &name, &nl, &k, &off, &vl))
            return i;
        os_entry *en = &out[i];
        en->name.word = lazy_name_word(name, nl); /* a long name stays in the checkpoint, as a loaded one */
        en->seg = lazy_seg(lz, k);
        en->off = off;
        en->len = (uint32_t)vl;
        en->name_len = (uint16_t)nl;
        en->checked = (uint16_t)((lchecked >> i) & 1u);
    }
    return n;
}

int os_lazy_find_rd(const os_obj *o, uint32_t n, const os_entry *ents, const uint8_t *name, size_t nl, os_eview *v)
{
    const os_lazy *lz = o->lazy;
    const uint8_t *p = os_ents_bytes(ents);
    uint64_t want = nl <= OS_INLINE_NAME ? os_load_tail(name, nl) : 0, prev = 0;
    if (n > OS_LAZY_MAX)
        n = OS_LAZY_MAX;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *en;
        uint64_t el, k, off, vl;
        if (!lazy_next(&p, lz->end, &prev, &en, &el, &k, &off, &vl))
            return 0;
        if (el != nl || (nl <= OS_INLINE_NAME ? os_load_tail(en, el) != want : memcmp(en, name, nl) != 0))
            continue;
        v->at = NULL; /* no os_entry: the flag lives in o->lchecked */
        v->lazy_i = (int32_t)i;
        v->seg = lazy_seg(lz, k);
        v->off = off;
        v->name_word = lazy_name_word(en, el);
        v->len = (uint32_t)vl;
        v->name_len = (uint16_t)el;
        v->checked = (uint16_t)((__atomic_load_n(&o->lchecked, __ATOMIC_RELAXED) >> i) & 1u);
        return 1;
    }
    return 0;
}

static inline uint64_t new_names(const os_obj *o, os_bop *ops, const os_bobj *b);

/* Lazy o's entries decoded into an arena array (*k its class) with room for them and, when b is given, for the new
 * names b's ops put; NULL: out of memory. Nothing is published. */
static os_entry *lazy_array(os_index *ix, const os_obj *o, os_bop *ops, const os_bobj *b, uint8_t *k)
{
    os_entry tmp[OS_LAZY_MAX];
    uint32_t n = os_lazy_decode(o->lazy, os_ents_bytes(o->ents), o->n,
                                __atomic_load_n(&o->lchecked, __ATOMIC_RELAXED), tmp);
    uint64_t need = n;
    if (b != NULL) {
        os_obj view = {.ents = tmp, .n = n}; /* os_obj_find_entry over the decoded entries */
        need += new_names(&view, ops, b);
    }
    unsigned c = cap_class(need > 0 ? need : 1);
    os_entry *arr = arena_alloc(&ix->arena, c);
    if (arr != NULL) {
        entries_copy(arr, tmp, n);
        *k = (uint8_t)c;
    }
    return arr;
}

int os_index_materialize(os_index *ix, os_obj *o)
{
    if (!os_ents_lazy(o->ents))
        return OSTORE_OK;
    uint8_t k;
    os_entry *arr = lazy_array(ix, o, NULL, NULL, &k);
    if (arr == NULL)
        return OSTORE_NO_MEMORY;
    uint32_t q = __atomic_load_n(&o->seq, __ATOMIC_RELAXED);
    __atomic_store_n(&o->seq, q + 1u, __ATOMIC_RELAXED);
    OS_ST(o->ents, arr);
    o->capk = k;
    os_obj_note_first_value(o);
    __atomic_store_n(&o->seq, q + 2u, __ATOMIC_RELEASE);
    return OSTORE_OK;
}

os_entry *os_obj_find_entry(const os_obj *o, const uint8_t *name, size_t nl)
{
    os_entry *e = o->ents;
    if (nl <= OS_INLINE_NAME) { /* inline names are zero-padded words: one compare per entry */
        uint64_t w = os_load_tail(name, nl);
        for (uint32_t i = 0; i < o->n; i++)
            if (e[i].name_len == nl && e[i].name.word == w)
                return &e[i];
        return NULL;
    }
    for (uint32_t i = 0; i < o->n; i++)
        if (e[i].name_len == nl && memcmp(os_entry_name(&e[i]), name, nl) == 0)
            return &e[i];
    return NULL;
}

/* ---- scratch ---- */

/* Grows *arr (elements of `size` bytes, capacity *cap) to hold at least n, doubling from 64. */
static int grow_array(void **arr, size_t *cap, size_t size, size_t n)
{
    if (n <= *cap)
        return OSTORE_OK;
    size_t nc = *cap ? *cap : 64;
    while (nc < n)
        nc *= 2;
    void *b = realloc(*arr, nc * size);
    if (b == NULL)
        return OSTORE_NO_MEMORY;
    *arr = b;
    *cap = nc;
    return OSTORE_OK;
}

int os_scratch_reserve(os_scratch *sc, size_t n)
{
    void *a = sc->objs;
    int rc = grow_array(&a, &sc->cap, sizeof *sc->objs, n);
    sc->objs = a;
    return rc;
}

int os_scratch_grow_ops(os_scratch *sc, size_t n)
{
    void *a = sc->ops;
    int rc = grow_array(&a, &sc->opcap, sizeof *sc->ops, n);
    sc->ops = a;
    return rc;
}

void os_scratch_free(os_scratch *sc)
{
    free(sc->objs);
    free(sc->ops);
    free(sc->enc);
    free(sc->dup);
    free(sc->prep.pend);
    free(sc->prep.touched);
    free(sc->prep.garbage);
    os_big_free(sc->prep.oldslots, OS_SLOT_BYTES(sc->prep.oldmask));
    memset(sc, 0, sizeof *sc);
}

static inline bool bobj_same_key(const os_bobj *a, const os_bobj *b)
{
    return a->hash == b->hash && a->class_len == b->class_len && a->id_len == b->id_len &&
           memcmp(a->cname, b->cname, a->class_len) == 0 && memcmp(a->id, b->id, a->id_len) == 0;
}

/* Prefetch the object the home slot of hash h points to (when its tag matches), both of its lines. */
static inline void prefetch_home_obj(const os_index *ix, uint64_t h)
{
    uint64_t s = *os_slot(ix->slots, h & ix->mask);
    if (s != 0 && (uint32_t)(s >> 32) == (uint32_t)(h >> 32) && (uint32_t)s - 1u < ix->nobj) {
        const os_obj *o = os_obj_at(ix, (uint32_t)s - 1u);
        __builtin_prefetch(o);
        __builtin_prefetch((const uint8_t *)o + 64);
    }
}

/* Resolving one object costs dependent cache misses: its hash slot, then the object. The objects of a
 * batch are independent, so the loop is pipelined: the slot of object i + PF_SLOT is prefetched, then the
 * object of i + PF_OBJ (whose slot was prefetched earlier and is likely in cache by now), then object i
 * is resolved. The misses of about PF_SLOT objects are then in flight together instead of one by one.
 * 32/16 rather than 16/8: a miss here (DRAM + a nested-paging TLB walk) outlasts 8 objects' work; the 1M-key
 * overwrite was 7–20 % faster with the deeper distances (native-src/README.md). */
#define PF_SLOT 32u
#define PF_OBJ 16u

int os_index_lookup_batch(const os_index *ix, os_bobj *bo, uint32_t n, os_scratch *sc, os_err *e)
{
    for (uint32_t i = 0; i < n && i < PF_SLOT; i++)
        __builtin_prefetch(os_slot(ix->slots, bo[i].hash & ix->mask));
    for (uint32_t i = 0; i < n && i < PF_OBJ; i++)
        prefetch_home_obj(ix, bo[i].hash);
    for (uint32_t i = 0; i < n; i++) {
        if (i + PF_SLOT < n)
            __builtin_prefetch(os_slot(ix->slots, bo[i + PF_SLOT].hash & ix->mask));
        if (i + PF_OBJ < n)
            prefetch_home_obj(ix, bo[i + PF_OBJ].hash);
        os_obj *o = os_index_find(ix, bo[i].hash, bo[i].cname, bo[i].class_len, bo[i].id, bo[i].id_len);
        bo[i].o = o;
        /* publish will compare entry names: start the miss on the entry array now. Only a prefetch: reading
         * the array here (to prefetch long names in the log too) waited for that miss, which made the lookup
         * ~2/3 of a one-object write on this VM; names over OS_INLINE_NAME bytes are left to publish. */
        if (o != NULL && o->ents != &o->inl)
            __builtin_prefetch(os_ents_bytes(o->ents));
    }
    if (n <= 16) {
        for (uint32_t i = 1; i < n; i++)
            for (uint32_t j = 0; j < i; j++)
                if (bobj_same_key(&bo[i], &bo[j]))
                    return os_fail(e, OSTORE_INVALID_ARGUMENT, "objects %u and %u of the batch have the same key", j,
                                   i);
        return OSTORE_OK;
    }
    size_t cap = 64;
    while (cap < (size_t)n * 2)
        cap *= 2;
    if (cap > sc->dupcap) {
        uint32_t *d = realloc(sc->dup, cap * sizeof *d);
        if (d == NULL)
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory checking duplicate objects");
        sc->dup = d;
        sc->dupcap = cap;
    }
    memset(sc->dup, 0, cap * sizeof *sc->dup);
    for (uint32_t i = 0; i < n; i++) {
        size_t p = bo[i].hash & (cap - 1);
        while (sc->dup[p] != 0) {
            uint32_t j = sc->dup[p] - 1;
            if (bobj_same_key(&bo[i], &bo[j]))
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "objects %u and %u of the batch have the same key", j, i);
            p = (p + 1) & (cap - 1);
        }
        sc->dup[p] = i + 1;
    }
    return OSTORE_OK;
}

/* ---- prepare / abort / publish ---- */

static bool grow_ptrs(void ***arr, uint32_t *cap, uint32_t need)
{
    if (need <= *cap)
        return true;
    uint32_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void **a = realloc(*arr, (size_t)nc * sizeof *a);
    if (a == NULL)
        return false;
    *arr = a;
    *cap = nc;
    return true;
}

/* one more 2 MiB chunk of objects (the chunk table made on first use); ahead: from the second chunk on, take one made
 * ahead (ahead.c) when ready. A parallel load's reservation of its whole slab does not: it maps every chunk at once,
 * with nothing to overlap their making with, and would leave a populated chunk waiting after the open. */
static bool slab_add_chunk(os_index *ix, bool ahead)
{
    /* The chunk table never moves: readers (and a background checkpoint) index it under the read lock
     * while prepare, outside the lock, adds chunks — a realloc here would free the table under them.
     * Its full size (2^32 objects / 2^14 per chunk = 2 MiB of pointers) is a calloc'd zero mapping:
     * only the pages that hold used entries are ever touched. */
    if (ix->chunks == NULL) {
        ix->capchunks = (uint32_t)(((uint64_t)UINT32_MAX + 1u) >> OS_OBJ_CHUNK_SHIFT);
        ix->chunks = calloc(ix->capchunks, sizeof *ix->chunks);
        if (ix->chunks == NULL) {
            ix->capchunks = 0;
            return false;
        }
    }
    if (ix->nchunks >= ix->capchunks)
        return false;
    /* a store of fewer objects than a chunk holds never starts the thread */
    os_obj *chunk = ahead && ix->nchunks > 0 ? os_ahead_take(&ix->ahead) : NULL;
    if (chunk == NULL)
        chunk = os_big_alloc(SLAB_CHUNK_BYTES);
    if (chunk == NULL)
        return false;
    ix->chunks[ix->nchunks++] = chunk;
    return true;
}

static os_obj *obj_init(os_index *ix, uint32_t i)
{
    os_obj *o = os_obj_at(ix, i);
    memset(o, 0, sizeof *o);
    o->num = i;
    o->ents = &o->inl;
    return o;
}

static os_obj *slab_alloc(os_index *ix)
{
    uint32_t i = ix->nobj;
    if (i >= UINT32_MAX - 2)
        return NULL;
    if (i >> OS_OBJ_CHUNK_SHIFT >= ix->nchunks && !slab_add_chunk(ix, true))
        return NULL;
    ix->nobj++;
    return obj_init(ix, i);
}

static int prep_fail(os_index *ix, os_bobj *bo, uint32_t n, os_prep *pp, os_err *e)
{
    os_index_abort(ix, bo, n, pp);
    return os_fail(e, OSTORE_NO_MEMORY, "out of memory updating the index");
}

/* How many PUTs of b name an entry o does not have yet. o->n + this bounds the entry count at every step of
 * b's ops (entries present at a step are initial ones, at most o->n, or ones a PUT of a new name added), so it
 * is the room publish needs. Counted only when o->n + puts would not fit: an overwrite of existing entries
 * (the usual partial update) then updates them in place instead of moving the object's entries to a bigger
 * array — for a one-entry object, out of the object into the arena: a fresh 128-byte line per object.
 * Each op keeps what its lookup found (os_bop.ent: the entry's index, or OS_ENT_NEW), which os_index_publish uses
 * instead of searching again when prepare says the indices hold there (os_bobj.ents_seen: an array of o's own,
 * copied in order into a bigger one if b needs it, and only PUTs, which only append). A new name is looked up
 * again at publish: the same name may be put twice. */
static inline __attribute__((always_inline)) uint64_t new_names(const os_obj *o, os_bop *ops, const os_bobj *b)
{
    uint64_t k = 0;
    for (uint32_t j = 0; j < b->op_count; j++) {
        os_bop *op = &ops[b->op0 + j];
        const os_entry *en = op->kind == OSTORE_OP_PUT ? os_obj_find_entry(o, op->name, op->nl) : NULL;
        if (en != NULL) {
            op->ent = (uint32_t)(en - o->ents);
        } else {
            op->ent = OS_ENT_NEW;
            k += op->kind == OSTORE_OP_PUT;
        }
    }
    return k;
}

int os_index_prepare(os_index *ix, os_bop *ops, os_bobj *bo, uint32_t n, bool snapshot, os_prep *pp,
                     os_err *e)
{
    pp->slab_mark = ix->nobj;
    pp->nnew = 0;
    pp->newslots = NULL;
    pp->newctab = NULL;
    pp->npend = 0;
    pp->ntouched = 0;
    pp->ngarbage = 0;
    pp->structural = false;
    uint64_t gen = ++ix->gen;
    os_cls *last_cls = NULL; /* batches usually hold many new objects of one class */
    for (uint32_t i = 0; i < n; i++) {
        os_bobj *b = &bo[i];
        b->newarr = NULL;
        b->is_new = 0;
        b->ents_seen = 0;
        b->cls = NULL;
        uint64_t need;
        os_obj *o = b->o;
        if (o == NULL) {
            const uint8_t *k = b->cname;
            os_cls *c = NULL;
            uint64_t ch = 0;
            if (last_cls != NULL && last_cls->len == b->class_len && memcmp(last_cls->name, k, b->class_len) == 0)
                c = last_cls;
            if (c == NULL) {
                ch = os_hash_bytes(k, b->class_len, SEED_CLASS);
                c = ctab_find(ix->ctab, ix->cmask, ch, k, b->class_len);
            }
            if (c == NULL) {
                for (uint32_t j = 0; j < pp->npend; j++) {
                    os_cls *p = pp->pend[j];
                    if (p->hash == ch && p->len == b->class_len && memcmp(p->name, k, b->class_len) == 0) {
                        c = p;
                        break;
                    }
                }
            }
            if (c == NULL) {
                if (!grow_ptrs((void ***)&pp->pend, &pp->cappend, pp->npend + 1))
                    return prep_fail(ix, bo, i, pp, e);
                if ((c = cls_new(k, b->class_len, ch)) == NULL)
                    return prep_fail(ix, bo, i, pp, e);
                pp->pend[pp->npend++] = c;
            }
            if (c->gen != gen) {
                if (!grow_ptrs((void ***)&pp->touched, &pp->captouched, pp->ntouched + 1))
                    return prep_fail(ix, bo, i, pp, e);
                c->gen = gen;
                c->addn = 0;
                pp->touched[pp->ntouched++] = c;
            }
            c->addn++;
            last_cls = c;
            o = slab_alloc(ix);
            if (o == NULL)
                return prep_fail(ix, bo, i, pp, e);
            o->hash = b->hash;
            o->class_len = b->class_len;
            o->id_len = b->id_len;
            o->cls = c;
            o->key = b->id; /* re-pointed into the log at publish */
            obj_set_id(o, b->id, b->id_len);
            b->o = o;
            b->cls = c;
            b->is_new = 1;
            pp->nnew++;
            need = b->puts;
        } else if (os_ents_lazy(o->ents)) {
            /* the first change of a loaded object: an array of its entries with room for what b adds. Every kind of
             * change gets one, so publish only ever changes entries in an array (a delete or a snapshot clears the
             * copied entries there) */
            if ((b->newarr = lazy_array(ix, o, ops, b, &b->newk)) == NULL)
                return prep_fail(ix, bo, i, pp, e);
            continue;
        } else if (snapshot || (b->flags & OSTORE_OBJECT_DELETE) != 0) {
            need = b->puts;
        } else {
            need = (uint64_t)o->n + b->puts;
            if (need > obj_cap(o) && o->n > 0) {
                need = (uint64_t)o->n + new_names(o, ops, b);
                b->ents_seen = b->puts == b->op_count && obj_owns_array(o);
            }
        }
        if (need > obj_cap(o)) {
            unsigned k = cap_class(need);
            os_entry *arr = arena_alloc(&ix->arena, k);
            if (arr == NULL)
                return prep_fail(ix, bo, i, pp, e);
            if (!snapshot && !b->is_new && o->n > 0)
                entries_copy(arr, o->ents, o->n);
            b->newarr = arr;
            b->newk = (uint8_t)k;
        }
    }
    /* hash table room */
    uint64_t need = (uint64_t)pp->slab_mark + pp->nnew;
    if (need * 2 > ix->mask + 1) {
        uint64_t nc = ix->mask + 1;
        while (need * 2 > nc)
            nc *= 2;
        pp->newslots = slots_rebuild(ix, pp->slab_mark, nc);
        if (pp->newslots == NULL)
            return prep_fail(ix, bo, n, pp, e);
        pp->newmask = nc - 1;
    } else if (need * 8 > (ix->mask + 1) * 3 && OS_SLOT_BYTES(2 * (ix->mask + 1) - 1) >= OS_HUGE) {
        /* past 3/8 full: the table doubles at 1/2; the next one is built on another thread meanwhile (regrow.c) */
        os_regrow_start(&ix->regrow, ix, pp->slab_mark, 2 * (ix->mask + 1));
    }
    uint64_t cneed = (uint64_t)ix->ncls + pp->npend;
    if (cneed * 2 > ix->cmask + 1) {
        uint64_t nc = ix->cmask + 1;
        while (cneed * 2 > nc)
            nc *= 2;
        pp->newctab = ctab_rebuild(ix, nc);
        if (pp->newctab == NULL)
            return prep_fail(ix, bo, n, pp, e);
        pp->newcmask = nc - 1;
    }
    for (uint32_t i = 0; i < pp->ntouched; i++) {
        os_cls *c = pp->touched[i];
        uint64_t want = (uint64_t)c->n + c->addn;
        if (want > c->cap) {
            if (want > UINT32_MAX / 2)
                return prep_fail(ix, bo, n, pp, e);
            uint32_t nc = c->cap ? c->cap : 8;
            while (nc < want)
                nc *= 2;
            c->stage = os_ahead_wait(&ix->list_ahead, (size_t)nc * sizeof *c->stage);
            if (c->stage == NULL)
                c->stage = os_big_grow(NULL, 0, (size_t)nc * sizeof *c->stage);
            if (c->stage == NULL)
                return prep_fail(ix, bo, n, pp, e);
            if (c->n > 0)
                memcpy(c->stage, c->objs, (size_t)c->n * sizeof *c->stage);
            c->stage_cap = nc;
        } else if (want * 4 > (uint64_t)c->cap * 3 && (size_t)c->cap * 2 * sizeof *c->stage >= OS_HUGE) {
            /* past 3/4 full: the list doubles when full, the next one's pages are faulted in meanwhile */
            os_ahead_make(&ix->list_ahead, (size_t)c->cap * 2 * sizeof *c->stage);
        }
    }
    void *garbage = pp->garbage;
    int grc = grow_array(&garbage, &pp->capgarbage, sizeof *pp->garbage, pp->ntouched + 2);
    pp->garbage = garbage;
    if (grc != OSTORE_OK)
        return prep_fail(ix, bo, n, pp, e);
    /* room in the limbo for every array this publish replaces (publish cannot fail) */
    uint32_t nrep = 0;
    for (uint32_t i = 0; i < n; i++)
        if (bo[i].newarr != NULL && obj_owns_array(bo[i].o))
            nrep++;
    if ((uint64_t)ix->nlimbo + nrep > ix->caplimbo) {
        uint64_t nc = ix->caplimbo ? ix->caplimbo : 64;
        while (nc < (uint64_t)ix->nlimbo + nrep)
            nc *= 2;
        if (nc > UINT32_MAX)
            return prep_fail(ix, bo, n, pp, e);
        struct os_limbo *l = realloc(ix->limbo, nc * sizeof *l);
        if (l == NULL)
            return prep_fail(ix, bo, n, pp, e);
        ix->limbo = l;
        ix->caplimbo = (uint32_t)nc;
    }
    pp->structural = pp->newslots != NULL || pp->newctab != NULL || pp->npend > 0;
    for (uint32_t i = 0; i < pp->ntouched && !pp->structural; i++)
        pp->structural = pp->touched[i]->stage != NULL;
    return OSTORE_OK;
}

/* Undo a prepare (bo[0..n) may have staged arrays). Nothing of it was visible to readers. */
void os_index_abort(os_index *ix, os_bobj *bo, uint32_t n, os_prep *pp)
{
    for (uint32_t i = 0; i < n; i++) {
        if (bo[i].newarr != NULL) {
            arena_free(&ix->arena, bo[i].newarr, bo[i].newk);
            bo[i].newarr = NULL;
        }
        if (bo[i].is_new) {
            bo[i].o = NULL;
            bo[i].is_new = 0;
        }
    }
    ix->nobj = pp->slab_mark;
    os_big_free(pp->newslots, OS_SLOT_BYTES(pp->newmask));
    pp->newslots = NULL;
    free(pp->newctab);
    pp->newctab = NULL;
    for (uint32_t i = 0; i < pp->ntouched; i++) {
        os_cls *c = pp->touched[i];
        os_big_free(c->stage, (size_t)c->stage_cap * sizeof *c->stage);
        c->stage = NULL;
        c->stage_cap = 0;
        c->addn = 0;
    }
    for (uint32_t i = 0; i < pp->npend; i++) {
        free(pp->pend[i]->name);
        free(pp->pend[i]);
    }
    pp->npend = pp->ntouched = pp->nnew = 0;
}

static void clear_entries(os_index *ix, os_obj *o)
{
    os_entry buf[OS_LAZY_MAX];
    const os_entry *ents = os_obj_ents(o, buf);
    for (uint32_t i = 0; i < o->n; i++) {
        const os_entry *en = &ents[i];
        ix->live_bytes -= live_bytes_of(en->name_len, en->len);
        ix->state_bytes -= os_entry_state_bytes(en->name_len, en->len);
    }
    ix->live_entries -= o->n;
    OS_ST(o->n, 0u);
}

/* Writes entry *en (writer, o's sequence odd): release stores, see internal.h */
static inline void entry_store(os_entry *en, uint64_t name_word, os_seg *seg, uint64_t off, uint32_t len,
                               uint16_t name_len, uint16_t checked)
{
    OS_ST(en->name.word, name_word);
    OS_ST(en->seg, seg);
    OS_ST(en->off, off);
    OS_ST(en->len, len);
    OS_ST(en->name_len, name_len);
    OS_ST(en->checked, checked);
}

/* The replaced array waits in the limbo (prepare made room): a reader may still be reading it. */
static void retire_array(os_index *ix, os_entry *arr, unsigned k)
{
    ix->limbo[ix->nlimbo].arr = arr;
    ix->limbo[ix->nlimbo].k = k;
    ix->nlimbo++;
}

void os_index_reclaim(os_index *ix, struct os_readers *rd, bool drained, uint32_t atleast)
{
    if (ix->nlimbo == 0 || (!drained && ix->nlimbo < atleast))
        return;
    if (!drained)
        os_rd_synchronize(rd);
    for (uint32_t i = 0; i < ix->nlimbo; i++)
        arena_free(&ix->arena, ix->limbo[i].arr, ix->limbo[i].k);
    ix->nlimbo = 0;
}

void os_index_publish(os_index *ix, const os_bop *ops, const uint8_t *payload, os_seg *seg,
                      uint64_t payload_off, os_bobj *bo, uint32_t n, bool snapshot, os_prep *pp)
{
    pp->ngarbage = 0;
    if (pp->newslots != NULL) {
        pp->oldslots = ix->slots;
        pp->oldmask = ix->mask;
        ix->slots = pp->newslots;
        ix->mask = pp->newmask;
        pp->newslots = NULL;
    }
    if (pp->newctab != NULL) {
        pp->garbage[pp->ngarbage++] = (struct os_garbage){ix->ctab, 0};
        ix->ctab = pp->newctab;
        ix->cmask = pp->newcmask;
        pp->newctab = NULL;
    }
    for (uint32_t i = 0; i < pp->npend; i++) {
        ctab_insert(ix->ctab, ix->cmask, pp->pend[i]);
        ix->ncls++;
    }
    for (uint32_t i = 0; i < pp->ntouched; i++) {
        os_cls *c = pp->touched[i];
        if (c->stage != NULL) {
            if (c->objs != NULL)
                pp->garbage[pp->ngarbage++] = (struct os_garbage){c->objs, (size_t)c->cap * sizeof *c->objs};
            c->objs = c->stage;
            c->cap = c->stage_cap;
            c->stage = NULL;
            c->stage_cap = 0;
        }
        c->addn = 0;
    }
    pp->npend = pp->ntouched = pp->nnew = 0;

    /* the slots new objects go to were read by the lookup, but copying the record into the log since may
     * have evicted them: prefetch them again ahead of the inserts (this runs under the exclusive lock) */
    for (uint32_t i = 0; i < n && i < PF_SLOT; i++) /* a new object's slot, and every object's value hint: one line */
        __builtin_prefetch(os_hint_slot(ix->slots, bo[i].hash & ix->mask), 1);
    for (uint32_t i = 0; i < n; i++) {
        os_bobj *b = &bo[i];
        os_obj *o = b->o;
        const uint8_t *idp = payload + b->id_at; /* pointer only: never dereferenced here */
        if (i + PF_SLOT < n)
            __builtin_prefetch(os_hint_slot(ix->slots, bo[i + PF_SLOT].hash & ix->mask), 1);
        /* objects were brought in by the lookup (existing) or written by prepare (new), but writing the
         * record (~170 KB for 1000 small entries) since has likely evicted them: fetch both lines again a
         * few objects ahead */
        if (i + PF_OBJ < n) {
            __builtin_prefetch(bo[i + PF_OBJ].o, 1);
            __builtin_prefetch((const uint8_t *)bo[i + PF_OBJ].o + 64, 1);
        }
        bool was_live;
        bool is_new = b->is_new;
        /* readers may be reading o (an ordinary publish is not exclusive): odd sequence, release stores of
         * what readers read, even sequence (internal.h, "reading an object while the writer publishes").
         * A new object is not reachable yet: it is linked into the slot table and its class below, complete. */
        uint32_t q = __atomic_load_n(&o->seq, __ATOMIC_RELAXED); /* readers may RMW it (os_eview_check) */
        __atomic_store_n(&o->seq, q + 1u, __ATOMIC_RELAXED);
        if (is_new) {
            o->key = idp;
            ix->state_bytes += os_obj_state_bytes(o->class_len, o->id_len);
            was_live = false;
            b->is_new = 0;
        } else {
            was_live = !o->tomb;
            if (snapshot) /* background compaction restates a live object (exclusive section): its key moves too */
                o->key = idp;
        }
        /* a snapshot or a delete drops the entries o has now, from the array that holds them (prepare does not
         * copy them into a new one a snapshot needs); the count falls to 0 before a new array is stored */
        if (snapshot || (b->flags & OSTORE_OBJECT_DELETE) != 0)
            clear_entries(ix, o);
        if (b->newarr != NULL) {
            if (obj_owns_array(o))
                retire_array(ix, o->ents, o->capk);
            OS_ST(o->ents, b->newarr); /* before any count that needs the bigger array (os_obj_find_entry_rd) */
            o->capk = b->newk;
            b->newarr = NULL;
        }
        if (snapshot) {
            OS_ST(o->version, b->expected);
            OS_ST(o->tomb, (uint8_t)((b->flags & OSTORE_OBJECT_DELETE) != 0));
        } else {
            OS_ST(o->version, o->version + 1);
            if ((b->flags & OSTORE_OBJECT_DELETE) != 0) {
                OS_ST(o->tomb, (uint8_t)1);
            } else {
                OS_ST(o->tomb, (uint8_t)0);
            }
        }
        uint64_t cap = obj_cap(o);
        for (uint32_t j = 0; j < b->op_count; j++) {
            const os_bop *op = &ops[b->op0 + j];
            uint16_t nl = op->nl;
            uint32_t vl = op->vl;
            os_entry *en = b->ents_seen && op->ent != OS_ENT_NEW ? &o->ents[op->ent] : os_obj_find_entry(o, op->name, nl);
            if (op->kind == OSTORE_OP_PUT) {
                if (en != NULL) {
                    ix->live_bytes -= live_bytes_of(en->name_len, en->len);
                    ix->state_bytes -= os_entry_state_bytes(en->name_len, en->len);
                } else if (o->n < cap) {
                    en = &o->ents[o->n];
                    OS_ST(o->n, o->n + 1);
                    ix->live_entries++;
                }
                if (en != NULL) {
                    /* a long name is kept as a pointer into the record (payload), never the caller's buffer */
                    /* a short name is compared in the caller's (cache-hot) buffer; a long one is kept as a
                     * pointer into the record (payload), never the caller's buffer */
                    uint64_t w = nl <= OS_INLINE_NAME ? os_load_tail(op->name, nl)
                                                      : (uint64_t)(uintptr_t)(payload + op->at);
                    /* checked 1: a record being written or replayed, its CRC is known good */
                    entry_store(en, w, seg, payload_off + op->at + nl, vl, nl, 1);
                    if (nl == OSTORE_EXPIRY_NAME_LEN && w == expiry_word())
                        OS_ST(o->cls->has_exp, (uint8_t)1);
                    ix->live_bytes += live_bytes_of(nl, vl);
                    ix->state_bytes += os_entry_state_bytes(nl, vl);
                }
            } else if (en != NULL) {
                ix->live_bytes -= live_bytes_of(en->name_len, en->len);
                ix->state_bytes -= os_entry_state_bytes(en->name_len, en->len);
                ix->live_entries--;
                const os_entry *last = &o->ents[o->n - 1];
                /* A reader may be setting the checked flag of *en (os_eview_check), then reading the sequence
                 * with a read-modify-write. This read-modify-write of the (odd) sequence is ordered with the
                 * reader's: if the reader's comes first, this one synchronizes with it and the move below
                 * overwrites the reader's flag; if this one comes first, the reader sees the sequence moved
                 * and undoes its flag. (RMWs, not fences: TSan does not model fences.) */
                __atomic_fetch_add(&o->seq, 0u, __ATOMIC_SEQ_CST);
                if (en != last)
                    entry_store(en, last->name.word, last->seg, last->off, last->len, last->name_len,
                                __atomic_load_n(&last->checked, __ATOMIC_RELAXED)); /* readers may set it */
                OS_ST(o->n, o->n - 1);
            }
        }
        os_obj_note_first_value(o);
        if (!os_ents_lazy(o->ents)) /* a lazy object's values did not move: its hint stands */
            os_index_hint_set(ix, o->hash, os_entries_hint(o->ents, o->n));
        __atomic_store_n(&o->seq, q + 2u, __ATOMIC_RELEASE);
        if (is_new) { /* now complete: reachable by lookups (release store of the slot) and by class scans */
            slots_insert(ix->slots, ix->mask, o->hash, o->num);
            os_cls *c = o->cls;
            if (c->n < c->cap) {
                c->objs[c->n] = o;
                OS_ST(c->n, c->n + 1);
            }
        }
        bool now_live = !o->tomb;
        /* c->live: read by ostore_count while publishes run (relaxed: a count, not a state) */
        if (now_live && !was_live) {
            ix->live_objects++;
            __atomic_store_n(&o->cls->live, o->cls->live + 1, __ATOMIC_RELAXED);
        } else if (!now_live && was_live) {
            ix->live_objects--;
            __atomic_store_n(&o->cls->live, o->cls->live - 1, __ATOMIC_RELAXED);
        }
    }
    /* the objects made so far are published: a table being rebuilt ahead may take them too */
    if (atomic_load_explicit(&ix->regrow.avail, memory_order_relaxed) != ix->nobj)
        atomic_store_explicit(&ix->regrow.avail, ix->nobj, memory_order_release);
}

void os_index_release(os_prep *pp)
{
    for (uint32_t i = 0; i < pp->ngarbage; i++)
        os_big_free(pp->garbage[i].p, pp->garbage[i].size);
    pp->ngarbage = 0;
    os_big_free(pp->oldslots, OS_SLOT_BYTES(pp->oldmask));
    pp->oldslots = NULL;
}

/* ---- checkpoint loading (single-threaded, before the store is published) ---- */

/* the class named key[0..cl), made when the index has none of that name yet (NULL: out of memory) */
static os_cls *load_class(os_index *ix, const uint8_t *key, uint16_t cl)
{
    uint64_t ch = os_hash_bytes(key, cl, SEED_CLASS);
    os_cls *c = ctab_find(ix->ctab, ix->cmask, ch, key, cl);
    if (c != NULL)
        return c;
    if (((uint64_t)ix->ncls + 1) * 2 > ix->cmask + 1) {
        uint64_t nc = (ix->cmask + 1) * 2;
        os_cls **nt = ctab_rebuild(ix, nc);
        if (nt == NULL)
            return NULL;
        free(ix->ctab);
        ix->ctab = nt;
        ix->cmask = nc - 1;
    }
    if ((c = cls_new(key, cl, ch)) == NULL)
        return NULL;
    ctab_insert(ix->ctab, ix->cmask, c);
    ix->ncls++;
    return c;
}

/* grows the slot table (when needed) to hold n objects at most half full; the objects already in the slab go in */
static int slots_fit(os_index *ix, uint64_t n)
{
    uint64_t nc = ix->mask + 1;
    while (n * 2 > nc)
        nc *= 2;
    if (nc == ix->mask + 1)
        return OSTORE_OK;
    os_regrow_stop(&ix->regrow); /* the table it reads is replaced here, and a table it built is of no use */
    uint64_t *ns = slots_rebuild(ix, ix->nobj, nc);
    if (ns == NULL)
        return OSTORE_NO_MEMORY;
    os_big_free(ix->slots, OS_SLOT_BYTES(ix->mask));
    ix->slots = ns;
    ix->mask = nc - 1;
    return OSTORE_OK;
}

/* A parallel load's insert of o: claims the first empty slot of its probe sequence with a compare-and-swap.
 * Another part's object of the same key, inserted before or at once, is in that sequence before the slot claimed
 * (or is the value that made the swap fail): OSTORE_CORRUPT. */
static int slots_insert_shared(os_index *ix, const os_obj *o)
{
    uint64_t mask = ix->mask, i = o->hash & mask;
    uint64_t mine = ((o->hash >> 32) << 32) | ((uint64_t)o->num + 1u);
    for (;;) {
        uint64_t s = __atomic_load_n(os_slot(ix->slots, i), __ATOMIC_ACQUIRE);
        if (s == 0 && __atomic_compare_exchange_n(os_slot(ix->slots, i), &s, mine, false, __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
            return OSTORE_OK;
        /* s names an object made and published (release) by this or another part */
        if ((uint32_t)(s >> 32) == (uint32_t)(o->hash >> 32) &&
            os_obj_key_eq(os_obj_at(ix, (uint32_t)s - 1u), o->hash, o->cls->name, o->class_len, o->key, o->id_len))
            return OSTORE_CORRUPT;
        i = (i + 1) & mask;
    }
}

/* the oldest object a bulk load made goes into the slot table (its slot line was prefetched when it was made) */
static int bulk_insert_oldest(os_loader *ld)
{
    os_index *ix = ld->ix;
    os_obj *o = ld->pending[ld->head];
    os_index_hint_set(ix, o->hash, ld->pending_hint[ld->head]); /* its line prefetched with the slot's */
    ld->head = (ld->head + 1) % OS_BULK_AHEAD;
    ld->n--;
    if (ld->parallel)
        return slots_insert_shared(ix, o);
    if (os_index_find(ix, o->hash, o->cls->name, o->class_len, o->key, o->id_len) != NULL)
        return OSTORE_CORRUPT;
    slots_insert(ix->slots, ix->mask, o->hash, o->num);
    return OSTORE_OK;
}

void os_index_load_hint(os_index *ix, os_loader *ld, const os_obj *o, uint64_t word)
{
    uint32_t newest = ld != NULL && ld->n > 0 ? (ld->head + ld->n - 1) % OS_BULK_AHEAD : 0;
    if (ld != NULL && ld->n > 0 && ld->pending[newest] == o)
        ld->pending_hint[newest] = word;
    else
        os_index_hint_set(ix, o->hash, word);
}

int os_index_load_begin(os_index *ix, uint64_t expected, os_loader *ld)
{
    if (expected > UINT32_MAX)
        expected = UINT32_MAX;
    *ld = (os_loader){.ix = ix};
    return slots_fit(ix, (uint64_t)ix->nobj + expected);
}

/* every object a bulk load made goes into the slot table; OSTORE_CORRUPT at the first repeated key */
static int bulk_drain(os_loader *ld)
{
    int rc = OSTORE_OK;
    while (ld->n > 0 && rc == OSTORE_OK)
        rc = bulk_insert_oldest(ld);
    return rc;
}

int os_index_load_end(os_loader *ld)
{
    return bulk_drain(ld);
}

int os_index_pload_begin(os_index *ix, uint64_t count)
{
    if (ix->nobj != 0 || count >= UINT32_MAX - 2)
        return OSTORE_NO_MEMORY;
    int rc = slots_fit(ix, count);
    uint64_t chunks = (count + OS_OBJ_CHUNK - 1) >> OS_OBJ_CHUNK_SHIFT;
    while (rc == OSTORE_OK && ix->nchunks < chunks)
        if (!slab_add_chunk(ix, false))
            rc = OSTORE_NO_MEMORY;
    return rc;
}

void os_index_pload_part(os_index *ix, os_loader *ld, uint32_t part, uint32_t first, uint32_t end,
                         pthread_mutex_t *cls_lock)
{
    *ld = (os_loader){.ix = ix, .parallel = true, .part = part, .next = first, .end = end, .cls_lock = cls_lock};
}

int os_index_pload_finish(os_loader *ld)
{
    int rc = bulk_drain(ld);
    return rc == OSTORE_OK && ld->next != ld->end ? OSTORE_CORRUPT : rc;
}

/* appends the loader's arena chunks to the index's (which frees them with the index); false: out of memory (the
 * loader's chunks are then freed) */
static bool arena_adopt(os_arena *into, os_arena *from)
{
    size_t nc = into->n + from->n;
    bool ok = true;
    if (nc > into->cap) {
        uint8_t **c = realloc(into->chunks, nc * sizeof *c);
        if (c != NULL)
            into->chunks = c;
        size_t *zs = c != NULL ? realloc(into->sizes, nc * sizeof *zs) : NULL;
        if (zs != NULL) {
            into->sizes = zs;
            into->cap = nc;
        }
        ok = zs != NULL;
    }
    if (ok && from->n > 0) {
        memcpy(into->chunks + into->n, from->chunks, from->n * sizeof *from->chunks);
        memcpy(into->sizes + into->n, from->sizes, from->n * sizeof *from->sizes);
        into->n = nc;
    } else {
        for (size_t i = 0; i < from->n; i++)
            os_big_free(from->chunks[i], from->sizes[i]);
    }
    free(from->chunks);
    free(from->sizes);
    *from = (os_arena){0};
    return ok;
}

int os_index_pload_end(os_index *ix, os_loader *lds, uint32_t n, bool ok)
{
    uint32_t made = 0;
    for (uint32_t t = 0; t < n; t++) {
        os_loader *ld = &lds[t];
        ok = arena_adopt(&ix->arena, &ld->arena) && ok;
        for (uint32_t j = 0; j < ld->ntouched; j++) {
            os_cls *c = ld->touched[j];
            struct os_cls_part *cp = c->part[ld->part];
            c->part[ld->part] = NULL;
            if (ok && c->n + (uint64_t)cp->n > c->cap) {
                os_obj **a = os_big_grow(c->objs, (size_t)c->cap * sizeof *a, ((size_t)c->n + cp->n) * sizeof *a);
                if (a == NULL) {
                    ok = false;
                } else {
                    c->objs = a;
                    c->cap = c->n + cp->n;
                }
            }
            if (ok && cp->n > 0) { /* parts in order: the class's objects stay in object-number order */
                memcpy(c->objs + c->n, cp->objs, (size_t)cp->n * sizeof *cp->objs);
                c->n += cp->n;
                c->live += cp->live;
                c->has_exp |= cp->has_exp;
            }
            os_big_free(cp->objs, (size_t)cp->cap * sizeof *cp->objs);
            free(cp);
        }
        free(ld->touched);
        ld->touched = NULL;
        ld->ntouched = 0;
        ix->live_objects += ld->live_objects;
        ix->live_entries += ld->live_entries;
        ix->live_bytes += ld->live_bytes;
        ix->state_bytes += ld->state_bytes;
        if (ld->end > made)
            made = ld->end;
    }
    if (!ok)
        return OSTORE_NO_MEMORY;
    ix->nobj = made;
    return OSTORE_OK;
}

/* the class named key[0..cl) for a parallel part: looked up or made under the class table's lock, and this
 * part's list of its objects made on first use (NULL: out of memory) */
static os_cls *part_class(os_loader *ld, const uint8_t *key, uint16_t cl)
{
    pthread_mutex_lock(ld->cls_lock);
    os_cls *c = load_class(ld->ix, key, cl);
    pthread_mutex_unlock(ld->cls_lock);
    if (c == NULL || c->part[ld->part] != NULL)
        return c;
    if (ld->ntouched == ld->captouched) {
        uint32_t nc = ld->captouched ? ld->captouched * 2 : 4;
        os_cls **t = realloc(ld->touched, (size_t)nc * sizeof *t);
        if (t == NULL)
            return NULL;
        ld->touched = t;
        ld->captouched = nc;
    }
    if ((c->part[ld->part] = calloc(1, sizeof *c->part[ld->part])) == NULL)
        return NULL;
    ld->touched[ld->ntouched++] = c;
    return c;
}

/* room for one more in the object list *objs of n (*cap): doubled when full, from `first`; false: out of memory */
static bool objs_room(os_obj ***objs, uint32_t *cap, uint32_t n, uint32_t first)
{
    if (n < *cap)
        return true;
    if (*cap >= UINT32_MAX / 4)
        return false;
    uint32_t nc = *cap ? *cap * 2 : first;
    os_obj **a = os_big_grow(*objs, (size_t)*cap * sizeof *a, (size_t)nc * sizeof *a);
    if (a == NULL)
        return false;
    *objs = a;
    *cap = nc;
    return true;
}

/* a loaded object in the counters it adds to: the index's and its class's, or a parallel part's own */
static inline void count_object(uint64_t *state_bytes, uint64_t *live_objects, uint64_t *class_live, uint32_t cl,
                                uint32_t il, bool tomb)
{
    *state_bytes += os_obj_state_bytes(cl, il);
    if (!tomb) {
        ++*live_objects;
        ++*class_live;
    }
}

/* a loaded entry in the counters it adds to (as count_object) */
static inline void count_entry(uint64_t *live_entries, uint64_t *live_bytes, uint64_t *state_bytes, uint16_t nl,
                               uint32_t len)
{
    ++*live_entries;
    *live_bytes += live_bytes_of(nl, len);
    *state_bytes += os_entry_state_bytes(nl, len);
}

/* a parallel part's note of o, made of class c (its slot comes later) */
static bool part_add(os_loader *ld, os_cls *c, os_obj *o, uint32_t cl, uint32_t il, bool tomb)
{
    struct os_cls_part *cp = c->part[ld->part];
    if (!objs_room(&cp->objs, &cp->cap, cp->n, 64))
        return false;
    cp->objs[cp->n++] = o;
    count_object(&ld->state_bytes, &ld->live_objects, &cp->live, cl, il, tomb);
    return true;
}

int os_index_load_object(os_index *ix, os_loader *ld, const uint8_t *key, uint16_t cl, const uint8_t *id,
                         uint16_t il, uint64_t version, bool tomb, uint32_t nents, os_obj **out)
{
    *out = NULL;
    bool parallel = ld != NULL && ld->parallel;
    uint64_t h = os_hash_key(key, cl, id, il);
    if (ld == NULL && os_index_find(ix, h, key, cl, id, il) != NULL)
        return OSTORE_CORRUPT;
    if (!parallel && ((uint64_t)ix->nobj + 1) * 2 > ix->mask + 1) {
        /* the rebuild inserts every object in the slab, so the pending ones must be in the table first */
        int rc = ld != NULL ? bulk_drain(ld) : OSTORE_OK;
        if (rc == OSTORE_OK)
            rc = slots_fit(ix, (uint64_t)ix->nobj + 1);
        if (rc != OSTORE_OK)
            return rc;
    }
    os_cls *c = ld != NULL && ld->cls_key == key && ld->cls->len == cl ? ld->cls
                : parallel ? part_class(ld, key, cl) : load_class(ix, key, cl);
    if (c == NULL)
        return OSTORE_NO_MEMORY;
    if (!parallel && !objs_room(&c->objs, &c->cap, c->n, 8))
        return OSTORE_NO_MEMORY;
    os_obj *o;
    if (parallel) {
        if (ld->next >= ld->end) /* more objects than the part holds */
            return OSTORE_CORRUPT;
        o = obj_init(ix, ld->next++);
    } else if ((o = slab_alloc(ix)) == NULL) {
        return OSTORE_NO_MEMORY;
    }
    if (nents > 1) {
        unsigned k = cap_class(nents);
        os_entry *arr = arena_alloc(parallel ? &ld->arena : &ix->arena, k);
        if (arr == NULL) {
            if (!parallel)
                ix->nobj--;
            return OSTORE_NO_MEMORY;
        }
        o->ents = arr;
        o->capk = (uint8_t)k;
    }
    o->hash = h;
    o->key = id;
    obj_set_id(o, id, il);
    o->class_len = cl;
    o->id_len = il;
    o->version = version;
    o->tomb = tomb;
    o->cls = c;
    if (ld != NULL) {
        /* the slot's line is fetched while the next objects are parsed and made */
        __builtin_prefetch(os_slot(ix->slots, h & ix->mask), 1); /* and its value hint's, in the same line */
        if (ld->n == OS_BULK_AHEAD && bulk_insert_oldest(ld) != OSTORE_OK)
            return OSTORE_CORRUPT;
        ld->pending_hint[(ld->head + ld->n) % OS_BULK_AHEAD] = 0;
        ld->pending[(ld->head + ld->n) % OS_BULK_AHEAD] = o;
        ld->n++;
        ld->cls_key = key;
        ld->cls = c;
    } else {
        slots_insert(ix->slots, ix->mask, h, o->num);
    }
    if (parallel) {
        if (!part_add(ld, c, o, cl, il, tomb))
            return OSTORE_NO_MEMORY;
    } else {
        c->objs[c->n++] = o;
        count_object(&ix->state_bytes, &ix->live_objects, &c->live, cl, il, tomb);
    }
    *out = o;
    return OSTORE_OK;
}

int os_index_load_reset(os_index *ix, os_obj *o, uint64_t version, bool tomb, uint32_t nents)
{
    clear_entries(ix, o);
    if (nents > obj_cap(o)) {
        unsigned k = cap_class(nents);
        os_entry *arr = arena_alloc(&ix->arena, k);
        if (arr == NULL)
            return OSTORE_NO_MEMORY;
        if (obj_owns_array(o))
            arena_free(&ix->arena, o->ents, o->capk);
        o->ents = arr;
        o->capk = (uint8_t)k;
    }
    if (!o->tomb) {
        ix->live_objects--;
        o->cls->live--;
    }
    if (!tomb) {
        ix->live_objects++;
        o->cls->live++;
    }
    o->version = version;
    o->tomb = tomb;
    return OSTORE_OK;
}

/* a loaded entry of o in the counters (the index's, or a parallel part's) and its class's expiry flag */
static void entry_loaded(os_index *ix, os_loader *ld, os_obj *o, const uint8_t *name, uint16_t nl, uint32_t len)
{
    bool exp = nl == OSTORE_EXPIRY_NAME_LEN && os_load_tail(name, nl) == expiry_word();
    if (ld != NULL && ld->parallel) {
        if (exp)
            o->cls->part[ld->part]->has_exp = 1;
        count_entry(&ld->live_entries, &ld->live_bytes, &ld->state_bytes, nl, len);
    } else {
        if (exp)
            o->cls->has_exp = 1;
        count_entry(&ix->live_entries, &ix->live_bytes, &ix->state_bytes, nl, len);
    }
}

int os_index_load_entry(os_index *ix, os_loader *ld, os_obj *o, const uint8_t *name, uint16_t nl, os_seg *seg,
                        uint64_t off, uint32_t len)
{
    if (o->n >= obj_cap(o))
        return OSTORE_CORRUPT;
    /* No two entries of an object share a name. In a bulk load, a bit per short name loaded into the object so far
     * (of 64, from the name's word): a name whose bit is clear is not among them, and the search that proves it
     * (one compare per entry loaded, 45 for a ten-field object) is skipped. */
    bool may_repeat = true;
    if (ld != NULL && nl <= OS_INLINE_NAME) {
        if (ld->names_of != o) {
            ld->names_of = o;
            ld->names = 0;
        }
        uint64_t bit = 1ull << ((os_load_tail(name, nl) * 0x9e3779b97f4a7c15ull) >> 58);
        may_repeat = (ld->names & bit) != 0;
        ld->names |= bit;
    }
    if (may_repeat && os_obj_find_entry(o, name, nl) != NULL)
        return OSTORE_CORRUPT;
    os_entry *en = &o->ents[o->n++];
    os_entry_set_name(en, name, name, nl);
    en->seg = seg;
    en->off = off;
    en->len = len;
    en->checked = 0; /* from a checkpoint: its record is checked when first read (FORMAT.md D4) */
    if (o->n == 1)
        os_obj_note_first_value(o);
    entry_loaded(ix, ld, o, name, nl, len);
    return OSTORE_OK;
}

/* the bytes from the end of value j to the start of value j + 1 when both are PUT ops of one version-2 record (FORMAT.md,
 * "Record version 2": name_kind, value_len, name) */
static inline uint64_t shape_gap(uint16_t nl, uint64_t len) { return os_varint_len((uint64_t)nl << 1) + os_varint_len(len) + nl; }

/* Whether c's shape is names/nls (n of them), setting it from them when c has none yet. Loaders of several parts
 * may call it at once for one class: one sets, the others (and those that come while it sets) compare or give up. */
static bool class_shape(os_cls *c, uint32_t n, const uint8_t *const *names, const uint16_t *nls)
{
    uint8_t st = atomic_load_explicit(&c->shape_state, memory_order_acquire);
    if (st == 0) {
        uint8_t zero = 0;
        if (atomic_compare_exchange_strong_explicit(&c->shape_state, &zero, 1, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            c->shape_n = (uint8_t)n;
            for (uint32_t i = 0; i < n; i++) {
                c->shape_nl[i] = nls[i];
                c->shape_word[i] = lazy_name_word(names[i], nls[i]);
            }
            atomic_store_explicit(&c->shape_state, 2, memory_order_release);
            return true;
        }
        st = zero;
    }
    if (st != 2 || c->shape_n != n)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (c->shape_nl[i] != nls[i])
            return false;
        if (nls[i] <= OS_INLINE_NAME ? c->shape_word[i] != os_load_tail(names[i], nls[i])
                                     : memcmp((const void *)(uintptr_t)c->shape_word[i], names[i], nls[i]) != 0)
            return false;
    }
    return true;
}

/* Whether o's n lazy entries can be kept in its class's shape: few enough, short values, all in table entry k0 (<
 * 2^16), each value right after the previous one's op, names in the class's order (set here by the first such). */
static bool fits_shape(os_obj *o, uint32_t n, const uint8_t *const *names, const uint16_t *nls, const uint32_t *lens,
                       uint64_t k0, const uint64_t *offs)
{
    if (n > OS_SHAPE_MAX || k0 > UINT16_MAX)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (lens[i] > UINT8_MAX || (i > 0 && offs[i] != offs[i - 1] + lens[i - 1] + shape_gap(nls[i], lens[i])))
            return false;
    return class_shape(o->cls, n, names, nls);
}

bool os_shaped_reads = true;

void os_shape_decode(const os_obj *o, uint32_t n, uint32_t lchecked, os_entry *out)
{
    /* o may change under a reader (its sequence then fails): every index is bounded, nothing read is followed */
    const os_cls *c = o->cls;
    const os_lazy *lz = o->lazy;
    uint16_t k = __atomic_load_n(&o->shape_k, __ATOMIC_RELAXED);
    os_seg *g = k < lz->nsegs ? lz->tseg[k] : NULL;
    uint64_t off = __atomic_load_n(&o->first_at, __ATOMIC_RELAXED) - (g != NULL ? (uintptr_t)g->base : 0);
    if (n > c->shape_n)
        n = c->shape_n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t len = __atomic_load_n(&o->shape_len[i], __ATOMIC_RELAXED);
        os_entry *en = &out[i];
        en->name.word = c->shape_word[i];
        en->seg = g;
        en->off = off;
        en->len = len;
        en->name_len = c->shape_nl[i];
        en->checked = (uint16_t)((lchecked >> i) & 1u);
        if (i + 1 < n)
            off += len + shape_gap(c->shape_nl[i + 1], __atomic_load_n(&o->shape_len[i + 1], __ATOMIC_RELAXED));
    }
}

int os_index_load_lazy(os_index *ix, os_loader *ld, os_obj *o, const uint8_t *ents, uint32_t n,
                       const uint8_t *const *names, const uint16_t *nls, const uint32_t *lens, uintptr_t first_at,
                       uint64_t hint, uint64_t k0, const uint64_t *offs)
{
    /* no two names alike: a bit per short name (as os_index_load_entry), compared only when bits meet */
    uint64_t seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool may_repeat = true;
        if (nls[i] <= OS_INLINE_NAME) {
            uint64_t bit = 1ull << ((os_load_tail(names[i], nls[i]) * 0x9e3779b97f4a7c15ull) >> 58);
            may_repeat = (seen & bit) != 0;
            seen |= bit;
        }
        for (uint32_t j = 0; may_repeat && j < i; j++)
            if (nls[j] == nls[i] && memcmp(names[j], names[i], nls[i]) == 0)
                return OSTORE_CORRUPT;
    }
    for (uint32_t i = 0; i < n; i++)
        entry_loaded(ix, ld, o, names[i], nls[i], lens[i]);
    o->lazy = &ix->lazy;
    o->lchecked = 0; /* records are checked when first read (FORMAT.md D4) */
    o->ents = os_ents_tagged(ents);
    o->n = n;
    o->first_at = first_at;
    if (fits_shape(o, n, names, nls, lens, k0, offs)) {
        o->shape_k = (uint16_t)k0;
        for (uint32_t i = 0; i < n; i++)
            o->shape_len[i] = (uint8_t)lens[i];
        o->ents = (os_entry *)((uintptr_t)o->ents | OS_LAZY_SHAPED);
    }
    os_index_load_hint(ix, ld, o, hint);
    return OSTORE_OK;
}
