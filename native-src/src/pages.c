/* Log pages populated ahead of the writer (native-src/README.md, "Log pages populated ahead").
 *
 * A small record is copied into the log's mapping, and the page it lands on must first be made present and
 * writable: a fresh page-cache page for the file, which on this project's VMs costs several microseconds a
 * page (the guest's first touch of memory the host took back). os_seg_prefault used to pay that on the
 * writer's thread, one madvise(MADV_POPULATE_WRITE) per window of pages: ~12 % of a one-object commit's
 * time. Here a thread of the store's own populates the next window while the writer fills the current one,
 * so the writer finds its pages ready and only asks for more.
 *
 * The thread lives as long as the store (started at the first request, joined at close) and sleeps on its
 * own condition variable between jobs; it never takes the writer mutex. The writer also hands it the pages
 * behind the end to unmap (os_seg_unmap_behind's madvise(MADV_DONTNEED), the other system call of a small
 * record's path). A job is a range of one segment's mapping, set by the writer under the writer mutex and
 * below the file's size at that moment (the file only grows while it is the writer's segment); one of each
 * kind waits at most, and the writer does the work itself when its slot is still full. Before the writer
 * finishes a segment (rollover), unmaps the log a compaction replaced or gives back the last segment's unused tail
 * at close, it waits until the thread has no job (os_pages_idle), so the thread never touches a mapping that may be
 * truncated or unmapped (a touch past a file's end is a SIGBUS). Populating writes
 * nothing: the pages read as the zeros they already are, so a crash at any point leaves the file as it was;
 * they are dirty, which is why the writer bounds the window by the bytes written since the last sync
 * (os_seg_prefault). Advisory throughout: a failure leaves the
 * faults to the copy, as without this. */
#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* one job of the thread: madvise(advice) of [from, to) of the mapping at base; from == to: none. True when the
 * call was made and succeeded. */
static bool run(const os_pages_job *j, int advice)
{
    return j->to > j->from && madvise(j->base + j->from, j->to - j->from, advice) == 0;
}

/* Reads one byte of each page of [from, to) of the mapping at base, with a load the compiler does not see (inline
 * assembly; no C access to memory the writer will fill, so no data race in the language's sense and none for TSan).
 *
 * Why: populating makes the guest's page tables map the pages, but on this project's VMs (PVM guests: the hypervisor
 * keeps page tables of its own beside the guest's) the first access to each newly mapped page through this process's
 * addresses still costs ~4–7 us a page, unseen by the guest kernel, and that first access was the writer's copy of a
 * record (native-src/README.md, "Log pages touched ahead"). A read here pays it on this thread; the writer's first
 * store to the page then costs ~0.15 us. Pages are within the file (jobs are below its size) and
 * populated, so the read neither faults in anything new nor can raise SIGBUS. */
static void touch(os_pages *p, const os_pages_job *j)
{
    size_t page = p->page;
    uint64_t n = 0;
#if defined(__x86_64__)
    for (uint64_t off = j->from & ~(uint64_t)(page - 1); off < j->to; off += page) {
        __asm__ volatile("movb (%0), %%al" : : "r"(j->base + off) : "al");
        n++;
    }
#elif defined(__aarch64__)
    for (uint64_t off = j->from & ~(uint64_t)(page - 1); off < j->to; off += page) {
        uint32_t v;
        __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(j->base + off));
        n++;
    }
#else
    (void)j;
    (void)page; /* elsewhere the writer's copy takes the first access, as before */
#endif
    atomic_fetch_add_explicit(&p->touched, n, memory_order_relaxed);
}

#if defined(MADV_HUGEPAGE) && defined(MADV_POPULATE_READ)
#define OS_HAVE_HUGE_LOG 1
/* KiB of this process's file pages mapped by 2 MiB page-table entries (/proc/self/smaps_rollup); -1 when unknown */
static long file_pmd_kib(void)
{
    int fd = open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char *at = strstr(buf, "FilePmdMapped:");
    return at != NULL ? strtol(at + strlen("FilePmdMapped:"), NULL, 10) : -1;
}

/* A huge job (os_pages_huge): its regions read once through a mapping of the thread's own with MADV_HUGEPAGE, which
 * makes their page-cache folios 2 MiB where the filesystem has large folios (the log ahead of the writer is zeros in
 * unwritten extents: read without I/O, and nothing written). The first job also tells whether the kernel does it here:
 * the mapping's 2 MiB entries counted in smaps_rollup while it exists and after it is gone; none, and huge folios
 * are turned off for this store (the writer then writes as without them). */
static void run_huge(os_pages *p, const os_pages_job *j)
{
    if (j->to <= j->from || j->seg == NULL)
        return;
    size_t len = (size_t)(j->to - j->from);
    /* at a 2 MiB-aligned address, so that the folios made are also mapped whole (which the probe below counts) */
    void *m = os_map_aligned(len, PROT_READ, j->seg->fd, j->from);
    if (m == NULL)
        return;
    bool ok = madvise(m, len, MADV_HUGEPAGE) == 0 && madvise(m, len, MADV_POPULATE_READ) == 0;
    bool probe = ok && atomic_load_explicit(&p->huge_jobs, memory_order_relaxed) == 0;
    long with = probe ? file_pmd_kib() : 0;
    munmap(m, len);
    if (probe) {
        long made = with - file_pmd_kib();
        if (with < 0 || made <= 0) {
            atomic_store_explicit(&p->huge_on, false, memory_order_relaxed);
            ok = false;
        } else {
            atomic_fetch_add_explicit(&p->huge_made, (uint64_t)made << 10, memory_order_relaxed);
        }
    }
    if (ok) {
        atomic_store_explicit(&j->seg->huge_done, j->to, memory_order_release);
        atomic_fetch_add_explicit(&p->huge_jobs, 1, memory_order_relaxed);
    }
}
#else
static void run_huge(os_pages *p, const os_pages_job *j)
{
    (void)p;
    (void)j;
}
#endif

