package dev.prism.perf.load;

import java.nio.file.Path;
import java.util.concurrent.Executor;

/** The SFU under test, running as its own process: started and stopped by the load run. */
interface Target extends AutoCloseable {
    /** "prism" or "janus". */
    String name();

    /** Starts the server and waits until it accepts signaling. */
    void start() throws Exception;

    /** The server process whose CPU and memory are measured. */
    long pid();

    /** The address the simulated participants bind to and the server's candidates point at. */
    String clientBindAddress();

    /** Signaling for one participant of {@code room}; {@code loop} runs its callbacks. */
    RoomSignaling signaling(String room, String identity, boolean publisher, Executor loop);

    /** JMX view of the server JVM, or null when the server is not a JVM. */
    JvmProbe jvm();

    /** Its GC log (uptime-stamped), or null. */
    Path gcLog();

    /** What was run: command line and versions, for the report. */
    String description();

    /** Stops the server; waits for it to exit. Never throws. */
    @Override
    void close();
}
