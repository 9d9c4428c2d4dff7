package dev.prism.cluster.link;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The client's side of one connection's handshake: Hello, then Challenge → Auth, then AuthOk (the server's proof,
 * checked) → {@code onAuthenticated}. Any failure closes the socket and calls {@code onFailed} once with a bounded
 * reason. Confined to the connection's context.
 */
final class ClientHandshake {
    private final LinkClient client;
    private final FramedSocket socket;
    private final BiConsumer<FramedSocket, String> onAuthenticated;
    private final Consumer<LinkUnavailableException> onFailed;
    private final byte[] clientNonce = LinkAuth.nonce();
    private LinkFrame.Challenge challenge;
    private long timer;
    private boolean done;

    ClientHandshake(LinkClient client, FramedSocket socket, BiConsumer<FramedSocket, String> onAuthenticated,
                    Consumer<LinkUnavailableException> onFailed) {
        this.client = client;
        this.socket = socket;
        this.onAuthenticated = onAuthenticated;
        this.onFailed = onFailed;
    }

    void start() {
        socket.onFrame(this::frame);
        socket.onProtocolError(e -> {
            client.log().protocolError(socket.remoteAddress(), e);
            fail("handshake_failed", e.reason().label(), false);
        });
        socket.onClosed(v -> fail("handshake_failed", "connection closed during the handshake", false));
        timer = client.vertx().setTimer(client.settings().handshakeTimeoutMillis(), t -> {
            if (!done) {
                client.metrics().handshakeTimeouts.increment();
                fail("handshake_timeout", "no answer in " + client.settings().handshakeTimeoutMillis() + " ms", true);
            }
        });
        socket.send(new LinkFrame.Hello(LinkAuth.VERSION, client.nodeId(), clientNonce));
    }

    private void frame(LinkFrame frame) {
        if (done) {
            return;
        }
        if (challenge == null && frame instanceof LinkFrame.Challenge c) {
            if (c.version() != LinkAuth.VERSION) {
                client.metrics().handshakeFailures.increment();
                fail("version_unsupported", "server speaks version " + c.version(), true);
                return;
            }
            challenge = c;
            socket.send(new LinkFrame.Auth(
                    client.auth().clientProof(clientNonce, c.nonce(), client.nodeId(), c.nodeId())));
        } else if (challenge != null && frame instanceof LinkFrame.AuthOk ok) {
            byte[] expected = client.auth().serverProof(clientNonce, challenge.nonce(), client.nodeId(),
                    challenge.nodeId());
            if (!LinkAuth.matches(expected, ok.mac())) {
                client.metrics().authRefused.increment();
                client.log().handshakeRefused("server proof wrong", socket.remoteAddress(), challenge.nodeId());
                fail("auth_failed", "the server's proof does not match the cluster secret", true);
                return;
            }
            done = true;
            client.vertx().cancelTimer(timer);
            onAuthenticated.accept(socket, challenge.nodeId());
        } else if (frame instanceof LinkFrame.Close c && c.channel() == 0) {
            String reason = c.code() == LinkCloseCodes.AUTH_FAILED ? "auth_failed"
                    : c.code() == LinkCloseCodes.VERSION_UNSUPPORTED ? "version_unsupported" : "handshake_failed";
            if (c.code() == LinkCloseCodes.AUTH_FAILED) {
                client.metrics().authRefused.increment();
                client.log().handshakeRefused("refused by the server", socket.remoteAddress(),
                        challenge == null ? "-" : challenge.nodeId());
            }
            fail(reason, c.reason(), true);
        } else {
            client.metrics().handshakeFailures.increment();
            fail("handshake_failed", "unexpected frame type " + FrameCodec.type(frame), true);
        }
    }

    private void fail(String reason, String message, boolean close) {
        if (done) {
            return;
        }
        done = true;
        client.vertx().cancelTimer(timer);
        if (close) {
            socket.close();
        }
        onFailed.accept(new LinkUnavailableException(reason, message));
    }
}
