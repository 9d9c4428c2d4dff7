package dev.prism.rtp.dtls;

import static dev.prism.rtp.dtls.DtlsTestPair.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.MonoClock;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Peers that send a ClientHello and go silent must not delay anyone else's handshake: each handshake gets its own
 * thread from {@link DtlsHandshakePool} at once, and a stalled one gives its thread back at the handshake deadline.
 * The peers are plain bctls clients ({@link PlainBctlsPeers}), Prism's side is {@link DtlsSession} on the pool.
 */
class DtlsHandshakeStarvationTest {
    private static final int STALLED = 20;
    /** Short for the test; production uses {@link DtlsSession#DEFAULT_HANDSHAKE_DEADLINE}. */
    private static final Duration STALLED_DEADLINE = Duration.ofSeconds(3);

    private static DtlsCertificate serverCert;
    private static DtlsCertificate clientCert;

    private final DtlsHandshakePool pool = new DtlsHandshakePool(64);
    private final ExecutorService serverLoop = Executors.newSingleThreadExecutor();
    private final ExecutorService browserThreads = Executors.newCachedThreadPool();

    @BeforeAll
    static void certificates() {
        serverCert = DtlsCertificate.generate();
        clientCert = DtlsCertificate.generate();
        SrtpSession.prepareBackend();
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.close();
        serverLoop.shutdownNow();
        browserThreads.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void twentyStalledHandshakesDoNotDelayAGoodOneAndAreFailedAtTheDeadline() throws Exception {
        byte[] clientHello = captureClientHello();
        DtlsSession.Options shortDeadline = DtlsSession.Options.DEFAULT.withHandshakeTimeout(STALLED_DEADLINE);
        List<DtlsTestPair.Events> stalledEvents = new ArrayList<>();
        List<DtlsSession> stalled = new ArrayList<>();
        for (int i = 0; i < STALLED; i++) {
            DtlsTestPair.Events events = new DtlsTestPair.Events();
            DtlsSession s = new DtlsSession(serverCert, true, (d, o, l) -> { }, pool, events, MonoClock.SYSTEM,
                shortDeadline);
            s.setExpectedRemoteFingerprint(clientCert.fingerprint());
            s.start();
            deliver(s, clientHello); // ... and nothing more from this peer
            stalledEvents.add(events);
            stalled.add(s);
        }
        awaitTrue("all stalled handshakes hold a thread", () -> pool.running() == STALLED);

        // A real client now: it must complete while the twenty are still waiting for their peers.
        DtlsTestPair.Events goodEvents = new DtlsTestPair.Events();
        PlainBctlsPeers.Client browser = new PlainBctlsPeers.Client(clientCert,
            SrtpProfile.AEAD_AES_128_GCM.protectionProfileId());
        DtlsSession[] good = new DtlsSession[1];
        PlainBctlsPeers.MemoryTransport browserSide = new PlainBctlsPeers.MemoryTransport(
            d -> serverLoop.execute(() -> deliver(good[0], d)));
        good[0] = new DtlsSession(serverCert, true, (d, o, l) -> browserSide.deliver(
            java.util.Arrays.copyOfRange(d, o, o + l)), pool, goodEvents, MonoClock.SYSTEM, DtlsSession.Options.DEFAULT);
        good[0].setExpectedRemoteFingerprint(clientCert.fingerprint());
        good[0].start();
        CompletableFuture<Void> browserDone = CompletableFuture.runAsync(() -> {
            try {
                new DTLSClientProtocol().connect(browser, browserSide).close();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, browserThreads);

        DtlsTestPair.Events.Completed completed = goodEvents.awaitCompleted();
        for (DtlsTestPair.Events e : stalledEvents) {
            assertThat(e.failed).as("a stalled handshake ended before the good one completed").isNotDone();
            assertThat(e.completed).isNotDone();
        }
        browserDone.get(10, TimeUnit.SECONDS);
        assertThat(completed.keys().clientMasterKey()).isEqualTo(browser.keys.clientMasterKey());

        // At the deadline each stalled handshake fails, and every thread is free again.
        for (DtlsTestPair.Events e : stalledEvents) {
            assertThat(e.awaitFailed().reason()).startsWith("handshake timed out after 3000 ms");
        }
        awaitTrue("handshake threads released", () -> pool.running() == 0);
        assertThat(pool.rejected()).isZero();
        stalled.forEach(DtlsSession::close);
        good[0].close();
    }

    @Test
    void beyondItsLimitThePoolRefusesAndCountsAndTheSessionFails() throws Exception {
        try (DtlsHandshakePool two = new DtlsHandshakePool(2)) {
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 2; i++) {
                two.execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            awaitTrue("two running", () -> two.running() == 2);
            assertThatThrownBy(() -> two.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);

            DtlsTestPair.Events events = new DtlsTestPair.Events();
            DtlsSession refused = new DtlsSession(clientCert, false, (d, o, l) -> { }, two, events);
            refused.start();
            DtlsTestPair.Events.Failed failed = events.awaitFailed();
            assertThat(failed.reason()).isEqualTo("handshake executor rejected the task");
            assertThat(DtlsSession.isRejected(failed.cause())).isTrue();
            assertThat(two.rejected()).isEqualTo(2);

            release.countDown();
            awaitTrue("threads released", () -> two.running() == 0);
            CountDownLatch ran = new CountDownLatch(1);
            two.execute(ran::countDown);
            assertThat(ran.await(5, TimeUnit.SECONDS)).as("an idle thread takes new work").isTrue();
            refused.close();
        }
    }

    /** The first datagram a plain bctls client sends: its ClientHello. The client then gives up. */
    private byte[] captureClientHello() throws Exception {
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        PlainBctlsPeers.MemoryTransport[] t = new PlainBctlsPeers.MemoryTransport[1];
        t[0] = new PlainBctlsPeers.MemoryTransport(d -> {
            first.complete(d);
            t[0].close();
        });
        browserThreads.execute(() -> {
            try {
                new DTLSClientProtocol().connect(new PlainBctlsPeers.Client(clientCert,
                    SrtpProfile.AEAD_AES_128_GCM.protectionProfileId()), t[0]);
            } catch (java.io.IOException expected) {
                // closed after the first flight
            }
        });
        byte[] hello = first.get(10, TimeUnit.SECONDS);
        assertThat(hello[0]).as("handshake record").isEqualTo((byte) 22);
        assertThat(hello[13]).as("client_hello").isEqualTo((byte) 1);
        return hello;
    }

    private static void deliver(DtlsSession session, byte[] datagram) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            session.onDatagram(buf);
        } finally {
            buf.release();
        }
    }
}
