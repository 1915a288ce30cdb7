/* The first-read check ahead of the reads (FORMAT.md "Integrity", D4).
 *
 * The first read of a value since open checks the record that holds it: finds it in the segment's record table,
 * decodes its header, checks its CRC. A process that opens a large store and reads it at random pays that on
 * most reads for a long while (YCSB's phases each open the store afresh: a profile of workload C put the check
 * at 70 % of ostore_get_object_ref). So after an open of OS_PRE_MIN objects or more, a thread of the store's own
 * goes through the objects the open loaded, in slab order, and checks their entries exactly as their first
 * reads would (os_entries_check_rd: the same protocol for the checked flags, the same verdicts in the record
 * table); a read that comes first checks for itself, as before, and finds the flags set afterwards.
 *
 * It only reads the index, in read sections of OS_PRE_BATCH objects, so an exclusive holder (a record table
 * that grows, a compaction's index swap) waits for one batch at most. A swapped index ends it: the new index's
 * entries point at records the compaction wrote, which need no check. Damage it finds is left where the
 * record table records it: the read of that value reports it (OSTORE_CORRUPT with the file and offset), as
 * without this thread. Close stops it (os_precheck_stop) before anything is freed. A log larger than a quarter of
 * the machine's memory gets no thread (log_fits_memory): its first reads check, as before. */
#include "internal.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define OS_PRE_MIN 4096u  /* below this, the first reads check the few records themselves: no thread */
#define OS_PRE_BATCH 32u  /* objects per read section */
#define OS_PRE_SPAN (16u << 20) /* bytes of log per populate call (close waits for one at most) */

/* Maps the log's pages that were written at open into the process's page table, before any check: a read's first
 * touch of a log page otherwise takes a page fault (~10 us on these VMs, one per 64 KiB fault-around window: 17 000
 * of them in the first 100 000 random reads of a 1 GiB log), and this thread's checks reach most pages long after
 * the reads do. Mapping 1 GiB of page-cache pages takes ~25 ms (native-src/README.md, "Log pages mapped ahead of
 * the reads"). Read-only: a page it maps is one a reader may map anyway. A range that a compaction has unmapped since
 * the open fails (ENOMEM), and one reused since by another mapping is only read, never written. */
static void populate_log(ostore *s)
{
#ifdef MADV_POPULATE_READ
    for (size_t k = 0; k < s->pre_nspans; k++)
        for (uint64_t at = 0; at < s->pre_spans[k].len; at += OS_PRE_SPAN) {
            if (atomic_load_explicit(&s->pre_stop, memory_order_relaxed))
                return;
            uint64_t n = s->pre_spans[k].len - at < OS_PRE_SPAN ? s->pre_spans[k].len - at : OS_PRE_SPAN;
            if (madvise(s->pre_spans[k].base + at, n, MADV_POPULATE_READ) != 0)
                break; /* gone, or not supported: the reads fault it in as before */
        }
#else
    (void)s;
#endif
    atomic_store_explicit(&s->pre_populated, true, memory_order_release);
}

static void *pre_main(void *arg)
{
    ostore *s = arg;
    populate_log(s);
    const os_index *ix0 = NULL;
    uint32_t i = 0;
    while (i < s->pre_objects && !atomic_load_explicit(&s->pre_stop, memory_order_relaxed)) {
        uint32_t t = os_rd_enter(&s->rd);
        const os_index *ix = s->idx;
        if (ix0 == NULL)
            ix0 = ix;
        if (ix != ix0) { /* compacted: the objects it held are gone */
            os_rd_exit(&s->rd, t);
            break;
        }
        uint32_t end = s->pre_objects - i < OS_PRE_BATCH ? s->pre_objects : i + OS_PRE_BATCH;
        for (; i < end; i++) {
            const os_obj *o = os_obj_at(ix, i);
            for (;;) {
                uint32_t q = os_obj_seq_begin(o);
                uint8_t tomb = OS_LD(o->tomb);
                uint32_t n = OS_LD(o->n);
                os_entry lbuf[OS_LAZY_MAX];
                os_entry *ents = os_obj_ents_rd(o, n, OS_LD(o->ents), lbuf);
                if (!os_obj_seq_ok(o, q))
                    continue;
                os_err e;
                if (tomb || n == 0 || os_entries_check_rd(o, q, n, ents, &e) >= 0)
                    break; /* checked, or damaged: its read reports it */
            }
        }
        os_rd_exit(&s->rd, t);
        atomic_store_explicit(&s->pre_done, i, memory_order_release);
    }
    atomic_store_explicit(&s->pre_finished, true, memory_order_release);
    return NULL;
}

/* Whether the log fits in a quarter of the machine's memory: the thread reads every loaded object's record,
 * which for a log much larger than memory would stream all of it through the page cache after each open,
 * evicting what the application reads. */
static bool log_fits_memory(const ostore *s)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0)
        return false;
    uint64_t quarter = (uint64_t)pages * (uint64_t)page / 4;
    return atomic_load_explicit(&s->st_log_bytes, memory_order_relaxed) <= quarter;
}

void os_precheck_start(ostore *s)
{
    s->pre_objects = s->idx->nobj; /* no writer yet: the open has not returned the store */
    const char *env = getenv("OSTORE_PRECHECK");
    if (s->pre_objects < OS_PRE_MIN || (env != NULL && env[0] == '0') || !log_fits_memory(s)) {
        atomic_store_explicit(&s->pre_finished, true, memory_order_release);
        return;
    }
    atomic_store_explicit(&s->pre_stop, false, memory_order_relaxed);
    /* the written part of each segment now: page-aligned (the mappings start on a page) */
    if ((s->pre_spans = calloc(s->log.n ? s->log.n : 1, sizeof *s->pre_spans)) != NULL)
        for (size_t k = 0; k < s->log.n; k++)
            if (s->log.segs[k]->base != NULL && s->log.segs[k]->end > 0)
                s->pre_spans[s->pre_nspans++] = (struct os_pre_span){s->log.segs[k]->base, s->log.segs[k]->end};
    if (pthread_create(&s->pre_thread, NULL, pre_main, s) == 0)
        s->pre_live = true;
    else { /* no thread: the first reads check, as they always could */
        free(s->pre_spans);
        s->pre_spans = NULL;
        s->pre_nspans = 0;
        atomic_store_explicit(&s->pre_finished, true, memory_order_release);
    }
}

void os_precheck_stop(ostore *s)
{
    if (!s->pre_live)
        return;
    atomic_store_explicit(&s->pre_stop, true, memory_order_relaxed);
    pthread_join(s->pre_thread, NULL);
    s->pre_live = false;
    free(s->pre_spans);
    s->pre_spans = NULL;
    s->pre_nspans = 0;
}
