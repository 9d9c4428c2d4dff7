package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The media engine against real UDP on loopback: bad datagrams are counted and cost nothing; consent expires. */
class MediaEngineTest {
    private final FakeClock clock = new FakeClock();
    private MediaEngine engine;

    @BeforeEach
    void start() {
        engine = MediaEngine.start(new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30), clock));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void strayDatagramsAreDroppedAndCountedByReason() throws Exception {
        String[] rows = {
                // a STUN binding request header whose USERNAME names no transport ("zzzz:abcd")
                "000100102112a442000102030405060708090a0b" + "00060009" + "7a7a7a7a3a61626364000000",
                // a DTLS ClientHello record header from an address that passed no ICE check
                "16fefd000000000000000000100100000c000000000000000c",
                // an SRTP-looking packet from an unknown address
                "80600001000000010000000100112233",
                // first byte 64: nothing on this port speaks that
                "40000000",
        };
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (String hex : rows) {
                byte[] b = HexFormat.of().parseHex(hex);
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), engine.localPort()));
            }
        }
        MediaCounters c = engine.counters();
        waitFor(() -> c.packetsIn() == rows.length);
        assertThat(c.drops(DropReason.STUN_UNKNOWN_USERNAME)).isEqualTo(1);
        assertThat(c.drops(DropReason.DTLS_UNKNOWN_ADDRESS)).isEqualTo(1);
        assertThat(c.drops(DropReason.SRTP_UNKNOWN_ADDRESS)).isEqualTo(1);
        assertThat(c.drops(DropReason.UNKNOWN_PROTOCOL)).isEqualTo(1);
        assertThat(c.packetsOut()).isZero();
    }

    @Test
    void aTransportWithoutConsentIsClosedAfterTheTimeout() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebRtcTransport t = engine.eventLoop().submit(() -> engine.createTransport("t1", new TransportListener() {
            @Override
            public void onClosed(WebRtcTransport transport, String reason) {
                closed.complete(reason);
            }
        })).get(5, TimeUnit.SECONDS);
        clock.advance(Duration.ofSeconds(29));
        // The check runs every second on the loop: let at least one run at 29 s, which must leave the transport alone.
        engine.eventLoop().schedule(() -> null, 1100, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        assertThat(closed).isNotDone();
        clock.advance(Duration.ofSeconds(2));
        assertThat(closed.get(5, TimeUnit.SECONDS)).contains("consent");
        assertThat(t.state()).isEqualTo(WebRtcTransport.State.CLOSED);
        assertThat(engine.eventLoop().submit(engine::transportCount).get(5, TimeUnit.SECONDS)).isZero();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
