package dev.prism.conference;

import dev.prism.core.rtp.MediaKind;

/**
 * One m-line of a participant's subscriber connection as the conference lays it out: an active line carries one remote
 * track (its SSRC, RTX SSRC for video, publisher and track ids); an inactive one is the slot of a track that went away,
 * kept so that m-lines are only ever recycled. A slot keeps its mid and kind for the life of the connection.
 *
 * @param rtxSsrc     0 for none (audio) and on inactive lines
 * @param publisherId null on inactive lines
 * @param trackId     null on inactive lines
 * @param muted       whether the publisher has muted the track (false on inactive lines)
 */
public record SubscriberLine(String mid, MediaKind kind, boolean active, long ssrc, long rtxSsrc, String publisherId,
                             String trackId, boolean muted) {
}
