package dev.prism.core.inspect;

/**
 * Packets and bytes in one direction since start, with the rate over the last sample interval.
 *
 * @param packetsPerSecond null until two samples exist
 * @param bitsPerSecond    null until two samples exist
 */
public record Traffic(long packets, long bytes, Double packetsPerSecond, Double bitsPerSecond) {
}
