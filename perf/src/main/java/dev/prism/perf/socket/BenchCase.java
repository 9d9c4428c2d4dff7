package dev.prism.perf.socket;

import io.netty.buffer.ByteBufAllocator;
import java.util.Map;

/** One configuration of the benchmark: what it sends or receives, and how to set it up. Immutable. */
interface BenchCase {
    /** Unique and short, e.g. "send flush/1x10". */
    String name();

    /** "send", "gso" or "receive": the table's sections. */
    String group();

    /** The case whose figures this one is compared with (its own name for a baseline). */
    String baseline();

    /** One line for the reader. */
    String description();

    /** The case's parameters, for the JSON. */
    Map<String, Object> params();

    /** Whether its figures are per received datagram (receive cases) or per sent datagram (send cases). */
    boolean perReceived();

    /** Why it cannot run on this machine, or null when it can. */
    default String unsupported() {
        return null;
    }

    /** Sets up sockets, loops and peers; nothing is sent before {@link Traffic#start}. */
    Traffic open(ByteBufAllocator alloc) throws Exception;
}
