/* The public API (include/ostore.h): open/close, locking, batches, reads, sync, stats, errors. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- errors ---- */

void os_store_error(ostore *s, const os_err *e)
{
    pthread_mutex_lock(&s->emu);
    size_t n = strnlen(e->msg, sizeof e->msg - 1);
    memcpy(s->err, e->msg, n);
    s->err[n] = '\0';
    s->err_len = n;
    pthread_mutex_unlock(&s->emu);
}

void os_store_error_msg(ostore *s, const char *msg)
{
    pthread_mutex_lock(&s->emu);
    size_t n = strnlen(msg, sizeof s->err - 1);
    memcpy(s->err, msg, n);
    s->err[n] = '\0';
    s->err_len = n;
    pthread_mutex_unlock(&s->emu);
}

size_t ostore_last_error(ostore *s, char *buf, size_t cap)
{
    if (s == NULL) {
        if (buf != NULL && cap > 0)
            buf[0] = '\0';
        return 0;
    }
    pthread_mutex_lock(&s->emu);
    size_t n = s->err_len;
    if (buf != NULL && cap > 0) {
        size_t c = n < cap - 1 ? n : cap - 1;
        memcpy(buf, s->err, c);
        buf[c] = '\0';
    }
    pthread_mutex_unlock(&s->emu);
    return n;
}

const char *ostore_status_name(int status)
{
    switch (status) {
    case OSTORE_OK: return "OSTORE_OK";
    case OSTORE_NOT_FOUND: return "OSTORE_NOT_FOUND";
    case OSTORE_CONFLICT: return "OSTORE_CONFLICT";
    case OSTORE_LOCKED: return "OSTORE_LOCKED";
    case OSTORE_CORRUPT: return "OSTORE_CORRUPT";
    case OSTORE_IO: return "OSTORE_IO";
    case OSTORE_INVALID_ARGUMENT: return "OSTORE_INVALID_ARGUMENT";
    case OSTORE_TOO_LARGE: return "OSTORE_TOO_LARGE";
    case OSTORE_NO_MEMORY: return "OSTORE_NO_MEMORY";
    case OSTORE_BUFFER_TOO_SMALL: return "OSTORE_BUFFER_TOO_SMALL";
    case OSTORE_NO_SPACE: return "OSTORE_NO_SPACE";
    case OSTORE_READ_ONLY: return "OSTORE_READ_ONLY";
    case OSTORE_EXISTS: return "OSTORE_EXISTS";
    case OSTORE_BUSY: return "OSTORE_BUSY";
    default: return "OSTORE_UNKNOWN";
    }
}

uint32_t ostore_format_version(void) { return OSTORE_FORMAT_VERSION; }

void ostore_options_init(ostore_options *opts)
{
    if (opts != NULL)
        memset(opts, 0, sizeof *opts);
}

/* ---- log appends ---- */

void os_rec_seal(uint8_t *rec, uint64_t payload_len, uint64_t seq, uint16_t type)
{
    wr64(rec + 8, payload_len);
    wr64(rec + 16, seq);
    wr16(rec + 24, type);
    memset(rec + 26, 0, 6);
    uint64_t padded = pad8(payload_len);
    if (padded > payload_len)
        memset(rec + OS_REC_HDR + payload_len, 0, padded - payload_len);
    wr32(rec + 4, os_crc32c(rec + 8, OS_REC_HDR - 8 + payload_len));
    wr32(rec, OS_REC_MAGIC);
}

/* header of a version-1 record whose payload is elsewhere (compatibility writer, os_rec_write_version 1) */
static void rec1_header(uint8_t *hdr, const uint8_t *payload, uint64_t payload_len, uint64_t seq, uint16_t type)
{
    wr64(hdr + 8, payload_len);
    wr64(hdr + 16, seq);
    wr16(hdr + 24, type);
    memset(hdr + 26, 0, 6);
    uint32_t c = os_crc32c_update(os_crc32c_begin(), hdr + 8, OS_REC_HDR - 8);
    c = os_crc32c_update(c, payload, payload_len);
    wr32(hdr + 4, os_crc32c_end(c));
    wr32(hdr, OS_REC_MAGIC);
}

/* Writing a record with pwritev instead of copying it into the MAP_SHARED mapping: on this VM the first
 * store into each fresh 4 KiB page of the mapping costs a read fault (the page-cache page is zero-filled
 * from the unwritten extent) plus page_mkwrite, about 100 ns per 170-byte entry of a bulk load; pwritev
 * copies into the page cache without either. The mapping still serves reads (Linux page cache is unified,
 * so it sees these bytes), and os_seg_sync's msync of the range writes them back like any dirty page.
 * The CRC is computed over the same bytes as os_rec_seal (header from offset 8, then the payload). */
int os_rec_pwrite(os_seg *g, const uint8_t *hdr, uint32_t hdr_len, const uint8_t *payload, uint64_t payload_len,
                  os_err *e)
{
    static const uint8_t zeros[8] = {0};
    uint64_t end = hdr_len + payload_len, padded = pad8(end);
    struct iovec iov[3] = {
        {(void *)hdr, hdr_len}, {(void *)payload, payload_len}, {(void *)zeros, padded - end}};
    int niov = padded > end ? 3 : 2;
    uint64_t total = padded, done = 0;
    struct iovec *v = iov;
    while (done < total) {
        ssize_t w = pwritev(g->fd, v, niov, (off_t)(g->end + done));
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            /* keep "bytes at or after seg->end are zero" (recovery's torn-tail rule relies on it) */
            memset(g->base + g->end, 0, done);
            return os_fail_errno(e, err, "writing to segment", g->path);
        }
        if (w == 0) {
            memset(g->base + g->end, 0, done);
            return os_fail(e, OSTORE_IO, "short write to segment %s", g->path);
        }
        done += (uint64_t)w;
        while (niov > 0 && (uint64_t)w >= v->iov_len) { /* skip what was written */
            w -= (ssize_t)v->iov_len;
            v++;
            niov--;
        }
        if (niov > 0) {
            v->iov_base = (uint8_t *)v->iov_base + w;
            v->iov_len -= (size_t)w;
        }
    }
    return OSTORE_OK;
}

int os_log_reserve(ostore *s, os_log *lg, uint64_t rec_len, os_seg **out, bool *files_changed, os_err *e)
{
    os_seg *g = lg->n ? lg->segs[lg->n - 1] : NULL;
    if (g == NULL || g->base == NULL || !g->writable || g->end > g->reserve || rec_len > g->reserve - g->end ||
        lg->roll) {
        uint64_t reserve = s->segment_size;
        if (rec_len > reserve - OS_SEG_HDR)
            reserve = OS_SEG_HDR + rec_len;
        if (g != NULL && g->writable && g->base != NULL) {
            os_pages_idle(&s->pages); /* no window of g being populated while it is finished */
            int rc = os_seg_finish(g, s->page, e);
            if (rc != OSTORE_OK)
                return rc;
        }
        os_seg *ng = os_spare_take(s, s->next_seg_id, reserve); /* renamed: no file created under the mutex */
        if (ng == NULL) {
            int rc = os_seg_create(s->dir, s->next_seg_id, reserve, s->page, &ng, e);
            if (rc != OSTORE_OK)
                return rc;
        }
        if (g != NULL)
            ng->sync_gap = g->sync_gap; /* a bulk writer stays one across the rollover (os_seg_bulk) */
        if (os_log_push(lg, ng) != OSTORE_OK) {
            os_seg_unlink(ng);
            os_seg_close(ng);
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory adding a segment");
        }
        s->next_seg_id++;
        lg->roll = false;
        g = ng;
        *files_changed = true;
        if (lg->n > 1)
            os_spare_request(s); /* a store that rolled over once will again: have the next one ready */
    } else if (g->end >= g->reserve / 2) {
        os_spare_request(s); /* two atomic loads once a spare is under way or ready */
    }
    if (g->end + rec_len > g->size) {
        int rc = os_seg_grow(g, g->end + rec_len, s->page, e);
        if (rc != OSTORE_OK)
            return rc;
        *files_changed = true;
    }
    /* room in the file for the 2 MiB regions a bulk writer asks for ahead (os_seg_huge_ahead asks only below the
     * file's size): without it each growth step's first regions came too late and stayed in 4 KiB folios. The space
     * is allocated ahead as growth steps allocate it (up to 64 MiB ahead), and a failure fails the write alike: a
     * write whose file operation failed is never acknowledged. */
    uint64_t room = os_seg_huge_size(g, &s->pages, g->end + rec_len);
    if (room > g->size) {
        int rc = os_seg_grow(g, room, s->page, e);
        if (rc != OSTORE_OK)
            return rc;
        *files_changed = true;
    }
    *out = g;
    return OSTORE_OK;
}

