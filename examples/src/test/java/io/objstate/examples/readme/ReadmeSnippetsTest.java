package io.objstate.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.objstate.Batch;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ListenerRegistration;
import io.objstate.MethodArgumentException;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RingFullPolicy;
import io.objstate.StaleObjectException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.objstate.BackupResult;
import io.objstate.micrometer.ObjstateMetrics;
import io.objstate.UnknownMethodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour runs here, and the README must contain every snippet of this package verbatim.
 * Snippets are the lines between {@code // snippet:NAME} and {@code // /snippet} in this package's
 * sources (common indentation removed); in README.md they sit between {@code <!-- snippet:NAME -->} and
 * {@code <!-- /snippet -->} in a java code block. Edit both together.
 */
class ReadmeSnippetsTest {
    private static final Path PACKAGE = Path.of("src/test/java/io/objstate/examples/readme");
    private static final Pattern README_SNIPPET = Pattern.compile(
            "<!-- snippet:([\\w-]+) -->\\n```java\\n(.*?)```\\n<!-- /snippet -->", Pattern.DOTALL);

    @TempDir
    Path dir;

    // ---- README and code must not drift ---------------------------------------------------------

    @Test
    void readmeContainsEverySnippetVerbatim() throws IOException {
        Path module = Path.of(System.getProperty("user.dir"));
        String readme = Files.readString(module.resolve("../README.md"));
        Map<String, String> inReadme = new LinkedHashMap<>();
        Matcher m = README_SNIPPET.matcher(readme);
        while (m.find()) {
            assertTrue(inReadme.put(m.group(1), m.group(2)) == null, "README has snippet " + m.group(1) + " twice");
        }
        int markers = readme.split("<!-- snippet:", -1).length - 1;
        assertEquals(markers, inReadme.size(), "a README snippet marker is not followed by a ```java block"
                + " and <!-- /snippet -->: " + inReadme.keySet());

        Map<String, String> inCode = codeSnippets(module.resolve(PACKAGE));
        assertFalse(inCode.isEmpty(), "no snippets found under " + module.resolve(PACKAGE));
        for (Map.Entry<String, String> e : inCode.entrySet()) {
            assertTrue(inReadme.containsKey(e.getKey()), "README.md lacks snippet " + e.getKey());
            assertEquals(e.getValue(), inReadme.get(e.getKey()), "README.md snippet " + e.getKey()
                    + " differs from the code in " + PACKAGE);
        }
        for (String name : inReadme.keySet()) {
            assertTrue(inCode.containsKey(name), "README.md snippet " + name + " has no code in " + PACKAGE);
        }
    }

    static Map<String, String> codeSnippets(Path packageDir) throws IOException {
        Map<String, String> snippets = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.list(packageDir)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            String name = null;
            List<String> body = new ArrayList<>();
            for (String line : lines) {
                String t = line.strip();
                if (t.startsWith("// snippet:")) {
                    name = t.substring("// snippet:".length());
                    body.clear();
                } else if (t.equals("// /snippet") && name != null) {
                    if (snippets.put(name, dedent(body)) != null) {
                        fail("snippet " + name + " defined twice");
                    }
                    name = null;
                } else if (name != null) {
                    body.add(line);
                }
            }
        }
        return snippets;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return b.toString();
    }

    // ---- the tour, as it appears in the README --------------------------------------------------

    @Test
    void tourOpen() {
        // snippet:tour-open
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {            // the embedded store in directory dir
            ObjectSet<Account> accounts = rt.objects(Account.class);   // registers and validates the class
            Account alice = accounts.create("alice");                  // a new object with the constructor's defaults
            alice.owner = "Alice";
            alice.deposit(100);
            rt.commit(alice);                                          // stored: atomically, all fields

            Account someone = accounts.create();                       // a generated, time-sortable id
            String id = accounts.idOf(someone);                        // e.g. "1M80PZST30000G0AHE3"
        }                                                              // close: drain, checkpoint, unlock
        // /snippet
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            Account alice = rt.objects(Account.class).get("alice");
            assertEquals(100, alice.balance);
            assertEquals("alice", alice.id);
            assertEquals(List.of(new Account.Posting("deposit", 100)), alice.history);
            assertEquals(1, rt.objects(Account.class).ids().size(), "an object never committed is not stored");
        }
    }

    @Test
    void tourLoad() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            a.deposit(100);
            rt.commit(a);
            // snippet:tour-load
            Account copy = accounts.get("alice");        // a private copy of the committed state
            copy.balance = 1_000_000;                    // nobody else sees this...
            long stored = accounts.get("alice").balance; // ...so this is still 100
            long version = accounts.versionOf(copy);     // 1: every commit bumps the version
            Optional<Account> bob = accounts.find("bob");  // empty: get("bob") would throw ObjectNotFoundException
            Map<String, Account> some = accounts.findAll(List.of("alice", "bob")); // {alice=...}: the ones that exist
            // /snippet
            assertEquals(100, stored);
            assertEquals(1, version);
            assertTrue(bob.isEmpty());
            assertEquals(List.of("alice"), List.copyOf(some.keySet()));
            assertEquals(100, accounts.get("alice").balance);
        }
    }

    @Test
    void tourAtomic() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            a.deposit(100);
            Account old = accounts.create("old-account");
            rt.commit(a, old);
            // snippet:tour-atomic
            Account alice = accounts.get("alice");
            Account bob = accounts.create("bob");
            alice.withdraw(30);
            bob.deposit(30);
            CommitResult r = rt.commit(alice, bob);      // both or neither, also after a crash
            long aliceVersion = r.versionOf(alice);      // 2

            try (Batch batch = rt.batch()) {             // puts and deletes as one atomic unit
                Account carol = accounts.create("carol");
                carol.deposit(5);
                batch.put(carol).delete(accounts, "old-account");
                batch.commit();                          // closing without commit() discards the batch
            }
            // /snippet
            assertEquals(2, aliceVersion);
            assertEquals(2, r.written());
            assertEquals(70, accounts.get("alice").balance);
            assertEquals(30, accounts.get("bob").balance);
            assertEquals(5, accounts.get("carol").balance);
            assertFalse(accounts.exists("old-account"));
        }
    }

    @Test
    void tourAsync() throws Exception {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            rt.commit(a);
            // snippet:tour-async
            Account alice = accounts.get("alice");
            alice.deposit(1);
            CompletableFuture<CommitResult> done = rt.commitAsync(alice);  // loads see it at once
            done.thenAccept(r -> System.out.println("durable at version " + r.versionOf(alice)));

            alice.deposit(1);                            // the same copy, committed again
            rt.commitAsync(List.of(alice), (result, error) -> {            // on the callback executor
                if (error != null) {
                    System.err.println("not persisted: " + error);
                }
            });
            rt.flush();                                  // waits for every accepted async commit
            // /snippet
            assertTrue(done.isDone());
            assertEquals(2, done.get().versionOf(alice));
            assertEquals(2, accounts.get("alice").balance);
            assertEquals(3, accounts.storedVersion("alice"));

            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            alice.deposit(1);
            rt.commitAsync(List.of(alice), (result, error) -> outcome.complete(error));
            assertEquals(null, outcome.get());
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            assertEquals(3, rt.objects(Account.class).get("alice").balance);
        }
    }

    @Test
    void tourUpdate() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            a.deposit(10);
            rt.commit(a);
            // snippet:tour-update
            long balance = accounts.update("alice", acc -> acc.deposit(5));  // load, run, commit; retried on conflict
            accounts.modify("alice", acc -> acc.owner = "Alice B.");          // the same, for actions without a result

            Account stale = accounts.get("alice");
            accounts.modify("alice", acc -> acc.deposit(1));                  // another writer commits first
            stale.deposit(1);
            try {
                rt.commit(stale);
            } catch (StaleObjectException e) {
                // nothing was written: load again and reapply, or let update() do that
            }
            // /snippet
            assertEquals(15, balance);
            assertEquals(16, accounts.get("alice").balance);
            assertEquals("Alice B.", accounts.get("alice").owner);
            assertThrows(StaleObjectException.class, () -> rt.commit(stale));
            assertThrows(IllegalStateException.class, () -> accounts.update("alice", acc -> acc.withdraw(1_000)));
            assertEquals(16, accounts.get("alice").balance, "a failed action commits nothing");
        }
    }

    @Test
    void tourBackup() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir.resolve("live"))) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            a.deposit(42);
            rt.commit(a);
            Path backupDir = dir.resolve("backup-1");
            // snippet:tour-backup
            BackupResult copy = rt.backup(backupDir);     // commits from other threads go on meanwhile
            try (ObjectRuntime restored = ObjectRuntime.open(copy.directory())) {
                long balance = restored.objects(Account.class).get("alice").balance;   // every commit made before
            }
            // /snippet
            assertEquals(backupDir.toAbsolutePath(), copy.directory());
            try (ObjectRuntime restored = ObjectRuntime.open(copy.directory())) {
                assertEquals(42, restored.objects(Account.class).get("alice").balance);
                assertTrue(restored.verify().intact());
            }
        }
    }

    @Test
    void tourInvoke() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            a.deposit(100);
            rt.commit(a);
            // snippet:tour-invoke
            long balance = accounts.invoke("alice", "deposit", 5L);   // load, run the @Method, commit; retried on conflict
            String json = rt.invokeJson("bank.Account", "alice", "withdraw", "[2]");  // "103": no Java class needed
            try {
                accounts.invoke("alice", "withdraw", 1_000_000L);
            } catch (IllegalStateException e) {
                // the method's own exception, unchanged: nothing was committed
            }
            try {
                rt.invoke("bank.Account", "alice", "deposit", "five");
            } catch (MethodArgumentException e) {
                // "argument 0 of bank.Account.deposit(long) must be long, got a java.lang.String"
            }
            // /snippet
            assertEquals(105, balance);
            assertEquals("103", json);
            assertEquals(103, accounts.get("alice").balance);
            assertEquals(3, accounts.storedVersion("alice"));
            MethodArgumentException e = assertThrows(MethodArgumentException.class,
                    () -> rt.invoke("bank.Account", "alice", "deposit", "five"));
            assertTrue(e.getMessage().startsWith("argument 0 of bank.Account.deposit(long) must be long,"
                    + " got a java.lang.String"), e.getMessage());
            assertThrows(UnknownMethodException.class, () -> accounts.invoke("alice", "close"));
        }
    }

    @Test
    void tourMetrics() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            // snippet:tour-metrics
            MeterRegistry registry = new SimpleMeterRegistry();          // or your Prometheus/OTLP registry
            new ObjstateMetrics(rt, Tags.of("store", "accounts")).bindTo(registry);
            // objstate.commit{mode=sync|async} (timers with recordCommitTimes()), objstate.cache.hits, objstate.store.garbage, ...
            // /snippet
            Account a = rt.objects(Account.class).create("m");
            a.deposit(1);
            rt.commit(a);
            assertEquals(1, registry.get("objstate.commit").tag("mode", "sync").functionCounter().count(),
                    "a counter: this runtime does not time its commits");
            assertEquals(1, registry.get("objstate.commits").functionCounter().count());
        }
    }

    @Test
    void tourListen() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            a.deposit(103);
            rt.commit(a);
            accounts.modify("alice", acc -> acc.owner = "Alice");
            // snippet:tour-listen
            List<String> log = new CopyOnWriteArrayList<>();
            ListenerRegistration registration = rt.onCommit(Account.class, change -> {  // once durable, in commit order
                if (change.changedFields().contains("balance")) {                       // Java field names
                    long before = change.oldState().map(x -> x.balance).orElse(0L);     // decoded only when asked for
                    long after = change.newState().map(x -> x.balance).orElse(0L);      // empty after a delete
                    log.add(change.id() + " v" + change.version() + ": " + before + " -> " + after);
                }
            });
            accounts.modify("alice", acc -> acc.deposit(1));   // log: "alice v3: 103 -> 104"
            accounts.modify("alice", acc -> acc.owner = "A."); // balance unchanged: not logged
            rt.flush();                                        // also waits until listeners saw every commit so far
            registration.close();                              // no more calls
            // /snippet
            assertEquals(List.of("alice v3: 103 -> 104"), log);
            accounts.modify("alice", acc -> acc.deposit(1));
            rt.flush();
            assertEquals(1, log.size());
            assertEquals(0, rt.stats().listenerFailures());
        }
    }

    @Test
    void tourConfig() {
        // snippet:tour-config
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        ObjectRuntime rt = ObjectRuntime.builder()
                .directory(dir)                          // unset: in memory, no files
                .durability(Durability.SYNC)             // acknowledge commits after the device sync
                .cacheMaxBytes(256L << 20)
                .ringSize(1 << 14)
                .ringFullPolicy(RingFullPolicy.FAIL_FAST, Duration.ZERO)
                .callbackExecutor(callbacks)
                .updateAttempts(64)
                .open();
        ObjectRuntime forTests = ObjectRuntime.inMemory();   // same semantics, no files
        // /snippet
        try (rt; forTests) {
            assertEquals(Durability.SYNC, rt.durability());
            Account a = rt.objects(Account.class).create("x");
            a.deposit(1);
            assertEquals(Durability.SYNC, rt.commitAsync(a).join().durability());
            assertTrue(rt.stats().storeSyncs() > 0);
            Account b = forTests.objects(Account.class).create("x");
            forTests.commit(b);
            assertTrue(forTests.objects(Account.class).exists("x"));
        } finally {
            callbacks.shutdown();
        }
    }
}
