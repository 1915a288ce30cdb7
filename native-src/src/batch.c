/* Records (FORMAT.md, "Record"): parsing and validation of BATCH / SNAPSHOT payloads in both layouts — the
 * version-1 layout is also the caller's buffer of ostore_write_batch — the version-2 encoding the writer
 * produces, and the record headers of both versions. Every length and varint is checked against the bytes
 * that are really there before it is used. */
#include "internal.h"

/* alignment padding (0..7 bytes) is zero: one word load, inline (it runs twice per object of every batch) */
static inline bool zero_pad(const uint8_t *p, size_t n) { return os_load_tail(p, n) == 0; }

/* A parsed object, either layout: its PUT count, and nothing looked up or prepared yet. */
static inline void bobj_parsed(os_bobj *b, uint32_t puts)
{
    b->puts = puts;
    b->o = NULL;
    b->cls = NULL;
    b->newarr = NULL;
    b->newk = 0;
    b->is_new = 0;
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
    uint32_t nops = 0;
    uint64_t v2 = 0;       /* the version-2 size (FORMAT.md, "Record version 2") */
    uint32_t run0 = 0;     /* first object of the current class run */
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
        if (!zero_pad(h + OS_OBJ_HDR + cl + il, kb - cl - il))
            return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u: non-zero padding after the key", i);
        b->cname = h + OS_OBJ_HDR;
        b->id = h + OS_OBJ_HDR + cl;
        b->id_at = off + OS_OBJ_HDR + cl;
        b->op0 = nops;
        b->class_len = cl;
        b->id_len = il;
        b->op_count = opc;
        b->flags = flags;
        b->expected = expected;
        if (seed_cls == NULL || seed_cl != cl || !os_bytes_eq(seed_cls, h + OS_OBJ_HDR, cl)) {
            if (seed_cls != NULL)
                v2 += os_varint_len(sc->objs[run0].run);
            seed_cls = h + OS_OBJ_HDR;
            seed_cl = cl;
            if (cl == sc->seed_len && os_bytes_eq(sc->seed_name, seed_cls, cl)) {
                seed = sc->seed;
            } else {
                seed = os_hash_class_seed(seed_cls, cl);
                if (cl <= sizeof sc->seed_name) {
                    memcpy(sc->seed_name, seed_cls, cl);
                    sc->seed_len = cl;
                    sc->seed = seed;
                }
            }
            run0 = i;
            b->run = 1;
            v2 += os_varint_len(cl) + cl;
        } else {
            sc->objs[run0].run++;
            b->run = 0;
        }
        v2 += os_varint_len(il) + il + os_varint_len(((uint64_t)opc << 1) | 1u);
        b->hash = os_hash_bytes(h + OS_OBJ_HDR + cl, il, seed);
        if (sc->pf != NULL) /* for writing: the publish stores the object's value hint (and a new one's slot) there */
            __builtin_prefetch(os_slot(sc->pf->slots, b->hash & sc->pf->mask), 1);
        off += OS_OBJ_HDR + kb;
        /* each op takes at least OS_OP_HDR + 8 bytes, so at most `fit` ops can pass the checks below: reserve
         * no more than that, and let an op_count past the end fail where the op loop finds it (the same
         * status, in the same order of checks, as the SDK's MemoryStore: BatchParseFuzzTest) */
        size_t fit = (len - off) / (OS_OP_HDR + 8);
        if (os_scratch_reserve_ops(sc, (size_t)nops + (opc < fit ? opc : fit)) != OSTORE_OK)
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory parsing a batch");
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
            if (!zero_pad(o + OS_OP_HDR + nl + vl, body - nl - vl))
                return os_fail(e, OSTORE_INVALID_ARGUMENT, "object %u op %u: non-zero padding", i, j);
            os_bop *bp = &sc->ops[nops++];
            bp->name = o + OS_OP_HDR;
            bp->at = off + OS_OP_HDR;
            bp->vl = vl;
            bp->nl = nl;
            bp->kind = kind;
            off += OS_OP_HDR + body;
            puts += kind == OSTORE_OP_PUT;
            v2 += os_varint_len((uint64_t)nl << 1) + nl + (kind == OSTORE_OP_PUT ? os_varint_len(vl) + vl : 0u);
        }
        bobj_parsed(b, puts);
    }
    if (off != len)
        return os_fail(e, OSTORE_INVALID_ARGUMENT, "batch_len is %zu but the batch parses to %zu bytes", len, off);
    if (n > 0)
        v2 += os_varint_len(sc->objs[run0].run);
    sc->v2len = v2;
    *count = n;
    return OSTORE_OK;
}

