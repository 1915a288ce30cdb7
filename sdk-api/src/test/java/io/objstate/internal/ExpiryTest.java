package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Durability;
import io.objstate.ExpiresAt;
import io.objstate.InvalidStateClassException;
import io.objstate.ObjectNotFoundException;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RingFullPolicy;
import io.objstate.RuntimeKind;
import io.objstate.StaleObjectException;
import io.objstate.State;
import io.objstate.StateObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Expiry: @StateObject(ttl) and @ExpiresAt, on a clock the test moves (never by sleeping). */
class ExpiryTest {
    @StateObject(pkg = "test", name = "Session", ttl = "PT30M")
    static class Session {
        @State
        int hits;

        Session() {}
    }

    @StateObject(pkg = "test", name = "Lease")
    static class Lease {
        @State
        String holder;
        @ExpiresAt
        Instant until;

        Lease() {}
    }

    /** A clock that moves only when told. */
    static final class TestClock implements InstantSource {
        private volatile Instant now = Instant.parse("2026-12-01T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private ObjectRuntime open(RuntimeKind kind, Duration sweep) {
        return DefaultObjectRuntime.open(RuntimeConfig.builder().directory(kind.persistent() ? dir : null)
                .cacheMaxBytes(1 << 20).ringSize(64).maxValueSize(1 << 20).updateAttempts(16).clock(clock)
                .expirySweepInterval(sweep).build());
    }

    private ObjectRuntime open(RuntimeKind kind) {
        return open(kind, Duration.ofDays(1)); // the background sweep stays out of the way: tests sweep by hand
    }

    private static int sweep(ObjectRuntime rt) {
        return ((DefaultObjectRuntime) rt).sweepExpired();
    }