void os_store_refresh_file_stats(ostore *s)
{
    uint64_t lb = 0, fb = 0;
    for (size_t i = 0; i < s->log.n; i++) {
        const os_seg *g = s->log.segs[i];
        lb += g->end > OS_SEG_HDR ? g->end - OS_SEG_HDR : 0;
        fb += g->size;
    }
    atomic_store_explicit(&s->st_log_bytes, lb, memory_order_relaxed);
    atomic_store_explicit(&s->st_file_bytes, fb, memory_order_relaxed);
    atomic_store_explicit(&s->st_segments, s->log.n, memory_order_relaxed);
}

/* ---- open / close ---- */

static int take_lock(ostore *s, os_err *e)
{
    size_t dl = strlen(s->dir);
    char *path = malloc(dl + 8);
    if (path == NULL)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory");
    snprintf(path, dl + 8, "%s/LOCK", s->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && s->ro)
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int rc = os_fail_errno(e, errno, "opening lock file", path);
        free(path);
        return rc;
    }
    if (flock(fd, (s->ro ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        int err = errno;
        int rc;
        if (err == EWOULDBLOCK) {
            char pid[32] = {0};
            ssize_t r = pread(fd, pid, sizeof pid - 1, 0);
            if (r > 0 && pid[r - 1] == '\n')
                pid[r - 1] = '\0';
            rc = os_fail(e, OSTORE_LOCKED, "store directory %s is locked by %s%s (another process or open handle)",
                         s->dir, r > 0 ? "pid " : "a reader", r > 0 ? pid : "");
        } else {
            rc = os_fail_errno(e, err, "locking", path);
        }
        close(fd);
        free(path);
        return rc;
    }
    if (!s->ro) {
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
            /* the pid is only for messages; ignore */
        }
    }
    free(path);
    s->lock_fd = fd;
    return OSTORE_OK;
}

static void store_free(ostore *s)
{
    os_precheck_stop(s);
    os_pages_stop(&s->pages); /* before the segments it may be populating are closed */
    os_spare_stop(s);
    if (s->bg != NULL) {
        pthread_mutex_lock(&s->wmu);
        os_ckpt_bg_wait(s);
        pthread_mutex_unlock(&s->wmu);
    }
    os_index_free(s->idx);
    os_log_free(&s->log, false);
    os_scratch_free(&s->sc);
    free(s->dirty);
    os_big_free((void *)s->ckpt_pre, s->ckpt_pre_cap * sizeof *s->ckpt_pre);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    pthread_mutex_destroy(&s->wmu);
    pthread_mutex_destroy(&s->emu);
    os_readers_destroy(&s->rd);
    free(s->dir);
    free(s);
}

static void put_err(char *err, size_t cap, const char *msg)
{
    if (err != NULL && cap > 0)
        snprintf(err, cap, "%s", msg);
}

