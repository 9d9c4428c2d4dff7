package dev.prism.perf.load;

import java.nio.file.Path;
import java.util.concurrent.Executor;

/** Janus 1.x with its VideoRoom plugin, driven over its HTTP API on loopback. */
final class JanusTarget implements Target {
    private final Path workDir;

    JanusTarget(Path workDir) {
        this.workDir = workDir;
    }

    @Override
    public String name() {
        return "janus";
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("the Janus target is not implemented yet");
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public String clientBindAddress() {
        return "127.0.0.1";
    }

    @Override
    public RoomSignaling signaling(String room, String identity, boolean publisher, Executor loop) {
        throw new UnsupportedOperationException();
    }

    @Override
    public JvmProbe jvm() {
        return null;
    }

    @Override
    public Path gcLog() {
        return null;
    }

    @Override
    public String description() {
        return "janus (" + workDir + ")";
    }

    @Override
    public void close() {
    }
}
