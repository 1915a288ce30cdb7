/*
 * The readers' lock of a store: per-slot reader counts and an exclusive flag (internal.h, "readers.c";
 * docs/DESIGN.md, "Reads without a shared lock"). Only the slow paths live here; entering and leaving a read
 * section are inline.
 */
#include "internal.h"

#include <sched.h>
#include <time.h>

static _Atomic uint32_t next_slot;
__thread uint32_t os_rd_slot1 __attribute__((tls_model("initial-exec")));

uint32_t os_rd_assign_slot(void)
{
    uint32_t m = atomic_fetch_add_explicit(&next_slot, 1, memory_order_relaxed) % OS_RD_SLOTS + 1u;
    os_rd_slot1 = m;
    return m - 1u;
}

/* Spin briefly (the sections waited for last well under a microsecond), then yield the CPU, then sleep:
 * a reader pinned by a thread the scheduler took off the CPU (or a JVM in a GC pause) must not cost a
 * whole core of spinning. */
static void backoff(uint32_t *round)
{
    uint32_t k = (*round)++;
    if (k < 64) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    } else if (k < 64 + 256) {
        sched_yield();
    } else {
        struct timespec ts = {0, 20 * 1000};
        nanosleep(&ts, NULL);
    }
}

void os_rd_wait_excl(os_readers *r)
{
    uint32_t round = 0;
    while (atomic_load_explicit(&r->excl, memory_order_acquire) != 0)
        backoff(&round);
}

void os_excl_begin(os_readers *r)
{
    pthread_mutex_lock(&r->xmu);
    atomic_store_explicit(&r->excl, 1, memory_order_seq_cst);
    uint64_t used = atomic_load_explicit(&r->used, memory_order_seq_cst);
    while (used != 0) {
        uint32_t i = (uint32_t)__builtin_ctzll(used);
        used &= used - 1;
        uint32_t round = 0;
        /* acquire: what a reader did in its section happens-before what this exclusive section does */
        while (atomic_load_explicit(&r->slot[i].n, memory_order_seq_cst) != 0)
            backoff(&round);
    }
}

void os_excl_end(os_readers *r)
{
    atomic_store_explicit(&r->excl, 0, memory_order_release);
    pthread_mutex_unlock(&r->xmu);
}

int os_readers_init(os_readers *r)
{
    for (uint32_t i = 0; i < OS_RD_SLOTS; i++)
        atomic_init(&r->slot[i].n, 0);
    atomic_init(&r->used, 0);
    atomic_init(&r->excl, 0);
    return pthread_mutex_init(&r->xmu, NULL);
}

void os_readers_destroy(os_readers *r)
{
    pthread_mutex_destroy(&r->xmu);
}

void os_rd_synchronize(os_readers *r)
{
    /* Read-modify-writes (adding 0) instead of loads: each reads the newest value of its counter. When one
     * reads 0, a reader that increments the slot later reads from it and so sees the caller's unlinking
     * stores; while it reads more, the reader's release decrement that brings it to 0 makes what that reader
     * read happen-before what the caller frees. Zero once per slot is enough: every reader counted in the
     * slot at the call has left it by then. (RMWs, not a fence: TSan does not model fences.) */
    uint64_t used = atomic_fetch_or_explicit(&r->used, 0, memory_order_seq_cst);
    while (used != 0) {
        uint32_t i = (uint32_t)__builtin_ctzll(used);
        used &= used - 1;
        uint32_t round = 0;
        while (atomic_fetch_add_explicit(&r->slot[i].n, 0, memory_order_seq_cst) != 0)
            backoff(&round);
    }
}
