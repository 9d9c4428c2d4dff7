package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of answering a publisher's offer.
 *
 * @param answerSdp         the answer to send back (CRLF lines)
 * @param remoteIce         the publisher's ICE credentials (for STUN checks)
 * @param remoteFingerprint the publisher's certificate fingerprint (sha-256 preferred when several were offered)
 * @param remoteSetup       the offer's a=setup, ACTPASS or ACTIVE (ACTIVE when absent); either way the publisher is
 *                          the DTLS client because Prism answered passive
 * @param accepted          one entry per m-line Prism will receive on, in m-line order: the offerer's payload types
 *                          and extension ids (what the publisher sends), its encodings (SSRC + RTX SSRC, or rids with
 *                          SSRC 0 for simulcast) and msid stream/track ids (null when absent)
 */
public record PublishNegotiation(String answerSdp, IceParameters remoteIce, DtlsFingerprint remoteFingerprint,
                                 DtlsRole remoteSetup, List<MediaDescription> accepted) {
    public PublishNegotiation {
        Objects.requireNonNull(answerSdp, "answerSdp");
        accepted = List.copyOf(accepted);
    }
}
