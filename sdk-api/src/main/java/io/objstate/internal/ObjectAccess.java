package io.objstate.internal;

import io.objstate.internal.codec.FieldCodec;
import io.objstate.internal.codec.ValueFieldCodec;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.OffHeapBuffer;
import io.objstate.nativestore.PackedValues;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Whole-object access to one state class: making instances, the bookkeeping fields (tracking key and base,
 * {@code @Id}, {@code @Version}) and every state field's decode and encode in one call. This class is the
 * general path, through handles held in fields; {@link ObjectAccessors} generates a subclass per class that
 * overrides every method with straight-line code on the same handles and codecs loaded as constants, so the
 * JIT inlines each field's codec and accessor (a handle or codec held in a field is opaque to it).
 * Both write exactly the same fields and bytes.
 */
class ObjectAccess {
    /** The class's own no-arg constructor, typed {@code ()Object}. */
    final MethodHandle constructor;
    /** The constructor of the instances a runtime hands out: the tracking subclass's when there is one. */
    final MethodHandle managedConstructor;
    /** The tracking subclass's bookkeeping fields (null without one). */
    final VarHandle key;
    final VarHandle base;
    /** The {@code @Id} and {@code @Version} fields (null when the class has none). */
    final VarHandle id;
    final VarHandle version;
    /** Every state field's codec, by field index. */
    final FieldCodec[] codecs;
    /** Every state field's stored name (UTF-8), by field index: the name of its entry. */
    final byte[][] names;
    /** By field, its codec when it shares decoded values (a String field), else null; null when no field's does. */
    final ValueFieldCodec[] sharing;

    ObjectAccess(MethodHandle constructor, MethodHandle managedConstructor, VarHandle key, VarHandle base, VarHandle id,
            VarHandle version, FieldCodec[] codecs, byte[][] names) {
        this(constructor, managedConstructor, key, base, id, version, codecs, names, sharingCodecs(codecs));
    }

    /** For a generated subclass: the same handles. */
    ObjectAccess(ObjectAccess prototype) {
        this(prototype.constructor, prototype.managedConstructor, prototype.key, prototype.base, prototype.id,
                prototype.version, prototype.codecs, prototype.names, prototype.sharing);
    }

    private ObjectAccess(MethodHandle constructor, MethodHandle managedConstructor, VarHandle key, VarHandle base,
            VarHandle id, VarHandle version, FieldCodec[] codecs, byte[][] names, ValueFieldCodec[] sharing) {
        this.constructor = constructor;
        this.managedConstructor = managedConstructor;
        this.key = key;
        this.base = base;
        this.id = id;
        this.version = version;
        this.codecs = codecs;
        this.names = names;
        this.sharing = sharing;
    }

    /** By field, its codec when that codec shares decoded values, else null; null when no field's does. */
    private static ValueFieldCodec[] sharingCodecs(FieldCodec[] codecs) {
        ValueFieldCodec[] sharing = new ValueFieldCodec[codecs.length];
        boolean shares = false;
        for (int i = 0; i < codecs.length; i++) {
            if (codecs[i].sharesDecoded() && codecs[i] instanceof ValueFieldCodec v) {
                sharing[i] = v;
                shares = true;
            }
        }
        return shares ? sharing : null;
    }

    /** A new instance a runtime manages (of the tracking subclass when there is one); fields are not set. */
    Object newManaged() throws Throwable {
        return managedConstructor.invokeExact();
    }

    /** A new instance of the class itself. */
    Object newDetached() throws Throwable {
        return constructor.invokeExact();
    }

    Object key(Object obj) {
        return key.get(obj);
    }

    void setKey(Object obj, Object k) {
        key.set(obj, k);
    }

    Object base(Object obj) {
        return base.get(obj);
    }

    void setBase(Object obj, Object b) {
        base.set(obj, b);
    }

    String id(Object obj) {
        return (String) id.get(obj);
    }

    void setId(Object obj, String value) {
        id.set(obj, value);
    }

    long version(Object obj) {
        return (long) version.get(obj);
    }

    void setVersion(Object obj, long value) {
        version.set(obj, value);
    }

    /** Sets every field {@code s} holds a value for; a value that does not fit throws (the caller says which). */
    void decode(Object obj, Snapshot s) {
        FieldCodec[] cs = codecs;
        for (int i = 0; i < cs.length; i++) {
            if (s.present(i)) {
                s.decodeField(i, cs[i], obj);
            }
        }
    }

    /** Sets every field from its encoded value, by field index (null: absent, the field is left as it is). */
    void decodeValues(Object obj, byte[][] values) {
        FieldCodec[] cs = codecs;
        for (int i = 0; i < cs.length; i++) {
            byte[] v = values[i];
            if (v != null) {
                cs[i].decode(obj, v, 0, v.length);
            }
        }
    }

    /** Appends every field's encoding, in field order, to {@code out}. */
    void encode(Object obj, OffHeapBuffer out) {
        for (FieldCodec c : codecs) {
            c.encode(obj, out);
        }
    }

    /**
     * A created object's fields, every one as a PUT of its entry into {@code buffer}, whose object is begun: for field
     * {@code f}, {@code at[f]} is where its value starts in {@code buffer.out()} and {@code len[f]} its length; when the
     * class has {@link #sharing} codecs, {@code shared[f]} is the value such a codec encoded ({@link Snapshot#shareable})
     * and null for the other fields ({@code shared} is null otherwise). What a codec throws is thrown with the field's
     * PUT still open: the caller rolls the object back.
     */
    void encodeCreated(Object obj, BatchBuffer buffer, long[] at, int[] len, Object[] shared) {
        OffHeapBuffer out = buffer.out();
        FieldCodec[] cs = codecs;
        ValueFieldCodec[] sh = sharing;
        for (int f = 0; f < cs.length; f++) {
            buffer.beginPut(names[f]);
            long start = buffer.valueStart();
            ValueFieldCodec s = sh != null ? sh[f] : null;
            if (s != null) {
                Object v = s.valueOf(obj);
                shared[f] = Snapshot.shareable(v);
                s.encodeValue(v, out);
            } else {
                if (sh != null) {
                    shared[f] = null;
                }
                cs[f].encode(obj, out);
            }
            len[f] = (int) (out.position() - start);
            at[f] = start;
            buffer.endPut();
        }
    }

    /** True for a generated subclass. */
    final boolean generated() {
        return getClass().isHidden();
    }
}
