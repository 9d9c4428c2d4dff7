package dev.prism.cluster;

/**
 * A live node as read from its record ({@code prism:node:<id>}) while its lease held. Immutable.
 *
 * @param id              the node's id for this process ({@code <node-id>-<random>})
 * @param descriptor      link URL, media address and ports, version
 * @param state           SERVING or DRAINING
 * @param load            the figures it reported
 * @param score           the load score it computed from them ({@link LoadModel#score})
 * @param reportSeq       the report's sequence number: a new number means a new measurement
 * @param reportedAtMillis wall-clock time of the report, milliseconds since the epoch
 */
public record NodeView(String id, NodeDescriptor descriptor, NodeState state, NodeLoad load, double score,
                       long reportSeq, long reportedAtMillis) {
}
