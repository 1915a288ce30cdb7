/* Tests of key-order scans (ostore_list_ids_ordered; src/ordered.c). Included by test_ostore.c, which owns
 * CHECK and the runner. The random tests print their seed; OSTORE_TEST_SEED=<n> replays one. */

static unsigned ord_seed(const char *test)
{
    const char *env = getenv("OSTORE_TEST_SEED");
    unsigned seed = env != NULL ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL) ^ (unsigned)getpid();
    fprintf(stderr, "  %s: seed %u (OSTORE_TEST_SEED=%u replays it)\n", test, seed, seed);
    return seed;
}

static uint32_t ord_rand(uint64_t *st)
{
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*st >> 33);
}

/* byte order, a prefix first: the order the engine promises */
static int ord_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    int r = memcmp(a, b, al < bl ? al : bl);
    return r != 0 ? r : (al < bl ? -1 : al > bl);
}

typedef struct ord_id {
    uint8_t b[120];
    uint16_t len;
    uint8_t live;
    uint8_t expired; /* has a deadline in the past (at ORD_NOW) */
} ord_id;

#define ORD_NOW 5000u

static int ord_id_cmp(const void *pa, const void *pb)
{
    const ord_id *a = pa, *b = pb;
    return ord_cmp(a->b, a->len, b->b, b->len);
}

/* One page; appends its ids to got (each checked to be > the previous); returns the cursor length (0: done)
 * or -status. */
static long ord_page(ostore *s, const char *cls, const uint8_t *start, size_t start_len, uint32_t flags,
                     uint32_t limit, uint64_t now, ord_id *got, int *ngot, int maxgot, uint8_t *next)
{
    static uint8_t out[16384];
    size_t out_len, next_len;
    uint32_t count;
    int rc = ostore_list_ids_ordered(s, cls, strlen(cls), start, start_len, flags, limit, now, out, sizeof out,
                                     &out_len, &count, next, OSTORE_MAX_KEY, &next_len);
    if (rc != OSTORE_OK)
        return -rc;
    CHECK(count <= limit);
    size_t p = 0;
    for (uint32_t i = 0; i < count && p + 2 <= out_len; i++) {
        uint16_t n;
        memcpy(&n, out + p, 2);
        CHECK(n <= sizeof got[0].b && p + 2 + n <= out_len);
        if (n > sizeof got[0].b || p + 2 + n > out_len)
            return -OSTORE_CORRUPT;
        if (*ngot < maxgot) {
            ord_id *g = &got[*ngot];
            memcpy(g->b, out + p + 2, n);
            g->len = n;
            if (*ngot > 0)
                CHECK(ord_cmp(got[*ngot - 1].b, got[*ngot - 1].len, g->b, g->len) < 0);
            (*ngot)++;
        }
        p += 2 + n;
    }
    CHECK(p == out_len);
    return (long)next_len;
}

/* the whole scan from start (inclusive or not), in pages of `limit` */
static int ord_scan(ostore *s, const char *cls, const uint8_t *start, size_t start_len, bool after, uint32_t limit,
                    uint64_t now, ord_id *got, int maxgot)
{
    uint8_t cur[OSTORE_MAX_KEY], next[OSTORE_MAX_KEY];
    size_t cur_len = start_len;
    if (start_len > 0)
        memcpy(cur, start, start_len);
    uint32_t flags = after ? OSTORE_ORDER_AFTER : 0;
    int n = 0;
    for (int pages = 0; pages < 1000000; pages++) {
        long r = ord_page(s, cls, cur, cur_len, flags, limit, now, got, &n, maxgot, next);
        if (r < 0) {
            CHECK(0);
            return -1;
        }
        if (r == 0)
            return n;
        memcpy(cur, next, (size_t)r);
        cur_len = (size_t)r;
        flags = OSTORE_ORDER_AFTER;
    }
    CHECK(0);
    return -1;
}

/* a random id: mostly short, sometimes sharing a long prefix (ties in the first 16 bytes), any bytes
 * (0x00 and 0xFF included), sometimes over the 40 bytes kept inline in the object */