int ostore_open(const char *dir, const ostore_options *opts, ostore **out, char *err, size_t err_cap)
{
    os_err e = {0};
    put_err(err, err_cap, "");
    if (out == NULL || dir == NULL || dir[0] == '\0') {
        if (out != NULL)
            *out = NULL;
        put_err(err, err_cap, "ostore_open: dir and out must not be NULL or empty");
        return OSTORE_INVALID_ARGUMENT;
    }
    *out = NULL;
    ostore_options o;
    ostore_options_init(&o);
    if (opts != NULL)
        o = *opts;
    uint64_t segsz = o.segment_size ? o.segment_size : OSTORE_DEFAULT_SEGMENT_SIZE;
    uint64_t maxv = o.max_value_size ? o.max_value_size : OSTORE_DEFAULT_MAX_VALUE;
    if (segsz < OS_MIB || segsz > OS_MAX_RESERVE || maxv > OSTORE_HARD_MAX_VALUE || o.compact_garbage_percent > 100 ||
        (o.flags & ~(OSTORE_OPEN_READ_ONLY | OSTORE_OPEN_REPAIR)) != 0) {
        put_err(err, err_cap, "ostore_open: invalid options (segment_size 1 MiB..1 TiB, max_value_size <= 1 GiB, "
                              "compact_garbage_percent 0..100, known flags)");
        return OSTORE_INVALID_ARGUMENT;
    }
    ostore *s = calloc(1, sizeof *s);
    if (s == NULL) {
        put_err(err, err_cap, "out of memory");
        return OSTORE_NO_MEMORY;
    }
    s->lock_fd = -1;
    s->dir = strdup(dir);
    long pg = sysconf(_SC_PAGESIZE);
    s->page = pg > 0 ? (size_t)pg : 4096;
    segsz = (segsz + s->page - 1) & ~(uint64_t)(s->page - 1);
    s->segment_size = segsz;
    s->max_value = maxv;
    s->ckpt_interval = o.checkpoint_interval_bytes ? o.checkpoint_interval_bytes : OS_DEFAULT_CKPT_INTERVAL;
    s->ckpt_interval_auto = o.checkpoint_interval_bytes == 0;
    s->compact_percent = o.compact_garbage_percent ? o.compact_garbage_percent : OS_DEFAULT_COMPACT_PERCENT;
    s->ro = (o.flags & OSTORE_OPEN_READ_ONLY) != 0;
    s->repair = (o.flags & OSTORE_OPEN_REPAIR) != 0;
    const char *spare_env = getenv("OSTORE_SPARE"); /* "0": rollovers create their segment themselves (A/B) */
    s->spare_on = !s->ro && (spare_env == NULL || strcmp(spare_env, "0") != 0);
    const char *hints_env = getenv("OSTORE_VALUE_HINTS"); /* "0": reads do not prefetch by value hints (A/B) */
    if (hints_env != NULL && strcmp(hints_env, "0") == 0)
        os_value_hints = false;
    const char *shaped_env = getenv("OSTORE_SHAPED_READS"); /* "0": reads decode shaped objects' checkpoint bytes (A/B) */
    if (shaped_env != NULL && strcmp(shaped_env, "0") == 0)
        os_shaped_reads = false;
    int prc = os_readers_init(&s->rd);
    if (s->dir == NULL || prc != 0 || pthread_mutex_init(&s->wmu, NULL) != 0 || pthread_mutex_init(&s->emu, NULL) != 0) {
        free(s->dir);
        free(s);
        put_err(err, err_cap, "out of memory");
        return OSTORE_NO_MEMORY;
    }
    os_pages_init(&s->pages, !s->ro, s->page);
    int rc = OSTORE_OK;
    if (!s->ro && mkdir(dir, 0755) != 0 && errno != EEXIST)
        rc = os_fail_errno(&e, errno, "creating directory", dir);
    struct stat st;
    if (rc == OSTORE_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = os_fail(&e, OSTORE_IO, "%s is not a directory", dir);
    if (rc == OSTORE_OK)
        rc = take_lock(s, &e);
    if (rc == OSTORE_OK)
        rc = os_recover(s, &e);
    if (rc == OSTORE_OK && s->repair && !s->ro) /* the repaired log becomes the new durable point */
        rc = os_do_checkpoint(s, &e);
    if (rc != OSTORE_OK) {
        put_err(err, err_cap, e.msg);
        store_free(s);
        return rc;
    }
    if (!s->ro) { /* a left-over of an interrupted checkpoint, and spares a crash left (spare.c) */
        os_spare_remove_leftovers(dir);
        size_t dl = strlen(dir);
        char *tmp = malloc(dl + 32);
        if (tmp != NULL) {
            snprintf(tmp, dl + 32, "%s/index.ckpt.tmp", dir);
            unlink(tmp);
            free(tmp);
        }
    }
    os_precheck_start(s);
    *out = s;
    return OSTORE_OK;
}

int os_sync_log(ostore *s, os_log *lg, os_err *e)
{
    for (size_t i = lg->n; i > 0; i--) {
        int rc = os_seg_sync(lg->segs[i - 1], s->page, e);
        if (rc != OSTORE_OK)
            return rc;
    }
    return OSTORE_OK;
}

int os_do_checkpoint_full(ostore *s, bool full, os_err *e)
{
    os_ckpt_bg_wait(s); /* index.ckpt.tmp is the background thread's until it is done */
    int rc = os_sync_log(s, &s->log, e);
    if (rc == OSTORE_OK)
        rc = os_ckpt_write_now(s, full, e); /* a delta when one may be written (checkpoint.c) */
    if (rc == OSTORE_OK) {
        s->ckpt_current = true;
        s->bytes_since_ckpt = 0;
    }
    return rc;
}

int os_do_checkpoint(ostore *s, os_err *e) { return os_do_checkpoint_full(s, false, e); }

int ostore_close(ostore *s, char *err, size_t err_cap)
{
    put_err(err, err_cap, "");
    if (s == NULL)
        return OSTORE_OK;
    os_err e = {0};
    int rc = OSTORE_OK;
    if (!s->ro && s->log.n > 0) {
        pthread_mutex_lock(&s->wmu);
        os_ckpt_bg_finish(s);
        /* Deltas make an open load more than the index (each changed object once per delta, FORMAT.md "Delta
         * file"): a clean close merges them once they are a sixteenth of the base, so the next open loads
         * about one full checkpoint, as before deltas; otherwise it writes a delta when not current. */
        bool merge = s->ckpt_in_use && s->dlt_bytes > 0 && s->dlt_bytes >= s->ckpt_bytes / 16;
        rc = merge ? os_do_checkpoint_full(s, true, &e)
             : s->ckpt_current ? os_sync_log(s, &s->log, &e) : os_do_checkpoint(s, &e);
        if (rc == OSTORE_OK) { /* give back the unused, pre-allocated tail of the last segment */
            os_pages_idle(&s->pages); /* not while the pages thread populates or touches a window of that tail */
            os_seg *g = s->log.segs[s->log.n - 1];
            if (g->size > g->end && ftruncate(g->fd, (off_t)g->end) == 0)
                g->size = g->end;
        }
        pthread_mutex_unlock(&s->wmu);
    }
    if (rc != OSTORE_OK)
        put_err(err, err_cap, e.msg);
    store_free(s);
    return rc;
}

/* ---- writes ---- */

void (*os_publish_hook)(void);

/* A small batch's record is copied into the log's mapping, at the end of the last segment (unless the batch rolls the
 * log over): lines the writer has not touched (populated by the pages thread, which zeroes them). Their misses are
 * started before the batch is parsed, so that the copy and the CRC read after it do not wait for them, nor the
 * writer mutex's release (OS_SMALL_BATCH). A record is never longer than the batch it encodes. */
#define OS_SMALL_RECORD 512u
static inline void prefetch_record_lines(const os_log *lg, size_t batch_len)
{
    const os_seg *g = lg->n ? lg->segs[lg->n - 1] : NULL;
    if (g == NULL || g->base == NULL || g->end >= g->reserve)
        return;
    const uint8_t *at = g->base + g->end;
    for (size_t off = 0; off < batch_len + ((uintptr_t)at & 63u); off += 64)
        __builtin_prefetch(at + off, 1);
}

int ostore_write_batch(ostore *s, const void *batch, size_t batch_len, uint64_t *versions_out, size_t versions_cap,
                       ostore_batch_result *result)
{
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    if (result != NULL)
        memset(result, 0, sizeof *result);
    os_err e;
    int rc;
    uint32_t n = 0;
    if (atomic_load_explicit(&s->bg_turn, memory_order_relaxed) || pthread_mutex_trylock(&s->wmu) != 0) {
        /* a wait: timed (os_cmp_timing), the uncontended path reads no clock */
        uint64_t t0 = os_mono_ns();
        while (atomic_load_explicit(&s->bg_turn, memory_order_relaxed)) /* one compaction step goes first */
            sched_yield();
        pthread_mutex_lock(&s->wmu);
        os_timing_add(&s->wr_wait_ns, &s->wr_wait_max_ns, &s->wr_waits, os_mono_ns() - t0);
    }
    if (s->ro) {
        rc = os_fail(&e, OSTORE_READ_ONLY, "store %s is open read-only", s->dir);
        goto out;
    }
    const uint8_t *buf = batch;
    if (batch_len <= OS_SMALL_RECORD && os_small_batch_prefetch)
        prefetch_record_lines(&s->log, batch_len);
    s->sc.pf = s->idx;
    rc = os_batch_parse(buf, batch_len, s->max_value, false, &s->sc, &n, &e);
    s->sc.pf = NULL;
    if (rc != OSTORE_OK)
        goto out;
    if (versions_out != NULL && versions_cap < n) {
        rc = os_fail(&e, OSTORE_INVALID_ARGUMENT, "versions_cap %zu is less than the %u objects of the batch",
                     versions_cap, n);
        goto out;
    }
    os_index *ix = s->idx;
    os_bobj *bo = s->sc.objs;
    /* each object's value hint, which the publish writes, shares its home slot's line: the parse fetched it */
    bool small = n <= OS_SMALL_BATCH && os_small_batch_prefetch;
    rc = os_index_lookup_batch(ix, bo, n, &s->sc, &e);
    if (rc != OSTORE_OK)
        goto out;
    if (small)
        os_ckpt_prefetch(s, bo, n);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t want = bo[i].expected;
        if (want == OSTORE_ANY_VERSION)
            continue;
        const os_obj *o = bo[i].o;
        bool live = o != NULL && !o->tomb;
        uint64_t cur = live ? o->version : 0;
        if (want == OSTORE_ABSENT_VERSION ? live : (!live || cur != want)) {
            if (result != NULL) {
                result->conflict_object = i;
                result->conflict_version = cur;
            }
            rc = os_fail(&e, OSTORE_CONFLICT, "object %u: expected version %llu, current version %llu", i,
                         (unsigned long long)want, (unsigned long long)cur);
            goto out;
        }
    }
    rc = os_index_prepare(ix, s->sc.ops, bo, n, false, &s->sc.prep, &e);
    if (rc != OSTORE_OK)
        goto out;
    uint64_t seq = s->next_seq;
    /* the record is version 2 (FORMAT.md, "Record"): the batch re-encoded with varint headers, the class once
     * per run; version 1 (the buffer verbatim) only for the compatibility tests */
    bool v2 = os_rec_write_version != 1;
    uint64_t plen = v2 ? s->sc.v2len : batch_len;
    uint32_t hl = v2 ? os_rec2_hdr_len(plen, seq) : OS_REC_HDR;
    uint64_t rec_len = pad8(hl + plen);
    os_seg *g;
    bool changed = false;
    rc = os_log_reserve(s, &s->log, rec_len, &g, &changed, &e);
    if (rc != OSTORE_OK) {
        os_index_abort(ix, bo, n, &s->sc.prep);
        if (changed)
            os_store_refresh_file_stats(s);
        goto out;
    }
    if (os_seg_rec_full(g)) { /* the record table moves: not while a reader may be searching it */
        os_excl_begin(&s->rd);
        int grc = os_seg_rec_reserve(g, 1);
        os_excl_end(&s->rd);
        if (grc != OSTORE_OK) {
            os_index_abort(ix, bo, n, &s->sc.prep);
            if (changed)
                os_store_refresh_file_stats(s);
            rc = os_fail(&e, OSTORE_NO_MEMORY, "out of memory growing the record table of %s", g->path);
            goto out;
        }
    }
    uint8_t *rec = g->base + g->end;
    os_seg_huge_ahead(g, &s->pages, g->end + rec_len); /* in bulk: the log ahead in 2 MiB folios */
    if (os_seg_by_pwrite(g, rec_len)) {
        s->huge_pwrites += rec_len < OS_PWRITE_MIN;
        if (v2) {
            if (rec_len > s->sc.enccap) {
                uint8_t *nb = realloc(s->sc.enc, rec_len);
                if (nb == NULL)
                    rc = os_fail(&e, OSTORE_NO_MEMORY, "out of memory encoding a record of %llu bytes",
                                 (unsigned long long)rec_len);
                else {
                    s->sc.enc = nb;
                    s->sc.enccap = rec_len;
                }
            }
            if (rc == OSTORE_OK) {
                os_rec2_encode(s->sc.enc + hl, bo, n, s->sc.ops);
                os_rec2_seal(s->sc.enc, hl, plen, seq, OS_REC_BATCH);
                rc = os_rec_pwrite(g, s->sc.enc, hl, s->sc.enc + hl, plen, &e);
            }
        } else {
            uint8_t hdr[OS_REC_HDR];
            rec1_header(hdr, buf, batch_len, seq, OS_REC_BATCH);
            rc = os_rec_pwrite(g, hdr, OS_REC_HDR, buf, batch_len, &e);
        }
        if (rc != OSTORE_OK) {
            os_index_abort(ix, bo, n, &s->sc.prep);
            if (changed)
                os_store_refresh_file_stats(s);
            goto out;
        }
    } else { /* a copy into the mapping costs no syscall (see OS_PWRITE_MIN; a large one only into 2 MiB folios) */
        s->huge_copies += rec_len >= OS_PWRITE_MIN;
        if (rec_len < OS_PWRITE_MIN) {
            os_seg_unmap_behind(g, &s->pages, s->page); /* the pages written before: write-back then needs no shootdowns */
            os_seg_prefault(g, &s->pages, g->end + rec_len, s->page); /* enginewrite: fault pages in bulk, not per page */
        } else {
            os_seg_huge_prefault(g, &s->pages, g->end + rec_len); /* the next 2 MiB folio's first write, by the thread */
        }
        if (v2) {
            os_rec2_encode(rec + hl, bo, n, s->sc.ops);
            os_rec2_seal(rec, hl, plen, seq, OS_REC_BATCH);
        } else {
            memcpy(rec + OS_REC_HDR, buf, batch_len);
            os_rec_seal(rec, batch_len, seq, OS_REC_BATCH);
        }
    }
    os_ckpt_before_publish(s, bo, n); /* changed since the checkpoint point; pre-images for one in flight */
    /* Readers do not wait for an ordinary publish (each object is a seqlock, internal.h), nor does a background
     * checkpoint's thread (it reads objects under their sequence too: obj_copy_rd in checkpoint.c). Swapping a
     * table or adding a class still takes an exclusive section. */
    bool excl = s->sc.prep.structural;
    if (excl)
        os_excl_begin(&s->rd);
    /* names are compared in the caller's (cache-hot) buffer; the index points into the record in the mapping */
    os_index_publish(ix, s->sc.ops, rec + hl, g, g->end + hl, bo, n, false, &s->sc.prep);
    os_seg_rec_push(g, g->end, seq, OS_REC_OK);
    if (os_publish_hook != NULL)
        os_publish_hook();
    if (excl)
        os_excl_end(&s->rd);
    os_index_release(&s->sc.prep);
    /* entry arrays the publish replaced: at once after an exclusive section (its drain was the grace
     * period), else in groups after a grace period of their own */
    os_index_reclaim(ix, &s->rd, excl, 64);
    /* after the record's push, with release: readers checking a record (os_seg_check_record) may run now */
    __atomic_store_n(&g->end, g->end + rec_len, __ATOMIC_RELEASE);
    os_seg_kick(g, s->page);
    s->next_seq = seq + 1;
    s->ckpt_current = false;
    if (changed)
        os_store_refresh_file_stats(s);
    else
        os_writer_add(&s->st_log_bytes, rec_len);
    os_writer_add(&s->st_batches, 1);
    atomic_store_explicit(&s->st_last_seq, seq, memory_order_relaxed);
    if (versions_out != NULL)
        for (uint32_t i = 0; i < n; i++)
            versions_out[i] = bo[i].o->version;
    if (result != NULL)
        result->sequence = seq;
    s->bytes_since_ckpt += rec_len;
    s->bytes_since_compaction += rec_len;
    os_ckpt_bg_after_batch(s); /* automatic checkpoints, written by a background thread */
out:
    pthread_mutex_unlock(&s->wmu);
    if (rc != OSTORE_OK)
        os_store_error(s, &e);
    return rc;
}

