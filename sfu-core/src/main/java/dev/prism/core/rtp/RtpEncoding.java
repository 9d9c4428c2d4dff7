package dev.prism.core.rtp;

/**
 * One RTP stream of a track: its SSRC (0 when not yet known, as with rid-only simulcast), its RTX SSRC (0 when none),
 * and its rid (null when not simulcast).
 */
public record RtpEncoding(long ssrc, long rtxSsrc, String rid) {
}
