package io.objstate.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Id;
import io.objstate.InvalidStateClassException;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.StaleObjectException;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.UnmanagedObjectException;
import io.objstate.Version;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How a runtime recognises the instances it handed out, for every kind of state class. */
class InstanceTrackingTest {
    @TempDir
    Path dir;

    @StateObject(pkg = "tracking", name = "Plain")
    static class Plain implements Serializable {
        @State
        long n;
        @State
        String name;
    }

    @StateObject(pkg = "tracking", name = "FinalPlain")
    static final class FinalPlain {
        @State
        long n;
    }

    @StateObject(pkg = "tracking", name = "PrivateCtor")
    static class PrivateCtor {
        @State
        long n;

        private PrivateCtor() {
        }
    }

    @StateObject(pkg = "tracking", name = "Versioned")
    static class Versioned implements Serializable {
        @Id
        String id;
        @Version
        long version;
        @State
        long n;
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void loadedInstancesAreOfTheStateClassAndFindTheirSet(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Plain> set = rt.objects(Plain.class);
            Plain p = set.create("p");
            p.n = 1;
            rt.commit(p);
            Plain loaded = set.get("p");
            assertInstanceOf(Plain.class, loaded);
            assertSame(set, rt.objects(loaded.getClass()), "the tracking subclass maps to its state class's set");
            assertEquals("p", set.idOf(loaded));
            assertEquals(1, set.versionOf(loaded));
            loaded.n = 2;
            assertEquals(2, rt.commit(loaded).versionOf(loaded));
            assertEquals(2, set.get("p").n);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void classesThatCannotBeSubclassedAreStillTracked(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<FinalPlain> finals = rt.objects(FinalPlain.class);
            ObjectSet<PrivateCtor> privates = rt.objects(PrivateCtor.class);
            FinalPlain f = finals.create("f");
            PrivateCtor q = privates.create("q");
            assertSame(FinalPlain.class, f.getClass());
            assertSame(PrivateCtor.class, q.getClass());
            f.n = 3;
            q.n = 4;
            rt.commit(f, q);
            FinalPlain f2 = finals.get("f");
            FinalPlain stale = finals.get("f");
            f2.n = 5;
            rt.commit(f2);
            stale.n = 6;
            assertThrows(StaleObjectException.class, () -> rt.commit(stale));
            assertEquals(5, finals.get("f").n);
            assertEquals(4, privates.get("q").n);
            assertThrows(UnmanagedObjectException.class, () -> rt.commit(new FinalPlain()));
        }
    }

    @Test
    void aCopyFromAnotherRuntimeIsRefused(@TempDir Path other) {
        try (ObjectRuntime a = RuntimeKind.NATIVE.open(dir); ObjectRuntime b = RuntimeKind.NATIVE.open(other)) {
            Plain fromA = a.objects(Plain.class).create("x");
            a.commit(fromA);
            b.objects(Plain.class);
            UnmanagedObjectException e = assertThrows(UnmanagedObjectException.class, () -> b.commit(fromA));
            assertTrue(e.getMessage().contains("another runtime"), e.getMessage());
            // and an instance made with `new` was never handed out by anyone
            assertThrows(UnmanagedObjectException.class, () -> a.commit(new Plain()));
        }
    }

    @Test
    void aDeserializedCopyCarriesNoTrackingButASelfTrackingOneCommitsAsDetached() throws Exception {
        try (ObjectRuntime rt = RuntimeKind.NATIVE.open(dir)) {
            ObjectSet<Plain> plains = rt.objects(Plain.class);
            Plain p = plains.create("p");
            rt.commit(p);
            Plain copy = roundTrip(plains.get("p"));
            assertNotSame(p, copy);
            assertThrows(UnmanagedObjectException.class, () -> rt.commit(copy),
                    "the bookkeeping fields are transient: a deserialized copy is not managed");

            ObjectSet<Versioned> versioned = rt.objects(Versioned.class);
            Versioned v = versioned.create("v");
            rt.commit(v);
            Versioned detached = roundTrip(versioned.get("v"));
            detached.n = 7;
            assertEquals(2, rt.commit(detached).versionOf(detached), "a detached self-tracking copy commits");
            assertEquals(2, detached.version);
            Versioned staleDetached = roundTrip(detached);
            staleDetached.version = 1;
            staleDetached.n = 8;
            assertThrows(StaleObjectException.class, () -> rt.commit(staleDetached));
            assertEquals(7, versioned.get("v").n);
        }
    }

    /** A class whose tracking subclass's name is taken by an unrelated class. */
    @StateObject(pkg = "tracking", name = "Clash")
    static class Clash {
        @State
        long n;
    }

    @Test
    void aTrackingClassThatCannotBeMadeIsAnInvalidStateClass() {
        try (ObjectRuntime rt = RuntimeKind.MEMORY.open(dir)) {
            InvalidStateClassException e = assertThrows(InvalidStateClassException.class, () -> rt.objects(Clash.class));
            assertTrue(e.getMessage().contains(Clash.class.getName()), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T obj) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(obj);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}

/** Squats the name objstate would give {@code InstanceTrackingTest.Clash}'s tracking subclass. */
class InstanceTrackingTest$Clash$$ObjState {
}
