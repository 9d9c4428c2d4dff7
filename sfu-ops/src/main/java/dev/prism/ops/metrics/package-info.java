/**
 * Micrometer metrics of a node and their Prometheus scrape endpoint ({@code /metrics}), plus readiness
 * ({@code /readyz}).
 *
 * <p>Media counters are read, never copied: each Prometheus counter is a function over the media plane's atomic
 * counters, so the packet path pays nothing for metrics. Metrics carry no room or participant ids (bounded label
 * sets only: direction, drop reason, message type, error code, leave reason).
 */
package dev.prism.ops.metrics;
