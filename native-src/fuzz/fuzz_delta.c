/* libFuzzer harness: incremental checkpoints (FORMAT.md, "Delta file"). A small valid store is built once per
 * variant (fuzzutil.h, fz_build_delta_template): a base index.ckpt, three deltas in index.delta, records after
 * the last delta, as a kill -9 leaves it; variant 1 rolls over to later segments between deltas. Input: byte 0
 * selects the variant (bit 0), a read-only open (bit 1) and the file the rest of the input replaces (bit 2:
 * index.ckpt, else index.delta). The store is opened; then it must hold exactly the template's state (the log
 * holds every record: a delta that is not authentic ends the list and the log after the last authentic point is
 * replayed, a base that is not authentic means a full replay) or the open returns a status with a message. A
 * writable store is written to, closed and reopened, and must hold that state again. Never crash, leak or abort. */
#include "fuzzutil.h"

static fz_snapshot tmpl[2];
static uint64_t want[2]; /* digest of each template's state */
static const char *dir;

static int open_at(uint32_t flags, ostore **s, char *err, size_t cap)
{
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    o.flags = flags;
    return ostore_open(dir, &o, s, err, cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    ostore *s = NULL;
    if (dir == NULL) {
        char t[300];
        dir = fz_scratch("delta");
        for (int v = 0; v < 2; v++) {
            snprintf(t, sizeof t, "%s-template", dir);
            fz_build_delta_template(t, v == 1, &tmpl[v]);
            rm_rf(t);
            fz_materialize(dir, &tmpl[v], NULL, NULL, 0); /* the template as it is: its state */
            fz_check(open_at(OSTORE_OPEN_READ_ONLY, &s, err, sizeof err) == OSTORE_OK, err);
            want[v] = fz_digest(s);
            fz_check(ostore_close(s, err, sizeof err) == OSTORE_OK, err);
            rm_rf(dir);
        }
    }
    if (size == 0)
        return 0;
    int v = data[0] & 1;
    uint32_t flags = data[0] & 2 ? OSTORE_OPEN_READ_ONLY : 0;
    fz_materialize(dir, &tmpl[v], data[0] & 4 ? "index.ckpt" : "index.delta", data + 1, size - 1);
    err[0] = '\0';
    int rc = open_at(flags, &s, err, sizeof err);
    fz_status(rc, "ostore_open");
    if (rc != OSTORE_OK) {
        fz_check(err[0] != '\0', "a failed open left no error message");
        rm_rf(dir);
        return 0;
    }
    fz_read_everything(s);
    fz_check(fz_digest(s) == want[v], "the store opened with a state other than the template's");
    if (!(flags & OSTORE_OPEN_READ_ONLY)) {
        fz_write_after_open(s);
        uint64_t after = fz_digest(s);
        rc = ostore_close(s, err, sizeof err);
        fz_status(rc, "ostore_close");
        rc = open_at(0, &s, err, sizeof err);
        fz_check(rc == OSTORE_OK, "a store that opened and closed cleanly does not reopen");
        fz_check(fz_digest(s) == after, "the reopened store lost or changed state");
    }
    rc = ostore_close(s, err, sizeof err);
    fz_status(rc, "ostore_close");
    rm_rf(dir);
    return 0;
}
