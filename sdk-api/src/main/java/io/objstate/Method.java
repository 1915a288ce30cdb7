package io.objstate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation on a state object's state that can be run by name: {@link ObjectRuntime#invoke},
 * {@link ObjectSet#invoke} and {@link ObjectRuntime#invokeJson} load the object, run the method, and commit
 * what it changed (retrying on version conflicts, like {@link ObjectSet#update}). Instance methods only, any
 * visibility; dispatch names must be unique within a class (no overloads), checked at registration.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Method {
    /** {@return the method name for dispatch; empty means the Java method name} */
    String name() default "";
}
