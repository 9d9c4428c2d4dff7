package dev.prism.conference;

import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;

/**
 * The per-room publisher limit ({@link Room#maxPublishers()}): a participant that publishes nothing yet may start only
 * while fewer than that many others publish. One already publishing may renegotiate freely. Room loop only.
 */
final class PublisherLimit {
    private PublisherLimit() {
    }

    /** @throws ConferenceException {@code publishers_full} when {@code identity} may not become a publisher now */
    static void check(Room room, String identity) {
        Participant self = room.participant(identity);
        if (self != null && !self.tracks().isEmpty()) {
            return;
        }
        int max = room.maxPublishers();
        int publishing = publishers(room);
        if (publishing >= max) {
            throw new ConferenceException("publishers_full", "the room already has its maximum of " + max
                    + " publishers", "room has " + publishing + " publishers (max " + max + ")");
        }
    }

    /** Participants that publish at least one track. */
    static int publishers(Room room) {
        int n = 0;
        for (Participant p : room.participants()) {
            if (!p.tracks().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** The limit a room gets when {@code grants}' join creates it: the node's, or the token's if lower. */
    static int forNewRoom(int nodeMax, ParticipantGrants grants) {
        int asked = grants.roomMaxPublishers();
        return asked > 0 ? Math.min(asked, nodeMax) : nodeMax;
    }
}
