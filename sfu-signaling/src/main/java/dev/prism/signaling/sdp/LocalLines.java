package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceCandidate;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The lines Prism writes about itself, shared by the publish answer and the subscriber offer. */
final class LocalLines {
    private LocalLines() {
    }

    /** UDP/TLS/RTP/SAVPF: the profile Prism writes for audio and video. */
    static final String PROTOCOL = "UDP/TLS/RTP/SAVPF";

    /**
     * A stable o= session id for one transport: a hash of the local ICE ufrag, below 2^62 as JSEP asks. Stable
     * across renegotiations of the same connection without keeping state here.
     */
    static long sessionId(LocalTransportInfo local) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte b : local.ice().ufrag().getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h &= 0x3FFF_FFFF_FFFF_FFFFL;
        return h == 0 ? 1 : h;
    }

    /** v=, o=, s=, t= and a=ice-lite. */
    static SessionDescription.Builder sessionHeader(LocalTransportInfo local, long version) {
        return SessionDescription.builder()
                .line('v', "0")
                .line('o', "- " + sessionId(local) + " " + version + " IN IP4 0.0.0.0")
                .line('s', "-")
                .line('t', "0 0")
                .attribute("ice-lite", null);
    }

    /** The default candidate's port (first candidate), or 9 (discard) when there is none. */
    static int port(LocalTransportInfo local) {
        List<IceCandidate> c = local.candidates();
        return c.isEmpty() ? 9 : c.get(0).port();
    }

    /** The c= line for the default candidate (IPv4 or IPv6), or the null address. */
    static String connection(LocalTransportInfo local) {
        List<IceCandidate> c = local.candidates();
        if (c.isEmpty()) {
            return "IN IP4 0.0.0.0";
        }
        String addr = c.get(0).address();
        return (addr.indexOf(':') >= 0 ? "IN IP6 " : "IN IP4 ") + addr;
    }

    /** a=ice-ufrag, a=ice-pwd, a=fingerprint, a=setup. */
    static void transport(MediaSection.Builder b, LocalTransportInfo local, DtlsRole setup) {
        b.attribute("ice-ufrag", local.ice().ufrag())
                .attribute("ice-pwd", local.ice().pwd())
                .attribute("fingerprint", local.fingerprint().algorithm() + " " + local.fingerprint().value())
                .attribute("setup", setup.sdpName());
    }

    /** Every candidate, then a=end-of-candidates. */
    static void candidates(MediaSection.Builder b, LocalTransportInfo local) {
        for (IceCandidate c : local.candidates()) {
            b.attribute("candidate", c.toSdpValue());
        }
        b.flag("end-of-candidates");
    }

    /** A section rejected in an answer: port 0, the offered protocol and first format, and the mid when known. */
    static MediaSection rejected(MediaSection offered, String mid) {
        MediaSection.Builder b = MediaSection.builder(offered.media(), 0, offered.protocol(),
                        List.of(offered.formats().get(0)))
                .line('c', "IN IP4 0.0.0.0");
        if (mid != null) {
            b.attribute("mid", mid);
        }
        return b.build();
    }
}
