package dev.prism.signaling.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Opus DTX and audio RED (RFC 2198) in Prism's SDP. Pure; safe from any thread.
 *
 * <ul>
 *   <li>DTX: Prism's publish answers and subscriber offers say {@code usedtx=1} in the Opus fmtp. In an answer it is
 *       Prism's receive preference, so the browser's encoder sends almost nothing in silence (Chromium: one packet
 *       per 400 ms). Sequence numbers stay contiguous across the silence; only timestamps jump.</li>
 *   <li>RED: {@code red/48000/2} whose fmtp names only the Opus payload type ({@code 111/111}, what Chromium
 *       offers) is kept beside Opus in a publish answer, listed first: Chromium sends RED only when the remote
 *       description puts it before Opus (with Opus first it negotiates RED and sends plain Opus; captured with
 *       Chromium 156). Subscribers are offered it after Opus on {@link #SUBSCRIBER_RED_PT} and get RED packets when
 *       their answer keeps it, plain Opus otherwise.</li>
 * </ul>
 */
final class OpusRed {
    private OpusRed() {
    }

    static final String RED = "red";
    /** The RED payload type in Prism's subscriber offers (Chromium's own number for it). */
    static final int SUBSCRIBER_RED_PT = 63;
    static final String DTX = "usedtx=1";

    /**
     * The Opus fmtp of a publish answer: the offer's parameters without any {@code usedtx}, then {@code usedtx=1}.
     *
     * @param offered the offer's fmtp parameters as written, or null
     */
    static String answerFmtp(String offered) {
        StringBuilder b = new StringBuilder();
        if (offered != null) {
            for (String p : offered.split(";")) {
                String t = p.trim();
                if (!t.isEmpty() && !t.toLowerCase(java.util.Locale.ROOT).startsWith("usedtx")) {
                    b.append(t).append(';');
                }
            }
        }
        return b.append(DTX).toString();
    }

    /**
     * The RED codec of section {@code m} that carries only {@code opusPt} blocks ({@code a=fmtp:<red> <opus>/<opus>},
     * one or more), or null when there is none: RED of anything else could not be stripped to Opus.
     */
    static MediaInfo.Codec redFor(MediaInfo m, int opusPt) {
        for (MediaInfo.Codec c : m.codecs) {
            if (c.is(RED, Forwarded.OPUS_CLOCK) && c.fmtp() != null && onlyBlocksOf(c.fmtp().params(), opusPt)) {
                return c;
            }
        }
        return null;
    }

    /** Whether RED fmtp {@code params} ({@code 111/111}) names {@code pt} and nothing else. */
    static boolean onlyBlocksOf(String params, int pt) {
        String want = Integer.toString(pt);
        String[] parts = params.trim().split("/");
        if (parts.length == 0) {
            return false;
        }
        for (String p : parts) {
            if (!p.trim().equals(want)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The order a publish answer lists {@code kept} in: RED before Opus, so that Chromium sends RED; anything else as
     * it is. (The negotiated description keeps Opus first: it is the primary codec.)
     */
    static List<MediaInfo.Codec> answerOrder(List<MediaInfo.Codec> kept) {
        if (kept.size() == 2 && kept.get(1).is(RED, Forwarded.OPUS_CLOCK)) {
            return List.of(kept.get(1), kept.get(0));
        }
        return kept;
    }

    /** The kept codecs of an audio section: Opus, then its RED when offered. */
    static List<MediaInfo.Codec> audioCodecs(MediaInfo m, MediaInfo.Codec opus) {
        List<MediaInfo.Codec> out = new ArrayList<>(2);
        out.add(opus);
        MediaInfo.Codec red = redFor(m, opus.payloadType());
        if (red != null) {
            out.add(red);
        }
        return out;
    }
}
