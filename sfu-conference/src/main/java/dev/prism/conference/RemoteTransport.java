package dev.prism.conference;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import java.util.Objects;

/**
 * The browser's side of one peer connection, as signaling read it from the browser's offer or answer.
 *
 * @param setup the browser's {@code a=setup}: ACTIVE or ACTPASS (it is the DTLS client), PASSIVE (Prism is)
 */
public record RemoteTransport(IceParameters ice, DtlsFingerprint fingerprint, DtlsRole setup) {
    public RemoteTransport {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
