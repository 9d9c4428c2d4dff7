package dev.prism.conference;

import dev.prism.rtp.alloc.QualityCap;
import java.util.Objects;

/**
 * The grants of a join beyond publish and subscribe, from the access token (docs/PROTOCOL.md, token claims).
 *
 * @param hidden            the others do not see this participant ({@link dev.prism.core.room.Participant#hidden()})
 * @param qualityCap        the most video this participant receives, and the most of its own video forwarded to
 *                          anyone ({@link QualityCap}); {@link QualityCap#NONE} for no cap
 * @param roomMaxPublishers publishers the room allows at once if this join creates it (0: the node's setting; never
 *                          more than it); a room that exists keeps its own
 */
public record ParticipantGrants(boolean hidden, QualityCap qualityCap, int roomMaxPublishers) {
    /** No extra grant or limit: what a join had before these grants existed. */
    public static final ParticipantGrants NONE = new ParticipantGrants(false, QualityCap.NONE, 0);

    public ParticipantGrants {
        Objects.requireNonNull(qualityCap, "qualityCap");
        if (roomMaxPublishers < 0) {
            throw new IllegalArgumentException("roomMaxPublishers " + roomMaxPublishers);
        }
    }
}
