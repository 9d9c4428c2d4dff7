package dev.prism.signaling.route;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The edge's end of a proxied session (prism-server adapts a LinkChannel to it). */
public interface ProxyChannel {
    void write(String text);

    boolean writeQueueFull();

    void drainHandler(Runnable handler);

    void handler(Consumer<String> handler);

    void closeHandler(BiConsumer<Integer, String> handler);

    void close(int code, String reason);

    void pause();

    void resume();

    boolean isClosed();
}