int ostore_sync(ostore *s)
{
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    os_err e;
    pthread_mutex_lock(&s->wmu);
    int rc = s->ro ? OSTORE_OK : os_sync_log(s, &s->log, &e);
    if (rc == OSTORE_OK)
        atomic_fetch_add_explicit(&s->st_syncs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&s->wmu);
    if (rc != OSTORE_OK)
        os_store_error(s, &e);
    return rc;
}

/* A whole-store writer operation: under the writer mutex, refused on a read-only store. */
static int writer_op(ostore *s, int (*op)(ostore *, os_err *))
{
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    os_err e;
    pthread_mutex_lock(&s->wmu);
    int rc = s->ro ? os_fail(&e, OSTORE_READ_ONLY, "store %s is open read-only", s->dir) : op(s, &e);
    pthread_mutex_unlock(&s->wmu);
    if (rc != OSTORE_OK)
        os_store_error(s, &e);
    return rc;
}

int ostore_checkpoint(ostore *s) { return writer_op(s, os_do_checkpoint); }

int ostore_compact(ostore *s) { return writer_op(s, os_do_compact); }

/* ---- reads ---- */

/* FORMAT.md "Integrity" D4: the first read of a value since open checks the record that holds it */
static int check_value(os_seg *g, uint64_t off, uint32_t len, os_rec_memo *memo, os_err *e)
{
    if (memo != NULL && memo->seg == g && off >= memo->pstart && off <= memo->pend && len <= memo->pend - off)
        return OSTORE_OK;
    /* the value and (usually) its record's header are a line or two apart: start fetching them while the
     * record table is searched (both lie inside the mapping: off is past the segment header) */
    if (g->base != NULL && off >= OS_SEG_HDR) {
        __builtin_prefetch(g->base + off);
        __builtin_prefetch(g->base + off - OS_REC2_HDR_MAX - OS_OP_HDR);
    }
    size_t i = os_seg_find_record(g, off);
    if (i == SIZE_MAX)
        return os_fail(e, OSTORE_CORRUPT, "%s: no record holds the value at offset %llu", g->path,
                       (unsigned long long)off);
    uint64_t at = g->rec_off[i];
    os_rech h;
    if (__atomic_load_n(&g->rec_state[i], __ATOMIC_RELAXED) != OS_REC_OK) {
        /* checked now (a record found bad before is checked again, for the message): the check decodes the header */
        int rc = os_seg_check_record(g, i, NULL, &h, e);
        if (rc != OSTORE_OK)
            return rc;
    } else {
        /* checked before: its header decodes (either version). end before nrec, as in os_seg_check_record: a
         * publish may run meanwhile */
        uint64_t end = __atomic_load_n(&g->end, __ATOMIC_ACQUIRE);
        uint64_t next = i + 1 < __atomic_load_n(&g->nrec, __ATOMIC_ACQUIRE) ? g->rec_off[i + 1] : end;
        if (next <= at || os_rec_head(g->base + at, next - at, &h) != NULL)
            return os_fail(e, OSTORE_CORRUPT, "%s: invalid record header at offset %llu", g->path,
                           (unsigned long long)at);
    }
    uint64_t pstart = at + h.hdr_len, plen = h.payload_len;
    if (off < pstart || off > pstart + plen || len > pstart + plen - off)
        return os_fail(e, OSTORE_CORRUPT, "%s: the value at offset %llu (%u bytes) is not inside the record at offset %llu",
                       g->path, (unsigned long long)off, len, (unsigned long long)at);
    if (memo != NULL) {
        memo->seg = g;
        memo->pstart = pstart;
        memo->pend = pstart + plen;
    }
    return OSTORE_OK;
}

