package dev.prism.rtp.testkit;

import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.rtp.dtls.PlainBctlsPeers;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.rtp.transport.MediaEngine;
import dev.prism.rtp.transport.TransportListener;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Browser ends for a real {@link MediaEngine} (bound sockets, its own loop) reached over this machine's sockets, of
 * either family and either protocol: a UDP {@link DatagramSocket} (bctls's {@code UDPTransport} over it once
 * connected) or a {@link TcpPeerSocket}. It creates the engine's transports expecting this browser (its ICE password
 * {@link #PASSWORD}, a ufrag per transport, its certificate, DTLS client role as {@code a=setup:active}), writes the
 * browser's ICE checks, runs its DTLS handshakes (plain bctls, {@link PlainBctlsPeers}) and hands back each
 * connection's keys as a {@link FakePeer}; {@link #forward} sends one SRTP packet from one browser through the engine
 * and checks what the other decrypts. {@link Relay} is the router between two transports.
 *
 * <p>Threads: any test thread; transports are created on the engine's loop ({@link #onLoop}); each handshake runs on
 * a thread of this kit's (closed by {@link #close()}).
 */
public final class SocketBrowsers implements AutoCloseable {
    /** The ICE password of every browser here (the ufrag tells them apart). */
    public static final String PASSWORD = "browserPassword012345678";
    private static final int TIMEOUT_SECONDS = 10;

    private final MediaEngine engine;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService handshakes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "socket-browser-dtls");
        t.setDaemon(true);
        return t;
    });

    public SocketBrowsers(MediaEngine engine) {
        this.engine = engine;
    }

    /** A transport of the engine for the browser {@code browserUfrag}, created on the loop. */
    public WebRtcTransport transport(String id, String browserUfrag, TransportListener listener) {
        return onLoop(() -> {
            WebRtcTransport t = engine.createTransport(id, listener);
            t.setRemoteParameters(new IceParameters(browserUfrag, PASSWORD), certificate.fingerprint(),
                    DtlsRole.ACTIVE);
            return t;
        });
    }

    /** The browser {@code browserUfrag}'s binding request to {@code t} (controlling, USE-CANDIDATE), as bytes. */
    public static byte[] bindingRequest(WebRtcTransport t, String browserUfrag) {
        ByteBuf check = StunMessageWriter.start(UnpooledByteBufAllocator.DEFAULT, StunMessage.BINDING_REQUEST,
                        new byte[StunMessage.TRANSACTION_ID_LENGTH])
                .username(t.localIceParameters().ufrag() + ":" + browserUfrag)
                .priority(1518280447L)
                .iceControlling(7)
                .useCandidate()
                .finish(StunIntegrity.forPassword(t.localIceParameters().pwd()), true);
        byte[] b = ByteBufUtil.getBytes(check);
        check.release();
        return b;
    }

    /**
     * Checks {@code t} over UDP from {@code browser} (not connected, so the kernel filters no answer) to {@code server}
     * and returns the address the success answer came from. Throws when none comes or it is not a success.
     */
    public static InetSocketAddress checkOverUdp(DatagramSocket browser, WebRtcTransport t, String browserUfrag,
                                                 InetSocketAddress server) throws IOException {
        byte[] check = bindingRequest(t, browserUfrag);
        browser.send(new DatagramPacket(check, check.length, server));
        browser.setSoTimeout(TIMEOUT_SECONDS * 1000);
        DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
        browser.receive(answer);
        requireSuccess(Arrays.copyOf(answer.getData(), answer.getLength()));
        return (InetSocketAddress) answer.getSocketAddress();
    }

    /** Checks {@code t} over an ICE-TCP connection: the request and its success answer as RFC 4571 frames. */
    public static void checkOverTcp(TcpPeerSocket browser, WebRtcTransport t, String browserUfrag)
            throws IOException {
        browser.sendFrame(bindingRequest(t, browserUfrag));
        byte[] answer = browser.receiveFrame(TIMEOUT_SECONDS * 1000);
        if (answer == null) {
            throw new IllegalStateException("no answer to the ICE check over TCP within " + TIMEOUT_SECONDS + " s");
        }
        requireSuccess(answer);
    }

    private static void requireSuccess(byte[] answer) {
        int messageClass = StunMessage.parse(Unpooled.wrappedBuffer(answer)).messageClass();
        if (messageClass != StunMessage.CLASS_SUCCESS_RESPONSE) {
            throw new IllegalStateException("the ICE check was answered with class " + messageClass);
        }
    }

    /**
     * The browser's DTLS handshake (client, AEAD_AES_128_GCM) over {@code network} on a thread of this kit's; completes
     * with the browser's SRTP end once bctls connected.
     */
    public CompletableFuture<FakePeer> dtls(DatagramTransport network) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                PlainBctlsPeers.Client client = new PlainBctlsPeers.Client(certificate,
                        SrtpProfile.AEAD_AES_128_GCM.protectionProfileId());
                new DTLSClientProtocol().connect(client, network);
                return new FakePeer(new InetSocketAddress(0), new InetSocketAddress(0), client.keys);
            } catch (IOException e) {
                throw new IllegalStateException("DTLS handshake failed", e);
            }
        }, handshakes);
    }

    /** {@link #dtls} and wait for it. */
    public FakePeer connect(DatagramTransport network) throws Exception {
        return await(dtls(network));
    }

    /** The value of {@code f} within the kit's deadline. */
    public static <T> T await(CompletableFuture<T> f) throws InterruptedException, ExecutionException,
            TimeoutException {
        return f.get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
    }

    /**
     * Sends RTP packet {@code seq} from {@code fromPeer} over {@code from} and checks that {@code toPeer} decrypts the
     * same bytes from the next packet {@code to} receives. Throws when it does not.
     */
    public static void forward(FakePeer fromPeer, DatagramTransport from, FakePeer toPeer, DatagramTransport to,
                               int seq) throws IOException {
        ByteBuf plain = rtp(seq);
        try {
            byte[] wire = fromPeer.protect(plain);
            from.send(wire, 0, wire.length);
            byte[] buf = new byte[2048];
            int n = to.receive(buf, 0, buf.length, TIMEOUT_SECONDS * 1000);
            if (n < 0) {
                throw new IllegalStateException("packet " + seq + " did not arrive within " + TIMEOUT_SECONDS + " s");
            }
            ByteBuf decrypted = toPeer.unprotect(Arrays.copyOf(buf, n));
            try {
                if (!Arrays.equals(ByteBufUtil.getBytes(decrypted), ByteBufUtil.getBytes(plain))) {
                    throw new IllegalStateException("packet " + seq + " arrived changed");
                }
            } finally {
                decrypted.release();
            }
        } finally {
            plain.release();
        }
    }

    /** A 172-byte RTP packet (payload type 96, SSRC 0x5eed0001) numbered {@code seq}, in a new heap buffer. */
    public static ByteBuf rtp(int seq) {
        return rtpInto(Unpooled.buffer(200), seq);
    }

    /** The same written into {@code p}; returns it. */
    public static ByteBuf rtpInto(ByteBuf p, int seq) {
        p.writeByte(0x80).writeByte(96).writeShort(seq).writeInt(seq * 3000).writeInt(0x5eed0001);
        for (int i = 12; i < 172; i++) {
            p.writeByte(i);
        }
        return p;
    }

    /** Runs {@code task} on the engine's loop and returns its value. */
    public <T> T onLoop(Callable<T> task) {
        try {
            return engine.eventLoop().submit(task).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the engine's loop task failed", e);
        }
    }

    /** Waits until {@code condition} holds, for at most 10 s; throws naming {@code what} when it does not. */
    public static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + TIMEOUT_SECONDS + " s");
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** A router for two transports of this kit's engine. */
    public Relay relay() {
        return new Relay();
    }

    /** Passes decrypted RTP from one transport to the other, as a router would (a copy with SRTP tail room). */
    public final class Relay implements TransportListener {
        private volatile WebRtcTransport a;
        private volatile WebRtcTransport b;
        private final CompletableFuture<Integer> connected = new CompletableFuture<>();
        private int count; // event loop only

        private Relay() {
        }

        /** The two ends; set before media flows. */
        public void between(WebRtcTransport first, WebRtcTransport second) {
            a = first;
            b = second;
        }

        /** Completes with 2 once both transports are connected (ICE, DTLS, SRTP keys). */
        public CompletableFuture<Integer> bothConnected() {
            return connected;
        }

        @Override
        public void onConnected(WebRtcTransport t) {
            if (++count == 2) {
                connected.complete(count);
            }
        }

        @Override
        public void onRtp(WebRtcTransport from, RtpPacket packet) {
            ByteBuf in = packet.buffer();
            ByteBuf copy = engine.allocator().heapBuffer(in.readableBytes() + SrtpSession.MAX_TRAILER);
            copy.writeBytes(in, in.readerIndex(), in.readableBytes());
            (from == a ? b : a).sendRtp(copy);
        }
    }

    @Override
    public void close() {
        handshakes.shutdownNow();
    }
}
