package io.objstate.internal;

import io.objstate.ExpiresAt;
import io.objstate.Id;
import io.objstate.InvalidStateClassException;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.internal.codec.FieldCodecs;
import io.objstate.internal.codec.ValueFieldCodec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import io.objstate.nativestore.ExpiryEntry;
import io.objstate.nativestore.OffHeapBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything objstate knows about one state class, built and validated once at registration: class id,
 * constructor, id field and one codec per state field. Immutable and shared by all threads.
 */
public final class ObjectType<T> {
    private final Class<T> type;
    private final String classId;
    private final byte[] classIdBytes;
    private final MethodHandle constructor;
    private final VarHandle idField;
    private final VarHandle versionField;
    private final StateField[] fields;
    private final Map<String, Integer> indexByName;
    /** Each field's stored name in UTF-8, by field index: what a load asks the store for. */
    private final byte[][] fieldNames;
    private final int hashSeed;
    private final boolean hasReferences;
    private final TrackingClasses.TrackingClass tracking;
    /** Index of the field stored in the reserved expiry entry (an @ExpiresAt field or the ttl), or -1. */
    private final int expiryIndex;
    /** True when that field is the class's ttl (refreshed by every commit that writes the object). */
    private final boolean ttl;
    /** Instances, bookkeeping fields and whole-object decode/encode: generated per class when it can be. */
    private final ObjectAccess access;

    /** One persisted field: stored name (UTF-8 once), Java name and codec. */
    public record StateField(String name, byte[] nameBytes, String javaName, FieldCodec codec) {}

