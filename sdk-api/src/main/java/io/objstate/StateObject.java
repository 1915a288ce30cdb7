package io.objstate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link State} fields objstate persists. Its class id is {@code pkg + "." + name}:
 * {@code pkg} defaults to the Java package, {@code name} to the simple class name. The class id is the
 * stored identity of the type, so renaming the Java class keeps the data when the class id stays.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StateObject {
    /** {@return the package part of the class id; empty means the Java package name} */
    String pkg() default "";

    /** {@return the name part of the class id; empty means the simple class name} */
    String name() default "";

    /**
     * Time to live as an ISO-8601 duration (e.g. {@code "PT30M"}); empty means objects do not expire. Every
     * commit that writes an object sets its deadline to the commit time plus this duration; from the deadline
     * on the object reads as absent and a background sweep deletes it. For a deadline per object, use an
     * {@link ExpiresAt} field instead (not both).
     *
     * @return the time to live, or empty for none
     */
    String ttl() default "";

    /**
     * Routing key separator, for cluster mode (sdk-cluster); empty (the default) places each object by its class
     * id and object id. When set, an object's routing key is the part of its id before the first occurrence of
     * this separator (the whole id when it has none), and a cluster places the object by its routing key alone:
     * objects whose routing keys are equal live in one shard, whatever their class, so one commit of them is
     * atomic. For example, with {@code routingKeySeparator = "/"} on an account class and on its ledger entries'
     * class, account {@code "alice"} and entry {@code "alice/2024-001"} share a shard. It is part of where stored
     * objects are found: changing it for a class that has objects in a cluster makes them unreachable. The
     * embedded runtime has one store and ignores it.
     *
     * @return the separator, or empty for placement by class id and object id
     */
    String routingKeySeparator() default "";
}
