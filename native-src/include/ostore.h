/*
 * ostore — the objstate native store engine. This header is the whole C API.
 *
 * An ostore is a directory holding an append-only log of memory-mapped segment files, an index
 * checkpoint and a lock file (native-src/FORMAT.md). It stores objects: an object key is a class id
 * plus an object id (opaque bytes); each object has a version and a set of named entries whose values
 * are opaque bytes.
 *
 * Rules every function keeps:
 *  - it returns an ostore_status (OSTORE_OK == 0); it never aborts and never trusts a length read
 *    from disk without checking it against the bytes that are really there;
 *  - after a failure, ostore_last_error() describes it (per store; the message of the most recent
 *    failure of any thread);
 *  - one writer, many readers: write_batch, sync, checkpoint and compact are serialized inside the
 *    store and may be called from any thread; reads run concurrently with each other and with the
 *    writer, and also while a compaction runs. ostore_close must not race with any other call.
 *
 * Byte order of every buffer below is little-endian.
 */
#ifndef OSTORE_H
#define OSTORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Java maps each to a typed exception. */
enum ostore_status {
    OSTORE_OK = 0,
    OSTORE_NOT_FOUND = 1,         /* object or entry absent (or deleted) */
    OSTORE_CONFLICT = 2,          /* an expected version did not match; nothing was written */
    OSTORE_LOCKED = 3,            /* another process (or open handle) holds the directory */
    OSTORE_CORRUPT = 4,           /* a file failed validation; the message names file and offset */
    OSTORE_IO = 5,                /* an operating system call failed; the message has errno text */
    OSTORE_INVALID_ARGUMENT = 6,  /* malformed batch, bad key, bad option */
    OSTORE_TOO_LARGE = 7,         /* a value over max_value_size or a key part over OSTORE_MAX_KEY */
    OSTORE_NO_MEMORY = 8,
    OSTORE_BUFFER_TOO_SMALL = 9,  /* the caller's output buffer is too small; *out_len is the size needed */
    OSTORE_NO_SPACE = 10,         /* the file system is full; nothing was written */
    OSTORE_READ_ONLY = 11,        /* a write on a store opened with OSTORE_OPEN_READ_ONLY */
    OSTORE_EXISTS = 12            /* a destination that must be missing or empty is not (ostore_backup) */
};

/* Limits. */
#define OSTORE_MAX_KEY 1024u                    /* bytes in a class id, object id or entry name */
#define OSTORE_DEFAULT_MAX_VALUE (256u << 20)    /* 256 MiB */
#define OSTORE_HARD_MAX_VALUE (1u << 30)         /* max_value_size may not exceed 1 GiB */
#define OSTORE_DEFAULT_SEGMENT_SIZE (256u << 20) /* address space reserved per segment; files grow on demand */

/* Expected-version values for ostore_batch objects. */
#define OSTORE_ANY_VERSION UINT64_MAX /* unconditional */
#define OSTORE_ABSENT_VERSION 0u      /* the object must not exist (never written, or deleted) */

/* Open flags. */
#define OSTORE_OPEN_READ_ONLY 1u /* shared lock, no writes, no checkpoint at close */
#define OSTORE_OPEN_REPAIR 2u    /* salvage the longest valid prefix of the log: replay it whole, checking
                                    every record, and truncate at the first invalid record or missing segment
                                    (default: refuse to open with OSTORE_CORRUPT). What was dropped is in
                                    ostore_stats (repair_*) and ostore_last_error. */

/* Batch object flags. */
#define OSTORE_OBJECT_DELETE 1u /* delete the whole object (its ops must be 0); leaves a tombstone */

/* Entry op kinds. */
#define OSTORE_OP_PUT 1u
#define OSTORE_OP_DELETE_ENTRY 2u

typedef struct ostore ostore;

typedef struct ostore_options {
    uint64_t segment_size;              /* address space per segment; 0 = OSTORE_DEFAULT_SEGMENT_SIZE;
                                           min 1 MiB. A record larger than this gets a segment of its own. */
    uint64_t max_value_size;            /* 0 = OSTORE_DEFAULT_MAX_VALUE; at most OSTORE_HARD_MAX_VALUE */
    uint64_t checkpoint_interval_bytes; /* write an index checkpoint after this many log bytes;
                                           0 = 64 MiB; UINT64_MAX = only at close and compaction */
    uint32_t flags;                     /* OSTORE_OPEN_* */
    uint32_t reserved;                  /* must be 0 */
} ostore_options;

