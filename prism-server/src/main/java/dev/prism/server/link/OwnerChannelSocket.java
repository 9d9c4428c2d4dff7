package dev.prism.server.link;

import dev.prism.cluster.link.LinkChannel;
import dev.prism.cluster.link.LinkCloseCodes;
import dev.prism.cluster.link.OpenRequest;
import dev.prism.signaling.session.SessionSocket;
import io.vertx.core.Vertx;

/**
 * The owner's end of a proxied session: an accepted link channel as the {@link SessionSocket} a participant session
 * runs on. The edge's close code (the client's) reaches the session as its socket's close code; a link failure reaches
 * it as no close code at all (the connection died), so the session detaches and waits for a resume, like one whose
 * WebSocket dropped. Its {@link #remoteAddress()} is the client's address the edge reported plus
 * {@code via <edge node>}.
 *
 * <p>Threading: {@link #bind} on the channel's event loop (where the session is started); the handler is called
 * there. {@link #pauseFor}'s timer runs there too.
 */
final class OwnerChannelSocket implements SessionSocket {
    private final Vertx vertx;
    private final LinkChannel channel;
    private final String remote;

    OwnerChannelSocket(Vertx vertx, LinkChannel channel) {
        this.vertx = vertx;
        this.channel = channel;
        String client = channel.request().header(OpenRequest.CLIENT_ADDRESS);
        this.remote = (client == null ? "?" : client) + " via " + channel.peerNodeId();
    }

    @Override
    public void bind(Handler handler) {
        channel.handler(handler::onText);
        channel.closeHandler(c -> handler.onClosed(LinkCloseCodes.isLinkFailure(c.code())
                || c.code() == LinkCloseCodes.OVERFLOW || c.code() == 1006 ? null : c.code()));
    }

    @Override
    public void send(String text) {
        channel.write(text);
    }

    @Override
    public void close() {
        channel.close(LinkCloseCodes.NORMAL, "");
    }

    @Override
    public void close(short code, String reason) {
        channel.close(code, reason);
    }

    @Override
    public boolean isClosed() {
        return channel.isClosed();
    }

    @Override
    public void pauseFor(long millis) {
        channel.pause();
        channel.context().runOnContext(v -> vertx.setTimer(millis, id -> channel.resume()));
    }

    @Override
    public String remoteAddress() {
        return remote;
    }
}
