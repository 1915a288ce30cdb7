/* Parsing and validation of BATCH / SNAPSHOT payloads (FORMAT.md, "BATCH payload"). The same code
 * checks a caller's buffer in ostore_write_batch and a record's payload during recovery and compaction:
 * every length is checked against the bytes that are really there before it is used. */
#include "internal.h"

static bool zero_bytes(const uint8_t *p, size_t n)
{
    if (n <= 8) /* alignment padding: 0..7 bytes */
        return os_load_tail(p, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

int os_batch_parse(const uint8_t *p, size_t len, uint64_t max_value, bool snapshot, os_scratch *sc,
                   uint32_t *count, os_err *e)
{
    *count = 0;
    if (p == NULL || len < 8)
        return os_fail(e, OSTORE_INVALID_ARGUMENT, "batch of %zu bytes is shorter than its 8-byte header",
                       p == NULL ? (size_t)0 : len);
    uint32_t n = rd32(p);
    if (rd32(p + 4) != 0)
        return os_fail(e, OSTORE_INVALID_ARGUMENT, "batch header: reserved field is not zero");
    if ((uint64_t)n > (len - 8) / OS_OBJ_HDR)
        return os_fail(e, OSTORE_INVALID_ARGUMENT, "batch declares %u objects but has only %zu bytes", n,
                       len);
    if (os_scratch_reserve(sc, n) != OSTORE_OK)
        return os_fail(e, OSTORE_NO_MEMORY, "out of memory parsing a batch of %u objects", n);
    size_t off = 8;
    /* objects of a batch usually share their class: its part of the key hash is computed once per run */
    const uint8_t *seed_cls = NULL;
    uint16_t seed_cl = 0;
    uint64_t seed = 0;
    for (uint32_t i = 0; i < n; i++) {
        os_bobj *b = &sc->objs[i];
        if (len - off < OS_OBJ_HDR)
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u: header past the end of the batch (offset %zu)",
                           i, off);
        const uint8_t *h = p + off;
        uint16_t cl = rd16(h), il = rd16(h + 2);
        uint32_t opc = rd32(h + 4), flags = rd32(h + 8);
        uint64_t expected = rd64(h + 16);
        if (cl == 0 || il == 0)
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u: empty class id or object id", i);
        if (cl > OSTORE_MAX_KEY || il > OSTORE_MAX_KEY)
            return os_fail(e, OSTORE_TOO_LARGE, "object %u: class id (%u bytes) or object id (%u bytes) over %u bytes",
                           i, cl, il, OSTORE_MAX_KEY);
        if ((flags & ~OSTORE_OBJECT_DELETE) != 0 || rd32(h + 12) != 0)
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u: unknown flags 0x%x or non-zero reserved field", i,
                           flags);
        if ((flags & OSTORE_OBJECT_DELETE) != 0 && opc != 0)
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u: a deleted object must have no ops (has %u)", i,
                           opc);
        if (snapshot && (expected == 0 || expected == OSTORE_ANY_VERSION))
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "snapshot object %u: bad version %llu", i,
                           (unsigned long long)expected);
        uint64_t kb = pad8((uint64_t)cl + il);
        if (len - off - OS_OBJ_HDR < kb)
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u: key bytes past the end of the batch", i);
        if (!zero_bytes(h + OS_OBJ_HDR + cl + il, kb - cl - il))
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u: non-zero padding after the key", i);
        b->hdr = off;
        b->class_len = cl;
        b->id_len = il;
        b->op_count = opc;
        b->flags = flags;
        b->expected = expected;
        if (seed_cls == NULL || seed_cl != cl || memcmp(seed_cls, h + OS_OBJ_HDR, cl) != 0) {
            seed_cls = h + OS_OBJ_HDR;
            seed_cl = cl;
            seed = os_hash_class_seed(seed_cls, cl);
        }
        b->hash = os_hash_bytes(h + OS_OBJ_HDR + cl, il, seed);
        if (sc->pf != NULL)
            __builtin_prefetch(&sc->pf->slots[b->hash & sc->pf->mask]);
        off += OS_OBJ_HDR + kb;
        b->ops = off;
        uint32_t puts = 0;
        for (uint32_t j = 0; j < opc; j++) {
            if (len - off < OS_OP_HDR)
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u op %u: header past the end of the batch", i, j);
            const uint8_t *o = p + off;
            uint8_t kind = o[0];
            uint16_t nl = rd16(o + 2);
            uint32_t vl = rd32(o + 4);
            if ((kind != OSTORE_OP_PUT && kind != OSTORE_OP_DELETE_ENTRY) || o[1] != 0)
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u op %u: unknown kind %u", i, j, kind);
            if (snapshot && kind != OSTORE_OP_PUT)
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "snapshot object %u op %u: not a PUT", i, j);
            if (nl == 0)
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u op %u: empty entry name", i, j);
            if (nl > OSTORE_MAX_KEY)
                return os_fail(e, OSTORE_TOO_LARGE, "object %u op %u: entry name of %u bytes over %u", i, j, nl,
                               OSTORE_MAX_KEY);
            if (kind == OSTORE_OP_DELETE_ENTRY && vl != 0)
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u op %u: DELETE_ENTRY with a value", i, j);
            if (vl > max_value)
                return os_fail(e, OSTORE_TOO_LARGE, "object %u op %u: value of %u bytes over the limit of %llu", i,
                               j, vl, (unsigned long long)max_value);
            uint64_t body = pad8((uint64_t)nl + vl);
            if (len - off - OS_OP_HDR < body)
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u op %u: name/value past the end of the batch",
                               i, j);
            if (!zero_bytes(o + OS_OP_HDR + nl + vl, body - nl - vl))
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u op %u: non-zero padding", i, j);
            off += OS_OP_HDR + body;
            puts += kind == OSTORE_OP_PUT;
        }
        b->end = off;
        b->puts = puts;
        b->o = NULL;
        b->cls = NULL;
        b->newarr = NULL;
        b->newk = 0;
        b->is_new = 0;
    }
    if (off != len)
        return os_fail(e, OSTORE_INVALID_ARGUMENT, "batch_len is %zu but the batch parses to %zu bytes", len, off);
    *count = n;
    return OSTORE_OK;
}