typedef struct ostore_stats {
    uint64_t live_bytes;     /* bytes of current entries (names + values + per-entry overhead) */
    uint64_t garbage_bytes;  /* log bytes not needed by current state: overwritten and deleted data */
    uint64_t log_bytes;      /* bytes of records in the segment files */
    uint64_t file_bytes;     /* bytes the segment files occupy (allocated length) */
    uint64_t objects;        /* live objects (not counting tombstones) */
    uint64_t entries;        /* live entries */
    uint64_t batches;        /* batches written since open */
    uint64_t syncs;          /* syncs issued since open */
    uint64_t segments;       /* segment files */
    uint64_t compactions;    /* compactions since open */
    uint64_t last_sequence;  /* sequence number of the newest record */
    uint64_t repair_records_dropped; /* OSTORE_OPEN_REPAIR: records the checkpoint recorded that are gone */
    uint64_t repair_bytes_dropped;   /* OSTORE_OPEN_REPAIR: bytes cut off, in dropped/missing segments, or missing from truncated files */
    uint64_t repair_objects_lost;    /* OSTORE_OPEN_REPAIR: objects of the checkpoint now absent or older */
    uint64_t torn_tail_bytes;        /* bytes of a torn last record cut off by this open (0 when the log ended
                                        cleanly); ostore_last_error then names the file and offset */
} ostore_stats;

typedef struct ostore_verify_report {
    uint64_t records;            /* records checked */
    uint64_t bytes;              /* record bytes checked */
    uint64_t problems;           /* records that failed (and sequence gaps between segments) */
    uint64_t first_bad_segment;  /* segment id of the first problem (when problems > 0) */
    uint64_t first_bad_offset;   /* its byte offset in that segment's file */
} ostore_verify_report;

typedef struct ostore_backup_report {
    uint64_t segments;      /* segment files copied */
    uint64_t bytes;         /* bytes copied (segments and checkpoint) */
    uint64_t last_sequence; /* sequence of the newest record in the backup: every batch acknowledged before
                               ostore_backup was called is in it */
} ostore_backup_report;

typedef struct ostore_batch_result {
    uint64_t sequence;         /* sequence number given to the record (OK only) */
    uint32_t conflict_object;  /* on OSTORE_CONFLICT: index of the first object whose version differed */
    uint32_t reserved;
    uint64_t conflict_version; /* on OSTORE_CONFLICT: that object's current version (0 if absent) */
} ostore_batch_result;

/* Fills *opts with defaults (all zero except nothing: zero means default everywhere). */
void ostore_options_init(ostore_options *opts);

/*
 * Opens (creating if needed) the store in directory `dir` (NUL-terminated path; the directory is
 * created if missing, its parent must exist). `opts` may be NULL for defaults. On failure *out is NULL
 * and, when err_cap > 0, a NUL-terminated message is written to err (truncated to err_cap).
 */
int ostore_open(const char *dir, const ostore_options *opts, ostore **out, char *err, size_t err_cap);

/* Writes a checkpoint (unless read-only), syncs, releases the lock and frees the store. Always frees,
 * even when it returns an error (the error is then reported through err as with ostore_open). */
int ostore_close(ostore *store, char *err, size_t err_cap);

/*
 * Writes one batch atomically as one log record (FORMAT.md, "Batch payload", gives the layout of
 * `batch`). Every object's expected version is checked first; if any differs, nothing is written and
 * OSTORE_CONFLICT is returned with result->conflict_object/conflict_version. An object may appear at
 * most once per batch. On success each object's version is bumped by one (a new object gets 1, or its
 * tombstone's version + 1), and the new versions are written to versions_out[i] for object i when
 * versions_out is not NULL (versions_cap must then be >= the object count).
 * The data is in the mapping when this returns (it survives a process crash); call ostore_sync for
 * durability against power loss. `result` may be NULL.
 */
int ostore_write_batch(ostore *store, const void *batch, size_t batch_len, uint64_t *versions_out,
                       size_t versions_cap, ostore_batch_result *result);

/*
 * Reads all entries of one object into out (layout: FORMAT.md, "Object read buffer").
 * *out_len receives the bytes written, or the bytes needed with OSTORE_BUFFER_TOO_SMALL.
 * *version receives the object's version (also for NOT_FOUND of a deleted object: its tombstone version,
 * else 0). out_len and version may be NULL.
 */
int ostore_get_object(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                      size_t id_len, void *out, size_t out_cap, size_t *out_len, uint64_t *version);

/* Reads one entry's value into out; *out_len / *version as for ostore_get_object. */
int ostore_get_entry(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                     size_t id_len, const void *name, size_t name_len, void *out, size_t out_cap,
                     size_t *out_len, uint64_t *version);

/* The object's version; OSTORE_NOT_FOUND when absent or deleted (*version then as above). */
int ostore_object_version(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                          size_t id_len, uint64_t *version);

/*
 * Lists the ids of the live objects of one class into out (layout: FORMAT.md, "Id list buffer"),
 * in no particular order. *count receives the number of ids. OSTORE_BUFFER_TOO_SMALL as above.
 */
int ostore_list_ids(ostore *store, const void *class_id, size_t class_len, void *out, size_t out_cap,
                    size_t *out_len, uint64_t *count);

/*
 * Expiry (FORMAT.md, "Expiry entry"). An object whose entry named by the 8 reserved bytes 0x00 'e' 'x' 'p' 'i'
 * 'r' 'e' 's' holds 8 bytes, a little-endian u64 of milliseconds since the Unix epoch other than 0, is
 * *expired* at any `now` at or past that deadline. The engine only filters on it (below); reads and writes
 * treat it as an ordinary entry, and deleting expired objects is the caller's job.
 */
