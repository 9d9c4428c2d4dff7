package dev.prism.rtp.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.prism.rtp.testutil.FuzzBuffers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target (docs/FUZZING.md): a datagram that the demux calls DTLS, given to a server {@link DtlsSession} whose
 * handshake with a Prism client has completed, as the transport does. The path is {@link DtlsDatagramFilter}, the
 * session's queue and bctls's record layer, on the caller's thread.
 *
 * <p>Expected: {@link DtlsSession#onDatagram} never throws and only borrows the buffer, and bytes that the peer did
 * not protect with the session's keys never end the session (RFC 6347 4.1.2.7: invalid records are discarded).
 * Seeds: DtlsFuzzTestInputs/ (the records of a real Prism handshake: ClientHello, the client's second flight,
 * close_notify, and protected application data).
 */
class DtlsFuzzTest {
    private static final Duration HANDSHAKE_WAIT = Duration.ofMinutes(3);
    private static DtlsTestPair pair;

    private static DtlsTestPair connected() throws Exception {
        if (pair == null) {
            // Instrumented bctls on a busy CI machine can take longer than the unit tests' 10 s: allow minutes.
            DtlsSession.Options slow = DtlsSession.Options.DEFAULT.withHandshakeTimeout(HANDSHAKE_WAIT);
            DtlsTestPair p = new DtlsTestPair(DtlsCertificate.generate(), DtlsCertificate.generate(), slow, slow);
            p.exchangeFingerprints().start();
            p.serverEvents.completed.get(HANDSHAKE_WAIT.toSeconds(), TimeUnit.SECONDS);
            p.clientEvents.completed.get(HANDSHAKE_WAIT.toSeconds(), TimeUnit.SECONDS);
            // From now on only the fuzzer talks to the server, on this thread, as one event loop would.
            p.toServer.drop = d -> true;
            pair = p;
        }
        return pair;
    }

    @AfterAll
    static void closePair() {
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }

    @FuzzTest
    void connectedServer(byte[] input) throws Exception {
        DtlsTestPair p = connected();
        FuzzBuffers.borrow(input, p.server::onDatagram);
        assertThat(p.serverEvents.closed.getCount())
                .as("an unauthenticated datagram must not end the session").isEqualTo(1);
        assertThat(p.server.isHandshakeComplete()).isTrue();
    }
}