/* ---- version 2 (FORMAT.md, "Record version 2") ---- */

#define V2FAIL(...) return os_fail(e, OSTORE_CORRUPT, __VA_ARGS__)

int os_rec2_parse(const uint8_t *p, size_t len, bool snapshot, os_scratch *sc, uint32_t *count, os_err *e)
{
    *count = 0;
    size_t at = 0;
    uint32_t n = 0, nops = 0;
    uint64_t v;
    while (at < len) {
        uint64_t cl, cnt;
        if (!os_get_varint(p, len, &at, &cl) || cl == 0 || cl > OSTORE_MAX_KEY || cl > len - at)
            V2FAIL("run at payload offset %zu: bad class length", at);
        const uint8_t *cls = p + at;
        at += cl;
        /* an object takes at least 3 bytes (id_len, one id byte, head): that bounds object_count */
        if (!os_get_varint(p, len, &at, &cnt) || cnt == 0 || cnt > (len - at) / 3 || cnt > UINT32_MAX - n)
            V2FAIL("run at payload offset %zu: bad object count", at);
        if (os_scratch_reserve(sc, (size_t)n + cnt) != OSTORE_OK)
            return os_fail(e, OSTORE_NO_MEMORY, "out of memory parsing a record of %llu objects",
                           (unsigned long long)(n + cnt));
        uint64_t seed = os_hash_class_seed(cls, cl);
        for (uint64_t k = 0; k < cnt; k++, n++) {
            os_bobj *b = &sc->objs[n];
            uint64_t il, head, version = OSTORE_ANY_VERSION;
            if (!os_get_varint(p, len, &at, &il) || il == 0 || il > OSTORE_MAX_KEY || il > len - at)
                V2FAIL("object %u: bad id length", n);
            b->id = p + at;
            b->id_at = at;
            at += il;
            if (!os_get_varint(p, len, &at, &head))
                V2FAIL("object %u: header past the end of the record", n);
            uint64_t opc = head >> 1;
            bool del = (head & 1) != 0;
            if (del && opc != 0)
                V2FAIL("object %u: a deleted object must have no ops", n);
            if (snapshot && (!os_get_varint(p, len, &at, &version) || version == 0 || version == OSTORE_ANY_VERSION))
                V2FAIL("snapshot object %u: bad version", n);
            /* an op takes at least 2 bytes (name_kind, one name byte) */
            if (opc > (len - at) / 2)
                V2FAIL("object %u: %llu ops do not fit in the record", n, (unsigned long long)opc);
            if (os_scratch_reserve_ops(sc, (size_t)nops + opc) != OSTORE_OK)
                return os_fail(e, OSTORE_NO_MEMORY, "out of memory parsing a record");
            b->cname = cls;
            b->run = k == 0 ? (uint32_t)cnt : 0u;
            b->class_len = (uint16_t)cl;
            b->id_len = (uint16_t)il;
            b->op_count = (uint32_t)opc;
            b->flags = del ? OSTORE_OBJECT_DELETE : 0u;
            b->expected = version;
            b->hash = os_hash_bytes(b->id, il, seed);
            b->op0 = nops;
            uint32_t puts = 0;
            for (uint64_t j = 0; j < opc; j++) {
                uint64_t nk, vl = 0;
                if (!os_get_varint(p, len, &at, &nk))
                    V2FAIL("object %u op %llu: header past the end of the record", n, (unsigned long long)j);
                uint64_t nl = nk >> 1;
                uint8_t kind = (nk & 1) ? OSTORE_OP_DELETE_ENTRY : OSTORE_OP_PUT;
                if (nl == 0 || nl > OSTORE_MAX_KEY)
                    V2FAIL("object %u op %llu: bad name length", n, (unsigned long long)j);
                if (snapshot && kind != OSTORE_OP_PUT)
                    V2FAIL("snapshot object %u op %llu: not a PUT", n, (unsigned long long)j);
                if (kind == OSTORE_OP_PUT &&
                    (!os_get_varint(p, len, &at, &vl) || vl > OSTORE_HARD_MAX_VALUE))
                    V2FAIL("object %u op %llu: bad value length", n, (unsigned long long)j);
                if (nl > len - at || vl > len - at - nl)
                    V2FAIL("object %u op %llu: name/value past the end of the record", n, (unsigned long long)j);
                os_bop *bp = &sc->ops[nops++];
                bp->name = p + at;
                bp->at = at;
                bp->vl = (uint32_t)vl;
                bp->nl = (uint16_t)nl;
                bp->kind = kind;
                at += nl + vl;
                puts += kind == OSTORE_OP_PUT;
            }
            bobj_parsed(b, puts);
        }
    }
    (void)v;
    *count = n;
    return OSTORE_OK;
}

