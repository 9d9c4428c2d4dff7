package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A host with two addresses (127.0.0.1 and 127.0.0.2 are both loopback on Linux): with the media socket on the
 * wildcard and 127.0.0.2 advertised, a check sent to 127.0.0.2 from 127.0.0.1 is answered from 127.0.0.2, the address
 * the peer used. Left to the route, the kernel would answer from 127.0.0.1, which a browser ignores
 * (RFC 8445 7.2.5.2.1: the response's source must be the request's destination).
 */
class ReplySourceAddressTest {
    @Test
    void aCheckToTheAdvertisedAddressIsAnsweredFromItWithTheSocketOnTheWildcard() throws Exception {
        MediaEngine engine = MediaEngine.start(new MediaEngineConfig("0.0.0.0", 0, "127.0.0.2", Duration.ofSeconds(30),
                MonoClock.SYSTEM));
        try (DatagramSocket browser = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            browser.setSoTimeout(10_000);
            WebRtcTransport t = engine.eventLoop().submit(() -> engine.createTransport("t1", new TransportListener() {
            })).get(5, TimeUnit.SECONDS);
            byte[] check = check(t);
            browser.send(new DatagramPacket(check, check.length, InetAddress.getByName("127.0.0.2"),
                    engine.localPort()));

            DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
            browser.receive(answer);
            assertThat(StunMessage.parse(Unpooled.wrappedBuffer(answer.getData(), 0, answer.getLength()))
                    .messageClass()).isEqualTo(StunMessage.CLASS_SUCCESS_RESPONSE);
            assertThat(answer.getSocketAddress())
                    .isEqualTo(new InetSocketAddress("127.0.0.2", engine.localPort()));
        } finally {
            engine.close();
        }
    }

    static byte[] check(WebRtcTransport t) {
        ByteBuf check = StunMessageWriter.start(UnpooledByteBufAllocator.DEFAULT, StunMessage.BINDING_REQUEST,
                        new byte[StunMessage.TRANSACTION_ID_LENGTH])
                .username(t.localIceParameters().ufrag() + ":brws")
                .priority(1518280447L)
                .iceControlling(7)
                .useCandidate()
                .finish(StunIntegrity.forPassword(t.localIceParameters().pwd()), true);
        byte[] b = ByteBufUtil.getBytes(check);
        check.release();
        return b;
    }
}