static void ord_random_id(uint64_t *st, ord_id *id)
{
    static const char common[] = "user-account-0000000000000000000000000000000000000000000000000000";
    uint32_t kind = ord_rand(st) % 8;
    size_t len;
    if (kind < 3) { /* shared 16+ byte prefix, then digits */
        size_t pre = 12 + ord_rand(st) % 40;
        memcpy(id->b, common, pre);
        len = pre + 1 + ord_rand(st) % 3;
        for (size_t i = pre; i < len; i++)
            id->b[i] = (uint8_t)('0' + ord_rand(st) % 10);
        if (ord_rand(st) % 8 == 0)
            len = pre; /* the bare prefix: a prefix of the others */
    } else if (kind < 6) {
        len = 1 + ord_rand(st) % 6;
        for (size_t i = 0; i < len; i++) /* few distinct bytes: many prefixes of one another */
            id->b[i] = (uint8_t[]){0x00, 0x01, 'a', 'b', 0x7F, 0x80, 0xFF}[ord_rand(st) % 7];
    } else {
        len = 1 + ord_rand(st) % (kind == 7 ? 110 : 20);
        for (size_t i = 0; i < len; i++)
            id->b[i] = (uint8_t)ord_rand(st);
    }
    id->len = (uint16_t)len;
}

static int ord_find(const ord_id *ids, int n, const ord_id *id)
{
    for (int i = 0; i < n; i++)
        if (ids[i].len == id->len && memcmp(ids[i].b, id->b, id->len) == 0)
            return i;
    return -1;
}

/* Compares scans from random starts with the sorted model: live, unexpired ids >= (or >) start. */
static void ord_check_model(ostore *s, const char *cls, const ord_id *model, int n, uint64_t *st, const char *when)
{
    ord_id *want = malloc(sizeof *want * (size_t)(n + 1));
    ord_id *got = malloc(sizeof *got * (size_t)(n + 1));
    for (int round = 0; round < 12; round++) {
        ord_id start = {.len = 0};
        uint32_t pick = ord_rand(st) % 4;
        if (pick == 1 && n > 0)
            start = model[ord_rand(st) % (uint32_t)n]; /* an existing (maybe deleted) id */
        else if (pick >= 2)
            ord_random_id(st, &start);
        bool after = ord_rand(st) % 2 == 0;
        bool filter = ord_rand(st) % 2 == 0;
        uint32_t limit = 1 + ord_rand(st) % (ord_rand(st) % 2 ? 5 : 500);
        int nw = 0;
        for (int i = 0; i < n; i++) {
            if (!model[i].live || (filter && model[i].expired))
                continue;
            int c = ord_cmp(model[i].b, model[i].len, start.b, start.len);
            if (c > 0 || (c == 0 && !after))
                want[nw++] = model[i];
        }
        qsort(want, (size_t)nw, sizeof *want, ord_id_cmp);
        int ng = ord_scan(s, cls, start.b, start.len, after, limit, filter ? ORD_NOW : 0, got, n + 1);
        bool same = ng == nw;
        for (int i = 0; same && i < nw; i++)
            same = ord_id_cmp(&want[i], &got[i]) == 0;
        if (!same)
            fprintf(stderr, "  %s: scan of %d ids (start len %u, after %d, limit %u, filter %d) differs from the "
                    "model's %d\n", when, ng, start.len, after, limit, filter, nw);
        CHECK(same);
    }
    free(want);
    free(got);
}

/* ids come in byte order from any start, deleted and expired ones left out, page after page, against a
 * sorted model; through creates, deletes, re-creates, reopen (checkpoint and log replay), compaction */
