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
 *  - one writer, many readers: write_batch, sync, checkpoint, compact and verify are serialized inside the
 *    store and may be called from any thread; reads run concurrently with each other and with the
 *    writer, and also while a compaction runs. ostore_close must not race with any other call;
 *  - reads take no lock shared by all readers (docs/DESIGN.md, "Reads without a shared lock"): a reader only
 *    marks its own per-thread slot and does not wait for an ordinary publish (it checks the object's sequence
 *    and retries if a publish changed that object meanwhile); readers wait only while the writer swaps a
 *    table (index growth, a new class, a record table's growth, compaction's swap) or publishes while a
 *    background checkpoint is being written. Read transactions (ostore_read_begin) extend one read so that
 *    the caller can use value bytes in place, see "Read transactions" below;
 *  - a writable store may run one background thread at a time (an automatic checkpoint or compaction);
 *    it is started after a batch, stopped or awaited by ostore_checkpoint and ostore_compact, and awaited
 *    by ostore_close (a compaction finishes). Read-only stores start no thread.
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

/*
 * Status codes. Every function that returns int returns one of these; each function below lists the ones it
 * can return and when. Java maps each to a typed exception. Common to all functions taking a store:
 * OSTORE_INVALID_ARGUMENT when the store pointer is NULL.
 */
enum ostore_status {
    OSTORE_OK = 0,
    OSTORE_NOT_FOUND = 1,         /* object or entry absent (or deleted) */
    OSTORE_CONFLICT = 2,          /* an expected version did not match; nothing was written */
    OSTORE_LOCKED = 3,            /* another process (or open handle) holds the directory */
    OSTORE_CORRUPT = 4,           /* a file failed validation; the message names file and offset */
    OSTORE_IO = 5,                /* an operating system call failed; the message has errno text */
    OSTORE_INVALID_ARGUMENT = 6,  /* malformed batch, bad key, bad option, NULL store */
    OSTORE_TOO_LARGE = 7,         /* a value over max_value_size or a key part over OSTORE_MAX_KEY */
    OSTORE_NO_MEMORY = 8,         /* an allocation failed; the operation had no effect */
    OSTORE_BUFFER_TOO_SMALL = 9,  /* the caller's output buffer is too small; *out_len is the size needed */
    OSTORE_NO_SPACE = 10,         /* the file system is full (ENOSPC, EDQUOT); nothing was written */
    OSTORE_READ_ONLY = 11,        /* a write on a store opened with OSTORE_OPEN_READ_ONLY */
    OSTORE_EXISTS = 12,           /* a destination that must be missing or empty is not (ostore_backup) */
    OSTORE_BUSY = 13              /* a no-wait read met an exclusive section; nothing was read: retry with a waiting call */
};

/* Limits. */
#define OSTORE_MAX_KEY 1024u                    /* bytes in a class id, object id or entry name */
#define OSTORE_DEFAULT_MAX_VALUE (256u << 20)    /* 256 MiB */
#define OSTORE_HARD_MAX_VALUE (1u << 30)         /* max_value_size may not exceed 1 GiB */
#define OSTORE_DEFAULT_SEGMENT_SIZE (256u << 20) /* address space reserved per segment; files grow on demand */

/* Expected-version values for ostore_batch objects. */
#define OSTORE_ANY_VERSION UINT64_MAX /* unconditional */
#define OSTORE_ABSENT_VERSION 0u      /* the object must not exist (never written, or deleted) */

/* Open flags (ostore_options.flags); any other bit is OSTORE_INVALID_ARGUMENT. */
#define OSTORE_OPEN_READ_ONLY 1u /* shared lock (several read-only handles may share a directory, no writer),
                                    no file is modified: not even a torn tail is cut (it is left out in memory
                                    only); every write function returns OSTORE_READ_ONLY; no checkpoint at close;
                                    no background thread */
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
    uint64_t checkpoint_interval_bytes; /* write an index checkpoint, in a background thread, once this many
                                           log bytes were written since the last one: a delta of the objects
                                           changed since (index.delta), merged into a full index.ckpt once the
                                           deltas reach max(half of it, 4 intervals of 8 MiB or of this);
                                           0 = automatic: max(8 MiB, the size of the newest full index.ckpt),
                                           so a crash replays about as many log bytes as the checkpoint
                                           holds; UINT64_MAX = only at close, ostore_checkpoint and compaction */
    uint32_t flags;                     /* OSTORE_OPEN_* */
    uint32_t compact_garbage_percent;   /* compact automatically, in the background, once garbage_bytes is at
                                           least this percent of what a compaction would write (log_bytes −
                                           garbage_bytes), so the log stays below (100 + it) % of its compacted
                                           size; and at least min(4 MiB, segment_size), and after the first
                                           since open min(32 MiB, segment_size) of batches since the last
                                           one started; 0 = 50; 100 = never
                                           automatically; more than 100 is invalid */
} ostore_options;

