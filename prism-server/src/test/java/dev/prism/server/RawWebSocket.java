package dev.prism.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client written against a plain socket, for the cases a well-behaved client library refuses to produce:
 * a frame header announcing 50 MB, a message split into fragments, reading exactly which frames the server sends
 * before it closes. Client frames are masked (with a zero mask: RFC 6455 requires the bit, not a random key here).
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** A frame the server sent. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, -1 if it has none. */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Upgrades {@code GET <pathAndQuery>}; fails unless the server answers 101. */
    static RawWebSocket connect(int port, String pathAndQuery) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        String key = Base64.getEncoder().encodeToString("prism-raw-client".getBytes(StandardCharsets.US_ASCII));
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        RawWebSocket ws = new RawWebSocket(s);
        String head = ws.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("upgrade refused: " + head);
        }
        return ws;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the response head: " + head);
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
    }

    /** Sends only the header of a masked frame announcing {@code length} payload bytes. */
    void sendHeader(int opcode, boolean fin, long length) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length <= 0xffff) {
            h.write(0x80 | 126);
            h.write((int) (length >> 8));
            h.write((int) length);
        } else {
            h.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) (length >> shift));
            }
        }
        h.write(new byte[4]); // zero masking key: payload bytes go out as they are
        out.write(h.toByteArray());
        out.flush();
    }

    /** Sends a whole masked frame. */
    void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        sendHeader(opcode, fin, payload.length);
        out.write(payload);
        out.flush();
    }

    /** Writes raw payload bytes (after {@link #sendHeader}). */
    void sendPayload(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the server; EOFException when the connection ends first. */
    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until a close frame and returns it; EOFException when the connection ends without one. */
    Frame readUntilClose() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == CLOSE) {
                return f;
            }
        }
    }

    /** Whether the server closed the connection (end of stream or reset) within the socket's read timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    void readTimeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
