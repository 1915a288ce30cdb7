package io.objstate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation on a state object's state, the unit an application runs through
 * {@link ObjectSet#update}. Documentation today; the hook for method dispatch by name (OaaS style).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Method {
    /** {@return the method name for dispatch; empty means the Java method name} */
    String name() default "";
}