static void test_ordered_scan_matches_sorted_model(const char *dir)
{
    uint64_t st = ord_seed("ordered_scan_matches_sorted_model");
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    enum { MAXN = 1500 };
    ord_id *model = calloc(MAXN, sizeof *model);
    int n = 0;
    bb b;
    bb_init(&b);
    uint64_t past = 1000, future = 1ull << 50;
    for (int step = 0; step < 40; step++) {
        bb_reset(&b);
        int ops = 1 + (int)(ord_rand(&st) % 60);
        int used[64], nused = 0; /* an object appears once per batch */
        for (int k = 0; k < ops; k++) {
            ord_id id;
            int at;
            if (n > 0 && ord_rand(&st) % 3 == 0) {
                at = (int)(ord_rand(&st) % (uint32_t)n);
            } else {
                ord_random_id(&st, &id);
                at = ord_find(model, n, &id);
                if (at < 0) {
                    if (n == MAXN)
                        continue;
                    model[n] = id;
                    model[n].live = 0;
                    at = n++;
                }
            }
            bool dup = false;
            for (int u = 0; u < nused; u++)
                dup |= used[u] == at;
            if (dup)
                continue;
            used[nused++] = at;
            ord_id *m = &model[at];
            if (m->live && ord_rand(&st) % 2 == 0) {
                bb_obj_raw(&b, "Ord", 3, m->b, m->len, OSTORE_ANY_VERSION, OSTORE_OBJECT_DELETE);
                m->live = 0;
            } else {
                bb_obj_raw(&b, "Ord", 3, m->b, m->len, OSTORE_ANY_VERSION, 0);
                bb_puts(&b, "v", "x");
                uint32_t e = ord_rand(&st) % 6;
                if (e == 0)
                    bb_op_raw(&b, OSTORE_OP_PUT, "\0expires", OSTORE_EXPIRY_NAME_LEN, &past, 8);
                else if (e == 1)
                    bb_op_raw(&b, OSTORE_OP_PUT, "\0expires", OSTORE_EXPIRY_NAME_LEN, &future, 8);
                if (e <= 1 || !m->live)
                    m->expired = e == 0;
                m->live = 1;
            }
            if (nused == 64)
                break;
        }
        if (nused == 0)
            continue;
        /* another class with the same ids in between: scans must not mix classes */
        bb_obj_raw(&b, "Ord2", 4, model[used[0]].b, model[used[0]].len, OSTORE_ANY_VERSION, 0);
        bb_puts(&b, "v", "y");
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
        if (step % 3 == 0)
            ord_check_model(s, "Ord", model, n, &st, "after writes");
        uint32_t ev = ord_rand(&st) % 10;
        if (ev == 0) {
            close_store(s);
            s = open_opts(dir, 1u << 20, 0, NULL);
            if (!s) { CHECK(0); break; }
            ord_check_model(s, "Ord", model, n, &st, "after reopening");
        } else if (ev == 1) {
            CHECK_RC(ostore_compact(s), OSTORE_OK);
            ord_check_model(s, "Ord", model, n, &st, "after compaction");
        }
    }
    if (s != NULL) {
        ord_check_model(s, "Ord", model, n, &st, "at the end");
        close_store(s);
    }
    bb_free(&b);
    free(model);
}

