package dev.prism.rtp.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The browser end of an ICE-TCP connection (RFC 6544 active side): a real TCP socket to an engine's passive candidate
 * speaking RFC 4571 framing, whole frames in and out. It is also bctls's {@link DatagramTransport}, so a DTLS
 * handshake runs over it as a browser's does. Pair it with a {@link FakePeer} ({@code protect}/{@code unprotect}) for
 * SRTP.
 *
 * <p>Threads: one reader and one writer at a time (writes are synchronized). Not part of the production code.
 */
public final class TcpPeerSocket implements DatagramTransport, AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public TcpPeerSocket(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The peer's own address (what the engine sees as the source). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Writes one frame: the 2-byte length, then the packet. */
    public synchronized void sendFrame(byte[] packet) throws IOException {
        sendFrame(packet, 0, packet.length);
    }

    /** Writes raw bytes, framed or not (bad-input tests). */
    public synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private synchronized void sendFrame(byte[] packet, int off, int len) throws IOException {
        byte[] framed = new byte[2 + len];
        framed[0] = (byte) (len >>> 8);
        framed[1] = (byte) len;
        System.arraycopy(packet, off, framed, 2, len);
        out.write(framed);
        out.flush();
    }

    /**
     * The next frame's packet, or null when none starts within {@code timeoutMillis}. Throws
     * {@link java.io.EOFException} when the engine closed the connection.
     */
    public byte[] receiveFrame(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            return null;
        }
        if (first < 0) {
            throw new java.io.EOFException("closed by the engine");
        }
        socket.setSoTimeout(10_000); // the rest of a frame that has started comes at once
        int length = (first << 8) | in.readUnsignedByte();
        byte[] packet = new byte[length];
        in.readFully(packet);
        return packet;
    }

    /** True once the engine has closed the connection (reads end of stream within {@code timeoutMillis}). */
    public boolean closedByEngine(int timeoutMillis) throws IOException {
        try {
            while (receiveFrame(timeoutMillis) != null) {
                // skip what was sent before the close
            }
            return false;
        } catch (java.io.EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public int getReceiveLimit() {
        return 1500;
    }

    @Override
    public int getSendLimit() {
        return 1200;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        byte[] frame = receiveFrame(Math.max(1, waitMillis));
        if (frame == null) {
            return -1;
        }
        int n = Math.min(len, frame.length);
        System.arraycopy(frame, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        sendFrame(buf, off, len);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
