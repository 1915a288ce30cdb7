/**
 * Micrometer metrics for an {@link io.objstate.ObjectRuntime}: bind {@link io.objstate.micrometer.ObjstateMetrics}
 * to a {@code MeterRegistry}. Micrometer is an optional dependency of objstate: add
 * {@code io.micrometer:micrometer-core} yourself to use this package (on the module path, your module
 * {@code requires micrometer.core}).
 */
package io.objstate.micrometer;
