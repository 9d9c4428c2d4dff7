package dev.prism.perf.socket;

import java.util.List;

/**
 * One run of a {@link BenchCase}: its sockets, event loops and peer threads, and the counters the measuring thread
 * reads. Counters are read from the measuring thread while the traffic runs (they are published through volatile
 * fields) and are monotonic.
 */
interface Traffic extends AutoCloseable {
    /** Starts the driver; it runs until {@code window} says stop. */
    void start(Window window) throws Exception;

    /** The event loop threads under test (valid after {@link #start}). */
    List<ProbedThread> loops();

    /** The other threads of the case: the receivers' drain or the clients' senders, measured apart. */
    List<ProbedThread> peers();

    /** Datagrams sent so far (GSO segments count one each). */
    long sent();

    /** Datagrams counted by the receiving side so far. */
    long received();

    /** {@code channelReadComplete} calls of the receiving channels, or -1 where the loop under test only sends. */
    long readCompletes();

    /** Datagrams received per event loop under test, or null when there is one loop or it only sends. */
    long[] receivedPerLoop();

    /** Sends or reads that failed (exceptions on the channels, failed client sends). */
    long errors();

    /** Datagrams that arrived with another size than sent (a GSO send must arrive as its segments). */
    long wrongSize();

    /** Stops the driver if it still runs, closes everything and releases every buffer. */
    @Override
    void close() throws Exception;
}
