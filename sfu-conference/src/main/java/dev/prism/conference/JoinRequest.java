package dev.prism.conference;

import dev.prism.core.rtp.VideoCodec;
import java.util.Objects;

/**
 * Who joins which room, with which grants. Signaling builds it from a verified access token.
 *
 * @param displayName the name others see, already made display-safe by the caller
 * @param videoCodec  the video codec the room gets when this join creates it (null: the node's default); a room
 *                    that exists keeps its own ({@link dev.prism.core.room.Room#chooseVideoCodec})
 * @param canData     may send in-room data messages (signaling enforces it; the token's {@code canData} claim)
 * @param audioTopN   top-N audio for the room when this join creates it (null: the node's setting; 0: off)
 * @param grants      hidden, quality cap, the room's publisher limit ({@link ParticipantGrants#NONE} for none)
 */
public record JoinRequest(String roomId, String identity, String displayName, boolean canPublish,
                          boolean canSubscribe, VideoCodec videoCodec, boolean canData, Integer audioTopN,
                          ParticipantGrants grants) {
    /** A join with the data grant (may send in-room data messages; signaling enforces it), no {@code audioTopN}. */
    public JoinRequest(String roomId, String identity, String displayName, boolean canPublish, boolean canSubscribe,
                       VideoCodec videoCodec) {
        this(roomId, identity, displayName, canPublish, canSubscribe, videoCodec, true, null);
    }

    /** A join without an {@code audioTopN} claim. */
    public JoinRequest(String roomId, String identity, String displayName, boolean canPublish, boolean canSubscribe,
                       VideoCodec videoCodec, boolean canData) {
        this(roomId, identity, displayName, canPublish, canSubscribe, videoCodec, canData, null);
    }

    /** A join with the data grant. */
    public JoinRequest(String roomId, String identity, String displayName, boolean canPublish, boolean canSubscribe,
                       VideoCodec videoCodec, Integer audioTopN) {
        this(roomId, identity, displayName, canPublish, canSubscribe, videoCodec, true, audioTopN);
    }

    /** A join without the grants of {@link ParticipantGrants}. */
    public JoinRequest(String roomId, String identity, String displayName, boolean canPublish, boolean canSubscribe,
                       VideoCodec videoCodec, boolean canData, Integer audioTopN) {
        this(roomId, identity, displayName, canPublish, canSubscribe, videoCodec, canData, audioTopN,
                ParticipantGrants.NONE);
    }

    /** A join with the data grant, no {@code audioTopN}, and the grants of {@link ParticipantGrants}. */
    public JoinRequest(String roomId, String identity, String displayName, boolean canPublish, boolean canSubscribe,
                       VideoCodec videoCodec, ParticipantGrants grants) {
        this(roomId, identity, displayName, canPublish, canSubscribe, videoCodec, true, null, grants);
    }

    /** A join that leaves a new room the node's default video codec. */
    public JoinRequest(String roomId, String identity, String displayName, boolean canPublish, boolean canSubscribe) {
        this(roomId, identity, displayName, canPublish, canSubscribe, null, true, null);
    }

    public JoinRequest {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(displayName, "displayName");
        grants = grants == null ? ParticipantGrants.NONE : grants;
    }
}
