/* Index memory made ahead (native-src/README.md, "Index chunks made ahead" and "The slot table made ahead").
 *
 * The index grows in 2 MiB chunks: objects in slab chunks, entry arrays in arena chunks; and its slot table
 * doubles. The first write to fresh memory makes the kernel find and zero its huge pages, which on this kind of
 * VM costs 0.3-1 ms per 2 MiB: a quarter of a batched load's time, and 60-80 ms of one batch's when the slot
 * table of a million objects doubles, all of it on the writer's thread, under the writer mutex. Here a thread of
 * its own maps and populates the next piece while the writer fills the current one, and the writer takes it
 * ready. As with the spare segment (spare.c), the thread lives for one piece, hands it over through an atomic
 * pointer and never takes a lock the writer holds: the writer starts it, and joins the previous one first
 * (finished by then: busy is false). At most one piece waits unused per os_ahead: a slab chunk, or the next
 * slot table (twice the current one's size): the memory this adds is bounded by the index's size, not by history.
 *
 * The index's allocation is single-threaded (prepare under the writer mutex, or the open's load), so make, take,
 * wait and stop need no lock of their own; only the handover pointer and the busy flag are shared with the
 * thread (size is set before the thread starts and read by the writer only once it is joined). */
#include "internal.h"

#include <stdlib.h>
#include <sys/mman.h>

void os_populate(void *mem, size_t len)
{
    uint8_t *p = mem;
    /* One huge page per call: a populate holds the address space's lock (for reading) for as long as it runs, and on
     * these VMs faulting in fresh memory takes ~1-4 ms per 2 MiB, so one call for a slot table of tens of MiB held
     * it for over 100 ms, and the writer's own mmap or munmap (which take it for writing) waited as long
     * (native-src/README.md, "Memory populated a huge page at a time, and chunks waited for"). Between calls the writer
     * gets it. */
    for (size_t off = 0; off < len; off += OS_POPULATE_STEP) {
        size_t n = len - off < OS_POPULATE_STEP ? len - off : OS_POPULATE_STEP;
#ifdef MADV_POPULATE_WRITE
        if (madvise(p + off, n, MADV_POPULATE_WRITE) == 0)
            continue;
#endif
        for (size_t i = 0; i < n; i += 4096) /* one write per page faults it in (a huge page at the first) */
            ((volatile uint8_t *)p)[off + i] = 0;
    }
}

void (*os_ahead_hook)(void);

static void *ahead_main(void *arg)
{
    os_ahead *a = arg;
    if (os_ahead_hook != NULL)
        os_ahead_hook();
    uint8_t *c = os_big_alloc(a->size);
    if (c != NULL) {
        os_populate(c, a->size);
        void *old = atomic_exchange_explicit(&a->ready, c, memory_order_acq_rel);
        if (old != NULL) /* never: a piece is made only when none is ready */
            os_big_free(old, a->size);
        atomic_fetch_add_explicit(&a->made, 1, memory_order_relaxed);
    } /* else the writer maps its memory itself and reports what fails there */
    atomic_store_explicit(&a->busy, false, memory_order_release);
    return NULL;
}

void os_ahead_init(os_ahead *a, const char *env)
{
    const char *v = getenv(env);
    a->on = v == NULL || strcmp(v, "0") != 0;
}

/* joins a finished thread (busy is false) */
static void join_finished(os_ahead *a)
{
    if (a->live) {
        pthread_join(a->thread, NULL);
        a->live = false;
    }
}

void os_ahead_make(os_ahead *a, size_t size)
{
    if (!a->on || atomic_load_explicit(&a->busy, memory_order_acquire))
        return;
    join_finished(a);
    void *r = atomic_load_explicit(&a->ready, memory_order_acquire);
    if (r != NULL && a->size == size)
        return;
    if (r != NULL) /* made for a size no longer wanted (the index grew otherwise) */
        os_big_free(atomic_exchange_explicit(&a->ready, NULL, memory_order_acq_rel), a->size);
    a->size = size;
    atomic_store_explicit(&a->busy, true, memory_order_release);
    if (pthread_create(&a->thread, NULL, ahead_main, a) == 0)
        a->live = true;
    else /* no thread: the writer maps its memory itself, as without memory made ahead */
        atomic_store_explicit(&a->busy, false, memory_order_release);
}

void *os_ahead_take(os_ahead *a)
{
    if (!a->on)
        return NULL;
    void *c = atomic_exchange_explicit(&a->ready, NULL, memory_order_acq_rel);
    if (c != NULL)
        atomic_fetch_add_explicit(&a->taken, 1, memory_order_relaxed);
    else if (a->live && a->size == OS_AHEAD_CHUNK)
        /* one is being made: waiting for it costs the writer no more than mapping and faulting in another itself,
         * whose mmap and munmap would also wait for the address space's lock behind that thread's populate */
        c = os_ahead_wait(a, OS_AHEAD_CHUNK);
    os_ahead_make(a, OS_AHEAD_CHUNK);
    return c;
}

void *os_ahead_wait(os_ahead *a, size_t size)
{
    if (!a->live && atomic_load_explicit(&a->ready, memory_order_acquire) == NULL)
        return NULL;
    if (a->live) {
        pthread_join(a->thread, NULL); /* the writer would fault the same pages in itself: waiting costs no more */
        a->live = false;
    }
    void *c = atomic_exchange_explicit(&a->ready, NULL, memory_order_acq_rel);
    if (c != NULL && a->size != size) {
        os_big_free(c, a->size);
        c = NULL;
    }
    if (c != NULL)
        atomic_fetch_add_explicit(&a->taken, 1, memory_order_relaxed);
    return c;
}

void os_ahead_stop(os_ahead *a)
{
    if (a->live) {
        pthread_join(a->thread, NULL);
        a->live = false;
    }
    os_big_free(atomic_exchange_explicit(&a->ready, NULL, memory_order_acq_rel), a->size);
}
