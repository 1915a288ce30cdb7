package io.objstate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code long} field that receives the object's version on create (0), load and commit. A class with
 * both {@link Id} and {@code @Version} carries its own identity and version, so the runtime keeps no
 * per-instance bookkeeping for it: loads are cheaper and instances are garbage like any other object.
 * The field is managed by objstate; changing it makes the next commit fail as stale (or, if set to the
 * stored version, commit on top of it).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Version {}
