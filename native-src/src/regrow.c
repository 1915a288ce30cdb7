/* The slot table rebuilt ahead (native-src/README.md, "The slot table rebuilt ahead").
 *
 * The slot table doubles once it is half full, and the batch that doubles it used to map the new table, fault its
 * pages in and insert every object, all under the writer mutex: 155-160 ms for a million objects in a JVM on this
 * VM (most of it the kernel's zeroing), 12 ms where huge pages are free. Here, once the table is 3/8 full, a thread
 * of the index's own maps and populates the next table and inserts every object made so far, then, a quarter of a
 * millisecond at a time while objects come fast, those published meanwhile (the writer's release store of how many
 * there are, after each publish that made some); the doubling then stops it, takes the table and inserts only the
 * objects made since its last round.
 *
 * What the thread reads is what does not change under the writer: a published object's hash (set when the object
 * is made, before the publish that counts it; a published object is never moved or reused), the chunk table's
 * entries for those objects (the chunk table never moves), and the old table's value hints through atomic loads
 * (the writer stores them atomically, as readers load them). A hint is carried when its tag is the object's (the old
 * table's hint at the object's home is then the object's own, as rebuilt_hint in index.c decides); the other
 * objects' numbers are listed, and the writer gives them their hints at the doubling, as a rebuild does. A hint the
 * writer changed after the thread read it stays the older one until the object's next write: hints only prefetch
 * (os_index_prefetch_values), so a stale one costs a miss, never a wrong answer.
 *
 * The old table stays while the thread runs: the only writer that replaces it joins the thread first (the doubling
 * takes the result; a load's slots_fit and freeing the index stop it). At most one table waits per index, the size
 * of the next doubling: bounded by the index's size, not by history. */
#include "internal.h"

#include <stdlib.h>
#include <time.h>

/* Objects from..to-1 into the table being built (ns, nmask), their hints carried or listed; false when the list
 * could not grow. */
static bool regrow_insert(os_regrow *g, uint64_t *ns, uint64_t nmask, uint32_t from, uint32_t to)
{
    const os_index *ix = g->ix;
    const uint64_t *old = g->old;
    uint64_t omask = g->oldmask;
    enum { AHEAD = 16 };
    for (uint32_t i = from; i < to; i++) {
        if (i + AHEAD < to) {
            uint64_t ah = os_obj_at(ix, i + AHEAD)->hash;
            __builtin_prefetch(os_slot(ns, ah & nmask), 1); /* its hint's line too */
            __builtin_prefetch(os_hint_slot(old, ah & omask));
        }
        uint64_t h = os_obj_at(ix, i)->hash;
        os_slots_insert(ns, nmask, h, i);
        uint64_t w = __atomic_load_n(os_hint_slot(old, h & omask), __ATOMIC_RELAXED);
        if (w != 0 && ((w ^ h) & OS_HINT_TAG) == 0) {
            *os_hint_slot(ns, h & nmask) = w;
            continue;
        }
        if (g->nfix == g->capfix) {
            uint32_t nc = g->capfix ? g->capfix * 2 : 1024;
            uint32_t *f = realloc(g->fix, (size_t)nc * sizeof *f);
            if (f == NULL)
                return false;
            g->fix = f;
            g->capfix = nc;
        }
        g->fix[g->nfix++] = i;
    }
    return true;
}

_Atomic bool os_regrow_test_hold;

/* After the objects of the start the thread sleeps a poll's time and takes those published meanwhile, again and
 * again, until the doubling asks for the table (stop), the objects reach the doubling's count (a quarter of the new
 * table: it comes with the next batch), or objects came slowly (fewer than REGROW_BUSY a poll) for REGROW_QUIET_US
 * (the table then waits, and the doubling inserts the objects made after). A poll that finds few doubles the next
 * one's time, up to REGROW_POLL_MAX_US, which bounds how long a doubling waits for the thread to see its stop. */
enum { REGROW_POLL_MIN_US = 250, REGROW_POLL_MAX_US = 2000, REGROW_BUSY = 256, REGROW_QUIET_US = 100000 };

static void *regrow_main(void *arg)
{
    os_regrow *g = arg;
    uint64_t nmask = g->newcap - 1;
    uint64_t *ns = os_big_alloc(OS_SLOT_BYTES(nmask));
    if (ns == NULL)
        return NULL;
    os_populate(ns, OS_SLOT_BYTES(nmask));
    uint32_t done = 0, upto = g->count;
    long poll = REGROW_POLL_MIN_US, quiet = 0;
    for (bool first = true;; first = false) {
        if (!regrow_insert(g, ns, nmask, done, upto)) { /* the writer rebuilds the table itself */
            os_big_free(ns, OS_SLOT_BYTES(nmask));
            return NULL;
        }
        if (!first)
            atomic_fetch_add_explicit(&g->caught_up, upto - done, memory_order_relaxed);
        done = upto;
        atomic_store_explicit(&g->taken_upto, done, memory_order_release);
        if (atomic_load_explicit(&g->stop, memory_order_acquire) || done >= (nmask + 1) / 4 ||
            (quiet >= REGROW_QUIET_US && !os_regrow_test_hold))
            break;
        struct timespec ts = {0, poll * 1000L};
        nanosleep(&ts, NULL);
        /* acquire: the objects it counts, their hashes and their chunks' entries, were stored before */
        uint32_t avail = atomic_load_explicit(&g->avail, memory_order_acquire);
        upto = avail > done ? avail : done;
        if (upto - done >= REGROW_BUSY) {
            poll = REGROW_POLL_MIN_US;
            quiet = 0;
        } else {
            quiet += poll;
            poll = poll * 2 < REGROW_POLL_MAX_US ? poll * 2 : REGROW_POLL_MAX_US;
        }
    }
    g->count = done;
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
    g->old = ix->slots;
    g->oldmask = ix->mask;
    atomic_store_explicit(&g->avail, count, memory_order_relaxed);
    atomic_store_explicit(&g->stop, false, memory_order_relaxed);
    atomic_store_explicit(&g->taken_upto, 0, memory_order_relaxed);
    if (pthread_create(&g->thread, NULL, regrow_main, g) == 0)
        g->live = true; /* else the doubling rebuilds the table itself, as without a table rebuilt ahead */
}

/* asks the thread to finish with what it has taken, and waits for it */
static void regrow_join(os_regrow *g)
{
    if (g->live) {
        atomic_store_explicit(&g->stop, true, memory_order_release);
        pthread_join(g->thread, NULL);
        g->live = false;
    }
}

uint64_t *os_regrow_take(os_regrow *g, uint64_t newcap, uint32_t *count)
{
    uint32_t avail = atomic_load_explicit(&g->avail, memory_order_relaxed);
    for (int i = 0; os_regrow_test_hold && g->live && i < 100000 &&
                    atomic_load_explicit(&g->taken_upto, memory_order_acquire) < avail; i++) {
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    regrow_join(g); /* it finishes the round it is in: the writer would do that work itself */
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