    /** The stored version: negative for a tombstone. */
    private static long storeVersion(ObjectRuntime rt, ObjectSet<?> set, String id) {
        return ((DefaultObjectRuntime) rt).store().version(set.classId().getBytes(StandardCharsets.UTF_8),
                id.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> void assertAbsent(ObjectSet<T> set, String id) {
        assertThrows(ObjectNotFoundException.class, () -> set.get(id));
        assertTrue(set.find(id).isEmpty());
        assertFalse(set.exists(id));
        assertEquals(0, set.storedVersion(id));
        assertFalse(set.ids().contains(id));
        assertFalse(set.ids("", 100, null).ids().contains(id));
        assertTrue(set.stream().noneMatch(o -> set.idOf(o).equals(id)));
        assertFalse(set.idsFrom("", 100).ids().contains(id));
        assertTrue(set.streamFrom("").noneMatch(o -> set.idOf(o).equals(id)));
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aTtlObjectReadsAsAbsentFromItsDeadlineAndEachWritingCommitRenewsIt(RuntimeKind kind) {
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            rt.commit(sessions.create("s1"), sessions.create("s2"));
            clock.advance(Duration.ofMinutes(20));
            sessions.modify("s1", s -> s.hits++); // s1's deadline moves to minute 50
            Session unchanged = sessions.get("s2");
            assertEquals(1, rt.commit(unchanged).versionOf(unchanged), "a commit that changes nothing renews nothing");
            clock.advance(Duration.ofMinutes(10).minusMillis(1));
            assertEquals(2, sessions.count());
            clock.advance(Duration.ofMillis(1)); // minute 30: s2 expires
            assertAbsent(sessions, "s2");
            assertEquals(1, sessions.get("s1").hits);
            assertEquals(1, sessions.count());
            assertEquals(List.of("s1"), sessions.ids());
            assertThrows(ObjectNotFoundException.class, () -> sessions.modify("s2", s -> s.hits++));
            clock.advance(Duration.ofMinutes(20)); // minute 50: s1 too
            assertAbsent(sessions, "s1");
            assertEquals(0, sessions.count());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void anExpiresAtFieldSetsEachObjectsOwnDeadlineAndNullNeverExpires(RuntimeKind kind) {
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Lease> leases = rt.objects(Lease.class);
            Lease a = leases.create("a");
            a.until = clock.instant().plusSeconds(60);
            Lease forever = leases.create("forever");
            rt.commit(a, forever);
            assertEquals(a.until, leases.get("a").until);
            assertNull(leases.get("forever").until);
            clock.advance(Duration.ofSeconds(30));
            Lease later = leases.get("a");
            later.until = clock.instant().plusSeconds(60); // extended to second 90
            rt.commit(later);
            clock.advance(Duration.ofSeconds(59));
            assertTrue(leases.exists("a"));
            clock.advance(Duration.ofSeconds(1));
            assertAbsent(leases, "a");
            clock.advance(Duration.ofDays(3650));
            assertTrue(leases.exists("forever"));
            assertEquals(1, leases.count());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void theSweepDeletesExpiredObjectsAsTombstonesWithAHigherVersion(RuntimeKind kind) {
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            rt.commit(sessions.create("old"));
            sessions.modify("old", s -> s.hits = 5);
            clock.advance(Duration.ofMinutes(10));
            rt.commit(sessions.create("young"));
            assertEquals(0, sweep(rt), "nothing has expired yet");
            clock.advance(Duration.ofMinutes(25)); // "old" expired at minute 30, "young" expires at minute 40
            assertEquals(2, storeVersion(rt, sessions, "old"), "expired but not swept: still stored");
            assertEquals(1, sweep(rt));
            assertEquals(-3, storeVersion(rt, sessions, "old"), "a tombstone one version above the expired object");
            assertEquals(1, storeVersion(rt, sessions, "young"));
            assertEquals(0, sweep(rt), "swept objects are not swept again");
            Session again = sessions.create("old");
            assertEquals(4, rt.commit(again).versionOf(again), "versions never go back");
            assertEquals(0, sessions.get("old").hits);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void creatingAnIdWhoseExpiredObjectIsNotSweptYetReplacesIt(RuntimeKind kind) {
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            Session s = sessions.create("x");
            s.hits = 7;
            rt.commit(s);
            clock.advance(Duration.ofHours(1));
            Session fresh = sessions.create("x");
            assertEquals(3, rt.commit(fresh).versionOf(fresh), "the expired version 1, its tombstone 2, then 3");
            assertEquals(0, sessions.get("x").hits);
            clock.advance(Duration.ofHours(1));
            Session viaAsync = sessions.create("x");
            assertEquals(5, rt.commitAsync(viaAsync).join().versionOf(viaAsync));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aCopyLoadedBeforeTheDeadlineCannotBeCommittedAfterIt(RuntimeKind kind) {
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            rt.commit(sessions.create("x"));
            Session copy = sessions.get("x");
            clock.advance(Duration.ofMinutes(31));
            copy.hits = 1;
            StaleObjectException e = assertThrows(StaleObjectException.class, () -> rt.commit(copy));
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
            assertFalse(sessions.exists("x"));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aDeleteConditionalOnAVersionDeletesOnlyThatVersion(RuntimeKind kind) {
        try (ObjectRuntime rt = open(kind)) {
            DefaultObjectRuntime d = (DefaultObjectRuntime) rt;
            ObjectSet<Session> sessions = rt.objects(Session.class);
            rt.commit(sessions.create("x"));
            ObjectKey key = new ObjectKey(((DefaultObjectSet<Session>) sessions).type, "x");
            assertThrows(StaleObjectException.class, () -> d.commitAll(List.of(new DeleteRequest(key, 2))));
            assertTrue(sessions.exists("x"));
            d.commitAll(List.of(new DeleteRequest(key, 1)));
            assertFalse(sessions.exists("x"));
        }
    }

    @Test
    void expiryDeadlinesAndSweptTombstonesSurviveReopening() {
        RuntimeKind kind = RuntimeKind.NATIVE;
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            ObjectSet<Lease> leases = rt.objects(Lease.class);
            rt.commit(sessions.create("s"));
            Lease l = leases.create("l");
            l.until = clock.instant().plus(Duration.ofHours(2));
            rt.commit(l, sessions.create("gone"));
            clock.advance(Duration.ofMinutes(10));
            sessions.modify("s", x -> x.hits++); // deadline minute 40; "gone" stays at minute 30
        }
        clock.advance(Duration.ofMinutes(25)); // minute 35
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            ObjectSet<Lease> leases = rt.objects(Lease.class);
            assertAbsent(sessions, "gone");
            assertEquals(1, sessions.get("s").hits);
            assertEquals(clock.instant().plus(Duration.ofMinutes(85)), leases.get("l").until);
            assertEquals(1, sessions.count());
            assertEquals(1, sweep(rt));
        }
        try (ObjectRuntime rt = open(kind)) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            assertEquals(-2, storeVersion(rt, sessions, "gone"), "the sweep's tombstone is in the log");
            clock.advance(Duration.ofMinutes(5)); // minute 40
            assertAbsent(sessions, "s");
            assertEquals(0, sessions.count());
            clock.advance(Duration.ofHours(2));
            assertFalse(rt.objects(Lease.class).exists("l"));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void theBackgroundSweepDeletesExpiredObjectsOnItsOwn(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = open(kind, Duration.ofMillis(5))) {
            ObjectSet<Session> sessions = rt.objects(Session.class);
            rt.commit(sessions.create("bg"));
            clock.advance(Duration.ofHours(1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (storeVersion(rt, sessions, "bg") > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // waits for the sweep thread; no timing is asserted
                Thread.yield();
            }
            assertEquals(-2, storeVersion(rt, sessions, "bg"));
        }
    }

    @Test
    void badExpiryDeclarationsAreRejectedAtRegistration() {
        try (ObjectRuntime rt = open(RuntimeKind.MEMORY)) {
            InvalidStateClassException e = assertThrows(InvalidStateClassException.class, () -> rt.objects(BadTtl.class));
            assertTrue(e.getMessage().contains("not an ISO-8601 duration") && e.getMessage().contains("PT30M"),
                    e.getMessage());
            e = assertThrows(InvalidStateClassException.class, () -> rt.objects(ZeroTtl.class));
            assertTrue(e.getMessage().contains("at least one millisecond"), e.getMessage());
            e = assertThrows(InvalidStateClassException.class, () -> rt.objects(Both.class));
            assertTrue(e.getMessage().contains("both @StateObject(ttl) and an @ExpiresAt field"), e.getMessage());
            e = assertThrows(InvalidStateClassException.class, () -> rt.objects(WrongType.class));
            assertTrue(e.getMessage().contains("must be java.time.Instant"), e.getMessage());
            e = assertThrows(InvalidStateClassException.class, () -> rt.objects(ReservedName.class));
            assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        }
    }

    @StateObject(pkg = "test", name = "BadTtl", ttl = "30 minutes")
    static class BadTtl {
        BadTtl() {}
    }

    @StateObject(pkg = "test", name = "ZeroTtl", ttl = "PT0S")
    static class ZeroTtl {
        ZeroTtl() {}
    }

    @StateObject(pkg = "test", name = "Both", ttl = "PT1M")
    static class Both {
        @ExpiresAt
        Instant until;

        Both() {}
    }

    @StateObject(pkg = "test", name = "WrongType")
    static class WrongType {
        @ExpiresAt
        long until;

        WrongType() {}
    }

    @StateObject(pkg = "test", name = "ReservedName")
    static class ReservedName {
        @State(name = "\0expires")
        long x;

        ReservedName() {}
    }
}
