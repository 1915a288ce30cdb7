/* libFuzzer harness: the input is a batch given to ostore_write_batch (FORMAT.md, "BATCH payload"), which
 * parses it with os_batch_parse and, when it is well-formed, writes it. Must never crash, leak or abort;
 * every status is one of ostore.h's. Every 2048 accepted batches the store is closed and reopened: a
 * store that accepted a batch must open again (recovery of what the fuzzer wrote) and read back whole. */
#include "fuzzutil.h"

static ostore *store;
static const char *dir;
static unsigned accepted;

static void reopen(void)
{
    char err[512];
    if (store != NULL) {
        fz_check(ostore_close(store, err, sizeof err) == OSTORE_OK, err);
        store = NULL;
    }
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    o.max_value_size = 4096;
    int rc = ostore_open(dir, &o, &store, err, sizeof err);
    if (rc != OSTORE_OK) {
        fprintf(stderr, "fuzz finding: a store holding only accepted batches does not reopen: %s\n", err);
        abort();
    }
    fz_read_everything(store);
}

/* libFuzzer ends the process with exit(): leave no store behind in /dev/shm */
static void cleanup(void)
{
    if (store != NULL) {
        char err[512];
        ostore_close(store, err, sizeof err);
        store = NULL;
    }
    if (dir != NULL)
        rm_rf(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (store == NULL) {
        dir = fz_scratch("batch");
        rm_rf(dir);
        atexit(cleanup);
        reopen();
    }
    /* the batch in its own allocation of exactly `size` bytes, so ASan sees any read past its end */
    uint8_t *batch = malloc(size ? size : 1);
    if (batch == NULL)
        return 0;
    if (size)
        memcpy(batch, data, size);
    size_t cap = size / 24 + 1;
    uint64_t *versions = calloc(cap, sizeof *versions);
    ostore_batch_result res;
    int rc = ostore_write_batch(store, batch, size, versions, cap, &res);
    fz_status(rc, "ostore_write_batch");
    if (rc == OSTORE_OK) {
        uint32_t n = size >= 4 ? rd32(batch) : 0;
        for (uint32_t i = 0; i < n && i < cap; i++)
            fz_check(versions[i] >= 1, "an accepted batch reported version 0");
        if (++accepted % 2048 == 0)
            reopen();
    } else {
        char msg[256];
        fz_check(ostore_last_error(store, msg, sizeof msg) > 0, "a rejected batch left no error message");
    }
    free(versions);
    free(batch);
    return 0;
}
