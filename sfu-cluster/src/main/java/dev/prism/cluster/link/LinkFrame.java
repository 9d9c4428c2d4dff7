package dev.prism.cluster.link;

import java.util.Arrays;

/**
 * One decoded frame of the node-to-node link (layout: docs/CLUSTER.md, "Node-to-node link"). Immutable values;
 * {@link FrameCodec} turns them into bytes and back. Channel 0 is the connection itself.
 */
sealed interface LinkFrame {
    /** The channel the frame belongs to; 0 for connection-level frames. */
    int channel();

    /** First handshake frame, client to server: the client's protocol version, node id and fresh nonce. */
    record Hello(int version, String nodeId, byte[] nonce) implements LinkFrame {
        @Override
        public int channel() {
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hello h && h.version == version && h.nodeId.equals(nodeId)
                    && Arrays.equals(h.nonce, nonce);
        }

        @Override
        public int hashCode() {
            return nodeId.hashCode();
        }
    }

    /** Server to client: the server's version, node id and fresh nonce. */
    record Challenge(int version, String nodeId, byte[] nonce) implements LinkFrame {
        @Override
        public int channel() {
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge h && h.version == version && h.nodeId.equals(nodeId)
                    && Arrays.equals(h.nonce, nonce);
        }

        @Override
        public int hashCode() {
            return nodeId.hashCode();
        }
    }

    /** Client to server: the client's proof (HMAC-SHA256, see {@link LinkAuth}). */
    record Auth(byte[] mac) implements LinkFrame {
        @Override
        public int channel() {
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Auth a && Arrays.equals(a.mac, mac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mac);
        }
    }

    /** Server to client, after a valid {@link Auth}: the server's proof. */
    record AuthOk(byte[] mac) implements LinkFrame {
        @Override
        public int channel() {
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AuthOk a && Arrays.equals(a.mac, mac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mac);
        }
    }

    /** Opens a channel; {@code credit} is the bytes of data the opener is ready to receive on it. */
    record Open(int channel, int credit, OpenRequest request) implements LinkFrame {
    }

    /** The channel is accepted; {@code credit} is the bytes of data the acceptor is ready to receive on it. */
    record OpenOk(int channel, int credit) implements LinkFrame {
    }

    /** The channel is refused, with a short machine-readable reason (e.g. {@code not_owner}) and a detail text. */
    record OpenRefused(int channel, String reason, String detail) implements LinkFrame {
    }

    /**
     * One text message, or with {@code more} (frame type data-part) a leading part of one: the message ends with the
     * next frame of the channel that has no {@code more}. Each part is whole UTF-8 characters. Costs its UTF-8 length
     * ({@code bytes}) in credit, frame by frame.
     */
    record Data(int channel, String text, int bytes, boolean more) implements LinkFrame {
        Data(int channel, String text, int bytes) {
            this(channel, text, bytes, false);
        }

        Data(int channel, String text) {
            this(channel, text, FrameCodec.utf8Length(text), false);
        }
    }

    /** Grants the peer {@code credit} more bytes of data on the channel. */
    record Window(int channel, int credit) implements LinkFrame {
    }

    /** Closes a channel, or the whole connection when {@code channel} is 0. */
    record Close(int channel, int code, String reason) implements LinkFrame {
    }

    /** Liveness probe; answered with a {@link Pong} carrying the same value. */
    record Ping(long value) implements LinkFrame {
        @Override
        public int channel() {
            return 0;
        }
    }

    record Pong(long value) implements LinkFrame {
        @Override
        public int channel() {
            return 0;
        }
    }
}
