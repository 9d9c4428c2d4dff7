package dev.prism.rtp.dtls;

import dev.prism.core.rtp.DtlsFingerprint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Checks the peer's certificate against the fingerprint from its SDP. The certificate can arrive before the SDP
 * that carries the fingerprint has been processed (a ClientHello racing the answer), so {@link #verify} blocks the
 * handshake thread until {@link #expect} is called, {@link #cancel} is called, or the wait runs out.
 *
 * <p>Thread-safe: {@code expect} and {@code cancel} come from any thread, {@code verify} from the handshake thread.
 */
final class RemoteCertificateCheck {
    static final String MISMATCH = "remote certificate fingerprint does not match SDP";

    private final Duration maxWait;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile DtlsFingerprint expected;
    private volatile boolean cancelled;
    private volatile boolean verified;
    private volatile boolean waiting;
    private volatile String failure;
    /** {@link System#nanoTime()} of the handshake deadline: the wait for the fingerprint never goes past it. */
    private volatile long deadlineNanos;
    private volatile boolean hasDeadline;

    RemoteCertificateCheck(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** The handshake's deadline ({@link System#nanoTime()}): {@link #verify} waits at most until then. */
    void setDeadline(long nanoTime) {
        deadlineNanos = nanoTime;
        hasDeadline = true;
    }

    /** Sets the fingerprint to check against; a later call replaces it if the check has not run yet. */
    void expect(DtlsFingerprint fingerprint) {
        expected = Objects.requireNonNull(fingerprint, "fingerprint");
        released.countDown();
    }

    /** Releases a waiting {@link #verify}, which then fails. */
    void cancel() {
        cancelled = true;
        released.countDown();
    }

    /** True once a peer certificate matched the expected fingerprint. */
    boolean isVerified() {
        return verified;
    }

    /** True while {@link #verify} is blocked waiting for {@link #expect}. */
    boolean isWaiting() {
        return waiting;
    }

    /** Why the check failed, or {@code null}. */
    String failure() {
        return failure;
    }

    /**
     * Verifies the end-entity certificate of {@code chain}.
     *
     * @throws TlsFatalAlert with the alert to send the peer if the certificate is missing or does not match
     * @throws IOException   if the session was closed while waiting
     */
    void verify(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw fail(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        DtlsFingerprint want = awaitExpected();
        if (cancelled) {
            throw new IOException("DTLS session closed");
        }
        if (want == null) {
            throw fail(AlertDescription.certificate_unknown, hasDeadline && System.nanoTime() - deadlineNanos >= 0
                ? "remote fingerprint not known by the handshake deadline"
                : "remote fingerprint not known " + maxWait.toMillis() + " ms after the peer's certificate arrived");
        }
        DtlsFingerprint actual = DtlsCertificate.fingerprintOf(der, want.algorithm());
        if (actual == null) {
            throw fail(AlertDescription.certificate_unknown,
                "unsupported fingerprint hash in SDP: " + want.algorithm());
        }
        if (!actual.matches(want)) {
            throw fail(AlertDescription.bad_certificate, MISMATCH);
        }
        verified = true;
    }

    private DtlsFingerprint awaitExpected() throws IOException {
        if (released.getCount() > 0) {
            waiting = true;
            try {
                long wait = maxWait.toNanos();
                if (hasDeadline) {
                    wait = Math.min(wait, deadlineNanos - System.nanoTime());
                }
                released.await(Math.max(0, wait), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the remote fingerprint");
            } finally {
                waiting = false;
            }
        }
        return expected;
    }

    private TlsFatalAlert fail(short alert, String reason) {
        failure = reason;
        return new TlsFatalAlert(alert, reason);
    }
}
