package dev.prism.server.link;

import dev.prism.cluster.link.LinkChannel;
import dev.prism.signaling.route.ProxyChannel;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The edge's end of a proxied session: a link channel as signaling's {@link ProxyChannel}. The link's close codes pass
 * through unchanged (signaling maps link failures to 4013). Threading as {@link LinkChannel}'s.
 */
final class EdgeChannel implements ProxyChannel {
    private final LinkChannel channel;

    EdgeChannel(LinkChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean write(String text) {
        return channel.write(text);
    }

    @Override
    public boolean writeQueueFull() {
        return channel.writeQueueFull();
    }

    @Override
    public ProxyChannel drainHandler(Runnable handler) {
        channel.drainHandler(v -> handler.run());
        return this;
    }

    @Override
    public ProxyChannel handler(Consumer<String> messages) {
        channel.handler(messages::accept);
        return this;
    }

    @Override
    public ProxyChannel closeHandler(BiConsumer<Integer, String> handler) {
        channel.closeHandler(c -> handler.accept(c.code(), c.reason()));
        return this;
    }

    @Override
    public void close(int code, String reason) {
        channel.close(code, reason);
    }

    @Override
    public void pause() {
        channel.pause();
    }

    @Override
    public void resume() {
        channel.resume();
    }

    @Override
    public boolean isClosed() {
        return channel.isClosed();
    }
}
