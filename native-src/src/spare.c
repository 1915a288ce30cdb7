/* The spare segment (FORMAT.md, "Segment file" and "Directory").
 *
 * A rollover used to create the next segment under the writer mutex: open, posix_fallocate, mmap, header,
 * fdatasync and a directory fsync, tens of milliseconds on a busy disk, with every committer waiting. Now a
 * thread of its own creates the next segment ahead of time as seg-N.spare (N = the id the next rollover
 * gives), and the rollover only renames it to seg-N.log. The rename is made durable by the directory fsync
 * of the segment's first os_seg_sync, before anything in it counts as durable. A crash leaves at most a
 * seg-N.spare that no record or checkpoint refers to: open deletes it.
 *
 * The thread hands its spare over through an atomic pointer and never takes the writer mutex (a writer in a
 * loop would starve it: mutexes are not fair). The writer starts it, and joins the previous one first (it
 * has finished by then: busy is false), so at most one spare thread exists per store. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void discard(ostore *s, os_seg *g)
{
    os_seg_unlink(g);
    os_seg_close(g);
    atomic_fetch_add_explicit(&s->spare_discarded, 1, memory_order_relaxed);
}

static void *spare_main(void *arg)
{
    ostore *s = arg;
    os_err e = {0};
    os_seg *g = NULL;
    if (os_seg_create_spare(s->dir, s->spare_id, s->segment_size, s->page, &g, &e) == OSTORE_OK) {
        if (s->spare_hook != NULL)
            s->spare_hook(OS_SPARE_PHASE_CREATED);
        os_seg *old = atomic_exchange_explicit(&s->spare_ready, g, memory_order_acq_rel);
        if (old != NULL) /* never: a spare is requested only when none is ready */
            discard(s, old);
    } /* else the rollover creates its segment itself and reports what fails there */
    atomic_store_explicit(&s->spare_busy, false, memory_order_release);
    return NULL;
}

void os_spare_request(ostore *s)
{
    if (!s->spare_on || s->ro || atomic_load_explicit(&s->spare_busy, memory_order_acquire))
        return;
    os_seg *ready = atomic_load_explicit(&s->spare_ready, memory_order_acquire);
    if (ready != NULL && ready->id == s->next_seg_id)
        return;
    if (s->spare_thread_live) { /* finished: busy is false */
        pthread_join(s->spare_thread, NULL);
        s->spare_thread_live = false;
    }
    s->spare_id = s->next_seg_id;
    s->spare_hook = os_ckpt_phase_hook; /* read here, before the thread exists: tests set it between stores */
    atomic_store_explicit(&s->spare_busy, true, memory_order_release);
    if (pthread_create(&s->spare_thread, NULL, spare_main, s) == 0)
        s->spare_thread_live = true;
    else /* no thread: the rollover creates the segment itself, as without spares */
        atomic_store_explicit(&s->spare_busy, false, memory_order_release);
}

os_seg *os_spare_take(ostore *s, uint64_t id, uint64_t reserve)
{
    os_seg *g = atomic_exchange_explicit(&s->spare_ready, NULL, memory_order_acq_rel);
    if (g == NULL)
        return NULL;
    if (g->id != id || g->reserve < reserve) { /* a record larger than a segment, or an id already used */
        discard(s, g);
        return NULL;
    }
    char *path = os_seg_path(s->dir, id);
    if (path == NULL || rename(g->path, path) != 0) {
        free(path);
        discard(s, g);
        return NULL; /* the rollover creates the segment itself and reports what fails there */
    }
    free(g->path);
    g->path = path;
    atomic_store_explicit(&g->dir_unsynced, s->dir, memory_order_release);
    atomic_fetch_add_explicit(&s->spare_adopted, 1, memory_order_relaxed);
    if (os_ckpt_phase_hook != NULL)
        os_ckpt_phase_hook(OS_SPARE_PHASE_ADOPTED);
    return g;
}

void os_spare_stop(ostore *s)
{
    if (s->spare_thread_live) {
        pthread_join(s->spare_thread, NULL);
        s->spare_thread_live = false;
    }
    os_seg *g = atomic_exchange_explicit(&s->spare_ready, NULL, memory_order_acq_rel);
    if (g != NULL)
        discard(s, g);
}

void os_spare_remove_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return; /* open has just listed it; a failure here only leaves a file that is ignored anyway */
    struct dirent *de;
    size_t dl = strlen(dir);
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        size_t len = strlen(n);
        if (len != 26 || memcmp(n, "seg-", 4) != 0 || memcmp(n + 20, ".spare", 6) != 0)
            continue;
        char *p = malloc(dl + len + 2);
        if (p == NULL)
            break;
        snprintf(p, dl + len + 2, "%s/%s", dir, n);
        unlink(p);
        free(p);
    }
    closedir(d);
}
