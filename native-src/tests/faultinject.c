/* LD_PRELOAD fault injector for the engine's I/O calls (docs/RELIABILITY.md, "Fault injection").
 *
 * Counts calls of pwritev, pwrite, write, posix_fallocate, msync, fdatasync, fsync, rename and ftruncate
 * and fails the Nth counted one (one-shot) with EIO or ENOSPC; every other call goes to libc. Only calls
 * on files whose path contains OSTORE_FAULT_PATH are counted (the store directory: a JVM writes its own
 * files too); msync has no path and is always counted.
 *
 * Environment:
 *   OSTORE_FAULT_N       the call to fail, 1-based; 0 or unset: count only
 *   OSTORE_FAULT_ERRNO   EIO (default) or ENOSPC
 *   OSTORE_FAULT_CALLS   comma-separated names to count (default: all nine)
 *   OSTORE_FAULT_PATH    path substring a counted call's file must contain (default: every file)
 *   OSTORE_FAULT_REPORT  file that receives "inject <n> <call> <errno>" when the fault fires and
 *                        "calls <count>" at exit
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { F_PWRITEV, F_PWRITE, F_WRITE, F_FALLOCATE, F_MSYNC, F_FDATASYNC, F_FSYNC, F_RENAME, F_FTRUNCATE, F_COUNT };
static const char *const NAMES[F_COUNT] = {"pwritev", "pwrite", "write", "posix_fallocate", "msync",
                                           "fdatasync", "fsync", "rename", "ftruncate"};

static long target;
static int fault_errno = EIO;
static unsigned enabled = (1u << F_COUNT) - 1;
static const char *path_filter;
static const char *report;
static long calls;

static void say(const char *line)
{
    if (report == NULL)
        return;
    /* raw syscalls via libc's open/write would be counted by this shim: use the real write */
    static __typeof__(&write) real_write;
    if (real_write == NULL)
        real_write = (__typeof__(&write))dlsym(RTLD_NEXT, "write");
    int fd = open(report, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (real_write(fd, line, strlen(line)) < 0) {
            /* nothing to do: the report is best effort */
        }
        close(fd);
    }
}

__attribute__((constructor)) static void fi_init(void)
{
    const char *n = getenv("OSTORE_FAULT_N");
    target = n ? strtol(n, NULL, 10) : 0;
    const char *e = getenv("OSTORE_FAULT_ERRNO");
    if (e != NULL && strcmp(e, "ENOSPC") == 0)
        fault_errno = ENOSPC;
    const char *c = getenv("OSTORE_FAULT_CALLS");
    if (c != NULL && *c) {
        enabled = 0;
        for (int i = 0; i < F_COUNT; i++) {
            const char *p = c;
            size_t len = strlen(NAMES[i]);
            while ((p = strstr(p, NAMES[i])) != NULL) {
                if ((p == c || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
                    enabled |= 1u << i;
                p += len;
            }
        }
    }
    path_filter = getenv("OSTORE_FAULT_PATH");
    if (path_filter != NULL && *path_filter == '\0')
        path_filter = NULL;
    report = getenv("OSTORE_FAULT_REPORT");
}

__attribute__((destructor)) static void fi_fini(void)
{
    char line[64];
    snprintf(line, sizeof line, "calls %ld\n", __atomic_load_n(&calls, __ATOMIC_SEQ_CST));
    say(line);
}

static int fd_matches(int fd)
{
    if (path_filter == NULL)
        return 1;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return 0;
    path[n] = '\0';
    return strstr(path, path_filter) != NULL;
}

/* True when this call is the one to fail (and reports it). */
static int should_fail(int f, int matches)
{
    if (!(enabled & (1u << f)) || !matches)
        return 0;
    long k = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    if (target <= 0 || k != target)
        return 0;
    char line[96];
    snprintf(line, sizeof line, "inject %ld %s %s\n", k, NAMES[f], fault_errno == ENOSPC ? "ENOSPC" : "EIO");
    say(line);
    return 1;
}

/* The libc function this one hides, looked up once. */
#define REAL(name)                                                                                    \
    static __typeof__(&name) real_##name;                                                              \
    if (real_##name == NULL)                                                                           \
    real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    REAL(pwritev);
    if (should_fail(F_PWRITEV, fd_matches(fd))) {
        errno = fault_errno;
        return -1;
    }
    return real_pwritev(fd, iov, cnt, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite);
    if (should_fail(F_PWRITE, fd_matches(fd))) {
        errno = fault_errno;
        return -1;
    }
    return real_pwrite(fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write);
    if ((enabled & (1u << F_WRITE)) && should_fail(F_WRITE, fd_matches(fd))) {
        errno = fault_errno;
        return -1;
    }
    return real_write(fd, buf, n);
}

int posix_fallocate(int fd, off_t off, off_t len)
{
    REAL(posix_fallocate);
    if (should_fail(F_FALLOCATE, fd_matches(fd)))
        return fault_errno; /* posix_fallocate returns the error number instead of setting errno */
    return real_posix_fallocate(fd, off, len);
}

int msync(void *addr, size_t len, int flags)
{
    REAL(msync);
    if (should_fail(F_MSYNC, 1)) {
        errno = fault_errno;
        return -1;
    }
    return real_msync(addr, len, flags);
}

int fdatasync(int fd)
{
    REAL(fdatasync);
    if (should_fail(F_FDATASYNC, fd_matches(fd))) {
        errno = fault_errno;
        return -1;
    }
    return real_fdatasync(fd);
}

int fsync(int fd)
{
    REAL(fsync);
    if (should_fail(F_FSYNC, fd_matches(fd))) {
        errno = fault_errno;
        return -1;
    }
    return real_fsync(fd);
}

int rename(const char *from, const char *to)
{
    REAL(rename);
    int matches = path_filter == NULL || strstr(from, path_filter) != NULL || strstr(to, path_filter) != NULL;
    if (should_fail(F_RENAME, matches)) {
        errno = fault_errno;
        return -1;
    }
    return real_rename(from, to);
}

int ftruncate(int fd, off_t len)
{
    REAL(ftruncate);
    if (should_fail(F_FTRUNCATE, fd_matches(fd))) {
        errno = fault_errno;
        return -1;
    }
    return real_ftruncate(fd, len);
}
