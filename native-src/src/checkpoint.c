/* Index checkpoint file (FORMAT.md, "Checkpoint file"): writing and fully validated loading. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char CKPT_MAGIC[8] = {'O', 'S', 'T', 'O', 'R', 'C', 'K', 'P'};
#define WBUF (1u << 20)

typedef struct ckw {
    int fd;
    uint8_t *buf;
    size_t n;
    uint32_t crc;
    uint64_t body;
    const char *path;
    os_err *e;
    int rc;
    uint64_t written, kicked; /* file bytes written by ckw_* / write-back started up to (see ckw_wrote) */
} ckw;

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Start write-back of what was written so far every OS_KICK bytes (no wait), so that the fsync at the
 * end mostly waits for I/O already in flight rather than writing the whole file then (os_seg_kick). */
static void ckw_wrote(ckw *w, size_t n)
{
    w->written += n;
    if (w->written - w->kicked >= OS_KICK) {
        (void)sync_file_range(w->fd, (off64_t)w->kicked, (off64_t)(w->written - w->kicked), SYNC_FILE_RANGE_WRITE);
        w->kicked = w->written;
    }
}

/* The CRC is computed over whole buffers at flush (one call per MiB instead of several per object). */
static void ckw_flush(ckw *w)
{
    if (w->rc != OSTORE_OK || w->n == 0)
        return;
    w->crc = os_crc32c_update(w->crc, w->buf, w->n);
    int err = write_all(w->fd, w->buf, w->n);
    if (err != 0)
        w->rc = os_fail_errno(w->e, err, "writing checkpoint", w->path);
    else
        ckw_wrote(w, w->n);
    w->n = 0;
}

static void ckw_put(ckw *w, const void *p, size_t len)
{
    if (w->rc != OSTORE_OK)
        return;
    w->body += len;
    if (len > WBUF - w->n)
        ckw_flush(w);
    if (len >= WBUF) {
        w->crc = os_crc32c_update(w->crc, p, len);
        int err = write_all(w->fd, p, len);
        if (err != 0 && w->rc == OSTORE_OK)
            w->rc = os_fail_errno(w->e, err, "writing checkpoint", w->path);
        else if (err == 0)
            ckw_wrote(w, len);
        return;
    }
    memcpy(w->buf + w->n, p, len);
    w->n += len;
}

static const uint8_t ZEROS[8];

int os_ckpt_write(ostore *s, const os_index *ix, const os_log *lg, uint64_t last_seq, os_err *e)
{
    if (lg->n == 0)
        return os_fail(e, OSTORE_IO, "internal: checkpoint of an empty log");
    size_t dl = strlen(s->dir);
    char *tmp = malloc(dl + 32), *fin = malloc(dl + 32);
    uint8_t *buf = malloc(WBUF);
    if (tmp == NULL || fin == NULL || buf == NULL) {
        free(tmp);
        free(fin);
        free(buf);
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory writing a checkpoint");
    }
    snprintf(tmp, dl + 32, "%s/index.ckpt.tmp", s->dir);
    snprintf(fin, dl + 32, "%s/index.ckpt", s->dir);
    ckw w = {.fd = -1, .buf = buf, .crc = os_crc32c_begin(), .path = tmp, .e = e, .rc = OSTORE_OK};
    w.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w.fd < 0) {
        w.rc = os_fail_errno(e, errno, "creating checkpoint", tmp);
        goto out;
    }
    const os_seg *last = lg->segs[lg->n - 1];
    uint8_t h[OS_CKPT_HDR];
    memset(h, 0, sizeof h);
    memcpy(h, CKPT_MAGIC, 8);
    wr32(h + 8, OS_FORMAT_VERSION);
    wr64(h + 16, lg->segs[0]->id);
    wr64(h + 24, last->id);
    wr64(h + 32, last->end);
    wr64(h + 40, last_seq);
    wr64(h + 48, ix->nobj);
    wr32(h + 60, os_crc32c(h, 60));
    int err = write_all(w.fd, h, sizeof h);
    if (err != 0) {
        w.rc = os_fail_errno(e, err, "writing checkpoint", tmp);
        goto out;
    }
    enum { AHEAD = 8 }; /* keys and entry names are in the log: start those misses some objects ahead */
    for (uint32_t i = 0; i < ix->nobj && w.rc == OSTORE_OK; i++) {
        const os_obj *o = os_obj_at(ix, i);
        if (i + AHEAD < ix->nobj) {
            const os_obj *a = os_obj_at(ix, i + AHEAD);
            __builtin_prefetch(a->key);
            if (a->n > 0 && a->ents[0].name_len > OS_INLINE_NAME)
                __builtin_prefetch(a->ents[0].name.ptr);
        }
        uint8_t oh[OS_CKPT_OBJ];
        wr16(oh, o->class_len);
        wr16(oh + 2, o->id_len);
        wr32(oh + 4, o->n);
        wr64(oh + 8, o->version);
        wr32(oh + 16, o->tomb ? 1u : 0u);
        wr32(oh + 20, 0);
        ckw_put(&w, oh, sizeof oh);
        size_t kl = (size_t)o->class_len + o->id_len;
        ckw_put(&w, o->key, kl);
        ckw_put(&w, ZEROS, pad8(kl) - kl);
        for (uint32_t j = 0; j < o->n; j++) {
            const os_entry *en = &o->ents[j];
            uint8_t eh[OS_CKPT_ENT];
            wr64(eh, en->seg->id);
            wr64(eh + 8, en->off);
            wr32(eh + 16, en->len);
            wr16(eh + 20, en->name_len);
            wr16(eh + 22, 0);
            ckw_put(&w, eh, sizeof eh);
            ckw_put(&w, os_entry_name(en), en->name_len);
            ckw_put(&w, ZEROS, pad8(en->name_len) - en->name_len);
        }
    }
    ckw_flush(&w);
    if (w.rc != OSTORE_OK)
        goto out;
    uint8_t t[OS_CKPT_TRAILER];
    wr64(t, w.body);
    wr32(t + 8, os_crc32c_end(w.crc));
    wr32(t + 12, 0);
    err = write_all(w.fd, t, sizeof t);
    if (err != 0) {
        w.rc = os_fail_errno(e, err, "writing checkpoint", tmp);
        goto out;
    }
    if (fsync(w.fd) != 0) {
        w.rc = os_fail_errno(e, errno, "fsync of checkpoint", tmp);
        goto out;
    }
    close(w.fd);
    w.fd = -1;
    if (rename(tmp, fin) != 0) {
        w.rc = os_fail_errno(e, errno, "renaming checkpoint", tmp);
        goto out;
    }
    w.rc = os_fsync_dir(s->dir, e);
    if (w.rc == OSTORE_OK)
        s->ckpt_bytes = OS_CKPT_HDR + w.body + OS_CKPT_TRAILER;