/* n bytes from s to d (not overlapping): names, ids and small values inline, without a call (a one-entry
 * batch copies four strings of a few bytes each) */
static inline void copy_small(uint8_t *d, const uint8_t *s, size_t n)
{
    if (n > 16) {
        memcpy(d, s, n);
    } else if (n >= 8) {
        uint64_t a = rd64(s), b = rd64(s + n - 8);
        wr64(d, a);
        wr64(d + n - 8, b);
    } else if (n >= 4) {
        uint32_t a = rd32(s), b = rd32(s + n - 4);
        wr32(d, a);
        wr32(d + n - 4, b);
    } else if (n > 0) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

void os_rec2_encode(uint8_t *dst, os_bobj *bo, uint32_t n, os_bop *ops)
{
    uint8_t *p = dst;
    for (uint32_t i = 0; i < n; i++) {
        os_bobj *b = &bo[i];
        if (b->run != 0) { /* a class run starts: its class and object count */
            p = os_put_varint(p, b->class_len);
            copy_small(p, b->cname, b->class_len);
            p += b->class_len;
            p = os_put_varint(p, b->run);
        }
        p = os_put_varint(p, b->id_len);
        copy_small(p, b->id, b->id_len);
        b->id_at = (uint64_t)(p - dst);
        p += b->id_len;
        p = os_put_varint(p, ((uint64_t)b->op_count << 1) | ((b->flags & OSTORE_OBJECT_DELETE) ? 1u : 0u));
        for (uint32_t k = 0; k < b->op_count; k++) {
            os_bop *op = &ops[b->op0 + k];
            bool put = op->kind == OSTORE_OP_PUT;
            p = os_put_varint(p, ((uint64_t)op->nl << 1) | (put ? 0u : 1u));
            if (put)
                p = os_put_varint(p, op->vl);
            copy_small(p, op->name, op->nl);
            op->at = (uint64_t)(p - dst);
            p += op->nl;
            if (put) {
                copy_small(p, op->name + op->nl, op->vl); /* the value follows the name in both layouts */
                p += op->vl;
            }
        }
    }
}

/* ---- record headers ---- */

/* 2: what writers write; 1 only for tests that build an older store (the compatibility writer) */
uint32_t os_rec_write_version = 2;

void os_rec2_seal(uint8_t *rec, uint32_t hdr_len, uint64_t payload_len, uint64_t seq, uint16_t type)
{
    uint8_t *p = os_put_varint(rec + 8, payload_len);
    p = os_put_varint(p, seq);
    *p = (uint8_t)type;
    uint64_t end = hdr_len + payload_len, padded = pad8(end);
    if (padded > end)
        memset(rec + end, 0, padded - end);
    wr32(rec + 4, os_crc32c(rec + 8, end - 8));
    wr32(rec, OS_REC2_MAGIC);
}

const char *os_rec_head(const uint8_t *r, uint64_t left, os_rech *h)
{
    if (left < 8)
        return "record header past the end of the file";
    uint32_t magic = rd32(r);
    if (magic == OS_REC_MAGIC) {
        if (left < OS_REC_HDR)
            return "record header past the end of the file";
        h->version = 1;
        h->hdr_len = OS_REC_HDR;
        h->payload_len = rd64(r + 8);
        h->seq = rd64(r + 16);
        h->type = rd16(r + 24);
    } else if (magic == OS_REC2_MAGIC) {
        size_t at = 8, lim = left < OS_REC2_HDR_MAX ? (size_t)left : OS_REC2_HDR_MAX;
        if (!os_get_varint(r, lim, &at, &h->payload_len) || !os_get_varint(r, lim, &at, &h->seq) || at >= lim)
            return "record header past the end of the file or not minimal";
        h->version = 2;
        h->type = r[at];
        h->hdr_len = (uint32_t)at + 1u;
    } else {
        return "bad record magic";
    }
    if (h->payload_len > left - h->hdr_len)
        return "record length past the end of the file";
    h->total = pad8(h->hdr_len + h->payload_len);
    if (h->total > left)
        return "record length past the end of the file";
    return NULL;
}

bool os_rec_crc_ok(const uint8_t *r, const os_rech *h)
{
    return rd32(r + 4) == os_crc32c(r + 8, h->hdr_len - 8 + h->payload_len);
}
