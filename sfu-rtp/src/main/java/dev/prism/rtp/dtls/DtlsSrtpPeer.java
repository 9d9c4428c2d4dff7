package dev.prism.rtp.dtls;

import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;

/** What {@link DtlsSession} needs from its bctls client or server once the handshake is done. */
interface DtlsSrtpPeer {
    /** The negotiated SRTP profile; {@code null} until the use_srtp exchange happened. */
    SrtpProfile selectedProfile();

    /** Why negotiation failed on our side (no common profile and the like), or {@code null}. */
    String negotiationFailure();

    /** SRTP keys, exported when bctls reported the handshake complete (the only time it allows it); else null. */
    SrtpKeyingMaterial keys();

    /** Receives the alerts the peer sends, for close_notify detection after the handshake. */
    @FunctionalInterface
    interface AlertSink {
        void alertReceived(short level, short description);
    }
}
