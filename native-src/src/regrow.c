/* The slot table rebuilt ahead (native-src/README.md, "The slot table rebuilt ahead").
 *
 * The slot table doubles once it is half full, and the batch that doubles it used to map the new table, fault its
 * pages in and insert every object, all under the writer mutex: 155-160 ms for a million objects in a JVM on this
 * VM (most of it the kernel's zeroing), 12 ms where huge pages are free. Here, once the table is 3/8 full, a thread
 * of the index's own maps and populates the next table and inserts every object made so far; the doubling then
 * takes that table and inserts only the objects made since.
 *
 * What the thread reads is what does not change under the writer: an object's hash (set when the object is made,
 * before the thread starts: objects are never moved or reused), the chunk table's entries for those objects (the
 * chunk table never moves), and the old table's value hints through atomic loads (the writer stores them atomically,
 * as readers load them). A hint is carried when its tag is the object's (the old table's hint at the object's home
 * is then the object's own, as rebuilt_hint in index.c decides); the other objects' numbers are listed, and the
 * writer gives them their hints at the doubling, as a rebuild does. A hint the writer changed after the thread read
 * it stays the older one until the object's next write: hints only prefetch (os_index_prefetch_values), so a stale
 * one costs a miss, never a wrong answer.
 *
 * The old table stays while the thread runs: the only writer that replaces it joins the thread first (the doubling
 * takes the result; a load's slots_fit and freeing the index stop it). At most one table waits per index, the size
 * of the next doubling: bounded by the index's size, not by history. */
#include "internal.h"

#include <stdlib.h>

static void *regrow_main(void *arg)
{
    os_regrow *g = arg;
    uint64_t newcap = g->newcap, nmask = newcap - 1, omask = g->oldmask;
    const uint64_t *oldhints = g->oldhints;
    uint64_t *ns = os_big_alloc(OS_SLOT_BYTES(nmask));
    if (ns == NULL)
        return NULL;
    os_populate(ns, OS_SLOT_BYTES(nmask));
    uint64_t *hints = ns + newcap;
    const os_index *ix = g->ix;
    enum { AHEAD = 16 };
    for (uint32_t i = 0; i < g->count; i++) {
        if (i + AHEAD < g->count) {
            uint64_t ah = os_obj_at(ix, i + AHEAD)->hash;
            __builtin_prefetch(&ns[ah & nmask], 1);
            __builtin_prefetch(&oldhints[ah & omask]);
        }
        uint64_t h = os_obj_at(ix, i)->hash;
        os_slots_insert(ns, nmask, h, i);
        uint64_t w = __atomic_load_n(&oldhints[h & omask], __ATOMIC_RELAXED);
        if (w != 0 && ((w ^ h) & OS_HINT_TAG) == 0) {
            hints[h & nmask] = w;
        } else {
            if (g->nfix == g->capfix) {
                uint32_t nc = g->capfix ? g->capfix * 2 : 1024;
                uint32_t *f = realloc(g->fix, (size_t)nc * sizeof *f);
                if (f == NULL) { /* the writer rebuilds the table itself */
                    os_big_free(ns, OS_SLOT_BYTES(nmask));
                    return NULL;
                }
                g->fix = f;
                g->capfix = nc;
            }
            g->fix[g->nfix++] = i;
        }
    }
    g->table = ns;
    atomic_fetch_add_explicit(&g->built, 1, memory_order_relaxed);
    return NULL;
}

void os_regrow_init(os_regrow *g)
{
    const char *v = getenv("OSTORE_AHEAD_TABLES");
    g->on = v == NULL || strcmp(v, "0") != 0;
}

/* drops a finished thread's result */
static void regrow_discard(os_regrow *g)
{
    if (g->table != NULL)
        os_big_free(g->table, OS_SLOT_BYTES(g->newcap - 1));
    g->table = NULL;
    g->nfix = 0;
}

void os_regrow_start(os_regrow *g, const os_index *ix, uint32_t count, uint64_t newcap)
{
    if (!g->on || g->live || (g->table != NULL && g->newcap == newcap))
        return;
    regrow_discard(g);
    g->ix = ix;
    g->count = count;
    g->newcap = newcap;
    g->oldhints = ix->slots + ix->mask + 1u;
    g->oldmask = ix->mask;
    if (pthread_create(&g->thread, NULL, regrow_main, g) == 0)
        g->live = true; /* else the doubling rebuilds the table itself, as without a table rebuilt ahead */
}

static void regrow_join(os_regrow *g)
{
    if (g->live) {
        pthread_join(g->thread, NULL);
        g->live = false;
    }
}

uint64_t *os_regrow_take(os_regrow *g, uint64_t newcap, uint32_t *count)
{
    regrow_join(g); /* the writer would do the same work itself: waiting for the rest costs no more */
    if (g->table == NULL || g->newcap != newcap) {
        regrow_discard(g);
        return NULL;
    }
    uint64_t *t = g->table;
    g->table = NULL;
    *count = g->count;
    atomic_fetch_add_explicit(&g->taken, 1, memory_order_relaxed);
    return t;
}

void os_regrow_stop(os_regrow *g)
{
    regrow_join(g);
    regrow_discard(g);
    free(g->fix);
    g->fix = NULL;
    g->capfix = 0;
}
