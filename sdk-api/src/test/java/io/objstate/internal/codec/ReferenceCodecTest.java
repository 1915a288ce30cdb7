package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.nativestore.OffHeapBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceCodecTest {

    /** A "state class": a node that references another node. */
    static final class Node {
        String id;
        Node next;
        long value;

        Node(String id) {
            this.id = id;
        }
    }

    /** Stores nodes as their encoded {@code next} and loads them by decoding it, as a runtime would. */
    static final class FakeResolver implements ReferenceResolver {
        final Map<String, byte[]> stored = new HashMap<>();
        FieldCodec nextCodec;
        int loads;

        @Override
        public boolean isStateClass(Class<?> type) {
            return type == Node.class;
        }

        @Override
        public String idOf(Object stateObject) {
            String id = ((Node) stateObject).id;
            if (id == null) {
                throw new CodecException("the referenced object has no id yet");
            }
            return id;
        }

        @Override
        public Object load(Class<?> type, String id) {
            loads++;
            byte[] next = stored.get(id);
            if (next == null) {
                return null;
            }
            Node n = new Node(id);
            nextCodec.decode(n, next, 0, next.length);
            return n;
        }

        void store(Node n) {
            stored.put(n.id, CodecTesting.encode(nextCodec, n));
        }
    }

    private final FakeResolver resolver = new FakeResolver();
    private final CodecContext ctx = new CodecContext(ObjectMappers.standard(), resolver);

    {
        resolver.nextCodec = CodecTesting.codec(Node.class, "next", ctx);
    }

    @Test
    void referenceIsStoredAsTheReferencedId() {
        Node a = new Node("alice");
        a.next = new Node("bob-ü");
        byte[] encoded = CodecTesting.encode(resolver.nextCodec, a);
        assertEquals(WireType.REFERENCE, encoded[0]);
        assertEquals("bob-ü", new String(encoded, 1, encoded.length - 1, StandardCharsets.UTF_8));
        assertInstanceOf(ReferenceCodec.class, resolver.nextCodec);
        assertEquals("reference to " + Node.class.getName(), resolver.nextCodec.describe());
    }

    @Test
    void referenceRoundTripsThroughTheResolver() {
        Node bob = new Node("bob");
        resolver.store(bob);
        Node a = new Node("alice");
        a.next = bob;
        Node back = new Node("alice");
        CodecTesting.decode(resolver.nextCodec, back, CodecTesting.encode(resolver.nextCodec, a));
        assertEquals("bob", back.next.id);
        assertNull(back.next.next);
        assertEquals(1, resolver.loads);
    }

    @Test
    void nullReferenceRoundTripsWithoutLoading() {
        Node a = new Node("alice");
        assertArrayEquals(new byte[] {WireType.NULL}, CodecTesting.encode(resolver.nextCodec, a));
        Node back = new Node("x");
        back.next = new Node("stale");
        CodecTesting.decode(resolver.nextCodec, back, new byte[] {WireType.NULL});
        assertNull(back.next);
        assertEquals(0, resolver.loads);
    }

    @Test
    void referenceToDeletedObjectReadsAsNull() {
        Node a = new Node("alice");
        a.next = new Node("gone");
        Node back = new Node("alice");
        back.next = a;
        CodecTesting.decode(resolver.nextCodec, back, CodecTesting.encode(resolver.nextCodec, a));
        assertNull(back.next);
    }

    @Test
    void chainWithinTheDepthLimitLoads() {
        Node head = chain(ReferenceCodec.MAX_DEPTH);
        Node back = new Node(head.id);
        CodecTesting.decode(resolver.nextCodec, back, resolver.stored.get(head.id));
        int length = 0;
        for (Node n = back.next; n != null; n = n.next) {
            length++;
        }
        assertEquals(ReferenceCodec.MAX_DEPTH, length);
    }

    @Test
    void cycleOfReferencesFailsWithAClearMessageInsteadOfOverflowingTheStack() {
        Node a = new Node("a");
        Node b = new Node("b");
        a.next = b;
        b.next = a;
        resolver.store(a);
        resolver.store(b);
        Node back = new Node("a");
        CodecException e = assertThrows(CodecException.class,
                () -> CodecTesting.decode(resolver.nextCodec, back, resolver.stored.get("a")));
        assertTrue(e.getMessage().startsWith("references nest deeper than 64 objects when loading "), e.getMessage());
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        // the per-thread depth is unwound: a normal load still works afterwards
        resolver.store(new Node("solo"));
        Node c = new Node("c");
        c.next = new Node("solo");
        Node cBack = new Node("c");
        CodecTesting.decode(resolver.nextCodec, cBack, CodecTesting.encode(resolver.nextCodec, c));
        assertEquals("solo", cBack.next.id);
    }

    @Test
    void referencedObjectWithoutIdIsACodecException() {
        Node a = new Node("alice");
        a.next = new Node(null);
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            assertThrows(CodecException.class, () -> resolver.nextCodec.encode(a, out));
        }
    }

    @Test
    void referenceFieldRejectsOtherStoredTypes() {
        Node back = new Node("a");
        CodecException e = assertThrows(CodecException.class,
                () -> CodecTesting.decode(resolver.nextCodec, back, CodecTesting.encodeValue("str", "bob")));
        assertEquals("stored as String (Latin-1), field is reference to " + Node.class.getName(), e.getMessage());
    }

    @Test
    void withoutAResolverAStateTypedFieldIsJson() {
        assertSame(CodecContext.NO_REFERENCES, CodecTesting.CTX.resolver());
    }

    /** Stores n0 -> n1 -> ... -> n{length}; returns n0. */
    private Node chain(int length) {
        Node head = null;
        for (int i = length; i >= 0; i--) {
            Node n = new Node("n" + i);
            n.next = head;
            resolver.store(n);
            head = n;
        }
        return head;
    }
}
