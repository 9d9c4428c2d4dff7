package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@link MediaEngine} and a {@link RoomRouter} on an {@link EmbeddedChannel} with a {@link FakeClock}, for
 * tests that check whom the engine writes to: every datagram it writes is kept in {@link #written} (by
 * {@link #drain}) until the test or {@link #close} releases it. Unlike the test kit's {@link EmbeddedMedia}, ICE and
 * DTLS are separate steps ({@link #iceCheck}, then {@code dtlsConnected}), so a test can leave a transport between
 * them. One thread; one instance per test.
 */
final class RecordingEngine implements AutoCloseable {
    /** The address the engine's "socket" appears to have. */
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    /** The SRTP profile every transport is connected with ({@link #keys()}). */
    static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;

    final FakeClock clock = new FakeClock();
    final EmbeddedChannel channel = new EmbeddedChannel();
    final MediaEngine engine = new MediaEngine(new MediaEngineConfig(LOCAL.getHostString(), LOCAL.getPort(),
        LOCAL.getHostString(), Duration.ofSeconds(30), clock), channel, UnpooledByteBufAllocator.DEFAULT);
    final RoomRouter router = new RoomRouter("room", engine);
    /** What the engine wrote, in order, as {@link DatagramPacket}s; owned (to release) by this list. */
    final List<Object> written = new ArrayList<>();
    private int remotes;

    /** A publisher endpoint bound to a new transport "pub", not connected yet; it ignores what it is told. */
    PublisherEndpoint publisher() {
        PublisherEndpoint publisher = new PublisherEndpoint(engine.counters(), router.rtcp(), (t, r) -> { });
        publisher.bind(engine.createTransport("pub", publisher));
        return publisher;
    }

    /** A subscriber endpoint bound to a new transport {@code id}, not connected yet. */
    SubscriberEndpoint subscriber(String id) {
        SubscriberEndpoint s = new SubscriberEndpoint((t, r) -> { }, engine.counters(), router.rtcp());
        s.bind(engine.createTransport(id, s));
        return s;
    }

    /** A real ICE check through the pipeline, then SRTP keys as a finished DTLS handshake would install them. */
    void connect(WebRtcTransport t, InetSocketAddress remote) {
        iceCheck(t, remote);
        t.dtlsConnected(PROFILE, keys(), true);
        assertThat(t.isConnected()).isTrue();
    }

    /**
     * A nominating STUN binding request from {@code remote} through the pipeline (the remote ICE parameters set first
     * when {@code t} has no remote address yet), then {@link #drain}: the answer and whatever it set off are in
     * {@link #written}.
     */
    void iceCheck(WebRtcTransport t, InetSocketAddress remote) {
        String remoteUfrag = "rem" + remotes++;
        if (t.remoteAddress() == null) {
            t.setRemoteParameters(new IceParameters(remoteUfrag, "remotePassword0123456789"),
                new DtlsFingerprint("sha-256", "00"), DtlsRole.ACTIVE);
        }
        byte[] txid = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        txid[0] = (byte) remotes;
        ByteBuf check = StunMessageWriter.start(UnpooledByteBufAllocator.DEFAULT, StunMessage.BINDING_REQUEST, txid)
            .username(t.localIceParameters().ufrag() + ":" + t.remoteIceParameters().ufrag())
            .priority(1853824767L)
            .iceControlling(remotes)
            .useCandidate()
            .finish(StunIntegrity.forPassword(t.localIceParameters().pwd()), true);
        receive(new DatagramPacket(check, LOCAL, remote));
        drain();
        assertThat(t.remoteAddress()).isEqualTo(remote);
    }

    /** One datagram through the engine's socket handler, then the read-complete that flushes. Takes ownership. */
    void receive(DatagramPacket datagram) {
        channel.pipeline().fireChannelRead(datagram);
        channel.pipeline().fireChannelReadComplete();
    }

    /** Flushes, then moves what the engine wrote into {@link #written}. */
    void drain() {
        channel.flush();
        Object m;
        while ((m = channel.readOutbound()) != null) {
            written.add(m);
        }
    }

    /** {@link #drain}s, then releases and forgets everything written so far. */
    void clearWritten() {
        drain();
        written.forEach(ReferenceCountUtil::release);
        written.clear();
    }

    /** The recipient of each datagram in {@link #written}, in order. */
    List<InetSocketAddress> recipients() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Object m : written) {
            out.add(((DatagramPacket) m).recipient());
        }
        return out;
    }

    /** The keys every transport is connected with; the remote side protects with {@code SrtpSession(.., false)}. */
    static SrtpKeyingMaterial keys() {
        byte[] material = new byte[PROFILE.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (7 * i + 3);
        }
        return SrtpKeyingMaterial.fromExporterOutput(PROFILE, material);
    }

    /** Releases what was written and what is still queued, and closes the engine's pools. */
    @Override
    public void close() {
        drain();
        written.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
        engine.outboundPool().close();
        engine.handshakeExecutor().close();
    }
}
