/* Segment files: header, mapping, growth, sync (FORMAT.md, "Segment file"). */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char SEG_MAGIC[8] = {'O', 'S', 'T', 'O', 'R', 'S', 'E', 'G'};

static uint64_t page_up(uint64_t n, size_t page) { return (n + page - 1) & ~(uint64_t)(page - 1); }

/* dir/seg-<id in 16 hex digits><suffix> (FORMAT.md, "Directory") */
static char *seg_file_path(const char *dir, uint64_t id, const char *suffix)
{
    size_t n = strlen(dir) + 32;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/seg-%016llx%s", dir, (unsigned long long)id, suffix);
    return p;
}

char *os_seg_path(const char *dir, uint64_t id) { return seg_file_path(dir, id, ".log"); }

void os_seg_write_header(uint8_t *h, uint64_t id, uint64_t reserve)
{
    memset(h, 0, OS_SEG_HDR);
    memcpy(h, SEG_MAGIC, 8);
    wr32(h + 8, OS_FORMAT_VERSION);
    wr32(h + 12, OS_SEG_HDR);
    wr64(h + 16, id);
    wr64(h + 24, reserve);
    wr32(h + 60, os_crc32c(h, 60));
}

bool os_seg_check_header(const uint8_t *h, uint64_t id, uint64_t *reserve)
{
    if (memcmp(h, SEG_MAGIC, 8) != 0 || rd32(h + 8) != OS_FORMAT_VERSION || rd32(h + 12) != OS_SEG_HDR ||
        rd64(h + 16) != id || rd32(h + 60) != os_crc32c(h, 60))
        return false;
    for (int i = 32; i < 60; i++)
        if (h[i] != 0)
            return false;
    uint64_t r = rd64(h + 24);
    if (r < OS_SEG_HDR || r > OS_MAX_RESERVE)
        return false;
    *reserve = r;
    return true;
}

int (*os_io_fault_hook)(const char *call);

int os_fsync_dir(const char *dir, os_err *e)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return os_fail_errno(e, errno, "opening directory", dir);
    int injected = os_io_fault_hook != NULL ? os_io_fault_hook("fsync_dir") : 0;
    int rc = injected != 0 ? -1 : fsync(fd);
    int err = injected != 0 ? injected : errno;
    close(fd);
    if (rc != 0 && err != EINVAL)
        return os_fail_errno(e, err, "fsync of directory", dir);
    return OSTORE_OK;
}

/* A writable segment's mapping reads nothing ahead of a fault: the writer's page populates would otherwise have the
 * kernel read ahead (read_ahead_kb, 8 MiB on this project's VMs) and fill the log ahead of the writer with folios of
 * its choosing before the pages thread could make them 2 MiB ones (os_seg_huge_ahead); and the log's reads are
 * random (an object's values, wherever the index points). Advisory. */
static void no_read_ahead(void *m, uint64_t len)
{
#ifdef MADV_RANDOM
    (void)madvise(m, len, MADV_RANDOM);
#else
    (void)m;
    (void)len;
#endif
}

static int map_fresh(os_seg *s, uint64_t reserve, uint64_t init, size_t page, os_err *e)
{
    reserve = page_up(reserve, page);
    if (init > reserve)
        init = reserve;
    int r = posix_fallocate(s->fd, 0, (off_t)init);
    if (r != 0)
        return os_fail_errno(e, r, "allocating segment", s->path);
    void *m = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
    if (m == MAP_FAILED)
        return os_fail_errno(e, errno, "mapping segment", s->path);
    no_read_ahead(m, reserve);
    s->base = m;
    s->reserve = reserve;
    s->hdr_reserve = reserve;
    s->size = init;
    s->step = OS_GROW_MIN;
    os_seg_write_header(s->base, s->id, reserve);
    s->header_ok = true;
    s->end = OS_SEG_HDR;
    s->synced = 0;
    s->kicked = 0;
    if (fdatasync(s->fd) != 0)
        return os_fail_errno(e, errno, "fdatasync of segment", s->path);
    s->synced = OS_SEG_HDR;
    return OSTORE_OK;
}

