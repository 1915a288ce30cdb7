package io.objstate.internal;

import io.objstate.InvalidStateClassException;
import io.objstate.internal.codec.CodecContext;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The state classes registered in one runtime: their metadata, built once at registration, found by class
 * (the state class or its tracking subclass) and by class id.
 */
final class TypeRegistry {
    private final CodecContext codecs;
    private final java.time.InstantSource clock;
    private final ConcurrentHashMap<Class<?>, DefaultObjectSet<?>> sets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Class<?>> classIds = new ConcurrentHashMap<>();

    TypeRegistry(CodecContext codecs, java.time.InstantSource clock) {
        this.codecs = codecs;
        this.clock = clock;
    }

    /** The set of {@code type}, registering it (validated once) on first use. */
    @SuppressWarnings("unchecked")
    <T> DefaultObjectSet<T> register(Class<T> type, Function<ObjectType<T>, DefaultObjectSet<T>> newSet) {
        DefaultObjectSet<?> set = sets.get(type);
        if (set != null && set.type.type() == type) {
            return (DefaultObjectSet<T>) set;
        }
        if (TrackingClasses.isTrackingClass(type)) {
            return (DefaultObjectSet<T>) register((Class<T>) type.getSuperclass(), (Function) newSet);
        }
        synchronized (this) {
            set = sets.get(type);
            if (set != null) {
                return (DefaultObjectSet<T>) set;
            }
            ObjectType<T> meta = ObjectType.of(type, codecs, clock);
            DefaultObjectSet<T> created = newSet.apply(meta); // validates the @Methods before anything is recorded
            Class<?> other = classIds.putIfAbsent(meta.classId(), type);
            if (other != null && other != type) {
                throw new InvalidStateClassException(type.getName() + " has class id '" + meta.classId()
                        + "', already used by " + other.getName() + " in this runtime; give one a different"
                        + " @StateObject(pkg, name)");
            }
            if (meta.tracking() != null) {
                sets.put(meta.tracking().type(), created);
            }
            sets.put(type, created);
            return created;
        }
    }

    /** The type of a managed instance's class; {@link io.objstate.UnmanagedObjectException} when not registered. */
    ObjectType<?> typeOfInstance(Object obj) {
        DefaultObjectSet<?> set = sets.get(obj.getClass());
        if (set == null) {
            throw InstanceTracker.unmanaged(obj, null);
        }
        return set.type;
    }

    /** The set of a registered class (or its tracking subclass), or null. */
    DefaultObjectSet<?> setOf(Class<?> c) {
        return sets.get(c);
    }

    /** The registered classes whose objects can expire. */
    List<ObjectType<?>> expiringTypes() {
        return sets.values().stream().<ObjectType<?>>map(set -> set.type).filter(ObjectType::hasExpiry).distinct()
                .toList();
    }

    /** The set of the class registered under {@code classId}, or null. */
    DefaultObjectSet<?> setOfClassId(String classId) {
        Class<?> c = classId == null ? null : classIds.get(classId);
        return c == null ? null : sets.get(c);
    }

    List<String> classIds() {
        return List.copyOf(classIds.keySet());
    }
}
