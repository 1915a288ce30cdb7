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
 * the machine's memory gets no thread (log_fits_memory): its first reads check, as before.
 *
 * Records first. The records the checkpoint covers are known as soon as the open has installed its record tables,
 * before it loads the index (most of an open's time). So an open of a checkpoint covering os_pre_rec_min bytes or
 * more, in records of os_pre_rec_avg bytes or more on average (batches), starts the thread there
 * (os_precheck_begin), and it checks those records one after another in file order
 * on the other core while the open goes on: each at memory speed, once, instead of by the first read that lands in
 * it (a random read into a 1 000-object batch CRCs the whole batch). Until the open has returned the store it works
 * on a copy of the record tables and keeps its verdicts to itself (the open may still grow the tables it replays
 * into, and no reader exists yet); once the open is done (os_precheck_start) it writes the verdicts it has into the
 * tables and checks the rest in read sections, one record each, writing each verdict as a read would. A verdict is
 * written only where the table still holds the same record (offset and extent): a full replay after an unusable
 * checkpoint stops the thread first (os_precheck_stop) and rebuilds the tables anyway. Only whole records are
 * marked: a damaged one is left unchecked, for its read to report. Then the objects, as above, whose records are
 * now checked. OSTORE_PRECHECK_RECORDS=0 leaves the records to the objects' pass (A/B runs).
 *
 * Also beside a load in parts (checkpoint.c), which keeps every core of a small machine busy: the pass then takes a
 * share of the cores from the load, and the open returns later, but what the first reads would pay for the records'
 * pages and checks is more. On these VMs the first read of a 4 KiB page of a fresh mapping costs 1.7-2.9 us, and
 * still 1.3-1.8 us when its page-table entry was made ahead (perf/scripts/PageTouchCost.c): a 12 MB log's first reads
 * through the mapping take ~5 ms on whichever thread touches each page first. With the pass put off until the open
 * had returned (session 42's rule), ColdOpenBenchmark's open, first 10 000 reads and close took 21.8 ms in the C bench
 * (medians of 6 alternations); with it during the load, 18.4 (native-src/README.md, "The records pass during every
 * load"). */
#include "internal.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define OS_PRE_MIN 4096u  /* below this, the first reads check the few records themselves: no thread */
#define OS_PRE_BATCH 32u  /* objects per read section */
#define OS_PRE_SPAN (16u << 20) /* bytes of log per populate call (close waits for one at most) */
/* when an open checks its records first (globals: the tests lower them): covered bytes from os_pre_rec_min on, in
 * records of os_pre_rec_avg bytes or more on average. Smaller records cost their first read little (a 1 KiB record
 * is checked in ~0.3 us), and a log of many small ones (one object per commit) is mostly records no read will
 * touch soon: checking them all during the open slowed the open of a 1 M-object YCSB store by 40-100 ms and saved
 * its first reads nothing (native-src/README.md, "Records first"). */
uint64_t os_pre_rec_min = 1u << 20;
uint64_t os_pre_rec_avg = 16u << 10;
#define OS_PRE_AHEAD (2u << 20) /* bytes of covered log the records pass maps ahead of its reads per call */

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

static bool stopping(ostore *s) { return atomic_load_explicit(&s->pre_stop, memory_order_relaxed); }

/* record i of ps whole (the copy of its table taken at begin)? Reads only the mapping, which lives as long as the
 * segment: the caller holds a read section in which it found no segment dropped (segs_kept). */
static bool record_whole(const struct os_pre_seg *ps, uint64_t i)
{
    os_rech h;
    char buf[120];
    return os_rec_verdict(ps->base, ps->off[i], ps->off[i + 1], ps->first_seq + i, &h, buf, sizeof buf) == NULL;
}

/* Inside a read section after the open (or by the open itself before it returns): marks record i of ps checked where
 * the segment's table still holds it (same offset, same extent; a read computes the extent the same way,
 * os_seg_check_record) and nothing has marked it yet; true when it did. */
static bool mark_whole(ostore *s, const struct os_pre_seg *ps, uint64_t i)
{
    os_seg *g = ps->g;
    uint64_t end = __atomic_load_n(&g->end, __ATOMIC_ACQUIRE);
    uint64_t nrec = __atomic_load_n(&g->nrec, __ATOMIC_ACQUIRE);
    if (i >= nrec || g->first_seq != ps->first_seq || g->rec_off[i] != ps->off[i])
        return false;
    uint64_t next = i + 1 < nrec ? g->rec_off[i + 1] : end;
    if (next != ps->off[i + 1] || __atomic_load_n(&g->rec_state[i], __ATOMIC_RELAXED) != OS_REC_UNCHECKED)
        return false;
    __atomic_store_n(&g->rec_state[i], OS_REC_OK, __ATOMIC_RELAXED);
    atomic_fetch_add_explicit(&s->pre_records, 1, memory_order_relaxed);
    return true;
}

/* Before record i of ps is read during the open: its bytes (and up to OS_PRE_AHEAD more) into the page table in one
 * call, as populate_log does for the log later: the CRC's reads would fault them in 64 KiB at a time, ~10 us a
 * fault on these VMs. In steps, so the open's own memory calls (which take the address space's lock for writing)
 * wait for one step at most. */
static void map_ahead(const struct os_pre_seg *ps, uint64_t i, uint64_t *mapped)
{
#ifdef MADV_POPULATE_READ
    uint64_t need = ps->off[i + 1];
    if (need <= *mapped)
        return;
    uint64_t from = *mapped & ~(uint64_t)4095, to = need + OS_PRE_AHEAD;
    if (to > ps->off[ps->nrec])
        to = ps->off[ps->nrec];
    /* outside a read section (a step takes long): on the copy's base, never the segment's struct; a range unmapped
     * since by a compaction fails (ENOMEM), one reused by another mapping is only read */
    (void)madvise(ps->base + from, to - from, MADV_POPULATE_READ); /* failing, the reads fault it in */
    *mapped = to;
#else
    (void)ps;
    (void)i;
    (void)mapped;
#endif
}

/* Waits until the open has returned the store (true) or close stops the thread (false). */
static bool wait_open(ostore *s)
{
    pthread_mutex_lock(&s->pre_mu);
    while (!atomic_load_explicit(&s->pre_open_done, memory_order_acquire) && !stopping(s))
        pthread_cond_wait(&s->pre_cv, &s->pre_mu);
    pthread_mutex_unlock(&s->pre_mu);
    return !stopping(s);
}

_Atomic bool os_pre_test_pause;

/* In a read section: the segments the copy of the tables names are still the log's. A compaction that swaps the
 * index, or a background one that drops the segments below its checkpoint, counts log_drops inside the exclusive
 * section that drops them, and frees them after it without waiting for readers (nothing in the index reaches them):
 * a read section that sees the count unmoved ends before any drop; one that sees it moved must not touch the copy's
 * segments. (During the open nothing drops segments, but a compaction may start the moment it returns, while the
 * thread is between a look at pre_open_done and a record: so the records checked during the open are checked in
 * read sections too.) */
static bool segs_kept(ostore *s)
{
    return atomic_load_explicit(&s->log_drops, memory_order_relaxed) == s->pre_drops0;
}

/* The covered records in file order (see "Records first" above): false when the thread is to end (close, or a
 * compaction dropped segments). */
static bool check_records(ostore *s)
{
    size_t k = 0;
    uint64_t i = 0;
    /* before the open returns: verdicts into the copy only */
    for (; k < s->pre_nsegs; k++, i = 0) {
        uint64_t mapped = 0; /* the segment's bytes below this are in the page table */
        for (; i < s->pre_segs[k].nrec; i++) {
            if (stopping(s))
                return false;
            if (atomic_load_explicit(&s->pre_open_done, memory_order_acquire))
                goto open_done;
            map_ahead(&s->pre_segs[k], i, &mapped);
            uint32_t t = os_rd_enter(&s->rd);
            bool kept = segs_kept(s);
            if (kept)
                s->pre_segs[k].ok[i] = record_whole(&s->pre_segs[k], i);
            os_rd_exit(&s->rd, t);
            if (!kept)
                return false;
            atomic_store_explicit(&s->pre_segs[k].done, i + 1, memory_order_release); /* for os_precheck_start */
        }
    }
    if (!wait_open(s))
        return false;
open_done:;
    while (os_pre_test_pause && !stopping(s))
        usleep(1000);
    /* the verdicts made so far, into the tables (a read section per segment: a few bytes per record) */
    for (size_t j = 0; j <= k && j < s->pre_nsegs; j++) {
        uint32_t t = os_rd_enter(&s->rd);
        if (!segs_kept(s)) { /* a compaction dropped them (one that swaps the index counts a drop too) */
            os_rd_exit(&s->rd, t);
            return false;
        }
        uint64_t upto = j < k ? s->pre_segs[j].nrec : i;
        for (uint64_t r = 0; r < upto; r++) /* those the open marked before returning are skipped */
            if (s->pre_segs[j].ok[r])
                mark_whole(s, &s->pre_segs[j], r);
        os_rd_exit(&s->rd, t);
    }
    /* the rest: a record per read section, so an exclusive holder waits for one CRC at most */
    for (; k < s->pre_nsegs; k++, i = 0) {
        uint64_t mapped = i < s->pre_segs[k].nrec ? s->pre_segs[k].off[i] : 0;
        for (; i < s->pre_segs[k].nrec; i++) {
            if (stopping(s))
                return false;
            map_ahead(&s->pre_segs[k], i, &mapped);
            uint32_t t = os_rd_enter(&s->rd);
            if (!segs_kept(s)) { /* compacted: its segments may be gone */
                os_rd_exit(&s->rd, t);
                return false;
            }
            if (__atomic_load_n(&s->pre_segs[k].g->rec_state[i], __ATOMIC_RELAXED) == OS_REC_UNCHECKED &&
                record_whole(&s->pre_segs[k], i))
                mark_whole(s, &s->pre_segs[k], i);
            os_rd_exit(&s->rd, t);
        }
    }
    return true;
}

static void *pre_main(void *arg)
{
    ostore *s = arg;
    if (s->pre_nsegs > 0 && !check_records(s)) /* it returns once the open is done */
        goto out;
    populate_log(s);
    const os_index *ix0 = s->pre_ix0;
    uint32_t i = 0;
    while (i < s->pre_objects && !atomic_load_explicit(&s->pre_stop, memory_order_relaxed)) {
        uint32_t t = os_rd_enter(&s->rd);
        const os_index *ix = s->idx;
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
out:
    atomic_store_explicit(&s->pre_finished, true, memory_order_release);
    return NULL;
}

/* Whether the log fits in a quarter of the machine's memory: the thread reads every loaded object's record,
 * which for a log much larger than memory would stream all of it through the page cache after each open,
 * evicting what the application reads. */
static bool fits_memory(uint64_t bytes)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 && bytes <= (uint64_t)pages * (uint64_t)page / 4;
}

static bool log_fits_memory(const ostore *s)
{
    return fits_memory(atomic_load_explicit(&s->st_log_bytes, memory_order_relaxed));
}

/* Where segment g's bytes not yet in the page table begin (page-aligned): past what the records pass read, which by
 * the time the objects' pass starts has touched every covered byte (its CRCs, or the first reads' own). */
static uint64_t unmapped_from(const ostore *s, const os_seg *g)
{
    for (size_t k = 0; k < s->pre_nsegs; k++)
        if (s->pre_segs[k].g == g)
            return s->pre_segs[k].off[s->pre_segs[k].nrec] & ~(uint64_t)(s->page - 1);
    return 0;
}

/* the segment tables' copies and verdicts (begin), freed once the thread is joined or was never started */
static void free_segs(ostore *s)
{
    for (size_t k = 0; k < s->pre_nsegs; k++) {
        free(s->pre_segs[k].off);
        free(s->pre_segs[k].ok);
    }
    free(s->pre_segs);
    s->pre_segs = NULL;
    s->pre_nsegs = 0;
}

static bool switched_off(const char *name)
{
    const char *env = getenv(name);
    return env != NULL && env[0] == '0';
}

static bool start_thread(ostore *s)
{
    if (pthread_mutex_init(&s->pre_mu, NULL) != 0)
        return false;
    if (pthread_cond_init(&s->pre_cv, NULL) != 0) {
        pthread_mutex_destroy(&s->pre_mu);
        return false;
    }
    atomic_store_explicit(&s->pre_stop, false, memory_order_relaxed);
    if (pthread_create(&s->pre_thread, NULL, pre_main, s) != 0) {
        pthread_cond_destroy(&s->pre_cv);
        pthread_mutex_destroy(&s->pre_mu);
        return false;
    }
    s->pre_live = true;
    return true;
}

/* The covered records' tables copied for the records pass (s->pre_segs): false when there is nothing for it to do
 * (switched off, a small log or small records, a log larger than memory allows) or no memory for the copy. */
static bool records_setup(ostore *s)
{
    if (s->repair || switched_off("OSTORE_PRECHECK") || switched_off("OSTORE_PRECHECK_RECORDS"))
        return false;
    uint64_t covered = 0, records = 0;
    size_t nsegs = 0;
    s->pre_drops0 = atomic_load_explicit(&s->log_drops, memory_order_relaxed); /* the segments it copies are these */
    for (size_t k = 0; k < s->log.n; k++)
        if (s->log.segs[k]->nrec > 0 && s->log.segs[k]->base != NULL) {
            covered += s->log.segs[k]->end;
            records += s->log.segs[k]->nrec;
            nsegs++;
        }
    if (covered < os_pre_rec_min || covered < records * os_pre_rec_avg || !fits_memory(covered))
        return false; /* small, or small records: the first reads check them; huge: as log_fits_memory */
    if ((s->pre_segs = calloc(nsegs, sizeof *s->pre_segs)) == NULL)
        return false;
    for (size_t k = 0; k < s->log.n; k++) {
        os_seg *g = s->log.segs[k];
        if (g->nrec == 0 || g->base == NULL)
            continue;
        struct os_pre_seg *ps = &s->pre_segs[s->pre_nsegs++];
        ps->g = g;
        ps->base = g->base;
        ps->first_seq = g->first_seq;
        ps->nrec = g->nrec;
        ps->off = malloc((g->nrec + 1) * sizeof *ps->off);
        ps->ok = calloc(g->nrec, 1);
        if (ps->off == NULL || ps->ok == NULL) {
            free_segs(s);
            return false;
        }
        memcpy(ps->off, g->rec_off, g->nrec * sizeof *ps->off);
        ps->off[g->nrec] = g->end; /* the covered end: the last record's extent, as os_seg_check_record takes it */
    }
    return true;
}

_Atomic uint32_t os_pre_begun_in_open;

void os_precheck_begin(ostore *s)
{
    if (!records_setup(s))
        return;
    if (start_thread(s))
        atomic_fetch_add_explicit(&os_pre_begun_in_open, 1, memory_order_relaxed);
    else
        free_segs(s);
}

void os_precheck_start(ostore *s)
{
    s->pre_ix0 = s->idx; /* no writer yet: the open has not returned the store */
    s->pre_objects = s->idx->nobj;
    bool walk = s->pre_objects >= OS_PRE_MIN && !switched_off("OSTORE_PRECHECK") && log_fits_memory(s);
    if (!walk)
        s->pre_objects = 0;
    /* the written part of each segment now that the records pass has not read: page-aligned (the mappings start on
     * a page) */
    if (walk && (s->pre_spans = calloc(s->log.n ? s->log.n : 1, sizeof *s->pre_spans)) != NULL)
        for (size_t k = 0; k < s->log.n; k++) {
            os_seg *g = s->log.segs[k];
            uint64_t from = unmapped_from(s, g);
            if (g->base != NULL && g->end > from)
                s->pre_spans[s->pre_nspans++] = (struct os_pre_span){g->base + from, g->end - from};
        }
    if (s->pre_live) { /* began with the records: now the tables may take its verdicts, then the objects */
        /* The verdicts made so far, written here before the store is returned: the first reads come right after
         * this, before the thread could wake and write them (each would check a whole batch itself). No reader
         * exists yet and the thread writes no table until it sees pre_open_done, stored below. */
        for (size_t j = 0; j < s->pre_nsegs; j++) {
            uint64_t done = atomic_load_explicit(&s->pre_segs[j].done, memory_order_acquire);
            for (uint64_t r = 0; r < done; r++)
                if (s->pre_segs[j].ok[r])
                    mark_whole(s, &s->pre_segs[j], r);
        }
        pthread_mutex_lock(&s->pre_mu);
        atomic_store_explicit(&s->pre_open_done, true, memory_order_release);
        pthread_cond_signal(&s->pre_cv);
        pthread_mutex_unlock(&s->pre_mu);
        return;
    }
    atomic_store_explicit(&s->pre_open_done, true, memory_order_release);
    if (!walk || !start_thread(s)) { /* no thread: the first reads check, as they always could */
        free(s->pre_spans);
        s->pre_spans = NULL;
        s->pre_nspans = 0;
        free_segs(s);
        atomic_store_explicit(&s->pre_finished, true, memory_order_release);
    }
}

void os_precheck_stop(ostore *s)
{
    if (!s->pre_live)
        return;
    pthread_mutex_lock(&s->pre_mu);
    atomic_store_explicit(&s->pre_stop, true, memory_order_relaxed);
    pthread_cond_signal(&s->pre_cv);
    pthread_mutex_unlock(&s->pre_mu);
    pthread_join(s->pre_thread, NULL);
    pthread_cond_destroy(&s->pre_cv);
    pthread_mutex_destroy(&s->pre_mu);
    s->pre_live = false;
    free(s->pre_spans);
    s->pre_spans = NULL;
    s->pre_nspans = 0;
    free_segs(s);
}
