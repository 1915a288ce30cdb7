/* libFuzzer harness: the input is the content of index.ckpt (FORMAT.md, "Checkpoint file") next to the
 * segment of a small valid store that has records after its checkpoint (as a kill -9 leaves it). The
 * store is opened (the checkpoint loader validates the file and uses or ignores it, loading a version-5 file's
 * parts in two threads), everything is read back, one batch is written, and the store is closed. Must never
 * crash, leak or abort. */
#include "fuzzutil.h"
/* test hooks of src/internal.h (which fuzzutil.h's byte helpers clash with) */
extern uint32_t os_ckpt_split_objects, os_load_part_min, os_load_threads;

static fz_snapshot crashed, closed;
static const char *dir;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir == NULL) {
        /* a version-5 checkpoint of more than 4 objects is loaded in parts, two threads (FORMAT.md, "Splits") */
        os_ckpt_split_objects = 4;
        os_load_part_min = 4;
        os_load_threads = 2;
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
