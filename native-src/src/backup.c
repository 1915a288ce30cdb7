/* Online backup: a consistent copy of the store in another directory while writers go on (FORMAT.md,
 * "Backup"). The writer lock is held only to pin the segments' lengths and descriptors; the copy runs
 * outside it, from duplicated descriptors, so a compaction that unlinks a segment mid-copy or a checkpoint
 * that replaces index.ckpt cannot change what is copied. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_BUF (1u << 20)

typedef struct pin {
    uint64_t id;
    int fd;
    uint64_t len;
} pin;

/* creates dest (parent must exist) or accepts it when it is an empty directory; *created tells which */
static int dest_prepare(const char *dest, bool *created, os_err *e)
{
    *created = false;
    if (mkdir(dest, 0755) == 0) {
        *created = true;
        return OSTORE_OK;
    }
    int err = errno;
    if (err == ENOENT)
        return os_fail(e, OSTORE_INVALID_ARGUMENT, "backup destination %s: its parent directory does not exist", dest);
    if (err != EEXIST)
        return os_fail_errno(e, err, "creating backup directory", dest);
    DIR *d = opendir(dest);
    if (d == NULL) {
        if (errno == ENOTDIR)
            return os_fail(e, OSTORE_EXISTS, "backup destination %s exists and is not a directory", dest);
        return os_fail_errno(e, errno, "listing backup directory", dest);
    }
    struct dirent *de;
    bool empty = true;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            empty = false;
            break;
        }
    closedir(d);
    if (!empty)
        return os_fail(e, OSTORE_EXISTS, "backup destination %s is not empty (give a new or empty directory)", dest);
    return OSTORE_OK;
}

/* copies len bytes from offset 0 of in to a new file at path; fsyncs it */
static int copy_file(int in, const char *src_what, const char *path, uint64_t len, uint8_t **buf, os_err *e)
{
    int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0)
        return os_fail_errno(e, errno, "creating backup file", path);
    int rc = OSTORE_OK;
    loff_t off_in = 0, off_out = 0;
    bool plain = false; /* copy_file_range unsupported between these file systems: pread/write */
    while ((uint64_t)off_in < len && rc == OSTORE_OK) {
        size_t want = len - (uint64_t)off_in > COPY_BUF ? COPY_BUF : (size_t)(len - (uint64_t)off_in);
        ssize_t n;
        if (!plain) {
            n = copy_file_range(in, &off_in, out, &off_out, want, 0);
            if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
                plain = true;
                continue;
            }
        } else {
            if (*buf == NULL && (*buf = malloc(COPY_BUF)) == NULL) {
                rc = os_fail(e, OSTORE_NO_MEMORY, "out of memory for the backup copy buffer");
                break;
            }
            n = pread(in, *buf, want, off_in);
            if (n > 0) {
                ssize_t w = 0;
                while (w < n) {
                    ssize_t m = pwrite(out, *buf + w, (size_t)(n - w), off_out + w);
                    if (m < 0) {
                        if (errno == EINTR)
                            continue;
                        rc = os_fail_errno(e, errno, "writing backup file", path);
                        break;
                    }
                    w += m;
                }
                off_in += n;
                off_out += n;
            }
        }
        if (rc != OSTORE_OK)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = os_fail_errno(e, errno, "copying to backup file", path);
        else if (n == 0) /* the pinned length is inside the file: it cannot end early unless truncated by hand */
            rc = os_fail(e, OSTORE_IO, "%s ended at offset %llu while copying %llu bytes to %s", src_what,
                         (unsigned long long)off_in, (unsigned long long)len, path);
    }
    if (rc == OSTORE_OK && fsync(out) != 0)
        rc = os_fail_errno(e, errno, "syncing backup file", path);
    if (close(out) != 0 && rc == OSTORE_OK)
        rc = os_fail_errno(e, errno, "closing backup file", path);
    return rc;
}