    private ObjectType(Class<T> type, String classId, MethodHandle constructor, VarHandle idField,
            VarHandle versionField, StateField[] fields, boolean hasReferences, boolean ttl) {
        this.hasReferences = hasReferences;
        this.type = type;
        this.classId = classId;
        this.classIdBytes = classId.getBytes(StandardCharsets.UTF_8);
        this.constructor = constructor;
        this.idField = idField;
        this.versionField = versionField;
        this.fields = fields;
        this.indexByName = new HashMap<>();
        this.fieldNames = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            indexByName.put(fields[i].name(), i);
            fieldNames[i] = fields[i].nameBytes();
        }
        this.hashSeed = classId.hashCode() * 0x01000193;
        this.tracking = TrackingClasses.of(type);
        Integer e = indexByName.get(ExpiryEntry.NAME);
        this.expiryIndex = e == null ? -1 : e;
        this.ttl = ttl;
        FieldCodec[] codecs = new FieldCodec[fields.length];
        for (int i = 0; i < fields.length; i++) {
            codecs[i] = fields[i].codec();
        }
        this.access = ObjectAccessors.generate(new ObjectAccess(constructor,
                tracking != null ? tracking.constructor() : constructor, tracking == null ? null : tracking.key(),
                tracking == null ? null : tracking.base(), idField, versionField, codecs, fieldNames), classId);
    }

    /**
     * By field, its codec when it {@link FieldCodec#sharesDecoded shares decoded values}, else null; null when no field's
     * does. A commit keeps the values of those fields that it encoded. Not to be modified.
     */
    ValueFieldCodec[] sharingCodecs() {
        return access.sharing;
    }

    /** The class's instance and field access (generated code when it could be defined). */
    ObjectAccess access() {
        return access;
    }

    /**
     * Appends every field's encoding to {@code out} in field order, in one generated method: exactly the bytes each
     * field's codec writes, with the codec calls a created object's commit makes ({@link ObjectAccess#encodeCreated},
     * which writes each entry's header between them); a changed object's commit encodes field by field, comparing.
     */
    public void encodeAll(Object obj, OffHeapBuffer out) {
        access.encode(obj, out);
    }

    /** Sets {@code obj}'s fields from their encoded values by field index (null: left as they are), in one call. */
    public void decodeAll(Object obj, byte[][] values) {
        access.decodeValues(obj, values);
    }

    /** True when this class's access is generated code (false: the VarHandle path, e.g. generation turned off). */
    public boolean generated() {
        return access.generated();
    }

    /** True when objects of this class can expire (a ttl or an @ExpiresAt field). */
    public boolean hasExpiry() {
        return expiryIndex >= 0;
    }

    /** Index of the expiry field (see {@link #hasExpiry()}), else -1. */
    int expiryIndex() {
        return expiryIndex;
    }

    /** True when the expiry field is the class's ttl, which a commit writes only along with a real change. */
    boolean isTtl(int fieldIndex) {
        return ttl && fieldIndex == expiryIndex;
    }

    /** True when {@code s} is a live snapshot whose deadline is at or before {@code nowMillis}. */
    boolean expired(Snapshot s, long nowMillis) {
        int i = expiryIndex;
        return i >= 0 && !s.deleted() && s.present(i) && ExpiryEntry.expired(s.packed, s.start(i), s.end(i) - s.start(i), nowMillis);
    }

    /** True when a field holds a reference to another state object (loads may then load others). */
    boolean hasReferences() {
        return hasReferences;
    }

    /** Mixed into {@link ObjectKey} hashes so equal ids of different classes spread apart. */
    int hashSeed() {
        return hashSeed;
    }

    /** The generated tracking subclass, or null when the class cannot be subclassed (final, private constructor). */
    TrackingClasses.TrackingClass tracking() {
        return tracking;
    }

    public Class<T> type() {
        return type;
    }

    public String classId() {
        return classId;
    }

    public byte[] classIdBytes() {
        return classIdBytes;
    }

    public int fieldCount() {
        return fields.length;
    }

    public StateField field(int i) {
        return fields[i];
    }

    /** True when the class has {@code @Id} and {@code @Version}: instances carry their own identity and version. */
    public boolean selfTracking() {
        return versionField != null;
    }

    /** The {@code @Id} field's value (classes with an {@code @Id} field only). */
    String idOf(Object obj) {
        return access.id(obj);
    }

    long versionOf(Object obj) {
        return access.version(obj);
    }

    void setVersion(Object obj, long version) {
        access.setVersion(obj, version);
    }

    boolean hasIdField() {
        return idField != null;
    }

    /** The fields' stored names in UTF-8, by field index (shared: callers must not modify them). */
    byte[][] fieldNames() {
        return fieldNames;
    }

    /** Index of the field stored under {@code name}, or -1 for an entry no field reads (kept, ignored). */
    public int indexOf(String name) {
        Integer i = indexByName.get(name);
        return i == null ? -1 : i;
    }

    /**
     * A new instance with the id field set: of the tracking subclass when there is one (its bookkeeping is
     * set by the caller), else of the class itself.
     */
    public T newInstance(String id) {
        return instantiate(true, id);
    }

    /** A new instance of the class itself (never the tracking subclass), so the runtime does not manage it. */
    T newDetached(String id) {
        return instantiate(false, id);
    }

    /** Runs the no-arg constructor (of the tracking subclass when {@code managed} and there is one), sets the id field. */
    private T instantiate(boolean managed, String id) {
        Object obj;
        try {
            obj = managed ? access.newManaged() : access.newDetached();
        } catch (Throwable t) {
            throw new InvalidStateClassException("the no-arg constructor of " + type.getName() + " threw " + t, t);
        }
        if (idField != null) {
            access.setId(obj, id);
        }
        @SuppressWarnings("unchecked")
        T typed = (T) obj;
        return typed;
    }

    /** Builds and validates the metadata of {@code type}; every problem is an {@link InvalidStateClassException}. */
    public static <T> ObjectType<T> of(Class<T> type, CodecContext codecs) {
        return of(type, codecs, InstantSource.system());
    }

    /** As {@link #of(Class, CodecContext)}; a ttl's deadlines are taken from {@code clock}. */
    public static <T> ObjectType<T> of(Class<T> type, CodecContext codecs, InstantSource clock) {
        StateObject ann = type.getAnnotation(StateObject.class);
        String where = type.getName();
        if (ann == null) {
            throw new InvalidStateClassException(where + " is not a state class: annotate it with @StateObject");
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new InvalidStateClassException(where + " is abstract or an interface: state classes must be concrete");
        }
        if (type.isRecord()) {
            throw new InvalidStateClassException(where + " is a record: records are immutable and objstate loads state"
                    + " into fields; use a class with non-final @State fields (records are fine as field values)");
        }
        if (type.isEnum()) {
            throw new InvalidStateClassException(where + " is an enum: state classes must be plain classes");
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            throw new InvalidStateClassException(where + " is an inner (non-static) class: make it static or top-level");
        }
        String pkg = ann.pkg().isEmpty() ? type.getPackageName() : ann.pkg();
        String name = ann.name().isEmpty() ? type.getSimpleName() : ann.name();
        String classId = pkg.isEmpty() ? name : pkg + "." + name;
        if (classId.getBytes(StandardCharsets.UTF_8).length > 1024 || classId.isBlank()) {
            throw new InvalidStateClassException(where + ": class id '" + classId + "' must be 1..1024 UTF-8 bytes");
        }
        MethodHandles.Lookup lookup = privateLookup(type);
        MethodHandle ctor;
        try {
            ctor = lookup.findConstructor(type, MethodType.methodType(void.class)).asType(MethodType.methodType(Object.class));
        } catch (NoSuchMethodException e) {
            throw new InvalidStateClassException(where + " has no no-arg constructor: add one (any visibility)", e);
        } catch (IllegalAccessException e) {
            throw new InvalidStateClassException(where + ": its no-arg constructor is not accessible: " + e.getMessage(), e);
        }
        VarHandle idHandle = null;
        VarHandle versionHandle = null;
        List<StateField> fields = new ArrayList<>();
        boolean references = false;
        Map<String, String> seen = new HashMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                boolean isState = f.isAnnotationPresent(State.class);
                boolean isId = f.isAnnotationPresent(Id.class);
                String fieldWhere = where + " field " + f.getName();
                if (f.isAnnotationPresent(ExpiresAt.class)) {
                    if (isState || isId || f.isAnnotationPresent(io.objstate.Version.class)) {
                        throw new InvalidStateClassException(fieldWhere + " is @ExpiresAt and also @State, @Id or @Version:"
                                + " the deadline is stored as its own entry; keep only @ExpiresAt");
                    }
                    if (f.getType() != Instant.class) {
                        throw new InvalidStateClassException(fieldWhere + ": @ExpiresAt fields must be java.time.Instant,"
                                + " not " + f.getType().getName());
                    }
                    if (seen.containsKey(ExpiryEntry.NAME)) {
                        throw new InvalidStateClassException(where + " has more than one @ExpiresAt field");
                    }
                    checkModifiers(f, fieldWhere, "@ExpiresAt");
                    seen.put(ExpiryEntry.NAME, f.getName());
                    fields.add(new StateField(ExpiryEntry.NAME, ExpiryEntry.nameBytes(), f.getName(),
                            ExpiryCodecs.field(varHandle(f, fieldWhere))));
                    continue;
                }
                if (f.isAnnotationPresent(io.objstate.Version.class)) {
                    if (isState || isId) {
                        throw new InvalidStateClassException(fieldWhere + " is @Version and also @State or @Id: the"
                                + " version is kept by objstate, not stored as state; remove the other annotation");
                    }
                    if (f.getType() != long.class) {
                        throw new InvalidStateClassException(fieldWhere + ": @Version fields must be long, not "
                                + f.getType().getName());
                    }
                    if (versionHandle != null) {
                        throw new InvalidStateClassException(where + " has more than one @Version field");
                    }
                    checkModifiers(f, fieldWhere, "@Version");
                    versionHandle = varHandle(f, fieldWhere);
                }
                if (isId) {
                    if (isState) {
                        throw new InvalidStateClassException(fieldWhere + " is both @Id and @State: the id is stored as the"
                                + " key, remove @State");
                    }
                    if (f.getType() != String.class) {
                        throw new InvalidStateClassException(fieldWhere + ": @Id fields must be String, not " + f.getType().getName());
                    }
                    if (idHandle != null) {
                        throw new InvalidStateClassException(where + " has more than one @Id field");
                    }
                    checkModifiers(f, fieldWhere, "@Id");
                    idHandle = varHandle(f, fieldWhere);
                }
                if (!isState) {
                    continue;
                }
                checkModifiers(f, fieldWhere, "@State");
                String stored = f.getAnnotation(State.class).name().isEmpty() ? f.getName() : f.getAnnotation(State.class).name();
                byte[] storedBytes = stored.getBytes(StandardCharsets.UTF_8);
                if (stored.startsWith("\0")) {
                    throw new InvalidStateClassException(fieldWhere + ": stored names starting with NUL are reserved for"
                            + " objstate (the expiry entry); choose another @State(name)");
                }
                if (storedBytes.length > 1024) {
                    throw new InvalidStateClassException(fieldWhere + ": stored name must be at most 1024 UTF-8 bytes");
                }
                String other = seen.putIfAbsent(stored, f.getName());
                if (other != null) {
                    throw new InvalidStateClassException(fieldWhere + ": stored name '" + stored + "' is also used by field "
                            + other + "; give one of them @State(name = \"...\")");
                }
                FieldCodec codec;
                try {
                    ModuleAccess.read(f.getDeclaringClass());
                    ModuleAccess.shareWithJackson(f.getGenericType());
                    codec = FieldCodecs.forField(f, codecs);
                } catch (CodecException e) {
                    throw new InvalidStateClassException(fieldWhere + ": " + e.getMessage(), e);
                }
                fields.add(new StateField(stored, storedBytes, f.getName(), codec));
                references |= f.getType().isAnnotationPresent(StateObject.class);
            }
        }
        if (versionHandle != null && idHandle == null) {
            throw new InvalidStateClassException(where + " has a @Version field but no @Id field: add a String @Id"
                    + " field, so an instance carries both its identity and its version");
        }
        boolean ttl = !ann.ttl().isEmpty();
        if (ttl) {
            Duration d;
            try {
                d = Duration.parse(ann.ttl());
            } catch (java.time.format.DateTimeParseException e) {
                throw new InvalidStateClassException(where + ": @StateObject(ttl = \"" + ann.ttl() + "\") is not an ISO-8601"
                        + " duration; write e.g. \"PT30M\" (30 minutes), \"PT12H\" or \"P7D\"", e);
            }
            if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
                throw new InvalidStateClassException(where + ": @StateObject(ttl = \"" + ann.ttl() + "\") must be at least"
                        + " one millisecond");
            }
            if (seen.containsKey(ExpiryEntry.NAME)) {
                throw new InvalidStateClassException(where + " has both @StateObject(ttl) and an @ExpiresAt field: choose"
                        + " one (a ttl sets every object's deadline at each commit; @ExpiresAt sets each object's own)");
            }
            fields.add(new StateField(ExpiryEntry.NAME, ExpiryEntry.nameBytes(), "(ttl)", ExpiryCodecs.ttl(clock, d)));
        }
        return new ObjectType<>(type, classId, ctor, idHandle, versionHandle, fields.toArray(StateField[]::new), references,
                ttl);
    }

    private static void checkModifiers(Field f, String where, String what) {
        int m = f.getModifiers();
        if (Modifier.isStatic(m)) {
            throw new InvalidStateClassException(where + " is static: " + what + " fields must be instance fields");
        }
        if (Modifier.isFinal(m)) {
            throw new InvalidStateClassException(where + " is final: objstate sets " + what
                    + " fields when it loads an object; remove final");
        }
        if (Modifier.isTransient(m)) {
            throw new InvalidStateClassException(where + " is transient and " + what + ": choose one");
        }
    }

    static MethodHandles.Lookup privateLookup(Class<?> type) {
        ModuleAccess.read(type);
        try {
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            // Only a named module can refuse: say exactly which line its module-info.java needs.
            Module self = ObjectType.class.getModule();
            String to = self.isNamed() ? self.getName() : "ALL-UNNAMED";
            throw new InvalidStateClassException(type.getName() + " is not accessible to objstate: add 'opens "
                    + type.getPackageName() + (self.isNamed() ? " to " + self.getName() : "") + ";' to the module-info.java of "
                    + "module " + type.getModule().getName() + ", or run with --add-opens " + type.getModule().getName() + "/"
                    + type.getPackageName() + "=" + to, e);
        }
    }

    private static VarHandle varHandle(Field f, String where) {
        try {
            return privateLookup(f.getDeclaringClass()).unreflectVarHandle(f);
        } catch (IllegalAccessException e) {
            throw new InvalidStateClassException(where + " is not accessible: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return classId + " (" + type.getName() + ")";
    }
}
