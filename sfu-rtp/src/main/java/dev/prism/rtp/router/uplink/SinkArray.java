package dev.prism.rtp.router.uplink;

import java.util.Arrays;

/**
 * A producer's consumers as a copy-on-write array: the fan-out reads {@link #array()} once per packet and loops over
 * it without allocation; adding or removing a consumer (rare, on the same event loop) builds a new array.
 *
 * <p>Threading: the producer's event loop only.
 */
final class SinkArray {
    private static final PacketSink[] NONE = new PacketSink[0];

    private PacketSink[] sinks = NONE;

    /** The current consumers; the caller must not modify it. */
    PacketSink[] array() {
        return sinks;
    }

    void add(PacketSink sink) {
        PacketSink[] next = Arrays.copyOf(sinks, sinks.length + 1);
        next[sinks.length] = sink;
        sinks = next;
    }

    /** Removes {@code sink}; nothing when it is not there. */
    void remove(PacketSink sink) {
        int i = Arrays.asList(sinks).indexOf(sink);
        if (i < 0) {
            return;
        }
        PacketSink[] next = new PacketSink[sinks.length - 1];
        System.arraycopy(sinks, 0, next, 0, i);
        System.arraycopy(sinks, i + 1, next, i, sinks.length - i - 1);
        sinks = next;
    }

    /** Empties the array and returns what it held. */
    PacketSink[] detachAll() {
        PacketSink[] detached = sinks;
        sinks = NONE;
        return detached;
    }

    int size() {
        return sinks.length;
    }
}
