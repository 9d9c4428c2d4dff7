/**
 * The node's read model and operator actions, for the admin UI, its REST API and scripts.
 *
 * <p>{@link dev.prism.core.inspect.NodeInspector} is the only entry point. Everything it returns is an immutable
 * snapshot record, safe to hand to any thread and to serialise; nothing in here refers to a live media object.
 *
 * <p>Absent values: a statistic the media plane does not measure (yet) is {@code null}, never a made-up zero. Round
 * trip time, loss, jitter and bandwidth estimates come from the RTCP and bandwidth-estimation work; simulcast layers,
 * target/current layer and frame rates from the simulcast work. Rates ({@code ...PerSecond}, {@code ...Bps}) are
 * {@code null} until two samples exist.
 */
package dev.prism.core.inspect;