#define OSTORE_EXPIRY_NAME_LEN 8u

/* ostore_list_ids_page flags */
#define OSTORE_LIST_EXPIRED 1u /* list only the live objects expired at `now` (instead of the unexpired ones) */

/* Objects ostore_list_ids_page examines per call at most, so that a call holds the read lock briefly. */
#define OSTORE_SCAN_STEP 65536u

/*
 * One page of a scan over the ids of one class (layout of out: FORMAT.md, "Id list buffer").
 *
 * Scan order is the order in which the objects were first written, and an object keeps its place for
 * good (deleted objects stay in the index as tombstones, compaction and reopening keep the order), so
 * a scan that resumes page after page while other threads write returns each object at most once;
 * objects created during the scan come after every older one and are returned if the scan has not
 * ended yet. Listed objects are those live (not deleted) when the page is read, whose id starts with
 * `prefix` (prefix_len 0: all), and that are not expired at `now` (now 0: no expiry filter) — or, with
 * OSTORE_LIST_EXPIRED, only those expired at `now`.
 *
 *  - after/after_len: NULL/0 for the first page; else the cursor *next* of the previous page (any id of an
 *    object of this class, live or deleted, also works). OSTORE_NOT_FOUND when the class has no such
 *    object (never written in this store).
 *  - limit: at most this many ids (>= 1); out_cap must be at least 2 + OSTORE_MAX_KEY and next_cap at
 *    least OSTORE_MAX_KEY (else OSTORE_INVALID_ARGUMENT). A page ends early when out is full or after
 *    OSTORE_SCAN_STEP objects were examined, so it may hold fewer than limit ids (even none) and still
 *    have a next cursor.
 *  - *out_len: bytes written to out; *count: ids written; *next_len: 0 when the scan is complete, else
 *    the length of the cursor id copied into next (the last object examined).
 *  - OSTORE_CORRUPT when the record of an expiry deadline it needed fails its check.
 * An unknown class is an empty scan. out_len, count and next_len must not be NULL.
 */
int ostore_list_ids_page(ostore *store, const void *class_id, size_t class_len, const void *prefix,
                         size_t prefix_len, const void *after, size_t after_len, uint32_t limit, uint64_t now,
                         uint32_t flags, void *out, size_t out_cap, size_t *out_len, uint32_t *count, void *next,
                         size_t next_cap, size_t *next_len);

/*
 * The number of live objects of one class, without copying anything: kept per class, so O(1) — unless
 * now != 0 and some object of the class has had an expiry entry since open, when it walks the class to
 * leave out those expired at `now` (the deadlines are then read like values: OSTORE_CORRUPT as above).
 */
int ostore_count(ostore *store, const void *class_id, size_t class_len, uint64_t now, uint64_t *count);

/* Makes every record written so far durable (msync + fdatasync of the touched segments). */
int ostore_sync(ostore *store);

/* Writes an index checkpoint now (FORMAT.md, "Checkpoint file"), after syncing the log. */
int ostore_checkpoint(ostore *store);

/*
 * Rewrites the live state into new segments and removes the old ones. Readers keep reading while it
 * runs; writers wait. Crash-safe at every step (FORMAT.md, "Compaction").
 */
int ostore_compact(ostore *store);

int ostore_stats_get(ostore *store, ostore_stats *stats);

/*
 * Checks every record of every segment (magic, length, CRC32C, sequence), including the records covered
 * by the checkpoint that reads have not needed yet (native-src/FORMAT.md, "Integrity"). Fills *report
 * (may be NULL). Returns OSTORE_OK when all records are valid, OSTORE_CORRUPT when any is not (the message
 * of ostore_last_error names the first bad file and offset). Readers continue; writers wait.
 * A record found bad makes later reads of values in it fail with OSTORE_CORRUPT.
 */
int ostore_verify(ostore *store, ostore_verify_report *report);

/*
 * Copies a consistent image of the store into directory `dest_dir` (NUL-terminated; created if missing, its
 * parent must exist; an existing directory must be empty, else OSTORE_EXISTS). The copy holds every batch
 * written before the call and opens on its own with ostore_open (FORMAT.md, "Backup"). Writers are held only
 * while the segments' lengths and the checkpoint are pinned, not during the copy; reads, writes, checkpoints
 * and compaction go on meanwhile. Works on read-only handles too. The copy is fsynced when this returns OK;
 * on failure the files it created are removed. Fills *report (may be NULL).
 */
int ostore_backup(ostore *store, const char *dest_dir, ostore_backup_report *report);

/* Copies the message of the store's most recent failure into buf (NUL-terminated, truncated to cap);
 * returns the full message length. An empty string when nothing failed yet. */
size_t ostore_last_error(ostore *store, char *buf, size_t cap);

/* A constant name for a status code, e.g. "OSTORE_CONFLICT"; "OSTORE_UNKNOWN" for other values. */
const char *ostore_status_name(int status);

/* The on-disk format version this library reads and writes (FORMAT.md). */
uint32_t ostore_format_version(void);

#ifdef __cplusplus
}
#endif

#endif /* OSTORE_H */
