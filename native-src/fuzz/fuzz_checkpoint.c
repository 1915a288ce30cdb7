/* libFuzzer harness: the input is the content of index.ckpt (FORMAT.md, "Checkpoint file") next to the
 * segment of a small valid store that has records after its checkpoint (as a kill -9 leaves it). The
 * store is opened (the checkpoint loader validates the file and uses or ignores it), everything is read
 * back, one batch is written, and the store is closed. Must never crash, leak or abort. */
#include "fuzzutil.h"

static fz_snapshot crashed, closed;
static const char *dir;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir == NULL) {
        char tmpl[300];
        snprintf(tmpl, sizeof tmpl, "%s-template", fz_scratch("ckpt"));
        fz_build_template(tmpl, &crashed, &closed);
        rm_rf(tmpl);
        dir = fz_scratch("ckpt");
    }
    fz_materialize(dir, &crashed, "index.ckpt", data, size);
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    char err[512];
    ostore *s = NULL;
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    fz_status(rc, "ostore_open");
    if (rc == OSTORE_OK) {
        fz_read_everything(s);
        fz_write_after_open(s);
        rc = ostore_close(s, err, sizeof err);
        fz_status(rc, "ostore_close");
    } else {
        fz_check(err[0] != '\0', "a failed open left no error message");
    }
    rm_rf(dir);
    return 0;
}