out:
    if (w.fd >= 0) {
        close(w.fd);
        unlink(tmp);
    }
    free(tmp);
    free(fin);
    free(buf);
    return w.rc;
}

int os_read_file(const char *path, uint8_t **out, size_t *len, os_err *e)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return os_fail_errno(e, errno, "opening", path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int rc = os_fail_errno(e, errno, "stat of", path);
        close(fd);
        return rc;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *b = malloc(n ? n : 1);
    if (b == NULL) {
        close(fd);
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory reading %s (%zu bytes)", path, n);
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *out = b;
    *len = got;
    return OSTORE_OK;
}

static os_seg *find_seg(const os_log *lg, uint64_t id)
{
    size_t lo = 0, hi = lg->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lg->segs[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lg->n && lg->segs[lo]->id == id ? lg->segs[lo] : NULL;
}

/* Loads a checkpoint held in buf (which becomes owned by ix on success or failure) into the empty index ix.
 * Any inconsistency gives OSTORE_CORRUPT with the reason; the caller then replays the whole log. */
int os_ckpt_load(ostore *s, const uint8_t *buf, size_t len, os_index *ix, uint64_t *first_seg, uint64_t *log_seg,
                 uint64_t *log_off, uint64_t *last_seq, os_err *e)
{
    const os_log *lg = &s->log;
    if (len < OS_CKPT_HDR + OS_CKPT_TRAILER)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint is %zu bytes, shorter than header and trailer", len);
    if (memcmp(buf, CKPT_MAGIC, 8) != 0 || rd32(buf + 8) != OS_FORMAT_VERSION || rd32(buf + 12) != 0 ||
        rd32(buf + 56) != 0 || rd32(buf + 60) != os_crc32c(buf, 60))
        return os_fail(e, OSTORE_CORRUPT, "checkpoint header invalid (magic, version or CRC)");
    uint64_t fs = rd64(buf + 16), ls = rd64(buf + 24), lo = rd64(buf + 32), seq = rd64(buf + 40);
    uint64_t count = rd64(buf + 48);
    const uint8_t *t = buf + len - OS_CKPT_TRAILER;
    uint64_t body_len = len - OS_CKPT_HDR - OS_CKPT_TRAILER;
    if (rd64(t) != body_len || rd32(t + 12) != 0)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint trailer: body length %llu, file has %llu",
                       (unsigned long long)rd64(t), (unsigned long long)body_len);
    if (rd32(t + 8) != os_crc32c(buf + OS_CKPT_HDR, body_len))
        return os_fail(e, OSTORE_CORRUPT, "checkpoint body CRC mismatch");
    if (count > body_len / OS_CKPT_OBJ)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint object count %llu does not fit its body",
                       (unsigned long long)count);
    if (fs > ls)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint first segment after log segment");
    os_seg *lseg = find_seg(lg, ls);
    if (lseg == NULL || !lseg->header_ok || lo < OS_SEG_HDR || lo % 8 != 0 || lo > lseg->size)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint log position (segment %llu, offset %llu) is not in the log",
                       (unsigned long long)ls, (unsigned long long)lo);
    for (size_t i = 0; i < lg->n; i++) {
        const os_seg *g = lg->segs[i];
        if (g->id >= fs && g->id <= ls && !g->header_ok)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint covers segment %s whose header is invalid", g->path);
    }
    const uint8_t *p = buf + OS_CKPT_HDR, *end = buf + OS_CKPT_HDR + body_len;
    for (uint64_t i = 0; i < count; i++) {
        size_t at = (size_t)(p - buf);
        if ((size_t)(end - p) < OS_CKPT_OBJ)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu truncated at offset %zu", (unsigned long long)i, at);
        uint16_t cl = rd16(p), il = rd16(p + 2);
        uint32_t ne = rd32(p + 4), flags = rd32(p + 16);
        uint64_t ver = rd64(p + 8);
        if (cl == 0 || il == 0 || cl > OSTORE_MAX_KEY || il > OSTORE_MAX_KEY || (flags & ~1u) != 0 ||
            rd32(p + 20) != 0 || ver == 0 || ver == OSTORE_ANY_VERSION || ((flags & 1u) && ne != 0))
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu at offset %zu has invalid fields",
                           (unsigned long long)i, at);
        uint64_t kb = pad8((uint64_t)cl + il);
        if ((uint64_t)(end - p) - OS_CKPT_OBJ < kb)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu key past the end", (unsigned long long)i);
        const uint8_t *key = p + OS_CKPT_OBJ;
        p += OS_CKPT_OBJ + kb;
        if (ne > (uint64_t)(end - p) / OS_CKPT_ENT)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu entry count %u does not fit",
                           (unsigned long long)i, ne);
        os_obj *o;
        int rc = os_index_load_object(ix, key, cl, il, ver, (flags & 1u) != 0, ne, &o);
        if (rc == OSTORE_NO_MEMORY)
            return os_fail(e, rc, "out of memory loading the checkpoint");
        if (rc != OSTORE_OK)
            return os_fail(e, OSTORE_CORRUPT, "checkpoint object %llu at offset %zu is a duplicate",
                           (unsigned long long)i, at);
        for (uint32_t j = 0; j < ne; j++) {
            size_t eat = (size_t)(p - buf);
            if ((size_t)(end - p) < OS_CKPT_ENT)
                return os_fail(e, OSTORE_CORRUPT, "checkpoint entry truncated at offset %zu", eat);
            uint64_t sid = rd64(p), off = rd64(p + 8);
            uint32_t vl = rd32(p + 16);
            uint16_t nl = rd16(p + 20);
            if (nl == 0 || nl > OSTORE_MAX_KEY || rd16(p + 22) != 0 || vl > OSTORE_HARD_MAX_VALUE ||
                pad8(nl) > (uint64_t)(end - p) - OS_CKPT_ENT)
                return os_fail(e, OSTORE_CORRUPT, "checkpoint entry at offset %zu has invalid fields", eat);
            os_seg *g = (sid >= fs && sid <= ls) ? find_seg(lg, sid) : NULL;
            uint64_t limit = g == NULL ? 0 : sid == ls ? lo : g->size;
            if (g == NULL || g->base == NULL || off < OS_SEG_HDR + OS_REC_HDR || off > limit || vl > limit - off)
                return os_fail(e, OSTORE_CORRUPT,
                               "checkpoint entry at offset %zu points outside the log (segment %llu, offset %llu, %u bytes)",
                               eat, (unsigned long long)sid, (unsigned long long)off, vl);
            rc = os_index_load_entry(ix, o, p + OS_CKPT_ENT, nl, g, off, vl);
            if (rc != OSTORE_OK)
                return os_fail(e, OSTORE_CORRUPT, "checkpoint entry at offset %zu is a duplicate name", eat);
            p += OS_CKPT_ENT + pad8(nl);
        }
    }
    if (p != end)
        return os_fail(e, OSTORE_CORRUPT, "checkpoint body has %zu bytes after the last object", (size_t)(end - p));
    s->ckpt_bytes = len;
    *first_seg = fs;
    *log_seg = ls;
    *log_off = lo;
    *last_seq = seq;
    return OSTORE_OK;
}
