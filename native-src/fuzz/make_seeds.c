/* Writes the committed seed corpora of the libFuzzer harnesses (`make fuzz-seeds`): batches built like the
 * SDK builds them, and the files of the template store in both states, in each harness's input layout. */
#include "fuzzutil.h"
/* test hooks of src/internal.h (which fuzzutil.h's byte helpers clash with) */
extern uint32_t os_ckpt_split_objects;

static void put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    mkdir(dir, 0755);
    fz_write_file(dir, name, p, n);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds CORPUS_ROOT\n");
        return 2;
    }
    char d[1024], name[128];
    mkdir(argv[1], 0755);

    snprintf(d, sizeof d, "%s/batch", argv[1]);
    bb b;
    bb_init(&b);
    put(d, "empty", b.p, b.n);
    bb_obj(&b, "Account", "alice", OSTORE_ANY_VERSION);
    bb_puts(&b, "balance", "100");
    bb_puts(&b, "owner", "Alice");
    put(d, "one-object", b.p, b.n);
    bb_del_obj(&b, "Account", "bob", 3);
    bb_obj(&b, "Note", "n1", OSTORE_ABSENT_VERSION);
    bb_del(&b, "draft");
    put(d, "put-delete-deleteentry", b.p, b.n);
    bb_reset(&b);
    uint8_t big[5000];
    memset(big, 7, sizeof big);
    bb_obj(&b, "C", "x", OSTORE_ANY_VERSION);
    bb_put(&b, "v", big, 4000);
    put(d, "large-value", b.p, b.n);
    bb_free(&b);

    fz_snapshot crashed, closed;
    os_ckpt_split_objects = 4; /* the template's checkpoints have splits (fuzz_checkpoint.c loads them in parts) */
    char tmpl[1100];
    snprintf(tmpl, sizeof tmpl, "%s/.template", argv[1]);
    fz_build_template(tmpl, &crashed, &closed);
    rm_rf(tmpl);
    const fz_snapshot *states[2] = {&crashed, &closed};
    const char *state_names[2] = {"crashed", "closed"};
    for (int st = 0; st < 2; st++) {
        for (int i = 0; i < states[st]->count; i++) {
            const fz_file *f = &states[st]->files[i];
            if (strcmp(f->name, "index.ckpt") == 0) {
                snprintf(d, sizeof d, "%s/checkpoint", argv[1]);
                snprintf(name, sizeof name, "%s-index.ckpt", state_names[st]);
                put(d, name, f->data, f->len);
            }
            snprintf(d, sizeof d, "%s/recovery", argv[1]);
            uint8_t *seed = malloc(f->len + 1);
            memcpy(seed + 1, f->data, f->len);
            for (int flags = 0; flags < 4; flags += 2) { /* plain and read-only */
                seed[0] = (uint8_t)((i << 3) | flags | st);
                snprintf(name, sizeof name, "%s-%s-%s", state_names[st], f->name, flags ? "ro" : "rw");
                put(d, name, seed, f->len + 1);
            }
            free(seed);
        }
    }

    /* fuzz_delta: byte 0 = variant | read-only << 1 | (index.ckpt instead of index.delta) << 2 */
    snprintf(d, sizeof d, "%s/delta", argv[1]);
    for (int v = 0; v < 2; v++) {
        fz_snapshot t;
        fz_build_delta_template(tmpl, v == 1, &t);
        rm_rf(tmpl);
        for (int i = 0; i < t.count; i++) {
            const fz_file *f = &t.files[i];
            bool ck = strcmp(f->name, "index.ckpt") == 0;
            if (!ck && strcmp(f->name, "index.delta") != 0)
                continue;
            uint8_t *seed = malloc(f->len + 1);
            memcpy(seed + 1, f->data, f->len);
            for (int ro = 0; ro < 2; ro++) {
                seed[0] = (uint8_t)(v | ro << 1 | (ck ? 4 : 0));
                snprintf(name, sizeof name, "%s-%s-%s", v ? "rollover" : "one-segment", f->name, ro ? "ro" : "rw");
                put(d, name, seed, f->len + 1);
            }
            if (!ck) { /* the deltas one by one: each header's body_len gives the next one's offset */
                seed[0] = (uint8_t)v;
                for (size_t off = 0, k = 1; off + 64 <= f->len; k++) {
                    off += 64 + rd64(f->data + off + 48);
                    snprintf(name, sizeof name, "%s-first-%zu-deltas", v ? "rollover" : "one-segment", k);
                    put(d, name, seed, (off < f->len ? off : f->len) + 1);
                }
            }
            free(seed);
        }
    }
    return 0;
}
