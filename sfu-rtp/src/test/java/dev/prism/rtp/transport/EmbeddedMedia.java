package dev.prism.rtp.transport;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.clock.Timers;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link MediaEngine} on a Netty {@link EmbeddedChannel} instead of a UDP socket, for benchmarks of the real
 * forwarding path: datagrams go in through the engine's own pipeline handler and come out as the
 * {@link DatagramPacket}s it writes, with nothing but the socket left out.
 *
 * <p>Part of sfu-rtp's test kit, published as its test-jar (other modules depend on {@code sfu-rtp} with
 * {@code <type>test-jar</type>}; perf's benchmarks do at compile scope). It sits in {@code dev.prism.rtp.transport}
 * (sfu-rtp's own test sources) to reach the two package-private seams it needs: the engine constructor that takes a
 * channel, and {@link WebRtcTransport#dtlsConnected}, which installs SRTP keys as a finished DTLS handshake would.
 * ICE is the real thing: {@link #connect} passes a STUN binding request through the pipeline. It uses no test
 * library (no JUnit, no AssertJ): perf's main code runs it.
 *
 * <p>Threads: one thread makes every call (the embedded channel's loop is "in event loop" for any caller). Buffers:
 * {@link #receive} takes ownership of the datagram; {@link #drainOutbound} releases what the engine wrote.
 */
public final class EmbeddedMedia implements AutoCloseable {
    /** The address the engine's "socket" appears to have. */
    public static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);

    private final EmbeddedChannel channel;
    private final MediaEngine engine;
    private final ChannelPipeline pipeline;
    private final List<WebRtcTransport> transports = new ArrayList<>();
    private final List<FakePeer> peers = new ArrayList<>();
    private int remotes;

    public EmbeddedMedia() {
        this(PooledByteBufAllocator.DEFAULT);
    }

    /** An engine whose media buffers all come from {@code allocator} (a test counts what is outstanding). */
    public EmbeddedMedia(ByteBufAllocator allocator) {
        this(allocator, SrtpImplementation.DEFAULT);
    }

    /** The same with the given SRTP implementation on every transport. */
    public EmbeddedMedia(ByteBufAllocator allocator, SrtpImplementation srtp) {
        this(allocator, srtp, MonoClock.SYSTEM, null);
    }

    /**
     * An engine on {@code clock} whose timers are {@code timers}: with a {@code FakeClock} and a
     * {@link dev.prism.core.clock.ManualTimers} on it, every timer (the engine's consent check, each endpoint's
     * reports, feedback and ticks) runs only when the test advances them. {@code timers} null: the embedded channel's
     * loop runs endpoint timers by the wall clock when its pending tasks run, and there is no consent check.
     */
    public EmbeddedMedia(ByteBufAllocator allocator, SrtpImplementation srtp, MonoClock clock, Timers timers) {
        this(allocator, srtp, clock, timers, true);
    }

    /** The same with the subscribers' pacer on or off ({@link MediaEngineConfig#pacer()}). */
    public EmbeddedMedia(ByteBufAllocator allocator, SrtpImplementation srtp, MonoClock clock, Timers timers,
                         boolean pacer) {
        channel = new EmbeddedChannel();
        engine = new MediaEngine(new MediaEngineConfig(LOCAL.getHostString(), LOCAL.getPort(),
                LOCAL.getHostString(), Duration.ofSeconds(30), clock, srtp).withPacer(pacer), channel, allocator,
                timers);
        pipeline = channel.pipeline();
    }

    public MediaEngine engine() {
        return engine;
    }

    /**
     * This engine as a one-engine {@link MediaPlane}, so a conference runs over the test kit (its rooms on the
     * channel's loop: {@link #runPendingTasks} runs their hops). Close this, not the plane.
     */
    public MediaPlane plane() {
        return MediaPlane.of(engine);
    }

    /** Runs the tasks queued on the channel's loop (what a room's hops posted), on the caller's thread. */
    public void runPendingTasks() {
        channel.runPendingTasks();
    }

    public ByteBufAllocator allocator() {
        return engine.allocator();
    }

    /** A transport that is not connected yet; bind its endpoint, then {@link #connect} it. */
    public WebRtcTransport createTransport(String id, TransportListener listener) {
        WebRtcTransport t = engine.createTransport(id, listener);
        transports.add(t);
        return t;
    }

    /**
     * Connects {@code t} as a browser at {@code remote} would: a real ICE check (nominating) through the pipeline,
     * then SRTP keys as DTLS would export them, Prism being the DTLS server. The remote side protects with
     * {@code SrtpSession.create(profile, keys, false)}.
     */
    public void connect(WebRtcTransport t, InetSocketAddress remote, SrtpProfile profile, SrtpKeyingMaterial keys) {
        IceParameters local = t.localIceParameters();
        String remoteUfrag = "rem" + (remotes++);
        t.setRemoteParameters(new IceParameters(remoteUfrag, "remotePassword0123456789"),
                new DtlsFingerprint("sha-256", "00"), DtlsRole.ACTIVE);
        byte[] txid = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        txid[0] = (byte) remotes;
        ByteBuf check = StunMessageWriter.start(engine.allocator(), StunMessage.BINDING_REQUEST, txid)
                .username(local.ufrag() + ":" + remoteUfrag)
                .priority(1853824767L)
                .iceControlling(remotes)
                .useCandidate()
                .finish(StunIntegrity.forPassword(local.pwd()), true);
        drainOutbound(); // earlier writes (keyframe requests) must not count as the answer
        receive(new DatagramPacket(check, LOCAL, remote));
        // The answer; the same flush may carry a transport-cc feedback to an earlier transport (its timer's due).
        if (drainOutbound() < 1 || !remote.equals(t.remoteAddress())) {
            throw new IllegalStateException("ICE check was not answered: " + engine.countersSummary());
        }
        t.dtlsConnected(profile, keys, true);
        drainOutbound(); // whatever onConnected sent (REMB, PLI)
        if (!t.isConnected()) {
            throw new IllegalStateException(t + " did not connect");
        }
    }

    /**
     * {@link #connect}s {@code t} with keys made from {@code keySeed} ({@link FakePeer#keys}) and returns the browser
     * end at {@code remote}, which encrypts what it sends and decrypts what the engine writes to it. Closed with this.
     */
    public FakePeer connectPeer(WebRtcTransport t, InetSocketAddress remote, SrtpProfile profile, int keySeed) {
        SrtpKeyingMaterial keys = FakePeer.keys(profile, keySeed);
        connect(t, remote, profile, keys);
        FakePeer peer = new FakePeer(remote, LOCAL, keys);
        peers.add(peer);
        return peer;
    }

    /**
     * One datagram through the engine's socket handler, then the read-complete that flushes what it wrote: exactly
     * what one epoll read of one datagram does. Takes ownership of {@code datagram}.
     */
    public void receive(DatagramPacket datagram) {
        pipeline.fireChannelRead(datagram);
        pipeline.fireChannelReadComplete();
    }

    /** Flushes pending writes (what read-complete would do after a batch). */
    public void flush() {
        channel.flush();
    }

    /** Flushes, then every datagram the engine wrote since the last drain, in order; the caller releases them. */
    public List<DatagramPacket> takeOutbound() {
        channel.flush();
        List<DatagramPacket> out = new ArrayList<>();
        Object m;
        while ((m = channel.readOutbound()) != null) {
            out.add((DatagramPacket) m);
        }
        return out;
    }

    /** Releases every datagram the engine has flushed; returns how many there were. */
    public int drainOutbound() {
        int n = 0;
        Object m;
        while ((m = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(m);
            n++;
        }
        return n;
    }

    /** Closes the transports and the channel, releasing anything still queued. */
    @Override
    public void close() {
        for (WebRtcTransport t : transports) {
            t.close("benchmark done");
        }
        drainOutbound();
        channel.finishAndReleaseAll();
        engine.outboundPool().close();
        engine.handshakeExecutor().close();
        peers.forEach(FakePeer::close);
    }
}
