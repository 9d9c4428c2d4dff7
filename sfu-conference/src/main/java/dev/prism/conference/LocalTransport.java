package dev.prism.conference;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.core.rtp.IceParameters;
import java.util.List;
import java.util.Objects;

/**
 * Prism's side of one peer connection, as signaling writes it into an answer or an offer: its ICE-lite credentials,
 * the fingerprint of its DTLS certificate and its host candidates. A value: safe on any thread.
 */
public record LocalTransport(IceParameters ice, DtlsFingerprint fingerprint, List<IceCandidate> candidates) {
    public LocalTransport {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
    }
}