/* bad arguments get statuses, never a crash; an unknown class is an empty scan; any bytes are a start */
static void test_ordered_scan_arguments(const char *dir)
{
    ostore *s = open_store(dir);
    if (!s) { CHECK(0); return; }
    CHECK_RC(put1(s, "A", "b", "v", "1"), OSTORE_OK);
    CHECK_RC(put1(s, "A", "a", "v", "1"), OSTORE_OK);
    uint8_t out[4096], next[OSTORE_MAX_KEY], big[OSTORE_MAX_KEY + 1];
    memset(big, 'z', sizeof big);
    size_t ol = 7, nl = 7;
    uint32_t n = 7;
#define ORD(cls, cl, st, sl, fl, lim, o, oc, nx, nc) \
    ostore_list_ids_ordered(s, cls, cl, st, sl, fl, lim, 0, o, oc, &ol, &n, nx, nc, &nl)
    CHECK_RC(ORD("A", 1, NULL, 0, 0, 10, out, sizeof out, next, sizeof next), OSTORE_OK);
    CHECK(n == 2 && ol == 6 && nl == 0 && memcmp(out + 2, "a", 1) == 0 && memcmp(out + 5, "b", 1) == 0);
    CHECK_RC(ORD("A", 1, "a", 1, OSTORE_ORDER_AFTER, 10, out, sizeof out, next, sizeof next), OSTORE_OK);
    CHECK(n == 1 && memcmp(out + 2, "b", 1) == 0);
    CHECK_RC(ORD("A", 1, big, OSTORE_MAX_KEY, 0, 10, out, sizeof out, next, sizeof next), OSTORE_OK);
    CHECK(n == 0 && nl == 0);
    CHECK_RC(ORD("A", 1, NULL, 0, 0, 1, out, sizeof out, next, sizeof next), OSTORE_OK);
    CHECK(n == 1 && nl == 1 && next[0] == 'a'); /* a page that stopped at the limit has a cursor */
    CHECK_RC(ORD("Nope", 4, NULL, 0, 0, 10, out, sizeof out, next, sizeof next), OSTORE_OK);
    CHECK(n == 0 && ol == 0 && nl == 0);
    CHECK_RC(ORD(NULL, 1, NULL, 0, 0, 10, out, sizeof out, next, sizeof next), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD("A", 0, NULL, 0, 0, 10, out, sizeof out, next, sizeof next), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD(big, sizeof big, NULL, 0, 0, 10, out, sizeof out, next, sizeof next), OSTORE_TOO_LARGE);
    CHECK_RC(ORD("A", 1, big, sizeof big, 0, 10, out, sizeof out, next, sizeof next), OSTORE_TOO_LARGE);
    CHECK_RC(ORD("A", 1, NULL, 3, 0, 10, out, sizeof out, next, sizeof next), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD("A", 1, NULL, 0, 0, 0, out, sizeof out, next, sizeof next), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD("A", 1, NULL, 0, 0, 10, out, 100, next, sizeof next), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD("A", 1, NULL, 0, 0, 10, NULL, sizeof out, next, sizeof next), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD("A", 1, NULL, 0, 0, 10, out, sizeof out, next, 10), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD("A", 1, NULL, 0, 0, 10, out, sizeof out, NULL, sizeof next), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ORD("A", 1, NULL, 0, 4, 10, out, sizeof out, next, sizeof next), OSTORE_INVALID_ARGUMENT);
    char err[256];
    ostore_last_error(s, err, sizeof err);
    CHECK(strstr(err, "flags") != NULL);
    CHECK_RC(ostore_list_ids_ordered(NULL, "A", 1, NULL, 0, 0, 10, 0, out, sizeof out, &ol, &n, next, sizeof next,
                                     &nl), OSTORE_INVALID_ARGUMENT);
    CHECK_RC(ostore_list_ids_ordered(s, "A", 1, NULL, 0, 0, 10, 0, out, sizeof out, NULL, &n, next, sizeof next,
                                     &nl), OSTORE_INVALID_ARGUMENT);
#undef ORD
    close_store(s);
}

/* A class bigger than OSTORE_SCAN_STEP: the first scan builds the index step by step; a page examines at
 * most OSTORE_SCAN_STEP objects, so one over deleted objects is empty but has a cursor, and the scan
 * still ends with exactly the live ids */