/* writer side, or a reader that holds no sequence (the object cannot change under it) */
int os_entry_check(os_entry *en, os_rec_memo *memo, os_err *e)
{
    int rc = check_value(en->seg, en->off, en->len, memo, e);
    if (rc == OSTORE_OK)
        __atomic_store_n(&en->checked, 1, __ATOMIC_RELAXED);
    return rc;
}

int os_eview_check(const os_obj *o, uint32_t q, os_eview *v, os_rec_memo *memo, os_err *e)
{
    int rc = check_value(v->seg, v->off, v->len, memo, e);
    if (rc != OSTORE_OK)
        return rc;
    if (v->lazy_i >= 0) { /* a lazy object's entries never change: its flag needs no undo (internal.h) */
        __atomic_fetch_or((uint16_t *)&o->lchecked, (uint16_t)(1u << v->lazy_i), __ATOMIC_RELAXED);
        v->checked = 1;
        return OSTORE_OK;
    }
    /* The entry may have changed since it was read (a publish does not wait for readers): set its flag, then
     * undo it unless o is still at sequence q. The sequence is read with a read-modify-write (adding 0),
     * ordered with the one publish does before moving an entry: either this one sees the moved sequence, or
     * the move comes after this flag store and overwrites it. An undone flag only costs another check. Only
     * the first read of an entry since open comes here. */
    __atomic_store_n(&v->at->checked, 1, __ATOMIC_RELAXED);
    if (__atomic_fetch_add((uint32_t *)&o->seq, 0u, __ATOMIC_SEQ_CST) != q)
        __atomic_store_n(&v->at->checked, 0, __ATOMIC_RELAXED);
    v->checked = 1;
    return OSTORE_OK;
}

static __attribute__((noinline, cold)) int bad_part(ostore *s, const void *p, size_t n, const char *what)
{
    char m[96];
    if (p == NULL || n == 0) {
        snprintf(m, sizeof m, "%s is empty or NULL", what);
        os_store_error_msg(s, m);
        return OSTORE_INVALID_ARGUMENT;
    }
    snprintf(m, sizeof m, "%s of %zu bytes is over %u bytes", what, n, OSTORE_MAX_KEY);
    os_store_error_msg(s, m);
    return OSTORE_TOO_LARGE;
}

/* inline: three of these run on every point read, the error path is out of line */
static inline int check_part(ostore *s, const void *p, size_t n, const char *what)
{
    if (__builtin_expect(p == NULL || n - 1 >= OSTORE_MAX_KEY, 0))
        return bad_part(s, p, n, what);
    return OSTORE_OK;
}

static inline int check_key(ostore *s, const void *c, size_t cl, const void *id, size_t il)
{
    int rc = check_part(s, c, cl, "class id");
    return rc != OSTORE_OK ? rc : check_part(s, id, il, "object id");
}

/* Reads of one object do not lock it: they copy what they need under the object's sequence and retry when
 * a publish changed it meanwhile (internal.h, "reading an object while the writer publishes"). Entry fields
 * are copied into an os_eview and checked against the sequence before any pointer in them is followed. */

int os_entries_check_rd(const os_obj *o, uint32_t q, uint32_t n, os_entry *ents, os_err *e)
{
    /* o lazy now: ents is its entries decoded (os_obj_ents_rd; an object never becomes lazy again), whose flags
     * live in o->lchecked */
    bool lazy = os_ents_lazy(OS_LD(o->ents));
    os_rec_memo memo = {0};
    for (uint32_t i = 0; i < n; i++)
        if (!OS_LD(ents[i].checked)) {
            os_eview v;
            os_eview_load(&v, &ents[i]);
            if (lazy)
                v.lazy_i = (int32_t)i;
            if (!os_obj_seq_ok(o, q))
                return -1;
            int rc = os_eview_check(o, q, &v, &memo, e);
            if (rc != OSTORE_OK)
                return rc;
        }
    return OSTORE_OK;
}

int ostore_get_object(ostore *s, const void *class_id, size_t class_len, const void *object_id, size_t id_len,
                      void *out, size_t out_cap, size_t *out_len, uint64_t *version)
{
    if (out_len != NULL)
        *out_len = 0;
    if (version != NULL)
        *version = 0;
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    int rc = check_key(s, class_id, class_len, object_id, id_len);
    if (rc != OSTORE_OK)
        return rc;
    uint64_t h = os_hash_key(class_id, class_len, object_id, id_len);
    const char *msg = NULL;
    os_err ce;
    uint32_t rdt = os_rd_enter(&s->rd);
    os_index_prefetch_values(s->idx, h);
    const os_obj *o = os_index_find(s->idx, h, class_id, class_len, object_id, id_len);
    for (;;) {
        rc = OSTORE_OK;
        msg = NULL;
        if (o == NULL) {
            rc = OSTORE_NOT_FOUND;
            msg = "object not found";
            break;
        }
        uint32_t q = os_obj_seq_begin(o);
        uint64_t ver = OS_LD(o->version);
        if (OS_LD(o->tomb)) {
            if (!os_obj_seq_ok(o, q))
                continue;
            if (version != NULL)
                *version = ver;
            rc = OSTORE_NOT_FOUND;
            msg = "object not found";
            break;
        }
        uint32_t n = OS_LD(o->n);
        os_entry *ents = OS_LD(o->ents);
        os_obj_prefetch_entries(o, ents);
        os_entry lbuf[OS_LAZY_MAX];
        ents = os_obj_ents_rd(o, n, ents, lbuf);
        int crc = os_entries_check_rd(o, q, n, ents, &ce);
        if (crc < 0)
            continue;
        if (crc != OSTORE_OK) {
            rc = crc;
            msg = ce.msg;
            break;
        }
        size_t need = 8;
        for (uint32_t i = 0; i < n; i++)
            need += 8 + (size_t)OS_LD(ents[i].name_len) + OS_LD(ents[i].len);
        if (!os_obj_seq_ok(o, q))
            continue;
        if (out_len != NULL)
            *out_len = need;
        if (version != NULL)
            *version = ver;
        if (need > out_cap || out == NULL) {
            rc = OSTORE_BUFFER_TOO_SMALL;
            msg = "output buffer too small for the object";
            break;
        }
        uint8_t *p = out;
        wr32(p, n);
        wr32(p + 4, 0);
        p += 8;
        uint32_t i = 0;
        for (; i < n; i++) {
            os_eview v;
            os_eview_load(&v, &ents[i]);
            if (!os_obj_seq_ok(o, q)) /* only now are v's pointers known to be one state's */
                break;
            wr16(p, v.name_len);
            wr16(p + 2, 0);
            wr32(p + 4, v.len);
            memcpy(p + 8, os_eview_name(&v), v.name_len);
            memcpy(p + 8 + v.name_len, v.seg->base + v.off, v.len);
            p += 8 + (size_t)v.name_len + v.len;
        }
        if (i == n && os_obj_seq_ok(o, q))
            break;
    }
    os_rd_exit(&s->rd, rdt);
    if (msg != NULL)
        os_store_error_msg(s, msg);
    return rc;
}

