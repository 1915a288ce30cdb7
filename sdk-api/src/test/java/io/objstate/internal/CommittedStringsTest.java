package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.StaleObjectException;
import io.objstate.State;
import io.objstate.StateObject;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit keeps the String values it encoded with the snapshot it makes (Snapshot's committed values): loads of
 * that snapshot share them, and the next commit of a copy that still holds the very same instance knows the field
 * unchanged without reading its characters. Only identity with the base's own value counts: an equal String of
 * another instance is compared, an instance of an older version is written, and null is a value like any other.
 */
// run again with java.lang opened to objstate, and on a JVM without compact strings (pom.xml: groups "strings")
@Tag("strings")
class CommittedStringsTest {
    @TempDir
    Path dir;

    @StateObject(pkg = "test", name = "Named")
    static class Named {
        @State
        String name;
        @State
        String note;
        @State
        long n;
    }

    /** {@link Named} before its {@code note} field was added. */
    @StateObject(pkg = "test", name = "Named")
    static class NamedBefore {
        @State
        String name;
        @State
        long n;
    }

    @Test
    void aFieldAddedSinceTheObjectWasStoredIsWrittenBesideTheSharedOnes() {
        try (ObjectRuntime rt = RuntimeKind.NATIVE.builder(dir).open()) {
            NamedBefore b = rt.objects(NamedBefore.class).create("a");
            b.name = "before";
            rt.commit(b);
        }
        // loads consult the cache from the first (a runtime opened on a store begins bypassing it until a window's
        // sample says it pays: CacheBypass.loadsBegin)
        RuntimeConfig consulting = RuntimeConfig.builder().directory(dir).cacheBypassWindow(0).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.open(consulting)) {
            ObjectSet<Named> set = rt.objects(Named.class);
            set.get("a");
            Named a = set.get("a"); // a second load: the stored snapshot's Strings are shared
            assertSame(a.name, set.get("a").name);
            a.n = 1;
            assertEquals(2, rt.commit(a).entriesWritten(),
                    "the shared name is known unchanged; n is written, and note's null, which the stored object lacked");
            a.note = "added";
            assertEquals(1, rt.commit(a).entriesWritten(), "the added field is written");
            Named again = set.get("a");
            assertEquals("before", again.name);
            assertEquals("added", again.note);
            assertSame(a.note, again.note);
        }
        try (ObjectRuntime rt = RuntimeKind.NATIVE.builder(dir).open()) {
            Named a = rt.objects(Named.class).get("a");
            assertEquals("before", a.name);
            assertEquals("added", a.note);
            assertEquals(1, a.n);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void loadsShareTheStringsTheCommitEncoded(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.builder(dir).open()) {
            ObjectSet<Named> set = rt.objects(Named.class);
            Named a = committed(rt, set, new String("alice"));
            Named loaded = set.get("a");
            assertSame(a.name, loaded.name, "the first load of a committed snapshot shares the String it was committed with");
            assertNull(loaded.note);
            a.n = 7;
            rt.commit(a); // the String unchanged: the new snapshot keeps the same instance
            assertSame(a.name, set.get("a").name);
            assertEquals(7, set.get("a").n);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aStringSetBackToTheInstanceOfAnOlderVersionIsWritten(RuntimeKind kind) {
        String x = new String("x-value");
        String y = new String("y-value");
        try (ObjectRuntime rt = kind.builder(dir).open()) {
            ObjectSet<Named> set = rt.objects(Named.class);
            Named a = committed(rt, set, x);
            a.name = y;
            assertEquals(1, rt.commit(a).entriesWritten());
            a.name = x; // the instance version 1 was committed with, not the base's (version 2)
            CommitResult third = rt.commit(a);
            assertEquals(1, third.entriesWritten(), "x differs from the base's y: written");
            assertEquals("x-value", set.get("a").name);
        }
        assertNameAfterReopen(kind, "x-value");
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void anEqualStringOfAnotherInstanceWritesNothingAndItsInstanceIsKeptNext(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.builder(dir).open()) {
            ObjectSet<Named> set = rt.objects(Named.class);
            Named a = committed(rt, set, "same");
            a.name = new String("same");
            a.n = 1;
            CommitResult r = rt.commit(a);
            assertEquals(1, r.entriesWritten(), "only n: the equal String's bytes match the base's");
            assertSame(a.name, set.get("a").name, "the snapshot keeps the instance the commit read");
            a.n = 2;
            assertEquals(1, rt.commit(a).entriesWritten());
            assertEquals(0, rt.commit(a).entriesWritten(), "nothing changed: nothing written");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void nullIsWrittenAndReadBackLikeAnyValue(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.builder(dir).open()) {
            ObjectSet<Named> set = rt.objects(Named.class);
            Named a = committed(rt, set, "v");
            a.name = null;
            assertEquals(1, rt.commit(a).entriesWritten(), "a String to null is written");
            assertNull(set.get("a").name);
            assertEquals(0, rt.commit(a).entriesWritten(), "null to null writes nothing");
            a.name = "w";
            assertEquals(1, rt.commit(a).entriesWritten(), "null to a String is written");
            assertEquals("w", set.get("a").name);
        }
        assertNameAfterReopen(kind, "w");
    }

    @Test
    void aCopyOfAnOlderVersionHoldingTheSameInstanceIsStillStale() {
        try (ObjectRuntime rt = RuntimeKind.NATIVE.builder(dir).open()) {
            ObjectSet<Named> set = rt.objects(Named.class);
            Named a = committed(rt, set, "shared");
            Named one = set.get("a");
            Named two = set.get("a");
            assertSame(one.name, two.name);
            two.n = 5;
            rt.commit(two);
            one.note = "late";
            assertThrows(StaleObjectException.class, () -> rt.commit(one));
            assertEquals(5, set.get("a").n);
            assertNull(set.get("a").note);
        }
    }

    @Test
    void aPooledCommitBatchKeepsNoStringOfACommitAlive() throws InterruptedException {
        WeakReference<String> name;
        try (ObjectRuntime rt = RuntimeKind.NATIVE.builder(dir).cacheMaxBytes(0).open()) {
            ObjectSet<Named> set = rt.objects(Named.class);
            name = commitAndDrop(rt, set);
            for (int i = 0; i < 50 && name.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(name.get(), "with no cache and the object dropped, nothing of the runtime holds its String");
            assertEquals("committed-9", set.get("a").name);
        }
    }

    private static WeakReference<String> commitAndDrop(ObjectRuntime rt, ObjectSet<Named> set) {
        Named a = set.create("a");
        a.name = new String("committed-" + 9);
        rt.commit(List.of(a));
        assertTrue(set.get("a").name.equals(a.name));
        return new WeakReference<>(a.name);
    }

    /** Object "a" created with {@code name} and committed. */
    private static Named committed(ObjectRuntime rt, ObjectSet<Named> set, String name) {
        Named a = set.create("a");
        a.name = name;
        rt.commit(a);
        return a;
    }

    /** A store of {@code kind} that keeps what it holds, opened again, holds {@code name} as object "a"'s name. */
    private void assertNameAfterReopen(RuntimeKind kind, String name) {
        if (kind.persistent()) {
            try (ObjectRuntime rt = kind.builder(dir).open()) {
                assertEquals(name, rt.objects(Named.class).get("a").name);
            }
        }
    }
}
