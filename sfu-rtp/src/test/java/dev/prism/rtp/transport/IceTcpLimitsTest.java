package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.rtp.testkit.PooledBuffers;
import dev.prism.srtp.SrtpImplementation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP's limits under a fake clock: connections on embedded channels handed to an engine's TCP listener. A frame
 * length above the maximum, a connection that never checks (or trickles), too many checking connections from one
 * address or in all, DTLS/SRTP before ICE: each closed or refused and counted by its drop reason; a connection that
 * passes a check is bound, answered with a framed STUN response and no longer counts as checking.
 */
class IceTcpLimitsTest {
    private static final TcpLimits LIMITS = new TcpLimits(1200, Duration.ofSeconds(5), 2, 3, 5, 2, 64 * 1024);

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final PooledByteBufAllocator pool = PooledBuffers.exactPool();
    private final EmbeddedChannel udp = new EmbeddedChannel();
    private final MediaEngine engine = new MediaEngine(new MediaEngineConfig("127.0.0.1", 40000, "127.0.0.1",
            Duration.ofSeconds(30), clock, SrtpImplementation.DEFAULT).withIceTcp(
            IceTcpConfig.SAME_PORT.withLimits(LIMITS)), udp, pool, timers);
    private final TcpMediaListener listener = engine.tcpListener();

    @AfterEach
    void close() {
        listener.closeConnections();
        udp.finishAndReleaseAll();
        engine.outboundPool().close();
        engine.handshakeExecutor().close();
        assertThat(PooledBuffers.outstanding(pool)).as("every buffer back").isZero();
    }

    private EmbeddedChannel connect(String ip, int port) {
        EmbeddedChannel ch = new EmbeddedChannel();
        listener.adopt(ch, new InetSocketAddress(ip, port));
        ch.runPendingTasks();
        return ch;
    }

    private ByteBuf bytes(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return pool.directBuffer(b.length).writeBytes(b);
    }

    @Test
    void aFrameLengthAboveTheMaximumClosesTheConnection() {
        EmbeddedChannel ch = connect("192.0.2.1", 5000);
        ch.writeInbound(bytes("04b1" + "00".repeat(10))); // 1201 > 1200
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(engine.counters().drops(DropReason.TCP_FRAME_TOO_LONG)).isEqualTo(1);
        assertThat(listener.connectionCount()).isZero();
        assertThat(engine.counters().tcpConnections()).isZero();
    }

    @Test
    void aConnectionThatTricklesAndNeverChecksIsClosedAtTheDeadline() {
        EmbeddedChannel ch = connect("192.0.2.1", 5000);
        ch.writeInbound(bytes("00"));
        timers.advance(Duration.ofMillis(4900));
        ch.writeInbound(bytes("14")); // a header, then nothing of the 20-byte frame
        ch.runPendingTasks();
        assertThat(ch.isOpen()).as("before the deadline").isTrue();
        timers.advance(Duration.ofMillis(100));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(engine.counters().drops(DropReason.TCP_ICE_TIMEOUT)).isEqualTo(1);
        assertThat(listener.checkingCount()).isZero();
    }

    @Test
    void checkingConnectionsAreLimitedPerAddressAndInAll() {
        EmbeddedChannel a1 = connect("192.0.2.1", 5001);
        EmbeddedChannel a2 = connect("192.0.2.1", 5002);
        EmbeddedChannel a3 = connect("192.0.2.1", 5003);
        assertThat(a3.isOpen()).as("a third checking connection from one address").isFalse();
        assertThat(engine.counters().drops(DropReason.TCP_ADDRESS_LIMIT)).isEqualTo(1);
        EmbeddedChannel b1 = connect("192.0.2.2", 5001);
        EmbeddedChannel c1 = connect("192.0.2.3", 5001);
        assertThat(b1.isOpen()).isTrue();
        assertThat(c1.isOpen()).as("a fourth checking connection in all").isFalse();
        assertThat(engine.counters().drops(DropReason.TCP_CONNECTION_LIMIT)).isEqualTo(1);
        assertThat(listener.checkingCount()).isEqualTo(3);

        // One passes ICE: bound, answered over its own stream, no longer counted as checking.
        WebRtcTransport t = engine.createTransport("t", new TransportListener() { });
        t.setRemoteParameters(new IceParameters("brws", "browserPassword012345678"),
                DtlsCertificate.generate().fingerprint(), DtlsRole.ACTIVE);
        ByteBuf check = StunMessageWriter.start(pool, StunMessage.BINDING_REQUEST,
                        new byte[StunMessage.TRANSACTION_ID_LENGTH])
                .username(t.localIceParameters().ufrag() + ":brws").priority(1518280447L).iceControlling(1)
                .useCandidate().finish(StunIntegrity.forPassword(t.localIceParameters().pwd()), true);
        ByteBuf framed = pool.directBuffer(2 + check.readableBytes());
        framed.writeShort(check.readableBytes()).writeBytes(check);
        check.release();
        a1.writeInbound(framed);
        ByteBuf answer = a1.readOutbound();
        assertThat(answer.getUnsignedShort(answer.readerIndex())).as("a framed answer")
                .isEqualTo(answer.readableBytes() - 2);
        assertThat(answer.getUnsignedShort(answer.readerIndex() + 2)).isEqualTo(StunMessage.BINDING_SUCCESS_RESPONSE);
        answer.release();
        assertThat(t.protocol()).isEqualTo("tcp");
        assertThat(engine.counters().transportsOnTcp()).isEqualTo(1);
        assertThat(listener.checkingCount()).isEqualTo(2);
        assertThat(connect("192.0.2.1", 5004).isOpen()).as("room again for that address").isTrue();

        // DTLS and SRTP on a connection that has not checked: dropped and counted.
        b1.writeInbound(bytes("000d" + "16fefd0000000000000000" + "0000"));
        b1.writeInbound(bytes("000c" + "80600001000000010000abcd"));
        assertThat(engine.counters().drops(DropReason.TCP_BEFORE_ICE)).isEqualTo(2);

        // The bound connection ends with its transport; the gauge follows.
        t.close("test done");
        a1.runPendingTasks();
        assertThat(a1.isOpen()).isFalse();
        assertThat(engine.counters().transportsOnTcp()).isZero();
        a2.close();
    }
}
