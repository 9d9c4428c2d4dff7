package dev.prism.rtp.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.MonoClock;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A Prism DTLS server session and a Prism DTLS client session joined by an in-memory pipe. Each side has its own
 * single-threaded "event loop" that delivers datagrams to {@link DtlsSession#onDatagram}, like the Netty transport,
 * and both share a handshake pool. Filters on each direction can drop datagrams.
 */
final class DtlsTestPair implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final DtlsCertificate serverCert;
    final DtlsCertificate clientCert;
    final Pipe toServer;
    final Pipe toClient;
    final Events serverEvents = new Events();
    final Events clientEvents = new Events();
    final DtlsSession server;
    final DtlsSession client;
    final AtomicInteger runningHandshakes = new AtomicInteger();

    private final ExecutorService handshakePool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dtls-handshake");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService serverLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "server-loop"));
    private final ExecutorService clientLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "client-loop"));

    DtlsTestPair(DtlsCertificate serverCert, DtlsCertificate clientCert, DtlsSession.Options serverOptions,
                 DtlsSession.Options clientOptions) {
        this.serverCert = serverCert;
        this.clientCert = clientCert;
        this.toServer = new Pipe(serverLoop);
        this.toClient = new Pipe(clientLoop);
        this.server = new DtlsSession(serverCert, true, toClient, this::runHandshake, serverEvents, MonoClock.SYSTEM,
            serverOptions);
        this.client = new DtlsSession(clientCert, false, toServer, this::runHandshake, clientEvents,
            MonoClock.SYSTEM, clientOptions);
        toServer.target = server;
        toClient.target = client;
    }

    DtlsTestPair(DtlsCertificate serverCert, DtlsCertificate clientCert) {
        this(serverCert, clientCert, DtlsSession.Options.DEFAULT, DtlsSession.Options.DEFAULT);
    }

    private void runHandshake(Runnable task) {
        runningHandshakes.incrementAndGet();
        handshakePool.execute(() -> {
            try {
                task.run();
            } finally {
                runningHandshakes.decrementAndGet();
            }
        });
    }

    /** Both sides know each other's real fingerprint. */
    DtlsTestPair exchangeFingerprints() {
        server.setExpectedRemoteFingerprint(clientCert.fingerprint());
        client.setExpectedRemoteFingerprint(serverCert.fingerprint());
        return this;
    }

    DtlsTestPair start() {
        server.start();
        client.start();
        return this;
    }

    @Override
    public void close() {
        client.close();
        server.close();
        serverLoop.shutdown();
        clientLoop.shutdown();
        handshakePool.shutdown();
        try {
            assertThat(serverLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(clientLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(handshakePool.awaitTermination(5, TimeUnit.SECONDS)).as("handshake threads end").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a condition with a deadline (polling every millisecond; no fixed sleeps). */
    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** One direction of the wire. */
    static final class Pipe implements DtlsSession.DatagramSender {
        private final ExecutorService loop;
        volatile DtlsSession target;
        volatile Predicate<byte[]> drop = d -> false;
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();

        Pipe(ExecutorService loop) {
            this.loop = loop;
        }

        @Override
        public void send(byte[] data, int offset, int length) {
            byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
            if (drop.test(copy)) {
                dropped.incrementAndGet();
                return;
            }
            delivered.incrementAndGet();
            loop.execute(() -> {
                ByteBuf buf = Unpooled.wrappedBuffer(copy);
                try {
                    target.onDatagram(buf);
                } finally {
                    buf.release();
                }
            });
        }

        /** Drops the first {@code n} datagrams that match. */
        void dropFirst(int n, Predicate<byte[]> which) {
            AtomicInteger left = new AtomicInteger(n);
            drop = d -> which.test(d) && left.getAndDecrement() > 0;
        }
    }

    /** What a listener saw. */
    static final class Events implements DtlsSession.Listener {
        final CompletableFuture<Completed> completed = new CompletableFuture<>();
        final CompletableFuture<Failed> failed = new CompletableFuture<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger callbacks = new AtomicInteger();

        record Completed(SrtpProfile profile, SrtpKeyingMaterial keys) {
        }

        record Failed(String reason, Throwable cause) {
        }

        @Override
        public void onHandshakeComplete(SrtpProfile profile, SrtpKeyingMaterial keys) {
            callbacks.incrementAndGet();
            completed.complete(new Completed(profile, keys));
        }

        @Override
        public void onHandshakeFailed(String reason, Throwable cause) {
            callbacks.incrementAndGet();
            failed.complete(new Failed(reason, cause));
        }

        @Override
        public void onClosed() {
            callbacks.incrementAndGet();
            closed.countDown();
        }

        Completed awaitCompleted() throws Exception {
            CompletableFuture<Object> either = CompletableFuture.anyOf(completed, failed);
            Object result = either.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (result instanceof Failed f) {
                throw new AssertionError("handshake failed: " + f.reason(), f.cause());
            }
            return (Completed) result;
        }

        Failed awaitFailed() throws Exception {
            CompletableFuture<Object> either = CompletableFuture.anyOf(completed, failed);
            Object result = either.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (result instanceof Completed) {
                throw new AssertionError("handshake completed but should have failed");
            }
            return (Failed) result;
        }

        boolean awaitClosed() throws InterruptedException {
            return closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** DTLS record content type of a datagram's first record. */
    static int contentType(byte[] datagram) {
        return datagram[0] & 0xFF;
    }

    /** DTLS epoch of a datagram's first record. */
    static int epoch(byte[] datagram) {
        return ((datagram[3] & 0xFF) << 8) | (datagram[4] & 0xFF);
    }
}
