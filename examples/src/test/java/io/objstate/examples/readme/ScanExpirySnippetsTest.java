package io.objstate.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.IdPage;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's scan and expiry sections (snippets checked by {@link ReadmeSnippetsTest}). */
class ScanExpirySnippetsTest {
    @TempDir
    Path dir;

    @Test
    void tourScan() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> batch = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                Account a = accounts.create((i % 5 == 0 ? "test-" : "acct-") + i);
                a.deposit(i * 10);
                batch.add(a);
            }
            rt.commit(batch);
            // snippet:tour-scan
            long n = accounts.count();                            // from the index: nothing is loaded
            List<String> ids = new ArrayList<>();
            String after = null;
            do {
                IdPage page = accounts.ids("acct-", 100, after);  // up to 100 ids starting with "acct-"
                ids.addAll(page.ids());                           // (a real scan would work on them here)
                after = page.next();                              // null after the last page
            } while (after != null);
            long rich;
            try (Stream<Account> all = accounts.stream()) {       // loads page by page: any size, bounded memory
                rich = all.filter(a -> a.balance > 1_000).count();
            }
            // /snippet
            assertEquals(250, n);
            assertEquals(200, ids.size());
            assertTrue(ids.stream().allMatch(id -> id.startsWith("acct-")));
            assertEquals(250 - 101, rich); // balances 0..2490: above 1000 from i = 101
        }
    }

    @Test
    void tourExpiry() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Lease> leases = rt.objects(Lease.class);
            ObjectSet<Session> sessions = rt.objects(Session.class);
            // snippet:tour-expiry
            Lease lease = leases.create("printer");
            lease.holder = "alice";
            lease.until = Instant.now().plusSeconds(60);
            rt.commit(lease);
            // from `until` on: get() throws ObjectNotFoundException, find() is empty, scans and count() skip it,
            // and a background sweep (RuntimeBuilder.expirySweepEvery, 10 s by default) deletes it as a commit
            rt.commit(sessions.create("s-42"));                   // a Session: deadline = now + 30 minutes
            // /snippet
            assertTrue(leases.exists("printer"));
            assertTrue(sessions.exists("s-42"));
            Lease past = leases.create("scanner");
            past.until = Instant.now().minusSeconds(1);
            rt.commit(past);
            assertFalse(leases.exists("scanner"));
            assertTrue(leases.find("scanner").isEmpty());
            assertEquals(1, leases.count());
        }
    }
}
