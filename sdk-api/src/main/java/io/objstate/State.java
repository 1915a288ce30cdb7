package io.objstate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A persisted field. Each is stored as its own entry keyed by {@link #name()} (default: the field name),
 * so fields can be added, removed and reordered without migrating data. The field must not be final
 * or static.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface State {
    /** {@return the stored entry name; empty means the field name} */
    String name() default "";
}
