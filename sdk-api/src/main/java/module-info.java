/**
 * objstate: the public API is {@code io.objstate} (and the optional JUnit 5 extension in
 * {@code io.objstate.junit}); everything under {@code io.objstate.internal} is internal.
 *
 * <p>A state class in a named module needs only {@code opens its.package to io.objstate;}: objstate reads
 * and writes its fields through a private lookup, and passes the same access on to Jackson for the types of
 * JSON-encoded fields declared in that package.
 */
@SuppressWarnings("module") // io.objstate.cli and io.objstate.cluster are built after this module
module io.objstate {
    requires io.objstate.nativestore;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.module.paramnames;
    requires com.github.benmanes.caffeine;
    requires com.lmax.disruptor;
    requires jdk.jfr; // the runtime's Flight Recorder events (io.objstate.internal.events)
    // Optional: only users of io.objstate.micrometer (the MeterBinder) need Micrometer on their path.
    requires static micrometer.core;
    // Optional: only users of the JUnit 5 extension (io.objstate.junit, whose API mentions JUnit types) need
    // it, and they require it themselves (not 'requires transitive', which would make it mandatory).
    requires static org.junit.jupiter.api;

    exports io.objstate;
    exports io.objstate.junit;
    exports io.objstate.micrometer;
    // WireJson and CodecException: the CLI decodes stored entries without the user's classes.
    exports io.objstate.internal.codec to io.objstate.cli;
    // The cluster module plugs a replicated Store into the same runtime (DefaultObjectRuntime.openWith).
    exports io.objstate.internal to io.objstate.cluster;
    exports io.objstate.internal.store to io.objstate.cluster;
}
