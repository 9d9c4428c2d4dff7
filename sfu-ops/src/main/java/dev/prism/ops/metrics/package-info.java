/**
 * Micrometer metrics of a node and their Prometheus scrape endpoint ({@code /metrics}), plus readiness
 * ({@code /readyz}).
 *
 * <p>Media counters are read, never copied: each Prometheus counter is a function over the media plane's atomic
 * counters, so the packet path pays nothing for metrics. Metrics carry no room or participant ids (bounded label
 * sets only: direction, drop reason, message type, error code, leave reason). Other modules' meters are bound
 * here as Micrometer {@code MeterBinder}s by the launcher ({@link dev.prism.ops.metrics.PrismMetrics#bind}): sfu-signaling's
 * {@code SignalingMeters} (sessions, messages, errors, refusals, repairs, refused tracks, HTTP cuts), so this module
 * does not depend on signaling. Names, types, labels and help texts are pinned by prism-server's
 * {@code MetricsGoldenTest}.
 */
package dev.prism.ops.metrics;
