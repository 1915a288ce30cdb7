package io.objstate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code java.time.Instant} field holding the object's own expiry deadline, stored and committed like any
 * state field (to millisecond precision); null means the object does not expire. From the deadline on, the
 * object reads as absent (loads, {@code exists}, scans, {@code count}) and a background sweep deletes it.
 * For one lifetime shared by every object of a class, use {@link StateObject#ttl()} instead (not both).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ExpiresAt {}
