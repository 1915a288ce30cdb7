package io.objstate.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;

/**
 * Lets a state class's module open its packages to {@code io.objstate} only. A private lookup also needs
 * objstate's module to read the state class's module, which objstate adds itself ({@link #read}). The types
 * a JSON-encoded field
 * mentions (a record or POJO declared beside the state class) are also read and built by Jackson, so every
 * package among them that is open to objstate is opened to Jackson's module on objstate's behalf
 * ({@link Module#addOpens} allows this to a module the package is open to). On the class path everything is
 * open already and nothing happens.
 */
final class ModuleAccess {
    private static final Module SELF = ModuleAccess.class.getModule();
    private static final Module JACKSON = ObjectMapper.class.getModule();

    private ModuleAccess() {
    }

    /** Makes objstate's module read the module of {@code c}, which {@code privateLookupIn} requires. */
    static void read(Class<?> c) {
        Module m = c.getModule();
        if (m.isNamed() && !SELF.canRead(m)) {
            SELF.addReads(m);
        }
    }

    /** Opens to Jackson the packages of {@code type} and its type arguments that are open to objstate. */
    static void shareWithJackson(Type type) {
        switch (type) {
            case Class<?> c when c.isArray() -> shareWithJackson(c.getComponentType());
            case Class<?> c -> open(c);
            case ParameterizedType p -> {
                shareWithJackson(p.getRawType());
                for (Type arg : p.getActualTypeArguments()) {
                    shareWithJackson(arg);
                }
            }
            case GenericArrayType a -> shareWithJackson(a.getGenericComponentType());
            case WildcardType w -> {
                for (Type bound : w.getUpperBounds()) {
                    shareWithJackson(bound);
                }
            }
            default -> { } // type variables: nothing concrete to open
        }
    }

    private static void open(Class<?> c) {
        Module m = c.getModule();
        String pkg = c.getPackageName();
        if (!m.isNamed() || c.isPrimitive() || m.isOpen(pkg, JACKSON) || !m.isOpen(pkg, SELF)) {
            return;
        }
        m.addOpens(pkg, JACKSON);
    }
}
