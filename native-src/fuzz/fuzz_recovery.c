/* libFuzzer harness: recovery fed a mutated store. A small valid store is built once, in two states
 * ("crashed": records after the checkpoint, as a kill -9 leaves it; "closed": after ostore_close). Input:
 * byte 0 selects the state (bit 0), the open flags (bit 1 READ_ONLY, bit 2 REPAIR) and, in bits 3..7,
 * the file (modulo the state's file count + 1; the extra one is a new segment after the last). The rest
 * of the input is that file's content. The store is opened, read back whole, written to (unless
 * read-only) and closed. Must never crash, leak or abort; every status is one of ostore.h's. */
#include "fuzzutil.h"

static fz_snapshot states[2];
static const char *dir;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir == NULL) {
        char tmpl[300];
        snprintf(tmpl, sizeof tmpl, "%s-template", fz_scratch("recovery"));
        fz_build_template(tmpl, &states[0], &states[1]);
        rm_rf(tmpl);
        dir = fz_scratch("recovery");
    }
    if (size == 0)
        return 0;
    const fz_snapshot *snap = &states[data[0] & 1];
    uint32_t flags = (data[0] & 2 ? OSTORE_OPEN_READ_ONLY : 0) | (data[0] & 4 ? OSTORE_OPEN_REPAIR : 0);
    int which = (data[0] >> 3) % (snap->count + 1);
    char extra[64];
    const char *name;
    if (which < snap->count) {
        name = snap->files[which].name;
    } else {
        /* a segment after the last one: the template's segments are the only seg- files */
        unsigned long long last = 0;
        for (int i = 0; i < snap->count; i++) {
            unsigned long long id;
            if (sscanf(snap->files[i].name, "seg-%16llx.log", &id) == 1 && id > last)
                last = id;
        }
        snprintf(extra, sizeof extra, "seg-%016llx.log", last + 1);
        name = extra;
    }
    fz_materialize(dir, snap, name, data + 1, size - 1);
    ostore_options o;
    ostore_options_init(&o);
    o.segment_size = 1u << 20;
    o.flags = flags;
    char err[512];
    ostore *s = NULL;
    int rc = ostore_open(dir, &o, &s, err, sizeof err);
    fz_status(rc, "ostore_open");
    if (rc == OSTORE_OK) {
        fz_read_everything(s);
        if (!(flags & OSTORE_OPEN_READ_ONLY))
            fz_write_after_open(s);
        rc = ostore_close(s, err, sizeof err);
        fz_status(rc, "ostore_close");
    } else {
        fz_check(err[0] != '\0', "a failed open left no error message");
    }
    rm_rf(dir);
    return 0;
}