/* ostore_get_entry and ostore_get_entry_nowait: `wait` says whether to wait for an exclusive section */
static inline __attribute__((always_inline)) int get_entry(ostore *s, const void *class_id, size_t class_len,
                                                           const void *object_id, size_t id_len, const void *name,
                                                           size_t name_len, void *out, size_t out_cap,
                                                           size_t *out_len, uint64_t *version, bool wait)
{
    if (out_len != NULL)
        *out_len = 0;
    if (version != NULL)
        *version = 0;
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    int rc = check_key(s, class_id, class_len, object_id, id_len);
    if (rc == OSTORE_OK)
        rc = check_part(s, name, name_len, "entry name");
    if (rc != OSTORE_OK)
        return rc;
    uint64_t h = os_hash_key(class_id, class_len, object_id, id_len);
    const char *msg = NULL;
    os_err ce;
    uint32_t rdt;
    if (wait)
        rdt = os_rd_enter(&s->rd);
    else if (!os_rd_try_enter(&s->rd, &rdt))
        return OSTORE_BUSY;
    os_index_prefetch_values_upto(s->idx, h, OS_ENTRY_READ_HINT_LINES);
    const os_obj *o = os_index_find(s->idx, h, class_id, class_len, object_id, id_len);
    os_eview v;
    int f = 0;
    uint32_t q = 0;
    uint64_t ver = 0;
    if (o != NULL) {
        do {
            q = os_obj_seq_begin(o);
            ver = OS_LD(o->version);
            f = OS_LD(o->tomb) ? -2 : os_obj_find_entry_rd(o, q, name, name_len, &v);
        } while (f == -1 || !os_obj_seq_ok(o, q));
        if (version != NULL)
            *version = ver;
    }
    if (f <= 0) {
        rc = OSTORE_NOT_FOUND;
        msg = f == 0 && o != NULL ? "entry not found" : "object not found";
    } else {
        if (out_len != NULL)
            *out_len = v.len;
        if (v.len > out_cap || (out == NULL && v.len > 0)) {
            rc = OSTORE_BUFFER_TOO_SMALL;
            msg = "output buffer too small for the entry";
        } else if (!v.checked && (rc = os_eview_check(o, q, &v, NULL, &ce)) != OSTORE_OK) {
            msg = ce.msg;
        } else if (v.len > 0) {
            memcpy(out, v.seg->base + v.off, v.len); /* the log never changes under a value */
        }
    }
    os_rd_exit(&s->rd, rdt);
    if (msg != NULL)
        os_store_error_msg(s, msg);
    return rc;
}

int ostore_get_entry(ostore *s, const void *class_id, size_t class_len, const void *object_id, size_t id_len,
                     const void *name, size_t name_len, void *out, size_t out_cap, size_t *out_len, uint64_t *version)
{
    return get_entry(s, class_id, class_len, object_id, id_len, name, name_len, out, out_cap, out_len, version,
                     true);
}

int ostore_get_entry_nowait(ostore *s, const void *class_id, size_t class_len, const void *object_id,
                            size_t id_len, const void *name, size_t name_len, void *out, size_t out_cap,
                            size_t *out_len, uint64_t *version)
{
    return get_entry(s, class_id, class_len, object_id, id_len, name, name_len, out, out_cap, out_len, version,
                     false);
}

/* ostore_get_entries does its requests in groups of this many, one read section per group, in four passes
 * over the group: (1) check and hash each key, prefetch its home slot; (2) read the home slot, prefetch the
 * object's two lines; (3) look up the object and its entry under its sequence, prefetch the value's lines;
 * (4) copy. Each pass's misses are in flight together, where ostore_get_entry takes them one after the other.
 * 16: the slots of a group are still in L1 (16 lines) after its hashing, and a line fill buffer per miss of
 * a pass is about what one core keeps in flight. */
#define OS_GET_GROUP 16u

int ostore_get_entries(ostore *s, ostore_get_req *reqs, size_t n)
{
    if (s == NULL || (reqs == NULL && n > 0))
        return OSTORE_INVALID_ARGUMENT;
    char last[OS_ERR_CAP]; /* the message of the last request that failed, when not already the store's */
    bool have_last = false;
    os_err ce;
    for (size_t g0 = 0; g0 < n; g0 += OS_GET_GROUP) {
        uint32_t gn = (uint32_t)(n - g0 < OS_GET_GROUP ? n - g0 : OS_GET_GROUP);
        ostore_get_req *r = reqs + g0;
        uint64_t h[OS_GET_GROUP];
        const os_obj *o[OS_GET_GROUP];
        uint32_t q[OS_GET_GROUP];
        os_eview v[OS_GET_GROUP];
        const char *m[OS_GET_GROUP]; /* why request i failed (NULL: a bad argument, already the store's error) */
        for (uint32_t i = 0; i < gn; i++) {
            r[i].out_len = 0;
            r[i].version = 0;
            m[i] = NULL;
            int rc = check_key(s, r[i].class_id, r[i].class_len, r[i].object_id, r[i].id_len);
            if (rc == OSTORE_OK)
                rc = check_part(s, r[i].name, r[i].name_len, "entry name");
            r[i].status = rc;
            h[i] = rc == OSTORE_OK ? os_hash_key(r[i].class_id, r[i].class_len, r[i].object_id, r[i].id_len) : 0;
        }
        uint32_t rdt = os_rd_enter(&s->rd);
        const os_index *ix = s->idx; /* one index for the group: a swap is an exclusive section */
        for (uint32_t i = 0; i < gn; i++)
            if (r[i].status == OSTORE_OK) {
                __builtin_prefetch(os_slot(ix->slots, h[i] & ix->mask)); /* its value hint's line too */
            }
        for (uint32_t i = 0; i < gn; i++)
            if (r[i].status == OSTORE_OK) {
                os_index_prefetch_home(ix, h[i]);
                if (r[i].out == NULL && r[i].out_cap == 0) /* the whole object is read next: all its values */
                    os_index_prefetch_values(ix, h[i]);
            }
        for (uint32_t i = 0; i < gn; i++) {
            if (r[i].status != OSTORE_OK)
                continue;
            o[i] = os_index_find(ix, h[i], r[i].class_id, r[i].class_len, r[i].object_id, r[i].id_len);
            int f = 0;
            if (o[i] != NULL) {
                uint64_t ver;
                do {
                    q[i] = os_obj_seq_begin(o[i]);
                    ver = OS_LD(o[i]->version);
                    f = OS_LD(o[i]->tomb) ? -2 : os_obj_find_entry_rd(o[i], q[i], r[i].name, r[i].name_len, &v[i]);
                } while (f == -1 || !os_obj_seq_ok(o[i], q[i]));
                r[i].version = ver;
            }
            if (f <= 0) {
                r[i].status = OSTORE_NOT_FOUND;
                m[i] = f == 0 && o[i] != NULL ? "entry not found" : "object not found";
                continue;
            }
            /* after the sequence check: v[i] is one committed state, its segment mapped while we are inside */
            const uint8_t *val = v[i].seg->base + v[i].off;
            __builtin_prefetch(val);
            if (v[i].len > 0)
                __builtin_prefetch(val + v[i].len - 1);
        }
        for (uint32_t i = 0; i < gn; i++) {
            if (r[i].status != OSTORE_OK)
                continue;
            r[i].out_len = v[i].len;
            int rc = OSTORE_OK;
            if (v[i].len > r[i].out_cap || (r[i].out == NULL && v[i].len > 0)) {
                rc = OSTORE_BUFFER_TOO_SMALL;
                m[i] = "output buffer too small for the entry";
            } else if (!v[i].checked && (rc = os_eview_check(o[i], q[i], &v[i], NULL, &ce)) != OSTORE_OK) {
                m[i] = ce.msg; /* ce holds the last failure's: the last CORRUPT of the group is the one kept */
            } else if (v[i].len > 0) {
                memcpy(r[i].out, v[i].seg->base + v[i].off, v[i].len); /* the log never changes under a value */
            }
            r[i].status = rc;
        }
        os_rd_exit(&s->rd, rdt);
        for (uint32_t i = gn; i-- > 0;)
            if (r[i].status != OSTORE_OK) {
                have_last = m[i] != NULL;
                if (have_last)
                    snprintf(last, sizeof last, "%s", m[i]);
                break;
            }
    }
    if (have_last)
        os_store_error_msg(s, last);
    return OSTORE_OK;
}

