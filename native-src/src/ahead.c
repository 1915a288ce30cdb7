/* Index chunks made ahead (native-src/README.md, "Index chunks made ahead").
 *
 * The index grows in 2 MiB chunks: objects in slab chunks, entry arrays in arena chunks. The first write to a
 * fresh chunk makes the kernel find and zero a huge page, which on this kind of VM costs 0.3-1 ms per chunk: a
 * quarter of a batched load's time, all of it on the writer's thread, under the writer mutex. Here a thread of
 * its own maps and populates the next chunk while the writer fills the current one, and the writer takes it
 * ready. As with the spare segment (spare.c), the thread lives for one chunk, hands it over through an atomic
 * pointer and never takes a lock the writer holds: the writer starts it when it takes a chunk, and joins the
 * previous one first (finished by then: busy is false). At most one chunk waits unused per index: the memory
 * this adds is bounded by a constant, not by history.
 *
 * The index's chunk allocation is single-threaded (prepare under the writer mutex, or the open's load), so take
 * and stop need no lock of their own; only the handover pointer and the busy flag are shared with the thread. */
#include "internal.h"

#include <stdlib.h>
#include <sys/mman.h>

static void populate(uint8_t *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
    if (madvise(p, len, MADV_POPULATE_WRITE) == 0)
        return;
#endif
    for (size_t i = 0; i < len; i += 4096) /* one write per page faults it in (a huge page at the first) */
        ((volatile uint8_t *)p)[i] = 0;
}

static void *ahead_main(void *arg)
{
    os_ahead *a = arg;
    uint8_t *c = os_big_alloc(OS_AHEAD_CHUNK);
    if (c != NULL) {
        populate(c, OS_AHEAD_CHUNK);
        void *old = atomic_exchange_explicit(&a->ready, c, memory_order_acq_rel);
        if (old != NULL) /* never: a chunk is made only when none is ready */
            os_big_free(old, OS_AHEAD_CHUNK);
        atomic_fetch_add_explicit(&a->made, 1, memory_order_relaxed);
    } /* else the writer maps its next chunk itself and reports what fails there */
    atomic_store_explicit(&a->busy, false, memory_order_release);
    return NULL;
}

void os_ahead_init(os_ahead *a)
{
    const char *v = getenv("OSTORE_AHEAD");
    a->on = v == NULL || strcmp(v, "0") != 0;
}

void *os_ahead_take(os_ahead *a)
{
    if (!a->on)
        return NULL;
    void *c = atomic_exchange_explicit(&a->ready, NULL, memory_order_acq_rel);
    if (c != NULL)
        atomic_fetch_add_explicit(&a->taken, 1, memory_order_relaxed);
    if (!atomic_load_explicit(&a->busy, memory_order_acquire)) {
        if (a->live) { /* finished: busy is false */
            pthread_join(a->thread, NULL);
            a->live = false;
        }
        atomic_store_explicit(&a->busy, true, memory_order_release);
        if (pthread_create(&a->thread, NULL, ahead_main, a) == 0)
            a->live = true;
        else /* no thread: the writer maps its chunks itself, as without chunks made ahead */
            atomic_store_explicit(&a->busy, false, memory_order_release);
    }
    return c;
}

void os_ahead_stop(os_ahead *a)
{
    if (a->live) {
        pthread_join(a->thread, NULL);
        a->live = false;
    }
    os_big_free(atomic_exchange_explicit(&a->ready, NULL, memory_order_acq_rel), OS_AHEAD_CHUNK);
}
