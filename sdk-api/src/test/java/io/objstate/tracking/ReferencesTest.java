package io.objstate.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.objstate.Id;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.ObjectStateException;
import io.objstate.RuntimeKind;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.Version;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A {@code @State} field may hold any kind of state object: stored as its id, loaded back through the runtime. */
class ReferencesTest {
    @TempDir
    Path dir;

    /** Self-tracking. */
    @StateObject(pkg = "refs", name = "Node")
    static class Node {
        @Id
        String id;
        @Version
        long version;
        @State
        String label;
        @State
        Node next;
        @State
        Person owner;
    }

    /** Ordinary (tracked by its generated subclass). */
    @StateObject(pkg = "refs", name = "Person")
    static class Person {
        @State
        String name;
        @State
        Node favorite;
    }

    /** Ordinary and final (tracked in the side table). */
    @StateObject(pkg = "refs", name = "Tag")
    static final class Tag {
        @State
        String text;
        @State
        Person by;
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void referencesToEveryKindOfStateClassRoundTrip(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Node> nodes = rt.objects(Node.class);
            ObjectSet<Person> people = rt.objects(Person.class);
            ObjectSet<Tag> tags = rt.objects(Tag.class);
            Node a = nodes.create("a");
            a.label = "A";
            Person p = people.create("p");
            p.name = "Pat";
            p.favorite = a;
            a.owner = p;
            Tag t = tags.create("t");
            t.text = "hello";
            t.by = p;
            rt.commit(a, p, t);

            Tag loaded = tags.get("t");
            assertEquals("Pat", loaded.by.name);
            assertEquals("A", loaded.by.favorite.label);
            assertSame(loaded.by, loaded.by.favorite.owner, "one load makes each object once");
            assertEquals("p", people.idOf(loaded.by));
            assertEquals("a", nodes.idOf(loaded.by.favorite));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aCycleLoadsAsTheSameCycleOfInstances(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Node> nodes = rt.objects(Node.class);
            Node a = nodes.create("a");
            Node b = nodes.create("b");
            Node c = nodes.create("c");
            a.next = b;
            b.next = c;
            c.next = a;
            rt.commit(a, b, c);
            Node la = nodes.get("a");
            assertEquals("b", la.next.id);
            assertEquals("c", la.next.next.id);
            assertSame(la, la.next.next.next);
            Node self = nodes.create("self");
            self.next = self;
            rt.commit(self);
            Node loadedSelf = nodes.get("self");
            assertSame(loadedSelf, loadedSelf.next);
            // a loaded member of the cycle commits like any other copy
            la.next.label = "changed";
            rt.commit(la.next);
            assertEquals("changed", nodes.get("b").label);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aReferenceToADeletedObjectReadsAsNull(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Node> nodes = rt.objects(Node.class);
            ObjectSet<Person> people = rt.objects(Person.class);
            Node n = nodes.create("n");
            Person p = people.create("p");
            p.favorite = n;
            rt.commit(n, p);
            nodes.delete("n");
            assertNull(people.get("p").favorite);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aReferenceToAnObjectTheRuntimeNeverHandedOutIsRefused(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Person> people = rt.objects(Person.class);
            Person p = people.create("p");
            p.favorite = null;
            Tag t = rt.objects(Tag.class).create("t");
            t.by = new Person(); // made with new: it has no id
            ObjectStateException e = assertThrows(ObjectStateException.class, () -> rt.commit(t));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("refs.Person"), e.getMessage());
        }
    }
}