/* Read transactions (ostore.h): a pin is a read section of s->rd held across calls. */
int ostore_read_begin(ostore *s, uint32_t *pin)
{
    if (s == NULL || pin == NULL)
        return OSTORE_INVALID_ARGUMENT;
    *pin = os_rd_enter(&s->rd);
    return OSTORE_OK;
}

int ostore_read_end(ostore *s, uint32_t pin)
{
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    os_rd_exit(&s->rd, pin);
    return OSTORE_OK;
}

int ostore_get_object_ref(ostore *s, const void *class_id, size_t class_len, const void *object_id, size_t id_len,
                          ostore_entry_ref *refs, size_t refs_cap, size_t *count, uint64_t *version)
{
    if (count != NULL)
        *count = 0;
    if (version != NULL)
        *version = 0;
    if (s == NULL || (refs == NULL && refs_cap > 0))
        return OSTORE_INVALID_ARGUMENT;
    int rc = check_key(s, class_id, class_len, object_id, id_len);
    if (rc != OSTORE_OK)
        return rc;
    uint64_t h = os_hash_key(class_id, class_len, object_id, id_len);
    os_err ce;
    /* the caller's pin is the read section: no lock here */
    os_index_prefetch_values(s->idx, h); /* the values' misses beside the slot's */
    const os_obj *o = os_index_find(s->idx, h, class_id, class_len, object_id, id_len);
    for (;;) {
        if (o == NULL) {
            os_store_error_msg(s, "object not found");
            return OSTORE_NOT_FOUND;
        }
        uint32_t q = os_obj_seq_begin(o);
        uint64_t ver = OS_LD(o->version);
        uint8_t tomb = OS_LD(o->tomb);
        uint32_t n = OS_LD(o->n);
        os_entry *ents = OS_LD(o->ents);
        os_obj_prefetch_entries(o, ents);
        os_entry lbuf[OS_LAZY_MAX];
        ents = os_obj_ents_rd(o, n, ents, lbuf);
        if (!os_obj_seq_ok(o, q))
            continue;
        if (tomb) {
            if (version != NULL)
                *version = ver;
            os_store_error_msg(s, "object not found");
            return OSTORE_NOT_FOUND;
        }
        if (count != NULL)
            *count = n;
        if (n > refs_cap) {
            os_store_error_msg(s, "more entries than refs_cap");
            return OSTORE_BUFFER_TOO_SMALL;
        }
        int crc = os_entries_check_rd(o, q, n, ents, &ce);
        if (crc < 0)
            continue;
        if (crc != OSTORE_OK) {
            if (count != NULL)
                *count = 0;
            os_store_error_msg(s, ce.msg);
            return crc;
        }
        uint32_t i = 0;
        for (; i < n; i++) {
            os_eview v;
            os_eview_load(&v, &ents[i]);
            if (!os_obj_seq_ok(o, q))
                break;
            const uint8_t *val = v.seg->base + v.off;
            const uint8_t *nm = (const uint8_t *)(uintptr_t)v.name_word;
            if (v.name_len <= OS_INLINE_NAME) {
                /* The entry (and its inline name) may be rewritten by a publish while the caller still reads
                 * the refs, the log may not: point at the name's copy in the record, where it precedes the
                 * value (FORMAT.md, "Operations"); D4 checked that the value lies inside its record. */
                nm = val - v.name_len;
                if (v.off < OS_REC_HDR + OS_OP_HDR + v.name_len || os_load_tail(nm, v.name_len) != v.name_word) {
                    if (count != NULL)
                        *count = 0;
                    os_store_error_msg(s, "an entry name is not where its record holds it");
                    return OSTORE_CORRUPT;
                }
            }
            refs[i].name = nm;
            refs[i].value = val;
            refs[i].name_len = v.name_len;
            refs[i].value_len = v.len;
        }
        if (i == n && os_obj_seq_ok(o, q)) {
            if (version != NULL)
                *version = ver;
            return OSTORE_OK;
        }
    }
}

int ostore_object_version(ostore *s, const void *class_id, size_t class_len, const void *object_id, size_t id_len,
                          uint64_t *version)
{
    if (version != NULL)
        *version = 0;
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    int rc = check_key(s, class_id, class_len, object_id, id_len);
    if (rc != OSTORE_OK)
        return rc;
    uint64_t h = os_hash_key(class_id, class_len, object_id, id_len);
    uint32_t rdt = os_rd_enter(&s->rd);
    const os_obj *o = os_index_find(s->idx, h, class_id, class_len, object_id, id_len);
    uint64_t ver = 0;
    bool tomb = true;
    if (o != NULL) {
        uint32_t q;
        do {
            q = os_obj_seq_begin(o);
            ver = OS_LD(o->version);
            tomb = OS_LD(o->tomb);
        } while (!os_obj_seq_ok(o, q));
    }
    if (version != NULL)
        *version = ver;
    rc = tomb ? OSTORE_NOT_FOUND : OSTORE_OK;
    os_rd_exit(&s->rd, rdt);
    if (rc != OSTORE_OK)
        os_store_error_msg(s, "object not found");
    return rc;
}

int ostore_list_ids(ostore *s, const void *class_id, size_t class_len, void *out, size_t out_cap, size_t *out_len,
                    uint64_t *count)
{
    if (out_len != NULL)
        *out_len = 0;
    if (count != NULL)
        *count = 0;
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    int rc = check_part(s, class_id, class_len, "class id");
    if (rc != OSTORE_OK)
        return rc;
    uint32_t rdt = os_rd_enter(&s->rd);
    const os_cls *c = os_index_find_class(s->idx, class_id, class_len);
    /* publishes run during this (objects are added, deleted, revived): the list is taken again when the
     * second pass does not find what the first one sized */
    size_t need;
    uint64_t cnt;
    for (;;) {
        need = 0;
        cnt = 0;
        uint32_t n = c != NULL ? OS_LD(c->n) : 0;
        for (uint32_t i = 0; i < n; i++)
            if (!OS_LD(c->objs[i]->tomb)) {
                need += 2 + (size_t)c->objs[i]->id_len;
                cnt++;
            }
        if (need > out_cap || (out == NULL && need > 0)) {
            rc = OSTORE_BUFFER_TOO_SMALL;
            break;
        }
        uint8_t *p = out;
        size_t left = need;
        uint64_t got = 0;
        bool fits = true;
        for (uint32_t i = 0; i < n && fits; i++) {
            const os_obj *o = c->objs[i];
            if (OS_LD(o->tomb))
                continue;
            fits = left >= 2 + (size_t)o->id_len;
            if (fits) {
                wr16(p, o->id_len);
                memcpy(p + 2, o->key, o->id_len);
                p += 2 + (size_t)o->id_len;
                left -= 2 + (size_t)o->id_len;
                got++;
            }
        }
        if (fits && got == cnt)
            break;
    }
    if (out_len != NULL)
        *out_len = need;
    if (count != NULL)
        *count = cnt;
    os_rd_exit(&s->rd, rdt);
    if (rc != OSTORE_OK)
        os_store_error_msg(s, "output buffer too small for the id list");
    return rc;
}