int ostore_backup(ostore *s, const char *dest, ostore_backup_report *report)
{
    if (report != NULL)
        memset(report, 0, sizeof *report);
    if (s == NULL)
        return OSTORE_INVALID_ARGUMENT;
    os_err e = {0};
    if (dest == NULL || dest[0] == '\0') {
        os_fail(&e, OSTORE_INVALID_ARGUMENT, "backup destination is empty");
        os_store_error(s, &e);
        return OSTORE_INVALID_ARGUMENT;
    }
    bool created;
    int rc = dest_prepare(dest, &created, &e);
    if (rc == OSTORE_OK) {
        struct stat a, b;
        if (stat(dest, &a) == 0 && stat(s->dir, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
            rc = os_fail(&e, OSTORE_INVALID_ARGUMENT, "backup destination %s is the store directory itself", dest);
    }
    if (rc != OSTORE_OK) {
        os_store_error(s, &e);
        return rc;
    }

    /* 1. pin (FORMAT.md "Backup") */
    pin *pins = NULL;
    size_t np = 0;
    int ckfd = -1;
    uint64_t last_seq = 0;
    pthread_mutex_lock(&s->wmu);
    pins = calloc(s->log.n ? s->log.n : 1, sizeof *pins);
    if (pins == NULL)
        rc = os_fail(&e, OSTORE_NO_MEMORY, "out of memory pinning segments for a backup");
    for (size_t k = 0; rc == OSTORE_OK && k < s->log.n; k++) {
        os_seg *g = s->log.segs[k];
        int fd = fcntl(g->fd, F_DUPFD_CLOEXEC, 0);
        if (fd < 0) {
            rc = os_fail_errno(&e, errno, "duplicating the descriptor of", g->path);
            break;
        }
        pins[np++] = (pin){g->id, fd, g->end};
    }
    if (rc == OSTORE_OK && s->ckpt_in_use) {
        size_t dl = strlen(s->dir);
        char *ck = malloc(dl + 16);
        if (ck == NULL) {
            rc = os_fail(&e, OSTORE_NO_MEMORY, "out of memory");
        } else {
            snprintf(ck, dl + 16, "%s/index.ckpt", s->dir);
            ckfd = open(ck, O_RDONLY | O_CLOEXEC);
            if (ckfd < 0)
                rc = os_fail_errno(&e, errno, "opening checkpoint", ck);
            free(ck);
        }
    }
    last_seq = s->next_seq - 1;
    pthread_mutex_unlock(&s->wmu);

    /* 2. copy outside the lock */
    uint64_t bytes = 0;
    size_t made = 0; /* pins[0..made) have been created in dest */
    bool ck_made = false;
    uint8_t *buf = NULL;
    size_t dl = strlen(dest);
    char *path = malloc(dl + 40);
    if (rc == OSTORE_OK && path == NULL)
        rc = os_fail(&e, OSTORE_NO_MEMORY, "out of memory");
    for (size_t k = 0; rc == OSTORE_OK && k < np; k++) {
        snprintf(path, dl + 40, "%s/seg-%016llx.log", dest, (unsigned long long)pins[k].id);
        char what[48];
        snprintf(what, sizeof what, "segment %016llx", (unsigned long long)pins[k].id);
        rc = copy_file(pins[k].fd, what, path, pins[k].len, &buf, &e);
        made = k + 1; /* created even when the copy failed part-way */
        bytes += pins[k].len;
    }
    if (rc == OSTORE_OK && ckfd >= 0) {
        struct stat st;
        snprintf(path, dl + 40, "%s/index.ckpt", dest);
        if (fstat(ckfd, &st) != 0) {
            rc = os_fail_errno(&e, errno, "reading the size of checkpoint", "index.ckpt");
        } else {
            rc = copy_file(ckfd, "index.ckpt", path, (uint64_t)st.st_size, &buf, &e);
            ck_made = true;
            bytes += (uint64_t)st.st_size;
        }
    }
    if (rc == OSTORE_OK)
        rc = os_fsync_dir(dest, &e);
    if (rc != OSTORE_OK && path != NULL) { /* leave nothing that could be taken for a backup */
        for (size_t k = 0; k < made; k++) {
            snprintf(path, dl + 40, "%s/seg-%016llx.log", dest, (unsigned long long)pins[k].id);
            unlink(path);
        }
        if (ck_made) {
            snprintf(path, dl + 40, "%s/index.ckpt", dest);
            unlink(path);
        }
        if (created)
            rmdir(dest);
    }
    for (size_t k = 0; k < np; k++)
        close(pins[k].fd);
    if (ckfd >= 0)
        close(ckfd);
    free(pins);
    free(path);
    free(buf);
    if (rc != OSTORE_OK) {
        os_store_error(s, &e);
        return rc;
    }
    if (report != NULL) {
        report->segments = np;
        report->bytes = bytes;
        report->last_sequence = last_seq;
    }
    return OSTORE_OK;
}
