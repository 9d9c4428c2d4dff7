package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.core.rtp.IceParameters;

import java.util.List;
import java.util.Objects;

/**
 * Prism's side of one peer connection as written into SDP: its ICE-lite credentials, the fingerprint of its DTLS
 * certificate, and its host candidates (written in every non-rejected m-section, then {@code a=end-of-candidates}:
 * Prism does not trickle): UDP first, then TCP passive ones (RFC 6544, {@code tcptype passive}) when ICE-TCP is on.
 * The first candidate also gives the m= port and c= address (JSEP's default candidate), so it must be the UDP one.
 */
public record LocalTransportInfo(IceParameters ice, DtlsFingerprint fingerprint, List<IceCandidate> candidates) {
    public LocalTransportInfo {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Tokens.requireToken(ice.ufrag(), "ice ufrag");
        Tokens.requireToken(ice.pwd(), "ice pwd");
        Tokens.requireToken(fingerprint.algorithm(), "fingerprint algorithm");
        Tokens.requireToken(fingerprint.value(), "fingerprint value");
        candidates = List.copyOf(candidates);
        for (IceCandidate c : candidates) {
            Tokens.requireToken(c.foundation(), "candidate foundation");
            Tokens.requireToken(c.protocol(), "candidate protocol");
            Tokens.requireToken(c.address(), "candidate address");
            Tokens.requireToken(c.type(), "candidate type");
            if (c.tcpType() != null) {
                Tokens.requireToken(c.tcpType(), "candidate tcptype");
            }
        }
    }
}