static void test_ordered_scan_big_class_and_step(const char *dir)
{
    ostore *s = open_opts(dir, 64u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    enum { N = 70000 + 1000 };
    bb b;
    bb_init(&b);
    char id[32];
    for (int base = 0; base < N; base += 1000) { /* written in descending id order */
        bb_reset(&b);
        for (int i = base; i < base + 1000; i++) {
            snprintf(id, sizeof id, "k%07d", N - 1 - i);
            bb_obj(&b, "Big", id, OSTORE_ANY_VERSION);
            bb_puts(&b, "v", "x"); /* ids k0000000 .. k0069999 are deleted below */
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    for (int base = 0; base < 70000; base += 1000) {
        bb_reset(&b);
        for (int i = base; i < base + 1000; i++) {
            snprintf(id, sizeof id, "k%07d", i);
            bb_del_obj(&b, "Big", id, OSTORE_ANY_VERSION);
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    uint8_t out[8192], next[OSTORE_MAX_KEY];
    size_t ol, nl;
    uint32_t n;
    CHECK_RC(ostore_list_ids_ordered(s, "Big", 3, NULL, 0, 0, 10, 0, out, sizeof out, &ol, &n, next, sizeof next,
                                     &nl), OSTORE_OK);
    CHECK(n == 0 && nl == 8 && memcmp(next, "k0065535", 8) == 0);
    ord_id *got = malloc(sizeof *got * 2000);
    int ng = ord_scan(s, "Big", NULL, 0, false, 300, 0, got, 2000);
    CHECK(ng == 1000);
    CHECK(ng > 0 && got[0].len == 8 && memcmp(got[0].b, "k0070000", 8) == 0);
    CHECK(ng == 1000 && memcmp(got[999].b, "k0070999", 8) == 0);
    free(got);
    bb_free(&b);
    close_store(s);
}

typedef struct ord_writer_arg {
    ostore *s;
    atomic_int *stop;
    atomic_int rounds; /* read by the scanning thread while the writer runs */
} ord_writer_arg;

/* creates and deletes ids "m-*" (the churn), compacting now and then (the ordered index is dropped and
 * rebuilt under the scanners) */
static void *ord_writer_main(void *p)
{
    ord_writer_arg *a = p;
    bb b;
    bb_init(&b);
    char id[32];
    for (int r = 0; !atomic_load(a->stop); r++) {
        bb_reset(&b);
        for (int k = 0; k < 50; k++) {
            snprintf(id, sizeof id, "m-%05d", (r * 50 + k) % 4000);
            if (r % 3 == 2)
                bb_del_obj(&b, "Conc", id, OSTORE_ANY_VERSION);
            else {
                bb_obj(&b, "Conc", id, OSTORE_ANY_VERSION);
                bb_puts(&b, "v", "w");
            }
        }
        (void)write_bb(a->s, &b);
        if (r % 40 == 39)
            (void)ostore_compact(a->s);
        atomic_fetch_add(&a->rounds, 1);
    }
    bb_free(&b);
    return NULL;
}

/* scanners paging while a writer creates, deletes and compacts: ids strictly increase, and every id that
 * lives through the whole scan comes exactly once */
static void test_ordered_scan_while_writing(const char *dir)
{
    ostore *s = open_opts(dir, 1u << 20, 0, NULL);
    if (!s) { CHECK(0); return; }
    bb b;
    bb_init(&b);
    char id[32];
    for (int base = 0; base < 3000; base += 500) { /* stable ids "k-*" and "z-*" around the churn */
        bb_reset(&b);
        for (int i = base; i < base + 500; i++) {
            snprintf(id, sizeof id, "%c-%05d", i % 2 ? 'k' : 'z', i);
            bb_obj(&b, "Conc", id, OSTORE_ANY_VERSION);
            bb_puts(&b, "v", "s");
        }
        CHECK_RC(write_bb(s, &b), OSTORE_OK);
    }
    atomic_int stop = 0;
    ord_writer_arg wa = {.s = s, .stop = &stop};
    pthread_t th;
    pthread_create(&th, NULL, ord_writer_main, &wa);
    ord_id *got = malloc(sizeof *got * 8000);
    int scans = 0;
    for (; scans < 60 || (atomic_load(&wa.rounds) < 20 && scans < 5000); scans++) {
        int ng = ord_scan(s, "Conc", NULL, 0, false, 1 + (uint32_t)scans % 97, 0, got, 8000);
        int stable = 0;
        for (int i = 0; i < ng; i++)
            if (got[i].b[0] != 'm')
                stable++;
        CHECK(stable == 3000); /* ascending (ord_page checks) and all there: so each exactly once */
    }
    atomic_store(&stop, 1);
    pthread_join(th, NULL);
    CHECK(atomic_load(&wa.rounds) > 0);
    free(got);
    bb_free(&b);
    close_store(s);
}
