package io.objstate.internal;

import io.objstate.InvalidStateClassException;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * The tracking subclass of a state class: generated once per class and JVM with the JDK's ClassFile API
 * and defined in the state class's own package, it adds two transient fields where a runtime keeps what it
 * knows about an instance it handed out (its {@link ObjectKey} and base {@link Snapshot}). Loads and
 * creates instantiate the subclass, so a commit reads its bookkeeping from the instance itself instead of
 * a side table.
 *
 * <p>The subclass only refers to the state class and {@code Object}, so it links in any module that the
 * state class's package is open from. A class that cannot be subclassed (final, or a private no-arg
 * constructor) gets no tracking class ({@link #of} returns null) and is tracked in a weak side table.
 */
final class TrackingClasses {
    static final String SUFFIX = "$$ObjState";
    static final String KEY_FIELD = "objstate$key";
    static final String BASE_FIELD = "objstate$base";

    /** A generated subclass: how to make instances and where their bookkeeping lives. */
    record TrackingClass(Class<?> type, MethodHandle constructor, VarHandle key, VarHandle base) {}

    private static final ClassValue<TrackingClass> GENERATED = new ClassValue<>() {
        @Override
        protected TrackingClass computeValue(Class<?> stateClass) {
            synchronized (TrackingClasses.class) {
                return generate(stateClass);
            }
        }
    };

    private TrackingClasses() {}

    /** True when {@code type} can get a tracking subclass. */
    static boolean subclassable(Class<?> type) {
        if (Modifier.isFinal(type.getModifiers())) {
            return false;
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            return !Modifier.isPrivate(c.getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The tracking class of {@code stateClass}, or null when it cannot be subclassed. */
    static TrackingClass of(Class<?> stateClass) {
        return subclassable(stateClass) ? GENERATED.get(stateClass) : null;
    }

    /** True when {@code c} is a generated tracking class (so its superclass is the state class). */
    static boolean isTrackingClass(Class<?> c) {
        return c.isSynthetic() && c.getName().endsWith(SUFFIX);
    }

    private static TrackingClass generate(Class<?> stateClass) {
        String name = stateClass.getName() + SUFFIX;
        MethodHandles.Lookup host = ObjectType.privateLookup(stateClass);
        Class<?> generated;
        try {
            generated = Class.forName(name, false, stateClass.getClassLoader());
        } catch (ClassNotFoundException absent) {
            generated = define(host, stateClass, name);
        }
        try {
            MethodHandles.Lookup own = MethodHandles.privateLookupIn(generated, MethodHandles.lookup());
            MethodHandle ctor = own.findConstructor(generated, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            VarHandle key = own.findVarHandle(generated, KEY_FIELD, Object.class);
            VarHandle base = own.findVarHandle(generated, BASE_FIELD, Object.class);
            return new TrackingClass(generated, ctor, key, base);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new InvalidStateClassException("objstate could not use the tracking subclass " + name + " of "
                    + stateClass.getName() + ": " + e + "; open the package " + stateClass.getPackageName()
                    + " to objstate (module-info 'opens " + stateClass.getPackageName() + " to io.objstate;')", e);
        }
    }

    private static Class<?> define(MethodHandles.Lookup host, Class<?> stateClass, String name) {
        ClassDesc self = ClassDesc.of(name);
        ClassDesc superDesc = ClassDesc.of(stateClass.getName());
        byte[] bytes = ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC | ClassFile.ACC_SUPER);
            cb.withSuperclass(superDesc);
            int fieldFlags = ClassFile.ACC_PRIVATE | ClassFile.ACC_TRANSIENT | ClassFile.ACC_SYNTHETIC;
            cb.withField(KEY_FIELD, ConstantDescs.CD_Object, fieldFlags);
            cb.withField(BASE_FIELD, ConstantDescs.CD_Object, fieldFlags);
            cb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> code
                    .aload(0)
                    .invokespecial(superDesc, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                    .return_());
        });
        try {
            return host.defineClass(bytes);
        } catch (LinkageError race) {
            // Defined meanwhile by another class loader path of the same loader: use that one.
            try {
                return Class.forName(name, false, stateClass.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw failure(stateClass, race);
            }
        } catch (IllegalAccessException | RuntimeException e) {
            throw failure(stateClass, e);
        }
    }

    private static InvalidStateClassException failure(Class<?> stateClass, Throwable cause) {
        return new InvalidStateClassException("objstate could not generate the tracking subclass of "
                + stateClass.getName() + ": " + cause + "; open the package " + stateClass.getPackageName()
                + " to objstate (module-info 'opens " + stateClass.getPackageName() + " to io.objstate;', or"
                + " --add-opens), or make the class final to be tracked without a subclass", cause);
    }

}