int ostore_list_ids_page(ostore *s, const void *class_id, size_t class_len, const void *prefix, size_t prefix_len,
                         const void *after, size_t after_len, uint32_t limit, uint64_t now, uint32_t flags, void *out,
                         size_t out_cap, size_t *out_len, uint32_t *count, void *next, size_t next_cap,
                         size_t *next_len)
{
    if (out_len == NULL || count == NULL || next_len == NULL)
        return OSTORE_INVALID_ARGUMENT;
    *out_len = 0;
    *count = 0;
    *next_len = 0;
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    int rc = check_part(s, class_id, class_len, "class id");
    if (rc != OSTORE_OK)
        return rc;
    const char *bad = NULL;
    if (limit == 0)
        bad = "limit must be at least 1";
    else if (out == NULL || out_cap < 2 + (size_t)OSTORE_MAX_KEY)
        bad = "the id buffer must hold at least 2 + OSTORE_MAX_KEY bytes";
    else if (next == NULL || next_cap < OSTORE_MAX_KEY)
        bad = "the cursor buffer must hold at least OSTORE_MAX_KEY bytes";
    else if (prefix_len > 0 && prefix == NULL)
        bad = "prefix is NULL";
    else if ((flags & ~OSTORE_LIST_EXPIRED) != 0)
        bad = "unknown flags";
    if (bad != NULL) {
        os_store_error_msg(s, bad);
        return OSTORE_INVALID_ARGUMENT;
    }
    if (after_len > 0 && (rc = check_part(s, after, after_len, "cursor id")) != OSTORE_OK)
        return rc;
    bool want_expired = (flags & OSTORE_LIST_EXPIRED) != 0;
    const char *msg = NULL;
    os_err ce;
    uint32_t rdt = os_rd_enter(&s->rd);
    const os_cls *c = os_index_find_class(s->idx, class_id, class_len);
    uint32_t pos = 0;
    if (c != NULL && after_len > 0) {
        uint64_t h = os_hash_key(class_id, class_len, after, after_len);
        const os_obj *a = os_index_find(s->idx, h, class_id, class_len, after, after_len);
        if (a == NULL) {
            rc = OSTORE_NOT_FOUND;
            msg = "the cursor is not the id of an object of this class";
        } else {
            pos = os_cls_pos_after(c, a);
        }
    } else if (c == NULL && after_len > 0) {
        rc = OSTORE_NOT_FOUND;
        msg = "the cursor is not the id of an object of this class";
    }
    if (c != NULL && rc == OSTORE_OK) {
        uint8_t *p = out;
        size_t left = out_cap;
        uint32_t n = 0, examined = 0;
        const os_obj *last = NULL;
        uint32_t cn = OS_LD(c->n); /* publishes may append meanwhile */
        uint8_t has_exp = OS_LD(c->has_exp);
        /* want_expired without a clock lists nothing: no object is expired at "no time" */
        if (want_expired && (now == 0 || !has_exp))
            pos = cn;
        while (pos < cn && n < limit && examined < OSTORE_SCAN_STEP && left >= 2 + (size_t)OSTORE_MAX_KEY) {
            const os_obj *o = c->objs[pos++];
            examined++;
            last = o;
            if (OS_LD(o->tomb) || o->id_len < prefix_len)
                continue;
            const uint8_t *id = o->key;
            if (prefix_len > 0 && memcmp(id, prefix, prefix_len) != 0)
                continue;
            bool expired = false;
            if (now != 0 && has_exp && (rc = os_obj_expired(o, now, &expired, &ce)) != OSTORE_OK) {
                msg = ce.msg;
                break;
            }
            if (expired != want_expired)
                continue;
            wr16(p, o->id_len);
            memcpy(p + 2, id, o->id_len);
            p += 2 + (size_t)o->id_len;
            left -= 2 + (size_t)o->id_len;
            n++;
        }
        if (rc == OSTORE_OK) {
            *out_len = out_cap - left;
            *count = n;
            if (pos < cn && last != NULL) {
                memcpy(next, last->key, last->id_len);
                *next_len = last->id_len;
            }
        }
    }
    os_rd_exit(&s->rd, rdt);
    if (msg != NULL)
        os_store_error_msg(s, msg);
    return rc;
}

int ostore_count(ostore *s, const void *class_id, size_t class_len, uint64_t now, uint64_t *count)
{
    if (count == NULL)
        return OSTORE_INVALID_ARGUMENT;
    *count = 0;
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    int rc = check_part(s, class_id, class_len, "class id");
    if (rc != OSTORE_OK)
        return rc;
    os_err ce;
    const char *msg = NULL;
    uint32_t rdt = os_rd_enter(&s->rd);
    const os_cls *c = os_index_find_class(s->idx, class_id, class_len);
    if (c != NULL) {
        uint64_t n = __atomic_load_n(&c->live, __ATOMIC_RELAXED);
        if (now != 0 && OS_LD(c->has_exp)) {
            uint32_t cn = OS_LD(c->n);
            for (uint32_t i = 0; i < cn; i++) {
                bool expired;
                if ((rc = os_obj_expired(c->objs[i], now, &expired, &ce)) != OSTORE_OK) {
                    msg = ce.msg;
                    break;
                }
                n -= expired && n > 0 ? 1 : 0; /* live may have moved since it was read (publishes run) */
            }
        }
        if (rc == OSTORE_OK)
            *count = n;
    }
    os_rd_exit(&s->rd, rdt);
    if (msg != NULL)
        os_store_error_msg(s, msg);
    return rc;
}

int ostore_stats_get(ostore *s, ostore_stats *st)
{
    if (s == NULL || st == NULL)
        return OSTORE_INVALID_ARGUMENT;
    memset(st, 0, sizeof *st);
    uint64_t state;
    uint32_t rdt = os_rd_enter(&s->rd);
    st->live_bytes = s->idx->live_bytes;
    st->objects = s->idx->live_objects;
    st->entries = s->idx->live_entries;
    state = s->idx->state_bytes;
    os_rd_exit(&s->rd, rdt);
    st->log_bytes = atomic_load_explicit(&s->st_log_bytes, memory_order_relaxed);
    st->file_bytes = atomic_load_explicit(&s->st_file_bytes, memory_order_relaxed);
    st->garbage_bytes = st->log_bytes > state ? st->log_bytes - state : 0;
    st->batches = atomic_load_explicit(&s->st_batches, memory_order_relaxed);
    st->syncs = atomic_load_explicit(&s->st_syncs, memory_order_relaxed);
    st->segments = atomic_load_explicit(&s->st_segments, memory_order_relaxed);
    st->compactions = atomic_load_explicit(&s->st_compactions, memory_order_relaxed);
    st->last_sequence = atomic_load_explicit(&s->st_last_seq, memory_order_relaxed);
    st->repair_records_dropped = s->repair_records;
    st->repair_bytes_dropped = s->repair_bytes;
    st->repair_objects_lost = s->repair_objects;
    st->torn_tail_bytes = s->torn_bytes;
    return OSTORE_OK;
}

int ostore_verify(ostore *s, ostore_verify_report *report)
{
    if (report != NULL)
        memset(report, 0, sizeof *report);
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    ostore_verify_report r;
    memset(&r, 0, sizeof r);
    os_err first = {0};
    /* the writer mutex keeps the log and the record tables still; readers go on */
    pthread_mutex_lock(&s->wmu);
    uint64_t prev_last = 0;
    bool have_prev = false;
    for (size_t k = 0; k < s->log.n; k++) {
        os_seg *g = s->log.segs[k];
        if (g->nrec > 0 && have_prev && g->first_seq != prev_last + 1) {
            if (r.problems++ == 0) {
                os_fail(&first, OSTORE_CORRUPT, "%s: the record at offset %u has sequence %llu, expected %llu (records are "
                        "missing between segments)", g->path, OS_SEG_HDR, (unsigned long long)g->first_seq,
                        (unsigned long long)(prev_last + 1));
                r.first_bad_segment = g->id;
                r.first_bad_offset = OS_SEG_HDR;
            }
        }
        for (size_t i = 0; i < g->nrec; i++) {
            uint64_t bytes;
            os_err re;
            int rc = os_seg_check_record(g, i, &bytes, NULL, &re);
            r.records++;
            r.bytes += bytes;
            if (rc != OSTORE_OK && r.problems++ == 0) {
                first = re;
                r.first_bad_segment = g->id;
                r.first_bad_offset = g->rec_off[i];
            }
        }
        if (g->nrec > 0) {
            prev_last = g->first_seq + g->nrec - 1;
            have_prev = true;
        }
    }
    pthread_mutex_unlock(&s->wmu);
    if (report != NULL)
        *report = r;
    if (r.problems == 0)
        return OSTORE_OK;
    size_t n = strnlen(first.msg, sizeof first.msg);
    snprintf(first.msg + n, sizeof first.msg - n, " (%llu problems in %llu records)", (unsigned long long)r.problems,
             (unsigned long long)r.records);
    os_store_error(s, &first);
    return OSTORE_CORRUPT;
}
