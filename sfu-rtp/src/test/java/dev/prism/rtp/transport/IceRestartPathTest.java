package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.TestRtp;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An ICE restart after the browser's network changed (issue #13, item 5): the transport tells its listener once, when
 * the first path nominated under the new credentials is another address, so that its owner can measure the new path
 * afresh and ask for key frames. A restart that ends on the same path (nothing moved), checks that are not nominated
 * and later nominations say nothing. Authenticated media from an address checked under the new credentials moves the
 * path before the nomination (the browser sends where it has switched to, and nominates up to half a second later).
 */
class IceRestartPathTest {
    private static final InetSocketAddress WIFI = new InetSocketAddress("10.0.0.2", 50000);
    private static final InetSocketAddress CELLULAR = new InetSocketAddress("10.9.0.7", 51000);

    private final EmbeddedMedia media = new EmbeddedMedia();
    private final List<InetSocketAddress> moves = new ArrayList<>();
    private final WebRtcTransport transport = media.createTransport("sub", new TransportListener() {
        @Override
        public void onPathMoved(WebRtcTransport t) {
            moves.add(t.remoteAddress());
        }
    });
    private int txid;

    @AfterEach
    void close() {
        media.close();
    }

    private void connectOverWifi() {
        media.connect(transport, WIFI, SrtpProfile.AEAD_AES_128_GCM, FakePeer.keys(SrtpProfile.AEAD_AES_128_GCM, 1));
    }

    /** One SRTP audio packet from the browser at {@code from} (its keys: DTLS is kept across the restart). */
    private void mediaFrom(InetSocketAddress from, int seq) {
        try (FakePeer browser = new FakePeer(from, EmbeddedMedia.LOCAL,
                FakePeer.keys(SrtpProfile.AEAD_AES_128_GCM, 1))) {
            ByteBuf plain = TestRtp.audio(111, 0x1234, seq, seq * 960L, 0, 0, 40);
            try {
                media.receive(browser.rtp(plain));
            } finally {
                plain.release();
            }
        }
        media.drainOutbound();
    }

    /** The browser's ICE restart: new credentials on both sides (its new ones from its offer or answer). */
    private void restart() {
        transport.restartIce();
        transport.setRemoteParameters(new IceParameters("new" + txid, "remotePassword0123456789"),
                new DtlsFingerprint("sha-256", "00"), DtlsRole.ACTIVE);
    }

    /** A check from {@code from} under the transport's current credentials; true when it was answered. */
    private boolean check(InetSocketAddress from, boolean nominate) {
        IceParameters local = transport.localIceParameters();
        byte[] id = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        id[0] = (byte) ++txid;
        StunMessageWriter w = StunMessageWriter.start(media.allocator(), StunMessage.BINDING_REQUEST, id)
                .username(local.ufrag() + ":" + transport.remoteIceParameters().ufrag())
                .priority(1853824767L)
                .iceControlling(7);
        if (nominate) {
            w.useCandidate();
        }
        ByteBuf request = w.finish(StunIntegrity.forPassword(local.pwd()), true);
        media.receive(new DatagramPacket(request, EmbeddedMedia.LOCAL, from));
        return media.drainOutbound() > 0;
    }

    @Test
    void theFirstPathNominatedAfterARestartOnAnotherAddressIsAMoveHeardOnce() {
        connectOverWifi();
        restart();
        assertThat(check(CELLULAR, false)).as("checked, not nominated").isTrue();
        assertThat(moves).isEmpty();
        assertThat(transport.remoteAddress()).isEqualTo(WIFI);

        assertThat(check(CELLULAR, true)).isTrue();
        assertThat(moves).containsExactly(CELLULAR);
        assertThat(transport.remoteAddress()).isEqualTo(CELLULAR);

        check(CELLULAR, true);
        check(WIFI, true); // a later change of path under the same credentials is not a restart's move
        assertThat(moves).containsExactly(CELLULAR);
    }

    @Test
    void aRestartThatKeepsThePathMovesNothing() {
        connectOverWifi();
        restart();
        assertThat(check(WIFI, true)).isTrue();
        check(CELLULAR, true);
        assertThat(moves).isEmpty();
    }

    @Test
    void aPathChangeWithoutARestartIsNoMove() {
        connectOverWifi();
        assertThat(check(CELLULAR, true)).isTrue();
        assertThat(transport.remoteAddress()).isEqualTo(CELLULAR);
        assertThat(moves).isEmpty();
    }

    @Test
    void afterARestartMediaFromTheNewlyCheckedAddressMovesThePathBeforeTheNomination() {
        connectOverWifi();
        restart();
        assertThat(check(CELLULAR, false)).isTrue();
        mediaFrom(CELLULAR, 1);
        assertThat(transport.remoteAddress()).isEqualTo(CELLULAR);
        assertThat(moves).containsExactly(CELLULAR);

        check(CELLULAR, true); // the nomination that follows changes nothing more
        mediaFrom(CELLULAR, 2);
        assertThat(moves).containsExactly(CELLULAR);
    }

    @Test
    void withoutARestartMediaFromAnotherCheckedAddressDoesNotMoveThePath() {
        connectOverWifi();
        assertThat(check(CELLULAR, false)).isTrue();
        mediaFrom(CELLULAR, 1);
        assertThat(transport.remoteAddress()).isEqualTo(WIFI);
        assertThat(moves).isEmpty();
    }
}
