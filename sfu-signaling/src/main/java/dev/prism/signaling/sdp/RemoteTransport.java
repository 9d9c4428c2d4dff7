package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;

import java.util.List;

/**
 * The remote side's ICE credentials, DTLS fingerprint and setup role, read from the section that carries the bundle's
 * transport (media level first, then session level, as JSEP allows either).
 */
record RemoteTransport(IceParameters ice, DtlsFingerprint fingerprint, DtlsRole setup) {

    /**
     * @param defaultSetup the role to assume when no a=setup is present
     * @throws NegotiationException bad_sdp when ICE credentials or the fingerprint are missing
     */
    static RemoteTransport read(SessionDescription sd, MediaSection transport, DtlsRole defaultSetup)
            throws SdpParseException, NegotiationException {
        String ufrag = token(sd, transport, "ice-ufrag");
        String pwd = token(sd, transport, "ice-pwd");
        if (ufrag == null || pwd == null) {
            throw NegotiationException.badSdp("no a=ice-ufrag / a=ice-pwd for mid " + transport.mid());
        }
        List<SdpLine> fps = transport.attributes("fingerprint");
        if (fps.isEmpty()) {
            fps = sd.attributes("fingerprint");
        }
        if (fps.isEmpty()) {
            throw NegotiationException.badSdp("no a=fingerprint for mid " + transport.mid());
        }
        DtlsFingerprint chosen = null;
        for (SdpLine l : fps) {
            DtlsFingerprint fp = SdpAttributes.fingerprint(l);
            // Prefer sha-256 when several are offered: every DTLS stack computes it.
            if (chosen == null || (!chosen.algorithm().equals("sha-256") && fp.algorithm().equals("sha-256"))) {
                chosen = fp;
            }
        }
        SdpLine setupLine = transport.attributeLine("setup");
        if (setupLine == null) {
            setupLine = sd.attributeLine("setup");
        }
        DtlsRole setup = setupLine == null ? defaultSetup : SdpAttributes.setup(setupLine);
        return new RemoteTransport(new IceParameters(ufrag, pwd), chosen, setup);
    }

    private static String token(SessionDescription sd, MediaSection m, String name) throws SdpParseException {
        SdpLine l = m.attributeLine(name);
        if (l == null) {
            l = sd.attributeLine(name);
        }
        if (l == null || l.attributeValue() == null || l.attributeValue().isBlank()) {
            return null;
        }
        String v = l.attributeValue().strip();
        if (Tokens.split(v).size() != 1) {
            throw new SdpParseException(l.number(), "a=" + name + " must be one token");
        }
        return v;
    }
}
