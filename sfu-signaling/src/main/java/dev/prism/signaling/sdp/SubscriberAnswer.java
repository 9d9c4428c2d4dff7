package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a subscriber's answer settled.
 *
 * @param remoteIce         the browser's ICE credentials
 * @param remoteFingerprint the browser's certificate fingerprint
 * @param remoteSetup       ACTIVE (the browser is the DTLS client) or PASSIVE (Prism is the client); give it to
 *                          {@code WebRtcTransport.setRemoteParameters}
 * @param acceptedByMid     the active offered lines the browser accepted (recvonly), in m-line order: Prism's payload
 *                          types, the extension ids and rtcp-fb the answer kept, the offered SSRC / RTX SSRC and msid
 *                          ids. Offered lines missing here were rejected (port 0), answered inactive, or were
 *                          inactive slots.
 */
public record SubscriberAnswer(IceParameters remoteIce, DtlsFingerprint remoteFingerprint, DtlsRole remoteSetup,
                               Map<String, MediaDescription> acceptedByMid) {
    public SubscriberAnswer {
        Objects.requireNonNull(remoteIce, "remoteIce");
        Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
        acceptedByMid = Collections.unmodifiableMap(new LinkedHashMap<>(acceptedByMid));
    }
}