/* Filled by ostore_stats_get. Sizes are bytes; "since open" counts start at 0 at each ostore_open. The fields
 * are read one by one without stopping the writer: under concurrent writes they may be from slightly
 * different moments (each is exact for some moment). */
typedef struct ostore_stats {
    uint64_t live_bytes;     /* bytes of current entries: sum over live entries of (8 + name length + value length) */
    uint64_t garbage_bytes;  /* log bytes not needed by the current state (overwritten and deleted data, record
                                headers): log_bytes minus what a compaction would write, never below 0; what
                                automatic compaction compares with compact_garbage_percent */
    uint64_t log_bytes;      /* bytes of records in the segment files (segment headers not counted) */
    uint64_t file_bytes;     /* bytes the segment files occupy (their length, including pre-allocated space) */
    uint64_t objects;        /* live objects (tombstones of deleted objects not counted) */
    uint64_t entries;        /* live entries of live objects */
    uint64_t batches;        /* ostore_write_batch calls that succeeded since open */
    uint64_t syncs;          /* ostore_sync calls that succeeded since open */
    uint64_t segments;       /* segment files of the log */
    uint64_t compactions;    /* compactions finished since open (ostore_compact and automatic ones) */
    uint64_t last_sequence;  /* sequence number of the newest record (0 for an empty store) */
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

/* Fills *opts with the defaults: all fields zero (zero means "default" everywhere). NULL is ignored. */
void ostore_options_init(ostore_options *opts);

/*
 * Opens (creating if needed) the store in directory `dir` (NUL-terminated path; the directory is
 * created if missing, its parent must exist). `opts` may be NULL for defaults. On failure *out is NULL
 * and, when err_cap > 0, a NUL-terminated message is written to err (truncated to err_cap).
 * Recovery (FORMAT.md, "Recovery") runs here: the checkpoint is loaded, the log after it replayed, a torn
 * tail cut off. A checkpoint of 262 144 objects or more is loaded in parts by up to one thread per processor
 * the process may run on (at most 4; OSTORE_LOAD_THREADS=n in the environment sets n, 1 to 9, capped the same
 * way). After loading 4 096 objects or more (of a log no larger than a quarter of the machine's memory),
 * the handle runs a thread of its own that checks their records ahead of their first reads (FORMAT.md,
 * "Integrity", D4) until it is done or ostore_close stops it; OSTORE_PRECHECK=0 in the environment turns it off.
 * Returns:
 *   OSTORE_OK                success; *out is the handle.
 *   OSTORE_INVALID_ARGUMENT  dir or out NULL, dir empty, or an option out of range (segment_size not 0 and
 *                            below 1 MiB or above 1 TiB, max_value_size above OSTORE_HARD_MAX_VALUE,
 *                            compact_garbage_percent above 100, an unknown flag).
 *   OSTORE_LOCKED            another handle (this or another process) holds the directory; the message names
 *                            the holder's pid when known.
 *   OSTORE_CORRUPT           a file failed validation below the durable point, or a record that is not a torn
 *                            tail failed its checks (FORMAT.md, "Integrity"); the message names file and offset.
 *                            OSTORE_OPEN_REPAIR opens such a store.
 *   OSTORE_IO                a system call failed (creating the directory, opening, reading, mapping or
 *                            locking a file; dir is not a directory).
 *   OSTORE_NO_SPACE          the file system is full while creating the first segment, cutting a torn tail or
 *                            writing the repair checkpoint.
 *   OSTORE_NO_MEMORY         an allocation failed.
 */
int ostore_open(const char *dir, const ostore_options *opts, ostore **out, char *err, size_t err_cap);

/* Awaits the background job (an automatic checkpoint, or a compaction, which it lets finish: stopped, the records
 * it wrote would only be garbage; close then takes about what the rest of it writes), writes a checkpoint unless the last
 * one is current (not when read-only), syncs, gives back the last segment's pre-allocated tail, releases the
 * lock and frees the store. Always frees, even when it returns an error (the error is then reported through
 * err as with ostore_open); `store` must not be used afterwards. NULL is OSTORE_OK.
 * Returns: OSTORE_OK; OSTORE_IO, OSTORE_NO_SPACE or OSTORE_NO_MEMORY when the final sync or checkpoint failed
 * (every batch written before is in the log and is replayed at the next open; what the last successful
 * ostore_sync covered is durable). */
int ostore_close(ostore *store, char *err, size_t err_cap);

/*
 * Writes one batch atomically as one log record (FORMAT.md, "Batch payload", gives the layout of
 * `batch`). Every object's expected version is checked first; if any differs, nothing is written and
 * OSTORE_CONFLICT is returned with result->conflict_object/conflict_version. An object may appear at
 * most once per batch. On success each object's version is bumped by one (a new object gets 1, or its
 * tombstone's version + 1), and the new versions are written to versions_out[i] for object i when
 * versions_out is not NULL (versions_cap must then be >= the object count).
 * The data is in the mapping when this returns (it survives a process crash); call ostore_sync for
 * durability against power loss. `result` may be NULL. The writer never waits for an automatic checkpoint
 * or compaction: after the batch it may start one in a background thread (FORMAT.md, "Checkpoint file",
 * "Compaction"); such a job's failure does not fail any batch (it is reported through ostore_last_error).
 * Returns (on any status but OSTORE_OK nothing was written and the store is unchanged):
 *   OSTORE_OK                written; versions_out and result->sequence are set.
 *   OSTORE_CONFLICT          an expected version differed (result->conflict_object, conflict_version).
 *   OSTORE_INVALID_ARGUMENT  the buffer does not follow FORMAT.md (lengths, zero fields, padding, op kinds,
 *                            flags, batch_len), an object appears twice, or versions_cap is below the
 *                            object count while versions_out is not NULL.
 *   OSTORE_TOO_LARGE         a value over max_value_size, or a class id, object id or entry name over
 *                            OSTORE_MAX_KEY bytes.
 *   OSTORE_READ_ONLY         the store was opened with OSTORE_OPEN_READ_ONLY.
 *   OSTORE_NO_SPACE          the segment could not grow, or a new segment could not be created.
 *   OSTORE_IO                writing the record, or syncing a finished segment at rollover, failed.
 *   OSTORE_NO_MEMORY         an index allocation failed.
 */
int ostore_write_batch(ostore *store, const void *batch, size_t batch_len, uint64_t *versions_out,
                       size_t versions_cap, ostore_batch_result *result);

/*
 * Reads all entries of one object into out (layout: FORMAT.md, "Object read buffer").
 * *out_len receives the bytes written, or the bytes needed with OSTORE_BUFFER_TOO_SMALL.
 * *version receives the object's version (also for NOT_FOUND of a deleted object: its tombstone version,
 * else 0). out_len and version may be NULL. out may be NULL to ask for the size (OSTORE_BUFFER_TOO_SMALL).
 * Returns:
 *   OSTORE_OK                the object was copied.
 *   OSTORE_NOT_FOUND         no such object, or it is deleted.
 *   OSTORE_BUFFER_TOO_SMALL  out_cap is below the size needed (*out_len); nothing was copied.
 *   OSTORE_INVALID_ARGUMENT  a key part is NULL or empty.
 *   OSTORE_TOO_LARGE         a key part is over OSTORE_MAX_KEY bytes.
 *   OSTORE_CORRUPT           a record holding one of its values failed its first-read check (FORMAT.md, D4);
 *                            the message names file and offset.
 */
int ostore_get_object(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                      size_t id_len, void *out, size_t out_cap, size_t *out_len, uint64_t *version);

/* Reads one entry's value into out; *out_len / *version as for ostore_get_object.
 * Returns: OSTORE_OK; OSTORE_NOT_FOUND (no such object, deleted, or no such entry); OSTORE_BUFFER_TOO_SMALL
 * (out_cap below the value's length, *out_len; nothing copied); OSTORE_INVALID_ARGUMENT (a key part or the name
 * NULL or empty); OSTORE_TOO_LARGE (one over OSTORE_MAX_KEY); OSTORE_CORRUPT (the value's record failed its
 * first-read check). */
int ostore_get_entry(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                     size_t id_len, const void *name, size_t name_len, void *out, size_t out_cap,
                     size_t *out_len, uint64_t *version);

/* ostore_get_entry that never waits for another thread: where ostore_get_entry would wait for an exclusive
 * section (a compaction's swap, a table's growth, a publish during a background checkpoint) it returns
 * OSTORE_BUSY at once, having read and written nothing (*out_len and *version are 0). Otherwise the same
 * call, statuses and results. For callers that must not block inside the call: the Java binding calls it as
 * a critical function (the JVM cannot reach a safepoint until it returns, so a wait for a writer that waits
 * for a read transaction held by a thread stopped at that safepoint would deadlock) and falls back to
 * ostore_get_entry on OSTORE_BUSY. The call may still take a page fault on the value's page. */
int ostore_get_entry_nowait(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                            size_t id_len, const void *name, size_t name_len, void *out, size_t out_cap,
                            size_t *out_len, uint64_t *version);

/* One read of ostore_get_entries: the key and entry name and the buffer to copy the value into (in), what
 * ostore_get_entry would have returned for it (out). */
typedef struct ostore_get_req {
    const void *class_id; /* in */
    size_t class_len;     /* in */
    const void *object_id; /* in */
    size_t id_len;        /* in */
    const void *name;     /* in: the entry name */
    size_t name_len;      /* in */
    void *out;            /* in: where the value is copied (may be NULL when out_cap is 0) */
    size_t out_cap;       /* in */
    size_t out_len;       /* out: the value's length (also when the buffer was too small), else 0 */
    uint64_t version;     /* out: the object's version when it exists (also deleted), else 0 */
    int32_t status;       /* out: the status ostore_get_entry returns for this read (never OSTORE_BUSY) */
} ostore_get_req;

/*
 * n point reads at once: reqs[i] gets the value, length, version and status that
 * ostore_get_entry(store, reqs[i].class_id, ..., reqs[i].out, reqs[i].out_cap, ...) would give it. The reads
 * are independent (no order, no snapshot across them: each one sees a committed state of its object, as an
 * ostore_get_entry would), but their cache misses overlap: a random read at 1 M keys is three dependent
 * misses (hash slot, object, value), and here the slots of a group of requests are fetched together, then
 * their objects, then their values (native-src/README.md, "Batched point gets (session 9)"). Waits like
 * ostore_get_entry while an exclusive section runs; it holds one read section per group of 16 requests, never
 * one across the whole call, so a long call does not hold back a compaction's swap. Not inside a read
 * transaction of the calling thread. The store's last error holds the message of the last request that failed.
 * A request with out NULL and out_cap 0 (it asks for the length only) is taken as a hint that the whole object is
 * read next: the lines of the object's values that its value hint names are brought in too (native-src/README.md,
 * "Value hints and objects in their class's shape"). reqs may be NULL only when n is 0.
 * Returns:
 *   OSTORE_OK                every request was done; see each one's status (OSTORE_OK, OSTORE_NOT_FOUND,
 *                            OSTORE_BUFFER_TOO_SMALL, OSTORE_INVALID_ARGUMENT, OSTORE_TOO_LARGE, OSTORE_CORRUPT,
 *                            as for ostore_get_entry).
 *   OSTORE_INVALID_ARGUMENT  store is NULL, or reqs is NULL with n > 0: no request was touched.
 */
int ostore_get_entries(ostore *store, ostore_get_req *reqs, size_t n);

/*
 * Read transactions: values in place, without a copy (the way lmdb's MDB_val points into its map).
 *
 * ostore_read_begin pins the store's current state for the caller: until the matching ostore_read_end, every
 * pointer ostore_get_object_ref returned stays valid and its bytes do not change — the segment mapping they
 * point into is not unmapped (compaction waits), the index they were found in is not swapped or freed, and
 * log bytes once written never change. What a reader may hold, and for how long:
 *  - one read transaction per thread at a time, and inside it no other ostore call on the same store from
 *    that thread except ostore_get_object_ref and ostore_get_entry_nowait (any other read would wait behind
 *    a waiting writer, which waits for this transaction: a deadlock);
 *  - only for as long as it takes to copy or decode the bytes — microseconds: a compaction's swap, a table's
 *    growth and the reuse of replaced index memory wait until every read transaction has ended (ordinary
 *    publishes do not; readers never wait for each other). Do not block, sleep or call out to code that may
 *    wait inside one;
 *  - never after ostore_read_end: the pointers are then dangling (the object may be overwritten, its
 *    segment deleted by compaction, the store closed). Copy what must outlive the transaction;
 *  - the bytes are read-only (they are the store's MAP_SHARED file mapping): writing through them is
 *    undefined behaviour and may corrupt the store.
 * ostore_read_end may run on another thread than ostore_read_begin (pass the same pin), which lets a Java
 * virtual thread move between carrier threads in between. ostore_close must not run while any read
 * transaction is open.
 */

/* One entry of an object read in place (ostore_get_object_ref). name and value point into the store's memory
 * (a segment mapping, or for a long name loaded from a checkpoint the checkpoint's copy, never the index,
 * which publishes change in place); valid only until ostore_read_end. */
typedef struct ostore_entry_ref {
    const void *name;
    const void *value;
    uint32_t name_len;
    uint32_t value_len;
} ostore_entry_ref;

/* Begins a read transaction; *pin receives the token to pass to ostore_read_end. Waits only while the writer
 * swaps a table (see the contract above; well under a microsecond apart from index growth). Returns OSTORE_OK; OSTORE_INVALID_ARGUMENT when store or pin is NULL. */
int ostore_read_begin(ostore *store, uint32_t *pin);

/* Ends the read transaction that ostore_read_begin opened with this pin. Every pointer obtained in it is
 * invalid afterwards. Returns OSTORE_OK; OSTORE_INVALID_ARGUMENT when store is NULL. Calling it with a pin that
 * is not open is undefined (it releases another reader's pin). */
int ostore_read_end(ostore *store, uint32_t pin);

/*
 * Inside a read transaction: the entries of one object, in place. refs[0..*count) receive each entry's name
 * and value (pointers valid until ostore_read_end); *version as for ostore_get_object. Checks each value's
 * record on its first read since open, like ostore_get_object. count and version may be NULL only when the
 * caller does not need them. Must be called between ostore_read_begin and ostore_read_end on this store.
 * Returns:
 *   OSTORE_OK                refs[0..*count) describe the object's entries.
 *   OSTORE_NOT_FOUND         no such object, or it is deleted.
 *   OSTORE_BUFFER_TOO_SMALL  the object has more than refs_cap entries; *count is the number needed.
 *   OSTORE_INVALID_ARGUMENT  a key part is NULL or empty, or refs is NULL with refs_cap > 0.
 *   OSTORE_TOO_LARGE         a key part is over OSTORE_MAX_KEY bytes.
 *   OSTORE_CORRUPT           a record holding one of its values failed its first-read check (FORMAT.md, D4).
 */
int ostore_get_object_ref(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                          size_t id_len, ostore_entry_ref *refs, size_t refs_cap, size_t *count,
                          uint64_t *version);

/* The object's version. Returns: OSTORE_OK; OSTORE_NOT_FOUND when absent or deleted (*version then as above);
 * OSTORE_INVALID_ARGUMENT / OSTORE_TOO_LARGE for a bad key part as above. Reads no log page. */
int ostore_object_version(ostore *store, const void *class_id, size_t class_len, const void *object_id,
                          size_t id_len, uint64_t *version);

/*
 * Lists the ids of the live objects of one class into out (layout: FORMAT.md, "Id list buffer"),
 * in no particular order. *count receives the number of ids.
 * Returns: OSTORE_OK (also for an unknown class: no ids); OSTORE_BUFFER_TOO_SMALL (*out_len is the size
 * needed, nothing copied); OSTORE_INVALID_ARGUMENT (class_id NULL or empty); OSTORE_TOO_LARGE (class_id over
 * OSTORE_MAX_KEY).
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

/* ostore_list_ids_ordered flags */
#define OSTORE_ORDER_AFTER 1u /* ids strictly after `start` (default: from `start` on, start included) */

/*
 * One page of a scan over the ids of one class in key order: byte-wise unsigned order of the ids, a
 * shorter id before every longer one it is a prefix of (layout of out: FORMAT.md, "Id list buffer").
 * docs/DESIGN.md, "Scans in key order", gives the design.
 *
 * The first key-order scan of a class builds an in-memory ordered index of its objects (24 bytes per
 * object of the class, deleted ones included, until the next ostore_compact or close; nothing on disk);
 * later scans first add the objects created since the previous one. Stores and classes never scanned
 * in key order pay nothing, and writers never wait for it: the scanning thread does that work, a step of
 * at most OSTORE_SCAN_STEP objects per read section, so even the first build of a big class holds the
 * writer up for one step at a time only. ostore_compact drops the ordered indexes (the next scan builds
 * them again); background compaction keeps them.
 *
 * Listed objects are those live (not deleted) when the page is read, whose id is >= start (> start with
 * OSTORE_ORDER_AFTER; start_len 0: from the first id), and that are not expired at `now` (now 0: no expiry
 * filter). A page is a consistent view of the class at one moment. A scan resumed page after page (next
 * cursor, OSTORE_ORDER_AFTER) returns ids in increasing order, never the same id twice; an object created or
 * deleted during the scan is listed if and only if it exists when the page that reaches its key is read.
 *
 *  - start/start_len: any bytes (need not be the id of an object), at most OSTORE_MAX_KEY.
 *  - limit: at most this many ids (>= 1); out_cap must be at least 2 + OSTORE_MAX_KEY and next_cap at
 *    least OSTORE_MAX_KEY. A page ends early when out is full or after OSTORE_SCAN_STEP objects were
 *    examined (deleted and expired ones count), so it may hold fewer than limit ids (even none) and still
 *    have a next cursor.
 *  - *out_len: bytes written to out; *count: ids written; *next_len: 0 when the scan reached the class's
 *    last id, else the length of the cursor copied into next (the id of the last object examined): pass
 *    it as start with OSTORE_ORDER_AFTER for the next page.
 * An unknown class is an empty scan. out_len, count and next_len must not be NULL (else
 * OSTORE_INVALID_ARGUMENT and nothing else happens).
 * Returns:
 *   OSTORE_OK                the page is in out (possibly empty).
 *   OSTORE_INVALID_ARGUMENT  class_id NULL or empty, start NULL with start_len > 0, limit 0, out or next NULL
 *                            or below the sizes above, an unknown flag.
 *   OSTORE_TOO_LARGE         class_id or start over OSTORE_MAX_KEY bytes.
 *   OSTORE_NO_MEMORY         the ordered index could not grow; nothing was listed (a later call retries).
 *   OSTORE_CORRUPT           the record of an expiry deadline it needed failed its check (FORMAT.md, D4).
 */
int ostore_list_ids_ordered(ostore *store, const void *class_id, size_t class_len, const void *start,
                            size_t start_len, uint32_t flags, uint32_t limit, uint64_t now, void *out,
                            size_t out_cap, size_t *out_len, uint32_t *count, void *next, size_t next_cap,
                            size_t *next_len);

/*
 * The number of live objects of one class, without copying anything: kept per class, so O(1) — unless
 * now != 0 and some object of the class has had an expiry entry since open, when it walks the class to
 * leave out those expired at `now` (the deadlines are then read like values: OSTORE_CORRUPT as above).
 */
int ostore_count(ostore *store, const void *class_id, size_t class_len, uint64_t now, uint64_t *count);

/* Makes every record written so far durable (msync + fdatasync of the touched segments).
 * Returns: OSTORE_OK (also on a read-only store, where there is nothing to sync); OSTORE_IO when msync or
 * fdatasync failed (what was written stays in the page cache; call again or close). */
int ostore_sync(ostore *store);

/* Writes an index checkpoint now, in the calling thread (FORMAT.md, "Checkpoint file"), after syncing the log;
 * a background job in flight is awaited (a checkpoint) or stopped (a compaction) first.
 * Returns: OSTORE_OK; OSTORE_READ_ONLY; OSTORE_IO or OSTORE_NO_SPACE (syncing the log or writing, syncing or
 * renaming index.ckpt failed: the previous checkpoint stays valid); OSTORE_NO_MEMORY. */
int ostore_checkpoint(ostore *store);

/*
 * Rewrites the live state into new segments and removes the old ones, now, in the calling thread. Readers
 * keep reading while it runs; writers wait. Crash-safe at every step (FORMAT.md, "Compaction"). An
 * automatic background compaction or checkpoint in progress is stopped or awaited first. (Automatic
 * compaction, see ostore_options.compact_garbage_percent, runs in a background thread instead: it encodes
 * its records without the writer mutex and makes writers wait only while it appends one (~64 KiB) and
 * re-points its objects.)
 * Returns: OSTORE_OK; OSTORE_READ_ONLY; OSTORE_CORRUPT (a value to copy is in a record that fails its check:
 * nothing is compacted, the message names file and offset); OSTORE_NO_SPACE, OSTORE_IO or OSTORE_NO_MEMORY
 * (before the new index.ckpt was renamed into place: the new segments are deleted and the store goes on with
 * the old log; after it, i.e. the directory fsync failed: the store goes on with the compacted log, keeps the
 * old segment files until the next open, and its next checkpoint is full).
 */
int ostore_compact(ostore *store);

/* Fills *stats (see ostore_stats). Returns OSTORE_OK, or OSTORE_INVALID_ARGUMENT when store or stats is NULL.
 * Takes the read lock briefly; never waits for the writer's I/O. */
int ostore_stats_get(ostore *store, ostore_stats *stats);

/*
 * Checks every record of every segment (magic, length, CRC32C, sequence), including the records covered
 * by the checkpoint that reads have not needed yet (native-src/FORMAT.md, "Integrity"). Fills *report
 * (may be NULL). Returns OSTORE_OK when all records are valid, OSTORE_CORRUPT when any is not (the message
 * of ostore_last_error names the first bad file and offset). Readers continue; writers wait.
 * A record found bad makes later reads of values in it fail with OSTORE_CORRUPT.
 * Returns: OSTORE_OK; OSTORE_CORRUPT.
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

/*
 * On-disk format versions (native-src/FORMAT.md), one byte each:
 *   OSTORE_FORMAT_SEGMENT     segment file header (seg-*.log)                      written 1
 *   OSTORE_FORMAT_RECORD      log record                                           written 2, 1 still read
 *   OSTORE_FORMAT_CHECKPOINT  full index checkpoint (index.ckpt)                   written 5, 2 to 4 still read
 *   OSTORE_FORMAT_DELTA       incremental checkpoints (index.delta)                written 1
 * A store written by this library needs a library that reads these versions; an older one replays the whole log
 * when it does not know the checkpoint version (FORMAT.md, "Checkpoint file"), and cannot open version-2 records.
 */
#define OSTORE_FORMAT_SEGMENT 1u
#define OSTORE_FORMAT_RECORD 2u
#define OSTORE_FORMAT_CHECKPOINT 5u
#define OSTORE_FORMAT_DELTA 1u
#define OSTORE_FORMAT_VERSION \
    ((OSTORE_FORMAT_SEGMENT << 24) | (OSTORE_FORMAT_RECORD << 16) | (OSTORE_FORMAT_CHECKPOINT << 8) | OSTORE_FORMAT_DELTA)

/* The formats this library writes, packed as OSTORE_FORMAT_VERSION: segment version in bits 24-31, record 16-23,
 * checkpoint 8-15, delta 0-7 (0x01020401 for this library). Compare it with OSTORE_FORMAT_VERSION to tell a
 * library built from another header. Never fails; needs no store. */
uint32_t ostore_format_version(void);

#ifdef __cplusplus
}
#endif

#endif /* OSTORE_H */