_Atomic int os_pages_test_hold;
_Atomic uint64_t os_pages_test_held_to;

/* os_pages_test_hold's wait; false when the test says to skip the touch */
static bool held_for_test(const os_pages_job *j)
{
    if (atomic_load(&os_pages_test_hold) != 1)
        return true;
    atomic_store(&os_pages_test_held_to, j->to);
    while (atomic_load(&os_pages_test_hold) == 1)
        usleep(1000);
    atomic_store(&os_pages_test_held_to, 0);
    return atomic_load(&os_pages_test_hold) != 2;
}

static void *pages_main(void *arg)
{
    os_pages *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->populate.to == p->populate.from && p->unmap.to == p->unmap.from &&
               p->huge.to == p->huge.from)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop)
            break;
        os_pages_job populate = p->populate, unmap = p->unmap, huge = p->huge;
        p->populate.from = p->populate.to = p->unmap.from = p->unmap.to = 0; /* taken: the writer may set the next */
        p->huge.from = p->huge.to = 0;
        p->running = true;
        pthread_mutex_unlock(&p->mu);
        run(&unmap, MADV_DONTNEED);
#ifdef MADV_POPULATE_WRITE
        if (run(&populate, MADV_POPULATE_WRITE) && held_for_test(&populate))
            touch(p, &populate);
#endif
        run_huge(p, &huge); /* after the window the writer needs next: these regions lie further ahead */
        atomic_fetch_add_explicit(&p->jobs,
                                  (populate.to > populate.from) + (unmap.to > unmap.from) + (huge.to > huge.from),
                                  memory_order_relaxed);
        pthread_mutex_lock(&p->mu);
        p->running = false;
        pthread_cond_broadcast(&p->cv); /* a writer in os_pages_idle */
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void os_pages_init(os_pages *p, bool writable, size_t page)
{
    memset(p, 0, sizeof *p);
    p->page = page;
    const char *v = getenv("OSTORE_PAGES_AHEAD"); /* "0": the writer does its pages itself (A/B runs) */
    p->on = writable && (v == NULL || strcmp(v, "0") != 0);
#ifndef MADV_POPULATE_WRITE
    p->on = false;
#endif
    const char *h = getenv("OSTORE_HUGE_LOG"); /* "0": the log in 4 KiB folios only (A/B runs) */
    bool huge = p->on && (h == NULL || strcmp(h, "0") != 0);
#ifndef OS_HAVE_HUGE_LOG
    huge = false;
#endif
    atomic_store_explicit(&p->huge_on, huge, memory_order_relaxed);
    if (p->on && (pthread_mutex_init(&p->mu, NULL) != 0 || pthread_cond_init(&p->cv, NULL) != 0))
        p->on = false; /* (a mutex that failed to initialize is not destroyed: nothing else uses it) */
    p->sync_ok = p->on;
}

bool os_pages_test_wait;

/* Sets *slot to [from, to) of base (of seg, for a huge job) unless it holds a job not yet taken: false then, or when
 * off */
static bool request(os_pages *p, os_pages_job *slot, uint8_t *base, os_seg *seg, uint64_t from, uint64_t to)
{
    if (!p->on || to <= from)
        return false;
    pthread_mutex_lock(&p->mu);
    while (os_pages_test_wait && p->live && slot->to > slot->from) /* woken when the thread ends a job */
        pthread_cond_wait(&p->cv, &p->mu);
    if (slot->to > slot->from) { /* the thread has not taken the one before: the writer takes care of itself */
        pthread_mutex_unlock(&p->mu);
        return false;
    }
    if (!p->live) {
        if (pthread_create(&p->thread, NULL, pages_main, p) != 0) {
            p->on = false; /* no thread: the writer does its pages itself, as without this */
            pthread_mutex_unlock(&p->mu);
            return false;
        }
        p->live = true;
    }
    slot->base = base;
    slot->seg = seg;
    slot->from = from;
    slot->to = to;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    atomic_fetch_add_explicit(&p->requests, 1, memory_order_relaxed);
    return true;
}

bool os_pages_populate(os_pages *p, uint8_t *base, uint64_t from, uint64_t to)
{
    return request(p, &p->populate, base, NULL, from, to);
}

bool os_pages_unmap(os_pages *p, uint8_t *base, uint64_t from, uint64_t to)
{
    return request(p, &p->unmap, base, NULL, from, to);
}

bool os_pages_huge(os_pages *p, os_seg *g, uint64_t from, uint64_t to)
{
    if (!atomic_load_explicit(&p->huge_on, memory_order_relaxed))
        return false;
    return request(p, &p->huge, g->base, g, from, to);
}

void os_pages_idle(os_pages *p)
{
    if (!p->live)
        return;
    pthread_mutex_lock(&p->mu);
    while (p->running || p->populate.to > p->populate.from || p->unmap.to > p->unmap.from || p->huge.to > p->huge.from)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void os_pages_stop(os_pages *p)
{
    if (p->live) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL); /* it finishes the job it runs first: at most two madvise calls */
        p->live = false;
    }
    if (p->sync_ok) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        p->sync_ok = false;
    }
    p->on = false;
}
