/* Helpers shared by the C tests and the benchmark: a batch builder (FORMAT.md "BATCH payload"),
 * temporary directories, file copies. */
#ifndef OSTORE_TESTUTIL_H
#define OSTORE_TESTUTIL_H

#include "ostore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct bb {
    uint8_t *p;
    size_t n, cap;
    uint32_t count;
    size_t obj; /* offset of the current object header */
} bb;

static void bb_need(bb *b, size_t more)
{
    if (b->n + more <= b->cap)
        return;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->n + more)
        nc *= 2;
    b->p = realloc(b->p, nc);
    if (b->p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    b->cap = nc;
}

static void bb_bytes(bb *b, const void *p, size_t n)
{
    bb_need(b, n);
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void bb_u8(bb *b, uint8_t v) { bb_bytes(b, &v, 1); }
static void bb_u16(bb *b, uint16_t v) { bb_bytes(b, &v, 2); }
static void bb_u32(bb *b, uint32_t v) { bb_bytes(b, &v, 4); }
static void bb_u64(bb *b, uint64_t v) { bb_bytes(b, &v, 8); }
static void bb_pad(bb *b)
{
    while (b->n % 8)
        bb_u8(b, 0);
}

static void bb_reset(bb *b)
{
    b->n = 0;
    b->count = 0;
    bb_u32(b, 0);
    bb_u32(b, 0);
}

static void bb_init(bb *b)
{
    memset(b, 0, sizeof *b);
    bb_reset(b);
}

static void bb_free(bb *b) { free(b->p); }

static void bb_obj_raw(bb *b, const void *cls, size_t cl, const void *id, size_t il, uint64_t expected, uint32_t flags)
{
    b->obj = b->n;
    bb_u16(b, (uint16_t)cl);
    bb_u16(b, (uint16_t)il);
    bb_u32(b, 0); /* op count, patched by ops */
    bb_u32(b, flags);
    bb_u32(b, 0);
    bb_u64(b, expected);
    bb_bytes(b, cls, cl);
    bb_bytes(b, id, il);
    bb_pad(b);
    b->count++;
    memcpy(b->p, &b->count, 4);
}

static void bb_obj(bb *b, const char *cls, const char *id, uint64_t expected)
{
    bb_obj_raw(b, cls, strlen(cls), id, strlen(id), expected, 0);
}

static void bb_del_obj(bb *b, const char *cls, const char *id, uint64_t expected)
{
    bb_obj_raw(b, cls, strlen(cls), id, strlen(id), expected, OSTORE_OBJECT_DELETE);
}

static void bb_op_raw(bb *b, uint8_t kind, const void *name, size_t nl, const void *v, size_t vl)
{
    uint32_t oc;
    memcpy(&oc, b->p + b->obj + 4, 4);
    oc++;
    memcpy(b->p + b->obj + 4, &oc, 4);
    bb_u8(b, kind);
    bb_u8(b, 0);
    bb_u16(b, (uint16_t)nl);
    bb_u32(b, (uint32_t)vl);
    bb_bytes(b, name, nl);
    bb_bytes(b, v, vl);
    bb_pad(b);
}

static void bb_put(bb *b, const char *name, const void *v, size_t vl)
{
    bb_op_raw(b, OSTORE_OP_PUT, name, strlen(name), v, vl);
}

static void bb_puts(bb *b, const char *name, const char *v) { bb_put(b, name, v, strlen(v)); }

static void bb_del(bb *b, const char *name) { bb_op_raw(b, OSTORE_OP_DELETE_ENTRY, name, strlen(name), NULL, 0); }

/* ---- files ---- */

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void rm_rf(const char *dir) { nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS); }

static char *tmp_dir(const char *tag)
{
    char tmpl[256];
    const char *base = getenv("OSTORE_TEST_TMP");
    snprintf(tmpl, sizeof tmpl, "%s/ostore-%s-XXXXXX", base ? base : "/tmp", tag);
    char *d = mkdtemp(tmpl);
    if (d == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    return strdup(d);
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[1 << 16];
    ssize_t r;
    int rc = 0;
    while ((r = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)r) != r) {
            rc = -1;
            break;
        }
    close(in);
    close(out);
    return rc;
}

/* copies regular files of dir `from` into `to` (created if missing); files whose name starts with
 * `prefix` only, when prefix is not NULL. A file that is gone by the time it is opened is skipped: a copy
 * taken while a background checkpoint runs can list index.ckpt.tmp just before it is renamed (a crash at
 * that instant leaves the same files, and the left-over would be deleted at open anyway). */
static int copy_dir(const char *from, const char *to, const char *prefix)
{
    mkdir(to, 0755);
    DIR *d = opendir(from);
    if (d == NULL)
        return -1;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (prefix != NULL && strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char a[1024], b[1024];
        snprintf(a, sizeof a, "%s/%s", from, de->d_name);
        snprintf(b, sizeof b, "%s/%s", to, de->d_name);
        if (copy_file(a, b) != 0 && access(a, F_OK) == 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

/* sorted list of segment file paths of dir; returns count */
static int list_segs(const char *dir, char paths[][512], int max)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < max)
        if (strncmp(de->d_name, "seg-", 4) == 0 && strlen(de->d_name) > 4 &&
            strcmp(de->d_name + strlen(de->d_name) - 4, ".log") == 0) /* not a spare (seg-N.spare) */
            snprintf(paths[n++], 512, "%s/%s", dir, de->d_name);
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(paths[j - 1], paths[j]) > 0; j--) {
            char t[512];
            memcpy(t, paths[j], 512);
            memcpy(paths[j], paths[j - 1], 512);
            memcpy(paths[j - 1], t, 512);
        }
    return n;
}

/* how many spare segment files (seg-N.spare) dir holds */
static int count_spares(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "seg-", 4) == 0 && len > 6 && strcmp(de->d_name + len - 6, ".spare") == 0)
            n++;
    }
    closedir(d);
    return n;
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

#endif