char *os_seg_spare_path(const char *dir, uint64_t id) { return seg_file_path(dir, id, ".spare"); }

/* A new, empty segment file at path (header written and synced); with name_durable, the directory is fsynced
 * too, so the file exists after a crash. */
static int create_at(const char *dir, uint64_t id, char *path, uint64_t reserve, size_t page, bool name_durable,
                     os_seg **out, os_err *e)
{
    *out = NULL;
    if (path == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory creating a segment");
    os_seg *s = calloc(1, sizeof *s);
    if (s == NULL) {
        free(path);
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory creating a segment");
    }
    s->fd = -1;
    s->id = id;
    s->writable = true;
    s->path = path;
    s->fd = open(s->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s->fd < 0) {
        int rc = os_fail_errno(e, errno, "creating segment", s->path);
        os_seg_close(s);
        return rc;
    }
    int rc = map_fresh(s, reserve, OS_GROW_MIN, page, e);
    if (rc == OSTORE_OK && name_durable)
        rc = os_fsync_dir(dir, e);
    if (rc != OSTORE_OK) {
        os_seg_unlink(s);
        os_seg_close(s);
        return rc;
    }
    *out = s;
    return OSTORE_OK;
}

int os_seg_create(const char *dir, uint64_t id, uint64_t reserve, size_t page, os_seg **out, os_err *e)
{
    return create_at(dir, id, os_seg_path(dir, id), reserve, page, true, out, e);
}

int os_seg_create_spare(const char *dir, uint64_t id, uint64_t reserve, size_t page, os_seg **out, os_err *e)
{
    return create_at(dir, id, os_seg_spare_path(dir, id), reserve, page, false, out, e);
}

int os_seg_reinit(os_seg *s, uint64_t reserve, size_t page, os_err *e)
{
    if (s->base != NULL)
        munmap(s->base, s->reserve);
    s->base = NULL;
    s->reserve = 0;
    s->faulted = 0;
    s->unmapped = 0;
    if (ftruncate(s->fd, 0) != 0)
        return os_fail_errno(e, errno, "truncating segment", s->path);
    return map_fresh(s, reserve, OS_GROW_MIN, page, e);
}

int os_seg_open(const char *dir, uint64_t id, bool writable, bool last, size_t page, os_seg **out,
                os_err *e)
{
    *out = NULL;
    os_seg *s = calloc(1, sizeof *s);
    if (s == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory opening a segment");
    s->fd = -1;
    s->id = id;
    s->writable = writable;
    s->path = os_seg_path(dir, id);
    if (s->path == NULL) {
        free(s);
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory opening a segment");
    }
    s->fd = open(s->path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (s->fd < 0) {
        int rc = os_fail_errno(e, errno, "opening segment", s->path);
        os_seg_close(s);
        return rc;
    }
    struct stat st;
    if (fstat(s->fd, &st) != 0) {
        int rc = os_fail_errno(e, errno, "stat of segment", s->path);
        os_seg_close(s);
        return rc;
    }
    s->size = (uint64_t)st.st_size;
    if (s->size >= OS_SEG_HDR) {
        uint8_t h[OS_SEG_HDR];
        ssize_t r = pread(s->fd, h, sizeof h, 0);
        if (r == (ssize_t)sizeof h)
            s->header_ok = os_seg_check_header(h, id, &s->hdr_reserve);
    }
    uint64_t map_len = s->size;
    if (writable && last && s->header_ok && s->hdr_reserve > map_len)
        map_len = s->hdr_reserve;
    map_len = page_up(map_len, page);
    if (map_len > 0) {
        void *m = mmap(NULL, map_len, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, s->fd, 0);
        if (m == MAP_FAILED) {
            int rc = os_fail_errno(e, errno, "mapping segment", s->path);
            os_seg_close(s);
            return rc;
        }
        if (writable)
            no_read_ahead(m, map_len);
        s->base = m;
        s->reserve = map_len;
    }
    s->end = OS_SEG_HDR;
    s->synced = s->size;
    s->step = s->size < OS_GROW_MIN ? OS_GROW_MIN : s->size > OS_GROW_MAX ? OS_GROW_MAX : page_up(s->size, page);
    *out = s;
    return OSTORE_OK;
}

int os_seg_grow(os_seg *s, uint64_t need, size_t page, os_err *e)
{
    if (need <= s->size)
        return OSTORE_OK;
    if (need > s->reserve)
        return os_fail(e, OSTORE_INVALID_ARGUMENT, "internal: growth past the reserve of %s", s->path);
    uint64_t ns = s->size, step = s->step;
    while (ns < need) {
        ns += step;
        if (step < OS_GROW_MAX)
            step *= 2;
    }
    ns = page_up(ns, page);
    if (ns > s->reserve)
        ns = s->reserve;
    int r = posix_fallocate(s->fd, (off_t)s->size, (off_t)(ns - s->size));
    if (r != 0)
        return os_fail_errno(e, r, "growing segment", s->path);
    s->size = ns;
    s->step = step;
    return OSTORE_OK;
}

/* Makes [from, to) of the segment durable, and nothing else of it. On Linux msync(MS_SYNC) of a shared file mapping is
 * the filesystem's fsync of that byte range with datasync set (mm/msync.c: vfs_fsync_range(file, start, end, 1)): the
 * range's dirty pages written and waited for, then what fdatasync would commit besides the data (the journal with the
 * inode's size and extents, the device cache flush). An fdatasync after it would add only the dirty pages outside the
 * range: the pages ahead of the end that the writer had mapped writable (os_seg_prefault, os_seg_huge_prefault), zeros
 * written early and write-protected, so the writer's next store into them faulted again (a background checkpoint's
 * fdatasync once every 8 MiB of log took the 2 MiB folio ahead: perf/PROFILES.md, "Session 55"). Elsewhere msync is not
 * promised to reach the file's metadata, so the fdatasync stays. */
int os_seg_sync_range(os_seg *s, uint64_t from, uint64_t to, size_t page, os_err *e)
{
    if (to <= from)
        return OSTORE_OK;
    uint64_t start = from & ~(uint64_t)(page - 1);
    if (msync(s->base + start, to - start, MS_SYNC) != 0)
        return os_fail_errno(e, errno, "msync of segment", s->path);
#ifndef __linux__
    if (fdatasync(s->fd) != 0)
        return os_fail_errno(e, errno, "fdatasync of segment", s->path);
#endif
    return OSTORE_OK;
}

int os_seg_sync(os_seg *s, size_t page, os_err *e)
{
    /* a segment renamed from a spare: its name is durable only after the directory's fsync, and nothing in it
     * (nor a checkpoint naming it) may count as durable before its name is */
    const char *dir = atomic_load_explicit(&s->dir_unsynced, memory_order_acquire);
    if (dir != NULL) {
        int rc = os_fsync_dir(dir, e);
        if (rc != OSTORE_OK)
            return rc;
        atomic_store_explicit(&s->dir_unsynced, NULL, memory_order_release);
    }
    if (!s->writable || s->base == NULL || s->synced >= s->end)
        return OSTORE_OK;
    int rc = os_seg_sync_range(s, s->synced, s->end, page, e);
    if (rc != OSTORE_OK)
        return rc;
    os_seg_synced(s, s->end);
    return OSTORE_OK;
}

void os_seg_synced(os_seg *s, uint64_t upto)
{
    if (upto <= s->synced)
        return;
    s->sync_gap = upto - s->synced;
    s->synced = upto;
}

/* Start write-back (without waiting) of the whole pages written since the last kick once there are
 * OS_KICK bytes of them. The data is not durable any sooner, but the sync of the next
 * os_seg_sync (automatic checkpoint, segment rollover, ostore_sync) then finds most pages already clean
 * or in flight instead of writing the whole range while the writer waits: the device works while the
 * writer goes on. Advisory: errors are ignored (the sync that follows reports them). */
/* true when [from, to) meets the run of regions asked to be 2 MiB folios (os_seg_huge_ahead) */
static bool meets_huge_run(const os_seg *s, uint64_t from, uint64_t to)
{
    return from < s->huge_asked && to > s->huge_lo;
}

void os_seg_kick(os_seg *s, size_t page)
{
    uint64_t from = s->kicked > s->synced ? s->kicked : s->synced;
    uint64_t to = s->end & ~(uint64_t)(page - 1);
    if (s->end > 0 && meets_huge_run(s, s->end - 1, s->end)) /* not the 2 MiB folio being filled: written back now, */
        to = s->end & ~(OS_HUGE - 1); /* its next copy would dirty (and the next kick write) it whole */
    if (to <= from || to - from < OS_KICK)
        return;
    (void)sync_file_range(s->fd, (off64_t)from, (off64_t)(to - from), SYNC_FILE_RANGE_WRITE);
    s->kicked = to;
}

/* Before a small record is copied into the mapping at s->end: make the pages up to `upto` (and some beyond)
 * present and writable with madvise(MADV_POPULATE_WRITE) instead of one write fault + page_mkwrite per
 * 4 KiB page inside the copy. On this project's VMs a fault costs microseconds (an exit to the hypervisor),
 * so 40 one-entry records sharing a page paid ~100 ns each for it. The pages populated stay zero (the call
 * writes nothing), but they are dirty: the kernel's write-back writes them once they are old enough (a sync does
 * not: it writes only the range it makes durable, os_seg_sync_range, where an fdatasync used to write them too).
 * So the window ahead is at most the bytes written since the last sync (and OS_PREFAULT): a store synced after
 * every record never populates ahead, a store written in bulk gets the full window.
 *
 * The windows go to the pages thread (`ahead`, pages.c): once the writer is within half a window of the pages
 * asked for, it asks for the next window and goes on; only when it has caught up with what was asked (the
 * thread busy or behind, or off, or the first record after a sync) does it populate on its own thread.
 * s->faulted is the end of what was asked for. Advisory: any failure just leaves the faults to the copy. */
void os_seg_prefault(os_seg *s, os_pages *ahead, uint64_t upto, size_t page)
{
#ifdef MADV_POPULATE_WRITE
    uint64_t written = s->end > s->synced ? s->end - s->synced : 0;
    uint64_t window = written < OS_PREFAULT ? written : OS_PREFAULT;
    if (upto <= s->faulted) {
        if (window > 0 && s->faulted - upto < window / 2 && s->faulted < s->size) {
            uint64_t to = page_up(s->faulted + window, page);
            if (to > s->size)
                to = s->size;
            if (os_pages_populate(ahead, s->base, s->faulted, to))
                s->faulted = to;
        }
        return;
    }
    if (window == 0) /* just synced: one record's page is not worth a system call */
        return;
    uint64_t from = s->end & ~(uint64_t)(page - 1);
    if (s->faulted > from)
        from = s->faulted;
    uint64_t to = page_up(upto + window, page);
    if (to > s->size)
        to = s->size;
    if (to <= from)
        return;
    /* the record's own pages now (its copy would fault them anyway), the window by the thread */
    uint64_t mine = page_up(upto, page);
    if (mine < to && os_pages_populate(ahead, s->base, mine, to)) {
        (void)madvise(s->base + from, mine - from, MADV_POPULATE_WRITE);
        s->faulted = to;
        return;
    }
    (void)madvise(s->base + from, to - from, MADV_POPULATE_WRITE);
    s->faulted = to;
#else
    (void)s;
    (void)ahead;
    (void)upto;
    (void)page;
#endif
}

/* Before a large record is copied into the run of 2 MiB folios (os_seg_huge_ahead): once the record ends in the second
 * half of a folio, the pages thread maps the next folio writable (MADV_POPULATE_WRITE through the writer's mapping)
 * while the writer fills this one. The first write into a 2 MiB folio of a file is one fault whose page_mkwrite
 * prepares all 512 of its blocks (ext4: a delayed-allocation lookup per block) and dirties it whole: 110-130 us under
 * tracing, on the writer's thread in the middle of a batch once every 2 MiB of log (perf/PROFILES.md, "Session 55").
 * Only a folio already made 2 MiB (below huge_done) is asked for: a populate of pages not yet in the page cache would
 * make them 4 KiB folios. The folio is dirty half a folio's worth of writing earlier than the copy would make it; a
 * sync meanwhile does not write it (os_seg_sync_range), the kernel's write-back of old dirty pages would (zeros, then
 * the folio again). Advisory: with the thread off or busy the copy takes the fault, as before. */
void os_seg_huge_prefault(os_seg *s, os_pages *ahead, uint64_t upto)
{
    if (upto == 0)
        return;
    uint64_t here = (upto - 1) & ~(OS_HUGE - 1);
    if (upto - here < OS_HUGE / 2 || !meets_huge_run(s, here, upto))
        return;
    uint64_t from = here + OS_HUGE, to = from + OS_HUGE;
    if (s->faulted >= to || to > atomic_load_explicit(&s->huge_done, memory_order_acquire) || to > s->huge_asked)
        return;
    if (s->faulted > from)
        from = s->faulted;
    if (os_pages_populate(ahead, s->base, from, to))
        s->faulted = to;
}

bool os_seg_bulk(const os_seg *s)
{
    return (s->end > s->synced && s->end - s->synced >= OS_HUGE) || s->sync_gap >= OS_HUGE;
}

/* the end of the regions a record ending at upto has asked for, once the file is that long */
static uint64_t huge_reach(uint64_t upto)
{
    return (upto + OS_HUGE_AHEAD) & ~(OS_HUGE - 1);
}

uint64_t os_seg_huge_size(const os_seg *s, const os_pages *ahead, uint64_t upto)
{
    if (!atomic_load_explicit(&ahead->huge_on, memory_order_relaxed) || s->base == NULL || !s->writable ||
        !os_seg_bulk(s))
        return 0;
    uint64_t reach = huge_reach(upto);
    return reach < s->reserve ? reach : s->reserve;
}

/* The log in 2 MiB folios (native-src/README.md, "The log in 2 MiB folios"). A page-cache folio's size is decided when
 * the folio is made: a fault through a MADV_HUGEPAGE mapping makes it 2 MiB (ext4 and other filesystems with large
 * folios), a copy, a populate or a pwrite through anything else makes 4 KiB ones. A log in 2 MiB folios is mapped by a
 * reader with one page-table entry per 2 MiB, in any process, so a read of a random record no longer pays a TLB walk
 * and, on this project's VMs, the hypervisor's first access of each 4 KiB page (perf/PROFILES.md, "Session 52").
 * The catch is write-back: a copy into a 2 MiB folio through a mapping dirties the whole folio (page_mkwrite), so
 * each sync writes 2 MiB, and again after the next copy. So only a bulk writer (os_seg_bulk: 2 MiB or more between
 * syncs) asks for them, whole regions past the one it writes in; a writer that syncs often writes records that meet
 * such a region with pwrite (os_seg_by_pwrite), which dirties only the blocks it writes. */
void os_seg_huge_ahead(os_seg *s, os_pages *ahead, uint64_t upto)
{
    if (os_seg_huge_size(s, ahead, upto) == 0)
        return;
    if (s->huge_asked > upto && s->huge_asked - upto > OS_HUGE_AHEAD / 2)
        return; /* far enough ahead still */
    /* past the region the record ends in and the small-record window (os_seg_prefault): pages already in the page
     * cache leave a region in 4 KiB folios */
    uint64_t from = (upto + OS_PREFAULT + OS_HUGE - 1) & ~(OS_HUGE - 1);
    if (s->huge_asked > from)
        from = s->huge_asked;
    uint64_t to = huge_reach(upto), size = s->size & ~(OS_HUGE - 1);
    if (to > size)
        to = size;
    if (to <= from || !os_pages_huge(ahead, s, from, to))
        return; /* nothing whole ahead, or the thread still on the last job: asked again at a later record */
    if (s->huge_asked != from)
        s->huge_lo = from; /* a new run: the one before (if any) lies behind the writer */
    s->huge_asked = to;
}

bool os_seg_by_pwrite(const os_seg *s, uint64_t rec_len)
{
    bool meets = meets_huge_run(s, s->end, s->end + rec_len);
    if (meets && !os_seg_bulk(s))
        return true; /* a copy would dirty a whole 2 MiB folio, which every sync from now on would write again */
    if (rec_len < OS_PWRITE_MIN)
        return false;
    /* a large record is copied where the 2 MiB folios were made (one fault per folio, no system call) */
    return !(meets && s->end >= s->huge_lo &&
             s->end + rec_len <= atomic_load_explicit(&s->huge_done, memory_order_acquire));
}

/* After small records were copied into the mapping: unmap the whole pages below the end, once there are
 * OS_UNMAP_BEHIND bytes of them, with one madvise(MADV_DONTNEED). A page the writer copied into stays mapped writable
 * and dirty in this process's page table, and writing it back (a background checkpoint's or compaction's msync and
 * fdatasync, the kernel's flusher) write-protects it again with one TLB shootdown per page: an inter-processor
 * interrupt to every CPU running this process, the writer's among them, which on this project's VMs costs
 * microseconds on both sides (a one-object overwrite ran ~2x slower while a compaction's syncs ran:
 * native-src/README.md, "Pages unmapped behind the writer"). Unmapped, the pages are still in the page cache and
 * dirty (nothing is lost or written sooner), write-back finds no mapping to write-protect, and the range costs one
 * flush. A reader that touches such a page later maps it again, read-only and clean: one minor fault per page at
 * most. Advisory: a failure leaves the pages mapped, as before. */
void os_seg_unmap_behind(os_seg *s, os_pages *ahead, size_t page)
{
    uint64_t to = s->end & ~(uint64_t)(page - 1);
    if (s->unmapped == 0) { /* a segment opened with data: readers may use its pages, start at the end */
        s->unmapped = to > page ? to : page;
        return;
    }
    if (meets_huge_run(s, s->unmapped, to)) { /* the range meets the run of 2 MiB folios: they stay */
        uint64_t skip = to < s->huge_asked ? to : s->huge_asked; /* mapped (write-back protects one with one flush) */
        if (s->huge_lo > s->unmapped && s->base != NULL && /* the pages before the run, however few */
            !os_pages_unmap(ahead, s->base, s->unmapped, s->huge_lo))
            (void)madvise(s->base + s->unmapped, s->huge_lo - s->unmapped, MADV_DONTNEED);
        s->unmapped = skip;
        return;
    }
    if (s->base == NULL || to <= s->unmapped || to - s->unmapped < OS_UNMAP_BEHIND)
        return;
    if (!os_pages_unmap(ahead, s->base, s->unmapped, to)) /* by the pages thread (pages.c), else here */
        (void)madvise(s->base + s->unmapped, to - s->unmapped, MADV_DONTNEED);
    s->unmapped = to;
}

/* Called when the log moves on to a new segment: make this one durable and give back its unused tail. */
int os_seg_finish(os_seg *s, size_t page, os_err *e)
{
    int rc = os_seg_sync(s, page, e);
    if (rc != OSTORE_OK)
        return rc;
    if (s->size > s->end) {
        if (ftruncate(s->fd, (off_t)s->end) != 0)
            return os_fail_errno(e, errno, "truncating segment", s->path);
        s->size = s->end;
    }
    uint64_t keep = page_up(s->end, page);
    if (s->base != NULL && keep < s->reserve) {
        munmap(s->base + keep, s->reserve - keep);
        s->reserve = keep;
    }
    return OSTORE_OK;
}

/* directory entries a segment of this reserve needs: one per page, and one past the last (its upper bound) */
static size_t pg_needed(const os_seg *s) { return (size_t)(s->reserve >> OS_RECPG_SHIFT) + 2; }

bool os_seg_rec_full(const os_seg *s) { return s->nrec == s->caprec || s->npg < pg_needed(s); }

int os_seg_rec_reserve(os_seg *s, size_t n)
{
    size_t np = pg_needed(s);
    if (s->npg < np) {
        uint32_t *pg = realloc(s->rec_pg, np * sizeof *pg);
        if (pg == NULL)
            return OSTORE_NO_MEMORY;
        memset(pg + s->npg, 0xff, (np - s->npg) * sizeof *pg); /* UINT32_MAX: no record starts there yet */
        s->rec_pg = pg;
        s->npg = np;
    }
    if (s->caprec - s->nrec >= n)
        return OSTORE_OK;
    size_t nc = s->caprec ? s->caprec : 64;
    while (nc - s->nrec < n)
        nc *= 2;
    /* both tables move together: caprec is the capacity of each, and their free (os_seg_close) sizes by it */
    uint8_t *st = os_big_alloc(nc);
    if (st == NULL)
        return OSTORE_NO_MEMORY;
    uint64_t *o = os_big_grow(s->rec_off, s->caprec * sizeof *o, nc * sizeof *o);
    if (o == NULL) {
        os_big_free(st, nc);
        return OSTORE_NO_MEMORY;
    }
    s->rec_off = o;
    if (s->nrec > 0)
        memcpy(st, s->rec_state, s->nrec);
    os_big_free(s->rec_state, s->caprec);
    s->rec_state = st;
    s->caprec = nc;
    return OSTORE_OK;
}

void os_seg_rec_clear(os_seg *s)
{
    s->nrec = 0;
    if (s->pg_filled > 0)
        memset(s->rec_pg, 0xff, s->pg_filled * sizeof *s->rec_pg);
    s->pg_filled = 0;
}

void os_seg_rec_push(os_seg *s, uint64_t off, uint64_t seq, uint8_t state)
{
    size_t i = s->nrec;
    if (i == 0)
        s->first_seq = seq;
    s->rec_off[i] = off;
    s->rec_state[i] = state;
    /* every page from the first unfilled one to the one holding off: this is their first record */
    uint64_t end = (off >> OS_RECPG_SHIFT) + 1;
    if (end > s->npg)
        end = s->npg; /* never for a record inside the reserve; os_seg_find_record stays within npg */
    if (i < UINT32_MAX)
        for (size_t p = s->pg_filled; p < end; p++)
            __atomic_store_n(&s->rec_pg[p], (uint32_t)i, __ATOMIC_RELAXED);
    if (end > s->pg_filled)
        s->pg_filled = (size_t)end;
    /* release: a reader's search (os_seg_find_record, acquire) may run during an ordinary publish */
    __atomic_store_n(&s->nrec, i + 1, __ATOMIC_RELEASE);
}

size_t os_seg_find_record(const os_seg *s, uint64_t off)
{
    size_t n = __atomic_load_n(&s->nrec, __ATOMIC_ACQUIRE);
    size_t lo = 0, hi = n; /* the first record starting after off is in [lo, hi], hi meaning none */
    uint64_t p = off >> OS_RECPG_SHIFT;
    if (p + 1 < s->npg && n < UINT32_MAX) {
        /* records before rec_pg[p] start before page p, so at or before off; records from rec_pg[p + 1] on
         * start after it. An entry not set (or set for a record this reader's n does not include) means no
         * record below n starts there: the clamp to n says the same. */
        size_t a = __atomic_load_n(&s->rec_pg[p], __ATOMIC_RELAXED);
        size_t b = __atomic_load_n(&s->rec_pg[p + 1], __ATOMIC_RELAXED);
        lo = a < n ? a : n;
        hi = b < n ? b : n;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->rec_off[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? SIZE_MAX : lo - 1;
}

const char *os_rec_verdict(const uint8_t *base, uint64_t at, uint64_t next, uint64_t seq, os_rech *h, char *buf,
                           size_t cap)
{
    if (next < at || next - at < OS_REC_MIN)
        return "record does not fit between its neighbours in the file";
    const uint8_t *r = base + at;
    const char *why = os_rec_head(r, next - at, h); /* either record version (FORMAT.md, "Record") */
    if (why != NULL)
        return why;
    if (h->total != next - at)
        return "record length does not match the record table";
    if (!os_rec_crc_ok(r, h))
        return "record CRC mismatch";
    if (h->seq != seq) {
        snprintf(buf, cap, "record sequence %llu, expected %llu", (unsigned long long)h->seq, (unsigned long long)seq);
        return buf;
    }
    return NULL;
}

int os_seg_check_record(os_seg *s, size_t i, uint64_t *bytes_out, struct os_rech *head_out, os_err *e)
{
    uint64_t at = s->rec_off[i];
    /* end before nrec (both acquire): the writer advances nrec (os_seg_rec_push) before end (release), so a
     * new end comes with the record that starts at the old one; an old end is right for either count */
    uint64_t end = __atomic_load_n(&s->end, __ATOMIC_ACQUIRE);
    uint64_t next = i + 1 < __atomic_load_n(&s->nrec, __ATOMIC_ACQUIRE) ? s->rec_off[i + 1] : end;
    uint64_t seq = s->first_seq + i;
    const char *why = NULL;
    char buf[120];
    os_rech h;
    if (bytes_out != NULL)
        *bytes_out = next > at ? next - at : 0;
    /* no s->size check: next <= s->end <= s->size always (FORMAT.md D2 at open), and the writer may grow
     * s->size concurrently with a reader here */
    if (s->base == NULL)
        why = "record does not fit between its neighbours in the file";
    else
        why = os_rec_verdict(s->base, at, next, seq, &h, buf, sizeof buf);
    __atomic_store_n(&s->rec_state[i], why == NULL ? OS_REC_OK : OS_REC_BAD, __ATOMIC_RELAXED);
    if (why == NULL) {
        if (head_out != NULL)
            *head_out = h;
        return OSTORE_OK;
    }
    return os_fail(e, OSTORE_CORRUPT, "%s: invalid record at offset %llu: %s", s->path, (unsigned long long)at, why);
}

void os_seg_close(os_seg *s)
{
    if (s == NULL)
        return;
    os_big_free(s->rec_off, s->caprec * sizeof *s->rec_off);
    os_big_free(s->rec_state, s->caprec);
    free(s->rec_pg);
    if (s->base != NULL)
        munmap(s->base, s->reserve);
    if (s->fd >= 0)
        close(s->fd);
    free(s->path);
    free(s);
}

int os_seg_unlink(os_seg *s) { return unlink(s->path) == 0 ? 0 : errno; }

int os_log_push(os_log *lg, os_seg *s)
{
    if (lg->n == lg->cap) {
        size_t nc = lg->cap ? lg->cap * 2 : 8;
        os_seg **ns = realloc(lg->segs, nc * sizeof *ns);
        if (ns == NULL)
            return OSTORE_NO_MEMORY;
        lg->segs = ns;
        lg->cap = nc;
    }
    lg->segs[lg->n++] = s;
    return OSTORE_OK;
}

void os_log_free(os_log *lg, bool unlink_files)
{
    for (size_t i = 0; i < lg->n; i++) {
        if (unlink_files)
            os_seg_unlink(lg->segs[i]);
        os_seg_close(lg->segs[i]);
    }
    free(lg->segs);
    lg->segs = NULL;
    lg->n = lg->cap = 0;
}
